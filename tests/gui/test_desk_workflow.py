"""Working cases through the desk window as an officer would: clicking buttons, typing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dispatch_app.desk.views import CaseView
from dispatch_app.store import case_records
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
from ui.cases.action_dialogs import ConflictDialog, DispatchDialog, TextActionDialog
from ui.cases.case_form import CaseEditDialog


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
    ):
        qtbot.waitUntil(lambda a=action: ws.details.buttons[a].isVisible())
        qtbot.mouseClick(ws.details.buttons[action], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda st=status: ws.detail is not None and ws.detail.case.status == st)

    # Resolved asks for the outcome (refused without one) and the timeline records it.
    qtbot.waitUntil(lambda: ws.details.buttons["resolve"].isVisible())
    qtbot.mouseClick(ws.details.buttons["resolve"], Qt.MouseButton.LeftButton)
    resolve = wait_dialog(qtbot, ws, TextActionDialog)
    qtbot.mouseClick(resolve.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(resolve.error.isVisible)
    assert "处置结果" in resolve.error.text()
    assert _status(db_url, case_id).status == "on_scene"
    type_text(resolve.text, "已责令停产，废水截流")
    qtbot.mouseClick(resolve.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "resolved")
    qtbot.waitUntil(lambda: ws.active_dialog is None)

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
    resolved = next(t for t in texts if "已到场 → 已处置" in t)
    assert "已责令停产，废水截流" in resolved  # the outcome, on the resolve entry

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
    assert visible == {"triage", "dispatch", "cancel", "note", "edit"}
    assert not ws.window.actions_by_name["close"].isEnabled()
    assert not ws.window.actions_by_name["reopen"].isEnabled()
    assert not ws.window.menu_admin.menuAction().isVisible()

    viewer = sessions(db_url, "viewer")
    _select(qtbot, viewer, case_id)
    vws = viewer.workspace
    # A viewer sees the case's actions grey, each saying which permission and role it needs.
    shown = {a: b for a, b in vws.details.buttons.items() if b.isVisible()}
    assert set(shown) == {"triage", "dispatch", "cancel", "note", "edit"}
    for name, button in shown.items():
        assert not button.isEnabled(), name
        assert button.toolTip() == "需要权限：办理事项（角色：值班员及以上）", name
    for name in ("new_case", "triage", "dispatch", "acknowledge", "note", "bulk_assign"):
        assert not vws.window.actions_by_name[name].isEnabled(), name
    # Even a call that reaches the desk is refused with a clear reason, nothing written.
    run(qtbot, vws.perform_action("triage"))
    assert "需要权限：办理事项" in vws.details.message.text()
    assert _status(db_url, case_id).status == "new"


# ---- editing a case -------------------------------------------------------------------------


def _open_edit(qtbot: QtBot, s: Session) -> CaseEditDialog:
    """Case → Edit… through its shortcut, as the officer does it."""
    ws = s.workspace
    qtbot.waitUntil(lambda: ws.window.actions_by_name["edit"].isEnabled())
    ws.window.actions_by_name["edit"].trigger()
    return wait_dialog(qtbot, ws, CaseEditDialog)


def test_edit_menu_entry_shortcuts_and_who_may_edit(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    open_id, closed_id = seed_cases(db_url, 2)
    officer = sessions(db_url, "officer", change_feed=True)
    ws = officer.workspace
    action = ws.window.actions_by_name["edit"]
    assert action in ws.window.menu_case.actions()
    keys = {k.toString() for k in action.shortcuts()}
    assert keys == {"F4", "Ctrl+E"}
    assert action.shortcut().toString() == "F4"  # the one the menu shows
    _select(qtbot, officer, open_id)
    qtbot.waitUntil(action.isEnabled)
    # The same from the case's own buttons, for the mouse.
    qtbot.mouseClick(ws.details.buttons["edit"], Qt.MouseButton.LeftButton)
    wait_dialog(qtbot, ws, CaseEditDialog).reject()
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    _select(qtbot, officer, closed_id)
    qtbot.waitUntil(action.isEnabled)
    # Cancelled on another workstation while shown here: the entry goes grey.
    d = open_desk(db_url)
    try:
        d.login("leader", PASSWORD)
        d.cancel(closed_id, "重复举报")
    finally:
        d.close()
    qtbot.waitUntil(lambda: not action.isEnabled(), timeout=10000)
    assert not ws.details.buttons["edit"].isVisible()
    # Even reached directly, a cancelled case opens no editor.
    assert run(qtbot, ws.edit_case()) is None
    assert ws.active_dialog is None

    viewer = sessions(db_url, "viewer")
    _select(qtbot, viewer, open_id)
    assert not viewer.workspace.window.actions_by_name["edit"].isEnabled()


def test_edit_uses_the_form_checks_and_saves_only_what_changed(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    ids = seed_cases(db_url, 2)  # the second is a violation (kinds cycle)
    violation_id = ids[1]
    officer = sessions(db_url, "officer")
    ws = officer.workspace
    _select(qtbot, officer, violation_id)
    dialog = _open_edit(qtbot, officer)
    assert dialog.current_kind() == "violation" and not dialog.kind.isEnabled()
    assert dialog.rows["credit_code"].isVisible()
    before = _status(db_url, violation_id)
    assert dialog.title_edit.text() == before.title
    assert dialog.credit_code.text() == before.credit_code

    # The create form's live check: a wrong check character is marked while typing.
    dialog.credit_code.setText(
        before.credit_code[:-1] + ("0" if before.credit_code[-1] != "0" else "1")
    )
    assert dialog.rows["credit_code"].error.isVisible()
    dialog.title_edit.setText("")
    type_text(dialog.title_edit, "新北区某企业超标排放（已核实）")
    dialog.lon.setText("200")
    dialog.lat.setText("31.7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.rows["lon"].error.isVisible)
    assert dialog.isVisible()
    dialog.lon.setText("")
    dialog.lat.setText("")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.rows["credit_code"].error.isVisible)
    assert dialog.title_edit.text() == "新北区某企业超标排放（已核实）"
    assert _status(db_url, violation_id).version == before.version  # nothing written
    dialog.credit_code.setText(before.credit_code)
    dialog.priority.setCurrentIndex(dialog.priority.findData("P1"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.version == before.version + 1)
    after = _status(db_url, violation_id)
    assert after.title == "新北区某企业超标排放（已核实）" and after.priority == "P1"
    assert after.lon is None and after.credit_code == before.credit_code
    assert after.description == before.description
    row = ws.queue.model.row_of(violation_id)
    assert row is not None and ws.queue.model.row_data(row).title == after.title  # type: ignore[union-attr]
    settle(qtbot, ws)


def test_stale_edit_shows_conflict_keeps_text_and_reapplies(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    (case_id,) = seed_cases(db_url, 1)
    first = sessions(db_url, "officer")  # no change feed: still shows version 1
    second = sessions(db_url, "leader")
    _select(qtbot, first, case_id)
    _select(qtbot, second, case_id)

    mine = _open_edit(qtbot, first)
    my_title = "武进区湖塘镇河道发黑（第一席位补充）"
    my_description = "现场核实：排口位于湖塘镇某路桥下，水色发黑有异味"
    mine.title_edit.setText("")
    type_text(mine.title_edit, my_title)
    mine.description.setPlainText("")
    type_text(mine.description, my_description)

    # Meanwhile the second desk edits the same case (the address and the priority).
    theirs = _open_edit(qtbot, second)
    theirs.address.setText("武进区湖塘镇长沟路")
    theirs.priority.setCurrentIndex(theirs.priority.findData("P1"))
    qtbot.mouseClick(theirs.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.workspace.active_dialog is None)
    assert _status(db_url, case_id).version == 2

    qtbot.mouseClick(mine.save_button, Qt.MouseButton.LeftButton)
    conflict = wait_dialog(qtbot, first.workspace, ConflictDialog)
    their_text = " ".join(label.text() for label in conflict.their_labels)
    assert "leader" in their_text and "P1" in their_text
    assert "2" in conflict.findChild(object, "theirVersion").title()  # type: ignore[union-attr]
    assert my_title in conflict.text() and my_description in conflict.text()
    # The form behind keeps every typed character.
    assert mine.isVisible()
    assert mine.title_edit.text() == my_title
    assert mine.description.toPlainText() == my_description
    qtbot.mouseClick(conflict.reapply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.workspace.active_dialog is None)
    stored = _status(db_url, case_id)
    assert stored.version == 3
    assert stored.title == my_title and stored.description == my_description
    # Their change to other fields stays: only my changed fields were written.
    assert stored.address == "武进区湖塘镇长沟路" and stored.priority == "P1"
    qtbot.waitUntil(
        lambda: first.workspace.detail is not None and first.workspace.detail.case.version == 3
    )
    settle(qtbot, first.workspace)
    settle(qtbot, second.workspace)


def test_stale_edit_dropped_keeps_theirs(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    (case_id,) = seed_cases(db_url, 1)
    first = sessions(db_url, "officer")
    _select(qtbot, first, case_id)
    mine = _open_edit(qtbot, first)
    mine.title_edit.setText("我的标题")
    d = open_desk(db_url)
    try:
        d.login("leader", PASSWORD)
        d.edit_case(case_id, 1, {"title": "他们的标题"})
    finally:
        d.close()
    qtbot.mouseClick(mine.save_button, Qt.MouseButton.LeftButton)
    conflict = wait_dialog(qtbot, first.workspace, ConflictDialog)
    qtbot.mouseClick(conflict.drop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.workspace.active_dialog is None)
    assert _status(db_url, case_id).title == "他们的标题"
    qtbot.waitUntil(
        lambda: (
            first.workspace.detail is not None and first.workspace.detail.case.title == "他们的标题"
        )
    )
    settle(qtbot, first.workspace)


def test_edit_never_writes_a_petitions_masked_numbers_back(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session], tmp_path: Path
) -> None:
    from tests.gui.test_petition_ui import PHONE, hotline_call, seed_petition

    seed_users(db_url)
    text = f"回电号码{PHONE}，夜间气味明显"
    view = seed_petition(db_url, tmp_path, hotline_call(description=text))
    officer = sessions(db_url, "officer")
    _select(qtbot, officer, view.case.id)
    dialog = _open_edit(qtbot, officer)
    assert PHONE not in dialog.description.toPlainText()  # the view is masked
    assert "description" in dialog.locked_fields
    assert dialog.description.isReadOnly()
    assert dialog.rows["description"].error.isVisible()  # says why
    assert not dialog.address.isReadOnly()  # the address holds no number: editable
    # Even if the masked text were changed programmatically, it is refused by field.
    dialog.description.setReadOnly(False)
    dialog.description.setPlainText(dialog.description.toPlainText() + "（补充）")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "脱敏" in dialog.rows["description"].error.text())
    dialog.description.setPlainText(view.case.description)
    dialog.priority.setCurrentIndex(dialog.priority.findData("P1"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: officer.workspace.active_dialog is None)
    d = open_desk(db_url)
    try:
        with d.store.read() as conn:
            stored = case_records.get_case(conn, view.case.id)
    finally:
        d.close()
    assert stored["priority"] == "P1"
    assert PHONE in stored["description"]  # the full number is still there
    settle(qtbot, officer.workspace)
