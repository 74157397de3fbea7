"""The coordination log as a PDF for the after-action review (ICS-214 activity log layout:
incident, operational period, level history, the plan steps against their targets, then every
timed entry with its author, and who prepared it)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from dispatch_app.desk.emergencies import EmergencyView, LogEntryView
from dispatch_app.domain.emergencies import LEVEL_ZH
from dispatch_app.standards.center_time import CENTER_TZ


def _labels() -> dict[str, str]:
    """Every text of the report, translated now (literal calls, so lupdate collects them)."""

    return {
        "title": QCoreApplication.translate("EmergencyLogPdf", "Activity log (ICS-214)"),
        "incident": QCoreApplication.translate("EmergencyLogPdf", "Incident"),
        "exercise": QCoreApplication.translate("EmergencyLogPdf", "[EXERCISE]"),
        "period": QCoreApplication.translate("EmergencyLogPdf", "Operational period"),
        "level": QCoreApplication.translate("EmergencyLogPdf", "Level"),
        "undecided": QCoreApplication.translate("EmergencyLogPdf", "not decided"),
        "proposed": QCoreApplication.translate("EmergencyLogPdf", "proposed"),
        "steps": QCoreApplication.translate("EmergencyLogPdf", "Response plan steps"),
        "decisions": QCoreApplication.translate("EmergencyLogPdf", "Level decisions"),
        "step": QCoreApplication.translate("EmergencyLogPdf", "Step"),
        "owner": QCoreApplication.translate("EmergencyLogPdf", "Owner"),
        "target": QCoreApplication.translate("EmergencyLogPdf", "Target (min)"),
        "finished": QCoreApplication.translate("EmergencyLogPdf", "Finished"),
        "took": QCoreApplication.translate("EmergencyLogPdf", "Took (min)"),
        "result": QCoreApplication.translate("EmergencyLogPdf", "Result"),
        "activities": QCoreApplication.translate("EmergencyLogPdf", "Notable activities"),
        "time": QCoreApplication.translate("EmergencyLogPdf", "Time"),
        "kind": QCoreApplication.translate("EmergencyLogPdf", "Kind"),
        "activity": QCoreApplication.translate("EmergencyLogPdf", "Activity"),
        "by": QCoreApplication.translate("EmergencyLogPdf", "By"),
        "prepared": QCoreApplication.translate("EmergencyLogPdf", "Prepared by"),
        "open": QCoreApplication.translate("EmergencyLogPdf", "open"),
        "overdue": QCoreApplication.translate("EmergencyLogPdf", "OVERDUE"),
        "done": QCoreApplication.translate("EmergencyLogPdf", "done"),
        "skipped": QCoreApplication.translate("EmergencyLogPdf", "skipped"),
    }


def _local(t: datetime | None) -> str:
    return "" if t is None else t.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M:%S")


def log_html(
    view: EmergencyView,
    entries: Sequence[LogEntryView],
    prepared_by: str,
    now: datetime,
    unit_name: Callable[[str], str] = lambda u: u,
) -> str:
    e = html.escape
    t = _labels()
    case = view.case
    first = entries[0].at if entries else case.created_at
    last = entries[-1].at if entries else now
    parts = [
        "<html><body style='font-family: \"Noto Sans CJK SC\", sans-serif; font-size: 9pt'>",
        f"<h2>{e(t['title'])}</h2>",
        "<table cellpadding='3'>",
        f"<tr><td><b>{e(t['incident'])}</b></td><td>{e(case.reference)} {e(case.title)}"
        + (f" <b>{e(t['exercise'])}</b>" if view.exercise else "")
        + "</td></tr>",
        f"<tr><td><b>{e(t['period'])}</b></td><td>{_local(first)} – {_local(last)}</td></tr>",
        f"<tr><td><b>{e(t['level'])}</b></td><td>"
        + e(LEVEL_ZH[view.level] if view.level else t["undecided"])
        + f" ({e(t['proposed'])} {e(LEVEL_ZH[view.proposal.level])})</td></tr>",
        "</table>",
    ]
    if view.decisions:
        parts.append(f"<h3>{e(t['decisions'])}</h3><ul>")
        for d in view.decisions:
            reason = f"：{e(d.reason)}" if d.reason else ""
            parts.append(
                f"<li>{_local(d.at)} {e(d.actor)} {e(LEVEL_ZH[d.level])}"
                f"（{e(t['proposed'])}{e(LEVEL_ZH[d.proposed])}）{reason}</li>"
            )
        parts.append("</ul>")
    if view.activations:
        parts.append(f"<h3>{e(t['steps'])}</h3>")
        parts.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'>")
        parts.append(
            "<tr>"
            + "".join(
                f"<th>{e(t[h])}</th>"
                for h in ("step", "owner", "target", "finished", "took", "result")
            )
            + "</tr>"
        )
        for act in view.activations:
            for s in act.steps:
                took = s.step.took(act.activated_at)
                result = t[s.status(now).value]
                if s.step.skip_reason:
                    result += f": {s.step.skip_reason}"
                parts.append(
                    "<tr>"
                    f"<td>{e(s.step.title)}</td><td>{e(unit_name(s.step.owner_unit) if s.step.owner_unit else '')}</td>"
                    f"<td>{s.step.target_min}</td><td>{_local(s.step.finished_at)}</td>"
                    f"<td>{'' if took is None else round(took.total_seconds() / 60)}</td>"
                    f"<td>{e(result)}</td></tr>"
                )
        parts.append("</table>")
    parts.append(f"<h3>{e(t['activities'])}</h3>")
    parts.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'>")
    parts.append(
        "<tr>"
        + "".join(f"<th>{e(t[h])}</th>" for h in ("time", "kind", "activity", "by"))
        + "</tr>"
    )
    for entry in entries:
        parts.append(
            f"<tr><td>{_local(entry.at)}</td><td>{e(entry.kind.name_zh)}</td>"
            f"<td>{e(entry.text)}</td><td>{e(entry.author)}</td></tr>"
        )
    parts.append("</table>")
    parts.append(f"<p>{e(t['prepared'])}: {e(prepared_by)} &nbsp; {_local(now)}</p></body></html>")
    return "".join(parts)


def export_log_pdf(
    path: Path,
    view: EmergencyView,
    entries: Sequence[LogEntryView],
    prepared_by: str,
    now: datetime,
    unit_name: Callable[[str], str] = lambda u: u,
) -> Path:
    """Write the log as an A4 PDF at ``path`` (written to a temporary file first and renamed,
    so a failed export never leaves half a file where the review expects a whole one)."""
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
        )
    )
    writer.setResolution(300)
    writer.setTitle(f"{view.case.reference} ICS-214")
    doc = QTextDocument()
    doc.setHtml(log_html(view, entries, prepared_by, now, unit_name))
    # No page size of our own: print_ lays the document out on the writer's page at its
    # resolution, so the text keeps its point size on paper.
    doc.print_(writer)
    del writer  # finishes the file
    tmp.replace(path)
    return path
