"""Map markers for stations and open cases.

Markers keep their size on screen whatever the zoom (ItemIgnoresTransformations). Color is
never the only cue (DESIGN.md, UI conventions): a station marker's shape tells its kind and the
text inside tells its AQI or water class; a case marker carries the kind's character and its
priority as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

NO_DATA_COLOR = QColor(128, 128, 128)

# Marker size (radius in pixels) and shape per station kind: national and provincial stations
# are what the center reports upward, so they stand out; grid points are the densest layer.
_STATION_SHAPES: dict[str, tuple[str, float]] = {
    "air_national": ("circle", 13.0),
    "air_provincial": ("circle", 11.0),
    "air_township": ("circle", 7.0),
    "air_grid": ("square", 4.5),
    "water_national": ("triangle", 14.0),
    "water_provincial": ("triangle", 12.0),
    "water_boundary": ("diamond", 8.0),
}

# Priority colors P1..P4 (red, orange, yellow, blue-grey), each with its text.
PRIORITY_COLORS: dict[int, QColor] = {
    1: QColor(220, 30, 30),
    2: QColor(255, 126, 0),
    3: QColor(230, 200, 0),
    4: QColor(110, 140, 170),
}


def text_color_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on the fill (relative luminance)."""
    luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    return QColor(0, 0, 0) if luminance > 0.5 else QColor(255, 255, 255)


@dataclass(frozen=True, slots=True)
class StationLook:
    """What a station marker shows: the text inside, its fill, and words for the tooltip."""

    label: str  # e.g. "86" (AQI) or "Ⅲ" (water class); "—" without data
    color: tuple[int, int, int] | None  # None: no data (grey)
    status: str  # e.g. "AQI 86 良 · 首要污染物 PM2.5"
    rank: float = -1.0  # larger is worse (ranking.StationStatus.rank_value); -1 without data


@dataclass(frozen=True, slots=True)
class CaseMarker:
    """An open case on the map: (case id, reference, kind, priority, lon, lat, title)."""

    case_id: int
    reference: str
    kind: str  # quality | violation | emergency | petition
    priority: int  # 1..4 (P1 most urgent)
    lon: float
    lat: float
    title: str


class _Marker(QGraphicsItem):
    def __init__(self, radius: float) -> None:
        super().__init__()
        self.radius = radius
        self.selected_mark = False
        self.show_text = True
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        # Painted once into a pixmap and blitted after: a repaint of the map (any marker changed)
        # otherwise runs every one of the 360 markers' Python paint(). update() renews the cache.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        r = self.radius + 6
        return QRectF(-r, -r, 2 * r, 2 * r)

    def set_selected_mark(self, on: bool) -> None:
        if on != self.selected_mark:
            self.selected_mark = on
            self.setZValue(self.zValue() + (100 if on else -100))
            self.update()

    def _draw_selection(self, painter: QPainter) -> None:
        if self.selected_mark:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 200, 255), 3))
            r = self.radius + 4
            painter.drawEllipse(QPointF(0, 0), r, r)


def _shape_path(shape: str, r: float) -> QPainterPath:
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(QPointF(0, 0), r, r)
    elif shape == "square":
        path.addRect(QRectF(-r, -r, 2 * r, 2 * r))
    elif shape == "triangle":
        path.moveTo(0, -r * 1.15)
        path.lineTo(r * 1.1, r * 0.8)
        path.lineTo(-r * 1.1, r * 0.8)
        path.closeSubpath()
    else:  # diamond
        path.moveTo(0, -r * 1.2)
        path.lineTo(r * 1.2, 0)
        path.lineTo(0, r * 1.2)
        path.lineTo(-r * 1.2, 0)
        path.closeSubpath()
    return path


class StationMarkerItem(_Marker):
    def __init__(self, station_id: str, name: str, kind: str, district: str) -> None:
        shape, radius = _STATION_SHAPES.get(kind, ("circle", 8.0))
        super().__init__(radius)
        self.station_id = station_id
        self.name = name
        self.kind = kind
        self.district = district
        self.shape_name = shape
        self.look = StationLook("—", None, "")
        self.stale = False
        self._path = _shape_path(shape, radius)
        # Reported stations above the dense layers.
        self.setZValue(30 if radius >= 11 else 20 if radius >= 7 else 10)
        self._update_tooltip()

    @property
    def fill(self) -> QColor:
        if self.stale or not self.look.color:
            return NO_DATA_COLOR
        return QColor(*self.look.color)

    def set_stale(self, stale: bool) -> None:
        """Data service unreachable: grey, last text kept (see MapView.set_outage)."""
        if stale != self.stale:
            self.stale = stale
            self.update()

    def set_look(self, look: StationLook) -> None:
        if look != self.look:
            self.look = look
            self._update_tooltip()
            self.update()

    def _update_tooltip(self) -> None:
        self.setToolTip(f"{self.name} ({self.station_id})\n{self.look.status}".strip())

    def shape(self) -> QPainterPath:
        return self._path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = self.fill
        painter.setPen(QPen(QColor(20, 20, 20), 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawPath(self._path)
        if self.show_text and self.radius >= 7 and self.look.label:
            font = QFont()
            font.setPixelSize(int(self.radius * (1.0 if len(self.look.label) <= 2 else 0.8)))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text_color_on(fill))
            rect = QRectF(-self.radius, -self.radius, 2 * self.radius, 2 * self.radius)
            if self.shape_name == "triangle":
                rect.translate(0, self.radius * 0.15)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.look.label)
        self._draw_selection(painter)


# Kinds whose many small stations are drawn as one cluster marker at city scale; the national
# and provincial stations and sections (what the center reports upward) are always drawn.
CLUSTERED_KINDS = frozenset({"air_township", "air_grid", "water_boundary"})


class ClusterMarkerItem(_Marker):
    """Several township stations, grid points or boundary sections drawn as one: a ringed disc
    with their count inside, filled with the worst member's level color; the tooltip names the
    worst station and its level (color is never the only cue)."""

    def __init__(self, key: tuple[object, ...], water: bool) -> None:
        super().__init__(15.0)
        self.key = key
        self.water = water
        self.members: list[StationMarkerItem] = []
        self.worst: StationMarkerItem | None = None
        self.stale = False
        self.setZValue(25)

    def set_stale(self, stale: bool) -> None:
        """Data service unreachable: grey like its members (see MapView.set_outage)."""
        if stale != self.stale:
            self.stale = stale
            self.update()

    def set_members(self, members: list[StationMarkerItem], title: str) -> None:
        self.members = members
        ranked = [m for m in members if m.look.rank >= 0]
        self.worst = max(ranked, key=lambda m: m.look.rank) if ranked else None
        x = sum(m.pos().x() for m in members) / len(members)
        y = sum(m.pos().y() for m in members) / len(members)
        self.setPos(x, y)
        worst = (
            f"\n{self.worst.name}: {self.worst.look.label} {self.worst.look.status}"
            if self.worst is not None
            else ""
        )
        self.setToolTip(f"{title}{worst}")
        self.update()

    @property
    def fill(self) -> QColor:
        if self.stale or self.worst is None or not self.worst.look.color:
            return NO_DATA_COLOR
        return QColor(*self.worst.look.color)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_cluster(painter, self.fill, str(len(self.members)), self.radius, self.water)
        self._draw_selection(painter)


def paint_cluster(painter: QPainter, fill: QColor, text: str, r: float, water: bool) -> None:
    """A cluster symbol (also drawn by the legend): dashed white ring, count in the middle."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(20, 20, 20), 1.5))
    painter.setBrush(QBrush(fill))
    painter.drawPath(_shape_path("diamond" if water else "circle", r * (0.85 if water else 1.0)))
    ring = QPen(QColor(255, 255, 255), 2, Qt.PenStyle.DashLine)
    painter.setPen(ring)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QPointF(0, 0), r + 3, r + 3)
    font = QFont()
    font.setPixelSize(int(r * (0.9 if len(text) <= 2 else 0.75)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(text_color_on(fill))
    painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, text)


def paint_station_symbol(painter: QPainter, kind: str, fill: QColor, label: str = "") -> None:
    """A station marker's symbol at the origin, as on the map (also drawn by the legend)."""
    shape, radius = _STATION_SHAPES.get(kind, ("circle", 8.0))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(20, 20, 20), 1.5))
    painter.setBrush(QBrush(fill))
    painter.drawPath(_shape_path(shape, radius))
    if label:
        font = QFont()
        font.setPixelSize(int(radius))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_color_on(fill))
        painter.drawText(
            QRectF(-radius, -radius, 2 * radius, 2 * radius), Qt.AlignmentFlag.AlignCenter, label
        )


def station_symbol_radius(kind: str) -> float:
    return _STATION_SHAPES.get(kind, ("circle", 8.0))[1]


CASE_KIND_GLYPHS = {"quality": "质", "violation": "违", "emergency": "急", "petition": "访"}
COMPACT_PIN_SCALE = 0.6


class CaseMarkerItem(_Marker):
    """A pin: the kind's character on the priority's color, with "P1".."P4" beneath."""

    def __init__(self, case: CaseMarker, kind_names: dict[str, str]) -> None:
        super().__init__(12.0)
        self.case = case
        self.setZValue(50 + (5 - case.priority))
        self.setToolTip(
            f"{case.reference} · P{case.priority} · {kind_names.get(case.kind, case.kind)}\n"
            f"{case.title}"
        )

    @property
    def fill(self) -> QColor:
        return PRIORITY_COLORS.get(self.case.priority, PRIORITY_COLORS[4])

    def boundingRect(self) -> QRectF:
        return QRectF(-18, -34, 36, 52)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(-13, -30, 26, 44), 4, 4)
        return path

    def set_compact(self, compact: bool) -> None:
        """At city scale a case is a small pin (150 full pins would bury the network)."""
        if compact != (self.scale() < 1.0):
            self.setScale(COMPACT_PIN_SCALE if compact else 1.0)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_case_pin(painter, self.case.kind, self.case.priority)
        if self.selected_mark:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 200, 255), 3))
            painter.drawRoundedRect(QRectF(-16, -33, 32, 50), 6, 6)


def paint_case_pin(painter: QPainter, kind: str, priority: int) -> None:
    """A case pin with its point at the origin (also drawn by the legend)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = PRIORITY_COLORS.get(priority, PRIORITY_COLORS[4])
    # The pin's point sits on the location; the body is above it.
    body = QRectF(-13, -30, 26, 24)
    pin = QPainterPath()
    pin.addRoundedRect(body, 4, 4)
    pin.moveTo(-5, -6)
    pin.lineTo(0, 0)
    pin.lineTo(5, -6)
    painter.setPen(QPen(QColor(255, 255, 255), 2))
    painter.setBrush(QBrush(fill))
    painter.drawPath(pin.simplified())
    font = QFont()
    font.setPixelSize(15)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(text_color_on(fill))
    painter.drawText(body, Qt.AlignmentFlag.AlignCenter, CASE_KIND_GLYPHS.get(kind, "?"))
    font.setPixelSize(11)
    painter.setFont(font)
    tag = QRectF(-13, 1, 26, 13)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 190))
    painter.drawRoundedRect(tag, 3, 3)
    painter.setPen(QColor(255, 255, 255))
    painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, f"P{priority}")
