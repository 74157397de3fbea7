"""The alarm panel: a dock listing the alarms as a control room works them.

Sorted as ``panel_order`` says (unacknowledged first, then priority, newest first). Priority is
shown as text and a shape as well as a colour (▲ high, ◆ medium, ● low), so it survives a
colour-blind officer and a monochrome projector. Unacknowledged rows flash: a timer flips one
flag and emits ``dataChanged`` for those rows' background only — the view repaints a few cells,
never the world, and the timer stops when nothing is pending. Updates arrive one alarm at a time
and move, insert or remove just that row, so the selection and scroll position stay put.

Keyboard first: A acknowledges (a note prompt), S shelves (duration and reason), U takes it off
the shelf, Enter (or a double click) opens the linked case or, on request, opens one. The panel only emits requests; ui/alarm_integration.py
asks the desk and shows the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.domain.alarm_rules import Priority
from dispatch_app.domain.alarms import (
    SHELVE_DURATIONS,
    Alarm,
    AlarmCounts,
    AlarmState,
    Announcement,
    panel_order,
)
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell import theme

FLASH_MS = 600
#: Set on rows whose background is in the "on" phase of the flash (tests and screen readers).
FLASH_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("priority", "state", "station", "alarm", "value", "raised", "count", "marks")

_BOLD = QFont()
_BOLD.setBold(True)
_PRIORITY_SHAPE = {Priority.HIGH: "▲", Priority.MEDIUM: "◆", Priority.LOW: "●"}


def priority_text(priority: Priority) -> str:
    names = {
        Priority.HIGH: QCoreApplication.translate("AlarmPanel", "High"),
        Priority.MEDIUM: QCoreApplication.translate("AlarmPanel", "Medium"),
        Priority.LOW: QCoreApplication.translate("AlarmPanel", "Low"),
    }
    return f"{_PRIORITY_SHAPE[priority]} {names[priority]}"


def state_text(state: AlarmState) -> str:
    return {
        AlarmState.ACTIVE_UNACKNOWLEDGED: QCoreApplication.translate(
            "AlarmPanel", "Active, unacknowledged"
        ),
        AlarmState.ACTIVE_ACKNOWLEDGED: QCoreApplication.translate(
            "AlarmPanel", "Active, acknowledged"
        ),
        AlarmState.CLEARED_UNACKNOWLEDGED: QCoreApplication.translate(
            "AlarmPanel", "Cleared, unacknowledged"
        ),
        AlarmState.NORMAL: QCoreApplication.translate("AlarmPanel", "Normal"),
    }[state]


def duration_text(code: str) -> str:
    return {
        "1h": QCoreApplication.translate("AlarmPanel", "1 hour"),
        "6h": QCoreApplication.translate("AlarmPanel", "6 hours"),
        "12h": QCoreApplication.translate("AlarmPanel", "12 hours"),
        "1d": QCoreApplication.translate("AlarmPanel", "1 day"),
    }[code]


def local_time(t: datetime) -> str:
    return t.astimezone(CENTER_TZ).strftime("%m-%d %H:%M:%S")


class AlarmModel(QAbstractTableModel):
    """The alarms in panel order, updated row by row."""

    def __init__(
        self,
        station_name: Callable[[str], str],
        alarm_text: Callable[[Alarm], str],
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[Alarm] = []
        self._station_name = station_name
        self._alarm_text = alarm_text
        self._clock = clock
        self.flash_on = False

    # --- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "priority": QCoreApplication.translate("AlarmPanel", "Priority"),
            "state": QCoreApplication.translate("AlarmPanel", "State"),
            "station": QCoreApplication.translate("AlarmPanel", "Station"),
            "alarm": QCoreApplication.translate("AlarmPanel", "Alarm"),
            "value": QCoreApplication.translate("AlarmPanel", "Value"),
            "raised": QCoreApplication.translate("AlarmPanel", "Raised"),
            "count": QCoreApplication.translate("AlarmPanel", "Count"),
            "marks": QCoreApplication.translate("AlarmPanel", "Marks"),
        }[COLUMNS[section]]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        alarm = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(alarm, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return alarm.message_zh if column == "alarm" else None
        if role == KEY_ROLE:
            return alarm.key
        flashing = alarm.state.unacknowledged and not alarm.shelved(self._clock())
        if role == FLASH_ROLE:
            return flashing and self.flash_on
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            return self._color(alarm, column, flashing and self.flash_on, role)
        if role == Qt.ItemDataRole.FontRole and alarm.state.unacknowledged:
            return _BOLD
        return None

    @staticmethod
    def _color(alarm: Alarm, column: str, flash: bool, role: int) -> QColor | None:
        """The theme's colors (read at paint time, so a theme switch repaints right): in the
        flash's "on" phase background and text change together, so the text stays readable."""
        colors = theme.palette()
        mine = colors.alarm[alarm.priority.value]
        if role == Qt.ItemDataRole.BackgroundRole:
            return mine.flash_bg if flash else None
        if flash:
            return mine.flash_fg
        if column == "priority":
            return mine.fg
        if alarm.state is AlarmState.CLEARED_UNACKNOWLEDGED:
            return colors.alarm_cleared_fg
        return None

    def _display(self, alarm: Alarm, column: str) -> str:
        if column == "priority":
            return priority_text(alarm.priority)
        if column == "state":
            return state_text(alarm.state)
        if column == "station":
            return self._station_name(alarm.station_id)
        if column == "alarm":
            return self._alarm_text(alarm)
        if column == "value":
            if alarm.value is None:
                return "—"
            return f"{alarm.value:g} / {alarm.threshold:g}"
        if column == "raised":
            return local_time(alarm.raised_at)
        if column == "count":
            return str(alarm.count)
        return self.marks(alarm)

    def marks(self, alarm: Alarm) -> str:
        parts = []
        if alarm.exercise:  # a drill's: besides 【演练】 in its text, where marks are read
            parts.append("[" + QCoreApplication.translate("AlarmPanel", "exercise") + "]")
        if alarm.chattering:
            parts.append("[" + QCoreApplication.translate("AlarmPanel", "chattering") + "]")
        if alarm.stale:
            parts.append("[" + QCoreApplication.translate("AlarmPanel", "stale") + "]")
        if alarm.shelved(self._clock()) and alarm.shelved_until is not None:
            parts.append(
                "["
                + QCoreApplication.translate("AlarmPanel", "shelved until %1").replace(
                    "%1", local_time(alarm.shelved_until)
                )
                + "]"
            )
        if alarm.case_id is not None:
            parts.append("[" + QCoreApplication.translate("AlarmPanel", "case linked") + "]")
        if alarm.acknowledged_by and alarm.state is AlarmState.ACTIVE_ACKNOWLEDGED:
            parts.append("✔ " + alarm.acknowledged_by)
        return "  ".join(parts)

    # --- updates ----------------------------------------------------------------------------
    @property
    def alarms(self) -> Sequence[Alarm]:
        return tuple(self._rows)

    def row_of(self, key: str) -> int | None:
        for i, alarm in enumerate(self._rows):
            if alarm.key == key:
                return i
        return None

    def alarm_at(self, row: int) -> Alarm | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def reset_to(self, alarms: Iterable[Alarm]) -> None:
        """The whole list (start-up only; live changes go through ``apply``)."""
        self.beginResetModel()
        self._rows = [a for a in panel_order(alarms) if a.state is not AlarmState.NORMAL]
        self.endResetModel()

    def apply(self, alarm: Alarm) -> None:
        """One alarm changed: update, move, insert or remove its row only."""
        old = self.row_of(alarm.key)
        if old is not None and self._rows[old].version > alarm.version:
            return  # an older update arriving late
        if alarm.state is AlarmState.NORMAL:
            if old is not None:
                self.beginRemoveRows(QModelIndex(), old, old)
                del self._rows[old]
                self.endRemoveRows()
            return
        others = [a for a in self._rows if a.key != alarm.key]
        ordered = panel_order([*others, alarm])
        new = next(i for i, a in enumerate(ordered) if a.key == alarm.key)
        if old is None:
            self.beginInsertRows(QModelIndex(), new, new)
            self._rows = ordered
            self.endInsertRows()
        elif old == new:
            self._rows[old] = alarm
            self.dataChanged.emit(self.index(old, 0), self.index(old, len(COLUMNS) - 1))
        else:
            # beginMoveRows counts the destination before the row is taken out.
            self.beginMoveRows(
                QModelIndex(), old, old, QModelIndex(), new + 1 if new > old else new
            )
            self._rows = ordered
            self.endMoveRows()
            self.dataChanged.emit(self.index(new, 0), self.index(new, len(COLUMNS) - 1))

    def flash_rows(self) -> list[int]:
        now = self._clock()
        return [
            i for i, a in enumerate(self._rows) if a.state.unacknowledged and not a.shelved(now)
        ]

    def toggle_flash(self) -> bool:
        """Flip the flash phase; repaint only the flashing rows' backgrounds. False when no
        row flashes (the caller stops its timer)."""
        rows = self.flash_rows()
        self.flash_on = not self.flash_on if rows else False
        roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, FLASH_ROLE]
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1), roles)
        return bool(rows)


class AlarmTable(QTableView):
    """The table, with the panel's keys: A, S, Enter."""

    acknowledgeRequested = Signal(str)
    shelveRequested = Signal(str)
    unshelveRequested = Signal(str)
    openCaseRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doubleClicked.connect(self._double_clicked)

    def _double_clicked(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.openCaseRequested.emit(str(key))

    def current_key(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        key = index.data(KEY_ROLE)
        return str(key) if key else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = self.current_key()
        if key is not None and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            if event.key() == Qt.Key.Key_A:
                self.acknowledgeRequested.emit(key)
                return
            if event.key() == Qt.Key.Key_S:
                self.shelveRequested.emit(key)
                return
            if event.key() == Qt.Key.Key_U:
                self.unshelveRequested.emit(key)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.openCaseRequested.emit(key)
                return
        super().keyPressEvent(event)


class AlarmPanel(QWidget):
    """The dock's widget: the flood summary line, the counts and the table."""

    alarm_selected = Signal(object)
    """The officer moved to an alarm (an Alarm): the wall shows its station, the queue its case.
    Not emitted for the panel's own choice of a first row when alarms arrive."""

    def __init__(
        self,
        station_name: Callable[[str], str],
        alarm_text: Callable[[Alarm], str],
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmPanel")
        # Enough for a handful of rows across the room; the dock can be dragged larger.
        self.setMinimumHeight(200)
        self.model = AlarmModel(station_name, alarm_text, clock, self)
        self.table = AlarmTable(self)
        self.table.setObjectName("alarmTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in zip(COLUMNS, (80, 130, 120, 320, 100, 120, 50, 200), strict=True):
            header.resizeSection(COLUMNS.index(column), width)
        self.flood = QLabel(self)
        self.flood.setObjectName("alarmFlood")
        self.flood.hide()
        self.counts = QLabel(self)
        self.counts.setObjectName("alarmCounts")
        self.hint = QLabel(
            QCoreApplication.translate(
                "AlarmPanel", "A acknowledge · S shelve · U unshelve · Enter open case"
            ),
            self,
        )
        self.hint.setObjectName("alarmHint")
        top = QHBoxLayout()
        top.addWidget(self.flood, 1)
        top.addWidget(self.counts)
        top.addSpacing(32)
        top.addWidget(self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._on_flash)
        self._choosing = False
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.rowsInserted.connect(self._start_flash)
        self.model.dataChanged.connect(self._start_flash)
        self.model.modelReset.connect(self._start_flash)

    # --- flashing ---------------------------------------------------------------------------
    @property
    def flashing(self) -> bool:
        return self._flash.isActive()

    def _start_flash(self, *_args: Any) -> None:
        if not self._flash.isActive() and self.model.flash_rows():
            self._flash.start()

    def _on_flash(self) -> None:
        if not self.model.toggle_flash():
            self._flash.stop()

    # --- content ----------------------------------------------------------------------------
    def show_alarms(self, alarms: Iterable[Alarm]) -> None:
        self.model.reset_to(alarms)
        self._first_row()

    def apply(self, alarms: Iterable[Alarm]) -> None:
        for alarm in alarms:
            self.model.apply(alarm)
        self._first_row()

    def _first_row(self) -> None:
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self._choosing = True
            try:
                self.table.selectRow(0)
            finally:
                self._choosing = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._choosing or not current.isValid():
            return
        alarm = self.model.alarm_at(current.row())
        if alarm is not None:
            self.alarm_selected.emit(alarm)

    def select(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.setFocus()
        return True

    def show_counts(self, counts: AlarmCounts) -> None:
        self.counts.setText(counts_text(counts))

    def show_flood(self, announcement: Announcement | None) -> None:
        """The flood summary line ("另有 N 条报警"), or hidden when the flood is over."""
        if announcement is None:
            self.flood.hide()
            return
        self.flood.setText(
            "⚠ "
            + QCoreApplication.translate(
                "AlarmPanel", "Alarm flood: %1 more alarms grouped"
            ).replace("%1", str(announcement.count))
        )
        self.flood.show()


def counts_text(counts: AlarmCounts) -> str:
    """The status bar's alarm counts: pending (unacknowledged or active, not shelved) by
    priority, with shapes as well as words."""
    by = counts.by_priority
    return (
        QCoreApplication.translate("AlarmPanel", "Alarms: ▲high %1 ◆medium %2 ●low %3")
        .replace("%1", str(by.get(Priority.HIGH, 0)))
        .replace("%2", str(by.get(Priority.MEDIUM, 0)))
        .replace("%3", str(by.get(Priority.LOW, 0)))
    )


class AcknowledgeDialog(QDialog):
    """A: acknowledge, with an optional note."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmAckDialog")
        self.setWindowTitle(QCoreApplication.translate("AlarmPanel", "Acknowledge alarm"))
        form = QFormLayout(self)
        form.addRow(QLabel(title))
        self.note = QLineEdit()
        self.note.setObjectName("alarmAckNote")
        self.note.setPlaceholderText(
            QCoreApplication.translate("AlarmPanel", "Note (optional): what was done")
        )
        form.addRow(QCoreApplication.translate("AlarmPanel", "Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ShelveDialog(QDialog):
    """S: shelve for a fixed time with a reason (OK stays disabled without one)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmShelveDialog")
        self.setWindowTitle(QCoreApplication.translate("AlarmPanel", "Shelve alarm"))
        form = QFormLayout(self)
        form.addRow(QLabel(title))
        self.duration = QComboBox()
        self.duration.setObjectName("alarmShelveDuration")
        for code in SHELVE_DURATIONS:
            self.duration.addItem(duration_text(code), code)
        self.reason = QLineEdit()
        self.reason.setObjectName("alarmShelveReason")
        self.reason.setPlaceholderText(
            QCoreApplication.translate("AlarmPanel", "Reason (required)")
        )
        form.addRow(QCoreApplication.translate("AlarmPanel", "For"), self.duration)
        form.addRow(QCoreApplication.translate("AlarmPanel", "Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))

    @property
    def code(self) -> str:
        return str(self.duration.currentData())
