"""Bad conditions an officer meets: a locked database, an unknown unit, an illegal action, a
note; and the administrator's user management. Each gets a clear message; nothing is lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import (
    PASSWORD,
    Session,
    open_desk,
    seed_cases,
    seed_users,
    start,
    type_text,
    wait_dialog,
)
from ui.cases.action_dialogs import TextActionDialog
from ui.cases.case_form import CaseFormDialog
from ui.shell.user_admin import UserAdminDialog


@contextmanager
def locked(url: str) -> Iterator[None]:
    """Another program holds the SQLite file's write lock."""
    path = Path(url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path, isolation_level=None, timeout=1)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_locked_database_keeps_the_form_and_says_why(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url, busy_timeout_s=0.2)
    ws = s.workspace
    qtbot.keyClick(ws.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = wait_dialog(qtbot, ws, CaseFormDialog)
    type_text(form.title_edit, "锁库时录入的事项")
    type_text(form.description, "这段描述不能丢")
    form.district.setCurrentIndex(form.district.findData("tianning"))
    with locked(sqlite_url):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(form.form_error.isVisible, timeout=10000)
    assert "锁" in form.form_error.text() or "忙" in form.form_error.text()
    assert form.isVisible()
    assert form.title_edit.text() == "锁库时录入的事项"
    assert form.description.toPlainText() == "这段描述不能丢"
    # The lock is gone: the same click saves it.
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.active_dialog is None, timeout=10000)
    qtbot.waitUntil(lambda: ws.queue.model.rowCount() == 1)


def test_locked_database_on_a_transition_is_reported_on_the_case(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    (case_id,) = seed_cases(sqlite_url, 1)
    s = sessions(sqlite_url, busy_timeout_s=0.2)
    ws = s.workspace
    assert ws.queue.select_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case_id)
    with locked(sqlite_url):
        qtbot.mouseClick(ws.details.buttons["triage"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(ws.details.message.isVisible, timeout=10000)
    assert ws.detail is not None and ws.detail.case.status == "new"
    assert ws.details.message.text()
    qtbot.mouseClick(ws.details.buttons["triage"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.status == "triaged")


def test_note_is_added_and_empty_note_refused(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    (case_id,) = seed_cases(db_url, 1)
    s = sessions(db_url)
    ws = s.workspace
    assert ws.queue.select_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case_id)
    qtbot.keyClick(ws.window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    note = wait_dialog(qtbot, ws, TextActionDialog)
    qtbot.mouseClick(note.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(note.error.isVisible)
    assert "不能为空" in note.error.text()
    type_text(note.text, "已电话联系举报人，约定明早复查")
    qtbot.mouseClick(note.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.active_dialog is None)
    qtbot.waitUntil(
        lambda: "约定明早复查" in ws.details.timeline.item(ws.details.timeline.count() - 1).text()
    )


def test_an_action_the_case_does_not_allow_is_refused_with_its_reason(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    (case_id,) = seed_cases(sqlite_url, 1)
    s = sessions(sqlite_url, "leader")
    ws = s.workspace
    assert ws.queue.select_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None)
    # The case is new: the panel offers no "resolve" and the menu entry is grey with its reason.
    # Reached anyway (its shortcut, a script), the desk says why where the officer looks, asks
    # for no outcome that could not be saved, and sends nothing.
    assert not ws.details.buttons["resolve"].isVisible()
    menu_entry = ws.window.actions_by_name["resolve"]
    assert not menu_entry.isEnabled() and menu_entry.toolTip()
    task = start(ws.perform_action("resolve"))
    qtbot.waitUntil(task.done)
    assert task.result() is None
    assert ws.active_dialog is None
    assert ws.details.message.isVisible()
    assert (
        ws.details.message.text() and ws.details.message.text() in ws.window.status.activity.text()
    )
    other = open_desk(sqlite_url)
    try:
        other.login("admin", PASSWORD)
        assert other.get_case(case_id).status == "new"
    finally:
        other.close()


def test_administrator_manages_users(
    qtbot: QtBot, db_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(db_url)
    s = sessions(db_url, "admin")
    ws = s.workspace
    assert ws.window.menu_admin.menuAction().isVisible()
    ws.window.actions_by_name["users"].trigger()
    dialog = wait_dialog(qtbot, ws, UserAdminDialog)
    assert dialog.table.rowCount() == 4
    # A bad user name is refused with the reason; the fields are kept.
    type_text(dialog.new_username, "张 三")
    type_text(dialog.new_name, "张三")
    type_text(dialog.new_password, PASSWORD)
    dialog.add_user()
    qtbot.waitUntil(lambda: "用户名" in dialog.message.text())
    assert dialog.new_name.text() == "张三"
    dialog.new_username.clear()
    type_text(dialog.new_username, "zhangsan")
    dialog.add_user()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 5)
    row = next(r for r in range(5) if dialog.table.item(r, 0).text() == "zhangsan")
    dialog.table.selectRow(row)
    dialog.role_choice.setCurrentIndex(dialog.role_choice.findData("shift_leader"))
    dialog.set_role()
    qtbot.waitUntil(lambda: dialog.message.text() == "角色已修改。")
    check = open_desk(db_url)
    try:
        check.login("zhangsan", PASSWORD)
        assert check.current_user is not None and check.current_user.role == "shift_leader"
    finally:
        check.close()
    # The last administrator cannot demote themself.
    row = next(r for r in range(5) if dialog.table.item(r, 0).text() == "admin")
    dialog.table.selectRow(row)
    dialog.role_choice.setCurrentIndex(dialog.role_choice.findData("viewer"))
    dialog.set_role()
    qtbot.waitUntil(lambda: "最后一个管理员" in dialog.message.text())
    dialog.reject()


def test_interrupted_live_updates_are_shown_with_since_when(
    qtbot: QtBot, sqlite_url: str, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url)
    status = s.workspace.window.status
    assert "▲" not in status.database.text()
    s.desk.start_change_feed(poll_interval_s=0.1)
    feed = s.desk._feed
    assert feed is not None
    feed.error = "database unreachable"  # what the feed records when its poll fails
    s.workspace.check_change_feed()
    assert "▲" in status.database.text() and "自" in status.database.text()
    assert status.database.toolTip() == "database unreachable"
    feed.error = None
    s.workspace.check_change_feed()
    assert "▲" not in status.database.text()
