"""Dialogs for the statutory steps of a petition and for Open311 interchange.

Each is an `AsyncFormDialog` (ui.cases.action_dialogs): OK runs the desk call, a refusal is shown
inside the dialog in the desk's own words, the dialog stays open and everything typed stays.
The desk is the authority on every rule (who may extend, when a reply may be recorded); the
dialogs only make the right input easy.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from qasync import asyncSlot

from dispatch_app.desk.petitions import REPLY_CHANNELS, DuplicateHit, Open311Result
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.petitions import Decision, Satisfaction
from ui.cases.action_dialogs import AsyncFormDialog, Perform
from ui.petitions import formats
from ui.petitions.intake import _from_qdatetime, _to_qdatetime
from ui.shell import labels
from ui.shell.errors import describe_error
from ui.shell.i18n import current_language
from ui.widgets.file_dialogs import FileMode, choose_files


def _header(dialog: AsyncFormDialog, text: str) -> None:
    label = QLabel(text, dialog)
    label.setObjectName("dialogHeader")
    label.setWordWrap(True)
    label.setStyleSheet("font-weight:bold;")
    dialog.body.addWidget(label)


def _text_edit(parent: QWidget, name: str, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setObjectName(name)
    edit.setMinimumHeight(100)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    return edit


class ReasonDialog(AsyncFormDialog):
    """A step that needs only words: unmerge, reveal the petitioner, a contact note …"""

    def __init__(
        self,
        perform: Perform,
        title: str,
        header: str,
        prompt: str,
        *,
        explanation: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("petitionReasonDialog")
        self.setWindowTitle(title)
        self.ok_button.setText(title)
        _header(self, header)
        if explanation:
            note = QLabel(explanation, self)
            note.setWordWrap(True)
            note.setProperty("role", "hint")
            self.body.addWidget(note)
        form = QFormLayout()
        self.text = _text_edit(self, "reasonText")
        form.addRow(prompt, self.text)
        self.body.addLayout(form)
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText()}


class StepTimeDialog(AsyncFormDialog):
    """A step done at a time (now, or earlier: a letter posted yesterday), with a note."""

    def __init__(
        self,
        perform: Perform,
        title: str,
        header: str,
        now: datetime,
        *,
        with_note: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("petitionStepDialog")
        self.setWindowTitle(title)
        self.ok_button.setText(title)
        _header(self, header)
        form = QFormLayout()
        self.at = QDateTimeEdit(_to_qdatetime(now), self)
        self.at.setObjectName("stepTime")
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(self.tr("Done at (Beijing time)"), self.at)
        self.note: QPlainTextEdit | None = None
        if with_note:
            self.note = _text_edit(self, "stepNote", self.tr("What was said or agreed (optional)"))
            form.addRow(self.tr("Note"), self.note)
        self.body.addLayout(form)

    def values(self) -> dict[str, Any]:
        return {
            "at": _from_qdatetime(self.at.dateTime()),
            "text": self.note.toPlainText() if self.note is not None else "",
        }


class DecisionDialog(AsyncFormDialog):
    """Accept, transfer, assign or not accept (Art. 22/23; acceptance starts the 60 days)."""

    def __init__(self, perform: Perform, header: str, now: datetime, parent: QWidget | None = None):
        super().__init__(perform, parent)
        self.setObjectName("petitionDecisionDialog")
        self.setWindowTitle(self.tr("Decision on the petition"))
        self.ok_button.setText(self.tr("Record decision"))
        _header(self, header)
        form = QFormLayout()
        self.decision = QComboBox(self)
        self.decision.setObjectName("decision")
        self.decision.addItem(self.tr("— choose the decision —"), None)
        for d in Decision:
            self.decision.addItem(labels.label(labels.DECISION, d), d.value)
        form.addRow(self.tr("Decision"), self.decision)
        self.at = QDateTimeEdit(_to_qdatetime(now), self)
        self.at.setObjectName("decisionTime")
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(self.tr("Decided at (Beijing time)"), self.at)
        self.note = _text_edit(
            self, "decisionNote", self.tr("Required when not accepted: the reason told to them")
        )
        form.addRow(self.tr("Note"), self.note)
        self.body.addLayout(form)
        self.decision.setFocus()

    def values(self) -> dict[str, Any]:
        choice = self.decision.currentData()
        if choice is None:
            raise ValidationError(
                "decision", "error.field_empty", "choose the decision", "请选择办理决定"
            )
        return {
            "decision": choice,
            "at": _from_qdatetime(self.at.dateTime()),
            "text": self.note.toPlainText(),
        }


class ExtensionDialog(AsyncFormDialog):
    """The one extension of the handling period: days (≤ 30) and the reason (Art. 34)."""

    def __init__(
        self, perform: Perform, header: str, max_days: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("petitionExtensionDialog")
        self.setWindowTitle(self.tr("Extend the handling period"))
        self.ok_button.setText(self.tr("Approve extension"))
        _header(self, header)
        note = QLabel(
            self.tr(
                "One extension of at most %1 days, approved by the shift leader, with the reason "
                "told to the petitioner. It is recorded under your name."
            ).replace("%1", str(max_days)),
            self,
        )
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.body.addWidget(note)
        form = QFormLayout()
        self.days = QSpinBox(self)
        self.days.setObjectName("extensionDays")
        self.days.setRange(1, max(1, max_days))
        self.days.setValue(max(1, max_days))
        self.days.setSuffix(self.tr(" days"))
        form.addRow(self.tr("Extend by"), self.days)
        self.reason = _text_edit(self, "extensionReason")
        form.addRow(self.tr("Reason"), self.reason)
        self.body.addLayout(form)
        self.reason.setFocus()

    def values(self) -> dict[str, Any]:
        return {"days": self.days.value(), "text": self.reason.toPlainText()}


class ReplyDialog(AsyncFormDialog):
    """The reply (答复意见): its text, how it was sent and when."""

    def __init__(
        self, perform: Perform, header: str, now: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("petitionReplyDialog")
        self.setWindowTitle(self.tr("Reply to the petitioner"))
        self.ok_button.setText(self.tr("Record reply"))
        self.setMinimumWidth(720)
        _header(self, header)
        form = QFormLayout()
        self.text = _text_edit(self, "replyText", self.tr("The reply as sent to the petitioner"))
        self.text.setMinimumHeight(180)
        form.addRow(self.tr("Reply"), self.text)
        self.channel = QComboBox(self)
        self.channel.setObjectName("replyChannel")
        for c in REPLY_CHANNELS:
            self.channel.addItem(labels.label(labels.REPLY_CHANNEL, c), c)
        form.addRow(self.tr("Sent by"), self.channel)
        self.sent_at = QDateTimeEdit(_to_qdatetime(now), self)
        self.sent_at.setObjectName("replySentAt")
        self.sent_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(self.tr("Sent at (Beijing time)"), self.sent_at)
        self.body.addLayout(form)
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "text": self.text.toPlainText(),
            "channel": self.channel.currentData(),
            "at": _from_qdatetime(self.sent_at.dateTime()),
        }


class CallbackDialog(AsyncFormDialog):
    """The satisfaction callback; a dissatisfied one may reopen the petition (shift leader)."""

    def __init__(
        self, perform: Perform, header: str, can_reopen: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("petitionCallbackDialog")
        self.setWindowTitle(self.tr("Satisfaction callback"))
        self.ok_button.setText(self.tr("Record callback"))
        _header(self, header)
        form = QFormLayout()
        self.result_choice = QComboBox(self)
        self.result_choice.setObjectName("callbackResult")
        self.result_choice.addItem(self.tr("— choose the petitioner's answer —"), None)
        for s in Satisfaction:
            self.result_choice.addItem(labels.label(labels.SATISFACTION, s), s.value)
        form.addRow(self.tr("Result"), self.result_choice)
        self.notes = _text_edit(self, "callbackNotes", self.tr("What the petitioner said"))
        form.addRow(self.tr("Notes"), self.notes)
        self.reopen = QCheckBox(
            self.tr("Set the reply aside and handle the petition again (shift leader)"), self
        )
        self.reopen.setObjectName("callbackReopen")
        self.reopen.setEnabled(False)
        self._can_reopen = can_reopen
        if not can_reopen:
            self.reopen.setToolTip(self.tr("Only a shift leader may reopen a petition."))
        form.addRow("", self.reopen)
        self.body.addLayout(form)
        self.result_choice.currentIndexChanged.connect(self._result_changed)
        self.result_choice.setFocus()

    def _result_changed(self) -> None:
        dissatisfied = self.result_choice.currentData() == Satisfaction.DISSATISFIED.value
        self.reopen.setEnabled(dissatisfied and self._can_reopen)
        if not dissatisfied:
            self.reopen.setChecked(False)

    def values(self) -> dict[str, Any]:
        result = self.result_choice.currentData()
        if result is None:
            raise ValidationError(
                "result", "error.field_empty", "choose the callback result", "请选择回访结果"
            )
        return {
            "result": result,
            "text": self.notes.toPlainText(),
            "reopen": self.reopen.isChecked(),
        }


class MergeDialog(AsyncFormDialog):
    """Merge this petition into a master chosen among its likely duplicates, with a reason."""

    def __init__(
        self,
        perform: Perform,
        header: str,
        hits: list[DuplicateHit],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("petitionMergeDialog")
        self.setWindowTitle(self.tr("Merge as a repeat petition"))
        self.ok_button.setText(self.tr("Merge into the selected petition"))
        self.setMinimumSize(960, 560)
        _header(self, header)
        intro = QLabel(
            self.tr(
                "This petition becomes a repeat of the one you select (the master): it counts "
                "toward the master's repeat complaints and follows the master's deadlines. A "
                "petition that is itself merged cannot be a master."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")
        self.body.addWidget(intro)
        self.hits = hits
        lang = "zh" if current_language() == "zh" else "en"
        self.table = QTableWidget(len(hits), 5, self)
        self.table.setObjectName("mergeCandidates")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Petition"),
                self.tr("Match"),
                self.tr("Received"),
                self.tr("Title"),
                self.tr("Why it looks the same"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        first_usable = -1
        for row, h in enumerate(hits):
            reference = h.reference
            if h.merged_into is not None:
                reference += "  " + self.tr("(merged: not a master)")
            elif first_usable < 0:
                first_usable = row
            cells = [
                reference,
                f"{round(h.score * 100)}%",
                formats.local_time(h.received_at),
                h.title,
                h.reasons_text(lang),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if h.merged_into is not None:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, item)
        view = self.table.horizontalHeader()
        view.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        view.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2):
            view.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        if first_usable >= 0:
            self.table.selectRow(first_usable)
        self.body.addWidget(self.table, 1)
        if not hits:
            none = QLabel(self.tr("No likely duplicates were found for this petition."), self)
            none.setObjectName("noCandidates")
            self.body.addWidget(none)
            self.ok_button.setEnabled(False)
        form = QFormLayout()
        self.reason = _text_edit(self, "mergeReason", self.tr("Why these are the same matter"))
        self.reason.setMaximumHeight(90)
        form.addRow(self.tr("Reason"), self.reason)
        self.body.addLayout(form)
        self.table.setFocus()

    def select_master(self, case_id: int) -> bool:
        for row, h in enumerate(self.hits):
            if h.case_id == case_id:
                self.table.selectRow(row)
                return True
        return False

    def selected_master(self) -> DuplicateHit | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.hits[rows[0].row()]

    def values(self) -> dict[str, Any]:
        master = self.selected_master()
        if master is None:
            raise ValidationError(
                "into_case_id",
                "error.field_empty",
                "select the petition to merge into",
                "请选择要并入的主件",
            )
        return {"into_case_id": master.case_id, "text": self.reason.toPlainText()}


class Open311ImportDialog(AsyncFormDialog):
    """Import a GeoReport v2 file: every record is reported (created, duplicate, rejected with
    its reason); good records are kept even when others are bad."""

    def __init__(self, perform: Perform, parent: QWidget | None = None) -> None:
        super().__init__(perform, parent)
        self.setObjectName("open311ImportDialog")
        self.setWindowTitle(self.tr("Import petitions (Open311 GeoReport v2)"))
        self.ok_button.setText(self.tr("Import"))
        self.setMinimumSize(980, 600)
        form = QFormLayout()
        pick = QWidget(self)
        row = QHBoxLayout(pick)
        row.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(pick)
        self.path.setObjectName("importPath")
        browse = QPushButton(self.tr("Choose file…"), pick)
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("JSON file"), pick)
        self.district = QComboBox(self)
        self.district.setObjectName("importDistrict")
        for d in District:
            self.district.addItem(labels.label(labels.DISTRICT, d.value), d.value)
        form.addRow(self.tr("District when a record has none"), self.district)
        self.include_closed = QCheckBox(self.tr("Also import records already closed"), self)
        self.include_closed.setObjectName("includeClosed")
        form.addRow("", self.include_closed)
        self.body.addLayout(form)
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.report = QTableWidget(0, 4, self)
        self.report.setObjectName("importReport")
        self.report.setHorizontalHeaderLabels(
            [self.tr("Record"), self.tr("Request id"), self.tr("Result"), self.tr("Details")]
        )
        self.report.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report.verticalHeader().setVisible(False)
        self.report.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.body.addWidget(self.report, 1)
        self.imported: Open311Result | None = None

    def _browse(self) -> None:
        choose_files(
            self,
            self.tr("Open311 file"),
            self._chosen,
            "",
            self.tr("JSON (*.json);;All files (*)"),
        )

    def _chosen(self, paths: list[Path]) -> None:
        if paths:
            self.path.setText(str(paths[0]))

    def values(self) -> dict[str, Any]:
        text = self.path.text().strip()
        if not text:
            raise ValidationError("path", "error.field_empty", "choose a file", "请选择文件")
        path = Path(text)
        try:
            payload = path.read_bytes()
        except OSError as exc:
            raise ValidationError(
                "path",
                "error.file_unreadable",
                f"cannot read {path}: {exc.strerror}",
                f"无法读取文件 {path}：{exc.strerror}",
            ) from None
        return {
            "payload": payload,
            "district": self.district.currentData(),
            "include_closed": self.include_closed.isChecked(),
        }

    @asyncSlot()
    async def submit(self) -> None:
        """Import, then stay open on the report: the officer reads it before closing."""
        if self.imported is not None:
            self.accept()
            return
        self.error.hide()
        self.ok_button.setEnabled(False)
        try:
            result = await self._perform(self.values())
        except Exception as exc:
            self.show_error(describe_error(exc))
            return
        finally:
            self.ok_button.setEnabled(True)
        self.show_report(result)

    def show_report(self, result: Open311Result) -> None:
        self.imported = self.result_value = result
        zh = current_language() == "zh"
        rows: list[tuple[str, str, str, str, bool]] = []
        for view in result.created:
            rid = str((view.case.details.get("open311") or {}).get("service_request_id", ""))
            rows.append(
                ("", rid, self.tr("Created"), f"{view.case.reference}  {view.case.title}", False)
            )
        for rid in result.already_present:
            rows.append(("", rid, self.tr("Already in the desk"), self.tr("skipped"), False))
        for rid in result.skipped_closed:
            rows.append(("", rid, self.tr("Closed on the platform"), self.tr("skipped"), False))
        for r in result.rejected:
            reason = f"{r.field}: {r.reason_zh if zh else r.reason_en}"
            rows.append(
                (str(r.index + 1), r.service_request_id or "—", self.tr("Rejected"), reason, True)
            )
        for rid, exc in result.failed.items():
            rows.append(("", rid, self.tr("Refused by the desk"), describe_error(exc), True))
        self.report.setRowCount(len(rows))
        for i, (index, rid, outcome, details, bad) in enumerate(rows):
            for col, text in enumerate((index, rid, ("⚠ " if bad else "✔ ") + outcome, details)):
                self.report.setItem(i, col, QTableWidgetItem(text))
        self.report.resizeColumnsToContents()
        self.summary.setText(
            self.tr("%1 created, %2 rejected, %3 already present, %4 closed skipped, %5 refused.")
            .replace("%1", str(len(result.created)))
            .replace("%2", str(len(result.rejected)))
            .replace("%3", str(len(result.already_present)))
            .replace("%4", str(len(result.skipped_closed)))
            .replace("%5", str(len(result.failed)))
        )
        self.ok_button.setText(self.tr("Close"))


class Open311ExportDialog(AsyncFormDialog):
    """Export petitions as GeoReport v2 JSON; masked unless a permitted role gives a reason."""

    def __init__(
        self,
        perform: Perform,
        count: int,
        can_unmask: bool,
        default_path: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("open311ExportDialog")
        self.setWindowTitle(self.tr("Export petitions (Open311 GeoReport v2)"))
        self.ok_button.setText(self.tr("Export"))
        _header(self, self.tr("%1 petitions will be exported.").replace("%1", str(count)))
        form = QFormLayout()
        pick = QWidget(self)
        row = QHBoxLayout(pick)
        row.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(str(default_path), pick)
        self.path.setObjectName("exportPath")
        browse = QPushButton(self.tr("Choose file…"), pick)
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Save to"), pick)
        self.unmasked = QCheckBox(
            self.tr("Include full phone and ID numbers (audited; reason required)"), self
        )
        self.unmasked.setObjectName("exportUnmasked")
        self.unmasked.setEnabled(can_unmask)
        if not can_unmask:
            self.unmasked.setToolTip(self.tr("Your role exports masked data only."))
        form.addRow("", self.unmasked)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("exportReason")
        self.reason.setEnabled(False)
        form.addRow(self.tr("Reason"), self.reason)
        self.unmasked.toggled.connect(self.reason.setEnabled)
        self.body.addLayout(form)

    def _browse(self) -> None:
        choose_files(
            self,
            self.tr("Open311 file"),
            self._chosen,
            self.path.text(),
            self.tr("JSON (*.json)"),
            mode=FileMode.SAVE,
            default_suffix="json",
        )

    def _chosen(self, paths: list[Path]) -> None:
        if paths:
            self.path.setText(str(paths[0]))

    def values(self) -> dict[str, Any]:
        text = self.path.text().strip()
        if not text:
            raise ValidationError("path", "error.field_empty", "choose a file", "请选择文件")
        return {
            "path": Path(text),
            "unmasked": self.unmasked.isChecked(),
            "text": self.reason.text(),
        }


def write_open311(path: Path, records: list[dict[str, Any]]) -> None:
    """Writes the export next to its final name first, so a full disk never leaves half a file
    where the platform expects a whole one."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.replace(path)
