"""The map of the monitoring network and the open cases, drawn offline with Qt.

Districts from the shipped basemap, stations as markers colored by AQI level or water class (the
caller computes the look through the standards module), open cases as pins by kind and priority.
Wheel or +/- zooms, dragging pans, 0 fits the city. Hover shows details; a click selects and
emits `station_selected` / `case_selected`; `select_station` / `select_case` select from
elsewhere without emitting, so a selection made in one view echoes in all without loops.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QWidget,
)

from dispatch_app.feed.records import Station
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell import labels, theme
from ui.shell.i18n import current_language
from ui.wall.map.basemap import BasemapError, DistrictShape, Projection, in_bounds, load_basemap
from ui.wall.map.legend import MapLegend
from ui.wall.map.markers import (
    CLUSTERED_KINDS,
    CaseMarker,
    CaseMarkerItem,
    ClusterMarkerItem,
    StationLook,
    StationMarkerItem,
)

# Zoom is relative to the whole city fitted in the view. Below DETAIL_ZOOM the small markers
# (township stations, grid points) drop their text: at city scale 270 numbers would be noise;
# zoomed into a district they are readable.
DETAIL_ZOOM = 2.5
MIN_ZOOM, MAX_ZOOM = 0.5, 40.0
# Clustering of the dense kinds (CLUSTERED_KINDS): at city scale one marker per district and
# domain (air, water); closer in, one per screen cell of CLUSTER_CELL_PX; from EXPAND_ZOOM on,
# every station on its own. The national and provincial stations are never clustered.
DISTRICT_CLUSTER_ZOOM = 1.8
EXPAND_ZOOM = 5.0
CLUSTER_CELL_PX = 56.0

CaseTuple = tuple[int, str, str, int, float, float, str]


class MapView(QGraphicsView):
    station_selected = Signal(str)
    case_selected = Signal(int)

    def __init__(
        self, parent: QWidget | None = None, *, basemap: Iterable[DistrictShape] | None = None
    ):
        super().__init__(parent)
        self.setObjectName("monitoringMap")
        self.projection = Projection()
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stations: dict[str, StationMarkerItem] = {}
        self.clusters: dict[tuple[object, ...], ClusterMarkerItem] = {}
        self._recluster_due = False
        self.cases: dict[int, CaseMarkerItem] = {}
        self.rejected_cases: list[int] = []
        self.districts: dict[str, QGraphicsPathItem] = {}
        self._district_paths: list[QGraphicsPathItem] = []
        self._district_labels: list[QGraphicsSimpleTextItem] = []
        self.colors_of: str | None = None  # the theme whose basemap colors are painted
        self.selected_station: str | None = None
        self.selected_case: int | None = None
        self.basemap_error: str | None = None
        self.rejected_stations: list[str] = []  # ids with coordinates outside Changzhou
        # The map follows its size (it is often built hidden, at a tiny size, in a tab) until the
        # officer zooms or pans; "0" gives the whole city back.
        self._user_view = False
        self._fit_scale = 1.0

        self._info = QLabel(self)  # details of the selection, top-left
        self._info.setObjectName("mapInfo")
        self._info.setWordWrap(True)
        self._info.setMaximumWidth(360)
        self._info.setStyleSheet(
            "QLabel#mapInfo { background: rgba(0,0,0,190); color: white; padding: 6px;"
            " border-radius: 4px; font-size: 14px; }"
        )
        self._info.hide()
        self._banner = QLabel(self)  # outage or basemap problem, top, full width
        self._banner.setObjectName("mapBanner")
        self._banner.setStyleSheet(
            "QLabel#mapBanner { background: rgba(90,90,90,230); color: white; padding: 6px;"
            " font-size: 16px; font-weight: bold; }"
        )
        self._banner.hide()
        self._outage_since: datetime | None = None
        self.legend = MapLegend(self)

        try:
            shapes = tuple(basemap) if basemap is not None else load_basemap()
        except BasemapError as exc:
            # The network still shows without districts; the officer is told why.
            shapes = ()
            self.basemap_error = str(exc)
        self._draw_districts(shapes)
        self.apply_theme_colors()
        self._pad_scene()
        self._update_banner()

    # --- basemap ---------------------------------------------------------------------------

    def _draw_districts(self, shapes: Iterable[DistrictShape]) -> None:
        label_font = QFont()
        label_font.setPixelSize(18)
        label_font.setBold(True)
        for shape in shapes:
            path = QPainterPath()
            for poly in shape.polygons:
                for ring in poly:
                    points = [QPointF(*self.projection.to_scene(lon, lat)) for lon, lat in ring]
                    path.moveTo(points[0])
                    for p in points[1:]:
                        path.lineTo(p)
                    path.closeSubpath()
            item = self._scene.addPath(path)
            item.setZValue(0)
            item.setData(0, shape.district)
            self.districts[shape.district] = item
            self._district_paths.append(item)
            english = current_language() == "en" and shape.name_en
            label = QGraphicsSimpleTextItem(shape.name_en if english else shape.name)
            label.setFont(label_font)
            # Centred on the label point: the transform applies in pixels (the label ignores zoom).
            size = label.boundingRect()
            label.setTransform(QTransform.fromTranslate(-size.width() / 2, -size.height() / 2))
            label.setFlag(QGraphicsSimpleTextItem.GraphicsItemFlag.ItemIgnoresTransformations)
            x, y = self.projection.to_scene(shape.label_lon, shape.label_lat)
            label.setPos(x, y)
            label.setZValue(15)  # above grid points, below the reported stations
            self._scene.addItem(label)
            self._district_labels.append(label)

    def apply_theme_colors(self) -> None:
        """The basemap in the theme's tones: dark land on the dark theme, light on the light one
        (markers keep the standards' colors on both)."""
        colors = theme.palette().map
        self.colors_of = theme.current_theme()
        self.setBackgroundBrush(colors.background)
        edge = QPen(colors.district_edge, 0)  # cosmetic: one pixel at any zoom
        for item in self._district_paths:
            item.setPen(edge)
            item.setBrush(QBrush(colors.district_fill))
        for label in self._district_labels:
            label.setBrush(colors.label)
            label.setPen(QPen(colors.label_outline, 0.6))  # a halo keeps it legible over markers

    def event(self, event: QEvent) -> bool:
        # A theme switch restyles the application: every widget gets a StyleChange (a scroll
        # area handles it in event(), never passing it to changeEvent()).
        if event.type() == QEvent.Type.StyleChange and self.colors_of != theme.current_theme():
            self.apply_theme_colors()
        return super().event(event)

    def _pad_scene(self) -> None:
        """Room around the city, so that any station or case can be centred, even one on the
        city's edge in a wide, short map."""
        rect = self._scene.itemsBoundingRect()
        if not rect.isEmpty():
            w, h = rect.width(), rect.height()
            self._scene.setSceneRect(rect.adjusted(-w, -h, w, h))

    def fit_city(self) -> None:
        self._user_view = False
        rect = self._scene.itemsBoundingRect()
        if not rect.isEmpty():
            self.fitInView(rect.adjusted(-3, -3, 3, 3), Qt.AspectRatioMode.KeepAspectRatio)
            self._fit_scale = self.transform().m11()
            self._zoom_changed()

    def zoom(self) -> float:
        """1.0 with the whole city in view, 2.0 twice as close."""
        return self.transform().m11() / self._fit_scale

    # --- stations ----------------------------------------------------------------------------

    def set_stations(self, stations: Iterable[Station]) -> None:
        """Place (or move) a marker for every station; markers not in the list are removed."""
        seen: set[str] = set()
        self.rejected_stations = []
        for st in stations:
            if not in_bounds(st.lon, st.lat):
                self.rejected_stations.append(st.id)
                continue
            seen.add(st.id)
            item = self.stations.get(st.id)
            if item is None:
                item = StationMarkerItem(st.id, st.name, st.kind, st.district)
                item.set_stale(self._outage_since is not None)
                self._scene.addItem(item)
                self.stations[st.id] = item
            item.setPos(*self.projection.to_scene(st.lon, st.lat))
        for gone in set(self.stations) - seen:
            self._scene.removeItem(self.stations.pop(gone))
        self._pad_scene()
        self._zoom_changed()
        self.recluster()
        if not self._user_view and self.isVisible():
            self.fit_city()

    def set_station_look(self, station_id: str, look: StationLook) -> None:
        item = self.stations.get(station_id)
        if item is not None:
            item.set_look(look)
            if station_id == self.selected_station:
                self._show_info_station(item)
            if item.kind in CLUSTERED_KINDS:
                self._schedule_recluster()  # the cluster's worst level may have changed

    # --- clusters -------------------------------------------------------------------------------

    def _schedule_recluster(self) -> None:
        if not self._recluster_due:
            self._recluster_due = True
            QTimer.singleShot(0, self.recluster)

    def cluster_key(self, item: StationMarkerItem) -> tuple[object, ...] | None:
        """The cluster a station joins at the current zoom, or None when it is drawn itself."""
        if item.kind not in CLUSTERED_KINDS or item.station_id == self.selected_station:
            return None
        zoom = self.zoom()
        if zoom >= EXPAND_ZOOM:
            return None
        domain = "water" if item.kind.startswith("water") else "air"
        if zoom < DISTRICT_CLUSTER_ZOOM:
            return (domain, item.district)
        scale = self.transform().m11()
        pos = item.pos()
        cell = CLUSTER_CELL_PX / scale
        return (domain, int(pos.x() // cell), int(pos.y() // cell))

    def recluster(self) -> None:
        """Group the dense kinds for the current zoom: members hidden, a count marker shown."""
        self._recluster_due = False
        groups: dict[tuple[object, ...], list[StationMarkerItem]] = {}
        for item in self.stations.values():
            key = self.cluster_key(item)
            if key is None:
                item.setVisible(True)
            else:
                groups.setdefault(key, []).append(item)
        districts = self.district_names()
        for key, members in list(groups.items()):
            if len(members) == 1:  # a cluster of one is the station itself
                members[0].setVisible(True)
                del groups[key]
                continue
            for m in members:
                m.setVisible(False)
            cluster = self.clusters.get(key)
            if cluster is None:
                cluster = ClusterMarkerItem(key, water=key[0] == "water")
                cluster.set_stale(self._outage_since is not None)
                self._scene.addItem(cluster)
                self.clusters[key] = cluster
            where = districts.get(str(key[1]), "") if len(key) == 2 else ""
            title = (
                self.tr("%1 boundary sections %2")
                if key[0] == "water"
                else self.tr("%1 air stations %2")
            )
            cluster.set_members(
                members, title.replace("%1", str(len(members))).replace("%2", where).strip()
            )
        for key in set(self.clusters) - set(groups):
            self._scene.removeItem(self.clusters.pop(key))

    def district_names(self) -> dict[str, str]:
        return {code: labels.label(labels.DISTRICT, code) for code in labels.DISTRICT}

    def visible_symbols(self) -> int:
        """Station markers and clusters drawn now (what crowds the map; cases not counted)."""
        return sum(1 for i in self.stations.values() if i.isVisible()) + len(self.clusters)

    def expand_cluster(self, cluster: ClusterMarkerItem) -> None:
        """A click on a cluster zooms in on it until it comes apart."""
        self.centerOn(cluster)
        target = DISTRICT_CLUSTER_ZOOM * 1.5 if self.zoom() < DISTRICT_CLUSTER_ZOOM else EXPAND_ZOOM
        self.zoom_by(max(1.25, target / self.zoom()))
        self.centerOn(cluster.pos())

    def select_station(self, station_id: str | None, *, center: bool = True) -> None:
        """Select from elsewhere: highlight and centre, without emitting station_selected."""
        if self.selected_station in self.stations:
            self.stations[self.selected_station].set_selected_mark(False)
        previous = self.selected_station
        self.selected_station = station_id if station_id in self.stations else None
        if previous != self.selected_station:
            self.recluster()  # a selected station is drawn itself, out of its cluster
        if self.selected_station is None:
            self._info.hide()
            return
        item = self.stations[self.selected_station]
        item.set_selected_mark(True)
        if center:
            self.centerOn(item.pos())
        self._show_info_station(item)

    def _show_info_station(self, item: StationMarkerItem) -> None:
        self._info.setText(f"<b>{item.name}</b> {item.station_id}<br>{item.look.status}")
        self._info.adjustSize()
        self._info.show()

    # --- cases -------------------------------------------------------------------------------

    def kind_names(self) -> dict[str, str]:
        return {
            "quality": self.tr("Quality problem"),
            "violation": self.tr("Violation case"),
            "emergency": self.tr("Emergency"),
            "petition": self.tr("Petition"),
        }

    def set_cases(self, cases: Iterable[CaseMarker | CaseTuple]) -> None:
        """The open cases: (case id, reference, kind, priority, lon, lat, title) each.

        Replaces the previous set; a case without usable coordinates is left off the map (it is
        still in the queue) and counted in `rejected_cases`.
        """
        for item in self.cases.values():
            self._scene.removeItem(item)
        self.cases.clear()
        self.rejected_cases = []
        names = self.kind_names()
        for raw in cases:
            case = raw if isinstance(raw, CaseMarker) else CaseMarker(*raw)
            if not in_bounds(case.lon, case.lat):
                self.rejected_cases.append(case.case_id)
                continue
            item = CaseMarkerItem(case, names)
            item.setPos(*self.projection.to_scene(case.lon, case.lat))
            item.set_compact(self.zoom() < DETAIL_ZOOM)
            self._scene.addItem(item)
            self.cases[case.case_id] = item
        if self.selected_case is not None:
            self.select_case(self.selected_case, center=False)

    def select_case(self, case_id: int | None, *, center: bool = True) -> None:
        if self.selected_case in self.cases:
            self.cases[self.selected_case].set_selected_mark(False)
        self.selected_case = case_id if case_id in self.cases else None
        if self.selected_case is None:
            self._info.hide()
            return
        item = self.cases[self.selected_case]
        item.set_selected_mark(True)
        if center:
            self.centerOn(item.pos())
        c = item.case
        self._info.setText(
            f"<b>{c.reference}</b> P{c.priority} · {self.kind_names().get(c.kind, c.kind)}"
            f"<br>{c.title}"
        )
        self._info.adjustSize()
        self._info.show()

    # --- outage --------------------------------------------------------------------------------

    def set_outage(self, since: datetime | None) -> None:
        """Grey the markers and say since when the data service is unreachable (None: back)."""
        self._outage_since = since
        # Colors would claim a current level: in an outage every marker turns grey and keeps its
        # last text, so the officer sees what was last known without mistaking it for live.
        for item in self.stations.values():
            item.set_stale(since is not None)
        for cluster in self.clusters.values():
            cluster.set_stale(since is not None)
        self._update_banner()

    @property
    def in_outage(self) -> bool:
        return self._outage_since is not None

    def banner_text(self) -> str:
        return self._banner.text() if self._banner.isVisibleTo(self) else ""

    def _update_banner(self) -> None:
        lines = []
        if self._outage_since is not None:
            since = self._outage_since.astimezone(CENTER_TZ).strftime("%m-%d %H:%M:%S")
            lines.append(
                self.tr(
                    "Data service unreachable since %1: the map shows the last data received"
                ).replace("%1", since)
            )
        if self.basemap_error:
            lines.append(self.tr("Basemap not loaded: %1").replace("%1", self.basemap_error))
        self._banner.setText("\n".join(lines))
        self._banner.setVisible(bool(lines))
        self._place_overlays()

    def _place_overlays(self) -> None:
        self._banner.setFixedWidth(self.viewport().width())
        self._banner.adjustSize()
        self._banner.move(0, 0)
        self._info.move(8, (self._banner.height() if self._banner.isVisibleTo(self) else 0) + 8)
        self.legend.place(self.viewport().width(), self.viewport().height())

    # --- interaction -----------------------------------------------------------------------

    def marker_at(
        self, pos: QPointF
    ) -> StationMarkerItem | CaseMarkerItem | ClusterMarkerItem | None:
        for item in self.items(pos.toPoint()):
            if (
                isinstance(item, StationMarkerItem | CaseMarkerItem | ClusterMarkerItem)
                and item.isVisible()
            ):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.marker_at(event.position())
            if isinstance(item, StationMarkerItem):
                self.select_station(item.station_id, center=False)
                self.station_selected.emit(item.station_id)
                event.accept()
                return
            if isinstance(item, CaseMarkerItem):
                self.select_case(item.case.case_id, center=False)
                self.case_selected.emit(item.case.case_id)
                event.accept()
                return
            if isinstance(item, ClusterMarkerItem):
                self.expand_cluster(item)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._user_view = True  # dragging pans the map
        super().mouseMoveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.2**steps)
        event.accept()

    def zoom_by(self, factor: float) -> None:
        self._user_view = True
        target = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM)
        factor = target / self.zoom()
        self.scale(factor, factor)
        self._zoom_changed()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key == Qt.Key.Key_0:
            self.fit_city()
        else:
            super().keyPressEvent(event)

    def _zoom_changed(self) -> None:
        detail = self.zoom() >= DETAIL_ZOOM
        for item in self.stations.values():
            want = item.radius >= 11 or detail
            if item.show_text != want:
                item.show_text = want
                item.update()
        for pin in self.cases.values():
            pin.set_compact(not detail)
        self._schedule_recluster()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_view and self._scene.items():
            self.fit_city()
        self._place_overlays()

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()
