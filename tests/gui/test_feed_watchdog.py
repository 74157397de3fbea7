"""The poller's watchdog on the desk's own loop (qasync), against the real data service with its
simulator running: a killed poll task and a poll task that lost its step to a nested event loop
(the failure a modal dialog in a coroutine caused) are both started again and logged, the state
says so meanwhile, and stopping never waits for a task that cannot end."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop as QtNestedLoop
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from qasync import QEventLoop

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.feed.poller import POLL_TASK, ConnectionState, FeedPoller, FeedStatus
from tests.feed.live_service import running_service
from tests.gui.conftest import run
from tests.gui.test_feed_lifecycle import SHANGHAI, newest_observation
from ui.shell.feed_bridge import FeedBridge, wire_status_bar
from ui.shell.status_bar import DeskStatusBar


@pytest.fixture
def simulated_network(tmp_path: Path) -> Iterator[EmbeddedDataService]:
    with running_service(
        tmp_path / "ds.db",
        tmp_path / "ds.log",
        simulate=True,
        speed=60.0,  # new minute data every second
        backfill_hours=None,
        restart=False,
    ) as service:
        yield service


async def nested_loop_inside_a_task(seconds: float) -> None:
    """What QFileDialog.getSaveFileName() did inside a coroutine: a nested Qt event loop."""
    nested = QtNestedLoop()
    QTimer.singleShot(int(seconds * 1000), nested.quit)
    nested.exec()  # the cause class itself, on purpose


def advances(qtbot: QtBot, poller: FeedPoller, timeout_ms: int = 15000) -> None:
    before = newest_observation(poller)
    assert before is not None
    qtbot.waitUntil(lambda: (newest_observation(poller) or before) > before, timeout=timeout_ms)


def test_watchdog_restarts_a_killed_or_hung_poll_task_and_stop_never_hangs(
    qtbot: QtBot,
    qloop: QEventLoop,
    simulated_network: EmbeddedDataService,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    assert simulated_network.url is not None
    client = DataServiceClient(
        simulated_network.url, timeouts=ClientTimeouts(connect=1, read=3, total=6), retries=0
    )
    poller = FeedPoller(client, poll_interval_s=0.25, watchdog_every_s=0.2)
    states: list[FeedStatus] = []
    poller.subscribe_state(states.append)
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    bridge = FeedBridge(poller)
    wire_status_bar(bar, bridge)
    lights: list[str] = []  # the light as each state change left it
    bridge.stateChanged.connect(lambda _s: lights.append(bar.service.text()))
    run(qtbot, poller.start())
    try:
        qtbot.waitUntil(
            lambda: (
                poller.status.state is ConnectionState.CONNECTED
                and newest_observation(poller) is not None
            ),
            timeout=60000,
        )
        supervisor = poller.supervisor

        # Killed: the task is cancelled from outside.
        first = supervisor.task(POLL_TASK)
        assert first is not None
        first.cancel()
        qtbot.waitUntil(lambda: supervisor.restarts(POLL_TASK) == 1, timeout=5000)
        assert supervisor.task(POLL_TASK) is not first
        assert any(
            r.levelno == logging.ERROR and "feed-poll was cancelled" in r.getMessage()
            for r in caplog.records
        )
        advances(qtbot, poller)

        # Hung: a nested event loop in another task loses the poll task's step; nothing ends,
        # nothing fails, the task just never runs again. The light turns amber (since the last
        # successful poll), the watchdog starts the task again, the feed goes on.
        states.clear()
        last_before = poller.status.last_success
        hang = asyncio.ensure_future(nested_loop_inside_a_task(4.0))
        qtbot.waitUntil(hang.done, timeout=15000)
        qtbot.waitUntil(lambda: supervisor.restarts(POLL_TASK) >= 2, timeout=10000)
        assert "made no progress" in (supervisor.last_reason(POLL_TASK) or "")
        stalled = [s for s in states if s.state is ConnectionState.DEGRADED]
        assert stalled, states
        assert "no successful poll" in (stalled[0].last_error or "")
        assert stalled[0].since == last_before  # since the last poll that succeeded
        assert last_before is not None
        since = last_before.astimezone(SHANGHAI).strftime("%H:%M:%S")
        amber = [t for t in lights if t.startswith("▲")]
        assert amber and f"自 {since} 起" in amber[0], lights  # the zh desk
        advances(qtbot, poller)
        qtbot.waitUntil(lambda: poller.status.state is ConnectionState.CONNECTED, timeout=5000)
        qtbot.waitUntil(lambda: bar.service.text().startswith("●"), timeout=3000)

        # Stopping with the poll task hung again returns at once (it is left behind).
        hang = asyncio.ensure_future(nested_loop_inside_a_task(1.0))
        qtbot.waitUntil(hang.done, timeout=10000)
        began = time.monotonic()
        run(qtbot, poller.stop(timeout_s=1.0))
        assert time.monotonic() - began < 2.0
        assert not poller.running
    finally:
        run(qtbot, poller.stop())
        bridge.detach()
        client.close()
