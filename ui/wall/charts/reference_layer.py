"""The AQI level bands, their labels and the limit lines behind a series, drawn by one item.

pyqtgraph's own items for this (a LinearRegionItem per band, itself two InfiniteLines, a TextItem
per label, an InfiniteLine and an InfLineLabel per limit) are about twenty scene items a plot,
each recomputing its bounds and transform on every pan or zoom frame; across the eight rows of the
compare view that was a quarter of a frame. One item that paints them all in device pixels costs
one bounds update a frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from ui.wall.charts.references import References

BAND_ALPHA = 38
LINE_COLOR = (180, 190, 200)
EMPHASIS_COLOR = (255, 80, 80)
LABEL_MARGIN_PX = 4.0
LINE_LABEL_AT = 0.4  # a limit line's label starts at this fraction of the visible width


@dataclass(frozen=True, slots=True)
class _BandLook:
    low: float
    high: float  # the open top band reaches far above any plausible reading
    fill: QColor
    color: QColor
    text: str


@dataclass(frozen=True, slots=True)
class _LineLook:
    value: float
    pen: QPen
    color: QColor
    text: str


class ReferenceLayer(pg.GraphicsObject):
    """Bands and lines across the whole visible time range, at fixed values."""

    def __init__(self) -> None:
        super().__init__()
        self._bands: tuple[_BandLook, ...] = ()
        self._lines: tuple[_LineLook, ...] = ()
        self._bounds = QRectF()
        self._font = QFont()
        self._metrics = QFontMetricsF(self._font)

    def set_references(self, refs: References, *, english: bool) -> None:
        bands = []
        for band in refs.bands:
            high = band.high if band.high is not None else band.low * 10 + 1000
            bands.append(
                _BandLook(
                    band.low,
                    high,
                    QColor(*band.color, BAND_ALPHA),
                    QColor(*band.color),
                    band.label_en if english else band.label,
                )
            )
        lines = []
        for ref in refs.lines:
            rgb = EMPHASIS_COLOR if ref.emphasis else LINE_COLOR
            pen = QPen(QColor(*rgb), 2 if ref.emphasis else 1, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            label = ref.label_en if english and ref.label_en else ref.label
            lines.append(_LineLook(ref.value, pen, QColor(*rgb), f"{label}  {ref.value:g}"))
        self._bands = tuple(bands)
        self._lines = tuple(lines)
        self._update_bounds()
        self.update()

    def band_regions(self) -> list[tuple[float, float]]:
        return [(b.low, b.high) for b in self._bands]

    def line_values(self) -> list[float]:
        return [line.value for line in self._lines]

    # --- geometry: the visible range, refreshed when the view moves ------------------------------

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self._update_bounds()

    def _update_bounds(self) -> None:
        view = self.viewRect()
        bounds = QRectF(view) if view is not None and (self._bands or self._lines) else QRectF()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def boundingRect(self) -> QRectF:
        return self._bounds

    def fitted_label(self, screen: QRectF, text: str) -> str:
        """The label, shortened with … when the plot is narrower than it."""
        room = screen.width() - 2 * LABEL_MARGIN_PX
        return self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)

    def line_label_at(self, screen: QRectF, y: float, text: str) -> QPointF:
        """Where a limit line's label starts (its baseline), in device pixels: above the line,
        or below it when the line runs near the plot's top; never past the plot's edges (the
        view clips what is outside, and a cut label reads as another number)."""
        width = self._metrics.horizontalAdvance(text)
        x = screen.left() + LINE_LABEL_AT * screen.width()
        x = max(screen.left() + LABEL_MARGIN_PX, min(x, screen.right() - width - LABEL_MARGIN_PX))
        above = y - self._metrics.descent() - 2
        if above - self._metrics.ascent() < screen.top():
            return QPointF(x, y + self._metrics.ascent() + 2)
        return QPointF(x, above)

    # --- painting, in device pixels so dashes and text do not depend on the time scale ----------

    def paint(
        self, p: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None
    ) -> None:
        view = self.viewRect()
        if view is None or view.isEmpty():
            return
        to_device = p.transform()
        screen = to_device.mapRect(view)
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setFont(self._font)
        ascent = self._metrics.ascent()
        descent = self._metrics.descent()
        for band in self._bands:
            top = to_device.map(QPointF(view.left(), band.high)).y()
            bottom = to_device.map(QPointF(view.left(), band.low)).y()
            rect = QRectF(screen.left(), min(top, bottom), screen.width(), abs(bottom - top))
            rect = rect.intersected(screen)
            if rect.isEmpty():
                continue
            p.fillRect(rect, band.fill)
            if screen.top() <= bottom <= screen.bottom() + ascent:
                # Right-aligned just above the band's lower edge, as a legend of the level.
                width = self._metrics.horizontalAdvance(band.text)
                p.setPen(band.color)
                p.drawText(
                    QPointF(
                        screen.right() - width - LABEL_MARGIN_PX, bottom - descent - LABEL_MARGIN_PX
                    ),
                    band.text,
                )
        for line in self._lines:
            y = to_device.map(QPointF(view.left(), line.value)).y()
            if not screen.top() <= y <= screen.bottom():
                continue
            p.setPen(line.pen)
            p.drawLine(QLineF(screen.left(), y, screen.right(), y))
            p.setPen(line.color)
            text = self.fitted_label(screen, line.text)
            p.drawText(self.line_label_at(screen, y, text), text)
        p.restore()
