"""The feed bridged to Qt as the desk runs it: a qasync loop, the real data service on loopback,
the station table and the status bar following the connection."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.poller import ConnectionState, FeedPoller
from tests.feed.live_service import packet, registry, running_service, send
from ui.shell.feed_bridge import FeedBridge, connect_station_table, wire_status_bar
from ui.shell.status_bar import DeskStatusBar
from ui.stations.station_table import StationTableModel, StationTableView, format_age, kind_label

AIR = [s for s in registry() if s.kind == "air_national"]


@pytest.fixture
def qasync_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    from ui.shell.event_loop import DeskEventLoop

    loop = DeskEventLoop(qapp)
    try:
        yield loop
    finally:
        loop.close()


async def _until(cond: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def test_table_and_status_bar_follow_the_live_service(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path, artifacts_dir: Path
) -> None:
    t0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    view = StationTableView()
    qtbot.addWidget(view)
    view.resize(1400, 500)
    view.show()
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    with running_service(tmp_path / "ds.db", tmp_path / "ds.log", restart=False) as service:
        url, port = service.url, service.status.hj212_port
        assert url is not None and port is not None
        send(port, [packet(s, t0, 30.0) for s in AIR])
        client = DataServiceClient(
            url, timeouts=ClientTimeouts(connect=0.5, read=2.0, total=5.0), retries=0
        )
        poller = FeedPoller(client, poll_interval_s=0.1, max_backoff_s=0.3)
        bridge = FeedBridge(poller)
        connect_station_table(bridge, view)
        wire_status_bar(bar, bridge)
        assert not bar.service.text().startswith("●")

        async def scenario() -> None:
            await poller.start()
            await _until(lambda: view.model.rowCount() == len(registry()), what="rows")
            assert bar.service.text().startswith("●")
            assert "connected" in bar.service.text()
            row = view.model.row_of(AIR[0].id)
            assert row is not None
            col = StationTableModel.FIRST_PARAM + view.model.parameters.index("PM2.5")
            key_index = [p.key for p in AIR[0].parameters].index("PM2.5")
            assert view.model.index(row, col).data() == f"{30.0 + key_index:.0f}"
            view.select_station(AIR[0].id)
            # A live value with an instrument flag arrives.
            await asyncio.to_thread(
                send, port, [packet(AIR[0], t0 + timedelta(minutes=1), 80.0, flag="D")]
            )
            await _until(
                lambda: (view.model.index(row, col).data() or "").endswith(" D"), what="live"
            )
            assert view.selected_station_ids() == [AIR[0].id]
            view.grab().save(str(artifacts_dir / "station_table_live.png"))
            # The service goes away: the status bar and the table say so.
            await asyncio.to_thread(service.stop)
            await _until(lambda: poller.status.state is ConnectionState.DOWN, what="down")
            await asyncio.sleep(0)
            assert bar.service.text().startswith("▲")
            assert "down" in bar.service.text() and "since" in bar.service.text()
            assert view.banner.isVisible()
            assert view.model.rowCount() == len(registry())  # the last values stay, greyed
            view.grab().save(str(artifacts_dir / "station_table_down.png"))
            await poller.stop()

        qasync_loop.run_until_complete(scenario())
        bridge.detach()
        client.close()


def test_chinese_translations_are_compiled_and_load(
    qapp: QApplication, resources_dir: Path
) -> None:
    translator = QTranslator()
    assert translator.load(str(resources_dir / "i18n" / "feed_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert kind_label("air_national") == "国控空气站"
        assert format_age(180) == "3 分钟前"
        assert QCoreApplication.translate("FeedBridge", "Data service down") == "数据服务中断"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert kind_label("air_national") == "National air station"


def test_install_feed_hosts_the_table_in_the_main_window(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """What the desk calls once the window is up: the table lands in the window through
    `MainWindow.add_view`, the status bar follows the session's feed, and `stop()` lets go of
    it (the poller is the session's: it runs on for the next window)."""
    from dispatch_app.session import make_poller
    from ui.shell.feed_bridge import install_feed
    from ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    with running_service(tmp_path / "ds.db", tmp_path / "ds.log") as service:
        assert service.url is not None
        url = service.url

        async def scenario() -> None:
            poller = make_poller(url)
            await poller.start()
            handle = install_feed(window, poller, area="center")
            try:
                assert window.views["stations"] is handle.view
                await _until(
                    lambda: handle.poller.status.state is ConnectionState.CONNECTED, what="up"
                )
                await _until(lambda: handle.view.model.rowCount() == len(registry()))
                assert window.status.service.text().startswith("●")
            finally:
                await handle.stop()
            assert handle.poller.running  # the window let go; the session stops it
            await poller.stop()
            poller.client.close()
            assert not handle.poller.running

        qasync_loop.run_until_complete(scenario())


def test_embedded_status_from_the_watcher_thread_arrives_on_the_ui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The embedded service reports from its own threads; the status bar must only ever be
    touched on the UI thread."""
    import threading

    from dispatch_app.feed.embedded import EmbeddedDataService, EmbeddedState

    service = EmbeddedDataService(tmp_path / "ds.db", simulate=False, log_path=tmp_path / "l")
    service.start()
    assert service.url is not None
    client = DataServiceClient(service.url)
    bridge = FeedBridge(FeedPoller(client), service)
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    wire_status_bar(bar, bridge)
    seen: list[tuple[EmbeddedState, bool]] = []
    bridge.embeddedChanged.connect(
        lambda st: seen.append((st.state, threading.current_thread() is threading.main_thread()))
    )
    stopper = threading.Thread(target=service.stop)
    stopper.start()
    stopper.join(timeout=15)
    qtbot.waitUntil(lambda: (EmbeddedState.STOPPED, True) in seen, timeout=5000)
    assert all(on_main for _, on_main in seen)
    bridge.detach()
    client.close()


def test_embedded_crash_with_port_taken_the_desk_follows_to_the_new_port(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """The embedded child dies and another program grabs its HTTP port meanwhile: the watcher
    restarts it with backoff on a free port, reports the new address, and the desk's poller
    follows it there and carries on from its cursor."""
    import os
    import signal
    import socket

    from dispatch_app.feed.embedded import EmbeddedDataService, EmbeddedState, EmbeddedStatus

    service = EmbeddedDataService(
        tmp_path / "ds.db", simulate=False, log_path=tmp_path / "ds.log", restart_backoff_s=0.5
    )
    service.start()
    blocker = socket.socket()
    embedded_states: list[EmbeddedStatus] = []
    try:
        old_url, old_pid, port = service.url, service.pid, service.status.hj212_port
        assert old_url is not None and old_pid is not None and port is not None
        send(port, [packet(s, datetime.now(UTC) - timedelta(minutes=2), 5.0) for s in AIR])
        client = DataServiceClient(
            old_url, timeouts=ClientTimeouts(connect=0.5, read=2.0, total=5.0), retries=0
        )
        poller = FeedPoller(client, poll_interval_s=0.1, max_backoff_s=0.3)
        bridge = FeedBridge(poller, service)
        bridge.embeddedChanged.connect(embedded_states.append)

        async def scenario() -> None:
            await poller.start()
            await _until(lambda: poller.status.state is ConnectionState.CONNECTED, what="up")
            http_port = int(old_url.rsplit(":", 1)[1])
            os.kill(old_pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while True:  # take the port the moment the dead child lets go of it
                try:
                    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    blocker.bind(("127.0.0.1", http_port))
                    blocker.listen()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "port never freed"
                    await asyncio.sleep(0.01)
            await _until(
                lambda: service.status.state is EmbeddedState.RUNNING and service.pid != old_pid,
                timeout=30,
                what="restart",
            )
            assert service.url != old_url
            await _until(
                lambda: (
                    poller.status.state is ConnectionState.CONNECTED
                    and poller.client.base_url == service.url
                ),
                what="poller followed",
            )
            await asyncio.to_thread(
                send, service.status.hj212_port or 0, [packet(AIR[0], datetime.now(UTC), 9.0)]
            )
            final = await asyncio.to_thread(lambda: DataServiceClient(service.url or "").health())
            await _until(lambda: poller.cursor == final.cursor, what="caught up")
            await poller.stop()

        qasync_loop.run_until_complete(scenario())
        bridge.detach()
        client.close()
    finally:
        blocker.close()
        service.stop()
    kinds = [s.state for s in embedded_states]
    assert EmbeddedState.RESTARTING in kinds
    restarting = next(s for s in embedded_states if s.state is EmbeddedState.RESTARTING)
    assert "exited with code" in (restarting.last_error or "")
    assert max(s.restarts for s in embedded_states) == 1
