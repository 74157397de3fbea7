"""Petition reminders on every workstation: two windows on one database (a real
SQLite file and a real PostgreSQL schema, ``db_url``), each with its own change feed. The
reminder one desk raises shows on the other's strip within the feed's latency (not at its
next minute tick), and leaves both strips when the deadlines are met on a third desk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.petitions import Channel, Decision
from tests.gui.conftest import PASSWORD, Session, open_desk, seed_users, start
from tests.gui.test_petition_ui import hotline_call, seed_petition
from ui.petitions.integration import REMINDER_INTERVAL_MS, PetitionIntegration
from ui.shell.screenshots import save


def workstation(
    sessions: Callable[..., Session], url: str, attachments: Path
) -> tuple[Session, PetitionIntegration]:
    s = sessions(url, "officer", change_feed=True)
    petitions = PetitionDesk.open(s.desk, attachments_dir=attachments)
    return s, s.workspace.install_petitions(petitions)


def settled(integ: PetitionIntegration, after: int) -> bool:
    """The workstation has re-read its lists since read ``after`` and has none pending."""
    return (
        integ.lists_shown > after
        and integ.lists_shown == integ._lists_reads
        and not integ._lists_timer.isActive()
    )


def strip_cases(integ: PetitionIntegration) -> list[int]:
    return [r.case_id for r in integ.strip.reminders]


def test_both_workstations_show_the_reminder_and_drop_it_when_the_deadlines_are_met(
    qtbot: QtBot,
    db_url: str,
    sessions: Callable[..., Session],
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    seed_users(db_url)
    att = tmp_path / "att"
    a_session, a = workstation(sessions, db_url, att)
    b_session, b = workstation(sessions, db_url, att)
    # Both have finished their start-up check (raise, then list) before anything is seeded.
    qtbot.waitUntil(lambda: settled(a, 0) and settled(b, 0), timeout=8000)
    assert strip_cases(a) == [] and strip_cases(b) == []

    # A letter received 13 days ago arrives from a third desk: its decision and notice fall
    # due within 3 days. Workstation A's minute tick raises the reminders …
    b_reads = b._lists_reads
    soon = seed_petition(
        db_url,
        att,
        hotline_call(
            received_at=datetime.now(UTC) - timedelta(days=13),
            channel=Channel.LETTER,
            enterprise_name=None,
            credit_code=None,
        ),
        contacted=True,
    )
    # B re-reads its lists on the new case's change events, before anything is raised.
    qtbot.waitUntil(lambda: settled(b, b_reads), timeout=8000)
    assert strip_cases(b) == []
    tick = start(a.refresh_reminders())
    qtbot.waitUntil(tick.done, timeout=8000)
    assert tick.exception() is None
    assert soon.case.id in strip_cases(a)
    # … and B, whose own tick is a minute away, lists them from its change feed.
    assert REMINDER_INTERVAL_MS >= 60_000
    qtbot.waitUntil(lambda: soon.case.id in strip_cases(b), timeout=8000)
    assert [r.key for r in a.strip.reminders] == [r.key for r in b.strip.reminders]
    keys = sorted(r.deadline_key for r in b.strip.reminders)
    assert keys == ["decision", "notice"]
    shown = [b.strip.reminder_list.item(i).text() for i in range(b.strip.reminder_list.count())]
    assert any(soon.case.reference in t and "受理/转送/交办决定" in t for t in shown)
    b_session.workspace.window.resize(1800, 1050)
    save(b.strip, artifacts_dir / "petition_reminders_second_workstation.png")

    # B's own tick raises nothing new: the reminder was raised once, by A.
    tick = start(b.refresh_reminders())
    qtbot.waitUntil(tick.done, timeout=8000)
    assert sorted(r.deadline_key for r in b.strip.reminders) == keys

    # The officer at A acknowledges the decision reminder: B shows who did, and when.
    row = [r.deadline_key for r in a.strip.reminders].index("decision")
    assert not a.strip.acknowledge_button.isEnabled()  # nothing selected yet
    a.strip.reminder_list.setCurrentRow(row)
    assert a.strip.acknowledge_button.isEnabled()
    qtbot.mouseClick(a.strip.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(r.acknowledged_by == "officer" for r in b.strip.reminders), timeout=8000
    )
    acked = next(r for r in b.strip.reminders if r.acknowledged_at is not None)
    assert acked.deadline_key == "decision"
    b_row = [r.deadline_key for r in b.strip.reminders].index("decision")
    assert "officer" in b.strip.reminder_list.item(b_row).text()
    b.strip.reminder_list.setCurrentRow(b_row)
    assert not b.strip.acknowledge_button.isEnabled()  # already acknowledged, by A
    qtbot.waitUntil(lambda: a.strip.selected_reminder() is not None, timeout=8000)
    assert not a.strip.acknowledge_button.isEnabled()
    save(b.strip, artifacts_dir / "petition_reminders_acknowledged.png")

    # A third desk records the decision and the notice: both strips drop the reminders.
    other = open_desk(db_url)
    try:
        other.login("officer", PASSWORD)
        p = PetitionDesk.open(other, attachments_dir=att)
        p.record_decision(soon.case.id, Decision.ACCEPT)
        qtbot.waitUntil(
            lambda: (
                [r.deadline_key for r in a.strip.reminders] == ["notice"]
                and [r.deadline_key for r in b.strip.reminders] == ["notice"]
            ),
            timeout=8000,
        )
        p.record_notice(soon.case.id)
    finally:
        other.close()
    qtbot.waitUntil(lambda: strip_cases(a) == [] and strip_cases(b) == [], timeout=8000)
    assert a_session.workspace.window.isVisible()
