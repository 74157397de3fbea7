"""File → Log out / switch user: the next officer logs in without restarting the desk. The old
workspace goes completely (tasks, timers, desk subscriptions); the live feed and the data
service keep running; the new workspace has the new officer's rights."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from dispatch_app.app import DataServiceLink, LaunchOptions, prepare
from dispatch_app.config import AppPaths, load_settings
from dispatch_app.domain.queue import QueueView
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.feed.poller import ConnectionState
from tests.feed.live_service import packet, registry, running_service, send
from tests.gui.conftest import PASSWORD, open_desk, seed_users, type_text
from tests.gui.test_closure_ui import _resolved_case
from ui.shell.application import Launcher
from ui.shell.desk_calls import DeskCalls
from ui.shell.i18n import install_translators
from ui.shell.login_dialogs import LoginDialog

AIR = [s for s in registry() if s.kind == "air_national"]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[EmbeddedDataService]:
    with running_service(tmp_path / "ds.db", tmp_path / "ds.log", restart=False) as svc:
        yield svc


def _log_in(qtbot: QtBot, launcher: Launcher, username: str) -> None:
    qtbot.waitUntil(
        lambda: isinstance(launcher.dialog, LoginDialog) and launcher.dialog.isVisible(),
        timeout=15000,
    )
    dialog = launcher.dialog
    assert isinstance(dialog, LoginDialog)
    type_text(dialog.username, username)
    type_text(dialog.password, PASSWORD)
    dialog.buttons.accepted.emit()


def _live_tasks() -> set[asyncio.Task[object]]:
    return {t for t in asyncio.all_tasks() if not t.done()}


def _feeds(task: asyncio.Task[object], poller: object) -> bool:
    """The live feed's own wait (its loops wait on its events through wait_for, which runs
    the wait as a task of its own): the feed's, not the workspace's."""
    coro = task.get_coro()
    frame = getattr(coro, "cr_frame", None)
    waiting_on = frame.f_locals.get("self") if frame is not None else None
    return any(waiting_on is getattr(poller, name, None) for name in ("_wake", "_dirty"))


def _settled(qtbot: QtBot, launcher: Launcher) -> None:
    ws = launcher.workspace
    assert ws is not None
    qtbot.waitUntil(lambda: launcher.calls.pending == 0, timeout=15000)
    qtbot.wait(700)  # the pending count's debounce, the parts' first reads
    qtbot.waitUntil(lambda: launcher.calls.pending == 0, timeout=15000)


def test_log_out_and_in_as_the_leader_without_restarting(
    qtbot: QtBot,
    qloop: QEventLoop,
    db_url: str,
    tmp_path: Path,
    service: EmbeddedDataService,
) -> None:
    seed_users(db_url)
    case = _resolved_case(db_url)
    d = open_desk(db_url)
    try:
        d.login("officer", PASSWORD)
        d.request_closure(case.id, "rectified", "已整改到位")
    finally:
        d.close()
    assert service.url is not None and service.status.hj212_port is not None
    port = service.status.hj212_port
    t0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=2)
    send(port, [packet(s, t0, 30.0) for s in AIR])

    paths = AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    options: LaunchOptions = prepare(
        ["--db", db_url, "--data-service", service.url, "--lang", "zh"], paths=paths
    )
    link = DataServiceLink(options)
    before_desk = _live_tasks()  # other tests' leftovers on the session loop are not ours
    launcher = Launcher(options, link, DeskCalls())
    started = asyncio.ensure_future(launcher.start())
    try:
        _log_in(qtbot, launcher, "officer")
        qtbot.waitUntil(started.done, timeout=15000)
        assert started.result() is True
        first = launcher.workspace
        assert first is not None
        qtbot.waitUntil(lambda: first.feed is not None, timeout=20000)
        poller = first.feed.poller
        qtbot.waitUntil(
            lambda: (
                poller.status.state is ConnectionState.CONNECTED
                and first.feed.view.model.rowCount() > 0
            ),
            timeout=20000,
        )
        desk = launcher.desk
        assert desk is not None
        _settled(qtbot, launcher)
        first.queue.set_view(QueueView.ALL)  # resolved cases need no action: the all view
        first.queue.status.setCurrentIndex(1)  # all statuses: the resolved case shows
        qtbot.waitUntil(lambda: first.queue.model.row_of(case.id) is not None, timeout=10000)
        first.queue.select_case(case.id)
        qtbot.waitUntil(lambda: first.detail is not None and first.detail.case.id == case.id)
        approve = first.window.actions_by_name["approve_close"]
        assert not approve.isEnabled()
        assert approve.toolTip() == "需要权限：办结事项（审批办结）（角色：带班领导及以上）"
        _settled(qtbot, launcher)

        # What the first workspace holds, to check nothing of it stays behind.
        subscribers = len(desk.events._subscribers)
        poller_subscribers = (
            len(poller._state_subs),
            len(poller._stations_subs),
            len(poller._obs_subs),
        )
        old_window = first.window
        old_timers = old_window.findChildren(QTimer) + first.findChildren(QTimer)
        assert any(t.isActive() for t in old_timers)  # the parts' timers run
        old_tasks = _live_tasks() - before_desk
        live_before = len({t for t in old_tasks if not _feeds(t, poller)})
        feed_tasks = {t for t in old_tasks if t.get_name() in ("feed-poll", "feed-flush")}
        assert len(feed_tasks) == 2
        cursor = poller.cursor

        # A task of the workspace still running at the logout (a slow read, a dialog's wait).
        held = first.spawn(asyncio.sleep(3600))

        # File → Log out / switch user.
        first.window.actions_by_name["logout"].trigger()
        _log_in(qtbot, launcher, "leader")
        qtbot.waitUntil(
            lambda: launcher.workspace is not None and launcher.workspace is not first,
            timeout=15000,
        )
        second = launcher.workspace
        assert second is not None
        assert desk.current_user is not None and desk.current_user.username == "leader"
        assert "李带班" in second.window.status.user.text()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

        # The old workspace is gone: window deleted, timers dead, tasks finished.
        assert not shiboken6.isValid(old_window)
        assert all(not shiboken6.isValid(t) or not t.isActive() for t in old_timers)
        leftover = {t for t in old_tasks - feed_tasks if not t.done() and not _feeds(t, poller)}
        assert leftover == set(), leftover
        assert held.cancelled()
        # The same feed, still running, wired to the new window; the service not restarted.
        qtbot.waitUntil(lambda: second.feed is not None, timeout=10000)
        assert launcher.link is link and second.feed.poller is poller
        assert all(not t.done() for t in feed_tasks)
        assert poller.cursor >= cursor
        assert second.feed.view.model.rowCount() == len(registry())  # at once, no reload
        _settled(qtbot, launcher)
        # No subscription doubled: the new workspace holds what the old one held.
        assert len(desk.events._subscribers) == subscribers
        assert (
            len(poller._state_subs),
            len(poller._stations_subs),
            len(poller._obs_subs),
        ) == poller_subscribers
        assert len({t for t in _live_tasks() - before_desk if not _feeds(t, poller)}) <= live_before
        # Live data still arrives, in the new window.
        send(port, [packet(AIR[0], t0 + timedelta(minutes=1), 81.0)])
        row = second.feed.view.model.row_of(AIR[0].id)
        assert row is not None
        qtbot.waitUntil(
            lambda: any(
                "81" in str(second.feed.view.model.index(row, c).data() or "")
                for c in range(second.feed.view.model.columnCount())
            ),
            timeout=20000,
        )

        # The leader's rights: the pending request is theirs to approve.
        pending = second.window.actions_by_name["pending_closures"]
        qtbot.waitUntil(lambda: pending.text() == "待我审批 (1)", timeout=10000)
        pending.trigger()
        qtbot.waitUntil(
            lambda: second.detail is not None and second.detail.case.id == case.id,
            timeout=10000,
        )
        approve = second.window.actions_by_name["approve_close"]
        qtbot.waitUntil(approve.isEnabled, timeout=5000)
        approve.trigger()  # F12
        qtbot.waitUntil(
            lambda: second.detail is not None and second.detail.case.status == "closed",
            timeout=10000,
        )
        _settled(qtbot, launcher)
    finally:
        ws = launcher.workspace
        if ws is not None:
            ws.window.close()
            qtbot.waitUntil(
                lambda: launcher._stop_task is not None and launcher._stop_task.done(),
                timeout=15000,
            )
        elif launcher.desk is not None:
            launcher.desk.close()
        if launcher.dialog is not None:
            launcher.dialog.close()
        launcher.calls.shutdown()
    assert poller.running is False  # quitting stops the feed


def test_view_language_rebuilds_the_window_for_the_same_officer(
    qtbot: QtBot,
    qloop: QEventLoop,
    db_url: str,
    tmp_path: Path,
    service: EmbeddedDataService,
) -> None:
    seed_users(db_url)
    case = _resolved_case(db_url)
    assert service.url is not None
    paths = AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    options: LaunchOptions = prepare(
        ["--db", db_url, "--data-service", service.url, "--lang", "zh"], paths=paths
    )
    launcher = Launcher(options, DataServiceLink(options), DeskCalls())
    started = asyncio.ensure_future(launcher.start())
    try:
        _log_in(qtbot, launcher, "officer")
        qtbot.waitUntil(started.done, timeout=15000)
        first = launcher.workspace
        assert first is not None
        qtbot.waitUntil(lambda: first.feed is not None, timeout=20000)
        _settled(qtbot, launcher)
        assert first.window.menu_file.title() == "文件(&F)"
        first.queue.set_view(QueueView.ALL)
        first.queue.status.setCurrentIndex(1)
        qtbot.waitUntil(lambda: first.queue.model.row_of(case.id) is not None, timeout=10000)
        first.queue.select_case(case.id)
        qtbot.waitUntil(lambda: first.detail is not None and first.detail.case.id == case.id)
        chinese = first.window.actions_by_name["language_zh"]
        assert chinese.isChecked()
        old_window = first.window

        first.window.actions_by_name["language_en"].trigger()
        qtbot.waitUntil(
            lambda: launcher.workspace is not None and launcher.workspace is not first,
            timeout=15000,
        )
        second = launcher.workspace
        assert second is not None
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(old_window)
        # English everywhere, Qt's own buttons included; the same officer, no login asked.
        assert second.window.menu_file.title() == "&File"
        assert second.window.actions_by_name["language_en"].isChecked()
        assert launcher.desk is not None and launcher.desk.current_user is not None
        assert launcher.desk.current_user.username == "officer"
        assert launcher.dialog is None
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
        # The case the officer was on is on screen again; the live feed feeds the new window.
        qtbot.waitUntil(
            lambda: second.detail is not None and second.detail.case.id == case.id,
            timeout=10000,
        )
        qtbot.waitUntil(lambda: second.feed is not None, timeout=10000)
        # Kept for the next start.
        assert load_settings(paths.settings_file).settings.language == "en"
        _settled(qtbot, launcher)
    finally:
        ws = launcher.workspace
        if ws is not None:
            ws.window.close()
            qtbot.waitUntil(
                lambda: launcher._stop_task is not None and launcher._stop_task.done(),
                timeout=15000,
            )
        elif launcher.desk is not None:
            launcher.desk.close()
        if launcher.dialog is not None:
            launcher.dialog.close()
        launcher.calls.shutdown()
        install_translators(QApplication.instance(), "zh")  # type: ignore[arg-type]
