"""The live feed's life in the real desk: it survives the officer's file dialogs, a dead or hung
poll task is started again by the watchdog, and quitting ends within 3 s whatever hangs.

The desk is the real one (Launcher, login, Workspace with its parts), the data service the real
reference service on loopback with its simulator running, or a real loopback socket that
accepts and never answers. File dialogs are answered the way an officer does, by a timer that
presses Escape or picks a file once the dialog shows: that works whether the dialog runs its own
nested event loop (the defect) or not.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from dispatch_app.app import DataServiceLink, LaunchOptions, prepare
from dispatch_app.config import AppPaths
from dispatch_app.desk.emergencies import load_emergency_resources
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.feed.poller import FLUSH_TASK, POLL_TASK, ConnectionState, FeedPoller
from dispatch_app.resources import resources_dir
from tests.feed.live_service import running_service
from tests.gui.conftest import PASSWORD, seed_users, type_text
from tests.gui.test_emergency_ui import seed_emergency
from ui.shell.application import Launcher
from ui.shell.desk_calls import DeskCalls
from ui.shell.login_dialogs import LoginDialog
from ui.shell.quitting import UnwaitedExecutor

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = resources_dir()
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- helpers ---------------------------------------------------------------------------------


def file_dialogs() -> list[QFileDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()
    ]


def answer_file_dialog(after_ms: int, path: Path | None = None) -> list[str]:
    """When a file dialog shows, wait `after_ms` (the officer reads it), then press Escape, or
    pick `path`. Returns a list that receives the dialog's title once it was answered."""
    answered: list[str] = []

    def look() -> None:
        shown = file_dialogs()
        if not shown:
            QTimer.singleShot(50, look)
            return
        dialog = shown[0]

        def answer() -> None:
            title = dialog.windowTitle()
            if path is None:
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
            else:  # to the folder, the file's name typed in, Enter
                dialog.setDirectory(str(path.parent))
                name = dialog.findChild(QLineEdit, "fileNameEdit")
                assert isinstance(name, QLineEdit)
                name.setText(path.name)
                QTest.keyClick(name, Qt.Key.Key_Return)
            answered.append(title)

        QTimer.singleShot(after_ms, answer)

    QTimer.singleShot(0, look)
    return answered


def newest_observation(poller: FeedPoller) -> datetime | None:
    network = poller.network
    times = [t for sid in network.stations if (t := network.last_time(sid)) is not None]
    return max(times, default=None)


def login(qtbot: QtBot, launcher: Launcher) -> asyncio.Future[bool]:
    started = asyncio.ensure_future(launcher.start())
    qtbot.waitUntil(
        lambda: isinstance(launcher.dialog, LoginDialog) and launcher.dialog.isVisible(),
        timeout=15000,
    )
    dialog = launcher.dialog
    assert isinstance(dialog, LoginDialog)
    type_text(dialog.username, "officer")
    type_text(dialog.password, PASSWORD)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(started.done, timeout=20000)
    assert started.result() is True
    return started


def options_for(tmp_path: Path, db_url: str, service_url: str) -> LaunchOptions:
    paths = AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    return prepare(["--db", db_url, "--data-service", service_url], paths=paths)


@pytest.fixture
def desks(qtbot: QtBot, qloop: QEventLoop) -> Iterator[Callable[[LaunchOptions], Launcher]]:
    made: list[Launcher] = []

    def make(options: LaunchOptions) -> Launcher:
        launcher = Launcher(options, DataServiceLink(options), DeskCalls())
        made.append(launcher)
        return launcher

    yield make
    for launcher in made:
        if launcher.workspace is not None and not launcher._stopping:
            launcher.workspace.window.close()
        if launcher._stop_task is not None:
            qtbot.waitUntil(launcher._stop_task.done, timeout=10000)
        elif launcher.desk is not None:
            launcher.desk.close()
        launcher.calls.shutdown()
        if launcher.workspace is not None:
            # Deleted now, not left to a later garbage collection during another test: the
            # wall's event filters must not outlive their Python side.
            launcher.workspace.window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.fixture
def simulated_network(tmp_path: Path) -> Iterator[EmbeddedDataService]:
    """The reference data service with its simulator at 30×: new minute data every 2 s."""
    with running_service(
        tmp_path / "ds.db",
        tmp_path / "ds.log",
        simulate=True,
        speed=30.0,
        backfill_hours=None,
        restart=False,
    ) as service:
        yield service


@contextmanager
def silent_service() -> Iterator[tuple[str, list[socket.socket]]]:
    """A real loopback socket that accepts connections and never answers a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)  # held open, never read from or written to

    thread = threading.Thread(target=accept, name="silent-service", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join(2)
        for conn in accepted:
            conn.close()
        listener.close()


# --- the feed survives the officer's file dialogs --------------------------------------------


def test_feed_keeps_running_after_file_dialogs_in_the_officers_flow(
    qtbot: QtBot,
    desks: Callable[[LaunchOptions], Launcher],
    simulated_network: EmbeddedDataService,
    sqlite_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, load_emergency_resources(RESOURCES))
    assert simulated_network.url is not None
    launcher = desks(options_for(tmp_path, sqlite_url, simulated_network.url))
    login(qtbot, launcher)
    ws = launcher.workspace
    assert ws is not None
    window = ws.window
    qtbot.waitUntil(lambda: getattr(ws, "feed", None) is not None, timeout=20000)
    poller: FeedPoller = ws.feed.poller
    qtbot.waitUntil(
        lambda: (
            poller.status.state is ConnectionState.CONNECTED
            and newest_observation(poller) is not None
        ),
        timeout=60000,
    )

    # The officer selects the emergency and opens the log export, reads the dialog, cancels.
    assert ws.queue.select_case(case_id)
    panel = window.views["emergency"]
    qtbot.waitUntil(lambda: "CZ-" in panel.title.text(), timeout=10000)
    actions = window.actions_by_name
    answered = answer_file_dialog(after_ms=2500)
    actions["emergency_export_log"].trigger()
    qtbot.waitUntil(lambda: bool(answered), timeout=15000)
    # Then the CAP import: open, look, cancel.
    answered = answer_file_dialog(after_ms=2500)
    actions["emergency_import_cap"].trigger()
    qtbot.waitUntil(lambda: bool(answered), timeout=15000)
    # And the export done for real: the PDF is written.
    pdf = tmp_path / "out" / "log.pdf"
    pdf.parent.mkdir()
    answered = answer_file_dialog(after_ms=1500, path=pdf)
    actions["emergency_export_log"].trigger()
    qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 5000, timeout=20000)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not file_dialogs()

    # The feed goes on: the newest observation moves on twice, and the light is green with a
    # poll time of a moment ago.
    for _ in range(2):
        before = newest_observation(poller)
        assert before is not None
        qtbot.waitUntil(
            lambda before=before: (newest_observation(poller) or before) > before,
            timeout=20000,
        )
    assert poller.running
    light = window.status.service.text()
    assert light.startswith("●"), light
    last = poller.status.last_success
    assert last is not None and "最后轮询 " in light, light
    shown = datetime.strptime(light.rsplit(" ", 1)[1], "%H:%M:%S")
    polled = last.astimezone(SHANGHAI)
    apart = (polled.hour * 3600 + polled.minute * 60 + polled.second) - (
        shown.hour * 3600 + shown.minute * 60 + shown.second
    )
    assert min(apart % 86400, -apart % 86400) < 5, (light, polled)  # at most seconds apart
    # It went on by itself, not because the watchdog had to rescue it.
    assert poller.supervisor.restarts(POLL_TASK) == 0
    assert poller.supervisor.restarts(FLUSH_TASK) == 0
    lost = [r for r in caplog.records if "Cannot enter into task" in r.getMessage()]
    assert not lost, lost[0].getMessage()


# --- quitting ---------------------------------------------------------------------------------


def test_quit_finishes_within_3_s_while_the_data_service_hangs_and_a_dialog_is_open(
    qtbot: QtBot,
    desks: Callable[[LaunchOptions], Launcher],
    sqlite_url: str,
    tmp_path: Path,
) -> None:
    seed_users(sqlite_url)
    with silent_service() as (url, accepted):
        launcher = desks(options_for(tmp_path, sqlite_url, url))
        login(qtbot, launcher)
        ws = launcher.workspace
        assert ws is not None
        qtbot.waitUntil(lambda: getattr(ws, "feed", None) is not None, timeout=20000)
        poller: FeedPoller = ws.feed.poller
        # The poller's first call is in the silent service's socket, waiting.
        qtbot.waitUntil(lambda: bool(accepted), timeout=10000)
        qtbot.wait(300)
        assert poller.status.state is ConnectionState.CONNECTING
        ws.window.actions_by_name["emergency_import_cap"].trigger()
        qtbot.waitUntil(lambda: bool(file_dialogs()), timeout=5000)
        finished: list[int] = []
        launcher.finished.connect(finished.append)

        began = time.monotonic()
        ws.window.close()  # what Ctrl+Q does (File → Quit closes the window)
        qtbot.waitUntil(lambda: bool(finished), timeout=10000)
        took = time.monotonic() - began
        assert took < 3.0, f"quit took {took:.2f} s"
        assert not file_dialogs()
        assert not poller.running


def _tool(name: str) -> str | None:
    return shutil.which(name)


@contextmanager
def x_screen() -> Iterator[str]:
    display = f":{150 + os.getpid() % 50}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        yield display
    finally:
        xvfb.terminate()
        xvfb.wait(5)


def ctrl_q_after(
    tmp_path: Path, display: str, args: list[str], ready: Callable[[str], bool]
) -> tuple[int | None, float, str]:
    """Start the desk (main.py) on `display`, wait until `ready(log)` and its window is up,
    press Ctrl+Q on it; the exit code (None: still running 10 s later), the seconds from the
    key to the end of the process, and the desk's log."""
    env = dict(
        os.environ,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    log_path = tmp_path / "desk.log"
    with open(log_path, "wb") as log_file:
        desk = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--demo", *args],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 150
            window = ""
            while time.monotonic() < deadline:
                found = subprocess.run(
                    ["xdotool", "search", "--name", "常州"], env=env, capture_output=True, text=True
                )
                window = found.stdout.split()[0] if found.stdout.split() else ""
                if window and ready(log_path.read_text("utf-8", "replace")):
                    break
                time.sleep(0.5)
            output = log_path.read_text("utf-8", "replace")
            assert window and ready(output), output[-3000:]
            time.sleep(1.0)
            subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env)
            began = time.monotonic()
            subprocess.run(["xdotool", "key", "--window", window, "ctrl+q"], env=env)
            try:
                code: int | None = desk.wait(timeout=10)
            except subprocess.TimeoutExpired:
                code = None
            took = time.monotonic() - began
        finally:
            if desk.poll() is None:
                desk.kill()
                desk.wait()
    return code, took, log_path.read_text("utf-8", "replace")


needs_x = pytest.mark.skipif(
    not (_tool("Xvfb") and _tool("xdotool")), reason="needs Xvfb and xdotool (a real X screen)"
)


@pytest.mark.slow
@needs_x
def test_ctrl_q_ends_the_desk_process_within_3_s_with_a_hung_data_service(
    tmp_path: Path,
) -> None:
    """The whole program on a real X screen: the desk polls a service that never answers,
    the officer presses Ctrl+Q, and the process is gone within 3 s."""
    with x_screen() as display, silent_service() as (url, accepted):
        code, took, output = ctrl_q_after(
            tmp_path, display, ["--data-service", url], lambda _log: bool(accepted)
        )
    assert code == 0, output[-3000:]
    assert took < 3.0, f"the desk took {took:.2f} s to quit:\n{output[-3000:]}"


@pytest.mark.slow
@needs_x
def test_ctrl_q_ends_the_desk_and_its_embedded_data_service_within_3_s(tmp_path: Path) -> None:
    """As the officer runs it: the embedded data service (a child process) simulating the
    network, the feed live; Ctrl+Q ends the desk within 3 s and leaves no child behind."""
    with x_screen() as display:
        code, took, output = ctrl_q_after(tmp_path, display, [], lambda log: "feed loaded" in log)
    assert code == 0, output[-3000:]
    assert took < 3.0, f"the desk took {took:.2f} s to quit:\n{output[-3000:]}"
    pid = re.search(r"embedded data service ready at \S+ \(pid (\d+)\)", output)
    assert pid is not None, output[-3000:]
    deadline = time.monotonic() + 5  # told to stop; a child left running would be an orphan
    while Path(f"/proc/{pid.group(1)}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = Path(f"/proc/{pid.group(1)}/stat")
    assert not alive.exists() or alive.read_text().split()[2] == "Z", "child still running"


def test_the_loops_executor_never_holds_up_quitting() -> None:
    """The loop shuts its default executor down when it closes at quit; a job stuck there (a
    blocking call on a thread) must not hold that up, and queued work is dropped."""
    release = threading.Event()
    pool = UnwaitedExecutor(max_workers=1)
    stuck = pool.submit(release.wait, 30)
    queued = pool.submit(lambda: "never")
    time.sleep(0.05)
    began = time.monotonic()
    pool.shutdown()  # what qasync's loop.close() calls, wait=True by default
    assert time.monotonic() - began < 0.5
    assert queued.cancelled() and not stuck.done()
    release.set()
    assert stuck.result(timeout=5) is True
