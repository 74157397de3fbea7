"""The network overview: every station ranked worst first, with its level and a sparkline.

Air stations rank by current AQI, water sections by class (then by how far over target). Filter
by kind and district; a click (or Enter) opens the station's trend. Live updates change rows in
place (dataChanged, row-level): the selection and the scroll position survive every update, and
updates are applied at most twice a second and not while the overview is hidden.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.feed.network_state import Reading
from dispatch_app.feed.records import Station
from ui.charts.outage import SHANGHAI, OutageVeil
from ui.charts.ranking import NO_DATA_RANK, StationStatus, status_of
from ui.charts.redraw import RedrawGate
from ui.i18n import current_language
from ui.map.markers import text_color_on

SPARK_POINTS = 120
UPDATE_CHUNK = 400  # the whole network in one slice: one re-sort and one repaint per update
RANK_ROLE = Qt.ItemDataRole.UserRole + 1
STATION_ROLE = Qt.ItemDataRole.UserRole + 2
SPARK_ROLE = Qt.ItemDataRole.UserRole + 3
# The position in the ranking (0 worst), computed in Python once per applied slice: the proxy
# sorts on it, so equal ranks keep registry order and Qt's sort makes no Python comparisons.
ORDER_ROLE = Qt.ItemDataRole.UserRole + 4
COL_RANK, COL_NAME, COL_DISTRICT, COL_LEVEL, COL_DETAIL, COL_SPARK, COL_TIME = range(7)
DISTRICT_ZH = {
    "liyang": "溧阳",
    "jintan": "金坛",
    "wujin": "武进",
    "xinbei": "新北",
    "tianning": "天宁",
    "zhonglou": "钟楼",
    "jingkai": "经开区",
}
DISTRICT_EN = {
    "liyang": "Liyang",
    "jintan": "Jintan",
    "wujin": "Wujin",
    "xinbei": "Xinbei",
    "tianning": "Tianning",
    "zhonglou": "Zhonglou",
    "jingkai": "Economic Dev. Zone",
}


class NetworkModel(QAbstractTableModel):
    """One row per station of the registry, in registry order; the proxy ranks them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.stations: list[Station] = []
        self.row_of: dict[str, int] = {}
        self.status: dict[str, StationStatus] = {}
        self.sparks: dict[str, deque[float]] = {}
        # The time of each station's first live value on its sparkline: history seeded later
        # is cut there, so no point is drawn twice.
        self.first_live: dict[str, datetime] = {}
        self.seeded_until: dict[str, datetime] = {}  # time of each seeded history's last value
        self.order: list[int] = []  # per registry row: its position in the ranking
        self.order_changed = False  # by the last update()
        self.english = current_language() == "en"

    def headers(self) -> list[str]:
        return [
            self.tr("#"),
            self.tr("Station"),
            self.tr("District"),
            self.tr("Level"),
            self.tr("Detail"),
            self.tr("Trend"),
            self.tr("Updated"),
        ]

    def set_stations(self, stations: Iterable[Station]) -> None:
        self.beginResetModel()  # only when the registry itself changes, never on live data
        self.stations = list(stations)
        self.row_of = {s.id: i for i, s in enumerate(self.stations)}
        self.status = {s.id: status_of(s, {}) for s in self.stations}
        self.sparks = {s.id: deque(maxlen=SPARK_POINTS) for s in self.stations}
        self.first_live = {}
        self.seeded_until = {}
        self._rank()
        self.endResetModel()

    def _rank(self) -> bool:
        """Worst first; equal ranks in registry order (a stable sort on the registry rows).
        Returns whether the order changed (the proxy re-sorts only then)."""
        ranked = sorted(
            range(len(self.stations)),
            key=lambda row: -self.status[self.stations[row].id].rank_value,
        )
        order = [0] * len(ranked)
        for position, row in enumerate(ranked):
            order[row] = position
        changed = order != self.order
        self.order = order
        return changed

    def update(self, readings: Mapping[str, Mapping[str, Reading]]) -> list[str]:
        """New readings per station; changes rows in place and re-ranks (ORDER_ROLE).

        Returns the ids that changed. The caller re-sorts the proxy once afterwards: a re-sort
        per row (dynamic sorting) costs a layout change of the view per row, which stalled the
        wall's event loop for hundreds of milliseconds on a whole-network update.
        """
        changed_rows = []
        for sid, station_readings in readings.items():
            row = self.row_of.get(sid)
            if row is None:
                continue
            status = status_of(self.stations[row], station_readings)
            old = self.status.get(sid)
            self.status[sid] = status
            if status.headline_value is not None and (
                old is None or old.time != status.time or not self.sparks[sid]
            ):
                seeded = self.seeded_until.get(sid)
                if seeded is not None and status.time is not None and status.time <= seeded:
                    # History reached this time already: the live value stands for that point.
                    if status.time == seeded and self.sparks[sid]:
                        self.sparks[sid][-1] = status.headline_value
                else:
                    self.sparks[sid].append(status.headline_value)
                if status.time is not None:
                    self.first_live.setdefault(sid, status.time)
            changed_rows.append(row)
        self.order_changed = False
        if changed_rows:
            self.order_changed = self._rank()
            self.dataChanged.emit(
                self.index(min(changed_rows), 0), self.index(max(changed_rows), COL_TIME)
            )
        return [self.stations[r].id for r in changed_rows]

    def seed_spark(
        self, station_id: str, values: Iterable[float], until: datetime | None = None
    ) -> None:
        """History for a sparkline, put before the live values already shown. `until`, the
        time of the last history value, keeps a live value at or before it from being drawn
        a second time."""
        spark = self.sparks.get(station_id)
        if spark is None:
            return
        if until is not None:
            self.seeded_until[station_id] = until
        live = list(spark)
        spark.clear()
        spark.extend(v for v in values if v == v)
        spark.extend(live)
        row = self.row_of[station_id]
        self.dataChanged.emit(self.index(row, COL_SPARK), self.index(row, COL_SPARK))

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:
        # One Python call instead of the base class's rowCount() and columnCount() checks: the
        # proxy's sort asks for an index per comparison, thousands per re-sort.
        if parent.isValid() or not (0 <= row < len(self.stations) and 0 <= column <= COL_TIME):
            return QModelIndex()
        return self.createIndex(row, column)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.stations)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role == ORDER_ROLE:  # first: the sort asks for it thousands of times
            return self.order[index.row()]
        station = self.stations[index.row()]
        status = self.status[station.id]
        col = index.column()
        if role == STATION_ROLE:
            return station.id
        if role == RANK_ROLE:
            return status.rank_value
        if role == SPARK_ROLE:
            return list(self.sparks[station.id])
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return station.name_en if self.english and station.name_en else station.name
            if col == COL_DISTRICT:
                names = DISTRICT_EN if self.english else DISTRICT_ZH
                return names.get(station.district, station.district)
            if col == COL_LEVEL:
                return status.level_en if self.english else status.level_zh
            if col == COL_DETAIL:
                return status.detail_en if self.english else status.detail_zh
            if col == COL_TIME:
                if status.time is None:
                    return "—"
                return status.time.astimezone(SHANGHAI).strftime("%H:%M")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            when = (
                status.time.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if status.time else "—"
            )
            return f"{station.name} {station.id}\n{status.status_text(self.english)}\n{when}"
        if col == COL_LEVEL and status.color is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(*status.color))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(text_color_on(QColor(*status.color)))
        if role == Qt.ItemDataRole.FontRole and col in (COL_LEVEL, COL_NAME):
            font = QFont()
            font.setBold(True)
            return font
        return None


KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "air": ("air_national", "air_provincial", "air_township", "air_grid"),
    "air_reported": ("air_national", "air_provincial"),
    "air_national": ("air_national",),
    "air_provincial": ("air_provincial",),
    "air_township": ("air_township",),
    "air_grid": ("air_grid",),
    "water": ("water_national", "water_provincial", "water_boundary"),
    "water_national": ("water_national",),
    "water_provincial": ("water_provincial",),
    "water_boundary": ("water_boundary",),
}


class RankingProxy(QSortFilterProxyModel):
    """Filters by kind group and district, sorts worst first, and numbers the rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kinds: tuple[str, ...] = KIND_GROUPS["air_reported"]
        self.district: str | None = None
        # Sorted by Qt itself on the position the model computed (a Python lessThan costs ~20 µs
        # a comparison); not dynamically: the overview re-sorts once per applied slice.
        self.setSortRole(ORDER_ROLE)
        self.setDynamicSortFilter(False)

    def resort(self) -> None:
        self.sort(0, Qt.SortOrder.AscendingOrder)

    def set_filter(self, group: str, district: str | None) -> None:
        if group not in KIND_GROUPS:
            raise ValueError(f"unknown kind group {group!r}; expected one of {list(KIND_GROUPS)}")
        self.beginFilterChange()
        self.kinds = KIND_GROUPS[group]
        self.district = district
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, NetworkModel)
        station = model.stations[source_row]
        return station.kind in self.kinds and (
            self.district is None or station.district == self.district
        )


class RankNumberDelegate(QStyledItemDelegate):
    """Draws the place in the ranking (the proxy row + 1) in the first column.

    A delegate rather than an override of the proxy's data(): that override put a Python call
    in front of every role of every cell the table paints (about a third of a repaint).
    """

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = str(index.row() + 1)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay


class SparklineDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        values = index.data(SPARK_ROLE) or []
        if len(values) < 2:
            return
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        n = len(values)
        points = QPolygonF(
            [
                QPointF(
                    rect.left() + rect.width() * i / (n - 1),
                    rect.bottom() - rect.height() * (v - low) / span,
                )
                for i, v in enumerate(values)
            ]
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(120, 200, 255), 1.5))
        painter.drawPolyline(points)
        painter.restore()


class NetworkOverview(QWidget):
    station_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, redraw_interval_ms: int = 500) -> None:
        super().__init__(parent)
        self.setObjectName("networkOverview")
        self.model = NetworkModel(self)
        self.proxy = RankingProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.resort()
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setItemDelegateForColumn(COL_SPARK, SparklineDelegate(self.view))
        self.view.setItemDelegateForColumn(COL_RANK, RankNumberDelegate(self.view))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in (
            (COL_RANK, 44),
            (COL_NAME, 150),
            (COL_DISTRICT, 70),
            (COL_LEVEL, 150),
            (COL_DETAIL, 220),
            (COL_SPARK, 130),
            (COL_TIME, 64),
        ):
            self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultSectionSize(30)
        font = self.view.font()
        font.setPixelSize(15)
        self.view.setFont(font)
        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)

        self.kind_box = QComboBox()
        for key, label in self._kind_labels().items():
            self.kind_box.addItem(label, key)
        self.kind_box.setCurrentIndex(self.kind_box.findData("air_reported"))
        self.district_box = QComboBox()
        self.district_box.addItem(self.tr("All districts"), None)
        names = DISTRICT_EN if self.model.english else DISTRICT_ZH
        for code, name in names.items():
            self.district_box.addItem(name, code)
        self.kind_box.currentIndexChanged.connect(self._filter_changed)
        self.district_box.currentIndexChanged.connect(self._filter_changed)
        self.count_label = QLabel("")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show")))
        bar.addWidget(self.kind_box)
        bar.addWidget(self.district_box)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.veil = OutageVeil(self.view)
        self._pending: dict[str, Mapping[str, Reading]] = {}
        self.gate = RedrawGate(self, self._apply_pending, redraw_interval_ms)

    def _kind_labels(self) -> dict[str, str]:
        return {
            "air_reported": self.tr("Air: national and provincial"),
            "air_national": self.tr("Air: national"),
            "air_provincial": self.tr("Air: provincial"),
            "air_township": self.tr("Air: township"),
            "air_grid": self.tr("Air: hotspot grid"),
            "air": self.tr("Air: all stations"),
            "water_national": self.tr("Water: national sections"),
            "water_provincial": self.tr("Water: provincial sections"),
            "water_boundary": self.tr("Water: boundary sections"),
            "water": self.tr("Water: all sections"),
        }

    # --- data -------------------------------------------------------------------------------

    def set_stations(self, stations: Iterable[Station]) -> None:
        self.model.set_stations(stations)
        self.proxy.resort()
        self._update_count()

    def update_readings(self, readings: Mapping[str, Mapping[str, Reading]]) -> None:
        """Queue new readings (coalesced per station, latest wins); applied at most 2×/s."""
        self._pending.update(readings)
        self.gate.request()

    def _apply_pending(self) -> None:
        # At most UPDATE_CHUNK stations per turn of the event loop: a whole-network update is
        # applied in slices, so no single slice holds the loop for long.
        ids = list(self._pending)[:UPDATE_CHUNK]
        chunk = {sid: self._pending.pop(sid) for sid in ids}
        # One re-sort per slice (10–20 ms for the whole network), never one per row: the ranking
        # shown is always sorted on the values shown.
        if self.model.update(chunk) and self.model.order_changed:
            self.proxy.resort()
        if self._pending:
            QTimer.singleShot(0, self._apply_pending)
        else:
            self._update_count()

    def statuses(self) -> Mapping[str, StationStatus]:
        return self.model.status

    # --- filter and selection -------------------------------------------------------------------

    def set_filter(self, group: str, district: str | None = None) -> None:
        self.proxy.set_filter(group, district)
        for box, value in ((self.kind_box, group), (self.district_box, district)):
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(value))
            box.blockSignals(False)
        self._update_count()

    def _filter_changed(self) -> None:
        self.proxy.set_filter(self.kind_box.currentData(), self.district_box.currentData())
        self._update_count()

    def ranked_ids(self) -> list[str]:
        """Station ids in the order shown (worst first)."""
        return [self.proxy.index(r, 0).data(STATION_ROLE) for r in range(self.proxy.rowCount())]

    def row_text(self, row: int) -> list[str]:
        rank = [str(row + 1)] if 0 <= row < self.proxy.rowCount() else [""]
        return rank + [str(self.proxy.index(row, c).data() or "") for c in range(1, 7)]

    def select_station(self, station_id: str) -> bool:
        row = self.model.row_of.get(station_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False  # filtered out
        self.view.selectRow(index.row())
        self.view.scrollTo(index)
        return True

    def selected_station(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(STATION_ROLE) if rows else None

    def _activated(self, index: QModelIndex) -> None:
        self.station_activated.emit(index.data(STATION_ROLE))

    def _update_count(self) -> None:
        # From the model's own lists: reading each shown row back through the proxy costs a
        # Python data() call per station.
        shown = self.proxy.rowCount()
        kinds, district = self.proxy.kinds, self.proxy.district
        without = sum(
            1
            for s in self.model.stations
            if s.kind in kinds
            and (district is None or s.district == district)
            and self.model.status[s.id].rank_value == NO_DATA_RANK
        )
        self.count_label.setText(
            self.tr("%1 stations, %2 without valid data")
            .replace("%1", str(shown))
            .replace("%2", str(without))
        )

    def set_outage(self, since: datetime | None) -> None:
        self.veil.set_since(since)
