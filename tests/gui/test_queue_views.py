"""The queue's first screen shows what needs action now: the cases the alarms just opened on top,
the long-overdue backlog counted on its own tab and one click away; the counts follow changes
made on another workstation; the selected case's countdown ticks with the queue row."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dispatch_app.desk import QueueView
from dispatch_app.domain.cases import Priority
from dispatch_app.resources import resources_dir
from tests.desk.conftest import Clock
from tests.desk.test_queue_views import open_alarm_cases
from tests.gui.conftest import PASSWORD, Session, draft, open_desk, seed_users, settle
from ui.cases.queue_model import COL
from ui.shell.screenshots import save

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()


def seed_the_morning(url: str, tmp_path: Path) -> dict[str, list[int]]:
    """Six cases overdue by twelve days, and five the alarms opened five minutes ago."""
    now = datetime.now(UTC)
    clock = Clock(now - timedelta(days=13))
    d = open_desk(url)
    d.clock = clock
    try:
        d.login("officer", PASSWORD)
        backlog = [
            d.create_case(draft(title=f"积压事项 {i}", priority=Priority.P1)).id for i in range(6)
        ]
        clock.now = now - timedelta(minutes=5)
        alarm = open_alarm_cases(d, clock, tmp_path, RESOURCES)
    finally:
        d.close()
    return {"backlog": backlog, "alarm": sorted(alarm)}


def shown_ids(s: Session) -> list[int]:
    model = s.workspace.queue.model
    return [model.case_id(r) for r in range(model.rowCount())]  # type: ignore[misc]


def tab_texts(s: Session) -> list[str]:
    views = s.workspace.queue.views
    return [views.tabText(i) for i in range(views.count())]


def test_needs_action_first_backlog_counted_and_reachable(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    seed_users(db_url)
    seeded = seed_the_morning(db_url, tmp_path)
    s = sessions(db_url)
    queue = s.workspace.queue
    assert queue.current_view() is QueueView.NEEDS_ACTION  # the default view
    assert shown_ids(s) == seeded["alarm"]
    assert not set(seeded["backlog"]) & set(shown_ids(s))
    qtbot.waitUntil(lambda: tab_texts(s) == ["需处置 (5)", "积压 (6)", "全部在办 (11)"])
    model = queue.model
    assert "剩余" in model.data(model.index(0, COL["countdown"]))  # 55 minutes left, not overdue
    save(s.workspace.window, ARTIFACTS / "queue_needs_action.png")

    # The backlog is one click away, most overdue first.
    views = queue.views
    qtbot.mouseClick(views, Qt.MouseButton.LeftButton, pos=views.tabRect(1).center())
    qtbot.waitUntil(lambda: shown_ids(s) == seeded["backlog"])
    assert queue.count_label.text() == "共 6 件"
    # And back with the keyboard.
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: shown_ids(s) == seeded["alarm"])
    qtbot.keyClick(queue.table, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(shown_ids(s)) == 11)
    assert shown_ids(s)[:6] == seeded["backlog"]  # all open cases, most urgent first


def test_counts_follow_changes_from_another_workstation(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    seed_users(db_url)
    seeded = seed_the_morning(db_url, tmp_path)
    s = sessions(db_url, change_feed=True)
    qtbot.waitUntil(lambda: tab_texts(s) == ["需处置 (5)", "积压 (6)", "全部在办 (11)"])
    other = open_desk(db_url)
    try:
        other.login("leader", PASSWORD)
        created = other.create_case(draft(title="另一席位新建", priority=Priority.P2))
        other.cancel(seeded["backlog"][0], "已由上级督办，撤销")
    finally:
        other.close()
    qtbot.waitUntil(
        lambda: tab_texts(s) == ["需处置 (6)", "积压 (5)", "全部在办 (11)"], timeout=10000
    )
    qtbot.waitUntil(lambda: created.id in shown_ids(s), timeout=10000)


def test_case_panel_countdown_ticks_with_the_queue_row(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    seed_users(sqlite_url)
    seed_the_morning(sqlite_url, tmp_path)
    s = sessions(sqlite_url)
    ws = s.workspace
    model = ws.queue.model
    ws.queue.select_row(0)
    case_id = model.case_id(0)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case_id)
    settle(qtbot, ws)

    def clock_text(text: str) -> str:
        found = re.search(r"\d+:\d\d:\d\d", text)
        assert found, text
        return found.group(0)

    before = clock_text(ws.details.deadline.text())
    assert before == clock_text(model.data(model.index(0, COL["countdown"])))
    qtbot.wait(1100)
    # It ticks (a loaded machine may deliver the second's timer a little late).
    qtbot.waitUntil(lambda: clock_text(ws.details.deadline.text()) != before, timeout=3000)
    # One clock: the panel shows what the queue row shows, second for second.
    for _ in range(3):
        qtbot.wait(350)
        row_text = model.data(model.index(0, COL["countdown"]))
        assert clock_text(ws.details.deadline.text()) == clock_text(row_text)
