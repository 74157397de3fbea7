"""Drawing an emergency's affected area on the monitoring map, and showing the saved one.

`AreaTool` sits beside a `MapView` without changing it: an event filter on the view and its
viewport takes the mouse and the keys only while the officer draws, and the tool's own items
go into the map's scene. Circle: press at the centre, drag to the radius (the radius shows in
km), release. Polygon: click the corners, double-click or Enter to finish (three points at
least), Backspace takes the last corner back. Esc cancels either. The result is the domain's
`Circle` / `Polygon` in lon/lat, the polygon closed (first point repeated).

Besides the sketch the tool shows two areas: the selected case's saved area (translucent fill,
outline, a label) and a drawn area that is not saved yet (dashed, "not saved"), which stays
until the caller says it was saved or dropped, so a refused save never loses the drawing.
"""

from __future__ import annotations

import math
from typing import Literal

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsView,
    QLabel,
    QStyleOptionGraphicsItem,
    QWidget,
)

from dispatch_app.domain.emergencies import Area, Circle, make_circle, make_polygon
from dispatch_app.domain.emergency_stations import distance_km
from dispatch_app.domain.errors import ValidationError
from ui.shell.i18n import current_language
from ui.wall.map.view import MapView

Shape = Literal["circle", "polygon"]

# Above the districts (z 0), below the district labels (15) and every marker (10+ for the
# smallest), so stations inside the area stay visible and clickable.
AREA_Z = 5.0
SKETCH_Z = 90.0  # what is being drawn: above everything
LABEL_Z = 95.0
SAVED_COLOR = QColor(255, 112, 67)  # deep orange: apart from AQI/water-class colors
PENDING_COLOR = QColor(255, 235, 59)  # yellow dashes: drawn, not saved
# Two clicks closer than this (pixels) are one corner: a double-click delivers two presses.
SAME_POINT_PX = 4.0


class AreaLabel(QGraphicsItem):
    """A text cue on a dark plate that keeps its size at any zoom."""

    def __init__(self, text: str, color: QColor) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(LABEL_Z)
        self.color = color
        self._font = QFont()
        self._font.setPixelSize(15)
        self._font.setBold(True)
        self.text = ""
        self._rect = QRectF()
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self.text = text
        size = QFontMetricsF(self._font).boundingRect(QRectF(0, 0, 600, 200), 0, text).size()
        # Centred above the anchor point (the area's north edge or the cursor).
        w, h = size.width() + 12, size.height() + 6
        self._rect = QRectF(-w / 2, -h - 4, w, h)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.color, 1.5))
        painter.setBrush(QColor(10, 14, 20, 215))
        painter.drawRoundedRect(self._rect, 4, 4)
        painter.setFont(self._font)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


class AreaTool(QObject):
    """Draws and shows emergency areas on one `MapView` (see the module docstring)."""

    finished = Signal(object)  # Circle | Polygon
    cancelled = Signal()

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self.view = view
        self.scene = view.scene()
        self.shape: Shape | None = None  # what is being drawn, None when not drawing
        self._centre: tuple[float, float] | None = None  # circle centre, lon/lat
        self._edge: tuple[float, float] | None = None
        self._points: list[tuple[float, float]] = []  # polygon corners, lon/lat
        self._cursor: tuple[float, float] | None = None
        self._drag_mode = view.dragMode()
        self._tracking = False
        self.saved_area: Area | None = None
        self.pending_area: Area | None = None

        self._sketch = QGraphicsPathItem()
        pen = QPen(PENDING_COLOR, 2.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._sketch.setPen(pen)
        self._sketch.setBrush(QBrush(QColor(255, 235, 59, 40)))
        self._sketch.setZValue(SKETCH_Z)
        self._sketch_label = AreaLabel("", PENDING_COLOR)
        self._saved_item = self._area_item(SAVED_COLOR, Qt.PenStyle.SolidLine, 70)
        self._saved_label = AreaLabel("", SAVED_COLOR)
        self._pending_item = self._area_item(PENDING_COLOR, Qt.PenStyle.DashLine, 30)
        self._pending_label = AreaLabel("", PENDING_COLOR)
        for item in (
            self._sketch,
            self._sketch_label,
            self._saved_item,
            self._saved_label,
            self._pending_item,
            self._pending_label,
        ):
            item.hide()
            self.scene.addItem(item)

        self.hint = QLabel(view)  # how to draw, bottom-left of the map while drawing
        self.hint.setObjectName("areaToolHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(
            "QLabel#areaToolHint { background: rgba(10,14,20,220); color: #ffeb3b;"
            " padding: 6px; border: 1px solid #ffeb3b; border-radius: 4px; font-size: 15px; }"
        )
        self.hint.hide()
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)

    @staticmethod
    def _area_item(color: QColor, style: Qt.PenStyle, alpha: int) -> QGraphicsPathItem:
        item = QGraphicsPathItem()
        pen = QPen(color, 2.5, style)
        pen.setCosmetic(True)  # the same width at any zoom
        item.setPen(pen)
        fill = QColor(color)
        fill.setAlpha(alpha)
        item.setBrush(QBrush(fill))
        item.setZValue(AREA_Z)
        return item

    # --- geometry ------------------------------------------------------------------------

    def to_lonlat(self, pos: QPointF) -> tuple[float, float]:
        """A viewport position (pixels) as lon/lat."""
        scene = self.view.mapToScene(pos.toPoint())
        return self.view.projection.to_lonlat(scene.x(), scene.y())

    def to_scene(self, lon: float, lat: float) -> QPointF:
        return QPointF(*self.view.projection.to_scene(lon, lat))

    def _circle_path(self, lon: float, lat: float, radius_km: float) -> QPainterPath:
        # The radius in degrees each way, so the circle on the map is the one on the ground.
        dlat = radius_km / 110.574
        dlon = radius_km / (111.320 * math.cos(math.radians(lat)))
        centre = self.to_scene(lon, lat)
        east = self.to_scene(lon + dlon, lat)
        north = self.to_scene(lon, lat + dlat)
        path = QPainterPath()
        path.addEllipse(centre, east.x() - centre.x(), centre.y() - north.y())
        return path

    def area_path(self, area: Area) -> QPainterPath:
        if isinstance(area, Circle):
            return self._circle_path(area.lon, area.lat, area.radius_m / 1000.0)
        path = QPainterPath()
        points = [self.to_scene(lon, lat) for lon, lat in area.points]
        path.moveTo(points[0])
        for p in points[1:]:
            path.lineTo(p)
        path.closeSubpath()
        return path

    def describe(self, area: Area) -> str:
        if isinstance(area, Circle):
            return self.tr("radius {0} km").format(f"{area.radius_m / 1000:.2f}")
        return self.tr("{0} points").format(len(area.points) - 1)

    # --- showing saved and pending areas ---------------------------------------------------

    def _place(
        self, item: QGraphicsPathItem, label: AreaLabel, area: Area | None, text: str
    ) -> None:
        if area is None:
            item.hide()
            label.hide()
            return
        path = self.area_path(area)
        item.setPath(path)
        item.show()
        top = path.boundingRect()
        label.set_text(text)
        label.setPos(top.center().x(), top.top())
        label.show()

    def show_area(self, area: Area | None, reference: str = "") -> None:
        """The selected case's saved area (None clears it): fill, outline and a label with
        the case's reference."""
        self.saved_area = area
        text = ""
        if area is not None:
            head = " ".join(t for t in (self.tr("Affected area"), reference) if t)
            text = f"{head} · {self.describe(area)}"
        self._place(self._saved_item, self._saved_label, area, text)

    def show_pending(self, area: Area | None) -> None:
        """A drawn area not saved yet (None clears it): dashed, labelled as not saved."""
        self.pending_area = area
        text = "" if area is None else self.tr("Drawn, not saved") + f" · {self.describe(area)}"
        self._place(self._pending_item, self._pending_label, area, text)

    # --- drawing -------------------------------------------------------------------------

    @property
    def drawing(self) -> bool:
        return self.shape is not None

    def start(self, shape: Shape) -> None:
        """Begin drawing; the map's hand-drag stops panning until the drawing ends."""
        if self.shape is not None:
            self._stop()
        self.shape = shape
        self._centre = self._edge = self._cursor = None
        self._points = []
        self._drag_mode = self.view.dragMode()
        self.view.setDragMode(QGraphicsView.DragMode.NoDrag)
        viewport = self.view.viewport()
        self._tracking = viewport.hasMouseTracking()
        viewport.setMouseTracking(True)  # the polygon's rubber band follows the cursor
        viewport.setCursor(Qt.CursorShape.CrossCursor)
        if shape == "circle":
            self._say(self.tr("Circle: press at the centre and drag to the radius. Esc cancels."))
        else:
            self._say(
                self.tr(
                    "Polygon: click each corner; double-click or Enter finishes (three corners "
                    "at least); Backspace removes the last corner; Esc cancels."
                )
            )
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._redraw()

    def cancel(self) -> None:
        if self.shape is not None:
            self._stop()
            self.cancelled.emit()

    def _stop(self) -> None:
        self.shape = None
        self._centre = self._edge = self._cursor = None
        self._points = []
        viewport = self.view.viewport()
        viewport.setMouseTracking(self._tracking)
        viewport.unsetCursor()
        self.view.setDragMode(self._drag_mode)  # sets the hand cursor back for ScrollHandDrag
        self._sketch.hide()
        self._sketch_label.hide()
        self.hint.hide()

    def _finish(self, area: Area) -> None:
        self._stop()
        self.show_pending(area)
        self.finished.emit(area)

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        # One or two long lines read better across the room than a narrow column.
        width = min(720, max(240, self.view.viewport().width() - 16))
        self.hint.setFixedWidth(width)
        self.hint.setFixedHeight(self.hint.heightForWidth(width))
        self._place_hint()
        self.hint.show()
        self.hint.raise_()

    def _place_hint(self) -> None:
        viewport = self.view.viewport()
        self.hint.move(8, viewport.height() - self.hint.height() - 8)

    def _redraw(self) -> None:
        path = QPainterPath()
        label, anchor = "", None
        if self.shape == "circle" and self._centre is not None and self._edge is not None:
            radius = distance_km(*self._centre, *self._edge)
            path = self._circle_path(*self._centre, radius)
            label = self.tr("radius {0} km").format(f"{radius:.2f}")
            anchor = self.to_scene(*self._edge)
        elif self.shape == "polygon" and self._points:
            corners = [self.to_scene(*p) for p in self._points]
            path.moveTo(corners[0])
            for p in corners[1:]:
                path.lineTo(p)
            if self._cursor is not None:
                path.lineTo(self.to_scene(*self._cursor))
            if len(corners) + (self._cursor is not None) >= 3:
                path.closeSubpath()
            for p in corners:  # corners as small squares, a few pixels at any zoom
                size = 3.0 / max(self.view.transform().m11(), 1e-9)
                path.addRect(QRectF(p.x() - size, p.y() - size, 2 * size, 2 * size))
            label = self.tr("{0} points").format(len(self._points))
            anchor = corners[-1]
        self._sketch.setPath(path)
        self._sketch.setVisible(not path.isEmpty())
        if anchor is not None and label:
            self._sketch_label.set_text(label)
            self._sketch_label.setPos(anchor)
            self._sketch_label.show()
        else:
            self._sketch_label.hide()

    def _same_point(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        pa = self.view.mapFromScene(self.to_scene(*a))
        pb = self.view.mapFromScene(self.to_scene(*b))
        return math.hypot(pa.x() - pb.x(), pa.y() - pb.y()) < SAME_POINT_PX

    def _finish_polygon(self) -> None:
        try:
            area = make_polygon(self._points)
        except ValidationError:
            self._say(self.tr("A polygon needs at least three corners: keep clicking, or Esc."))
            return
        self._finish(area)

    # --- events --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self.view and self.hint.isVisible():
            self._place_hint()
        if self.shape is None:
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            return self._key(event, kind == QEvent.Type.ShortcutOverride)
        if watched is not self.view.viewport() or not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._press(self.to_lonlat(event.position()))
            return True
        if kind == QEvent.Type.MouseMove:
            self._move(self.to_lonlat(event.position()))
            return True
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            self._release(self.to_lonlat(event.position()))
            return True
        if kind == QEvent.Type.MouseButtonDblClick:
            if self.shape == "polygon":
                self._finish_polygon()
            return True
        return False

    def _key(self, event: QKeyEvent, override: bool) -> bool:
        key = event.key()
        ours = key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace) or (
            self.shape == "polygon" and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if not ours:
            return False
        event.accept()
        if override:  # ours, not a window shortcut's: it comes back as a key press
            return True
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif key == Qt.Key.Key_Backspace:
            if self._points:
                self._points.pop()
            self._redraw()
        else:
            self._finish_polygon()
        return True

    def _press(self, at: tuple[float, float]) -> None:
        if self.shape == "circle":
            self._centre, self._edge = at, None
        elif not self._points or not self._same_point(self._points[-1], at):
            self._points.append(at)
        self._redraw()

    def _move(self, at: tuple[float, float]) -> None:
        if self.shape == "circle":
            if self._centre is not None:
                self._edge = at
        else:
            self._cursor = at
        self._redraw()

    def _release(self, at: tuple[float, float]) -> None:
        if self.shape != "circle" or self._centre is None:
            return
        if self._same_point(self._centre, at):
            # A click without a drag gives no radius: keep drawing.
            self._centre = self._edge = None
            self._say(self.tr("Drag from the centre to the radius before releasing. Esc cancels."))
            self._redraw()
            return
        radius_m = distance_km(*self._centre, *at) * 1000.0
        try:
            area = make_circle(self._centre[0], self._centre[1], radius_m)
        except ValidationError as exc:
            self._centre = self._edge = None
            self._say(exc.message(current_language()))
            self._redraw()
            return
        self._finish(area)
