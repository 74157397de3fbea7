"""Compare: up to eight stations on one parameter, one row each, time and value axes linked.

One row per station rather than eight lines on one plot: with the axes linked the rows compare
exactly, and no line hides another. The same reference bands/lines as the trend are drawn on
every row, so "which station crossed the limit, and when" reads at a glance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.feed.records import Observation, Station
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.i18n import current_language
from ui.wall.charts.loader import SeriesLoader, SeriesRequest
from ui.wall.charts.outage import OutageVeil
from ui.wall.charts.parameters import parameter_name
from ui.wall.charts.plot import SeriesPlot
from ui.wall.charts.redraw import RedrawGate
from ui.wall.charts.references import level_of, references_for
from ui.wall.charts.series import SeriesArrays, SeriesSource
from ui.wall.charts.trend import RANGE_BY_KEY, RANGES, _appended, utc_now
from ui.widgets.flow_layout import FlowLayout

MAX_STATIONS = 8


class CompareChart(QWidget):
    loaded = Signal()
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
        self.setObjectName("compareChart")
        self._clock = clock
        self.loader = SeriesLoader(source, self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.stations: list[Station] = []
        self.parameter = "PM2.5"
        self.range_key = "24h"
        self.rows: dict[str, SeriesPlot] = {}
        self.errors: dict[str, str] = {}
        self._pending: set[str] = set()
        self._live: dict[str, list[Observation]] = {}
        self.gate = RedrawGate(self, self._redraw_live, redraw_interval_ms)

        self.registry: dict[str, Station] = {}
        self._by_text: dict[str, str] = {}  # completion text → station id
        self.picker = QLineEdit()
        self.picker.setObjectName("comparePicker")
        self.picker.setPlaceholderText(self.tr("Add a station: type its name…"))
        self.picker.setClearButtonEnabled(True)
        self._completion = QStringListModel(self)
        completer = QCompleter(self._completion, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.picker.setCompleter(completer)
        completer.activated.connect(self.add_by_text)
        self.picker.returnPressed.connect(lambda: self.add_by_text(self.picker.text()))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(lambda: self.add_by_text(self.picker.text()))
        self.chips = FlowLayout(spacing=4)
        self.chips.setSpacing(4)
        self.chip_buttons: dict[str, QToolButton] = {}
        pick = QHBoxLayout()
        pick.addWidget(self.picker, 1)
        pick.addWidget(self.add_button)
        pick.addLayout(self.chips, 3)

        self.parameter_box = QComboBox()
        self.parameter_box.setObjectName("compareParameter")
        self.parameter_box.setMinimumContentsLength(8)
        self.parameter_box.setPlaceholderText(self.tr("Add stations first"))
        self.parameter_box.currentIndexChanged.connect(self._parameter_chosen)
        bar = FlowLayout()  # wraps rather than widen the window
        bar.addWidget(QLabel(self.tr("Parameter")))
        bar.addWidget(self.parameter_box)
        self.range_group = QButtonGroup(self)
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
            bar.addWidget(button)
        self.status = QLabel("")
        self.rows_area = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_area)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(1)
        self.veil = OutageVeil(self.rows_area)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addLayout(bar)
        layout.addWidget(self.rows_area, 1)
        layout.addWidget(self.status)

    # --- what to compare -----------------------------------------------------------------------

    def set_stations(self, stations: Sequence[Station], parameter: str | None = None) -> None:
        if len(stations) > MAX_STATIONS:
            raise ValueError(
                self.tr("At most %1 stations can be compared").replace("%1", str(MAX_STATIONS))
            )
        ids = [s.id for s in stations]
        if len(set(ids)) != len(ids):
            raise ValueError(self.tr("A station is listed twice"))
        common = _common_parameters(stations)
        if stations and not common:
            raise ValueError(self.tr("These stations measure no parameter in common"))
        wanted = parameter or (
            self.parameter if self.parameter in common else common[0] if common else self.parameter
        )
        if stations and wanted not in common:
            raise ValueError(self.tr("Not every station measures %1").replace("%1", wanted))
        self.stations = list(stations)
        self.parameter = wanted
        self.parameter_box.blockSignals(True)
        self.parameter_box.clear()
        for key in common:
            self.parameter_box.addItem(parameter_name(key), key)
        self.parameter_box.setCurrentIndex(self.parameter_box.findData(wanted))
        self.parameter_box.blockSignals(False)
        self._show_chips()
        self._arrange_rows()
        self.reload()

    # --- the station picker ------------------------------------------------------------------

    def set_registry(self, stations: Iterable[Station]) -> None:
        """The stations the picker completes: "name (id)" for each."""
        self.registry = {s.id: s for s in stations}
        self._by_text = {f"{s.name} ({s.id})": s.id for s in self.registry.values()}
        self._completion.setStringList(sorted(self._by_text))

    def add_by_text(self, text: str) -> bool:
        """Add the station the picker's text names (completion text, exact name or id)."""
        text = text.strip()
        sid = self._by_text.get(text)
        if sid is None:
            matches = [s.id for s in self.registry.values() if text in (s.id, s.name)]
            sid = matches[0] if len(matches) == 1 else None
        if sid is None:
            self.status.setText(self.tr("No station named “%1”").replace("%1", text))
            return False
        try:
            self.add_station(self.registry[sid])
        except ValueError as exc:
            self.status.setText(str(exc))
            return False
        self.picker.clear()
        return True

    def _show_chips(self) -> None:
        for sid in list(self.chip_buttons):
            button = self.chip_buttons.pop(sid)
            self.chips.removeWidget(button)
            button.deleteLater()
        for station in self.stations:
            button = QToolButton()
            button.setText(f"{station.name} ✕")
            button.setToolTip(self.tr("Remove %1 from the comparison").replace("%1", station.name))
            button.clicked.connect(lambda _=False, sid=station.id: self.remove_station(sid))
            self.chips.addWidget(button)
            self.chip_buttons[station.id] = button

    def _parameter_chosen(self, index: int) -> None:
        key = self.parameter_box.itemData(index)
        if key and key != self.parameter:
            self.set_parameter(str(key))

    def add_station(self, station: Station) -> None:
        if any(s.id == station.id for s in self.stations):
            return
        self.set_stations([*self.stations, station])

    def remove_station(self, station_id: str) -> None:
        self.set_stations([s for s in self.stations if s.id != station_id])

    def set_parameter(self, parameter: str) -> None:
        self.set_stations(self.stations, parameter)

    def set_range(self, key: str) -> None:
        if key not in RANGE_BY_KEY:
            raise ValueError(f"unknown range {key!r}; expected one of {list(RANGE_BY_KEY)}")
        self.range_key = key
        self.range_buttons[key].setChecked(True)
        self.reload()

    def _arrange_rows(self) -> None:
        wanted = [s.id for s in self.stations]
        for sid in list(self.rows):
            if sid not in wanted:
                gone = self.rows.pop(sid)
                self.rows_layout.removeWidget(gone)
                gone.deleteLater()
        first: SeriesPlot | None = None
        for i, station in enumerate(self.stations):
            plot = self.rows.get(station.id)
            if plot is None:
                plot = SeriesPlot(self.rows_area)
                plot.english = current_language() == "en"
                plot.level_text = self._level_text_for(station)
                self.rows[station.id] = plot
            self.rows_layout.removeWidget(plot)
            self.rows_layout.insertWidget(i, plot, 1)
            plot.plot_item.setLabel("left", station.unit_of(self.parameter) or "")
            if first is None:
                first = plot
                plot.plot_item.setXLink(None)
                plot.plot_item.setYLink(None)
            else:
                plot.plot_item.setXLink(first.plot_item)
                plot.plot_item.setYLink(first.plot_item)
                # The shared value scale is the first row's, fitted to every row at once: a row
                # fitting itself to its own data would rescale all of them.
                plot.fit_values_on_data = False
            plot.plot_item.getAxis("bottom").setStyle(showValues=i == len(self.stations) - 1)
        self.veil.raise_()

    def _level_text_for(self, station: Station) -> Callable[[str, float, str], str]:
        def text(parameter: str, value: float, resolution: str) -> str:
            return level_of(
                parameter,
                value,
                resolution,
                self._clock().astimezone(CENTER_TZ).date(),
                waterbody=station.waterbody,
                english=current_language() == "en",
            )

        return text

    # --- loading ------------------------------------------------------------------------------

    def time_window(self) -> tuple[datetime, datetime, str]:
        preset = RANGE_BY_KEY[self.range_key]
        end = self._clock()
        return end - preset.span, end, preset.resolution

    def reload(self) -> None:
        if not self.stations:
            return
        start, end, resolution = self.time_window()
        generation = self.loader.next_generation()
        self._pending = {s.id for s in self.stations}
        self.errors = {}
        self._live.clear()
        self.status.setText(self.tr("Loading…"))
        for station in self.stations:
            self.loader.fetch(
                SeriesRequest(
                    station.id, station.id, self.parameter, start, end, resolution, generation
                )
            )

    def _on_loaded(self, request: SeriesRequest, series: SeriesArrays) -> None:
        if request.generation != self.loader.generation or request.tag not in self.rows:
            return
        station = next(s for s in self.stations if s.id == request.tag)
        plot = self.rows[request.tag]
        plot.set_series(
            request.tag,
            series,
            f"{station.name} {parameter_name(self.parameter)}",
            waterbody=station.waterbody,
        )
        plot.set_references(
            references_for(
                self.parameter,
                series.resolution,
                request.end.astimezone(CENTER_TZ).date(),
                waterbody=station.waterbody,
                target_class=station.target_class,
            )
        )
        plot.set_time_range(request.start, request.end)
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
        # Shared value axis (rows are Y-linked): fit it once to every row's data.
        extents = [e for e in (plot.value_extent() for plot in self.rows.values()) if e]
        if extents and self.stations:
            first = self.rows[self.stations[0].id]
            first.set_value_range(min(e[0] for e in extents), max(e[1] for e in extents))
        if self.errors:
            text = "; ".join(f"{k}: {v}" for k, v in self.errors.items())
            self.status.setText(self.tr("Could not load %1").replace("%1", text))
            self.failed.emit(text)
        else:
            self.status.setText("")
        self.loaded.emit()

    # --- live --------------------------------------------------------------------------------

    def append_observations(self, observations: Iterable[Observation]) -> int:
        taken = 0
        for obs in observations:
            if obs.parameter == self.parameter and obs.station in self.rows:
                self._live.setdefault(obs.station, []).append(obs)
                taken += 1
        if taken:
            self.gate.request()
        return taken

    def _redraw_live(self) -> None:
        if self._pending:
            return
        start, end, resolution = self.time_window()
        if resolution != "raw":
            self._live.clear()
            return
        for sid, observations in list(self._live.items()):
            plot = self.rows.get(sid)
            if plot is None or sid not in plot.traces:
                continue
            trace = plot.traces[sid]
            plot.set_series(
                sid, _appended(trace.series, observations, start.timestamp()), trace.name
            )
            plot.set_time_range(start, end)
        self._live.clear()

    def set_outage(self, since: datetime | None) -> None:
        self.veil.set_since(since)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.loader.shutdown()
        super().closeEvent(event)


def _common_parameters(stations: Sequence[Station]) -> list[str]:
    if not stations:
        return []
    first = [p.key for p in stations[0].parameters]
    others = [{p.key for p in s.parameters} for s in stations[1:]]
    return [k for k in first if all(k in o for o in others)]
