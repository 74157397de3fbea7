"""Start-up as an officer meets it: first start, login, lockout, a bad settings file, the
saved dock layout."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from dispatch_app.app import LaunchOptions, prepare
from dispatch_app.config import AppPaths
from tests.gui.conftest import PASSWORD, Session, seed_users, type_text
from ui.shell.application import Launcher
from ui.shell.desk_calls import DeskCalls
from ui.shell.login_dialogs import FirstAdministratorDialog, LoginDialog
from ui.shell.theme import apply_theme


def _options(tmp_path: Path, url: str) -> LaunchOptions:
    paths = AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    return prepare(["--db", url], paths=paths)


@pytest.fixture
def launchers(qtbot: QtBot, qloop: QEventLoop) -> Iterator[Callable[[LaunchOptions], Launcher]]:
    made: list[Launcher] = []

    def make(options: LaunchOptions) -> Launcher:
        launcher = Launcher(options, None, DeskCalls())
        made.append(launcher)
        return launcher

    yield make
    for launcher in made:
        if launcher.workspace is not None:
            launcher.workspace.window.close()
            qtbot.waitUntil(
                lambda lch=launcher: lch._stop_task is not None and lch._stop_task.done()
            )
        elif launcher.desk is not None:
            launcher.desk.close()
        if launcher.dialog is not None:
            launcher.dialog.close()
        launcher.calls.shutdown()


def _wait_for_dialog(qtbot: QtBot, launcher: Launcher, cls: type) -> object:
    qtbot.waitUntil(
        lambda: isinstance(launcher.dialog, cls) and launcher.dialog.isVisible(), timeout=10000
    )
    return launcher.dialog


def test_first_start_creates_the_administrator_then_login_is_asked(
    qtbot: QtBot, db_url: str, tmp_path: Path, launchers: Callable[[LaunchOptions], Launcher]
) -> None:
    options = _options(tmp_path, db_url)
    first = launchers(options)
    started = asyncio.ensure_future(first.start())
    dialog = _wait_for_dialog(qtbot, first, FirstAdministratorDialog)
    assert isinstance(dialog, FirstAdministratorDialog)
    type_text(dialog.username, "admin")
    type_text(dialog.display_name, "值班管理员")
    type_text(dialog.password, PASSWORD)
    type_text(dialog.confirm, PASSWORD + "x")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible)
    assert "不一致" in dialog.error.text()
    dialog.confirm.clear()
    type_text(dialog.confirm, PASSWORD)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(started.done, timeout=15000)
    assert started.result() is True
    assert first.workspace is not None and first.workspace.window.isVisible()
    assert first.desk is not None and first.desk.current_user is not None
    assert first.desk.current_user.role == "administrator"
    assert "值班管理员" in first.workspace.window.status.user.text()
    assert first.workspace.window.menu_admin.menuAction().isVisible()

    # The next start on the same database asks for a login instead.
    second = launchers(options)
    started2 = asyncio.ensure_future(second.start())
    login = _wait_for_dialog(qtbot, second, LoginDialog)
    assert isinstance(login, LoginDialog)
    type_text(login.username, "admin")
    type_text(login.password, PASSWORD)
    login.buttons.accepted.emit()
    qtbot.waitUntil(started2.done, timeout=15000)
    assert second.workspace is not None


def test_wrong_password_shows_an_error_and_repeated_failures_lock(
    qtbot: QtBot, db_url: str, tmp_path: Path, launchers: Callable[[LaunchOptions], Launcher]
) -> None:
    seed_users(db_url)
    launcher = launchers(_options(tmp_path, db_url))
    started = asyncio.ensure_future(launcher.start())
    login = _wait_for_dialog(qtbot, launcher, LoginDialog)
    assert isinstance(login, LoginDialog)
    type_text(login.username, "officer")
    for attempt in range(5):
        type_text(login.password, f"wrong-{attempt}")
        login.buttons.accepted.emit()
        qtbot.waitUntil(lambda: login.error.isVisible() and login.buttons.isEnabled())
        if attempt < 4:
            assert login.error.text() == "用户名或密码错误"
            # The user name stays; only the password is cleared for the next try.
            assert login.username.text() == "officer" and login.password.text() == ""
            login.error.hide()
    assert "锁定" in login.error.text()
    # Even the right password is refused while locked.
    login.error.hide()
    type_text(login.password, PASSWORD)
    login.buttons.accepted.emit()
    qtbot.waitUntil(login.error.isVisible)
    assert "锁定" in login.error.text()
    assert not started.done()
    login.reject()
    qtbot.waitUntil(started.done)
    assert started.result() is False


def test_bad_database_url_gives_a_clear_message(
    qtbot: QtBot, tmp_path: Path, launchers: Callable[[LaunchOptions], Launcher]
) -> None:
    # A directory where the SQLite file should be: the database cannot be opened.
    where = tmp_path / "is-a-directory.db"
    where.mkdir()
    launcher = launchers(_options(tmp_path, f"sqlite:///{where}"))
    started = asyncio.ensure_future(launcher.start())
    qtbot.waitUntil(started.done, timeout=15000)
    assert started.result() is False
    assert launcher.dialog is not None and launcher.dialog.objectName() == "startupError"
    text = launcher.dialog.text()  # type: ignore[attr-defined]
    assert "无法打开数据库" in text and str(where) in text


def test_corrupt_settings_file_is_reported_in_the_window(
    qtbot: QtBot, sqlite_url: str, tmp_path: Path, launchers: Callable[[LaunchOptions], Launcher]
) -> None:
    seed_users(sqlite_url)
    settings = tmp_path / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"theme": "dark", "language": ', encoding="utf-8")
    options = _options(tmp_path, sqlite_url)
    assert options.settings_problem is not None
    assert (tmp_path / "config" / "settings.json.bad").exists()
    launcher = launchers(options)
    started = asyncio.ensure_future(launcher.start())
    login = _wait_for_dialog(qtbot, launcher, LoginDialog)
    assert isinstance(login, LoginDialog)
    type_text(login.username, "officer")
    type_text(login.password, PASSWORD)
    login.buttons.accepted.emit()
    qtbot.waitUntil(started.done, timeout=15000)
    assert launcher.workspace is not None
    assert "settings.json.bad" in launcher.workspace.window.status.activity.text()


def test_dock_layout_is_restored_at_next_start(
    qtbot: QtBot, sqlite_url: str, tmp_path: Path, sessions: Callable[..., Session]
) -> None:
    seed_users(sqlite_url)
    layout = tmp_path / "layout.ini"
    first = sessions(sqlite_url, "officer")
    first.workspace.window._layout_file = layout
    window = first.workspace.window
    dock = window.docks["case"]
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.toolbar.hide()
    window.close()
    assert layout.exists()

    second = sessions(sqlite_url, "officer")
    window2 = second.workspace.window
    window2._layout_file = layout
    assert window2.restore_layout()
    assert window2.dockWidgetArea(window2.docks["case"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window2.toolbar.isHidden()


def test_theme_and_text_size_are_kept_for_the_next_start(
    qtbot: QtBot, sqlite_url: str, tmp_path: Path, launchers: Callable[[LaunchOptions], Launcher]
) -> None:
    seed_users(sqlite_url)
    options = _options(tmp_path, sqlite_url)
    assert (options.theme, options.font_pt) == ("dark", 13)
    launcher = launchers(options)
    started = asyncio.ensure_future(launcher.start())
    login = _wait_for_dialog(qtbot, launcher, LoginDialog)
    assert isinstance(login, LoginDialog)
    type_text(login.username, "officer")
    type_text(login.password, PASSWORD)
    login.buttons.accepted.emit()
    qtbot.waitUntil(started.done, timeout=15000)
    ws = launcher.workspace
    assert ws is not None
    try:
        ws.window.actions_by_name["theme_light"].trigger()
        qtbot.keyClick(ws.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(ws.window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.font().pointSize() == 15
        assert "#f6f8fa" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
        again = _options(tmp_path, sqlite_url)
        assert (again.theme, again.font_pt) == ("light", 15)
    finally:
        apply_theme(QApplication.instance(), "dark", 13)  # type: ignore[arg-type]
