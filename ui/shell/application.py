"""The Qt bootstrap: QApplication, one asyncio loop on Qt's loop (qasync), translators, theme,
first start or login, then the main window; File → Log out / switch user hands the desk to the
next officer without restarting it.

Everything that may block (opening and upgrading the database, hashing a password, seeding the
demo, starting the embedded data service) runs off the UI thread; the window paints and answers
while it happens.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from dispatch_app.app import DataServiceLink, LaunchOptions
from dispatch_app.config import describe_database, save_settings
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.views import UserView
from dispatch_app.session import DeskSession
from ui.shell.desk_calls import DeskCalls
from ui.shell.errors import describe_error
from ui.shell.event_loop import DeskEventLoop
from ui.shell.i18n import install_translators
from ui.shell.inspection import install_inspection
from ui.shell.login_dialogs import FirstAdministratorDialog, LoginDialog
from ui.shell.quitting import STEP_BUDGET_S, UnwaitedExecutor, close_open_dialogs, within
from ui.shell.theme import apply_theme
from ui.shell.workspace import Workspace

log = logging.getLogger(__name__)


def make_application(options: LaunchOptions) -> QApplication:
    if options.screenshot_dir is not None:
        # Screenshots render offscreen: no window flashes on the officer's screen, and it
        # works on a build machine without a display.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("dispatch-desk")
    app.setOrganizationName("changzhou-eeb")
    install_translators(app, options.language)
    apply_theme(app, options.theme, options.font_pt)
    return app


async def wait_for(dialog: QDialog) -> int:
    """Shows a dialog and waits for it without a nested event loop (qasync-friendly)."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    return await future


def _demo_module() -> ModuleType | None:
    """The demo's seeding and accounts; None in a build without them."""
    try:
        from dispatch_app import demo
    except ImportError:
        return None
    return demo


class _Notices(QObject):
    """Carries the session's problems (heard on any thread) to the UI thread."""

    said = Signal(str)


class Launcher(QObject):
    """Runs the start-up sequence; tests drive it step by step through ``dialog``."""

    finished = Signal(int)
    ready = Signal()

    def __init__(
        self,
        options: LaunchOptions,
        link: DataServiceLink | None = None,
        calls: DeskCalls | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self.link = link
        self.calls = calls or DeskCalls()
        # The application's parts live in the session, not in one officer's window: the live
        # feed keeps running across a change of user (the data service is never restarted).
        self.session = DeskSession.from_options(options, link)
        self._notices = _Notices(self)
        self._notices.said.connect(self._say, Qt.ConnectionType.QueuedConnection)
        self.session.subscribe_problems(self._notices.said.emit)
        self.dialog: QDialog | None = None
        self.workspace: Workspace | None = None
        self.exit_code = 0
        self._stopping = False
        self._switching = False
        self._background: asyncio.Future[None] | None = None
        self._stop_task: asyncio.Future[None] | None = None
        self._logout_task: asyncio.Future[None] | None = None

    @property
    def desk(self) -> Desk | None:
        """The session's desk, once the database is open."""
        return self.session.desk if self.session.is_open else None

    def _say(self, text: str) -> None:
        if self.workspace is not None:
            self.workspace.say(text, error=True)

    def _fail(self, title: str, text: str) -> None:
        log.error("%s: %s", title, text)
        box = QMessageBox(QMessageBox.Icon.Critical, title, text)
        box.setObjectName("startupError")
        self.dialog = box
        box.finished.connect(lambda _r: self.finished.emit(1))
        box.open()

    async def start(self) -> bool:
        """Open the database, log in, show the window. False when start-up stopped."""
        try:
            desk = await self.calls.call(self.session.open)
        except Exception as exc:
            self._fail(
                self.tr("The desk cannot start"),
                self.tr("The database %1 cannot be opened:\n%2")
                .replace("%1", describe_database(self.options.database_url))
                .replace("%2", describe_error(exc)),
            )
            return False
        if self.options.demo:
            if not await self._start_demo(desk):
                return False
        elif await self.calls.call(desk.needs_first_administrator):

            async def create(username: str, name: str, password: str) -> UserView:
                return await self.calls.call(
                    desk.create_first_administrator, username, name, password
                )

            self.dialog = FirstAdministratorDialog(create)
            if await wait_for(self.dialog) != QDialog.DialogCode.Accepted:
                self.finished.emit(0)
                return False
        elif not await self._log_in():
            self.finished.emit(0)
            return False
        self.dialog = None
        await self.show_workspace()
        return True

    async def _log_in(self) -> bool:
        """The login dialog; True once someone is logged in."""
        desk = self.desk
        assert desk is not None

        async def authenticate(username: str, password: str) -> UserView:
            return await self.calls.call(desk.login, username, password)

        self.dialog = LoginDialog(authenticate, hint=self._demo_accounts())
        return await wait_for(self.dialog) == QDialog.DialogCode.Accepted

    def _demo_accounts(self) -> str:
        """In the demo, the login dialog lists its accounts (README has them too)."""
        demo = _demo_module() if self.options.demo else None
        if demo is None:
            return ""
        users: tuple[tuple[str, str, str], ...] = demo.DEMO_USERS
        from ui.shell import labels

        names = "   ".join(
            f"{name}（{labels.label(labels.ROLE, role)}）" for name, _, role in users
        )
        return (
            self.tr("Demo accounts, password %1:").replace("%1", str(demo.DEMO_PASSWORD))
            + "\n"
            + names
        )

    async def _start_demo(self, desk: Desk) -> bool:
        """Seeds the temporary database through the real use cases (a few seconds: a busy
        dialog says so) and logs in the demo duty officer."""
        demo = _demo_module()
        if demo is None:
            self._fail(self.tr("The desk cannot start"), self.tr("Demo data is not available."))
            return False
        busy = QProgressDialog(self.tr("Preparing the demo workload…"), "", 0, 0)
        busy.setObjectName("demoProgress")
        busy.setCancelButton(None)
        busy.setWindowTitle(self.tr("Demo"))
        busy.setMinimumDuration(0)
        busy.show()
        try:
            if await self.calls.call(desk.needs_first_administrator):
                await self.calls.call(demo.seed_demo, self.options.database_url)
            await self.calls.call(desk.login, demo.DEMO_OFFICER, demo.DEMO_PASSWORD)
        except Exception as exc:
            self._fail(self.tr("The desk cannot start"), describe_error(exc))
            return False
        finally:
            busy.close()
            busy.deleteLater()
        return True

    async def show_workspace(self) -> Workspace:
        assert self.desk is not None
        workspace = Workspace(
            self.desk,
            self.calls,
            layout_file=self.options.paths.layout_file,
            database_text=describe_database(self.options.database_url),
        )
        self.workspace = workspace
        workspace.appearance_changed.connect(self._remember_appearance)
        window = workspace.window
        restored = window.restore_layout()
        window.closing.connect(self._window_closed)
        workspace.logout_requested.connect(self.log_out)
        workspace.language_requested.connect(self.switch_language)
        window.show_fitted(restored)
        await workspace.start()
        # Opened once per run, off the UI thread; every window installs what the session has.
        workspace.install_parts(await self.calls.call(self.session.open_parts))
        if not restored:
            window.fit_docks()  # the parts' panels too
        if self.options.settings_problem:
            workspace.say(self.options.settings_problem, error=True)
        try:
            await self.calls.call(self.desk.start_change_feed)  # once; it runs on after
        except Exception as exc:
            workspace.say(describe_error(exc), error=True)
        self.ready.emit()
        if self.session.feed is not None:
            self._attach_feed(workspace)
        elif self.session.service_problem is not None:
            self._show_service_problem(workspace)
        elif self.link is not None and self._background is None:
            self._background = asyncio.ensure_future(self._connect_data_service())
        return workspace

    async def _connect_data_service(self) -> None:
        """Once per run, after the window is up: the session starts (or reaches) the data
        service and the live feed; the current window is then wired to them (later windows
        are wired in ``show_workspace``)."""
        link = self.link
        if link is not None and link.embedded and self.workspace is not None:
            self.workspace.window.status.set_data_service_state(
                self.tr("starting the embedded data service"), False
            )
        feed = await self.session.connect_data_service()
        if self._stopping or self.workspace is None:
            return
        if feed is not None:
            self._attach_feed(self.workspace)
        elif self.session.service_problem is not None:
            self._show_service_problem(self.workspace)

    def _show_service_problem(self, workspace: Workspace) -> None:
        problem = self.session.service_problem or "?"
        workspace.window.status.set_data_service_state(
            self.tr("no data service: %1").replace("%1", problem), False
        )

    def _attach_feed(self, workspace: Workspace) -> None:
        """Wire a window to the session's running feed: station table, status bar, wall."""
        feed = self.session.feed
        assert feed is not None
        try:
            workspace.attach_feed(feed)
        except Exception as exc:
            log.exception("installing the live feed failed")
            workspace.window.status.set_data_service_state(
                self.tr("live feed unavailable: %1").replace("%1", str(exc)), False
            )

    def _remember_appearance(self, theme: str, font_pt: int) -> None:
        """Keeps the officer's theme and text size for the next start (settings file)."""
        self._remember(theme=theme, font_pt=font_pt)

    def _remember(self, **changes: Any) -> None:
        """Keeps the officer's choices (theme, text size, language) for the next start."""
        settings = replace(self.options.settings, **changes)
        try:
            save_settings(self.options.paths.settings_file, settings)
        except OSError as exc:
            if self.workspace is not None:
                self.workspace.say(
                    self.tr("The settings could not be saved: %1").replace("%1", str(exc)),
                    error=True,
                )
            return
        self.options = replace(self.options, settings=settings, **changes)

    # ---- changing the officer -----------------------------------------------------------
    def _window_closed(self) -> None:
        if not self._switching:
            self.stop()

    def log_out(self) -> None:
        """File → Log out / switch user: the workspace goes, the login comes up, and the next
        officer gets a workspace of their own. The database, the change feed, the live feed
        and the data service stay as they are."""
        if self._switching or self._stopping or self.workspace is None:
            return
        self._logout_task = asyncio.ensure_future(self._switch_user())

    async def _close_workspace(self) -> None:
        """The current window goes; the database, the change feed, the live feed and the data
        service stay as they are."""
        self._switching = True
        try:
            workspace, self.workspace = self.workspace, None
            assert workspace is not None
            # Timers stopped, desk events unsubscribed, the feed let go, tasks cancelled;
            # closing the window then stops the parts (petitions, alarms, wall, emergencies).
            await workspace.shutdown()
            window = workspace.window
            window.close()
            window.deleteLater()
            workspace.deleteLater()
        finally:
            self._switching = False

    async def _switch_user(self) -> None:
        assert self.desk is not None
        await self._close_workspace()
        try:
            await self.calls.call(self.desk.logout)
        except Exception:
            log.exception("logging out failed")  # the next login replaces the user anyway
        if not await self._log_in():
            self.dialog = None
            self.stop()
            return
        self.dialog = None
        await self.show_workspace()

    def switch_language(self, language: str) -> None:
        """View → Language: the same officer, a new window in ``language``, the selected case
        selected again; the choice is kept for the next start."""
        if self._switching or self._stopping or self.workspace is None:
            return
        self._logout_task = asyncio.ensure_future(self._switch_language(language))

    async def _switch_language(self, language: str) -> None:
        assert self.workspace is not None
        detail = self.workspace.detail
        selected = detail.case.id if detail is not None else None
        await self._close_workspace()
        app = QApplication.instance()
        if app is not None:
            install_translators(app, language)
        self._remember(language=language)
        workspace = await self.show_workspace()
        if selected is not None:
            workspace.open_case(selected)

    def stop(self) -> None:
        """The window closed: stop the feed, the change feed and the database, then quit."""
        if self._stopping:
            return
        self._stopping = True
        self._stop_task = asyncio.ensure_future(self._stop())

    async def _stop(self) -> None:
        """Within the quit budget (dispatch_app/quitting.py), whatever hangs: each step gets
        its share and is left behind, logged, when it overruns."""
        started = asyncio.get_running_loop().time()
        # The embedded child stops beside the rest (it is the slowest part, and needs nothing
        # of the desk): terminated at once, killed if it lingers.
        child = self.session.stop_data_service()
        close_open_dialogs()
        if self.workspace is not None:
            await within(self.workspace.shutdown(), STEP_BUDGET_S, "stopping the workspace")
        # The drill, the live feed, the alarms and the database; then the child.
        await self.session.close(child, started)
        took = asyncio.get_running_loop().time() - started
        log.info("quitting: desk stopped in %.2f s", took)
        self.finished.emit(self.exit_code)


async def _until_live(workspace: Workspace, timeout_s: float) -> None:
    """For screenshots: wait until the live feed is connected, caught up and current (nearly
    every station on time: the embedded service first replays its history, and a picture taken
    meanwhile would show the whole network late), or give up, so the pictures show the network
    as an officer sees it a minute after start."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        handle = workspace.feed
        poller = handle.poller if handle is not None else None
        if (
            poller is not None
            and poller.status.state == "connected"
            and poller.caught_up
            and poller.network.stations
            and len(poller.stale_stations()) <= len(poller.network.stations) // 20
        ):
            await asyncio.sleep(3.0)  # one more round of coalesced batches and chart redraws
            return
        await asyncio.sleep(0.5)


def run(options: LaunchOptions, link: DataServiceLink) -> int:
    """ui's entry point (called by dispatch_app.app.run through main.py)."""
    app = make_application(options)
    app.setQuitOnLastWindowClosed(False)  # between login and window there is no window
    loop = DeskEventLoop(app)
    asyncio.set_event_loop(loop)
    launcher = Launcher(options, link)
    exit_code = [0]

    def finish(code: int) -> None:
        exit_code[0] = code
        loop.stop()

    launcher.finished.connect(finish)
    # Test-only: the acceptance suite reads the running widgets through a local socket.
    install_inspection(lambda: launcher)
    shots = options.screenshot_dir
    if shots is not None:
        from ui.shell.screenshots import take_screenshots

        async def shoot() -> None:
            if await launcher.start():
                assert launcher.workspace is not None
                await _until_live(launcher.workspace, timeout_s=240.0)
                await take_screenshots(launcher.workspace, Path(shots))
                launcher.workspace.window.close()

        loop.create_task(shoot())
    else:
        loop.create_task(launcher.start())
    # The loop's own executor is shut down when the loop closes; one that waited for its
    # threads would hold up quitting for whatever still runs there.
    loop.set_default_executor(UnwaitedExecutor(thread_name_prefix="loop-default"))
    with loop:
        loop.run_forever()
    # Calls still running are abandoned, not waited for (dispatch_app.app.exit_promptly).
    launcher.calls.shutdown(wait=False)
    return exit_code[0]
