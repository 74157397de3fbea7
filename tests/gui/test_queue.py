"""The queue: keyboard, search, saved filters, bulk assign, live updates from another
workstation, and a conflict between two workstations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from dispatch_app.desk import QueueView
from dispatch_app.desk.petitions import PetitionDesk
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.petition_deadlines import DeadlineState
from dispatch_app.standards.center_time import CENTER_TZ
from tests.gui.conftest import (
    PASSWORD,
    Session,
    draft,
    open_desk,
    run,
    seed_cases,
    seed_users,
    settle,
    type_text,
    wait_dialog,
)
from ui.cases.action_dialogs import ConflictDialog, DispatchDialog, TextActionDialog
from ui.cases.queue_model import COL, Countdown, UrgencyRole
from ui.shell.theme import palette


def _other_desk(url: str, username: str = "officer"):  # type: ignore[no-untyped-def]
    d = open_desk(url)
    d.login(username, PASSWORD)
    return d


def test_keyboard_navigation_and_slash_search(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    ids = seed_cases(sqlite_url, 12)
    s = sessions(sqlite_url)
    ws = s.workspace
    table = ws.queue.table
    model = ws.queue.model
    assert model.rowCount() == 12
    table.setFocus()
    qtbot.waitUntil(lambda: ws.queue.current_case_id() is not None)
    assert table.currentIndex().row() == 0
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 2
    expected = model.case_id(2)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == expected)

    # Enter opens the case: the details dock shows it and takes the keyboard.
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.details.isAncestorOf(QApplication.focusWidget()))

    # "/" jumps to the search box from anywhere in the window.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Slash)
    assert QApplication.focusWidget() is ws.queue.search
    target = _other_desk(sqlite_url).get_case(ids[7])
    type_text(ws.queue.search, target.reference)
    qtbot.keyClick(ws.queue.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.case_id(0) == target.id)
    assert QApplication.focusWidget() is table  # Enter in the search returns to the list
    # Search over titles too (Chinese text).
    ws.queue.search.clear()
    type_text(ws.queue.search, "事项 00")
    qtbot.keyClick(ws.queue.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.rowCount() == 10)


def test_saved_filter_round_trip(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    seed_cases(db_url, 16)  # 4 of each kind
    s = sessions(db_url)
    ws = s.workspace
    queue = ws.queue
    queue.kind.setCurrentIndex(queue.kind.findData("violation"))
    qtbot.waitUntil(lambda: queue.model.rowCount() == 4)

    ws.window.actions_by_name["save_filter"].trigger()
    dialog = wait_dialog(qtbot, ws, QInputDialog)
    dialog.setTextValue("违法案件")
    dialog.accept()
    qtbot.waitUntil(lambda: queue.saved.findText("违法案件") > 0)

    queue.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 16)
    index = queue.saved.findText("违法案件")
    queue.saved.setCurrentIndex(index)
    queue.saved.activated.emit(index)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 4)
    assert queue.kind.currentData() == "violation"
    assert all(queue.model.row_data(r).kind == "violation" for r in range(4))  # type: ignore[union-attr]

    # The filter belongs to the officer, in the database: another workstation sees it.
    other = sessions(db_url)
    assert other.workspace.queue.saved.findText("违法案件") > 0


def test_bulk_assign_dispatches_every_selected_case(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    ids = seed_cases(db_url, 6)
    s = sessions(db_url)
    ws = s.workspace
    table = ws.queue.table
    selection = table.selectionModel()
    for row in (0, 2, 3):
        selection.select(
            ws.queue.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    chosen = ws.queue.selected_case_ids()
    assert len(chosen) == 3
    ws.update_action_state()
    ws.window.actions_by_name["bulk_assign"].trigger()
    dialog = wait_dialog(qtbot, ws, DispatchDialog)
    dialog.select_unit("branch-xinbei")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    settle(qtbot, ws)
    check = _other_desk(db_url)
    try:
        for case_id in ids:
            case = check.get_case(case_id)
            if case_id in chosen:
                assert (case.status, case.unit_id) == ("dispatched", "branch-xinbei")
            else:
                assert case.status == "new"
        xinbei = next(u for u in check.units() if u.unit.id == "branch-xinbei")
        assert xinbei.open_load == 3
    finally:
        check.close()
    # The rows show it without a reload.
    rows = [ws.queue.model.row_of(cid) for cid in chosen]
    assert all(
        ws.queue.model.data(ws.queue.model.index(r, COL["status"])) == "已派发"
        for r in rows
        if r is not None
    )


def test_live_update_from_another_workstation_changes_one_row_and_keeps_selection(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    seed_cases(db_url, 60)
    s = sessions(db_url, change_feed=True)
    ws = s.workspace
    model = ws.queue.model
    table = ws.queue.table
    table.resize(1200, 300)
    ws.queue.select_row(20)
    table.scrollTo(model.index(20, 0))
    selected_id = ws.queue.current_case_id()
    scroll = table.verticalScrollBar().value()
    assert scroll > 0
    target_row = 22
    target_id = model.case_id(target_row)
    assert target_id is not None and selected_id is not None
    resets: list[int] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    changed_rows: list[int] = []
    model.dataChanged.connect(
        lambda a, b, roles=(): (
            changed_rows.extend(range(a.row(), b.row() + 1)) if b.row() - a.row() < 5 else None
        )
    )

    other = _other_desk(db_url)
    try:
        other.triage(target_id, note="另一席位研判")
    finally:
        other.close()
    qtbot.waitUntil(
        lambda: model.data(model.index(model.row_of(target_id) or 0, COL["status"])) == "已研判",
        timeout=10000,
    )
    assert target_row in changed_rows
    assert resets == []
    assert ws.queue.current_case_id() == selected_id
    assert table.verticalScrollBar().value() == scroll
    assert "另一席位" in ws.window.status.activity.text()

    # A case created elsewhere appears without a reset, and the selection stays on its case.
    other = _other_desk(db_url)
    try:
        new = other.create_case(draft(CaseKind.EMERGENCY, title="新增突发事件", priority="P1"))
    finally:
        other.close()
    qtbot.waitUntil(lambda: model.rowCount() == 61, timeout=10000)
    qtbot.waitUntil(lambda: model.row_of(new.id) is not None, timeout=10000)
    assert resets == []
    assert ws.queue.current_case_id() == selected_id


def test_conflict_shows_both_versions_and_keeps_your_text(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    (case_id,) = seed_cases(db_url, 1)
    mine = sessions(db_url, "leader")  # no change feed: my window still shows version 1
    ws = mine.workspace
    assert ws.queue.select_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case_id)
    assert ws.detail is not None and ws.detail.case.version == 1

    other = _other_desk(db_url, "officer")
    try:
        other.dispatch(case_id, "branch-jintan", note="金坛分局处理")
    finally:
        other.close()

    qtbot.mouseClick(ws.details.buttons["cancel"], Qt.MouseButton.LeftButton)
    reason_dialog = wait_dialog(qtbot, ws, TextActionDialog)
    my_text = "经核实为重复举报，撤销"
    type_text(reason_dialog.text, my_text)
    qtbot.mouseClick(reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    conflict = wait_dialog(qtbot, ws, ConflictDialog)
    their_text = " ".join(label.text() for label in conflict.their_labels)
    assert "已派发" in their_text and "officer" in their_text
    assert "2" in conflict.findChild(object, "theirVersion").title()  # type: ignore[union-attr]
    assert conflict.text() == my_text
    qtbot.mouseClick(conflict.reapply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "cancelled")
    check = _other_desk(db_url)
    try:
        detail = check.case_detail(case_id)
    finally:
        check.close()
    assert detail.case.status == "cancelled"
    assert detail.timeline[-1].text == my_text
    run(qtbot, ws.queue.model.refresh())


def test_long_queue_shows_first_page_then_count_then_pages_on_scroll(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    from dispatch_app.demo import bulk_seed

    seed_users(sqlite_url)
    d = open_desk(sqlite_url)
    try:
        bulk_seed(d.store, d.rules, 1500)
    finally:
        d.close()
    s = sessions(sqlite_url)
    model = s.workspace.queue.model
    from dispatch_app.desk import QueueQuery

    run(qtbot, model.set_query(QueueQuery()))
    qtbot.waitUntil(lambda: model.is_counted, timeout=10000)
    assert model.rowCount() == 1500
    assert s.workspace.queue.count_label.text() == "共 1,500 件"
    assert model.loaded_rows() == 200  # one page, not the whole queue
    table = s.workspace.queue.table
    # The view lays out the inserted rows on its next turn; then the scroll bar is 1500 long.
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 1000)
    table.scrollTo(model.index(1499, 0))
    qtbot.waitUntil(lambda: model.case_id(1499) is not None, timeout=10000)
    assert model.loaded_rows() <= 200 * 12


# ---- petitions' statutory countdown in the queue ---------------------------------------------


def test_petition_rows_show_statutory_deadline_amber_and_red(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    from tests.gui.test_petition_ui import hotline_call, seed_petition

    seed_users(db_url)
    (quality_id,) = seed_cases(db_url, 1)
    now = datetime.now(UTC)
    # Taken in by another workstation: a fresh hotline call (the call-back is due within one
    # working day: amber), one ten days old with no call-back (red), and one contacted (the
    # next statutory deadline is weeks away: no colour of alarm).
    fresh = seed_petition(db_url, tmp_path, hotline_call(received_at=now - timedelta(hours=1)))
    late = seed_petition(db_url, tmp_path, hotline_call(received_at=now - timedelta(days=10)))
    calm = seed_petition(db_url, tmp_path, contacted=True)

    s = sessions(db_url, "officer")
    model = s.workspace.queue.model
    # The ten-day-old petition is backlog: all open cases show every colour at once.
    s.workspace.queue.set_view(QueueView.ALL)
    qtbot.waitUntil(lambda: model.query().view is QueueView.ALL)
    for case_id in (fresh.case.id, late.case.id, calm.case.id, quality_id):
        assert model.row_of(case_id) is not None
    # Before the petitions part is installed, a petition shows the desk's generic countdown.
    row = model.row_of(fresh.case.id)
    assert row is not None
    generic = model.data(model.index(row, COL["countdown"]))
    petitions = PetitionDesk.open(s.desk, attachments_dir=tmp_path / "att")
    s.workspace.install_petitions(petitions)

    expected = petitions.queue_deadlines([fresh.case.id, late.case.id, calm.case.id])
    states = {
        fresh.case.id: expected[fresh.case.id].state,  # type: ignore[union-attr]
        late.case.id: expected[late.case.id].state,  # type: ignore[union-attr]
        calm.case.id: expected[calm.case.id].state,  # type: ignore[union-attr]
    }
    assert states[fresh.case.id] in (DeadlineState.DUE_1D, DeadlineState.DUE_3D)
    assert states[late.case.id] is DeadlineState.OVERDUE
    assert states[calm.case.id] is DeadlineState.RUNNING

    def cell(case_id: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
        r = model.row_of(case_id)
        assert r is not None
        return model.data(model.index(r, COL["countdown"]), role)

    for case_id in states:
        label = expected[case_id].deadline.label_zh  # type: ignore[union-attr]
        qtbot.waitUntil(lambda c=case_id, lab=label: lab in cell(c), timeout=5000)
        due = expected[case_id].deadline.due_at.astimezone(CENTER_TZ)  # type: ignore[union-attr]
        tip = cell(case_id, Qt.ItemDataRole.ToolTipRole)
        assert label in tip and due.strftime("%Y-%m-%d %H:%M") in tip
    assert cell(fresh.case.id) != generic

    colours = palette()
    assert cell(fresh.case.id, Qt.ItemDataRole.BackgroundRole).color() == colours.at_risk_bg
    assert cell(late.case.id, Qt.ItemDataRole.BackgroundRole).color() == colours.overdue_bg
    assert cell(late.case.id).startswith("⚠")
    assert cell(calm.case.id, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(calm.case.id, Qt.ItemDataRole.ForegroundRole).color() == colours.on_time_fg
    assert model.data(model.index(model.row_of(late.case.id), 0), UrgencyRole) == "overdue"  # type: ignore[arg-type]
    # Other kinds keep the desk's own deadline (no petition label).
    quality_text = cell(quality_id)
    assert all(
        e.deadline.label_zh not in quality_text  # type: ignore[union-attr]
        for e in expected.values()
    )
    settle(qtbot, s.workspace)


def test_countdown_provider_failure_keeps_the_generic_countdown(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    ids = seed_cases(sqlite_url, 4)  # one of each kind; the petition is the fourth
    s = sessions(sqlite_url)
    model = s.workspace.queue.model
    petition_id = ids[3]
    row = model.row_of(petition_id)
    assert row is not None
    before = model.data(model.index(row, COL["countdown"]))
    asked: list[list[int]] = []

    async def broken(case_ids: list[int]) -> dict[int, Any]:
        asked.append(case_ids)
        raise RuntimeError("database gone")

    model.set_countdown_provider("petition", broken)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [[petition_id]]  # only that kind's ids of the loaded page
    qtbot.wait(50)
    assert model.data(model.index(row, COL["countdown"])) == before

    async def odd(case_ids: list[int]) -> dict[int, Any]:
        return {
            i: Countdown(label="奇怪", due_at=datetime.now(UTC), state="purple") for i in case_ids
        }

    model.set_countdown_provider("petition", odd)
    qtbot.wait(100)
    # An unknown state is not guessed at: the desk's countdown stays.
    assert "奇怪" not in model.data(model.index(row, COL["countdown"]))
    settle(qtbot, s.workspace)
