"""The time axis of every chart: Asia/Shanghai, cheap to regenerate on each pan or zoom frame.

pyqtgraph's DateAxisItem, given a fixed offset, still moves every tick through three QDateTime
conversions in the workstation's own zone and formats each label anew; with a bottom axis on each
of the compare view's eight rows that was a sixth of a frame. Shanghai has kept UTC+8 without
daylight saving since 1991, so ticks move by a constant, and a label depends only on its tick and
its format, so it is cached. The compare view's linked rows all ask for the same ticks in one
frame: the last answer is shared between axes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems import DateAxisItem as date_axis

from dispatch_app.standards.center_time import CENTER_UTC_OFFSET_S

SHANGHAI_UTC_OFFSET_S = -CENTER_UTC_OFFSET_S  # pyqtgraph's convention: seconds *west* of UTC
HOUR_S = date_axis.HOUR_SPACING
_LABEL_CACHE_SIZE = 4096
_LABEL_PADDING_PX = 10  # pyqtgraph's room around a tick label when choosing the zoom level

TickLevels = list[tuple[float, list[float]]]
# (range and length in pixels, font) -> (zoom level, minimum spacing, ticks): the last frame's.
_last_ticks: dict[tuple[float, float, float, int, int], tuple[Any, float, TickLevels]] = {}


class _FixedOffsetZoomLevel(date_axis.ZoomLevel):
    """A zoom level whose ticks move to local time by one constant, with no per-tick calls."""

    def moveTicksToLocalTimeCoords(
        self, ticks: np.ndarray, spacing: int, skipFactor: int
    ) -> np.ndarray:
        if len(ticks) == 0:
            return ticks
        if spacing > HOUR_S or (spacing == HOUR_S and skipFactor > 1):
            # Day, month and multi-hour ticks fall on local midnights and hours.
            return ticks + SHANGHAI_UTC_OFFSET_S
        # Hours and finer: a whole-hour offset leaves UTC boundaries on local boundaries.
        return ticks


def _local_levels(levels: dict[float, Any]) -> dict[float, date_axis.ZoomLevel]:
    local = {}
    for spacing, level in levels.items():
        copy = _FixedOffsetZoomLevel(level.tickSpecs, level.exampleText)
        copy.utcOffset = SHANGHAI_UTC_OFFSET_S
        local[spacing] = copy
    return local


class ShanghaiTimeAxis(pg.DateAxisItem):
    # Set by pyqtgraph's DateAxisItem, declared for the type checker.
    zoomLevels: Any
    zoomLevel: Any
    minSpacing: float

    def __init__(self, orientation: str = "bottom", **kwargs: Any) -> None:
        super().__init__(orientation, utcOffset=SHANGHAI_UTC_OFFSET_S, **kwargs)
        self.zoomLevels = type(self.zoomLevels)(_local_levels(self.zoomLevels))
        self._labels: dict[tuple[float, str], str] = {}
        self._sizes: dict[tuple[str, int, int], int] = {}

    def tickValues(self, minVal: float, maxVal: float, size: float) -> TickLevels:
        # The zoom level depends on the range, the length and the size of the labels' font.
        metrics = self.fontMetrics
        key = (minVal, maxVal, size, metrics.height(), metrics.averageCharWidth())
        hit = _last_ticks.get(key)
        if hit is None:
            self.setZoomLevelForDensity((maxVal - minVal) / size)
            ticks = self.zoomLevel.tickValues(minVal, maxVal, minSpc=self.minSpacing)
            _last_ticks.clear()
            _last_ticks[key] = (self.zoomLevel, self.minSpacing, ticks)
        else:
            self.zoomLevel, self.minSpacing, ticks = hit
        return [(spacing, list(values)) for spacing, values in ticks]

    def setZoomLevelForDensity(self, density: float) -> None:
        """pyqtgraph's choice of zoom level, with each level's label size measured once."""
        levels = list(self.zoomLevels.values())
        self.zoomLevel = levels[0]  # years and months: the coarsest
        for maximal_spacing, level in self.zoomLevels.items():
            if maximal_spacing / self._label_size(level.exampleText) < density:
                break
            self.zoomLevel = level
        self.minSpacing = density * self._label_size(self.zoomLevel.exampleText)

    def _label_size(self, text: str) -> int:
        key = (text, self.fontMetrics.height(), self.fontMetrics.averageCharWidth())
        size = self._sizes.get(key)
        if size is None:
            rect = self.fontMetrics.boundingRect(text)
            extent = rect.width() if self.orientation in ("bottom", "top") else rect.height()
            size = self._sizes[key] = extent + _LABEL_PADDING_PX
        return size

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        if spec is None:
            return list(super().tickStrings(values, scale, spacing))
        # Keyed by format too: one spacing reads "%d" at one zoom level and "%a %d" at another.
        fmt: str = spec.format
        if len(self._labels) > _LABEL_CACHE_SIZE:
            self._labels.clear()
        texts = []
        for v in values:
            text = self._labels.get((v, fmt))
            if text is None:
                text = self._labels[(v, fmt)] = _format(v, fmt)
            texts.append(text)
        return texts


# pyqtgraph names weekdays and months in English ("Sun 29", "Nov"); the desk runs in Chinese
# as well, so day and month ticks read as numbers, the same in both languages.
_NUMERIC = {"%a %d": "%m-%d", "%b": "%Y-%m", "%b %d": "%m-%d"}


def _format(value: float, fmt: str) -> str:
    fmt = _NUMERIC.get(fmt, fmt)
    try:
        moment = datetime.fromtimestamp(value - SHANGHAI_UTC_OFFSET_S, UTC)
    except (OverflowError, ValueError, OSError):
        return ""
    text = moment.strftime(fmt)
    if "%f" in fmt:
        return text[:-3]  # milliseconds, as pyqtgraph shows them
    if "%Y" in fmt:
        return text.lstrip("0")
    return text
