"""Bridges the Qt-free feed (dispatch_app/feed) to Qt: signals on the UI thread, the status bar's
data-service state, and the one call the main window makes to get a live station table.

The poller calls its subscribers on the asyncio loop, which under qasync is the Qt main thread;
the embedded service's watcher calls from its own thread. Re-emitting both as Qt signals of a
QObject living on the UI thread makes every receiver run there (queued across threads, PyDM-style),
so no widget is ever touched from another thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot

from dispatch_app.feed.embedded import EmbeddedDataService, EmbeddedState, EmbeddedStatus
from dispatch_app.feed.network_state import StationsBatch
from dispatch_app.feed.poller import ConnectionState, FeedPoller, FeedStatus
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.main_window import MainWindow
from ui.shell.status_bar import DeskStatusBar
from ui.stations.station_table import StationTableView

log = logging.getLogger(__name__)

CTX = "FeedBridge"


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


class FeedBridge(QObject):
    """Re-emits the poller's and the embedded service's callbacks as Qt signals."""

    stateChanged = Signal(object)  # FeedStatus
    stationsUpdated = Signal(object)  # StationsBatch
    embeddedChanged = Signal(object)  # EmbeddedStatus, always emitted on the UI thread
    _embeddedFromThread = Signal(object)

    def __init__(
        self,
        poller: FeedPoller,
        embedded: EmbeddedDataService | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.poller = poller
        self.embedded = embedded
        self._unsubscribe: list[Callable[[], None]] = [
            poller.subscribe_state(self.stateChanged.emit),
            poller.subscribe_stations(self.stationsUpdated.emit),
        ]
        if embedded is not None:
            # The watcher thread calls in; a queued hop to this object's (the UI) thread comes
            # before anything else sees the status, so every receiver of `embeddedChanged`, plain
            # functions included, runs on the UI thread.
            self._embeddedFromThread.connect(
                self._relay_embedded, Qt.ConnectionType.QueuedConnection
            )
            self._unsubscribe.append(embedded.subscribe(self._embeddedFromThread.emit))

    @property
    def status(self) -> FeedStatus:
        return self.poller.status

    @Slot(object)
    def _relay_embedded(self, status: EmbeddedStatus) -> None:
        self._follow_embedded(status)
        self.embeddedChanged.emit(status)

    def _follow_embedded(self, status: EmbeddedStatus) -> None:
        """The poller follows a restart of the embedded service (a new port, or the same one)."""
        if (
            status.state is EmbeddedState.RUNNING
            and status.url
            and status.url != self.poller.client.base_url
        ):
            log.info("embedded data service moved to %s", status.url)
            self.poller.rebase(status.url)
        elif status.state is EmbeddedState.RUNNING:
            self.poller.poll_now()  # back on the same port: catch up now, not after the backoff

    def detach(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()


def state_text(status: FeedStatus, embedded: EmbeddedStatus | None = None) -> tuple[str, bool]:
    """The status bar's words for the feed state, and whether all is well."""
    if embedded is not None and embedded.state is EmbeddedState.RESTARTING:
        return QCoreApplication.translate("FeedBridge", "Embedded data service restarting"), False
    if embedded is not None and embedded.state is EmbeddedState.FAILED:
        return QCoreApplication.translate("FeedBridge", "Embedded data service failed"), False
    if status.state is ConnectionState.CONNECTED:
        return QCoreApplication.translate("FeedBridge", "Data service connected"), True
    if status.state is ConnectionState.CONNECTING:
        return QCoreApplication.translate("FeedBridge", "Connecting to the data service"), False
    if status.state is ConnectionState.DEGRADED:
        return QCoreApplication.translate(
            "FeedBridge", "Data service not answering properly"
        ), False
    return QCoreApplication.translate("FeedBridge", "Data service down"), False


LIGHT_REFRESH_MS = 1000


def wire_status_bar(status_bar: DeskStatusBar, bridge: FeedBridge) -> QTimer:
    """Keep the status bar's data-service label current: the state, since when it is not well
    (the bar writes "since HH:MM:SS"), and the time of the last successful poll, refreshed every
    second from the poller itself (routine polls notify nobody). Green only while the poll
    tasks run and a poll succeeded a moment ago. Returns the refresh timer (owned by the bar)."""
    last_embedded: list[EmbeddedStatus | None] = [
        bridge.embedded.status if bridge.embedded is not None else None
    ]

    shown: list[tuple[object, ...] | None] = [None]

    def show(status: FeedStatus) -> None:
        text, ok = state_text(status, last_embedded[0])
        since: datetime | None = None if ok else status.since
        if ok and not bridge.poller.running:
            text = QCoreApplication.translate("FeedBridge", "Live feed stopped")
            ok, since = False, status.last_success
        if status.last_success is not None:
            when = status.last_success.astimezone(CENTER_TZ).strftime("%H:%M:%S")
            text = (
                QCoreApplication.translate("FeedBridge", "%1 · last poll %2")
                .replace("%1", text)
                .replace("%2", when)
            )
        if shown[0] == (text, ok, since, status.last_error):
            return  # the once-a-second refresh: nothing new to paint
        shown[0] = (text, ok, since, status.last_error)
        status_bar.set_data_service_state(text, ok, since)
        tip = [status.base_url]
        if status.last_error:
            tip.append(
                QCoreApplication.translate("FeedBridge", "Last error: %1").replace(
                    "%1", status.last_error
                )
            )
        if last_embedded[0] is not None and last_embedded[0].last_error:
            tip.append(last_embedded[0].last_error)
        status_bar.service.setToolTip("\n".join(tip))

    def on_embedded(emb: EmbeddedStatus) -> None:
        last_embedded[0] = emb
        shown[0] = None
        show(bridge.status)

    bridge.stateChanged.connect(show)
    bridge.embeddedChanged.connect(on_embedded)
    show(bridge.status)
    timer = QTimer(status_bar)
    timer.setObjectName("feedLightRefresh")
    timer.setInterval(LIGHT_REFRESH_MS)
    timer.timeout.connect(lambda: show(bridge.status))
    timer.start()
    return timer


def connect_station_table(bridge: FeedBridge, view: StationTableView) -> None:
    """Feed a station table from the bridge, starting from what the poller already has."""
    bridge.stationsUpdated.connect(view.apply_batch)
    bridge.stateChanged.connect(view.set_feed_status)
    network = bridge.poller.network
    if network.stations:
        view.apply_batch(StationsBatch(network.snapshots(), bridge.poller.cursor, initial=True))
    view.set_feed_status(bridge.status)


@dataclass
class FeedHandle:
    """What `install_feed` built for one window; `stop()` when the window goes. The poller is
    the session's: it runs on across windows (a change of user), so `stop()` only lets go."""

    poller: FeedPoller
    bridge: FeedBridge
    view: StationTableView
    embedded: EmbeddedDataService | None = None

    async def stop(self) -> None:
        self.bridge.detach()


def install_feed(
    window: MainWindow,
    poller: FeedPoller,
    *,
    embedded: EmbeddedDataService | None = None,
    area: str = "center",
) -> FeedHandle:
    """Wire the session's running live feed into the main window: the station table view and
    the status bar's data-service state."""
    bridge = FeedBridge(poller, embedded, parent=window)
    view = StationTableView()
    connect_station_table(bridge, view)
    wire_status_bar(window.status, bridge)
    window.add_view("stations", view, area, QCoreApplication.translate("FeedBridge", "Stations"))
    return FeedHandle(poller, bridge, view, embedded)
