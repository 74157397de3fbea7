"""The queue panel: view switch, filter bar, search box, saved filters and the case table.

The view switch above the table separates what needs action now (需处置, the default) from the
long-overdue backlog (积压) and all open cases (全部在办), each with its live count
(dispatch_app.store.queue documents the views and their order).

Keyboard first: arrows or J/K move, Enter opens the case, ``/`` jumps to the search box (the
main window binds it), Escape in the search box returns to the table, Alt+1/2/3 switch views.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.views import SavedFilterView
from dispatch_app.domain.queue import OPEN_STATUSES, QueueCounts, QueueQuery, QueueSort, QueueView
from ui.cases.queue_model import COL, SORT_FOR_COLUMN, CaseQueueModel, format_duration
from ui.shell import labels
from ui.shell.background_tasks import BackgroundTasks
from ui.shell.desk_calls import DeskCalls
from ui.shell.errors import describe_error
from ui.shell.i18n import current_language
from ui.shell.screen_fit import compact
from ui.widgets.flow_layout import FlowLayout

log = logging.getLogger(__name__)
T = TypeVar("T")

WIDTH_CAP = {"district": 150, "unit": 230, "kind": 200}
# On a narrow queue these columns give up width first (their words elide, the case panel has
# them whole), down to a few characters each, so that every column, the deadline above all,
# stays in view and the title keeps room to read.
SQUEEZE_ORDER = ("unit", "district", "kind", "status", "priority")
SQUEEZE_FLOOR = 72
TITLE_FLOOR = 160
"""Long names (English district and unit names) are elided with a tooltip rather than
squeezing the title, the column an officer reads most."""

OPEN = "__open__"
"""Status filter choice "open cases" (every status a deadline still runs in)."""

VIEW_ORDER = (QueueView.NEEDS_ACTION, QueueView.BACKLOG, QueueView.ALL)
"""The tabs of the view switch, left to right; the first is the default."""

COUNTS_DELAY_MS = 150
"""Coalescing window for recounting the views after the list was re-read."""

VIEW_RECHECK_MS = 60_000
"""The views move with the clock (a case falls into the backlog, a shift ends): the counts and
the loaded rows are read again this often even when nothing changed."""


class CaseTable(QTableView):
    """The table, with J/K and Enter."""

    open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSortingEnabled(False)  # sorting goes to the database (model.sort via header)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_J, Qt.Key.Key_K) and mods == Qt.KeyboardModifier.NoModifier:
            self.move_current(1 if key == Qt.Key.Key_J else -1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                case_id = self.model().data(index, Qt.ItemDataRole.UserRole + 1)
                if case_id is not None:
                    self.open_requested.emit(int(case_id))
            return
        super().keyPressEvent(event)

    def move_current(self, step: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        current = self.currentIndex()
        row = 0 if not current.isValid() else current.row() + step
        row = max(0, min(model.rowCount() - 1, row))
        index = model.index(row, max(current.column(), 0))
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)


class QueuePanel(QWidget):
    """Filters + table. ``current_case_changed`` carries the case id under the cursor."""

    current_case_changed = Signal(object)
    open_requested = Signal(int)
    message = Signal(str)

    def __init__(self, desk: Desk, calls: DeskCalls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.desk = desk
        self.calls = calls
        self.model = CaseQueueModel(desk, calls, self)
        self._saved: list[SavedFilterView] = []
        self._tasks = BackgroundTasks("queue task", log)
        self._applying = False

        self._build_filter_inputs()
        self._build_view_switch()
        self._build_table()
        filters = self._build_filter_row()
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 16)
        # The view switch shares its line with the search box: one line more for the rows.
        top = QHBoxLayout()
        top.addWidget(self.views)
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        self._connect_controls()

    def _build_filter_inputs(self) -> None:
        """The search box, the filter and sort choices, the saved filters, the count and the
        error line."""
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search reference, title, description  ( / )"))
        self.kind = self._combo("kindFilter", self.tr("All kinds"), labels.KIND)
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.addItem(self.tr("Open cases"), OPEN)
        self.status.addItem(self.tr("All statuses"), None)
        for code, source in labels.STATUS.items():
            self.status.addItem(labels.label(labels.STATUS, code), code)
            del source
        self.priority = self._combo("priorityFilter", self.tr("All priorities"), labels.PRIORITY)
        self.district = self._combo("districtFilter", self.tr("All districts"), labels.DISTRICT)
        self.unit = QComboBox(self)
        self.unit.setObjectName("unitFilter")
        self.unit.addItem(self.tr("All units"), None)
        zh = current_language() == "zh"
        for unit in self.desk.unit_registry.units:
            self.unit.addItem(unit.name if zh else unit.name_en, unit.id)
        self.overdue = QCheckBox(self.tr("Overdue only"), self)
        self.overdue.setObjectName("overdueFilter")
        self.sort = QComboBox(self)
        self.sort.setObjectName("sortChoice")
        self.sort.addItem(self.tr("Most urgent first"), QueueSort.URGENCY.value)
        self.sort.addItem(self.tr("Priority first"), QueueSort.PRIORITY.value)
        self.sort.addItem(self.tr("Newest first"), QueueSort.CREATED.value)
        self.sort.addItem(self.tr("By reference"), QueueSort.REFERENCE.value)
        self.saved = QComboBox(self)
        self.saved.setObjectName("savedFilters")
        self.saved.setMinimumContentsLength(10)
        self.saved.addItem(self.tr("Saved filters…"), None)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("queueCount")
        self.error_label = QLabel(self)
        self.error_label.setProperty("role", "formError")
        self.error_label.hide()

    def _build_view_switch(self) -> None:
        """The view switch: what needs action now, the backlog, every case."""
        self.views = QTabBar(self)
        self.views.setObjectName("queueViews")
        self.views.setExpanding(False)
        self.views.setDrawBase(False)
        for view in VIEW_ORDER:
            self.views.setTabData(self.views.addTab(""), view.value)
        self.views.setTabToolTip(
            0,
            self.tr(
                "Open cases that are not long overdue and await acknowledgement, are due before "
                "this shift ends, or were opened by the alarms. Order: the alarms' new cases, "
                "then the rest due before the shift ends, then the others; each by due time, "
                "then priority (Alt+1)"
            ),
        )
        self.views.setTabToolTip(
            1,
            self.tr("Open cases overdue by more than %1 hours, most overdue first (Alt+2)").replace(
                "%1", f"{self.desk.queue_rules.backlog_after.total_seconds() / 3600:g}"
            ),
        )
        self.views.setTabToolTip(2, self.tr("Every case the filters match (Alt+3)"))
        self.counts: QueueCounts | None = None
        self._update_view_labels()

    def _build_table(self) -> None:
        """The case table over the windowed model, sorted by clicking a column."""
        self.table = CaseTable(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COL["countdown"], Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._header_sort)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL["title"], QHeaderView.ResizeMode.Stretch)
        self._preferred: dict[str, int] = {}
        self.fit_columns()
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.open_requested.connect(self.open_requested)
        self.table.doubleClicked.connect(self._double_clicked)

    def _build_filter_row(self) -> FlowLayout:
        """The filters, sort and saved filters in one row that wraps."""
        # The filters wrap onto a second line rather than widen the window (a long unit name,
        # English, a larger text size); each choice shows about a dozen characters and its
        # list opens as wide as its longest entry.
        filters = FlowLayout()
        for combo in (self.kind, self.status, self.priority, self.district, self.unit):
            compact(combo, 14 if combo is self.unit else 9)
            filters.addWidget(combo)
        filters.addWidget(self.overdue)
        sort_box = QWidget(self)
        sort_row = QHBoxLayout(sort_box)
        sort_row.setContentsMargins(0, 0, 0, 0)
        sort_row.addWidget(QLabel(self.tr("Sort"), sort_box))
        compact(self.sort, 13)
        sort_row.addWidget(self.sort)
        filters.addWidget(sort_box)
        compact(self.saved, 10)
        filters.addWidget(self.saved)
        self.save_button = QPushButton(self.tr("Save filter…"), self)
        self.save_button.setObjectName("saveFilterButton")
        self.delete_button = QPushButton(self.tr("Delete filter"), self)
        self.delete_button.setObjectName("deleteFilterButton")
        filters.addWidget(self.save_button)
        filters.addWidget(self.delete_button)
        return filters

    def _connect_controls(self) -> None:
        """Filters, search, views and shortcuts re-read the queue; counts follow every re-read."""
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        for combo in (self.kind, self.status, self.priority, self.district, self.unit, self.sort):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.overdue.toggled.connect(self.apply_filters)
        self.views.currentChanged.connect(lambda _i: self.apply_filters())
        for number in range(len(VIEW_ORDER)):
            shortcut = QShortcut(QKeySequence(f"Alt+{number + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=number: self.views.setCurrentIndex(n))
        self.saved.activated.connect(self._saved_chosen)
        self.model.reloaded.connect(self._reloaded)
        self.model.counted.connect(self._counted)
        self.model.load_failed.connect(self._show_error)
        # Counts follow every re-read of the list (a filter, a change here or on another
        # workstation) and the clock.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(lambda: self.spawn(self.load_counts()))
        self.model.counted.connect(lambda _n: self._counts_timer.start())
        self._recheck = QTimer(self)
        self._recheck.setInterval(VIEW_RECHECK_MS)
        self._recheck.timeout.connect(self._recheck_views)
        self._recheck.start()

    def fit_columns(self) -> None:
        """Column widths from the longest text each column can hold in the current language
        and font (not from the rows: measuring 100 000 rows, or re-measuring every second as
        countdowns tick, would cost more than it gives)."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        plain_fm, bold_fm = QFontMetrics(self.table.font()), QFontMetrics(bold)
        longest_wait = timedelta(days=99, hours=23, minutes=59, seconds=59)
        zh = current_language() == "zh"
        candidates: dict[str, tuple[QFontMetrics, list[str]]] = {
            "reference": (plain_fm, ["CZ-2026-000000"]),
            "kind": (plain_fm, [labels.label(labels.KIND, k) for k in labels.KIND]),
            "priority": (
                bold_fm,
                ["▲▲ " + labels.label(labels.PRIORITY, p) for p in labels.PRIORITY],
            ),
            "status": (
                plain_fm,
                [labels.label(labels.STATUS, k) for k in labels.STATUS]
                + ["◷ " + labels.closure_pending()],
            ),
            "district": (plain_fm, [labels.label(labels.DISTRICT, k) for k in labels.DISTRICT]),
            "unit": (
                plain_fm,
                [u.name if zh else u.name_en for u in self.desk.unit_registry.units],
            ),
            "countdown": (
                bold_fm,
                ["⚠ " + self.model.tr("%1 overdue").replace("%1", format_duration(longest_wait))],
            ),
        }
        for name, (fm, texts) in candidates.items():
            column = COL[name]
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(
                [fm.horizontalAdvance(t) for t in texts] + [bold_fm.horizontalAdvance(title) + 24]
            )
            self._preferred[name] = min(width + 24, WIDTH_CAP.get(name, 320))
        self.squeeze_columns()

    def squeeze_columns(self) -> None:
        """The preferred widths, cut in ``SQUEEZE_ORDER`` as far as the table's width needs."""
        if not self._preferred:
            return
        widths = dict(self._preferred)
        excess = sum(widths.values()) + TITLE_FLOOR - self.table.viewport().width()
        for name in SQUEEZE_ORDER:
            if excess <= 0:
                break
            cut = max(0, min(excess, widths[name] - SQUEEZE_FLOOR))
            widths[name] -= cut
            excess -= cut
        header = self.table.horizontalHeader()
        for name, width in widths.items():
            if header.sectionSize(COL[name]) != width:
                header.resizeSection(COL[name], width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self.squeeze_columns()
        return super().eventFilter(watched, event)

    # ---- views ---------------------------------------------------------------------------
    def current_view(self) -> QueueView:
        return QueueView(self.views.tabData(max(self.views.currentIndex(), 0)))

    def set_view(self, view: QueueView) -> None:
        self.views.setCurrentIndex(VIEW_ORDER.index(QueueView(view)))

    def _update_view_labels(self) -> None:
        counts = self.counts

        def number(value: int | None) -> str:
            return "…" if value is None else f"{value:,}"

        open_only = self.status.currentData() == OPEN
        texts = {
            QueueView.NEEDS_ACTION: self.tr("Needs action (%1)").replace(
                "%1", number(counts.needs_action if counts else None)
            ),
            QueueView.BACKLOG: self.tr("Backlog (%1)").replace(
                "%1", number(counts.backlog if counts else None)
            ),
            QueueView.ALL: (
                self.tr("All open (%1)") if open_only else self.tr("All matching (%1)")
            ).replace("%1", number(counts.all if counts else None)),
        }
        for index, view in enumerate(VIEW_ORDER):
            self.views.setTabText(index, texts[view])

    async def load_counts(self) -> QueueCounts | None:
        """Reads the views' counts for the filters on screen and shows them on the tabs."""
        query = self.model.query()
        try:
            counts: QueueCounts = await self.calls.read(self.desk.queue_counts, query)
        except Exception as exc:
            log.info("queue view counts not read: %s", exc)
            return None
        if query != self.model.query():
            return None  # the filters changed meanwhile: their own count follows
        self.counts = counts
        self._update_view_labels()
        return counts

    def _recheck_views(self) -> None:
        if self.model.query().view is not QueueView.ALL:
            self.model.schedule_refresh()  # rows that left or entered the view by the clock
        self._counts_timer.start()

    def _combo(self, name: str, all_text: str, table: dict[str, str]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(all_text, None)
        for code in table:
            combo.addItem(labels.label(table, code), code)
        return combo

    def stop(self) -> None:
        """The workspace goes: timers stopped, the panel's and the model's reads cancelled."""
        for timer in (self._search_timer, self._counts_timer, self._recheck):
            timer.stop()
        self._tasks.cancel_all()
        self.model.stop()

    def spawn(self, coro: Awaitable[T]) -> asyncio.Future[T]:
        return self._tasks.spawn(coro)

    # ---- the query from the controls -----------------------------------------------------
    def query_from_controls(self) -> QueueQuery:
        def one(combo: QComboBox) -> tuple[str, ...]:
            value = combo.currentData()
            return () if value is None else (str(value),)

        status = self.status.currentData()
        statuses = OPEN_STATUSES if status == OPEN else (() if status is None else (status,))
        current = self.model.query()
        sort = QueueSort(self.sort.currentData())
        return QueueQuery(
            kinds=one(self.kind),
            statuses=tuple(statuses),
            priorities=one(self.priority),
            districts=one(self.district),
            unit_ids=one(self.unit),
            overdue=self.overdue.isChecked(),
            text=self.search.text().strip(),
            sort=sort,
            descending=current.descending if sort is current.sort else False,
            view=self.current_view(),
        )

    def set_controls(self, query: QueueQuery) -> None:
        """Show a (saved) query in the controls without triggering a reload per control."""
        self._applying = True
        try:

            def pick(combo: QComboBox, values: tuple[str, ...]) -> None:
                index = combo.findData(values[0]) if len(values) == 1 else 0
                combo.setCurrentIndex(max(index, 0))

            pick(self.kind, query.kinds)
            if set(query.statuses) == set(OPEN_STATUSES):
                self.status.setCurrentIndex(self.status.findData(OPEN))
            elif not query.statuses:
                self.status.setCurrentIndex(1)
            else:
                pick(self.status, query.statuses)
            pick(self.priority, query.priorities)
            pick(self.district, query.districts)
            pick(self.unit, query.unit_ids)
            self.overdue.setChecked(query.overdue)
            self.search.setText(query.text)
            self._search_timer.stop()
            self.sort.setCurrentIndex(max(self.sort.findData(query.sort.value), 0))
            self.set_view(query.view)
        finally:
            self._applying = False

    def apply_filters(self) -> None:
        if self._applying:
            return
        self._update_view_labels()
        self._search_timer.stop()
        self.spawn(self.show_query(self.query_from_controls()))

    async def show_query(self, query: QueueQuery) -> None:
        selected = self.selected_case_ids()
        try:
            await self.model.set_query(query)
        except Exception:
            return  # the model reported the error (load_failed)
        self.error_label.hide()
        # Keep the officer on the same case when it is still in the list.
        for case_id in selected[:1]:
            row = self.model.row_of(case_id)
            if row is not None:
                self.select_row(row)

    def _header_sort(self, column: int, order: Qt.SortOrder) -> None:
        if self._applying:
            return
        sort = SORT_FOR_COLUMN.get(column)
        if sort is None:
            return
        self._applying = True
        self.sort.setCurrentIndex(max(self.sort.findData(sort.value), 0))
        self._applying = False
        self.model.sort(column, order)

    def _search_enter(self) -> None:
        self.apply_filters()
        self.table.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _reloaded(self, total: int) -> None:
        if not self.model.is_counted:
            self.count_label.setText(self.tr("counting…"))

    def _counted(self, total: int) -> None:
        self.count_label.setText(self.tr("%1 cases").replace("%1", f"{total:,}"))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.message.emit(text)

    # ---- selection -----------------------------------------------------------------------
    def selected_case_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.case_id(r) for r in rows]
        return [i for i in ids if i is not None]

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.case_id(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_case_changed.emit(
            self.model.case_id(current.row()) if current.isValid() else None
        )

    def _double_clicked(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index.row())
        if case_id is not None:
            self.open_requested.emit(case_id)

    # ---- saved filters -------------------------------------------------------------------
    async def load_saved_filters(self) -> None:
        try:
            self._saved = await self.calls.call(self.desk.saved_filters)
        except Exception as exc:
            self._show_error(describe_error(exc))
            return
        current = self.saved.currentText()
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem(self.tr("Saved filters…"), None)
        for f in self._saved:
            self.saved.addItem(f.name, f.id)
        index = self.saved.findText(current)
        self.saved.setCurrentIndex(max(index, 0))
        self.saved.blockSignals(False)

    def _saved_chosen(self, index: int) -> None:
        filter_id = self.saved.itemData(index)
        chosen = next((f for f in self._saved if f.id == filter_id), None)
        if chosen is None:
            return
        self.apply_saved(chosen.query)

    def apply_saved(self, query: QueueQuery) -> None:
        self.set_controls(query)
        self.spawn(self.show_query(replace(query)))

    async def save_current_filter(self, name: str) -> SavedFilterView:
        saved = await self.calls.call(self.desk.save_filter, name, self.query_from_controls())
        await self.load_saved_filters()
        self.saved.setCurrentIndex(max(self.saved.findText(saved.name), 0))
        return saved

    async def delete_current_filter(self) -> bool:
        filter_id = self.saved.currentData()
        if filter_id is None:
            return False
        await self.calls.call(self.desk.delete_filter, int(filter_id))
        self.saved.setCurrentIndex(0)
        await self.load_saved_filters()
        return True
