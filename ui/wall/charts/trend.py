"""The station trend: one station, the chosen parameters, one stacked plot per parameter.

Each parameter gets its own plot because units differ (µg/m³ beside mg/m³ on one axis would
mislead); the plots share one time axis. Ranges 6 h, 24 h, 7 d, 30 d, 1 year or custom; the
preset ranges end "now" and follow the live tail. Data is fetched off the UI thread; live
observations are appended and redrawn at most twice a second, and not at all while hidden.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from PySide6.QtCore import QDateTime, QTimer, QTimeZone, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.feed.records import Observation, Station
from dispatch_app.standards.center_time import CENTER_TZ, CENTER_TZ_NAME
from ui.shell.i18n import current_language
from ui.wall.charts.loader import SeriesLoader, SeriesRequest
from ui.wall.charts.outage import OutageVeil
from ui.wall.charts.parameters import parameter_name
from ui.wall.charts.plot import SeriesPlot, shanghai_text
from ui.wall.charts.redraw import RedrawGate
from ui.wall.charts.references import level_of, references_for
from ui.wall.charts.series import SeriesArrays, SeriesSource
from ui.widgets.file_dialogs import FileMode, choose_files
from ui.widgets.flow_layout import FlowLayout


@dataclass(frozen=True, slots=True)
class RangePreset:
    key: str
    span: timedelta
    resolution: str  # raw for short ranges; hourly/daily means beyond a week


RANGES: tuple[RangePreset, ...] = (
    RangePreset("6h", timedelta(hours=6), "raw"),
    RangePreset("24h", timedelta(hours=24), "raw"),
    RangePreset("7d", timedelta(days=7), "hour"),
    RangePreset("30d", timedelta(days=30), "hour"),
    RangePreset("1y", timedelta(days=365), "day"),
)
RANGE_BY_KEY = {r.key: r for r in RANGES}
MAX_PARAMETERS = 6
AGGREGATE_REFRESH_MS = 5 * 60 * 1000
# Parameters shown first when a station is opened: what the officer looks at first.
DEFAULT_AIR = ("PM2.5", "O3")
DEFAULT_WATER = ("NH3-N", "TP", "CODMn")


def resolution_for(span: timedelta) -> str:
    """For a custom range: raw up to two days, hourly up to 90 days, daily beyond."""
    if span <= timedelta(days=2):
        return "raw"
    if span <= timedelta(days=90):
        return "hour"
    return "day"


def utc_now() -> datetime:
    return datetime.now(UTC)


class TrendChart(QWidget):
    loaded = Signal()  # every requested parameter answered (or failed)
    failed = Signal(str)

    def __init__(
        self,
        source: SeriesSource,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        redraw_interval_ms: int = 500,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stationTrend")
        self._clock = clock
        self.loader = SeriesLoader(source, self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.station: Station | None = None
        self.parameters: list[str] = []
        self.range_key: str | None = "24h"
        self.custom: tuple[datetime, datetime, str] | None = None
        self.live = True
        self.plots: dict[str, SeriesPlot] = {}
        self.errors: dict[str, str] = {}
        self._pending: set[str] = set()
        self._live_buffer: dict[str, list[Observation]] = {}
        self.gate = RedrawGate(self, self._redraw_live, redraw_interval_ms)
        # Hourly and daily means are computed by the service: a live trend over 7 days or more
        # refetches them every few minutes instead of appending raw values.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(AGGREGATE_REFRESH_MS)
        self.refresh_timer.timeout.connect(self._refresh_aggregates)
        self.refresh_timer.start()

        self.title = QLabel(self.tr("No station selected"))
        self.title.setObjectName("trendTitle")
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.status = QLabel("")
        self.status.setObjectName("trendStatus")
        self.status.setWordWrap(True)

        # Parameter and range buttons wrap onto another line rather than widen the window.
        self.param_bar = FlowLayout()
        self.param_buttons: dict[str, QToolButton] = {}
        range_bar = self._build_range_bar()
        self.plot_area = QWidget()
        self.plot_layout = QVBoxLayout(self.plot_area)
        self.plot_layout.setContentsMargins(0, 0, 0, 0)
        self.plot_layout.setSpacing(2)
        self.plot_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.veil = OutageVeil(self.plot_area)

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        layout.addLayout(header)
        layout.addLayout(self.param_bar)
        layout.addLayout(range_bar)
        layout.addWidget(self.plot_area, 1)
        layout.addWidget(self.status)
        self._set_custom_edits(*self.time_window())

    # --- what to show --------------------------------------------------------------------------

    def _build_range_bar(self) -> FlowLayout:
        """The range presets, the custom range, Live and the exports, in a row that wraps."""
        self.range_group = QButtonGroup(self)
        self.range_group.setExclusive(True)
        range_bar = FlowLayout()
        labels = {
            "6h": self.tr("6 h"),
            "24h": self.tr("24 h"),
            "7d": self.tr("7 d"),
            "30d": self.tr("30 d"),
            "1y": self.tr("1 year"),
        }
        self.range_buttons: dict[str, QPushButton] = {}
        for preset in RANGES:
            button = QPushButton(labels[preset.key])
            button.setCheckable(True)
            button.setChecked(preset.key == self.range_key)
            button.clicked.connect(lambda _=False, k=preset.key: self.set_range(k))
            self.range_group.addButton(button)
            self.range_buttons[preset.key] = button
            range_bar.addWidget(button)
        self.custom_start = QDateTimeEdit()
        self.custom_end = QDateTimeEdit()
        for edit in (self.custom_start, self.custom_end):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setTimeZone(QTimeZone(CENTER_TZ_NAME.encode()))
            edit.setCalendarPopup(True)
        self.custom_button = QPushButton(self.tr("Custom"))
        self.custom_button.setCheckable(True)
        self.range_group.addButton(self.custom_button)
        self.custom_button.clicked.connect(self._apply_custom)
        custom = QWidget()
        custom_row = QHBoxLayout(custom)
        custom_row.setContentsMargins(0, 0, 0, 0)
        custom_row.addWidget(self.custom_start)
        custom_row.addWidget(QLabel("–"))
        custom_row.addWidget(self.custom_end)
        custom_row.addWidget(self.custom_button)
        range_bar.addWidget(custom)
        self.live_box = QCheckBox(self.tr("Live"))
        self.live_box.setChecked(True)
        self.live_box.toggled.connect(self.set_live)
        range_bar.addWidget(self.live_box)
        png = QPushButton(self.tr("Export PNG"))
        png.clicked.connect(self._ask_png)
        csv_button = QPushButton(self.tr("Export CSV"))
        csv_button.clicked.connect(self._ask_csv)
        range_bar.addWidget(png)
        range_bar.addWidget(csv_button)
        return range_bar

    def set_source(self, source: SeriesSource) -> None:
        self.loader.set_source(source)
        self.reload()

    def set_station(self, station: Station, parameters: Sequence[str] | None = None) -> None:
        """Open a station; parameters default to the headline ones it measures."""
        self.station = station
        keys = [p.key for p in station.parameters]
        if parameters is None:
            preferred = DEFAULT_WATER if station.kind.startswith("water") else DEFAULT_AIR
            parameters = [p for p in preferred if p in keys] or keys[:1]
        unknown = [p for p in parameters if p not in keys]
        if unknown:
            raise ValueError(f"{station.id} does not measure {', '.join(unknown)}")
        self.title.setText(f"{station.name}  {station.id}")
        self._rebuild_param_buttons(keys)
        self.set_parameters(parameters)

    def set_parameters(self, parameters: Sequence[str]) -> None:
        if len(parameters) > MAX_PARAMETERS:
            raise ValueError(f"at most {MAX_PARAMETERS} parameters at once")
        self.parameters = list(dict.fromkeys(parameters))
        for key, button in self.param_buttons.items():
            button.blockSignals(True)
            button.setChecked(key in self.parameters)
            button.blockSignals(False)
        self._arrange_plots()
        self.reload()

    def _rebuild_param_buttons(self, keys: Sequence[str]) -> None:
        for button in self.param_buttons.values():
            self.param_bar.removeWidget(button)
            button.deleteLater()
        self.param_buttons = {}
        for key in keys:
            button = QToolButton()
            button.setText(parameter_name(key))
            button.setToolTip(key)
            button.setCheckable(True)
            button.toggled.connect(lambda on, k=key: self._toggle_parameter(k, on))
            self.param_bar.addWidget(button)
            self.param_buttons[key] = button

    def _toggle_parameter(self, key: str, on: bool) -> None:
        chosen = [p for p in self.parameters if p != key] + ([key] if on else [])
        if on and len(chosen) > MAX_PARAMETERS:
            self.param_buttons[key].setChecked(False)
            self.status.setText(
                self.tr("At most %1 parameters at once").replace("%1", str(MAX_PARAMETERS))
            )
            return
        self.set_parameters(chosen)

    def _arrange_plots(self) -> None:
        first: SeriesPlot | None = None
        for key in list(self.plots):
            if key not in self.parameters:
                plot = self.plots.pop(key)
                self.plot_layout.removeWidget(plot)
                plot.deleteLater()
        for key in self.parameters:
            existing = self.plots.get(key)
            if existing is None:
                plot = SeriesPlot(self.plot_area)
                plot.english = current_language() == "en"
                plot.level_text = self._level_text
                self.plots[key] = plot
                self.plot_layout.addWidget(plot, 1)
            else:
                plot = existing
            plot.plot_item.setLabel("left", parameter_name(key), units=None)
            if first is None:
                first = plot
                plot.plot_item.setXLink(None)
            else:
                plot.plot_item.setXLink(first.plot_item)
        # One time axis with labels, under the last plot: the plots share it.
        for key in self.parameters:
            last = key == self.parameters[-1]
            self.plots[key].plot_item.getAxis("bottom").setStyle(showValues=last)
        self.veil.raise_()

    def _level_text(self, parameter: str, value: float, resolution: str) -> str:
        station = self.station
        return level_of(
            parameter,
            value,
            resolution,
            self._clock().astimezone(CENTER_TZ).date(),
            waterbody=station.waterbody if station else None,
            english=current_language() == "en",
        )

    # --- range --------------------------------------------------------------------------------

    def time_window(self) -> tuple[datetime, datetime, str]:
        """The current (start, end, resolution)."""
        if self.range_key is None and self.custom is not None:
            return self.custom
        preset = RANGE_BY_KEY[self.range_key or "24h"]
        end = self._clock()
        return end - preset.span, end, preset.resolution

    def set_range(self, key: str) -> None:
        if key not in RANGE_BY_KEY:
            raise ValueError(f"unknown range {key!r}; expected one of {list(RANGE_BY_KEY)}")
        self.range_key = key
        self.custom = None
        self.range_buttons[key].setChecked(True)
        self._set_custom_edits(*self.time_window())
        self.reload()

    def set_custom_range(
        self, start: datetime, end: datetime, resolution: str | None = None
    ) -> None:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("custom range times must carry their time zone")
        if end <= start:
            raise ValueError(self.tr("The end of the range must be after its start"))
        if end - start > timedelta(days=3 * 366):
            raise ValueError(self.tr("A custom range may span at most three years"))
        self.range_key = None
        self.custom = (start, end, resolution or resolution_for(end - start))
        self.custom_button.setChecked(True)
        self._set_custom_edits(*self.custom)
        self.reload()

    def _apply_custom(self) -> None:
        start = datetime.fromtimestamp(self.custom_start.dateTime().toSecsSinceEpoch(), UTC)
        end = datetime.fromtimestamp(self.custom_end.dateTime().toSecsSinceEpoch(), UTC)
        try:
            self.set_custom_range(start, end)
        except ValueError as exc:
            self.status.setText(str(exc))
            if self.range_key:
                self.range_buttons[self.range_key].setChecked(True)

    def _set_custom_edits(self, start: datetime, end: datetime, _resolution: str) -> None:
        for edit, moment in ((self.custom_start, start), (self.custom_end, end)):
            edit.blockSignals(True)
            edit.setDateTime(
                QDateTime.fromSecsSinceEpoch(
                    int(moment.timestamp()), QTimeZone(CENTER_TZ_NAME.encode())
                )
            )
            edit.blockSignals(False)

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.station is None or not self.parameters:
            return
        start, end, resolution = self.time_window()
        generation = self.loader.next_generation()
        self._pending = set(self.parameters)
        self.errors = {}
        self._live_buffer.clear()
        self.status.setText(self.tr("Loading…"))
        for plot in self.plots.values():
            plot.set_time_range(start, end)
        for key in self.parameters:
            self.loader.fetch(
                SeriesRequest(key, self.station.id, key, start, end, resolution, generation)
            )

    def _on_loaded(self, request: SeriesRequest, series: SeriesArrays) -> None:
        if request.generation != self.loader.generation or request.tag not in self.plots:
            return  # an answer to a question no longer asked
        plot = self.plots[request.tag]
        station = self.station
        assert station is not None
        buffered = self._live_buffer.pop(request.tag, [])
        if buffered and series.resolution == "raw":
            series = _appended(series, buffered)
        plot.set_series(
            request.tag,
            series,
            f"{station.name} {parameter_name(request.tag)}",
            waterbody=station.waterbody,
        )
        plot.set_references(
            references_for(
                request.tag,
                series.resolution,
                request.end.astimezone(CENTER_TZ).date(),
                waterbody=station.waterbody,
                target_class=station.target_class,
            )
        )
        name = parameter_name(request.tag)
        plot.plot_item.setLabel("left", f"{name} ({series.unit})" if series.unit else name)
        plot.set_time_range(request.start, request.end)
        plot.fit_values()
        self._answered(request.tag)

    def _on_failed(self, request: SeriesRequest, message: str) -> None:
        if request.generation != self.loader.generation:
            return
        self.errors[request.tag] = message
        self._answered(request.tag)

    def _answered(self, tag: str) -> None:
        self._pending.discard(tag)
        if self._pending:
            return
        if self.errors:
            text = "; ".join(f"{k}: {v}" for k, v in self.errors.items())
            self.status.setText(self.tr("Could not load %1").replace("%1", text))
            self.failed.emit(text)
        else:
            start, end, resolution = self.time_window()
            self.status.setText(
                self.tr("%1 – %2 (Beijing time), %3 values")
                .replace("%1", shanghai_text(start.timestamp()))
                .replace("%2", shanghai_text(end.timestamp()))
                .replace(
                    "%3",
                    {"raw": self.tr("raw"), "hour": self.tr("hourly"), "day": self.tr("daily")}[
                        resolution
                    ],
                )
            )
        self.loaded.emit()

    # --- live tail ------------------------------------------------------------------------------

    def set_live(self, on: bool) -> None:
        self.live = on
        if self.live_box.isChecked() != on:
            self.live_box.setChecked(on)

    def append_observations(self, observations: Iterable[Observation]) -> int:
        """Take the live observations of the shown station; returns how many were taken."""
        if not self.live or self.station is None or self.range_key is None:
            return 0
        taken = 0
        for obs in observations:
            if obs.station == self.station.id and obs.parameter in self.plots:
                self._live_buffer.setdefault(obs.parameter, []).append(obs)
                taken += 1
        if taken:
            self.gate.request()
        return taken

    def _refresh_aggregates(self) -> None:
        if not self.live or self.range_key is None or not self.isVisible() or self._pending:
            return
        if RANGE_BY_KEY[self.range_key].resolution != "raw":
            self.reload()

    def _redraw_live(self) -> None:
        if self._pending:
            return  # a reload is running: its answer takes the buffered observations
        start, end, resolution = self.time_window()
        for key, observations in list(self._live_buffer.items()):
            plot = self.plots.get(key)
            if plot is None or key not in plot.traces:
                continue
            trace = plot.traces[key]
            if resolution != "raw":
                continue  # hourly/daily means come from the service, refreshed on reload
            series = _appended(trace.series, observations, drop_before=start.timestamp())
            plot.set_series(key, series, trace.name, waterbody=trace.waterbody)
            plot.set_time_range(start, end)
            del self._live_buffer[key]

    # --- outage ----------------------------------------------------------------------------

    def set_outage(self, since: datetime | None) -> None:
        self.veil.set_since(since)

    # --- export -----------------------------------------------------------------------------

    def export_png(self, path: Path) -> Path:
        if not self.plot_area.grab().save(str(path), "PNG"):
            raise OSError(self.tr("Could not write %1").replace("%1", str(path)))
        return path

    def export_csv(self, path: Path) -> Path:
        """Every point of every shown series, flagged ones included, times in Beijing time."""
        station = self.station
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "time (Asia/Shanghai)",
                    "station",
                    "name",
                    "parameter",
                    "value",
                    "unit",
                    "flag",
                    "resolution",
                ]
            )
            for key, plot in self.plots.items():
                trace = plot.traces.get(key)
                if trace is None:
                    continue
                s = trace.series
                for t, v, f in zip(s.times, s.values, s.flags, strict=True):
                    writer.writerow(
                        [
                            shanghai_text(float(t), seconds=True),
                            s.station,
                            station.name if station else "",
                            s.parameter,
                            "" if not np.isfinite(v) else f"{v:.6g}",
                            s.unit,
                            str(f),
                            s.resolution,
                        ]
                    )
        return path

    def _ask_png(self) -> None:
        choose_files(
            self,
            self.tr("Export PNG"),
            self._png_chosen,
            "trend.png",
            "PNG (*.png)",
            mode=FileMode.SAVE,
            default_suffix="png",
        )

    def _png_chosen(self, paths: list[Path]) -> None:
        if paths:
            try:
                self.export_png(paths[0])
            except OSError as exc:
                self.status.setText(str(exc))

    def _ask_csv(self) -> None:
        choose_files(
            self,
            self.tr("Export CSV"),
            self._csv_chosen,
            "trend.csv",
            "CSV (*.csv)",
            mode=FileMode.SAVE,
            default_suffix="csv",
        )

    def _csv_chosen(self, paths: list[Path]) -> None:
        if paths:
            try:
                self.export_csv(paths[0])
            except OSError as exc:
                self.status.setText(
                    self.tr("Could not write %1").replace("%1", f"{paths[0]}: {exc}")
                )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.loader.shutdown()
        super().closeEvent(event)


def _appended(
    series: SeriesArrays, observations: Sequence[Observation], drop_before: float | None = None
) -> SeriesArrays:
    """The series with live observations merged in time order (a repeat of a time replaces it)."""
    times = np.array([o.time.timestamp() for o in observations], dtype=np.float64)
    values = np.array(
        [np.nan if o.value is None else o.value for o in observations], dtype=np.float64
    )
    flags = np.array(
        [o.flag for o in observations], dtype=series.flags.dtype if len(series) else "<U2"
    )
    all_t = np.concatenate([series.times, times])
    all_v = np.concatenate([series.values, values])
    all_f = np.concatenate([series.flags.astype("<U2"), flags.astype("<U2")])
    # Last occurrence of each time wins (late corrections), then ascending time.
    order = np.argsort(all_t, kind="stable")
    all_t, all_v, all_f = all_t[order], all_v[order], all_f[order]
    keep = np.ones(len(all_t), dtype=bool)
    keep[:-1] = all_t[1:] != all_t[:-1]
    if drop_before is not None:
        keep &= all_t >= drop_before
    return SeriesArrays(
        series.station,
        series.parameter,
        series.unit,
        series.resolution,
        all_t[keep],
        all_v[keep],
        all_f[keep],
        series.truncated,
    )
