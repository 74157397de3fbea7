"""Closure by role in the window, as the officers meet it: the duty officer's grey 办结 says
who closes and what to do instead; they request closure; the shift leader at another
workstation sees the request arrive, approves it with one key or refuses it with a reason,
and the officer sees the answer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from dispatch_app.desk.views import CaseView
from dispatch_app.domain.queue import QueueView
from tests.gui.conftest import (
    PASSWORD,
    Session,
    open_desk,
    seed_users,
    settle,
    type_text,
    wait_dialog,
)
from ui.cases.action_dialogs import TextActionDialog
from ui.cases.queue_model import COL

CLOSE_TIP = "办结需带班领导审批；您可以申请办结"


def _resolved_case(url: str) -> CaseView:
    d = open_desk(url)
    try:
        d.login("officer", PASSWORD)
        from tests.gui.conftest import draft

        case = d.create_case(draft(title="武进区某电镀厂雨水排口超标"))
        d.dispatch(case.id, "branch-wujin")
        d.acknowledge(case.id)
        return d.resolve(case.id, note="已责令整改")
    finally:
        d.close()


def _select(qtbot: QtBot, s: Session, case_id: int) -> None:
    ws = s.workspace
    qtbot.waitUntil(lambda: ws.queue.model.row_of(case_id) is not None, timeout=10000)
    assert ws.queue.select_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case_id, timeout=10000)


def _press(qtbot: QtBot, s: Session, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    """A key at this workstation's window (made the active one: two windows are open)."""
    window = s.workspace.window
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(s.workspace.queue.table, key, modifier)


def _show_all(qtbot: QtBot, s: Session) -> None:
    """The queue's "all" view with the status filter on "all statuses" (resolved cases are
    neither "open" nor in the default needs-action view)."""
    ws = s.workspace
    ws.queue.set_view(QueueView.ALL)
    ws.queue.status.setCurrentIndex(1)
    settle(qtbot, ws)


def _disabled_entries_say_why(s: Session) -> list[str]:
    """Every grey entry of the Case, Queue and File menus and of the toolbar has a tooltip and
    a status tip of its own; returns the names checked."""
    w = s.workspace.window
    checked = []
    menus = (w.menu_case, w.menu_queue, w.menu_file)
    entries: list[QAction] = [a for m in menus for a in m.actions() if not a.isSeparator()]
    entries += [a for a in w.toolbar.actions() if not a.isSeparator()]
    for action in entries:
        if action.isEnabled():
            continue
        name = action.objectName()
        assert action.toolTip() and action.toolTip() != action.text().replace("&", ""), name
        assert action.statusTip() == action.toolTip(), name
        checked.append(name)
    return checked


def test_officer_close_is_grey_and_says_why_then_the_request_goes_through(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    case = _resolved_case(db_url)
    officer = sessions(db_url, "officer", change_feed=True)
    leader = sessions(db_url, "leader", change_feed=True)
    ows, lws = officer.workspace, leader.workspace
    _show_all(qtbot, officer)
    _show_all(qtbot, leader)

    # Nothing selected: each case action says so.
    ows.queue.table.clearSelection()
    ows.queue.table.setCurrentIndex(ows.queue.model.index(-1, -1))
    qtbot.waitUntil(lambda: ows.detail is None)
    assert ows.window.actions_by_name["close"].toolTip() == "未选择事项"
    assert "action_close" in _disabled_entries_say_why(officer)

    _select(qtbot, officer, case.id)
    close = ows.window.actions_by_name["close"]
    assert not close.isEnabled()
    assert close.toolTip() == CLOSE_TIP and close.statusTip() == CLOSE_TIP
    # The toolbar's button shows the same reason.
    button = ows.window.toolbar.widgetForAction(close)
    assert isinstance(button, QToolButton) and not button.isEnabled()
    assert button.toolTip() == CLOSE_TIP
    # The case panel shows 办结 grey with the same words, and the way forward enabled.
    panel_close = ows.details.buttons["close"]
    assert panel_close.isVisible() and not panel_close.isEnabled()
    assert panel_close.toolTip() == CLOSE_TIP and panel_close.statusTip() == CLOSE_TIP
    reopen = ows.details.buttons["reopen"]
    assert not reopen.isEnabled()
    assert reopen.toolTip() == "需要权限：重新打开事项（角色：带班领导及以上）"
    assert ows.details.buttons["request_close"].isEnabled()
    assert not ows.details.buttons["approve_close"].isVisible()
    checked = _disabled_entries_say_why(officer)
    assert {"action_close", "action_reopen", "action_approve_close"} <= set(checked)
    ows.window.grab().save(str(_artifact("closure_officer_close_disabled.png")))

    # Request closure (Shift+F8): the outcome and the closing note.
    _press(qtbot, officer, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    dialog = wait_dialog(qtbot, ows, TextActionDialog)
    assert dialog.closure is not None
    assert dialog.width() <= 1280 and dialog.height() <= 720
    type_text(dialog.text, "企业已完成整改，现场复查达标")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible)
    assert "结案方式" in dialog.error.text()  # the outcome is required; the text is kept
    assert dialog.text.toPlainText() == "企业已完成整改，现场复查达标"
    dialog.closure.setCurrentIndex(dialog.closure.findData("rectified"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ows.detail is not None and ows.detail.case.closure_pending)
    qtbot.waitUntil(lambda: ows.active_dialog is None)
    assert ows.details.closure_request.isVisible()
    assert "待审批" in ows.details.closure_request.text()
    assert "企业已完成整改" in ows.details.closure_request.text()
    assert ows.details.buttons["request_close"].toolTip() == "该事项已申请办结，正等待带班领导审批"
    row = ows.queue.model.row_of(case.id)
    assert row is not None
    assert ows.queue.model.index(row, COL["status"]).data() == "◷ 待审批办结"

    # The leader's workstation: the request arrives live, with its count on the toolbar.
    pending = lws.window.actions_by_name["pending_closures"]
    qtbot.waitUntil(lambda: pending.text() == "待我审批 (1)", timeout=10000)
    lrow = lws.queue.model.row_of(case.id)
    qtbot.waitUntil(
        lambda: (
            "待审批办结"
            in (lws.queue.model.index(lws.queue.model.row_of(case.id) or 0, COL["status"]).data())
        ),
        timeout=10000,
    )
    del lrow
    # The filter lists exactly the pending requests.
    pending.trigger()
    qtbot.waitUntil(lambda: lws.queue.model.query().closure_pending, timeout=5000)
    settle(qtbot, lws)
    assert lws.queue.model.rowCount() == 1 and lws.queue.model.case_id(0) == case.id
    qtbot.waitUntil(lambda: lws.detail is not None and lws.detail.case.id == case.id, timeout=5000)
    qtbot.waitUntil(lambda: lws.window.actions_by_name["approve_close"].isEnabled())
    assert not lws.window.actions_by_name["close"].isEnabled()
    assert (
        lws.window.actions_by_name["close"].toolTip()
        == "该事项有待审批的办结申请，请先批准或退回，再办结"
    )
    assert lws.details.closure_request.isVisible()
    lws.window.grab().save(str(_artifact("closure_leader_pending.png")))

    # One key: F12 approves, closing with the officer's code and note.
    _press(qtbot, leader, Qt.Key.Key_F12, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(
        lambda: lws.detail is not None and lws.detail.case.status == "closed", timeout=10000
    )
    assert lws.active_dialog is None  # no dialog on the way
    assert lws.detail is not None and lws.detail.case.closure_code == "rectified"
    last = lws.details.timeline.item(lws.details.timeline.count() - 1).text()
    assert "企业已完成整改，现场复查达标" in last and "officer" in last
    qtbot.waitUntil(lambda: pending.text() == "待我审批 (0)", timeout=10000)
    # The officer's workstation hears of it.
    qtbot.waitUntil(lambda: "已批准" in ows.window.status.activity.text(), timeout=10000)
    qtbot.waitUntil(
        lambda: ows.detail is not None and ows.detail.case.status == "closed", timeout=10000
    )
    settle(qtbot, ows)
    settle(qtbot, lws)


def test_leader_refuses_with_a_reason_that_reaches_the_officer(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    case = _resolved_case(db_url)
    d = open_desk(db_url)
    try:
        d.login("officer", PASSWORD)
        d.request_closure(case.id, "no_violation", "未发现违法行为")
    finally:
        d.close()
    officer = sessions(db_url, "officer", change_feed=True)
    leader = sessions(db_url, "leader", change_feed=True)
    ows, lws = officer.workspace, leader.workspace
    _show_all(qtbot, officer)
    _show_all(qtbot, leader)
    _select(qtbot, officer, case.id)
    _select(qtbot, leader, case.id)
    qtbot.waitUntil(lambda: lws.window.actions_by_name["refuse_close"].isEnabled())
    _press(qtbot, leader, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)
    dialog = wait_dialog(qtbot, lws, TextActionDialog)
    assert dialog.closure is None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible)  # a refusal needs its reason
    type_text(dialog.text, "缺少复查监测报告，请补充")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: lws.detail is not None and not lws.detail.case.closure_pending, timeout=10000
    )
    assert lws.detail is not None and lws.detail.case.status == "resolved"
    # Back at the officer's workstation: the reason in the status bar and in the case.
    qtbot.waitUntil(lambda: "缺少复查监测报告" in ows.window.status.activity.text(), timeout=10000)
    qtbot.waitUntil(lambda: "缺少复查监测报告" in ows.details.closure_request.text(), timeout=10000)
    assert "退回" in ows.details.closure_request.text()
    assert ows.details.buttons["request_close"].isEnabled()  # they may correct and ask again
    ows.window.grab().save(str(_artifact("closure_officer_refused.png")))
    settle(qtbot, ows)
    settle(qtbot, lws)


def _artifact(name: str) -> object:
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "artifacts"
    path.mkdir(exist_ok=True)
    return path / name


def test_every_grey_entry_of_the_window_says_why(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    """With every part installed (petitions, emergencies, alarms), each grey menu or toolbar
    entry has a reason of its own as tooltip and status tip, for each role."""
    seed_users(sqlite_url)
    case = _resolved_case(sqlite_url)
    for user in ("viewer", "officer", "leader"):
        s = sessions(sqlite_url, user)
        ws = s.workspace
        parts = s.session.open_parts()
        assert parts.problems == []
        ws.install_parts(parts)
        settle(qtbot, ws)
        for selected in (False, True):
            if selected:
                _show_all(qtbot, s)
                _select(qtbot, s, case.id)
                settle(qtbot, ws)
            grey = [a for a in ws.window.actions_by_name.values() if not a.isEnabled()]
            assert grey, user
            for action in grey:
                name = f"{user}: {action.objectName()}"
                tip = action.toolTip()
                assert tip and tip != action.text().replace("&", "").rstrip("…"), name
                assert tip != action.text().replace("&", ""), name
                assert action.statusTip() == tip, name
            for name, button in ws.details.buttons.items():
                if button.isVisible() and not button.isEnabled():
                    assert button.toolTip() and button.statusTip() == button.toolTip(), name
        if user == "officer":
            rules = ws.window.actions_by_name["alarm_rules"]
            assert rules.toolTip() == "需要权限：管理报警规则（角色：管理员及以上）"
