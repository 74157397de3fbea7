"""Linked monitoring inside an emergency case: the selected affected station's recent data.

The duty officer working an emergency wants to see, without leaving the case, whether the
plume has reached the section downstream or the AQI downwind is climbing: the last 24 hours
of hourly averages of the parameters the event moves, one curve each, with the latest value
in the title. The data comes from the data service through the wall's series source on worker
threads (`SeriesLoader`); without a data service the chart says so. The wall's full trend is
one double-click away (the station list's activation).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.wall.charts.loader import SeriesLoader, SeriesRequest
from ui.wall.charts.series import SeriesArrays, SeriesSource, curve_arrays
from ui.wall.charts.time_axis import ShanghaiTimeAxis

WINDOW = timedelta(hours=24)
# The parameters an event moves, by station type; those the station measures are drawn.
WATER_PARAMETERS = ("NH3-N", "CODMn", "TP", "DO")
AIR_PARAMETERS = ("PM2.5", "PM10", "NO2", "SO2", "O3")
# Distinct on a dark or a light theme, and told apart by their legend entries too.
CURVE_COLORS = ("#4fc3f7", "#ffb74d", "#e57373", "#81c784", "#ba68c8")


def linked_parameters(station_kind: str, measured: tuple[str, ...]) -> tuple[str, ...]:
    """The parameters to draw for a station of ``station_kind`` measuring ``measured``."""
    wanted = WATER_PARAMETERS if station_kind.startswith("water") else AIR_PARAMETERS
    return tuple(p for p in wanted if p in measured)


class LinkedTrends(QWidget):
    """A small chart of one station: ``show_station`` asks, answers arrive on the UI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergencyLinkedTrends")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Select an affected station to see its last 24 hours"))
        self.title.setWordWrap(True)
        self.title.setObjectName("linkedTrendsTitle")
        layout.addWidget(self.title)
        self.plot = pg.PlotWidget(axisItems={"bottom": ShanghaiTimeAxis()})
        # A compact chart: small tick labels (at the application's CJK font size the time
        # labels did not fit the axis's height and were dropped).
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(7.0, tick_font.pointSizeF() * 0.8))
        for side in ("bottom", "left"):
            self.plot.getAxis(side).setTickFont(tick_font)
        self.plot.getAxis("bottom").setHeight(int(QFontMetrics(tick_font).height() * 1.6) + 6)
        self.plot.setMinimumHeight(150)
        self.plot.setMaximumHeight(200)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(5, 5), labelTextSize="8pt")
        layout.addWidget(self.plot)
        self.plot.hide()
        self._loader: SeriesLoader | None = None
        self._station: str | None = None
        self._name = ""
        self._parameters: tuple[str, ...] = ()
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._latest: dict[str, str] = {}

    # ---- wiring ---------------------------------------------------------------------------
    def set_source(self, source: SeriesSource | None) -> None:
        """Where the series come from (the wall's); None: no data service in this window."""
        if self._loader is not None and source is self._loader.source:
            return
        self.shutdown()
        self._loader = SeriesLoader(source, self) if source is not None else None
        if self._loader is not None:
            self._loader.loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)
            self._loader.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)

    def shutdown(self) -> None:
        if self._loader is not None:
            self._loader.shutdown()
            self._loader = None

    @property
    def station(self) -> str | None:
        return self._station

    # ---- asking ---------------------------------------------------------------------------
    def clear(self) -> None:
        self._station = None
        self._parameters = ()
        self._reset_curves()
        self.plot.hide()
        self.title.setText(self.tr("Select an affected station to see its last 24 hours"))

    def show_station(
        self, station_id: str, name: str, parameters: tuple[str, ...], now: datetime
    ) -> None:
        """Fetch the last 24 h of hourly averages of ``parameters`` at ``station_id``."""
        self._station, self._name, self._parameters = station_id, name, parameters
        self._reset_curves()
        if self._loader is None:
            self.plot.hide()
            self.title.setText(
                self.tr("{0}: no data service in this window to show its data").format(name)
            )
            return
        if not parameters:
            self.plot.hide()
            self.title.setText(self.tr("{0}: no parameter to show").format(name))
            return
        self.plot.show()
        self.title.setText(self.tr("{0} · last 24 h, hourly averages · loading…").format(name))
        generation = self._loader.next_generation()
        for i, parameter in enumerate(parameters):
            color = CURVE_COLORS[i % len(CURVE_COLORS)]
            curve = self.plot.plot(
                [], [], pen=pg.mkPen(color, width=2), name=parameter, connect="finite"
            )
            self._curves[parameter] = curve
            self._loader.fetch(
                SeriesRequest(
                    parameter, station_id, parameter, now - WINDOW, now, "hour", generation
                )
            )

    # ---- answers --------------------------------------------------------------------------
    def _current(self, request: SeriesRequest) -> bool:
        return (
            self._loader is not None
            and request.generation == self._loader.generation
            and request.station == self._station
        )

    def _on_loaded(self, request: SeriesRequest, series: SeriesArrays) -> None:
        if not self._current(request):
            return  # an answer to a station no longer shown
        curve = self._curves.get(request.parameter)
        if curve is None:
            return
        # Gaps stay gaps, flagged values are not drawn: the wall's own rule (curve_arrays).
        times, values = curve_arrays(series)
        curve.setData(times, values, connect="finite")
        finite = np.flatnonzero(np.isfinite(values))
        if finite.size:
            last = float(values[finite[-1]])
            self._latest[request.parameter] = f"{request.parameter} {last:.3g} {series.unit}"
        else:
            self.legend.removeItem(curve)  # nothing drawn: no legend entry either
            self._latest[request.parameter] = self.tr("{0} no valid data").format(request.parameter)
        self._retitle()

    def _on_failed(self, request: SeriesRequest, message: str) -> None:
        if not self._current(request):
            return
        curve = self._curves.get(request.parameter)
        if curve is not None:
            self.legend.removeItem(curve)
        self._latest[request.parameter] = self.tr("{0} unavailable").format(request.parameter)
        # The reason (the data service's words) for whoever hovers; the title stays short.
        self.title.setToolTip(f"{request.parameter}: {message}")
        self._retitle()

    def _retitle(self) -> None:
        parts = [self._latest[p] for p in self._parameters if p in self._latest]
        pending = len(self._parameters) - len(parts)
        text = self.tr("{0} · last 24 h, hourly averages").format(self._name)
        if parts:
            text += self.tr(" · latest: ") + "; ".join(parts)
        if pending:
            text += " · " + self.tr("loading…")
        self.title.setText(text)

    def _reset_curves(self) -> None:
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        self._curves.clear()
        self._latest.clear()
        self.legend.clear()
        self.title.setToolTip("")

    def curve_data(self, parameter: str) -> tuple[np.ndarray, np.ndarray]:
        """What is drawn for ``parameter`` (tests): times and values, NaN for gaps."""
        curve = self._curves[parameter]
        x, y = curve.getData()
        if x is None or y is None:
            return np.array([]), np.array([])
        return np.asarray(x), np.asarray(y)
