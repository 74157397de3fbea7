"""The monitoring wall: the center's indicators, the ranked network, the map and the charts.

Composed of the parts in ui.wall.charts and ui.wall.map and fed from the desk's live feed (FeedPoller
through the FeedBridge) or directly through `apply_batch` / `apply_observations` /
`set_feed_status`. Selection is shared: a station picked in the overview, on the map or from
elsewhere (`select_station`) is selected in all of them and opened in the trend; a case pin
clicked on the map is re-emitted as `case_selected`.

Live behaviour: each part coalesces and redraws at most about twice a second and not while
hidden; a data-service outage greys every part and says since when.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.domain.indicators import Indicator, IndicatorRules, parse_indicator_rules
from dispatch_app.feed.network_state import Reading, Staleness, StationsBatch, StationSnapshot
from dispatch_app.feed.records import Observation, Station
from dispatch_app.resources import resource_path
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.i18n import current_language
from ui.shell.screen_fit import scrolling
from ui.stations.station_table import staleness_text
from ui.wall.charts.compare import MAX_STATIONS as MAX_COMPARED
from ui.wall.charts.compare import CompareChart
from ui.wall.charts.overview import SPARK_POINTS, NetworkOverview
from ui.wall.charts.ranking import headline_parameter, status_of
from ui.wall.charts.redraw import RedrawGate
from ui.wall.charts.series import FeedSeriesSource, SeriesArrays, SeriesSource
from ui.wall.charts.trend import TrendChart
from ui.wall.indicators import IndicatorResult, compute_indicators
from ui.wall.map.markers import CaseMarker, StationLook
from ui.wall.map.view import CaseTuple, MapView
from ui.wall.text import TileText

if TYPE_CHECKING:
    from dispatch_app.feed.client import DataServiceClient
    from ui.shell.feed_bridge import FeedHandle
    from ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
RULES_FILE = resource_path("rules", "indicators.toml")
INDICATOR_REFRESH_MS = 60 * 60 * 1000
INDICATOR_RETRY_MS = 2 * 60 * 1000  # after a result with missing series
SPARK_HISTORY = timedelta(hours=6)  # raw values fetched once at start for the sparklines
STALENESS_REFRESH_MS = 30_000  # the map's late/offline marks, re-judged as time passes
MAP_CHUNK = 80  # daily averages change slowly: hourly is plenty
STATUS_COLORS = {
    "good": "#00b050",
    "warning": "#ffc000",
    "bad": "#e00000",
    "no_data": "#808080",
}
# The status word's color on its badge (≥ 4.5:1 on both themes: the badge brings its ground).
STATUS_TEXT_COLORS = {"good": "black", "warning": "black", "bad": "white", "no_data": "black"}


def utc_now() -> datetime:
    return datetime.now(UTC)


TILE_FONT_PX = {"title": 13, "value": 26, "comparison": 12, "badge": 13}
"""The tiles' text sizes at their base size; they grow with the tile (``tile_scale``)."""
TILE_BASE = (210, 700)
"""A tile this wide, on a window this high, shows the base sizes (a 1920×1080 desk)."""
MAX_TILE_SCALE = 4.0


def tile_scale(tile_width: int, window_height: int) -> float:
    """How much larger the tiles' text is: with the tile's width and the window's height (a
    4K monitor or the room's video wall, read from three metres), never smaller than the base
    and never taller than the window can hold."""
    scale = min(tile_width / TILE_BASE[0], window_height / TILE_BASE[1])
    return max(1.0, min(MAX_TILE_SCALE, scale))


class IndicatorTile(QFrame):
    """One indicator: title, big value, comparison, and a status word (not only a color).

    The text grows with the tile (``tile_scale``) and never asks for width: a title or a value
    longer than the tile is cut with "…" (whole in the tooltip), so the tiles never widen the
    window, however many there are."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("indicatorTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.scale = 1.0
        self._badge_style = ""
        # Title and value shorten to the tile with "…" and a tooltip; the status word keeps
        # its size (ui/wall_text.py): nothing is clipped mid-word in a narrow tile.
        self.title = TileText("", lines=2)
        self.value = TileText("—")
        self.comparison = QLabel("")
        self.comparison.setWordWrap(True)
        self.comparison.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.badge = QLabel("")  # a status word is never cut
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.value)
        layout.addWidget(self.comparison)
        self.indicator: Indicator | None = None
        self.apply_scale(1.0)

    def apply_scale(self, scale: float) -> None:
        self.scale = scale
        px = {part: round(size * scale) for part, size in TILE_FONT_PX.items()}
        self.title.setStyleSheet(f"font-size: {px['title']}px;")
        self.value.setStyleSheet(f"font-size: {px['value']}px; font-weight: bold;")
        self.comparison.setStyleSheet(f"font-size: {px['comparison']}px;")
        self.badge.setStyleSheet(f"{self._badge_style} font-size: {px['badge']}px;")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        window = self.window()
        scale = tile_scale(self.width(), window.height() if window is not None else 0)
        if abs(scale - self.scale) > 0.05:
            self.apply_scale(scale)

    def show_indicator(self, indicator: Indicator) -> None:
        english = current_language() == "en"
        self.indicator = indicator
        self.title.set_full_text(indicator.title_en if english else indicator.title_zh)
        self.value.set_full_text(indicator.display())
        self.comparison.setText(indicator.comparison_en if english else indicator.comparison_zh)
        words = {
            "good": self.tr("on target"),
            "warning": self.tr("watch"),
            "bad": self.tr("off target"),
            "no_data": self.tr("no data"),
        }
        color = STATUS_COLORS[indicator.status]
        text_color = STATUS_TEXT_COLORS[indicator.status]
        self.badge.setText(words[indicator.status])
        self._badge_style = (
            f"background: {color}; color: {text_color}; padding: 2px 6px; border-radius: 3px;"
            " font-weight: bold;"
        )
        self.apply_scale(self.scale)
        self.setStyleSheet(f"QFrame#indicatorTile {{ border-left: 6px solid {color}; }}")
        self.setToolTip(indicator.hover(english))


TILE_MIN_WIDTH = 150
"""A tile is never narrower: with less room than a row of them needs, they go on two rows."""


class IndicatorStrip(QWidget):
    """The tiles side by side, equally wide, on as many rows as the width needs (a row of them
    never widens the window), followed by the note saying as of when."""

    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorStrip")
        self.tiles: dict[str, IndicatorTile] = {}
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel(self.tr("Indicators: computing…"))
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note.setMinimumWidth(TILE_MIN_WIDTH)
        self._columns = 0
        self._reflow()

    def columns_for(self, width: int) -> int:
        cells = len(self.tiles) + 1
        spacing = max(0, self._layout.horizontalSpacing())
        return max(1, min(cells, (width + spacing) // (TILE_MIN_WIDTH + spacing)))

    def _reflow(self, force: bool = False) -> None:
        columns = self.columns_for(self.width())
        if columns == self._columns and not force:
            return
        self._columns = columns
        for widget in [*self.tiles.values(), self.note]:
            self._layout.removeWidget(widget)
        for index, widget in enumerate([*self.tiles.values(), self.note]):
            self._layout.addWidget(widget, index // columns, index % columns)
        for column in range(self._layout.columnCount()):
            self._layout.setColumnStretch(column, 1 if column < columns else 0)
        self.rows_changed.emit()

    def row_height(self) -> int:
        """The height of one row of tiles (the least the wall shows of them)."""
        cells = [*self.tiles.values(), self.note]
        return max(c.minimumSizeHint().height() for c in cells) + 2

    def minimumSizeHint(self) -> QSize:
        # One tile wide: narrower than a row of tiles, they wrap (``_reflow``).
        hint = super().minimumSizeHint()
        return QSize(TILE_MIN_WIDTH, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()
        self.rows_changed.emit()  # tiles' text follows their size: so does a row's height

    def show_result(self, result: IndicatorResult) -> None:
        for indicator in result.indicators:
            tile = self.tiles.get(indicator.key)
            if tile is None:
                tile = IndicatorTile(indicator.key, self)
                self.tiles[indicator.key] = tile
                self._reflow(force=True)
            tile.show_indicator(indicator)
        as_of = result.as_of.isoformat()
        if result.failures:
            self.note.setText(
                self.tr("As of %1; %2 series missing")
                .replace("%1", as_of)
                .replace("%2", str(len(result.failures)))
            )
            self.note.setToolTip("\n".join(result.failures[:30]))
        else:
            self.note.setText(self.tr("As of %1").replace("%1", as_of))
            self.note.setToolTip("")

    def show_error(self, message: str) -> None:
        self.note.setText(self.tr("Indicators unavailable: %1").replace("%1", message))


class _IndicatorRunner(QObject):
    done = Signal(object)  # IndicatorResult
    failed = Signal(str)
    spark = Signal(str, object)  # station id, SeriesArrays of its headline parameter


class MonitoringWall(QWidget):
    station_selected = Signal(str)
    case_selected = Signal(int)

    def __init__(
        self,
        source: SeriesSource,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        rules: IndicatorRules | None = None,
        redraw_interval_ms: int = 500,
        indicator_refresh_ms: int = INDICATOR_REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("monitoringWall")
        self._source = source
        self._clock = clock
        self.stations: dict[str, Station] = {}
        self.outage_since: datetime | None = None

        self.indicators = IndicatorStrip()
        self.overview = NetworkOverview(redraw_interval_ms=redraw_interval_ms)
        self.map = MapView()
        self.trend = TrendChart(source, clock=clock, redraw_interval_ms=redraw_interval_ms)
        self.compare = CompareChart(source, clock=clock, redraw_interval_ms=redraw_interval_ms)
        self.charts = QTabWidget()
        self.charts.addTab(self.trend, self.tr("Trend"))
        self.charts.addTab(self.compare, self.tr("Compare"))
        self.feed_label = QLabel("")
        self.feed_label.setObjectName("wallFeedState")
        self.feed_label.setMinimumHeight(30)  # an outage banner must never be clipped
        self.feed_label.setWordWrap(True)
        self.feed_label.hide()  # shown while it says something: the height goes to the charts

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.map)
        right.addWidget(self.charts)
        # Map and trend share the height: the map carries the network, the open cases and
        # their legend; the trend the numbers read across the room.
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setSizes([500, 500])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.overview)
        body.addWidget(right)
        body.setSizes([560, 900])
        # The wall's parts sit in a scroll area of its own: on a short screen (the wall in the
        # tabs at 1366x768) they keep the least size they need and scroll, never overlapping,
        # and the wall never asks the window for more than the screen has.
        content = QWidget()
        content.setObjectName("wallContent")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content, "wallScroll"))
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)
        # The tiles take the rows they need when there is room, else one row and scroll: the
        # map and the charts keep their height on a small screen.
        self.indicator_area = scrolling(self.indicators, "indicatorArea")
        self.indicator_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.indicator_area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.indicators.rows_changed.connect(self._fit_indicator_area)
        self._fit_indicator_area()
        layout.addWidget(self.indicator_area)
        layout.addWidget(self.feed_label)
        layout.addWidget(body, 1)

        self.overview.station_activated.connect(self._station_picked)
        self.overview.compare_requested.connect(self.compare_stations)
        self.charts.currentChanged.connect(self._chart_shown)
        self.map.station_selected.connect(self._station_picked)
        self.map.case_selected.connect(self.case_selected)

        self._map_pending: dict[str, Mapping[str, Reading]] = {}
        self.map_gate = RedrawGate(self.map, self._apply_map, redraw_interval_ms)
        # Each station's latest snapshot: a station that stops reporting sends no batch, so
        # the map's late/offline marks are re-judged on a timer, by its own reporting rules.
        self._snapshots: dict[str, StationSnapshot] = {}
        self._staleness_timer = QTimer(self)
        self._staleness_timer.setInterval(STALENESS_REFRESH_MS)
        self._staleness_timer.timeout.connect(self.rejudge_staleness)
        self._staleness_timer.start()

        self._rules: IndicatorRules | None = rules
        if rules is None:
            try:
                self._rules = parse_indicator_rules(RULES_FILE.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                self.indicators.show_error(str(exc))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="indicators")
        self._stopping = threading.Event()  # set by shutdown(): a running job stops fetching
        self._runner = _IndicatorRunner(self)
        self._runner.done.connect(self._indicators_done)
        self._runner.failed.connect(self.indicators.show_error)
        self._indicator_job: Future[None] | None = None
        self._indicator_timer = QTimer(self)
        self._indicator_timer.setInterval(indicator_refresh_ms)
        self._indicator_timer.timeout.connect(self.refresh_indicators)
        self._indicator_timer.start()
        # Sparkline history: fetched once, on a worker of its own (the indicators' worker may be
        # busy for minutes), as soon as the registry is known.
        self._spark_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sparklines")
        self._spark_job: Future[None] | None = None
        self._runner.spark.connect(self._seed_spark)

    def _fit_indicator_area(self) -> None:
        strip = self.indicators
        self.indicator_area.setMinimumHeight(strip.row_height())
        self.indicator_area.setMaximumHeight(strip.sizeHint().height())
        self.indicator_area.updateGeometry()

    # --- network ---------------------------------------------------------------------------

    def set_stations(self, stations: Iterable[Station]) -> None:
        registry = list(stations)
        changed = {s.id for s in registry} != set(self.stations)
        self.stations = {s.id: s for s in registry}
        self.overview.set_stations(registry)
        self.map.set_stations(registry)
        self.compare.set_registry(registry)
        if changed:
            self.refresh_indicators()
        if self._spark_job is None and self.stations:
            self.seed_sparklines()

    def seed_sparklines(self) -> None:
        """Fetch the last hours of each station's headline parameter on a worker thread and
        put them on the overview's sparklines ahead of the live values. Once per wall: later
        values come from the live feed. A station that fails is left with its live values only.
        """
        stations, source = list(self.stations.values()), self._source
        end = self._clock()
        start = end - SPARK_HISTORY

        def job() -> None:
            for station in stations:
                if self._stopping.is_set():
                    return
                try:
                    series = source.fetch_series(
                        station.id, headline_parameter(station), start, end, "raw"
                    )
                except Exception as exc:  # one station's history is not worth stopping for
                    log.warning("sparkline history of %s: %s", station.id, exc)
                    continue
                self._runner.spark.emit(station.id, series)

        self._spark_job = self._spark_pool.submit(job)

    def sparklines_busy(self) -> bool:
        return self._spark_job is not None and not self._spark_job.done()

    def _seed_spark(self, station_id: str, series: SeriesArrays) -> None:
        # Valid values only (flag N), and only before the first live value already shown.
        keep = series.normal & np.isfinite(series.values)
        first_live = self.overview.model.first_live.get(station_id)
        if first_live is not None:
            keep &= series.times < first_live.timestamp()
        times = series.times[keep]
        until = datetime.fromtimestamp(float(times[-1]), UTC) if len(times) else None
        self.overview.model.seed_spark(
            station_id, series.values[keep][-SPARK_POINTS:].tolist(), until
        )

    def apply_batch(self, batch: StationsBatch) -> None:
        """A coalesced batch from the poller (or any source of latest readings)."""
        if batch.initial or set(batch.snapshots) - set(self.stations):
            known = {sid: snap.station for sid, snap in batch.snapshots.items()}
            if batch.initial or not set(known) <= set(self.stations):
                self.set_stations({**self.stations, **known}.values())
        if batch.initial:
            self._snapshots.clear()
        self._snapshots.update(batch.snapshots)
        readings = {sid: snap.readings for sid, snap in batch.snapshots.items()}
        self.overview.update_readings(readings)
        self._map_pending.update(readings)
        self.map_gate.request()

    def apply_observations(self, observations: Iterable[Observation]) -> None:
        """Every observation, in order (the poller's observation subscription): the live tail."""
        items = tuple(observations)
        self.trend.append_observations(items)
        self.compare.append_observations(items)

    def _apply_map(self) -> None:
        # In slices, like the overview: a whole-network update never holds the loop for long.
        ids = list(self._map_pending)[:MAP_CHUNK]
        pending = {sid: self._map_pending.pop(sid) for sid in ids}
        if self._map_pending:
            QTimer.singleShot(0, self._apply_map)
        english = current_language() == "en"
        now = self._clock()
        for sid, readings in pending.items():
            station = self.stations.get(sid)
            if station is None:
                continue
            status = status_of(station, readings)
            label = status.label + ("*" if status.partial else "")
            color, words = status.color, status.status_text(english)
            snap = self._snapshots.get(sid)
            level = snap.staleness(now) if snap is not None else Staleness.FRESH
            if snap is not None and level is not Staleness.FRESH:
                # Late: the colour stays with a word; offline: grey, its last level a memory.
                words = f"{staleness_text(snap, now)} · {words}"
                if level is not Staleness.LATE:
                    color = None
            self.map.set_station_look(sid, StationLook(label, color, words, status.rank_value))

    def rejudge_staleness(self) -> None:
        """Re-judge every station's late/offline mark on the map (the timer does, as time
        passes with no data)."""
        if self._snapshots:
            self._map_pending.update({sid: s.readings for sid, s in self._snapshots.items()})
            self.map_gate.request()

    # --- feed state ------------------------------------------------------------------------------

    def set_feed_status(self, status: Any) -> None:
        """A FeedStatus from the poller: DOWN greys every part and says since when."""
        state = str(getattr(status, "state", ""))
        since = getattr(status, "since", None)
        if state == "down" and isinstance(since, datetime):
            self.set_outage(since)
        else:
            self.set_outage(None)
        if state == "down":
            return  # set_outage wrote the banner
        if state == "degraded":
            error = str(getattr(status, "last_error", "") or "")
            self.feed_label.setText(self.tr("Data service degraded: %1").replace("%1", error))
        elif state == "connecting":
            self.feed_label.setText(self.tr("Connecting to the data service…"))
        else:
            self.feed_label.setText("")
        self.feed_label.setVisible(bool(self.feed_label.text()))

    def set_outage(self, since: datetime | None) -> None:
        self.outage_since = since
        self.overview.set_outage(since)
        self.map.set_outage(since)
        self.trend.set_outage(since)
        self.compare.set_outage(since)
        if since is not None:
            stamp = since.astimezone(CENTER_TZ).strftime("%m-%d %H:%M:%S")
            self.feed_label.setText(
                self.tr("Data service unreachable since %1").replace("%1", stamp)
            )
            self.feed_label.setStyleSheet(
                "background: #505050; color: white; font-weight: bold; font-size: 16px;"
                " padding: 4px;"
            )
        else:
            self.feed_label.setStyleSheet("")
        self.feed_label.setVisible(bool(self.feed_label.text()))

    # --- selection ---------------------------------------------------------------------------

    def _station_picked(self, station_id: str) -> None:
        self.select_station(station_id)
        self.station_selected.emit(station_id)

    def select_station(self, station_id: str, *, center: bool = False) -> bool:
        """Select everywhere and open the trend (``center``: and centre the map on it, for a
        selection made away from the map); False for an unknown station."""
        station = self.stations.get(station_id)
        if station is None:
            return False
        self.overview.select_station(station_id)
        self.map.select_station(station_id, center=center)
        if self.trend.station is None or self.trend.station.id != station_id:
            self.trend.set_station(station)
        self.charts.setCurrentWidget(self.trend)
        return True

    def compare_stations(self, station_ids: Iterable[str]) -> bool:
        """Compare these stations (from the ranking's selection): the Compare tab, in front.
        False, with the reason in the compare's status line, when they cannot be compared."""
        chosen = [self.stations[s] for s in station_ids if s in self.stations]
        self.charts.setCurrentWidget(self.compare)
        try:
            self.compare.set_stations(chosen)
        except ValueError as exc:
            self.compare.status.setText(str(exc))
            return False
        return True

    def _chart_shown(self, _index: int) -> None:
        """Compare opened empty: start from the trend's station, else the national stations."""
        if self.charts.currentWidget() is not self.compare or self.compare.stations:
            return
        station = self.trend.station
        seed = (
            [station]
            if station is not None
            else [s for s in self.stations.values() if s.kind == "air_national"]
        )
        with contextlib.suppress(ValueError):
            self.compare.set_stations(seed[:MAX_COMPARED])

    def set_cases(self, cases: Iterable[CaseMarker | CaseTuple]) -> None:
        self.map.set_cases(cases)

    def select_case(self, case_id: int, *, center: bool = True) -> None:
        """Select a case pin (none when the case is not on the map) without emitting."""
        self.map.select_case(case_id, center=center)

    # --- indicators ------------------------------------------------------------------------------

    def as_of(self) -> date:
        return self._clock().astimezone(CENTER_TZ).date()

    def refresh_indicators(self) -> None:
        """Recompute the indicators on a worker thread (a no-op while one is running)."""
        if self._rules is None or not self.stations:
            return
        if self._indicator_job is not None and not self._indicator_job.done():
            return
        rules, stations, source, as_of = (
            self._rules,
            list(self.stations.values()),
            self._source,
            self.as_of(),
        )

        def job() -> None:
            try:
                result = compute_indicators(source, stations, rules, as_of, self._stopping)
            except Exception as exc:
                log.exception("computing the indicators failed")
                self._runner.failed.emit(f"{type(exc).__name__}: {exc}")
                return
            self._runner.done.emit(result)

        self._indicator_job = self._pool.submit(job)

    def _indicators_done(self, result: IndicatorResult) -> None:
        self.indicators.show_result(result)
        if result.failures and not self._stopping.is_set():
            # A busy service (a first start ingesting its backfill) or a lost connection: try
            # again soon rather than show gaps until the hourly refresh.
            QTimer.singleShot(INDICATOR_RETRY_MS, self.refresh_indicators)

    def shutdown(self) -> None:
        self._stopping.set()
        self._indicator_timer.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._spark_pool.shutdown(wait=False, cancel_futures=True)
        self.trend.loader.shutdown()
        self.compare.loader.shutdown()


def install_wall(window: MainWindow, feed: FeedHandle, client: DataServiceClient) -> MonitoringWall:
    """Build the wall on the window's live feed and host it in the window.

    ``client`` is the session's series client, apart from the poller's, so a long fetch never
    delays the live updates."""
    wall = MonitoringWall(FeedSeriesSource(client, limit=50_000))
    bridge = feed.bridge
    poller = feed.poller
    bridge.stationsUpdated.connect(wall.apply_batch)
    bridge.stateChanged.connect(wall.set_feed_status)
    unsubscribe = poller.subscribe_observations(wall.apply_observations)
    network = poller.network
    if network.stations:
        wall.apply_batch(StationsBatch(network.snapshots(), poller.cursor, initial=True))
    wall.set_feed_status(bridge.status)

    def closing() -> None:
        unsubscribe()
        wall.shutdown()

    window.closing.connect(closing)
    # translate() with the class's context: tr() here is not inside the class, so the
    # translation tools file the string under another context than the one looked up.
    title = QCoreApplication.translate("MonitoringWall", "Monitoring wall")
    window.add_view("wall", wall, "center", title, detach_shortcut="F11")
    return wall
