"""The network overview: every station ranked worst first, with its level and a sparkline.

Air stations rank by current AQI, water sections by class (then by how far over target). Filter
by kind and district; a click (or Enter) opens the station's trend. Live updates change rows in
place (dataChanged, row-level) and move them (layoutChanged) only when the ranking changed: the
selection and the scroll position survive every update, and updates are applied at most twice a
second and not while the overview is hidden.
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
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.feed.network_state import Reading
from dispatch_app.feed.records import Station
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.i18n import current_language
from ui.shell.screen_fit import compact
from ui.wall.charts.outage import OutageVeil
from ui.wall.charts.ranking import NO_DATA_RANK, StationStatus, status_of
from ui.wall.charts.redraw import RedrawGate
from ui.wall.map.markers import text_color_on
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.flow_layout import FlowLayout

SPARK_POINTS = 120
UPDATE_CHUNK = 400  # the whole network in one slice: one re-rank and one repaint per update
RANK_ROLE = Qt.ItemDataRole.UserRole + 1
STATION_ROLE = Qt.ItemDataRole.UserRole + 2
SPARK_ROLE = Qt.ItemDataRole.UserRole + 3
COL_RANK, COL_NAME, COL_DISTRICT, COL_LEVEL, COL_DETAIL, COL_SPARK, COL_TIME = range(7)
RANKING_FONT_PX = 15
RANKING_ROW_PX = 30
RANKING_COLUMNS = {
    COL_RANK: 44,
    COL_NAME: 150,
    COL_DISTRICT: 70,
    COL_LEVEL: 150,
    COL_DETAIL: 220,
    COL_SPARK: 130,
    COL_TIME: 64,
}
"""The ranking's base text size, row height and column widths (a 1920×1080 desk); on a 4K
monitor or the video wall they grow with the ranking (``ranking_scale``)."""
MAX_RANKING_SCALE = 3.0


def ranking_scale(width: int, window_height: int) -> float:
    """With the ranking's width (its base columns fill about 830 px) and the window's height
    (700 px of a 1080 screen's desk), never below the base and never above three times it."""
    base_width = sum(RANKING_COLUMNS.values())
    scale = min(width / base_width, window_height / 700)
    return max(1.0, min(MAX_RANKING_SCALE, scale))


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


MAX_COMPARED = 8  # CompareChart's limit: one row per station


class NetworkModel(QAbstractTableModel):
    """The stations shown (by kind group and district), ranked worst first: row 0 is the worst.

    The model keeps its rows in ranked order itself. A QSortFilterProxyModel re-sorting on each
    update asked this model for a sort key thousands of times through Python, which held the
    wall's event loop for tens of milliseconds twice a second. Here a live update re-ranks in one
    Python sort, emits layoutChanged (persistent indexes moved: selection and scroll survive) only
    when the order shown really changed, and otherwise dataChanged for the changed rows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.stations: list[Station] = []  # the registry, in registry order
        self.registry_row: dict[str, int] = {}
        self.status: dict[str, StationStatus] = {}
        self.sparks: dict[str, deque[float]] = {}
        # The time of each station's first live value on its sparkline: history seeded later
        # is cut there, so no point is drawn twice.
        self.first_live: dict[str, datetime] = {}
        self.seeded_until: dict[str, datetime] = {}  # time of each seeded history's last value
        self.kinds: tuple[str, ...] = KIND_GROUPS["air_reported"]
        self.district: str | None = None
        self.shown: list[int] = []  # registry rows, in the order shown (worst first)
        self.row_of: dict[str, int] = {}  # station id -> row shown
        self.order_changed = False  # by the last update()
        self.spark_version: dict[str, int] = {}  # bumped on each change of a sparkline
        self.english = current_language() == "en"
        self._bold = QFont()
        self._bold.setBold(True)

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
        self.registry_row = {s.id: i for i, s in enumerate(self.stations)}
        self.status = {s.id: status_of(s, {}) for s in self.stations}
        self.sparks = {s.id: deque(maxlen=SPARK_POINTS) for s in self.stations}
        self.spark_version = dict.fromkeys(self.registry_row, 0)
        self.first_live = {}
        self.seeded_until = {}
        self._set_shown(self._ranked())
        self.endResetModel()

    def set_filter(self, group: str, district: str | None) -> None:
        if group not in KIND_GROUPS:
            raise ValueError(f"unknown kind group {group!r}; expected one of {list(KIND_GROUPS)}")
        # A reset: rows come and go. The overview puts the selection back afterwards.
        self.beginResetModel()
        self.kinds = KIND_GROUPS[group]
        self.district = district
        self._set_shown(self._ranked())
        self.endResetModel()

    def accepts(self, station: Station) -> bool:
        return station.kind in self.kinds and (
            self.district is None or station.district == self.district
        )

    def _ranked(self) -> list[int]:
        """Registry rows shown, worst first; equal ranks in registry order (a stable sort)."""
        rows = [i for i, s in enumerate(self.stations) if self.accepts(s)]
        status, stations = self.status, self.stations
        rows.sort(key=lambda row: -status[stations[row].id].rank_value)
        return rows

    def _set_shown(self, shown: list[int]) -> None:
        self.shown = shown
        self.row_of = {self.stations[reg].id: row for row, reg in enumerate(shown)}

    def update(self, readings: Mapping[str, Mapping[str, Reading]]) -> list[str]:
        """New readings per station; changes rows in place, re-ranks, and tells the view.

        Returns the ids that changed.
        """
        changed: list[str] = []
        for sid, station_readings in readings.items():
            reg = self.registry_row.get(sid)
            if reg is None:
                continue
            status = status_of(self.stations[reg], station_readings)
            old = self.status.get(sid)
            if status is old:
                continue  # the memoised status: nothing shown changes
            self.status[sid] = status
            if status.headline_value is not None and (
                old is None or old.time != status.time or not self.sparks[sid]
            ):
                seeded = self.seeded_until.get(sid)
                if seeded is not None and status.time is not None and status.time <= seeded:
                    # History reached this time already: the live value stands for that point.
                    if status.time == seeded and self.sparks[sid]:
                        self.sparks[sid][-1] = status.headline_value
                        self.spark_version[sid] += 1
                else:
                    self.sparks[sid].append(status.headline_value)
                    self.spark_version[sid] += 1
                if status.time is not None:
                    self.first_live.setdefault(sid, status.time)
            changed.append(sid)
        self.order_changed = False
        if not changed:
            return changed
        ranked = self._ranked()
        if ranked != self.shown:
            self.order_changed = True
            self._reorder(ranked)
        rows = [self.row_of[sid] for sid in changed if sid in self.row_of]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), COL_TIME))
        return changed

    def _reorder(self, ranked: list[int]) -> None:
        self.layoutAboutToBeChanged.emit()
        new_row = {reg: row for row, reg in enumerate(ranked)}
        before = self.persistentIndexList()
        after = []
        for index in before:
            row = new_row.get(self.shown[index.row()])
            after.append(
                self.createIndex(row, index.column()) if row is not None else QModelIndex()
            )
        self._set_shown(ranked)
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

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
        self.spark_version[station_id] += 1
        row = self.row_of.get(station_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, COL_SPARK), self.index(row, COL_SPARK))

    def station_at(self, row: int) -> Station:
        return self.stations[self.shown[row]]

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:
        # One Python call instead of the base class's rowCount() and columnCount() checks.
        if parent.isValid() or not (0 <= row < len(self.shown) and 0 <= column <= COL_TIME):
            return QModelIndex()
        return self.createIndex(row, column)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

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
        station = self.stations[self.shown[index.row()]]
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
                return status.time.astimezone(CENTER_TZ).strftime("%H:%M")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            when = (
                status.time.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M") if status.time else "—"
            )
            return f"{station.name} {station.id}\n{status.status_text(self.english)}\n{when}"
        if col == COL_LEVEL and status.color is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(*status.color))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(text_color_on(QColor(*status.color)))
        if role == Qt.ItemDataRole.FontRole and col in (COL_LEVEL, COL_NAME):
            return self._bold
        return None


class RankNumberDelegate(QStyledItemDelegate):
    """Draws the place in the ranking (the row + 1) in the first column, from the row itself:
    the number follows every re-ranking with no data change of its own."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = str(index.row() + 1)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay


class SparklineDelegate(QStyledItemDelegate):
    """Draws each row's sparkline from a polyline built once per change of its values (or of the
    cell's size): a repaint of the table, twice a second on a live wall, only replays them."""

    def __init__(self, model: NetworkModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._lines: dict[str, tuple[int, int, int, QPolygonF | None]] = {}
        self._pen = QPen(QColor(120, 200, 255), 1.5)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        sid = self._model.station_at(index.row()).id
        version = self._model.spark_version[sid]
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)
        cached = self._lines.get(sid)
        if cached is None or cached[:3] != (version, rect.width(), rect.height()):
            cached = (
                version,
                rect.width(),
                rect.height(),
                _polyline(self._model.sparks[sid], rect),
            )
            self._lines[sid] = cached
        line = cached[3]
        if line is None:
            return
        painter.save()
        painter.translate(rect.topLeft())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen)
        painter.drawPolyline(line)
        painter.restore()


def _polyline(values: deque[float], rect: QRect) -> QPolygonF | None:
    """The sparkline in the cell's own coordinates (its top left at 0, 0)."""
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    n = len(values)
    width, height = rect.width(), rect.height()
    bottom = height - 1  # QRect.bottom(): the last row of pixels inside
    return QPolygonF(
        [
            QPointF(width * i / (n - 1), bottom - height * (v - low) / span)
            for i, v in enumerate(values)
        ]
    )


class NetworkOverview(QWidget):
    station_activated = Signal(str)
    compare_requested = Signal(list)  # station ids selected in the ranking, in ranking order

    def __init__(self, parent: QWidget | None = None, *, redraw_interval_ms: int = 500) -> None:
        super().__init__(parent)
        self.setObjectName("networkOverview")
        self.model = NetworkModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Ctrl/Shift-click picks several stations for Compare; a plain click still picks one.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setItemDelegateForColumn(COL_SPARK, SparklineDelegate(self.model, self.view))
        self.view.setItemDelegateForColumn(COL_RANK, RankNumberDelegate(self.view))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.scale = 0.0
        self.apply_scale(1.0)
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
        compact(self.kind_box, 9)
        compact(self.district_box, 4)
        self.kind_box.currentIndexChanged.connect(self._filter_changed)
        self.district_box.currentIndexChanged.connect(self._filter_changed)
        self.count_label = ElidedLabel("")
        self.compare_button = QPushButton(self.tr("Compare"))
        self.compare_button.setObjectName("rankingCompare")
        self.compare_button.clicked.connect(self._compare)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

        bar = FlowLayout()  # wraps rather than widen the window
        bar.addWidget(QLabel(self.tr("Show")))
        bar.addWidget(self.kind_box)
        bar.addWidget(self.district_box)
        bar.addWidget(self.compare_button)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.veil = OutageVeil(self.view)
        self._pending: dict[str, Mapping[str, Reading]] = {}
        self.gate = RedrawGate(self, self._apply_pending, redraw_interval_ms)

    def apply_scale(self, scale: float) -> None:
        """Text, rows and columns of the ranking at ``scale`` times their base size."""
        if abs(scale - self.scale) < 0.05:
            return
        self.scale = scale
        font = self.view.font()
        font.setPixelSize(round(RANKING_FONT_PX * scale))
        self.view.setFont(font)
        self.view.verticalHeader().setDefaultSectionSize(round(RANKING_ROW_PX * scale))
        for col, width in RANKING_COLUMNS.items():
            self.view.setColumnWidth(col, round(width * scale))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        window = self.window()
        height = window.height() if window is not None else 0
        self.apply_scale(ranking_scale(self.width(), height))

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
        # The model re-ranks once per slice, never once per row: the ranking shown is always
        # sorted on the values shown.
        self.model.update(chunk)
        if self._pending:
            QTimer.singleShot(0, self._apply_pending)
        else:
            self._update_count()

    def statuses(self) -> Mapping[str, StationStatus]:
        return self.model.status

    # --- filter and selection -------------------------------------------------------------------

    def set_filter(self, group: str, district: str | None = None) -> None:
        self._refilter(group, district)
        for box, value in ((self.kind_box, group), (self.district_box, district)):
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(value))
            box.blockSignals(False)
        self._update_count()

    def _filter_changed(self) -> None:
        self._refilter(self.kind_box.currentData(), self.district_box.currentData())
        self._update_count()

    def _refilter(self, group: str, district: str | None) -> None:
        selected = self.selected_station()
        self.model.set_filter(group, district)
        if selected is not None:
            self.select_station(selected)  # still shown: still selected

    def ranked_ids(self) -> list[str]:
        """Station ids in the order shown (worst first)."""
        return [self.model.stations[reg].id for reg in self.model.shown]

    def row_text(self, row: int) -> list[str]:
        rank = [str(row + 1)] if 0 <= row < self.model.rowCount() else [""]
        return rank + [str(self.model.index(row, c).data() or "") for c in range(1, 7)]

    def select_station(self, station_id: str) -> bool:
        row = self.model.row_of.get(station_id)
        if row is None:
            return False  # unknown, or filtered out
        index = self.model.index(row, 0)
        if not self.view.selectionModel().isRowSelected(row):  # keep a selection for Compare
            self.view.selectRow(row)
        self.view.scrollTo(index)
        return True

    def selected_station(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(STATION_ROLE) if rows else None

    def selected_stations(self) -> list[str]:
        """The stations selected in the ranking, in the order shown."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [str(self.model.index(r, 0).data(STATION_ROLE)) for r in rows]

    def _selection_changed(self, *_args: object) -> None:
        count = len(self.view.selectionModel().selectedRows())
        self.compare_button.setEnabled(2 <= count <= MAX_COMPARED)
        if count < 2:
            tip = self.tr("Select two or more stations (Ctrl+click or Shift+click) to compare them")
        elif count > MAX_COMPARED:
            tip = self.tr("At most %1 stations can be compared").replace("%1", str(MAX_COMPARED))
        else:
            tip = self.tr("Compare the %1 selected stations").replace("%1", str(count))
        self.compare_button.setToolTip(tip)

    def _compare(self) -> None:
        chosen = self.selected_stations()
        if len(chosen) >= 2:
            self.compare_requested.emit(chosen)

    def _activated(self, index: QModelIndex) -> None:
        if len(self.view.selectionModel().selectedRows()) > 1:
            return  # picking stations to compare, not opening one
        self.station_activated.emit(index.data(STATION_ROLE))

    def _update_count(self) -> None:
        # From the model's own lists: reading each shown row back through data() costs a
        # Python call per station.
        shown = self.model.rowCount()
        without = sum(
            1
            for reg in self.model.shown
            if self.model.status[self.model.stations[reg].id].rank_value == NO_DATA_RANK
        )
        self.count_label.setText(
            self.tr("%1 stations, %2 without valid data")
            .replace("%1", str(shown))
            .replace("%2", str(without))
        )

    def set_outage(self, since: datetime | None) -> None:
        self.veil.set_since(since)
