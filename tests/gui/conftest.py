"""Fixtures for the desk's GUI tests: a real database (SQLite file / PostgreSQL), real desks,
and the one asyncio loop on Qt's loop that the application runs on (qasync)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qasync import QEventLoop, QThreadExecutor

from dispatch_app.desk import Desk
from dispatch_app.domain.cases import CaseDraft, CaseKind, CaseSource, Priority
from dispatch_app.domain.credit_code import make_credit_code
from dispatch_app.domain.districts import District
from dispatch_app.session import DeskSession
from ui.shell.desk_calls import DeskCalls
from ui.shell.event_loop import DeskEventLoop
from ui.shell.i18n import install_translators
from ui.shell.theme import apply_theme
from ui.shell.workspace import Workspace

PASSWORD = "correct-horse-9"
FAST_SCRYPT_N = 2**10
T = TypeVar("T")


@pytest.fixture(scope="session")
def _session_loop(qapp: Any) -> Iterator[QEventLoop]:
    # One loop for the whole run, as in the application: a second qasync loop on the same
    # QApplication never gets its executor callbacks delivered.
    loop = DeskEventLoop(qapp, already_running=True)
    # Our own executor, shut down at the end: qasync's default one is never shut down for a
    # loop that is "already running", and its QThreads still running at exit abort the process.
    executor = QThreadExecutor(8)
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    executor.shutdown(wait=True)


@pytest.fixture(scope="package", autouse=True)
def _collect_on_gui_thread() -> Iterator[None]:
    """As in the desk (ui/event_loop.py): while the GUI tests run, the cyclic collector runs
    only on this thread (the session loop's timer), never in a worker where freeing a widget's
    wrapper crashes Qt; the tests after the GUI ones get automatic collection back."""
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture(autouse=True)
def _source_language(qapp: Any) -> Iterator[None]:
    """Every GUI test starts in the source language (English, no translators): a test that wants
    Chinese installs it (``qloop`` does), and nothing leaks into the next test."""
    install_translators(qapp, "en")
    yield
    install_translators(qapp, "en")


@pytest.fixture
def qloop(qapp: Any, _session_loop: QEventLoop) -> Iterator[QEventLoop]:
    """The application's asyncio loop on Qt's event loop; qtbot waits drive it."""
    # A test that ran a loop of its own (run_until_complete) unregistered the running loop
    # when it ended: register the session loop again, as the running desk has it.
    asyncio.set_event_loop(_session_loop)
    asyncio.events._set_running_loop(_session_loop)
    install_translators(qapp, "zh")
    apply_theme(qapp, "dark", 13)
    yield _session_loop
    for task in asyncio.all_tasks(_session_loop):
        task.cancel()
    qapp.processEvents()


def run(qtbot: QtBot, awaitable: Awaitable[T], timeout: int = 15000) -> T:
    """Runs a coroutine on the app loop while Qt keeps processing events."""
    task = asyncio.ensure_future(awaitable)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def start(awaitable: Awaitable[Any]) -> asyncio.Future[Any]:
    return asyncio.ensure_future(awaitable)


def open_desk(url: str, busy_timeout_s: float = 5.0) -> Desk:
    return Desk.open(url, scrypt_n=FAST_SCRYPT_N, busy_timeout_s=busy_timeout_s)


def seed_users(url: str) -> None:
    """The standard cast: admin, duty officer, shift leader, viewer."""
    d = open_desk(url)
    try:
        d.create_first_administrator("admin", "值班管理员", PASSWORD)
        d.create_user("officer", "张值班", "duty_officer", PASSWORD)
        d.create_user("leader", "李带班", "shift_leader", PASSWORD)
        d.create_user("viewer", "王只读", "viewer", PASSWORD)
    finally:
        d.close()


def draft(kind: CaseKind = CaseKind.QUALITY, **overrides: Any) -> CaseDraft:
    values: dict[str, Any] = {
        "kind": kind,
        "title": "武进区某化工企业夜间偷排废水",
        "district": District.WUJIN,
        "priority": Priority.P2,
        "source": CaseSource.HOTLINE_12369,
        "description": "群众反映夜间有刺鼻气味，河水发黑",
        "address": "武进区湖塘镇",
    }
    if kind is CaseKind.VIOLATION:
        values["enterprise_name"] = "常州某化工有限公司"
        values["credit_code"] = make_credit_code("91320412MA1MQ8N4X")
    values.update(overrides)
    return CaseDraft(**values)


def seed_cases(url: str, count: int, username: str = "officer") -> list[int]:
    d = open_desk(url)
    try:
        d.login(username, PASSWORD)
        kinds = list(CaseKind)
        districts = list(District)
        priorities = list(Priority)
        ids = []
        for i in range(count):
            case = d.create_case(
                draft(
                    kinds[i % 4],
                    title=f"事项 {i:03d} 测试",
                    district=districts[i % len(districts)],
                    priority=priorities[i % 4],
                )
            )
            ids.append(case.id)
        return ids
    finally:
        d.close()


@dataclass
class Session:
    """One workstation's desk in the test: the session (its desk and parts, as the application
    builds them), its calls and its window. Tests install the parts they need."""

    desk: Desk
    calls: DeskCalls
    workspace: Workspace
    session: DeskSession
    closers: list[Callable[[], None]] = field(default_factory=list)


@pytest.fixture
def sessions(qtbot: QtBot, qloop: QEventLoop, tmp_path: Path) -> Iterator[Callable[..., Session]]:
    """Factory: ``sessions(url, "officer")`` logs in and shows a workspace."""
    made: list[Session] = []

    def make(
        url: str, username: str = "officer", change_feed: bool = False, busy_timeout_s: float = 5.0
    ) -> Session:
        desk_session = DeskSession(url, open_desk=lambda u: open_desk(u, busy_timeout_s))
        desk = desk_session.open()
        desk.login(username, PASSWORD)
        calls = DeskCalls()
        workspace = Workspace(
            desk,
            calls,
            layout_file=tmp_path / f"layout-{username}-{len(made)}.ini",
            database_text=url,
        )
        qtbot.addWidget(workspace.window)
        workspace.window.resize(1600, 900)
        workspace.window.show()
        run(qtbot, workspace.start())
        if change_feed:
            desk.start_change_feed(poll_interval_s=0.1)
        session = Session(desk, calls, workspace, desk_session)
        made.append(session)
        return session

    yield make
    for s in made:
        with contextlib.suppress(Exception):  # teardown must release the database anyway
            run(qtbot, s.workspace.shutdown(), timeout=5000)
        parts = s.session.parts
        if parts is not None and parts.alarms is not None:
            parts.alarms.close()
        s.desk.close()  # the window was closed by qtbot (addWidget)
        s.calls.shutdown()


def type_text(widget: Any, text: str) -> None:
    """Types ``text`` key by key (QTest.keyClicks asserts on non-ASCII characters, and officers
    type Chinese through an input method, which delivers committed text as key events)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def wait_dialog(qtbot: QtBot, workspace: Workspace, cls: type[T], timeout: int = 5000) -> T:
    qtbot.waitUntil(
        lambda: isinstance(workspace.active_dialog, cls) and workspace.active_dialog.isVisible(),
        timeout=timeout,
    )
    dialog = workspace.active_dialog
    assert isinstance(dialog, cls)
    return dialog


def settle(qtbot: QtBot, workspace: Workspace, ms: int = 50) -> None:
    """Waits until no desk call is in flight (and lets signals land)."""
    qtbot.waitUntil(lambda: workspace.calls.pending == 0, timeout=10000)
    qtbot.wait(ms)
    qtbot.waitUntil(lambda: workspace.calls.pending == 0, timeout=10000)
