"""The case queue as a windowed item model over the desk's paged query.

The model never holds the whole queue: it knows the row count (one COUNT query) and keeps a
bounded set of pages (``PAGE_SIZE`` rows each, least recently used dropped first). A row whose
page is not loaded shows a placeholder and asks for its page in the background; the view is
repainted for that page when it arrives. So a queue of 100 000 cases costs a few hundred rows of
memory and a scroll bar that tells the truth about its length.

Live updates (DESIGN.md "Live data without freezing the UI"):
- a change to a case that is on screen replaces that one row and emits ``dataChanged`` for it:
  no reset, selection, scroll position and open editors stay;
- changes that may move rows (a new case, a status that leaves the filter, a new deadline) are
  coalesced and followed by a quiet re-read of the loaded pages, applied with ``layoutChanged``
  and persistent indexes moved by case id, so the selected case stays selected wherever it goes.
- the countdown column is refreshed every second with one ``dataChanged`` over that column.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.views import CaseView
from dispatch_app.domain.deadlines import Urgency
from dispatch_app.domain.queue import QueueQuery, QueueRow, QueueSort
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell import labels
from ui.shell.background_tasks import BackgroundTasks
from ui.shell.desk_calls import DeskCalls
from ui.shell.errors import describe_error
from ui.shell.i18n import current_language
from ui.shell.theme import palette

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_PAGES = 12
REFRESH_DELAY_MS = 400
"""Coalescing window for re-reading the loaded pages after changes (a burst of changes from a
bulk dispatch costs one re-read)."""

COUNT_DELAY_MS = 30

# The deadline comes before the title: on a narrow screen the title (which stretches) is what
# gets cut, never the countdown an officer works by.
COLUMNS = ("reference", "kind", "priority", "status", "countdown", "title", "district", "unit")
COL = {name: i for i, name in enumerate(COLUMNS)}

# Header click -> database sort (other columns have no index to sort by at this scale).
SORT_FOR_COLUMN = {
    COL["reference"]: QueueSort.REFERENCE,
    COL["priority"]: QueueSort.PRIORITY,
    COL["countdown"]: QueueSort.URGENCY,
}

CaseIdRole = Qt.ItemDataRole.UserRole + 1
UrgencyRole = Qt.ItemDataRole.UserRole + 2
RowRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex

COUNTDOWN_REFETCH_MS = 60_000
"""How often a kind's countdowns are read again for the loaded pages: their states (3 days,
1 day left) move with the clock and with steps recorded elsewhere; overdue is also decided here
every second from the due time, so red never waits for this."""

COUNTDOWN_STATES = ("ok", "at_risk", "overdue")


class KindCountdown(Protocol):
    """What a countdown provider returns per case: the deadline that governs the row."""

    @property
    def label(self) -> str: ...

    @property
    def due_at(self) -> datetime: ...

    @property
    def state(self) -> str: ...


@dataclass(frozen=True)
class Countdown:
    """A kind's own deadline for a queue row (e.g. a petition's statutory 受理告知期限).

    ``state`` is ``ok``, ``at_risk`` (amber) or ``overdue`` (red)."""

    label: str
    due_at: datetime
    state: str


CountdownProvider = Callable[[list[int]], Awaitable[dict[int, Any]]]
"""Called with the ids of one loaded page's rows of a kind; returns ``{id: countdown}`` with
``label``, ``due_at`` and ``state`` (ok/at_risk/overdue), or None for a row with nothing open."""

_URGENCY_OF_STATE = {
    "ok": Urgency.OK,
    "at_risk": Urgency.AT_RISK,
    "overdue": Urgency.OVERDUE,
}


def row_from_case(case: CaseView) -> QueueRow:
    """The queue line of a case the desk returned (after a transition or from a live event).

    Built field by field from QueueRow's own definition, so a column the store adds to the
    queue is carried over without touching this module; enums become their codes, as in rows
    read from the database."""
    values: dict[str, Any] = {}
    for f in fields(QueueRow):
        if f.name == "extra":
            continue
        value = getattr(case, f.name)
        values[f.name] = value.value if isinstance(value, StrEnum) else value
    return QueueRow(**values)


def format_duration(delta: timedelta) -> str:
    """H:MM:SS, with whole days in front when the deadline is days away (petitions: 60 d)."""
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}"
    if days:
        return (
            QCoreApplication.translate("Duration", "%1d %2")
            .replace("%1", str(days))
            .replace("%2", f"{hours:02d}:{minutes:02d}:{secs:02d}")
        )
    return clock


class CaseQueueModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    reloaded = Signal(int)
    """Emitted after a new query is shown, with the number of matching cases."""
    load_failed = Signal(str)
    counted = Signal(int)
    """The number of matching cases, once counted (after ``reloaded``)."""
    ticked = Signal(object)
    """Every second, with the moment the countdowns were drawn for (aware UTC): the one clock
    the queue's rows and the selected case's countdown both follow."""

    def __init__(self, desk: Desk, calls: DeskCalls, parent: Any = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.calls = calls
        self._query = QueueQuery()
        self._total = 0
        self._counted = True
        self._pages: OrderedDict[int, list[QueueRow]] = OrderedDict()
        self._loading: set[int] = set()
        self._generation = 0
        self._row_by_id: dict[int, int] = {}
        self._now = datetime.now(UTC)
        self._tasks = BackgroundTasks("queue model task", log)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._start_refresh)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.tick)
        self._tick.start()
        self.last_reload_ms = 0.0
        self._providers: dict[str, CountdownProvider] = {}
        self._countdowns: dict[int, KindCountdown | None] = {}
        self._refetch = QTimer(self)
        self._refetch.setInterval(COUNTDOWN_REFETCH_MS)
        self._refetch.timeout.connect(self._refetch_countdowns)
        self._header_font = QFont()
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- basic model --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "reference": self.tr("Reference"),
            "kind": self.tr("Kind"),
            "priority": self.tr("Priority"),
            "status": self.tr("Status"),
            "countdown": self.tr("Deadline"),
            "title": self.tr("Title"),
            "district": self.tr("District"),
            "unit": self.tr("Unit"),
        }[COLUMNS[section]]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ---- rows ---------------------------------------------------------------------------
    def row_data(self, row: int) -> QueueRow | None:
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            return None
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def case_id(self, row: int) -> int | None:
        data = self.row_data(row)
        return None if data is None else data.id

    def row_of(self, case_id: int) -> int | None:
        return self._row_by_id.get(case_id)

    def loaded_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def query(self) -> QueueQuery:
        return self._query

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_data(index.row())
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request_page(index.row() // PAGE_SIZE)
                return "…" if index.column() == 0 else ""
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == CaseIdRole:
            return row.id
        if role == RowRole:
            return row
        if role == UrgencyRole:
            return self.urgency(row).value
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL["status"] and row.closure_requested_at is not None:
                return QBrush(palette().at_risk_fg)
            if column == COL["priority"]:
                return QBrush(palette().priority_fg.get(row.priority, palette().muted_fg))
            if column == COL["countdown"]:
                urgency = self.urgency(row)
                if urgency is Urgency.OVERDUE:
                    return QBrush(palette().overdue_fg)
                if urgency is Urgency.AT_RISK:
                    return QBrush(palette().at_risk_fg)
                if urgency is Urgency.OK:
                    return QBrush(palette().on_time_fg)
                return QBrush(palette().muted_fg)
            return None
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column == COL["status"]
            and row.closure_requested_at is not None
        ):
            return QBrush(palette().at_risk_bg)  # an amber badge: it waits for a decision
        if role == Qt.ItemDataRole.BackgroundRole and column == COL["countdown"]:
            urgency = self.urgency(row)
            if urgency is Urgency.OVERDUE:
                return QBrush(palette().overdue_bg)
            if urgency is Urgency.AT_RISK:
                return QBrush(palette().at_risk_bg)
            return None
        if role == Qt.ItemDataRole.FontRole and column in (COL["priority"], COL["countdown"]):
            if column == COL["priority"] and row.priority in ("P1", "P2"):
                return self._bold
            if column == COL["countdown"]:
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column in (
            COL["title"],
            COL["unit"],
            COL["district"],
        ):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL["countdown"]:
            kind_countdown = self.kind_countdown(row)
            if kind_countdown is not None:
                return (
                    self.tr("%1: due %2 (Beijing time)")
                    .replace("%1", kind_countdown.label)
                    .replace(
                        "%2",
                        kind_countdown.due_at.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M"),
                    )
                )
            state = self.desk.deadline(row, self._now)
            if state.active_due is None:
                return None
            return self.tr("Due %1 (Beijing time)").replace(
                "%1", state.active_due.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M")
            )
        return None

    def _display(self, row: QueueRow, column: int) -> str:
        if column == COL["reference"]:
            return row.reference
        if column == COL["kind"]:
            return labels.label(labels.KIND, row.kind)
        if column == COL["priority"]:
            marker = "▲▲ " if row.priority == "P1" else ("▲ " if row.priority == "P2" else "")
            return marker + labels.label(labels.PRIORITY, row.priority)
        if column == COL["status"]:
            if row.closure_requested_at is not None:  # resolved, its closure request waits
                return f"◷ {labels.closure_pending()}"
            return labels.label(labels.STATUS, row.status)
        if column == COL["title"]:
            return row.title
        if column == COL["district"]:
            return labels.label(labels.DISTRICT, row.district)
        if column == COL["unit"]:
            return self.unit_name(row.unit_id)
        if column == COL["countdown"]:
            return self.countdown_text(row)
        return ""

    def unit_name(self, unit_id: str | None) -> str:
        if not unit_id:
            return "—"
        unit = self.desk.unit_registry.get(unit_id)
        if unit is None:
            return unit_id
        return unit.name if current_language() == "zh" else unit.name_en

    def kind_countdown(self, row: QueueRow) -> KindCountdown | None:
        """The row's deadline from its kind's provider, once read (None: the desk's own)."""
        if row.kind not in self._providers:
            return None
        return self._countdowns.get(row.id)

    def urgency(self, row: QueueRow) -> Urgency:
        """Amber/red of the countdown: the kind's own state when it has a provider (a
        petition is amber 3 days and 1 day before a statutory deadline), else the desk's."""
        countdown = self.kind_countdown(row)
        if countdown is None:
            return self.desk.deadline(row, self._now).urgency
        if countdown.due_at <= self._now:
            return Urgency.OVERDUE  # between two reads the clock may pass the due time
        return _URGENCY_OF_STATE.get(str(countdown.state), Urgency.OK)

    def countdown_text(self, row: QueueRow) -> str:
        countdown = self.kind_countdown(row)
        if countdown is not None:
            remaining = countdown.due_at - self._now
            if remaining <= timedelta(0):
                return "⚠ " + self.tr("%1 %2 overdue").replace("%1", countdown.label).replace(
                    "%2", format_duration(remaining)
                )
            return (
                self.tr("%1 %2 left")
                .replace("%1", countdown.label)
                .replace("%2", format_duration(remaining))
            )
        state = self.desk.deadline(row, self._now)
        if state.remaining is None:
            return "—"
        if state.urgency is Urgency.OVERDUE:
            return "⚠ " + self.tr("%1 overdue").replace("%1", format_duration(state.remaining))
        return self.tr("%1 left").replace("%1", format_duration(state.remaining))

    def stop(self) -> None:
        """The workspace goes: no more timers, no read left to land on deleted widgets."""
        for timer in (self._refresh_timer, self._tick, self._refetch):
            timer.stop()
        self._tasks.cancel_all()

    # ---- loading ------------------------------------------------------------------------
    def _spawn(self, coro: Awaitable[Any]) -> None:
        self._tasks.spawn(coro)

    def _request_page(self, page: int) -> None:
        if page in self._loading or page in self._pages or page * PAGE_SIZE >= self._total:
            return
        self._loading.add(page)
        self._spawn(self._load_page(page, self._generation))

    async def _load_page(self, page: int, generation: int) -> None:
        try:
            rows = await self.calls.read(
                self.desk.queue_page, self._query, page * PAGE_SIZE, PAGE_SIZE
            )
        except Exception as exc:
            log.warning("queue page %s failed: %s", page, exc)
            self.load_failed.emit(describe_error(exc))
            return
        finally:
            self._loading.discard(page)
        if generation != self._generation:
            return  # the query changed meanwhile; this page belongs to the old one
        self._store_page(page, rows)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _store_page(self, page: int, rows: list[QueueRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            _page, dropped = self._pages.popitem(last=False)
            for r in dropped:
                self._row_by_id.pop(r.id, None)
                self._countdowns.pop(r.id, None)
        base = page * PAGE_SIZE
        for i, r in enumerate(rows):
            self._row_by_id[r.id] = base + i
        self._fetch_countdowns(rows)

    def _reindex(self) -> None:
        self._row_by_id = {
            r.id: page * PAGE_SIZE + i
            for page, rows in self._pages.items()
            for i, r in enumerate(rows)
        }
        # Countdowns only for rows held: memory stays bounded by the window of pages.
        for case_id in [c for c in self._countdowns if c not in self._row_by_id]:
            del self._countdowns[case_id]

    async def set_query(self, query: QueueQuery) -> None:
        """Shows ``query``. The first page is read off the UI thread and shown at once (one
        reset: a new filter is a new list; live updates never come this way). Counting the
        matches can take longer than reading a page on a big queue, so the count follows in
        the background and extends the rows when it arrives (``counted``)."""
        started = time.perf_counter()
        self._generation += 1
        generation = self._generation
        self.loading_changed.emit(True)
        try:
            first = await self.calls.call(self.desk.queue_page, query, 0, PAGE_SIZE)
        except Exception as exc:
            self.loading_changed.emit(False)
            self.load_failed.emit(describe_error(exc))
            raise
        if generation != self._generation:
            return
        self.beginResetModel()
        self._query = query
        self._total = len(first)
        self._counted = len(first) < PAGE_SIZE  # a short first page is the whole list
        self._pages.clear()
        self._loading.clear()
        self._row_by_id.clear()
        self._store_page(0, first)
        self._reindex()
        self._now = datetime.now(UTC)
        self.endResetModel()
        self.ticked.emit(self._now)  # whatever follows this clock draws for the same moment
        self.last_reload_ms = (time.perf_counter() - started) * 1000
        self.loading_changed.emit(False)
        self.reloaded.emit(self._total)
        if self._counted:
            self.counted.emit(self._total)
        else:
            # Start counting once the new first page is painted: on a busy workstation the
            # count (a scan of the filtered queue) would otherwise compete with that paint.
            QTimer.singleShot(
                COUNT_DELAY_MS, self, lambda g=generation: self._spawn(self._count(g))
            )

    async def _count(self, generation: int) -> None:
        try:
            total = await self.calls.read(self.desk.queue_count, self._query)
        except Exception as exc:
            self.load_failed.emit(describe_error(exc))
            return
        if generation != self._generation:
            return
        self._set_total(total)
        self._counted = True
        self.counted.emit(total)

    def _set_total(self, total: int) -> None:
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self.endRemoveRows()

    @property
    def is_counted(self) -> bool:
        """False between a new query's first page and its count."""
        return self._counted

    async def reload(self) -> None:
        await self.set_query(self._query)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort = SORT_FOR_COLUMN.get(column)
        if sort is None:
            return
        query = replace(self._query, sort=sort, descending=order == Qt.SortOrder.DescendingOrder)
        self._spawn(self.set_query(query))

    # ---- live updates -------------------------------------------------------------------
    def apply_case(self, case: CaseView) -> bool:
        """Replace one loaded row in place (dataChanged only). Returns False when the case is
        not in a loaded page or the version is not newer; a re-read is then scheduled."""
        row = self._row_by_id.get(case.id)
        self.schedule_refresh()
        if row is None:
            return False
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            return False
        current = page[row % PAGE_SIZE]
        if current.id != case.id or current.version >= case.version:
            return current.id == case.id
        page[row % PAGE_SIZE] = row_from_case(case)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._fetch_countdowns([page[row % PAGE_SIZE]])
        return True

    async def update_case(self, case_id: int) -> None:
        """A case changed (here or on another workstation): fetch it and update its row."""
        if case_id not in self._row_by_id:
            self.schedule_refresh()
            return
        try:
            # On the read workers: a live update never waits behind a slow call the officer
            # started (opening a long timeline); an older read never wins (versions compared).
            case = await self.calls.read(self.desk.get_case, case_id)
        except Exception as exc:
            log.info("live update of case %s skipped: %s", case_id, exc)
            self.schedule_refresh()
            return
        self.apply_case(case)

    def schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _start_refresh(self) -> None:
        self._spawn(self.refresh())

    async def refresh(self) -> None:
        """Re-reads count and loaded pages; moves rows with persistent indexes kept by id."""
        generation = self._generation
        query = self._query
        pages = sorted(self._pages)
        try:
            total, fresh = await self.calls.read(self._read_pages, query, pages)
        except Exception as exc:
            log.info("queue refresh failed: %s", exc)
            return
        if generation != self._generation:
            return
        self._apply_refresh(total, fresh)
        self._counted = True
        self.counted.emit(total)

    def _read_pages(
        self, query: QueueQuery, pages: list[int]
    ) -> tuple[int, dict[int, list[QueueRow]]]:
        total = self.desk.queue_count(query)
        return total, {
            p: self.desk.queue_page(query, p * PAGE_SIZE, PAGE_SIZE)
            for p in pages
            if p * PAGE_SIZE < max(total, 1)
        }

    def _apply_refresh(self, total: int, fresh: dict[int, list[QueueRow]]) -> None:
        old_total = self._total
        if total > old_total:
            self.beginInsertRows(QModelIndex(), old_total, total - 1)
            self._total = total
            self.endInsertRows()
        # A re-read that started before one of our own writes must not put the older version
        # back on screen: keep the newer row we already show.
        newest = {r.id: r for rows in self._pages.values() for r in rows}
        for rows in fresh.values():
            for i, r in enumerate(rows):
                shown = newest.get(r.id)
                if shown is not None and shown.version > r.version:
                    rows[i] = shown
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self.case_id(p.row()) for p in persistent]
        self._pages = OrderedDict(sorted(fresh.items()))
        self._reindex()
        for rows in fresh.values():
            self._fetch_countdowns(rows)
        moved: list[QModelIndex] = []
        for p, cid in zip(persistent, old_ids, strict=True):
            if cid is None:
                moved.append(self.index(p.row(), p.column()))
                continue
            new_row = self._row_by_id.get(cid)
            moved.append(QModelIndex() if new_row is None else self.index(new_row, p.column()))
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
        if total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self.endRemoveRows()

    # ---- countdown ----------------------------------------------------------------------
    def set_countdown_provider(self, kind: str, provider: CountdownProvider) -> None:
        """Rows of ``kind`` show the deadline ``provider`` returns (label, due time, state)
        instead of the desk's generic one: the petitions part gives each petition its
        statutory deadline. Called with each loaded page's ids of that kind, off the UI
        thread's critical path; until it answers, the row shows the desk's countdown."""
        self._providers[kind] = provider
        for rows in list(self._pages.values()):
            self._fetch_countdowns(rows)
        if not self._refetch.isActive():
            self._refetch.start()

    def _refetch_countdowns(self) -> None:
        for rows in list(self._pages.values()):
            self._fetch_countdowns(rows)

    def _fetch_countdowns(self, rows: list[QueueRow]) -> None:
        for kind, provider in self._providers.items():
            ids = [r.id for r in rows if r.kind == kind]
            if ids:
                self._spawn(self._load_countdowns(provider, ids))

    async def _load_countdowns(self, provider: CountdownProvider, ids: list[int]) -> None:
        try:
            values = await provider(ids)
        except Exception as exc:
            # The generic countdown stays on screen; say so once per failure in the log.
            log.warning("countdowns of %s rows not read: %s", len(ids), exc)
            return
        for case_id in ids:
            if case_id not in self._row_by_id:
                continue  # its page was dropped meanwhile
            value = values.get(case_id)
            if value is not None and str(value.state) not in COUNTDOWN_STATES:
                log.warning("countdown of case %s has unknown state %r", case_id, value.state)
                value = None
            self._countdowns[case_id] = value
        column = COL["countdown"]
        for case_id in ids:
            row = self._row_by_id.get(case_id)
            if row is not None:
                index = self.index(row, column)
                self.dataChanged.emit(index, index)

    @property
    def now(self) -> datetime:
        """The moment the countdowns on screen were drawn for."""
        return self._now

    def tick(self) -> None:
        self._now = datetime.now(UTC)
        self.ticked.emit(self._now)
        if self._total:
            column = COL["countdown"]
            self.dataChanged.emit(
                self.index(0, column),
                self.index(self._total - 1, column),
                [
                    Qt.ItemDataRole.DisplayRole,
                    Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.ForegroundRole,
                ],
            )
