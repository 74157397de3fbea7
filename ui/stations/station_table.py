"""The live station table: the latest values of every station, with flags and staleness.

Fed by coalesced `StationsBatch`es (dispatch_app/feed/poller.py, bridged to Qt by
ui/feed_bridge.py). A live update never resets the view: rows change with `dataChanged`, and new
or vanished stations with `beginInsertRows`/`beginRemoveRows`, so the duty officer's selection,
sort order and scroll position stay put while numbers move.

Color is never the only cue (DESIGN.md): a flag other than N is written next to the value, a late
or stale station says so in words, and a lost data service greys the table and puts a banner with
"since HH:MM" above it, so a frozen number is never mistaken for a quiet network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.feed.network_state import Staleness, StationsBatch, StationSnapshot
from dispatch_app.feed.poller import ConnectionState, FeedStatus
from dispatch_app.feed.records import Station
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell import labels
from ui.shell.i18n import current_language
from ui.shell.screen_fit import compact
from ui.widgets.flow_layout import FlowLayout

CTX = "StationTable"

# The main parameters shown as columns, air first then water (docs/contracts.md keys). A station
# shows the ones it measures; the rest of its row stays empty.
MAIN_PARAMETERS: tuple[str, ...] = (
    "PM2.5",
    "PM10",
    "O3",
    "NO2",
    "SO2",
    "CO",
    "pH",
    "DO",
    "CODMn",
    "NH3-N",
    "TP",
    "TN",
)

# Decimals worth showing: the instruments' resolution, not float noise.
DECIMALS: dict[str, int] = {
    "PM2.5": 0,
    "PM10": 0,
    "O3": 0,
    "NO2": 0,
    "SO2": 0,
    "CO": 1,
    "pH": 2,
    "DO": 1,
    "CODMn": 1,
    "COD": 1,
    "NH3-N": 2,
    "TP": 3,
    "TN": 2,
    "temp": 1,
    "water_temp": 1,
    "humidity": 0,
    "wind_speed": 1,
    "wind_dir": 0,
    "conductivity": 0,
}

STATION_KIND = {
    "air_national": str(QT_TRANSLATE_NOOP("StationTable", "National air station")),
    "air_provincial": str(QT_TRANSLATE_NOOP("StationTable", "Provincial air station")),
    "air_township": str(QT_TRANSLATE_NOOP("StationTable", "Township air station")),
    "air_grid": str(QT_TRANSLATE_NOOP("StationTable", "Air grid point")),
    "water_national": str(QT_TRANSLATE_NOOP("StationTable", "National water section")),
    "water_provincial": str(QT_TRANSLATE_NOOP("StationTable", "Provincial water section")),
    "water_boundary": str(QT_TRANSLATE_NOOP("StationTable", "Boundary water section")),
}
DISTRICT_LABELS = cast(dict[str, str], labels.DISTRICT)
KIND_ORDER = {k: i for i, k in enumerate(STATION_KIND)}

# HJ 212—2017 data flags (REFERENCE.md §5).
FLAG_MEANING = {
    "N": str(QT_TRANSLATE_NOOP("StationTable", "normal")),
    "F": str(QT_TRANSLATE_NOOP("StationTable", "stopped")),
    "M": str(QT_TRANSLATE_NOOP("StationTable", "maintenance")),
    "S": str(QT_TRANSLATE_NOOP("StationTable", "manually set value")),
    "D": str(QT_TRANSLATE_NOOP("StationTable", "instrument fault")),
    "C": str(QT_TRANSLATE_NOOP("StationTable", "calibration")),
    "T": str(QT_TRANSLATE_NOOP("StationTable", "over range")),
    "B": str(QT_TRANSLATE_NOOP("StationTable", "data-logger communication fault")),
}

# Colors: amber for late and for flagged values (look, but it may be routine), red for stale.
LATE_BG = QColor("#d29922")
LATE_FG = QColor("#1a1300")
STALE_BG = QColor("#8e1519")
STALE_FG = QColor("#ffffff")
FLAG_BG = QColor("#5a4a12")
FLAG_FG = QColor("#ffd66b")
DOWN_FG = QColor("#6e7681")

# How registries write "no unit" (pH): nothing to show.
DIMENSIONLESS = frozenset({"", "dimensionless", "无量纲", "1", "-"})

DOWN_BRUSH = QBrush(DOWN_FG)
FLAG_FG_BRUSH = QBrush(FLAG_FG)
FLAG_BG_BRUSH = QBrush(FLAG_BG)
LATE_BG_BRUSH = QBrush(LATE_BG)
LATE_FG_BRUSH = QBrush(LATE_FG)
STALE_BG_BRUSH = QBrush(STALE_BG)
STALE_FG_BRUSH = QBrush(STALE_FG)
_FONTS: list[QFont] = []


def _italic_font() -> QFont:
    """Flagged values are italic too (a cue besides color); one QFont, made once Qt is up."""
    if not _FONTS:
        font = QFont()
        font.setItalic(True)
        _FONTS.append(font)
    return _FONTS[0]


ROLE_STATION_ID = int(Qt.ItemDataRole.UserRole) + 1
ROLE_KIND = ROLE_STATION_ID + 1
ROLE_DISTRICT = ROLE_STATION_ID + 2
ROLE_STALENESS = ROLE_STATION_ID + 3
ROLE_SORT = ROLE_STATION_ID + 4
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT_ALIGNED = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_SELECTED = QStyle.StateFlag.State_Selected
ROLE_CELL = ROLE_STATION_ID + 5  # (text, fg, bg, font, alignment): all a cell paints with
_CACHED_ROLES = (
    int(Qt.ItemDataRole.DisplayRole),
    int(Qt.ItemDataRole.ForegroundRole),
    int(Qt.ItemDataRole.BackgroundRole),
    int(Qt.ItemDataRole.FontRole),
    int(Qt.ItemDataRole.TextAlignmentRole),
    ROLE_SORT,
)


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def kind_label(kind: str) -> str:
    source = STATION_KIND.get(kind)
    return tr(source) if source else kind


def format_age(seconds: float) -> str:
    """ "just now", "3 min ago", "2 h ago", "3 d ago": readable across the room."""
    if seconds < 60:
        return QCoreApplication.translate("StationTable", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("StationTable", "%n min ago").replace(
            "%n", str(int(seconds // 60))
        )
    if seconds < 86400 * 2:
        return QCoreApplication.translate("StationTable", "%n h ago").replace(
            "%n", str(int(seconds // 3600))
        )
    return QCoreApplication.translate("StationTable", "%n d ago").replace(
        "%n", str(int(seconds // 86400))
    )


def staleness_text(snap: StationSnapshot, now: datetime) -> str:
    """How current a station is, in words ("3 min ago", "late · 5 min ago", "stale · 2 h ago",
    "no data"), judged by its own reporting rules: the table's and the map's words."""
    if snap.last_time is None:
        return QCoreApplication.translate("StationTable", "no data")
    age = format_age(max(0.0, (now - snap.last_time).total_seconds()))
    level = snap.staleness(now)
    if level is Staleness.LATE:
        return QCoreApplication.translate("StationTable", "late · %1").replace("%1", age)
    if level is Staleness.STALE:
        return QCoreApplication.translate("StationTable", "stale · %1").replace("%1", age)
    return age


def format_value(parameter: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.{DECIMALS.get(parameter, 2)}f}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StationTableModel(QAbstractTableModel):
    """One row per station, in registry order (kind, district, id); sorting is the proxy's job."""

    COL_NAME = 0
    COL_KIND = 1
    COL_DISTRICT = 2
    COL_UPDATED = 3  # right after the district: staleness matters more than any one value
    FIRST_PARAM = 4

    def __init__(
        self,
        parameters: Sequence[str] = MAIN_PARAMETERS,
        clock: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.parameters = tuple(parameters)
        self.col_updated = self.COL_UPDATED
        self.col_count = self.FIRST_PARAM + len(self.parameters)
        self._clock = clock
        self._rows: list[StationSnapshot] = []
        self._row_of: dict[str, int] = {}
        self._common_unit: dict[str, str | None] = {}
        self._down_since: datetime | None = None
        self._now = clock()
        self._cache: dict[int, list[dict[int, Any]]] = {}

    # --- feeding ----------------------------------------------------------------------------

    def apply_batch(self, batch: StationsBatch) -> None:
        """Fold a batch in: changed rows get `dataChanged`, new stations are inserted, and on a
        full (initial) batch stations no longer in the registry are removed."""
        self._now = self._clock()
        fresh: list[StationSnapshot] = []
        changed_rows: list[int] = []
        for sid, snap in batch.snapshots.items():
            row = self._row_of.get(sid)
            if row is None:
                fresh.append(snap)
            else:
                self._rows[row] = snap
                self._cache.pop(row, None)
                changed_rows.append(row)
        if batch.initial:
            gone = [sid for sid in self._row_of if sid not in batch.snapshots]
            self._remove(gone)
            changed_rows = [self._row_of[s] for s in batch.snapshots if s in self._row_of]
        # A live batch changes readings, never a station's name, kind or district: the label
        # columns need no repaint (a full batch may carry registry changes, so all columns).
        self._emit_changed(changed_rows, 0 if batch.initial else self.COL_UPDATED)
        if fresh:
            self._insert(fresh)
        if fresh or batch.initial:
            self._recompute_units()

    def _emit_changed(self, rows: Iterable[int], first_col: int = 0) -> None:
        """One `dataChanged` per run of consecutive rows: row-wise, without a signal storm."""
        last_col = self.columnCount() - 1
        ordered = sorted(set(rows))
        i = 0
        while i < len(ordered):
            j = i
            while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
                j += 1
            self.dataChanged.emit(
                self.index(ordered[i], first_col), self.index(ordered[j], last_col)
            )
            i = j + 1

    @staticmethod
    def _order_key(st: Station) -> tuple[int, str, str]:
        return (KIND_ORDER.get(st.kind, len(KIND_ORDER)), st.district, st.id)

    def _insert(self, snaps: list[StationSnapshot]) -> None:
        """Insert each new station at its place in registry order."""
        ordered = sorted(snaps, key=lambda s: self._order_key(s.station))
        if not self._rows:
            self.beginInsertRows(QModelIndex(), 0, len(ordered) - 1)
            self._rows = ordered
            self._reindex()
            self.endInsertRows()
            return
        for snap in ordered:
            key = self._order_key(snap.station)
            row = len(self._rows)
            for i, existing in enumerate(self._rows):
                if self._order_key(existing.station) > key:
                    row = i
                    break
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, snap)
            self._reindex()
            self.endInsertRows()

    def _remove(self, station_ids: list[str]) -> None:
        for sid in station_ids:
            row = self._row_of[sid]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self._reindex()
            self.endRemoveRows()

    def _reindex(self) -> None:
        self._cache.clear()  # rows moved
        self._row_of = {snap.station.id: i for i, snap in enumerate(self._rows)}

    def _recompute_units(self) -> None:
        """A unit goes in the header when every station agrees on it; otherwise in each cell
        (the registry keeps a unit per station and parameter: never assume one)."""
        units: dict[str, set[str]] = {p: set() for p in self.parameters}
        for snap in self._rows:
            for sp in snap.station.parameters:
                if sp.key in units:
                    units[sp.key].add(sp.unit)
        common = {p: (next(iter(u)) if len(u) == 1 else None) for p, u in units.items()}
        common = {p: (None if u in DIMENSIONLESS else u) for p, u in common.items()}
        if common != self._common_unit:
            self._common_unit = common
            self._invalidate()  # cell texts carry the unit when the header does not
            self.headerDataChanged.emit(
                Qt.Orientation.Horizontal, self.FIRST_PARAM, self.col_count - 1
            )

    def refresh_staleness(self) -> None:
        """Time passes even when no data comes: re-evaluate the "updated" column."""
        self._now = self._clock()
        self._invalidate()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.col_updated),
                self.index(len(self._rows) - 1, self.col_updated),
            )

    def set_feed_status(self, status: FeedStatus) -> None:
        """Grey everything while the data service is down: the numbers are old."""
        down = status.since if status.state is ConnectionState.DOWN else None
        if down == self._down_since:
            return
        self._down_since = down
        self._now = self._clock()
        self._invalidate()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    @property
    def down_since(self) -> datetime | None:
        return self._down_since

    # --- access -----------------------------------------------------------------------------

    def station_ids(self) -> list[str]:
        return [s.station.id for s in self._rows]

    def row_of(self, station_id: str) -> int | None:
        return self._row_of.get(station_id)

    def snapshot(self, row: int) -> StationSnapshot:
        return self._rows[row]

    def stations(self) -> list[Station]:
        return [s.station for s in self._rows]

    # --- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self.col_count

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_NAME:
                return QCoreApplication.translate("StationTable", "Station")
            if section == self.COL_KIND:
                return QCoreApplication.translate("StationTable", "Kind")
            if section == self.COL_DISTRICT:
                return QCoreApplication.translate("StationTable", "District")
            if section == self.col_updated:
                return QCoreApplication.translate("StationTable", "Updated")
            if self.FIRST_PARAM <= section < self.col_count:
                key = self.parameters[section - self.FIRST_PARAM]
                unit = self._common_unit.get(key)
                return f"{key}\n{unit}" if unit else key
        if role == Qt.ItemDataRole.ToolTipRole and section == self.col_updated:
            return QCoreApplication.translate(
                "StationTable", "Time since the station's last observation"
            )
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Painting asks for ~8 roles of every visible cell on every repaint; the answers of a
        row are computed once per change of that row and looked up afterwards, which keeps a
        live repaint of the whole network cheap on the UI thread."""
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        if role in _CACHED_ROLES or role == ROLE_CELL:
            cells = self._cache.get(row)
            if cells is None:
                cells = self._cache[row] = self._build_row(row)
            return cells[index.column()].get(role)
        return self._compute(row, index.column(), role)

    def _build_row(self, row: int) -> list[dict[int, Any]]:
        cells: list[dict[int, Any]] = []
        snap = self._rows[row]
        for col in range(self.col_count):
            if col >= self.FIRST_PARAM:
                values = self._value_cell(snap, self.parameters[col - self.FIRST_PARAM])
            else:
                values = {}
                for role in _CACHED_ROLES:
                    value = self._compute(row, col, role)
                    if value is not None:
                        values[role] = value
            values[ROLE_CELL] = (
                values.get(DISPLAY),
                values.get(FOREGROUND),
                values.get(BACKGROUND),
                values.get(FONT),
                values.get(ALIGNMENT),
            )
            cells.append(values)
        return cells

    def _value_cell(self, snap: StationSnapshot, key: str) -> dict[int, Any]:
        """All cached roles of one value cell in one pass (the bulk of a row)."""
        reading = snap.readings.get(key)
        if reading is None:
            return {ROLE_SORT: float("-inf")}
        flagged = reading.flag != "N"
        down = self._down_since is not None
        text = format_value(key, reading.value)
        if self._common_unit.get(key) is None:
            unit = snap.station.unit_of(key)
            if unit and unit not in DIMENSIONLESS:
                text = f"{text} {unit}"
        values: dict[int, Any] = {
            DISPLAY: f"{text} {reading.flag}" if flagged else text,
            ROLE_SORT: reading.value if reading.value is not None else float("-inf"),
            ALIGNMENT: RIGHT_ALIGNED,
        }
        if down:
            values[FOREGROUND] = DOWN_BRUSH
        elif flagged:
            values[FOREGROUND] = FLAG_FG_BRUSH
            values[BACKGROUND] = FLAG_BG_BRUSH
        if flagged:
            values[FONT] = _italic_font()
        return values

    def _invalidate(self, rows: Iterable[int] | None = None) -> None:
        if rows is None:
            self._cache.clear()
        else:
            for r in rows:
                self._cache.pop(r, None)

    def _compute(self, row: int, col: int, role: int) -> Any:
        snap = self._rows[row]
        st = snap.station
        if role == ROLE_STATION_ID:
            return st.id
        if role == ROLE_KIND:
            return st.kind
        if role == ROLE_DISTRICT:
            return st.district
        if role == ROLE_STALENESS:
            return snap.staleness(self._now).value
        if col == self.col_updated:
            return self._updated_data(snap, role)
        if col >= self.FIRST_PARAM:
            return self._value_data(snap, self.parameters[col - self.FIRST_PARAM], role)
        if role in (Qt.ItemDataRole.DisplayRole, ROLE_SORT):
            if col == self.COL_NAME:
                return st.name_en if current_language() == "en" and st.name_en else st.name
            if col == self.COL_KIND:
                return kind_label(st.kind) if role == Qt.ItemDataRole.DisplayRole else st.kind
            if col == self.COL_DISTRICT:
                return labels.label(DISTRICT_LABELS, st.district)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_NAME:
            sample = (
                QCoreApplication.translate("StationTable", " (sample data)") if st.sample else ""
            )
            return f"{st.id} · {st.name} · {st.name_en}{sample}\nMN {st.mn}"
        if role == Qt.ItemDataRole.ForegroundRole and self._down_since is not None:
            return DOWN_BRUSH
        return None

    def _value_data(self, snap: StationSnapshot, key: str, role: int) -> Any:
        reading = snap.readings.get(key)
        unit = snap.station.unit_of(key)
        if reading is None:
            if role == ROLE_SORT:
                return float("-inf")
            return None
        flagged = reading.flag != "N"
        if role == Qt.ItemDataRole.DisplayRole:
            text = format_value(key, reading.value)
            if unit and unit not in DIMENSIONLESS and self._common_unit.get(key) is None:
                text = f"{text} {unit}"
            return f"{text} {reading.flag}" if flagged else text
        if role == ROLE_SORT:
            return reading.value if reading.value is not None else float("-inf")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            when = reading.time.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M")
            meaning = FLAG_MEANING.get(reading.flag)
            flag = f"{reading.flag} ({tr(meaning)})" if meaning else reading.flag
            return (
                QCoreApplication.translate("StationTable", "%1 = %2 %3 at %4, flag %5")
                .replace("%1", key)
                .replace("%2", format_value(key, reading.value))
                .replace("%3", unit or "")
                .replace("%4", when)
                .replace("%5", flag)
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._down_since is not None:
                return DOWN_BRUSH
            return FLAG_FG_BRUSH if flagged else None
        if role == Qt.ItemDataRole.BackgroundRole and flagged and self._down_since is None:
            return FLAG_BG_BRUSH
        if role == Qt.ItemDataRole.FontRole and flagged:
            return _italic_font()
        return None

    def _updated_data(self, snap: StationSnapshot, role: int) -> Any:
        level = snap.staleness(self._now)
        if role == Qt.ItemDataRole.DisplayRole:
            return staleness_text(snap, self._now)
        if role == ROLE_SORT:
            return snap.last_time.timestamp() if snap.last_time else float("-inf")
        if role == Qt.ItemDataRole.ToolTipRole:
            if snap.last_time is None:
                return QCoreApplication.translate(
                    "StationTable", "No observation received from this station"
                )
            rules = snap.station.schedule

            def local(t: datetime) -> str:
                return t.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M:%S")

            return (
                QCoreApplication.translate(
                    "StationTable",
                    "Last observation %1; reports every %2 s.\n"
                    "Late (next report overdue) after %3, offline after %4.",
                )
                .replace("%1", local(snap.last_time))
                .replace("%2", str(rules.interval_s))
                .replace("%3", local(rules.next_due(snap.last_time)))
                .replace("%4", local(rules.offline_from(snap.last_time)))
            )
        if self._down_since is not None:
            return DOWN_BRUSH if role == Qt.ItemDataRole.ForegroundRole else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if level is Staleness.LATE:
                return LATE_BG_BRUSH
            if level in (Staleness.STALE, Staleness.NO_DATA):
                return STALE_BG_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole:
            if level is Staleness.LATE:
                return LATE_FG_BRUSH
            if level in (Staleness.STALE, Staleness.NO_DATA):
                return STALE_FG_BRUSH
        return None


class StationFilterProxy(QSortFilterProxyModel):
    """Filter by station kind and district; sort numerically on value columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kinds: frozenset[str] | None = None
        self._district: str | None = None
        self.setSortRole(ROLE_SORT)
        self.setDynamicSortFilter(True)

    def set_kinds(self, kinds: Iterable[str] | None) -> None:
        self._begin_filter_change()
        self._kinds = frozenset(kinds) if kinds is not None else None
        self._end_filter_change()

    def set_district(self, district: str | None) -> None:
        self._begin_filter_change()
        self._district = district
        self._end_filter_change()

    # Qt 6.9 replaced invalidateFilter() with begin/endFilterChange(); support both.
    def _begin_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._kinds is not None and model.data(index, ROLE_KIND) not in self._kinds:
            return False
        return self._district is None or model.data(index, ROLE_DISTRICT) == self._district

    def lessThan(
        self,
        left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        a = left.data(ROLE_SORT)
        b = right.data(ROLE_SORT)
        if isinstance(a, float | int) and isinstance(b, float | int):
            return a < b
        return str(a) < str(b)


class StationCellDelegate(QStyledItemDelegate):
    """Paints a cell from one cached tuple (ROLE_CELL) with two painter calls.

    The stock delegate asks the model for seven roles per cell and draws through the style; for
    a table whose every row changes several times a second that was most of the UI thread's time
    (measured in tests/benchmarks/test_bench_feed.py). Selection, flags and staleness look the
    same: highlight when selected, the model's background and text colors otherwise."""

    PAD = 4

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        cell = index.data(ROLE_CELL)
        if cell is None:
            super().paint(painter, option, index)
            return
        text, fg, bg, font, align = cell
        rect = option.rect
        palette = option.palette
        # `in` on the flag, not `&`: `&` builds a new enum member per cell, which showed up in
        # profiles of a full repaint.
        selected = _SELECTED in option.state
        if selected:
            painter.fillRect(rect, palette.highlight())
        elif bg is not None:
            painter.fillRect(rect, bg)
        if not text:
            return
        painter.save()
        if font is not None:
            painter.setFont(font)
        if selected:
            painter.setPen(palette.highlightedText().color())
        else:
            painter.setPen(fg.color() if fg is not None else palette.text().color())
        inner = rect.adjusted(self.PAD, 0, -self.PAD, 0)
        width = inner.width()
        # Elide only text that may not fit; shaping every cell's text to check is costly.
        # Latin text averages ~0.5 em a character (0.62 leaves a margin), CJK about 1 em.
        if "\n" not in text:
            metrics = painter.fontMetrics()
            em = metrics.height()
            if len(text) * (em * 0.62 if text.isascii() else em) > width:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.drawText(inner, LEFT_ALIGNED if align is None else align, text)
        painter.restore()


# Kind filter choices: all, all air, all water, then each kind.
KIND_GROUPS: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "air": ("air_national", "air_provincial", "air_township", "air_grid"),
    "water": ("water_national", "water_provincial", "water_boundary"),
    **{k: (k,) for k in STATION_KIND},
}


class StationTableView(QWidget):
    """The table with its filters and the "data service down" banner. Hosted by the main window
    (`MainWindow.add_view("stations", view, ...)`)."""

    stationActivated = Signal(str)  # station id, on double click or Enter

    STALENESS_REFRESH_MS = 15_000

    def __init__(
        self,
        clock: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stationTableView")
        self.model = StationTableModel(clock=clock, parent=self)
        self.proxy = StationFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("stationKindFilter")
        self.kind_filter.addItem(self.tr("All kinds"), "all")
        self.kind_filter.addItem(self.tr("All air stations"), "air")
        self.kind_filter.addItem(self.tr("All water sections"), "water")
        for kind in STATION_KIND:
            self.kind_filter.addItem(kind_label(kind), kind)
        self.district_filter = QComboBox(self)
        self.district_filter.setObjectName("stationDistrictFilter")
        self.district_filter.addItem(self.tr("All districts"), None)
        for code in DISTRICT_LABELS:
            self.district_filter.addItem(labels.label(DISTRICT_LABELS, code), code)
        self.count = QLabel(self)
        self.count.setObjectName("stationCount")

        self.banner = QFrame(self)
        self.banner.setObjectName("banner")
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("stationFeedDown")
        self.banner_text.setWordWrap(True)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        self.banner.hide()

        self.table = QTableView(self)
        self.table.setObjectName("stationTable")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(StationCellDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # registry order until asked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setDefaultSectionSize(90)
        header.resizeSection(StationTableModel.COL_NAME, 160)
        header.resizeSection(StationTableModel.COL_KIND, 180)
        header.resizeSection(StationTableModel.COL_DISTRICT, 130)
        header.resizeSection(StationTableModel.COL_UPDATED, 150)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

        # The filters wrap rather than widen the window; each choice shows a dozen characters.
        filters = FlowLayout()
        compact(self.kind_filter, 12)
        compact(self.district_filter, 8)
        filters.addWidget(QLabel(self.tr("Kind:"), self))
        filters.addWidget(self.kind_filter)
        filters.addWidget(QLabel(self.tr("District:"), self))
        filters.addWidget(self.district_filter)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)

        self.kind_filter.currentIndexChanged.connect(self._filters_changed)
        self.district_filter.currentIndexChanged.connect(self._filters_changed)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)

        self._staleness_timer = QTimer(self)
        self._staleness_timer.setInterval(self.STALENESS_REFRESH_MS)
        self._staleness_timer.timeout.connect(self.model.refresh_staleness)
        self._staleness_timer.start()
        self._update_count()

    # --- slots for the feed bridge ----------------------------------------------------------

    def apply_batch(self, batch: StationsBatch) -> None:
        had_rows = self.model.rowCount() > 0
        self.model.apply_batch(batch)
        if batch.initial or not had_rows:
            self._update_columns()

    def set_feed_status(self, status: FeedStatus) -> None:
        self.model.set_feed_status(status)
        if status.state is ConnectionState.DOWN:
            since = status.since.astimezone(CENTER_TZ).strftime("%H:%M")
            text = self.tr("Data service down since %1: values below are not current.").replace(
                "%1", since
            )
            if status.last_error:
                self.banner.setToolTip(status.last_error)
            self.banner_text.setText(text)
            self.banner.show()
        else:
            self.banner.hide()

    # --- filters ----------------------------------------------------------------------------

    def set_kind_filter(self, choice: str) -> None:
        """'all', 'air', 'water' or a station kind."""
        i = self.kind_filter.findData(choice)
        if i < 0:
            raise ValueError(f"unknown station kind filter {choice!r}")
        self.kind_filter.setCurrentIndex(i)

    def set_district_filter(self, district: str | None) -> None:
        i = self.district_filter.findData(district)
        if i < 0:
            raise ValueError(f"unknown district {district!r}")
        self.district_filter.setCurrentIndex(i)

    def _filters_changed(self) -> None:
        self.proxy.set_kinds(KIND_GROUPS.get(self.kind_filter.currentData() or "all"))
        self.proxy.set_district(self.district_filter.currentData())
        self._update_columns()
        self._update_count()

    def _update_columns(self) -> None:
        """Hide parameter columns no visible station measures (air rows need no TP column)."""
        kinds = KIND_GROUPS.get(self.kind_filter.currentData() or "all")
        measured: set[str] = set()
        for st in self.model.stations():
            if kinds is None or st.kind in kinds:
                measured.update(p.key for p in st.parameters)
        for i, key in enumerate(self.model.parameters):
            col = StationTableModel.FIRST_PARAM + i
            self.table.setColumnHidden(col, bool(measured) and key not in measured)

    def _update_count(self) -> None:
        self.count.setText(
            self.tr("%1 of %2 stations")
            .replace("%1", str(self.proxy.rowCount()))
            .replace("%2", str(self.model.rowCount()))
        )

    # --- selection --------------------------------------------------------------------------

    def selected_station_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(self.proxy.data(r, ROLE_STATION_ID)) for r in rows]

    def select_station(self, station_id: str) -> bool:
        row = self.model.row_of(station_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _activated(self, index: QModelIndex) -> None:
        sid = self.proxy.data(index, ROLE_STATION_ID)
        if sid:
            self.stationActivated.emit(str(sid))
