"""A time-series plot of monitoring data, shared by the trend and the compare view.

What it guarantees a duty officer:
- gaps are gaps: the line is drawn with connect='finite' and a NaN at every hole in time and every
  flagged value, so nothing is interpolated across them;
- flagged values (M, D, C, ... anything but N) are drawn apart, as hollow markers, never on the
  line;
- the time axis is Asia/Shanghai, whatever the workstation's zone;
- long ranges stay fluid: plot items are created once and updated with setData, with automatic
  peak downsampling and clip-to-view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from dispatch_app.standards.center_time import CENTER_TZ
from ui.wall.charts.reference_layer import ReferenceLayer
from ui.wall.charts.references import References
from ui.wall.charts.series import SeriesArrays, curve_arrays
from ui.wall.charts.time_axis import ShanghaiTimeAxis

# Eight series colors that stay apart on the dark theme and for common color-vision deficiencies
# (Okabe–Ito, with white for the first series); the legend names each. Lines are solid: Qt's dash
# stroker takes about a second per curve of 40 000 points, far beyond a 33 ms frame.
SERIES_COLORS: tuple[tuple[int, int, int], ...] = (
    (240, 240, 240),
    (86, 180, 233),
    (230, 159, 0),
    (0, 158, 115),
    (240, 228, 66),
    (204, 121, 167),
    (213, 94, 0),
    (0, 114, 178),
)

LevelText = Callable[[str, float, str], str]  # (parameter, value, resolution) -> "IAQI 86 良"


def shanghai_text(epoch_s: float, seconds: bool = False) -> str:
    moment = datetime.fromtimestamp(epoch_s, UTC).astimezone(CENTER_TZ)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


@dataclass
class Trace:
    """One series on the plot and the items that draw it (kept and reused)."""

    key: str
    name: str
    series: SeriesArrays
    curve: pg.PlotDataItem
    flagged: pg.ScatterPlotItem
    color: tuple[int, int, int]
    waterbody: str | None = None


class SeriesPlot(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None, *, legend: bool = True) -> None:
        axis = ShanghaiTimeAxis(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": axis}, background=(16, 20, 26))
        self.plot_item: pg.PlotItem = self.getPlotItem()
        # No grid: pyqtgraph draws it through the whole plot with alpha, which costs 15–20 ms a
        # frame in software rendering; the level bands and limit lines are the reference instead.
        self.plot_item.setMenuEnabled(False)
        # On the PlotItem, not the curves: PlotItem.addItem imposes its own modes on every item.
        self.plot_item.setDownsampling(auto=True, mode="peak")
        self.plot_item.setClipToView(True)
        self.plot_item.hideButtons()
        big = QFont()
        big.setPixelSize(14)
        for name in ("left", "bottom"):
            ax = self.plot_item.getAxis(name)
            ax.setTickFont(big)
            ax.setTextPen(pg.mkPen(220, 225, 230))
            ax.setPen(pg.mkPen(120, 130, 140))
        # A fixed axis width keeps stacked plots aligned on the shared time axis.
        self.plot_item.getAxis("left").setWidth(64)
        self.legend: pg.LegendItem | None = None
        if legend:
            self.legend = self.plot_item.addLegend(offset=(10, 10), labelTextSize="11pt")
            self.legend.setBrush(pg.mkBrush(0, 0, 0, 160))
        self.traces: dict[str, Trace] = {}
        self.references = References()
        self._reference_layer = ReferenceLayer()
        self._reference_layer.setZValue(-100)
        self.plot_item.addItem(self._reference_layer, ignoreBounds=True)
        self.level_text: LevelText | None = None
        self.english = False
        # The value axis is fitted to the data when it changes, never per frame: pyqtgraph's
        # auto-range re-measures every item's bounds on each pan or zoom. An owner that sets the
        # value range itself (or links it to another plot) turns the fitting off.
        self.plot_item.enableAutoRange(y=False)
        self.fit_values_on_data = True

        # The crosshair is made on first use: hidden items still follow every frame's transform.
        self._crosshair: tuple[pg.InfiniteLine, pg.InfiniteLine, pg.TextItem] | None = None
        self._tip_font = big
        self.tooltip_text = ""
        self._mouse_proxy = pg.SignalProxy(
            self.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved
        )

    # --- series ------------------------------------------------------------------------------

    def set_series(
        self,
        key: str,
        series: SeriesArrays,
        name: str,
        *,
        index: int | None = None,
        waterbody: str | None = None,
    ) -> Trace:
        """Show (or update in place) one series. `index` picks its color and dash."""
        trace = self.traces.get(key)
        if trace is None:
            i = len(self.traces) if index is None else index
            color = SERIES_COLORS[i % len(SERIES_COLORS)]
            pen = pg.mkPen(color=color, width=1)
            # Peak downsampling to one chunk per two pixels: each chunk keeps its min and max, so a
            # spike is never hidden, and the path stays short enough for a 33 ms frame.
            curve = pg.PlotDataItem(pen=pen, name=name, connect="finite", autoDownsampleFactor=0.5)
            flagged = pg.ScatterPlotItem(
                size=11,
                symbol="x",
                pen=pg.mkPen(color=color, width=2),
                brush=pg.mkBrush(0, 0, 0, 0),
                name=None,
            )
            flagged.setZValue(20)
            self.plot_item.addItem(curve)
            self.plot_item.addItem(flagged)
            trace = Trace(key, name, series, curve, flagged, color, waterbody)
            self.traces[key] = trace
        else:
            trace.series = series
            trace.waterbody = waterbody
            if trace.name != name:
                trace.name = name
                if self.legend is not None:
                    self.legend.removeItem(trace.curve)
                    self.legend.addItem(trace.curve, name)
        self._draw(trace)
        if self.fit_values_on_data:
            self._fit_all_values()
        return trace

    def _fit_all_values(self) -> None:
        """Value range over all the data held (what pyqtgraph's auto-range showed), once."""
        lows, highs = [], []
        for trace in self.traces.values():
            values = trace.series.values  # the line and the flagged markers alike
            values = values[np.isfinite(values)]
            if len(values):
                lows.append(float(values.min()))
                highs.append(float(values.max()))
        if highs:
            low, high = min(lows), max(highs)
            span = high - low or abs(high) or 1.0
            self.plot_item.setYRange(low - 0.02 * span, high + 0.02 * span, padding=0)

    def _draw(self, trace: Trace) -> None:
        x, y = curve_arrays(trace.series)
        trace.curve.setData(x, y, connect="finite")
        mask = trace.series.flagged
        trace.flagged.setData(trace.series.times[mask], trace.series.values[mask])

    # --- reference bands and lines -------------------------------------------------------------

    def set_references(self, refs: References) -> None:
        """AQI bands and limit lines, all drawn by the one reference layer."""
        if refs == self.references:
            return
        self.references = refs
        self._reference_layer.set_references(refs, english=self.english)

    def band_regions(self) -> list[tuple[float, float]]:
        return self._reference_layer.band_regions()

    def line_values(self) -> list[float]:
        return self._reference_layer.line_values()

    # --- range ------------------------------------------------------------------------------

    def set_time_range(self, start: datetime, end: datetime) -> None:
        self.plot_item.setXRange(start.timestamp(), end.timestamp(), padding=0)

    def time_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.plot_item.viewRange()
        return float(x0), float(x1)

    def value_extent(self) -> tuple[float, float] | None:
        """(min, max) of the values in the visible time range, widened to the emphasised line."""
        lows, highs = [], []
        x0, x1 = self.time_range()
        for trace in self.traces.values():
            s = trace.series
            inside = (s.times >= x0) & (s.times <= x1) & np.isfinite(s.values)
            if inside.any():
                lows.append(float(s.values[inside].min()))
                highs.append(float(s.values[inside].max()))
        if not highs:
            return None
        low, high = min(lows), max(highs)
        for ref in self.references.lines:
            if ref.emphasis:
                low, high = min(low, ref.value), max(high, ref.value)
        return low, high

    def set_value_range(self, low: float, high: float) -> None:
        self.fit_values_on_data = False
        low = min(low, 0.0)  # concentrations read against zero
        span = high - low or abs(high) or 1.0
        self.plot_item.setYRange(low, high + 0.08 * span, padding=0)

    def fit_values(self) -> None:
        extent = self.value_extent()
        if extent is not None:
            self.set_value_range(*extent)

    # --- crosshair ---------------------------------------------------------------------------

    def _mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        if not self.plot_item.sceneBoundingRect().contains(pos):
            self.hide_crosshair()
            return
        point = self.plot_item.vb.mapSceneToView(pos)
        self.crosshair_at(point.x(), point.y())

    def crosshair_at(self, x: float, y: float) -> str:
        """Move the crosshair to (time x, value y); the tooltip lists each series' nearest point."""
        lines = []
        nearest_time: float | None = None
        for trace in self.traces.values():
            s = trace.series
            if len(s) == 0:
                continue
            i = int(np.searchsorted(s.times, x))
            candidates = [j for j in (i - 1, i) if 0 <= j < len(s)]
            j = min(candidates, key=lambda k: abs(s.times[k] - x))
            nearest_time = s.times[j] if nearest_time is None else nearest_time
            value = s.values[j]
            flag = str(s.flags[j])
            when = shanghai_text(float(s.times[j]))
            if np.isfinite(value):
                text = f"{trace.name}  {value:.4g} {s.unit}  [{flag}]"
                if self.level_text is not None:
                    level = self.level_text(s.parameter, float(value), s.resolution)
                    if level:
                        text += f"  {level}"
            else:
                text = f"{trace.name}  —  [{flag}]"
            lines.append(f"{when}  {text}")
        vline, hline, tip = self._crosshair_items()
        vline.setPos(x)
        hline.setPos(y)
        self.tooltip_text = "\n".join(lines)
        tip.setText(self.tooltip_text)
        tip.setPos(x, y)
        for item in (vline, hline, tip):
            item.setVisible(bool(lines))
        return self.tooltip_text

    def _crosshair_items(self) -> tuple[pg.InfiniteLine, pg.InfiniteLine, pg.TextItem]:
        if self._crosshair is None:
            vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(200, 200, 200, 150))
            hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen(200, 200, 200, 150))
            tip = pg.TextItem(
                "", anchor=(0, 1), color=(255, 255, 255), fill=pg.mkBrush(0, 0, 0, 210)
            )
            tip.setFont(self._tip_font)
            for item in (vline, hline, tip):
                item.setZValue(1000)
                self.plot_item.addItem(item, ignoreBounds=True)
            self._crosshair = (vline, hline, tip)
        return self._crosshair

    def hide_crosshair(self) -> None:
        if self._crosshair is not None:
            for item in self._crosshair:
                item.hide()
        self.tooltip_text = ""

    # --- what is drawn (tests, export) ---------------------------------------------------------

    def curve_data(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """The full (not downsampled) x/y arrays given to the line."""
        x, y = self.traces[key].curve.getOriginalDataset()
        return np.asarray(x), np.asarray(y)

    def flagged_data(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        data = self.traces[key].flagged.data
        return np.asarray(data["x"]), np.asarray(data["y"])
