"""The emergency panel: one emergency case as the duty room works it.

Top: type, the level the figures propose (with the figures that decide it), the level the
shift leader decided and who leads the response. "Place and area": the type, the wind for air
and chemical events, and the affected area drawn on the monitoring wall's map. Then the reported figures (edit and
record), the plan checklists with live countdowns (overdue steps red, with the word and an
icon), the coordination log with a one-line entry (Enter records it; "/c" call, "/d"
decision, "/s" dispatch, "/r" data reading), and the affected stations (proposed from the
area, removed, or added by id or name).

The panel never calls the desk: it emits what the officer asked for and shows what it is
given (`show_emergency`), so the integration decides how calls run (executor, conflicts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.emergencies import (
    EmergencyView,
    LogEntryView,
    MonitoringTaskView,
    StepView,
)
from dispatch_app.domain.cases import EmergencyLevel
from dispatch_app.domain.emergencies import (
    LEVEL_ZH,
    Area,
    Circle,
    EmergencyType,
    Figures,
    IntakeCut,
)
from dispatch_app.domain.emergency_monitoring import TaskStatus
from dispatch_app.domain.emergency_plans import StepStatus
from dispatch_app.standards.center_time import CENTER_TZ
from ui.emergencies.cap import CapHistoryBox
from ui.emergencies.trends import LinkedTrends
from ui.shell.i18n import current_language
from ui.widgets.input_guard import guard_inputs

_FIGURES = ("deaths", "poisoned_or_injured", "evacuated", "direct_loss_yuan")
# The wind decides which stations are downwind: asked for the types that spread by air.
WIND_TYPES = frozenset({EmergencyType.AIR_POLLUTION, EmergencyType.CHEMICAL_RELEASE})


def type_name(kind: EmergencyType) -> str:
    return kind.name_en if current_language() == "en" else kind.name_zh


def countdown(remaining: timedelta) -> str:
    """'1:05:09' left, or '-0:03:12' overdue (a sign and the word elsewhere)."""
    seconds = int(remaining.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class EmergencyPanel(QWidget):
    figures_submitted = Signal(object)  # Figures
    level_decided = Signal(str, str)  # level, reason
    plan_activation_requested = Signal(str)  # plan id
    step_finished = Signal(int, int, str, str)  # step id, version, done|skipped, reason
    log_submitted = Signal(str)
    export_requested = Signal()
    station_requested = Signal(str)
    station_focused = Signal(str)  # the affected station selected: its recent data is shown
    step_dispatch_requested = Signal(int)  # step id
    task_requested = Signal(str, object, int)  # station, parameters, interval minutes
    sample_submitted = Signal(int, int, object)  # task id, version, {parameter: value}
    type_changed = Signal(str)  # EmergencyType value, only on the officer's choice
    wind_changed = Signal(object)  # degrees the wind blows from, or None (unknown)
    area_draw_requested = Signal(str)  # "circle" | "polygon"
    area_clear_requested = Signal()
    area_save_requested = Signal()  # save the drawn area again (after a refused save)
    stations_propose_requested = Signal()
    station_remove_requested = Signal(str)
    station_add_requested = Signal(str)

    def __init__(
        self,
        clock: Callable[[], datetime],
        unit_name: Callable[[str], str] = lambda u: u,
        station_name: Callable[[str], str] = lambda s: s,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emergencyPanel")
        self.clock = clock
        self.unit_name = unit_name
        self.station_name = station_name
        self.view: EmergencyView | None = None
        self._steps: list[StepView] = []
        self._tasks: list[MonitoringTaskView] = []
        self._station_ids: dict[str, str] = {}  # completion text and names -> station id
        self.pending_area: Area | None = None
        self._active_plans: tuple[str, ...] = ()
        self._plans_case: int | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.placeholder = self._build_placeholder()
        outer.addWidget(self.placeholder)
        scroll = QScrollArea()
        scroll.setObjectName("emergencyScroll")
        scroll.setWidgetResizable(True)
        self.scroll_area = scroll
        outer.addWidget(scroll)
        body = QWidget()
        self.body = body
        scroll.setWidget(body)
        layout = QVBoxLayout(body)

        self.title = QLabel(self.tr("No emergency selected"))
        self.title.setObjectName("emergencyTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.message = QLabel()
        self.message.setObjectName("emergencyMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        layout.addWidget(self._build_place_box())
        self._show_wind_for(EmergencyType.OTHER)
        layout.addWidget(self._build_level_box())
        layout.addWidget(self._build_figures_box())
        layout.addWidget(self._build_plan_box())
        layout.addWidget(self._build_log_box())
        # CAP messages: history, send / update / cancel (previewed), export
        self.cap_box = CapHistoryBox()
        layout.addWidget(self.cap_box)
        focus = QShortcut(QKeySequence("Ctrl+L"), self)
        focus.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus.activated.connect(self.log_entry.setFocus)
        layout.addWidget(self._build_task_box())
        layout.addWidget(self._build_stations_box())
        layout.addStretch(1)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._can_work = False
        self._can_decide = False
        self.set_enabled(False, False)
        self._show_state()
        guard_inputs(self)  # the wheel scrolls the panel unless a field has the focus

    def _build_placeholder(self) -> QWidget:
        """With no emergency there is nothing to edit: a placeholder says how to open one, and
        the fields (which would show preset values) are not on screen at all."""
        placeholder = QWidget()
        placeholder.setObjectName("emergencyPlaceholder")
        ph_layout = QVBoxLayout(placeholder)
        ph_title = QLabel(self.tr("No emergency selected"))
        ph_title.setObjectName("emergencyPlaceholderTitle")
        ph_font = ph_title.font()
        ph_font.setBold(True)
        ph_title.setFont(ph_font)
        ph_hint = QLabel(
            self.tr(
                "Select an emergency (kind “Emergency”) in the case queue to work it here: "
                "level, plan checklist, coordination log and affected stations. A new one is "
                "opened with File → New case… (Ctrl+N), kind “Emergency”."
            )
        )
        ph_hint.setObjectName("emergencyPlaceholderHint")
        ph_hint.setProperty("role", "hint")
        ph_hint.setWordWrap(True)
        ph_layout.addWidget(ph_title)
        ph_layout.addWidget(ph_hint)
        ph_layout.addStretch(1)
        return placeholder

    def _build_place_box(self) -> QGroupBox:
        """Type, wind and the affected area drawn on the map."""
        area_box = QGroupBox(self.tr("Place and area"))
        area_box.setObjectName("emergencyPlaceBox")
        area_form = QFormLayout(area_box)
        type_row = QHBoxLayout()
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("emergencyType")
        for kind in EmergencyType:
            self.type_combo.addItem(type_name(kind), kind.value)
        # activated, not currentIndexChanged: only the officer's choice is a change.
        self.type_combo.activated.connect(self._type_chosen)
        self.wind_label = QLabel(self.tr("Wind from"))
        self.wind = QLineEdit()
        self.wind.setObjectName("emergencyWind")
        self.wind.setPlaceholderText(self.tr("unknown"))
        self.wind.setMaximumWidth(90)
        self.wind.setToolTip(
            self.tr("Degrees the wind blows from (0 north, 90 east); empty when unknown")
        )
        self.wind.editingFinished.connect(self._wind_entered)
        self.wind_unit = QLabel("°")
        type_row.addWidget(self.type_combo, 1)
        type_row.addWidget(self.wind_label)
        type_row.addWidget(self.wind)
        type_row.addWidget(self.wind_unit)
        area_form.addRow(self.tr("Type"), type_row)
        self.area_label = QLabel()
        self.area_label.setObjectName("emergencyArea")
        self.area_label.setWordWrap(True)
        area_form.addRow(self.tr("Area"), self.area_label)
        draw_row = QHBoxLayout()
        self.circle_button = QPushButton(self.tr("Draw circle on map"))
        self.polygon_button = QPushButton(self.tr("Draw polygon on map"))
        self.save_area_button = QPushButton(self.tr("Save drawn area"))
        self.save_area_button.hide()
        self.clear_area_button = QPushButton(self.tr("Clear area"))
        for button in (
            self.circle_button,
            self.polygon_button,
            self.save_area_button,
            self.clear_area_button,
        ):
            draw_row.addWidget(button)
        draw_row.addStretch(1)
        area_form.addRow(draw_row)
        self.circle_button.clicked.connect(lambda: self.area_draw_requested.emit("circle"))
        self.polygon_button.clicked.connect(lambda: self.area_draw_requested.emit("polygon"))
        self.save_area_button.clicked.connect(self.area_save_requested.emit)
        self.clear_area_button.clicked.connect(self.area_clear_requested.emit)
        return area_box

    def _build_level_box(self) -> QGroupBox:
        """The proposed and the decided level; the shift leader decides."""
        level_box = QGroupBox(self.tr("Level (2014 national plan)"))
        form = QFormLayout(level_box)
        self.proposal = QLabel()
        self.proposal.setObjectName("emergencyProposal")
        self.proposal.setWordWrap(True)
        self.decided = QLabel()
        self.decided.setObjectName("emergencyDecided")
        self.decided.setWordWrap(True)
        form.addRow(self.tr("Proposed from the figures"), self.proposal)
        form.addRow(self.tr("Decided"), self.decided)
        self.level_combo = QComboBox()
        for level in EmergencyLevel:
            self.level_combo.addItem(LEVEL_ZH[level], level.value)
        self.level_reason = QLineEdit()
        self.level_reason.setPlaceholderText(
            self.tr("Reason (required to change a level or depart from the proposal)")
        )
        self.level_button = QPushButton(self.tr("Decide level (shift leader)"))
        decide = QHBoxLayout()
        decide.addWidget(self.level_combo)
        decide.addWidget(self.level_reason, 1)
        decide.addWidget(self.level_button)
        form.addRow(decide)
        self.level_button.clicked.connect(
            lambda: self.level_decided.emit(
                self.level_combo.currentData(), self.level_reason.text()
            )
        )
        return level_box

    def _build_figures_box(self) -> QGroupBox:
        """The reported figures that decide the proposed level."""
        fig_box = QGroupBox(self.tr("Reported figures"))
        fig_form = QFormLayout(fig_box)
        labels = {
            "deaths": self.tr("Deaths"),
            "poisoned_or_injured": self.tr("Poisoned or seriously injured"),
            "evacuated": self.tr("Evacuated"),
            "direct_loss_yuan": self.tr("Direct loss (yuan)"),
        }
        self.figure_spins: dict[str, QSpinBox] = {}
        for name in _FIGURES:
            spin = QSpinBox()
            spin.setRange(0, 2_000_000_000)
            spin.setGroupSeparatorShown(True)
            spin.setObjectName(f"figure_{name}")
            self.figure_spins[name] = spin
            fig_form.addRow(labels[name], spin)
        self.intake = QComboBox()
        self.intake.setObjectName("figure_intake_cut")
        for cut, text in (
            (IntakeCut.NONE, self.tr("No intake cut off")),
            (IntakeCut.TOWNSHIP, self.tr("Township intake cut off")),
            (IntakeCut.COUNTY, self.tr("County-level city intake cut off")),
            (IntakeCut.PREFECTURE, self.tr("Prefecture-level city intake cut off")),
        ):
            self.intake.addItem(text, cut.value)
        fig_form.addRow(self.tr("Drinking-water intake"), self.intake)
        self.figures_button = QPushButton(self.tr("Record figures"))
        fig_form.addRow(self.figures_button)
        self.figures_button.clicked.connect(self._submit_figures)
        return fig_box

    def _build_plan_box(self) -> QGroupBox:
        """The plan to activate and its checklist with countdowns."""
        plan_box = QGroupBox(self.tr("Response plan checklist"))
        plan_layout = QVBoxLayout(plan_box)
        activate_row = QHBoxLayout()
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("emergencyPlan")
        self.activate_button = QPushButton(self.tr("Activate plan"))
        activate_row.addWidget(self.plan_combo, 1)
        activate_row.addWidget(self.activate_button)
        plan_layout.addLayout(activate_row)
        self.activate_button.clicked.connect(self._activate)
        self.plan_combo.currentIndexChanged.connect(lambda _i: self._update_activate_button())
        self.steps = QTableWidget(0, 4)
        self.steps.setObjectName("emergencySteps")
        self.steps.setHorizontalHeaderLabels(
            [self.tr("Step"), self.tr("Owner"), self.tr("Time left"), self.tr("Status")]
        )
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.verticalHeader().hide()
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.setMinimumHeight(180)
        plan_layout.addWidget(self.steps)
        step_row = QHBoxLayout()
        self.done_button = QPushButton(self.tr("Step done"))
        self.skip_reason = QLineEdit()
        self.skip_reason.setPlaceholderText(self.tr("Reason to skip"))
        self.skip_button = QPushButton(self.tr("Skip step"))
        self.dispatch_button = QPushButton(self.tr("Dispatch owner"))
        step_row.addWidget(self.done_button)
        step_row.addWidget(self.dispatch_button)
        step_row.addWidget(self.skip_reason, 1)
        step_row.addWidget(self.skip_button)
        plan_layout.addLayout(step_row)
        self.done_button.clicked.connect(lambda: self._finish("done"))
        self.skip_button.clicked.connect(lambda: self._finish("skipped"))
        self.dispatch_button.clicked.connect(self._dispatch)
        return plan_box

    def _build_log_box(self) -> QGroupBox:
        """The coordination log, its one-line entry and the PDF export."""
        log_box = QGroupBox(self.tr("Coordination log"))
        log_layout = QVBoxLayout(log_box)
        self.log_list = QTableWidget(0, 4)
        self.log_list.setObjectName("emergencyLog")
        self.log_list.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Kind"), self.tr("Activity"), self.tr("By")]
        )
        self.log_list.verticalHeader().hide()
        self.log_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_list.setWordWrap(True)
        lh = self.log_list.horizontalHeader()
        lh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 3):
            lh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.log_list.setMinimumHeight(200)
        log_layout.addWidget(self.log_list)
        self.log_entry = QLineEdit()
        self.log_entry.setObjectName("emergencyLogEntry")
        self.log_entry.setPlaceholderText(
            self.tr("Ctrl+L · Enter records · /c call  /d decision  /s dispatch  /r reading")
        )
        self.log_entry.returnPressed.connect(self._submit_log)
        log_layout.addWidget(self.log_entry)
        export_row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export log as PDF…"))
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        log_layout.addLayout(export_row)
        self.export_button.clicked.connect(self.export_requested.emit)
        return log_box

    def _build_task_box(self) -> QGroupBox:
        """The emergency monitoring tasks and the sample entry."""
        task_box = QGroupBox(self.tr("Emergency monitoring tasks"))
        task_layout = QVBoxLayout(task_box)
        self.tasks = QTableWidget(0, 4)
        self.tasks.setObjectName("emergencyTasks")
        self.tasks.setHorizontalHeaderLabels(
            [self.tr("Station"), self.tr("Parameters"), self.tr("Next sample"), self.tr("Status")]
        )
        self.tasks.verticalHeader().hide()
        self.tasks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tasks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tasks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        th = self.tasks.horizontalHeader()
        th.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            th.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tasks.setMaximumHeight(150)
        task_layout.addWidget(self.tasks)
        sample_row = QHBoxLayout()
        self.sample_entry = QLineEdit()
        self.sample_entry.setObjectName("emergencySampleEntry")
        self.sample_entry.setPlaceholderText(
            self.tr("Sample of the selected task: NH3-N=2.4 CODMn=9.1")
        )
        self.sample_entry.returnPressed.connect(self._submit_sample)
        sample_row.addWidget(self.sample_entry, 1)
        task_layout.addLayout(sample_row)
        return task_box

    def _build_stations_box(self) -> QGroupBox:
        """The affected stations, their linked trends, and monitoring assignment."""
        st_box = QGroupBox(self.tr("Affected stations (downstream / downwind)"))
        st_layout = QVBoxLayout(st_box)
        self.stations = QListWidget()
        self.stations.setObjectName("emergencyStations")
        self.stations.setMaximumHeight(140)
        self.stations.itemActivated.connect(
            lambda item: self.station_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.stations.currentItemChanged.connect(self._station_focused)
        st_layout.addWidget(self.stations)
        # Linked monitoring: the selected station's last day, inside the case.
        self.trends = LinkedTrends()
        st_layout.addWidget(self.trends)
        edit_row = QHBoxLayout()
        self.propose_button = QPushButton(self.tr("Propose from area"))
        self.propose_button.setToolTip(
            self.tr(
                "Adds the sections downstream or stations downwind of the area (or the case's "
                "place) and the stations inside the area"
            )
        )
        self.remove_station_button = QPushButton(self.tr("Remove selected station"))
        self.add_station = QLineEdit()
        self.add_station.setObjectName("emergencyAddStation")
        self.add_station.setPlaceholderText(self.tr("Add a station: id or name"))
        self.add_station.returnPressed.connect(self._add_station)
        self.add_station_button = QPushButton(self.tr("Add"))
        edit_row.addWidget(self.propose_button)
        edit_row.addWidget(self.remove_station_button)
        edit_row.addWidget(self.add_station, 1)
        edit_row.addWidget(self.add_station_button)
        st_layout.addLayout(edit_row)
        self.propose_button.clicked.connect(self.stations_propose_requested.emit)
        self.remove_station_button.clicked.connect(self._remove_station)
        self.add_station_button.clicked.connect(self._add_station)
        assign_row = QHBoxLayout()
        self.task_params = QLineEdit()
        self.task_params.setPlaceholderText(self.tr("Parameters, e.g. NH3-N CODMn"))
        self.task_interval = QSpinBox()
        self.task_interval.setRange(5, 1440)
        self.task_interval.setValue(60)
        self.task_interval.setSuffix(self.tr(" min"))
        self.task_button = QPushButton(self.tr("Assign monitoring"))
        assign_row.addWidget(self.task_params, 1)
        assign_row.addWidget(self.task_interval)
        assign_row.addWidget(self.task_button)
        st_layout.addLayout(assign_row)
        self.task_button.clicked.connect(self._assign_task)
        return st_box

    def _station_focused(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.trends.clear()
        else:
            self.station_focused.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    # ---- showing -------------------------------------------------------------------------
    def _show_state(self) -> None:
        has = self.view is not None
        self.placeholder.setVisible(not has)
        self.scroll_area.setVisible(has)

    def show_none(self) -> None:
        """Back to the placeholder: no emergency is shown, nothing can be edited."""
        self.view = None
        self._steps = []
        self._tasks = []
        self._plans_case = None
        self._active_plans = ()
        self.pending_area = None
        self.trends.clear()
        self._show_state()
        self.set_enabled(self._can_work, self._can_decide)

    def set_enabled(self, can_work: bool, can_decide: bool) -> None:
        has = self.view is not None
        self._can_work = can_work
        self._can_decide = can_decide
        for w in (
            self.figures_button,
            self.activate_button,
            self.done_button,
            self.skip_button,
            self.log_entry,
            self.dispatch_button,
            self.task_button,
            self.sample_entry,
            self.type_combo,
            self.wind,
            self.circle_button,
            self.polygon_button,
            self.save_area_button,
            self.clear_area_button,
            self.propose_button,
            self.remove_station_button,
            self.add_station,
            self.add_station_button,
        ):
            w.setEnabled(has and can_work)
        self.level_button.setEnabled(has and can_decide)
        self.export_button.setEnabled(has)
        self.cap_box.set_enabled(has, can_work)
        self._update_activate_button()

    def set_plans(
        self,
        plans: Sequence[tuple[str, str]],
        active: Sequence[str] = (),
        case_id: int | None = None,
    ) -> None:
        """(plan id, title) in the order offered (the ones for the type first) and the ids of
        the plans active on the emergency, in the order they were activated.

        The box shows the active plan (the latest) after an activation and when another
        emergency is shown; otherwise it keeps what it showed, and it never moves while the
        officer is choosing in it."""
        previous = self.plan_combo.currentData()
        choosing = self.plan_combo.hasFocus() or self.plan_combo.view().isVisible()
        same_case = case_id is not None and case_id == self._plans_case
        newly_active = same_case and any(p not in self._active_plans for p in active)
        self._plans_case = case_id
        self._active_plans = tuple(active)
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan_id, title in plans:
            text = title
            if plan_id in active:
                text = "✓ " + self.tr("%1 (active)").replace("%1", title)
            self.plan_combo.addItem(text, plan_id)
        if same_case and (choosing or not newly_active) and previous is not None:
            wanted = previous
        elif active:
            wanted = active[-1]
        else:
            wanted = plans[0][0] if plans else None
        self.plan_combo.setCurrentIndex(max(self.plan_combo.findData(wanted), 0))
        self.plan_combo.blockSignals(False)
        self._update_activate_button()

    def _update_activate_button(self) -> None:
        plan_id = self.plan_combo.currentData()
        active = plan_id is not None and plan_id in self._active_plans
        self.activate_button.setEnabled(
            self.view is not None and self._can_work and plan_id is not None and not active
        )
        if active:
            tip = self.tr("This plan is active: its steps are in the checklist below")
        elif self.view is not None and not self._can_work:
            tip = self.tr("Only a duty officer or shift leader activates a plan")
        else:
            tip = ""
        self.activate_button.setToolTip(tip)

    def set_station_choices(self, stations: Sequence[tuple[str, str]]) -> None:
        """(id, name) of the registry: completion for adding a station by id or name."""
        texts = [f"{name} ({sid})" for sid, name in stations]
        self._station_ids = {sid: sid for sid, _ in stations}
        names: dict[str, list[str]] = {}
        for sid, name in stations:
            names.setdefault(name, []).append(sid)
        # A name given to two stations is ambiguous: only its "name (id)" form resolves.
        self._station_ids.update({n: ids[0] for n, ids in names.items() if len(ids) == 1})
        completer = QCompleter(texts, self.add_station)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.add_station.setCompleter(completer)

    def station_id_of(self, text: str) -> str:
        """The station id an entry names: an id, a unique name, or "name (id)" from the
        completion. Anything else is passed on as typed, for the desk to refuse by name."""
        text = text.strip()
        match = re.search(r"\(([^()]+)\)\s*$", text)
        if match and match.group(1).strip() in self._station_ids:
            return match.group(1).strip()
        return self._station_ids.get(text, text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_emergency(self, view: EmergencyView, entries: Sequence[LogEntryView]) -> None:
        same_case = self.view is not None and self.view.case.id == view.case.id
        self.view = view
        self._show_state()
        d = view.detail
        drill = self.tr(" [EXERCISE]") if view.exercise and "演练" not in view.case.title else ""
        self.title.setText(
            f"<b>{view.case.reference}</b> {view.case.title}{drill}<br>{type_name(d.type)}"
        )
        self._show_place(view, same_case)
        p = view.proposal
        reasons = "；".join(r.zh for r in p.reasons) or self.tr("no figure reaches a higher level")
        self.proposal.setText(f"<b>{LEVEL_ZH[p.level]}</b> — {reasons}")
        if view.level is None:
            self.decided.setText(self.tr("not decided yet (shift leader)"))
        else:
            last = view.decisions[-1] if view.decisions else None
            who = f"（{last.actor} {last.at.astimezone(CENTER_TZ):%H:%M}）" if last else ""
            lead = {
                "province": self.tr("province leads"),
                "city": self.tr("city leads"),
                "county": self.tr("county leads"),
            }[view.lead.value]
            warn = (
                " ⚠ " + self.tr("differs from proposal") if view.level_differs_from_proposal else ""
            )
            self.decided.setText(f"<b>{LEVEL_ZH[view.level]}</b>，{lead}{who}{warn}")
        index = self.level_combo.findData((view.level or p.level).value)
        self.level_combo.setCurrentIndex(max(index, 0))
        for name, spin in self.figure_spins.items():
            if not spin.hasFocus():
                spin.setValue(min(getattr(d.figures, name), spin.maximum()))
        self.intake.setCurrentIndex(max(self.intake.findData(d.figures.intake_cut.value), 0))
        self._show_steps(view)
        self._show_log(entries)
        self._show_tasks(view)
        # A reload (after every log line) keeps the station the officer is looking at.
        current = self.stations.currentItem()
        kept = current.data(Qt.ItemDataRole.UserRole) if current is not None and same_case else None
        self.stations.blockSignals(True)
        self.stations.clear()
        for sid in d.affected_stations:
            self.stations.addItem(f"{self.station_name(sid)} ({sid})")
            self.stations.item(self.stations.count() - 1).setData(Qt.ItemDataRole.UserRole, sid)
            if sid == kept:
                self.stations.setCurrentRow(self.stations.count() - 1)
        self.stations.blockSignals(False)
        if kept is None or kept not in d.affected_stations:
            self.trends.clear()
        self.tick()

    def _show_place(self, view: EmergencyView, same_case: bool) -> None:
        d = view.detail
        # Never overwrite what the officer is choosing or typing in this case (arrow keys on
        # the combo store one type after another).
        if not (same_case and self.type_combo.hasFocus()):
            self.type_combo.setCurrentIndex(max(self.type_combo.findData(d.type.value), 0))
        self._show_wind_for(EmergencyType(self.type_combo.currentData()))
        if not (same_case and self.wind.hasFocus()):
            self.wind.setText("" if d.wind_from_deg is None else f"{d.wind_from_deg:.0f}")
        self._show_area_text()

    def _show_wind_for(self, kind: EmergencyType) -> None:
        for w in (self.wind_label, self.wind, self.wind_unit):
            w.setVisible(kind in WIND_TYPES)

    def area_text(self, area: Area | None) -> str:
        if area is None:
            return self.tr("none drawn")
        lon, lat = area.centre()
        if isinstance(area, Circle):
            return self.tr("circle, centre {0}°E {1}°N, radius {2} km").format(
                f"{lon:.4f}", f"{lat:.4f}", f"{area.radius_m / 1000:.2f}"
            )
        return self.tr("polygon of {0} points, centre {1}°E {2}°N").format(
            len(area.points) - 1, f"{lon:.4f}", f"{lat:.4f}"
        )

    def _show_area_text(self) -> None:
        saved = self.view.detail.area if self.view is not None else None
        text = self.area_text(saved)
        if self.pending_area is not None:
            text += "<br>⚠ " + self.tr("Drawn but not saved: {0}").format(
                self.area_text(self.pending_area)
            )
        self.area_label.setText(text)
        self.save_area_button.setVisible(self.pending_area is not None)

    def set_pending_area(self, area: Area | None) -> None:
        """A drawn area the desk has not stored yet (a refused save): shown with a button to
        save it again, so the drawing is never lost."""
        self.pending_area = area
        self._show_area_text()

    def _show_steps(self, view: EmergencyView) -> None:
        selected = self._selected_step()
        self._steps = [s for a in view.activations for s in a.steps]
        self.steps.setRowCount(len(self._steps))
        for row, s in enumerate(self._steps):
            owner = self.unit_name(s.step.owner_unit) if s.step.owner_unit else ""
            for col, text in enumerate((s.step.title, owner, "", "")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                item.setToolTip(s.step.title)
                self.steps.setItem(row, col, item)
            if selected is not None and s.id == selected.id:
                self.steps.selectRow(row)

    def _show_tasks(self, view: EmergencyView) -> None:
        self._tasks = list(view.tasks)
        self.tasks.setRowCount(len(self._tasks))
        for row, t in enumerate(self._tasks):
            values = (self.station_name(t.task.station), "、".join(t.task.parameters), "", "")
            for col, text in enumerate(values):
                self.tasks.setItem(row, col, QTableWidgetItem(text))

    def _show_log(self, entries: Sequence[LogEntryView]) -> None:
        self.log_list.setRowCount(len(entries))
        for row, e in enumerate(entries):
            values = (
                e.at.astimezone(CENTER_TZ).strftime("%H:%M:%S"),
                e.kind.name_zh,
                e.text,
                e.author,
            )
            for col, text in enumerate(values):
                self.log_list.setItem(row, col, QTableWidgetItem(text))
        self.log_list.resizeRowsToContents()
        self.log_list.scrollToBottom()

    def tick(self) -> None:
        """Every second: countdowns and statuses of the checklist and the monitoring tasks."""
        now = self.clock()
        self._tick_tasks(now)
        red = QColor("#d0021b")
        green = QColor("#2e7d32")
        for row, s in enumerate(self._steps):
            status = s.status(now)
            left_item = self.steps.item(row, 2)
            status_item = self.steps.item(row, 3)
            if left_item is None or status_item is None:
                continue
            if status in (StepStatus.OPEN, StepStatus.OVERDUE):
                left_item.setText(countdown(s.remaining(now)))
            else:
                left_item.setText("")
            text = {
                StepStatus.OPEN: "○ " + self.tr("open"),
                StepStatus.OVERDUE: "⚠ " + self.tr("OVERDUE"),
                StepStatus.DONE: "✓ " + self.tr("done"),
                StepStatus.SKIPPED: "↷ " + self.tr("skipped"),
            }[status]
            if s.step.late() and status is StepStatus.DONE:
                text += " " + self.tr("(late)")
            status_item.setText(text)
            color = (
                red
                if status is StepStatus.OVERDUE
                else green
                if status is StepStatus.DONE
                else None
            )
            for col in range(4):
                item = self.steps.item(row, col)
                if item is not None:
                    if color is None:
                        item.setData(Qt.ItemDataRole.ForegroundRole, None)
                    else:
                        item.setForeground(color)

    def _tick_tasks(self, now: datetime) -> None:
        red = QColor("#d0021b")
        for row, t in enumerate(self._tasks):
            status = t.status(now)
            due_item = self.tasks.item(row, 2)
            status_item = self.tasks.item(row, 3)
            if due_item is None or status_item is None:
                continue
            if status is TaskStatus.ENDED:
                due_item.setText("")
                status_item.setText("■ " + self.tr("ended"))
            else:
                due_item.setText(countdown(t.task.next_due_at - now))
                status_item.setText(
                    ("⚠ " + self.tr("SAMPLE OVERDUE"))
                    if status is TaskStatus.OVERDUE
                    else ("○ " + self.tr("{0} samples").format(t.task.samples))
                )
            for col in range(4):
                item = self.tasks.item(row, col)
                if item is not None:
                    if status is TaskStatus.OVERDUE:
                        item.setForeground(red)
                    else:
                        item.setData(Qt.ItemDataRole.ForegroundRole, None)

    # ---- requests ------------------------------------------------------------------------
    def _type_chosen(self, index: int) -> None:
        kind = EmergencyType(self.type_combo.itemData(index))
        self._show_wind_for(kind)
        if self.view is not None and kind is not self.view.detail.type:
            self.type_changed.emit(kind.value)

    def _wind_entered(self) -> None:
        if self.view is None or not self.wind.isVisibleTo(self):
            return
        # Checked here rather than by a validator: a validator would swallow a wrong value
        # without a word (editingFinished only fires for acceptable input).
        text = self.wind.text().strip().rstrip("°").strip()
        value = float(text) if text.isdigit() and int(text) < 360 else None
        if text and value is None:
            self.show_message("⚠ " + self.tr("Wind direction: whole degrees from 0 to 359"))
            return
        if value != self.view.detail.wind_from_deg:
            self.wind_changed.emit(value)

    def _remove_station(self) -> None:
        item = self.stations.currentItem()
        if item is None:
            self.show_message("⚠ " + self.tr("Select an affected station first"))
            return
        self.station_remove_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _add_station(self) -> None:
        text = self.add_station.text().strip()
        if text:
            self.station_add_requested.emit(self.station_id_of(text))

    def station_added(self) -> None:
        """Called once the desk stored the station: only then is the entry cleared."""
        self.add_station.clear()

    def _submit_figures(self) -> None:
        values = {name: spin.value() for name, spin in self.figure_spins.items()}
        self.figures_submitted.emit(
            Figures(intake_cut=IntakeCut(self.intake.currentData()), **values)
        )

    def _activate(self) -> None:
        plan_id = self.plan_combo.currentData()
        if plan_id and plan_id not in self._active_plans:
            self.plan_activation_requested.emit(plan_id)

    def _selected_step(self) -> StepView | None:
        rows = self.steps.selectionModel().selectedRows() if self.steps.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self._steps[row] if 0 <= row < len(self._steps) else None

    def select_step(self, key: str) -> None:
        for row, s in enumerate(self._steps):
            if s.step.key == key:
                self.steps.selectRow(row)
                return

    def _finish(self, outcome: str) -> None:
        step = self._selected_step()
        if step is None:
            self.show_message(self.tr("Select a step first"))
            return
        self.step_finished.emit(step.id, step.version, outcome, self.skip_reason.text())

    def _dispatch(self) -> None:
        step = self._selected_step()
        if step is None:
            self.show_message(self.tr("Select a step first"))
            return
        self.step_dispatch_requested.emit(step.id)

    def _assign_task(self) -> None:
        item = self.stations.currentItem()
        params = self.task_params.text().replace(",", " ").replace("，", " ").split()
        if item is None or not params:
            self.show_message(self.tr("Select an affected station and name the parameters"))
            return
        self.task_requested.emit(
            item.data(Qt.ItemDataRole.UserRole), params, self.task_interval.value()
        )

    def _submit_sample(self) -> None:
        rows = self.tasks.selectionModel().selectedRows() if self.tasks.selectionModel() else []
        if not rows or not 0 <= rows[0].row() < len(self._tasks):
            self.show_message(self.tr("Select a monitoring task first"))
            return
        task = self._tasks[rows[0].row()]
        values: dict[str, float] = {}
        for part in self.sample_entry.text().replace("，", " ").replace(",", " ").split():
            key, sep, raw = part.partition("=")
            try:
                values[key.strip()] = float(raw)
            except ValueError:
                self.show_message(self.tr("Write each value as PARAMETER=NUMBER"))
                return
            if not sep:
                self.show_message(self.tr("Write each value as PARAMETER=NUMBER"))
                return
        if values:
            self.sample_submitted.emit(task.id, task.version, values)

    def sample_recorded(self) -> None:
        self.sample_entry.clear()

    def _submit_log(self) -> None:
        text = self.log_entry.text()
        if text.strip():
            self.log_submitted.emit(text)

    def log_recorded(self) -> None:
        """The integration calls this once the entry is stored: only then is the line
        cleared, so a refused entry (a lost connection) is never lost from the box."""
        self.log_entry.clear()
