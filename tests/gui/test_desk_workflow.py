"""Working cases through the desk window as an officer would: clicking buttons, typing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dispatch_app.desk.views import CaseView
from tests.gui.conftest import (
    PASSWORD,
    Session,
    open_desk,
    run,
    seed_cases,
    seed_users,
    settle,
    type_text,
    wait_dialog,
)
from ui.action_dialogs import DispatchDialog, TextActionDialog


def _select(qtbot: QtBot, s: Session, case_id: int) -> None:
    assert s.workspace.queue.select_case(case_id)
    qtbot.waitUntil(
        lambda: s.workspace.detail is not None and s.workspace.detail.case.id == case_id,
        timeout=5000,
    )


def _status(url: str, case_id: int) -> CaseView:
    d = open_desk(url)
    try:
        d.login("admin", PASSWORD)
        return d.get_case(case_id)
    finally:
        d.close()


def test_whole_workflow_by_clicking(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    (case_id,) = seed_cases(db_url, 1)
    leader = sessions(db_url, "leader")
    ws = leader.workspace
    _select(qtbot, leader, case_id)

    # Triage: a plain button, no dialog.
    qtbot.mouseClick(ws.details.buttons["triage"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "triaged")

    # Dispatch: the branch of the case's district is preselected.
    assert ws.detail is not None
    qtbot.mouseClick(ws.details.buttons["dispatch"], Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, ws, DispatchDialog)
    assert dialog.selected_unit_id() == f"branch-{ws.detail.case.district}"
    type_text(dialog.note, "请立即赶赴现场核查")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "dispatched")
    assert ws.detail is not None and ws.detail.case.unit_id == f"branch-{ws.detail.case.district}"

    for action, status in (
        ("acknowledge", "acknowledged"),
        ("arrive", "on_scene"),
        ("resolve", "resolved"),
    ):
        qtbot.waitUntil(lambda a=action: ws.details.buttons[a].isVisible())
        qtbot.mouseClick(ws.details.buttons[action], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda st=status: ws.detail is not None and ws.detail.case.status == st)

    # Close needs a closure code and a note: refused without, text kept; then done.
    qtbot.mouseClick(ws.details.buttons["close"], Qt.MouseButton.LeftButton)
    close = wait_dialog(qtbot, ws, TextActionDialog)
    type_text(close.text, "企业已停产整改，现场复查达标")
    qtbot.mouseClick(close.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(close.error.isVisible)
    assert "结案方式" in close.error.text()
    assert close.text.toPlainText() == "企业已停产整改，现场复查达标"
    assert close.isVisible()
    assert close.closure is not None
    close.closure.setCurrentIndex(close.closure.findData("rectified"))
    close.text.clear()
    qtbot.mouseClick(close.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "办结说明" in close.error.text())
    type_text(close.text, "企业已停产整改，现场复查达标")
    qtbot.mouseClick(close.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "closed")
    qtbot.waitUntil(lambda: ws.active_dialog is None)

    stored = _status(db_url, case_id)
    assert stored.status == "closed" and stored.closure_code == "rectified"
    # Every step is on the timeline, in the panel.
    texts = [ws.details.timeline.item(i).text() for i in range(ws.details.timeline.count())]
    assert len(texts) == 7  # created + 6 transitions
    assert "请立即赶赴现场核查" in "\n".join(texts)

    # Reopen needs a reason and a shift leader (this is one).
    qtbot.mouseClick(ws.details.buttons["reopen"], Qt.MouseButton.LeftButton)
    reopen = wait_dialog(qtbot, ws, TextActionDialog)
    qtbot.mouseClick(reopen.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reopen.error.isVisible)
    type_text(reopen.text, "群众再次投诉，气味复现")
    qtbot.mouseClick(reopen.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "triaged")
    settle(qtbot, ws)


def test_duty_officer_cannot_close_or_reopen_and_viewer_cannot_act(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    (case_id,) = seed_cases(db_url, 1)
    officer = sessions(db_url, "officer")
    _select(qtbot, officer, case_id)
    ws = officer.workspace
    visible = {a for a, b in ws.details.buttons.items() if b.isVisible()}
    assert visible == {"triage", "dispatch", "cancel", "note"}
    assert not ws.window.actions_by_name["close"].isEnabled()
    assert not ws.window.actions_by_name["reopen"].isEnabled()
    assert not ws.window.menu_admin.menuAction().isVisible()

    viewer = sessions(db_url, "viewer")
    _select(qtbot, viewer, case_id)
    vws = viewer.workspace
    assert not any(b.isVisible() for b in vws.details.buttons.values())
    for name in ("new_case", "triage", "dispatch", "acknowledge", "note", "bulk_assign"):
        assert not vws.window.actions_by_name[name].isEnabled(), name
    # Even a shortcut that reaches the desk is refused with a clear reason, nothing written.
    run(qtbot, vws.perform_action("triage"))
    assert "无权" in vws.details.message.text()
    assert _status(db_url, case_id).status == "new"
