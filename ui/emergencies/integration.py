"""Emergencies in the desk window: `Workspace.install_emergencies(emergency_desk, drills)` adds
them.

Adds the heavy-pollution alert banner across the top of the window (every workstation), the
emergency panel docked beside the queue for the selected emergency case, and the Emergencies
menu (change the alert, export the log as PDF, send CAP, import CAP). The selected emergency's
affected area is drawn and shown on the monitoring wall's map (ui.wall.map.area_tool) when the
window hosts a wall. Desk calls are awaited
in the executor through the workspace's `DeskCalls`; every change arrives as a desk event and
refreshes what shows it, ours or another workstation's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.drills import MAX_SPEED, DrillDesk
from dispatch_app.desk.emergencies import (
    AlertView,
    CapDraft,
    CapRecord,
    EmergencyDesk,
    EmergencyView,
)
from dispatch_app.desk.events import Changed
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.domain import cap
from dispatch_app.domain.cap_distribution import CapChoices, CapProblem
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.emergencies import Area, Circle, EmergencyType, Figures
from dispatch_app.domain.emergency_stations import (
    AIR_KINDS,
    WATER_KINDS,
    StationPoint,
    distance_km,
)
from dispatch_app.domain.heavy_pollution import AlertLevel
from dispatch_app.domain.roles import Permission
from ui.cases.action_state import reason_text, set_available
from ui.emergencies.alert_banner import AlertBanner
from ui.emergencies.cap import CapPreviewDialog
from ui.emergencies.log_pdf import export_log_pdf
from ui.emergencies.panel import EmergencyPanel
from ui.emergencies.trends import linked_parameters
from ui.shell.background_tasks import BackgroundTasks, say_in_status_bar
from ui.shell.errors import describe_error
from ui.wall.map.area_tool import AreaTool, Shape
from ui.wall.map.view import MapView
from ui.widgets.file_dialogs import ask_open_file, ask_save_file

if TYPE_CHECKING:
    from dispatch_app.session import DrillControl
    from ui.shell.workspace import Workspace

log = logging.getLogger(__name__)

_WATER_TYPES = frozenset(
    {
        EmergencyType.WATER_POLLUTION,
        EmergencyType.ALGAE_BLOOM,
        EmergencyType.DRINKING_WATER_THREAT,
    }
)


def stations_inside(
    stations: Iterable[StationPoint], area: Area | None, kind: EmergencyType
) -> list[str]:
    """Registry stations inside the area, nearest the area's centre first: water sections for
    water events, air stations for air pollution, both for a chemical release or other."""
    if area is None:
        return []
    kinds = (
        WATER_KINDS
        if kind in _WATER_TYPES
        else AIR_KINDS
        if kind is EmergencyType.AIR_POLLUTION
        else WATER_KINDS | AIR_KINDS
    )
    lon, lat = area.centre()
    found: list[tuple[float, str]] = []
    for s in stations:
        if s.kind not in kinds:
            continue
        d = distance_km(lon, lat, s.lon, s.lat)
        inside = (
            d * 1000.0 <= area.radius_m if isinstance(area, Circle) else area.contains(s.lon, s.lat)
        )
        if inside:
            found.append((d, s.id))
    return [sid for _, sid in sorted(found)]


class AlertDialog(QDialog):
    """Issue, upgrade, downgrade or lift the alert: the level and a reason."""

    def __init__(self, current: AlertView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Heavy-pollution weather alert"))
        form = QFormLayout(self)
        self.level = QComboBox()
        self.level.addItem(self.tr("No alert (lift)"), None)
        self.level.addItem(self.tr("Yellow"), AlertLevel.YELLOW.value)
        self.level.addItem(self.tr("Orange"), AlertLevel.ORANGE.value)
        self.level.addItem(self.tr("Red"), AlertLevel.RED.value)
        if current is not None and current.level is not None:
            self.level.setCurrentIndex(self.level.findData(current.level.value))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Forecast and reason (required)"))
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class DrillDialog(QDialog):
    """Start a drill: which scenario, how fast."""

    def __init__(self, scenarios: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start a drill"))
        form = QFormLayout(self)
        self.scenario = QComboBox()
        for name in scenarios:
            self.scenario.addItem(name, name)
        self.speed = QSpinBox()
        self.speed.setRange(1, MAX_SPEED)
        self.speed.setValue(60)
        self.speed.setSuffix("×")
        form.addRow(self.tr("Scenario"), self.scenario)
        form.addRow(self.tr("Speed"), self.speed)
        note = QLabel(
            self.tr(
                "Everything the drill produces is marked exercise and can be removed as a "
                "whole afterwards."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ReportDialog(QDialog):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(900, 600)


class EmergencyIntegration(QObject):
    """The emergency part of one workstation's window."""

    def __init__(
        self,
        workspace: Workspace,
        emergencies: EmergencyDesk,
        drills: DrillControl | None = None,
    ) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.window = workspace.window
        self.desk = workspace.desk
        self.calls = workspace.calls
        self.emergencies = emergencies
        self._tasks = BackgroundTasks(
            "emergency task", log, lambda text: self.say(text, error=True)
        )
        self._generation = 0
        self.view: EmergencyView | None = None
        self.alert: AlertView | None = None
        self.export_dir = Path.home()
        # The affected area on the wall's map: the tool is made once the window has a wall
        # (the wall arrives after the live feed, later than this part).
        self.area_tool: AreaTool | None = None
        self.pending_area: Area | None = None  # drawn, not stored yet
        self._area_case: int | None = None  # the emergency the map's area belongs to
        self._wanted_type: str | None = None
        self._type_busy = False
        self.cap_dialog: CapPreviewDialog | None = None  # the preview open now, if any

        self.banner = AlertBanner()
        self.window.add_view(
            "alert_banner", self.banner, "top", self.tr("Pollution alert"), scroll=False
        )
        self.panel = EmergencyPanel(
            self.desk.clock, workspace.unit_name, self.emergencies.station_name
        )
        dock = self.window.add_view("emergency", self.panel, "right", self.tr("Emergency"))
        if dock is not None:
            self.window.prefer_dock_width("emergency", 560)
            case_dock = self.window.docks.get("case")
            if case_dock is not None:  # a tab beside the selected case, full height
                self.window.tabifyDockWidget(case_dock, dock)

        self.menu = QMenu(self.tr("&Emergencies"), self.window)
        self.menu.setObjectName("menuEmergencies")
        self.window.menuBar().insertMenu(self.window.menu_view.menuAction(), self.menu)
        add = self.window.add_action
        add(
            "alert_change",
            self.tr("Change heavy-pollution alert…"),
            self.menu,
            lambda: self.spawn(self.change_alert_dialog()),
        )
        add(
            "emergency_log_focus",
            self.tr("Coordination log entry"),
            self.menu,
            self.panel.log_entry.setFocus,
            "Ctrl+L",
        )
        add(
            "emergency_export_log",
            self.tr("Export coordination log as PDF…"),
            self.menu,
            lambda: self.spawn(self.export_log_dialog()),
        )
        add(
            "emergency_import_cap",
            self.tr("Import CAP message…"),
            self.menu,
            lambda: self.spawn(self.import_cap_dialog()),
        )

        self.menu.addSeparator()
        add(
            "drill_start",
            self.tr("Start a drill…"),
            self.menu,
            lambda: self.spawn(self.start_drill_dialog()),
        )
        add("drill_end", self.tr("End the drill"), self.menu, self.end_drill)
        add(
            "drill_report",
            self.tr("Drill report…"),
            self.menu,
            lambda: self.spawn(self.show_drill_report()),
        )
        add(
            "drill_remove",
            self.tr("Remove the drill's cases (shift leader)…"),
            self.menu,
            lambda: self.spawn(self.remove_drill()),
        )
        # The session's drill runner (None: the desk runs without drills, their entries hide).
        self.drills = drills
        for name in ("drill_start", "drill_end", "drill_report", "drill_remove"):
            self.window.actions_by_name[name].setVisible(drills is not None)
        # A drill's data service is a child process: closing the window ends the drill.
        self.window.destroyed.connect(self.end_drill)
        self.window.destroyed.connect(self.panel.trends.shutdown)
        self.window.closing.connect(self._cancel_tasks)  # closing, or the officer logs out

        p = self.panel
        p.figures_submitted.connect(lambda f: self.spawn(self.submit_figures(f)))
        p.level_decided.connect(lambda lv, r: self.spawn(self.decide_level(lv, r)))
        p.plan_activation_requested.connect(lambda pid: self.spawn(self.activate_plan(pid)))
        p.step_finished.connect(
            lambda sid, ver, outcome, reason: self.spawn(
                self.finish_step(sid, ver, outcome, reason)
            )
        )
        p.log_submitted.connect(lambda text: self.spawn(self.submit_log(text)))
        p.export_requested.connect(lambda: self.spawn(self.export_log_dialog()))
        p.cap_box.send_requested.connect(lambda kind: self.spawn(self.send_cap(kind)))
        p.cap_box.export_requested.connect(lambda mid: self.spawn(self.export_cap_dialog(mid)))
        p.station_requested.connect(self.show_station)
        p.station_focused.connect(self.show_linked_trends)
        p.step_dispatch_requested.connect(lambda sid: self.spawn(self.dispatch_step(sid)))
        p.task_requested.connect(
            lambda st, params, every: self.spawn(self.assign_monitoring(st, params, every))
        )
        p.sample_submitted.connect(
            lambda tid, ver, values: self.spawn(self.record_sample(tid, ver, values))
        )
        p.set_station_choices(sorted(self.emergencies.resources.station_names.items()))
        p.type_changed.connect(lambda kind: self.spawn(self.set_type(kind)))
        p.wind_changed.connect(lambda wind: self.spawn(self.set_wind(wind)))
        p.area_draw_requested.connect(self.draw_area)
        p.area_clear_requested.connect(lambda: self.spawn(self.clear_area()))
        p.area_save_requested.connect(lambda: self.spawn(self.save_pending_area()))
        p.stations_propose_requested.connect(lambda: self.spawn(self.propose_stations()))
        p.station_remove_requested.connect(lambda sid: self.spawn(self.remove_station(sid)))
        p.station_add_requested.connect(lambda sid: self.spawn(self.add_station(sid)))
        self.banner.change_requested.connect(lambda: self.spawn(self.change_alert_dialog()))
        self.banner.open_case_requested.connect(workspace.open_case)
        workspace.queue.current_case_changed.connect(self.on_current_case)
        workspace.events.changed.connect(self.on_changed)
        self.update_permissions()
        self.spawn(self.refresh_alert())
        current = workspace.queue.current_case_id()
        if current is not None:
            self.on_current_case(current)

    # ---- plumbing ------------------------------------------------------------------------
    def spawn(self, coro: Any) -> asyncio.Future[Any]:
        return self._tasks.spawn(coro)

    def _cancel_tasks(self) -> None:
        self._tasks.cancel_all()

    def say(self, text: str, error: bool = False) -> None:
        say_in_status_bar(self.window.status, text, error)
        self.panel.show_message(("⚠ " + text) if error else "")

    def update_permissions(self) -> None:
        can_work = self.desk.can(Permission.WORK_CASES)
        can_decide = self.desk.can(Permission.SET_EMERGENCY_LEVEL)
        self.panel.set_enabled(can_work, can_decide)
        self.banner.change_button.setVisible(can_decide)
        set_available(
            self.window.actions_by_name["alert_change"],
            reason_text(self.desk.permission_refusal(Permission.SET_EMERGENCY_LEVEL)),
        )

    # ---- showing -------------------------------------------------------------------------
    def on_current_case(self, case_id: int | None) -> None:
        if case_id != self._area_case:
            self._drop_area()  # another case: its area (or none) replaces this one's
        self.spawn(self.load(case_id))

    async def load(self, case_id: int | None) -> None:
        self._generation += 1
        generation = self._generation
        if case_id is None:
            return
        case = await self.calls.call(self.desk.get_case, case_id)
        if case.kind is not CaseKind.EMERGENCY:
            return
        view = await self.calls.call(self.emergencies.get, case_id)
        entries = await self.calls.call(self.emergencies.log_entries, case_id)
        records = await self.calls.call(self.emergencies.cap_messages, case_id)
        if generation != self._generation:
            return
        self.view = view
        self.panel.cap_box.show_records(records)
        offered = self.emergencies.plans_for(view.detail.type)
        rest = [p for p in self.emergencies.plans.values() if p not in offered]
        # Active plans stay in the box, marked, and the box shows the one started last.
        active = [a.plan_id for a in sorted(view.activations, key=lambda a: a.activated_at)]
        self.panel.set_plans([(p.id, p.title) for p in offered + rest], active, view.case.id)
        self.panel.show_emergency(view, entries)
        self._area_case = case_id
        tool = self.map_tool()
        if tool is not None:
            tool.show_area(view.detail.area, view.case.reference)
        self.update_permissions()
        dock = self.window.docks.get("emergency")
        if dock is not None:
            dock.show()
            dock.raise_()

    async def reload(self) -> None:
        if self.view is not None:
            await self.load(self.view.case.id)

    async def refresh_alert(self) -> None:
        self.alert = await self.calls.call(self.emergencies.current_alert)
        self.banner.set_alert(self.alert)

    def on_changed(self, event: Changed) -> None:
        if event.topic == "alert":
            self.spawn(self.refresh_alert())
        elif (
            event.topic == "case" and self.view is not None and event.entity_id == self.view.case.id
        ):
            if event.action == "delete":  # a drill's case removed: nothing left to show
                self._generation += 1
                self.view = None
                self.panel.show_none()
                return
            self.spawn(self.reload())

    # ---- actions -------------------------------------------------------------------------
    async def _act(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = await self.calls.call(fn, *args, **kwargs)
        except Exception as exc:
            self.say(describe_error(exc), error=True)
            await self.reload()  # show what is in the database now; the officer's input stays
            return None
        self.panel.show_message("")
        await self.reload()
        return result

    async def submit_figures(self, figures: Figures) -> None:
        if self.view is not None:
            await self._act(
                self.emergencies.update_figures, self.view.case.id, self.view.case.version, figures
            )

    async def decide_level(self, level: str, reason: str) -> None:
        if self.view is not None:
            done = await self._act(
                self.emergencies.decide_level,
                self.view.case.id,
                self.view.case.version,
                level,
                reason,
            )
            if done is not None:
                self.panel.level_reason.clear()

    async def activate_plan(self, plan_id: str) -> None:
        if self.view is not None:
            await self._act(self.emergencies.activate_plan, self.view.case.id, plan_id)

    async def finish_step(self, step_id: int, version: int, outcome: str, reason: str) -> None:
        done = await self._act(self.emergencies.finish_step, step_id, version, outcome, reason)
        if done is not None:
            self.panel.skip_reason.clear()

    def show_station(self, station_id: str) -> bool:
        """Open an affected station's trend on the monitoring wall (when the window hosts
        one: the wall's `select_station`), so the case and the live data sit side by side."""
        wall = self.workspace.wall
        if wall is None or not wall.select_station(station_id):
            self.say(self.tr("No monitoring wall to show {0}").format(station_id), error=True)
            return False
        self._bring_wall()
        return True

    def _bring_wall(self) -> None:
        """The wall in front: its tab, or its own window when the officer detached it."""
        self.window.show_view("wall")

    # ---- place, area and affected stations ---------------------------------------------
    def show_linked_trends(self, station_id: str) -> None:
        """The selected affected station's last day in the case, from the wall's series
        source (the window's data service); without a wall the chart says there is none."""
        wall = self.workspace.wall
        trends = self.panel.trends
        trends.set_source(wall.trend.loader.source if wall is not None else None)
        resources = self.emergencies.resources
        kind = next((s.kind for s in resources.stations if s.id == station_id), "")
        parameters = linked_parameters(kind, resources.station_parameters.get(station_id, ()))
        trends.show_station(
            station_id, self.emergencies.station_name(station_id), parameters, self.desk.clock()
        )

    def map_tool(self) -> AreaTool | None:
        """The area tool on the wall's map, or None when the window hosts no wall."""
        wall = self.workspace.wall
        if wall is None:
            return None
        view: MapView = wall.map
        if self.area_tool is None or self.area_tool.view is not view:
            self.area_tool = AreaTool(view)
            self.area_tool.finished.connect(self.area_drawn)
            self.area_tool.cancelled.connect(
                lambda: self.say(self.tr("Drawing cancelled: nothing saved"))
            )
        return self.area_tool

    def _drop_area(self) -> None:
        tool = self.area_tool
        if tool is not None:
            tool.cancel()
            tool.show_pending(None)
            tool.show_area(None)
        self.pending_area = None
        self.panel.set_pending_area(None)
        self._area_case = None

    def draw_area(self, shape: Shape) -> bool:
        """Start drawing the selected emergency's area on the wall's map (its tab comes to
        the front); the drawn area is saved when the officer finishes."""
        if self.view is None:
            self.say(self.tr("Select an emergency case first"), error=True)
            return False
        tool = self.map_tool()
        if tool is None:
            self.say(self.tr("No monitoring wall to draw the area on"), error=True)
            return False
        self._bring_wall()
        tool.start(shape)
        self.say(self.tr("Draw the area on the monitoring wall's map"))
        return True

    def area_drawn(self, area: Area) -> None:
        if self.view is None or self.view.case.id != self._area_case:
            if self.area_tool is not None:
                self.area_tool.show_pending(None)
            return
        self.pending_area = area
        self.panel.set_pending_area(area)
        self.spawn(self.save_area(area))

    async def save_area(self, area: Area) -> None:
        """Store the area; refused (a conflict, a lost connection), it stays drawn and the
        panel offers to save it again."""
        if self.view is None:
            return
        done = await self._act(
            self.emergencies.set_area,
            self.view.case.id,
            self.view.case.version,
            area,
            self.view.detail.wind_from_deg,
        )
        if done is not None and self.pending_area == area:
            self.pending_area = None
            self.panel.set_pending_area(None)
            if self.area_tool is not None:
                self.area_tool.show_pending(None)

    async def save_pending_area(self) -> None:
        if self.pending_area is not None:
            await self.save_area(self.pending_area)

    async def clear_area(self) -> None:
        if self.view is None:
            return
        if self.area_tool is not None:
            self.area_tool.cancel()
        done = await self._act(
            self.emergencies.set_area,
            self.view.case.id,
            self.view.case.version,
            None,
            self.view.detail.wind_from_deg,
        )
        if done is not None:
            self.pending_area = None
            self.panel.set_pending_area(None)
            if self.area_tool is not None:
                self.area_tool.show_pending(None)

    async def set_type(self, kind: str) -> None:
        """Store the officer's type. Arrow keys on the combo choose several in a row: one
        write at a time, the last choice wins (each write needs the version the previous one
        made)."""
        self._wanted_type = kind
        if self._type_busy:
            return
        self._type_busy = True
        try:
            while self.view is not None and self._wanted_type not in (
                None,
                self.view.detail.type.value,
            ):
                wanted = self._wanted_type
                done = await self._act(
                    self.emergencies.set_type, self.view.case.id, self.view.case.version, wanted
                )
                if done is None:
                    break
        finally:
            self._type_busy = False
            self._wanted_type = None

    async def set_wind(self, wind: float | None) -> None:
        if self.view is not None:
            await self._act(
                self.emergencies.set_area,
                self.view.case.id,
                self.view.case.version,
                self.view.detail.area,
                wind,
            )

    async def propose_stations(self) -> None:
        """Add to the affected stations those downstream or downwind of the area's centre
        (else the case's place) and those inside the area; the officer's own stay."""
        view = self.view
        if view is None:
            return
        d = view.detail
        lon, lat = d.area.centre() if d.area is not None else (view.case.lon, view.case.lat)
        if lon is None or lat is None:
            self.say(self.tr("Draw the area first: the case has no place"), error=True)
            return
        proposed = await self.calls.call(
            self.emergencies.propose_stations, d.type, lon, lat, d.wind_from_deg
        )
        inside = stations_inside(self.emergencies.resources.stations, d.area, d.type)
        ids = list(dict.fromkeys([*d.affected_stations, *(a.id for a in proposed), *inside]))
        added = len(ids) - len(d.affected_stations)
        if added == 0:
            self.say(self.tr("No stations to add: every proposed station is in the list"))
            return
        done = await self._act(
            self.emergencies.set_affected_stations, view.case.id, view.case.version, ids
        )
        if done is not None:
            self.say(self.tr("{0} stations added from the area").format(added))

    async def remove_station(self, station_id: str) -> None:
        view = self.view
        if view is not None:
            ids = [i for i in view.detail.affected_stations if i != station_id]
            await self._act(
                self.emergencies.set_affected_stations, view.case.id, view.case.version, ids
            )

    async def add_station(self, station_id: str) -> None:
        view = self.view
        if view is None:
            return
        if station_id in view.detail.affected_stations:
            self.say(self.tr("{0} is already an affected station").format(station_id), error=True)
            return
        ids = [*view.detail.affected_stations, station_id]
        done = await self._act(
            self.emergencies.set_affected_stations, view.case.id, view.case.version, ids
        )
        if done is not None:
            self.panel.station_added()

    async def dispatch_step(self, step_id: int) -> None:
        await self._act(self.emergencies.dispatch_step, step_id)

    async def assign_monitoring(self, station: str, parameters: list[str], every: int) -> None:
        if self.view is not None:
            await self._act(
                self.emergencies.assign_monitoring, self.view.case.id, station, parameters, every
            )

    async def record_sample(self, task_id: int, version: int, values: dict[str, float]) -> None:
        done = await self._act(self.emergencies.record_sample, task_id, version, values)
        if done is not None:
            self.panel.sample_recorded()

    async def submit_log(self, text: str) -> None:
        if self.view is None:
            return
        entry = await self._act(self.emergencies.log, self.view.case.id, text)
        if entry is not None:
            self.panel.log_recorded()

    async def _cap_problems(self, msg: cap.CapMessage) -> list[CapProblem]:
        result: list[CapProblem] = await self.calls.call(self.emergencies.cap_problems, msg)
        return result

    async def _preview(
        self,
        draft: CapDraft,
        send: Any,
        confirm_text: Any = None,
    ) -> Any:
        """Show the preview; ``send(choices)`` runs on confirmation and its result is
        returned (None when the officer closed the preview: nothing was sent)."""
        dialog = CapPreviewDialog(draft, self._cap_problems, self.window, confirm_text)
        self.cap_dialog = dialog
        result: list[Any] = []

        async def confirmed(choices: CapChoices) -> None:
            try:
                done = await self.calls.call(send, choices)
            except Exception as exc:
                dialog.refused(describe_error(exc))
                return
            result.append(done)
            dialog.accept()

        dialog.confirmed.connect(lambda choices: self.spawn(confirmed(choices)))
        try:
            await self.workspace.run_dialog(dialog)
        finally:
            self.cap_dialog = None
        return result[0] if result else None

    async def send_cap(self, msg_type: str) -> CapRecord | None:
        """Preview the emergency's next CAP message (Alert, Update or Cancel); it is sent
        only when the officer confirms in the preview."""
        if self.view is None:
            return None
        case_id = self.view.case.id
        try:
            draft = await self.calls.call(self.emergencies.draft_cap, case_id, msg_type)
        except Exception as exc:
            self.say(describe_error(exc), error=True)
            return None

        def send(choices: CapChoices) -> CapRecord:
            return self.emergencies.send_cap(
                case_id,
                msg_type,
                recipients=[r.id for r in choices.recipients],
                based_on=draft.based_on,
                scope=choices.scope,
                instruction=choices.instruction,
                note=choices.note,
            )

        record: CapRecord | None = await self._preview(draft, send)
        if record is None:
            self.say(self.tr("CAP message not sent"))
            return None
        self.say(
            self.tr("CAP message {0} ({1}) sent to {2}").format(
                record.identifier, record.msg_type, "、".join(r.name for r in record.recipients)
            )
        )
        await self.reload()
        return record

    async def export_cap_dialog(self, message_id: int) -> Path | None:
        """Save a message's XML: a save dialog opened with open(), never a nested loop."""
        record = next((r for r in self.panel.cap_box.records if r.id == message_id), None)
        name = f"{record.identifier if record else 'cap'}.xml"
        path = await ask_save_file(
            self.window,
            self.tr("Export CAP message"),
            str(self.export_dir / name),
            self.tr("CAP 1.2 message (*.xml)"),
            default_suffix="xml",
        )
        if path is None:
            return None
        self.export_dir = path.parent
        try:
            written: Path = await self.calls.call(self.emergencies.save_cap_xml, message_id, path)
        except Exception as exc:
            self.say(describe_error(exc), error=True)
            return None
        self.say(self.tr("CAP message exported to {0}").format(str(written)))
        return written

    async def export_log(self, path: Path) -> Path:
        """Write the current emergency's log as a PDF at ``path``."""
        assert self.view is not None
        view = await self.calls.call(self.emergencies.get, self.view.case.id)
        entries = await self.calls.call(self.emergencies.log_entries, self.view.case.id)
        user = self.desk.current_user
        prepared = user.display_name if user else ""
        written = export_log_pdf(
            path, view, entries, prepared, self.desk.clock(), self.workspace.unit_name
        )
        self.say(self.tr("Log exported to {0}").format(str(written)))
        return written

    async def export_log_dialog(self) -> None:
        if self.view is None:
            self.say(self.tr("Select an emergency case first"), error=True)
            return
        name = f"{self.view.case.reference}-ICS214.pdf"
        path = await ask_save_file(
            self.window,
            self.tr("Export coordination log"),
            str(self.export_dir / name),
            "PDF (*.pdf)",
            default_suffix="pdf",
        )
        if path is not None and self.view is not None:
            self.export_dir = path.parent
            await self.export_log(path)

    async def import_cap_dialog(self) -> None:
        path = await ask_open_file(
            self.window, self.tr("Import CAP message"), str(self.export_dir), "CAP (*.xml)"
        )
        if path is None:
            return
        district = self.view.case.district.value if self.view else "tianning"
        result = await self._act(self.emergencies.import_cap, path.read_bytes(), district)
        if result is not None:
            self.say(
                self.tr("CAP message {0}: {1}").format(result.record.identifier, result.action)
            )

    async def change_alert(self, level: str | None, reason: str) -> AlertView | None:
        await self.refresh_alert()
        seq = self.alert.seq if self.alert is not None else 0
        result: AlertView | None = await self._act(
            self.emergencies.change_alert, level, reason, expected_seq=seq
        )
        await self.refresh_alert()
        return result

    async def change_alert_dialog(self) -> None:
        await self.refresh_alert()
        dialog = AlertDialog(self.alert, self.window)
        if await self.workspace.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            await self.change_alert_previewed(dialog.level.currentData(), dialog.reason.text())

    async def change_alert_previewed(self, level: str | None, reason: str) -> AlertView | None:
        """The alert change's CAP message is previewed; confirming changes the alert and
        sends it to the recipients ticked, in one step."""
        await self.refresh_alert()
        seq = self.alert.seq if self.alert is not None else 0
        try:
            draft = await self.calls.call(self.emergencies.draft_alert_cap, level, reason)
        except Exception as exc:
            self.say(describe_error(exc), error=True)
            return None

        def send(choices: CapChoices) -> AlertView:
            return self.emergencies.change_alert(
                level,
                reason,
                expected_seq=seq,
                cap_recipients=[r.id for r in choices.recipients],
                cap_scope=choices.scope,
                cap_instruction=choices.instruction,
                cap_note=choices.note,
            )

        def confirm_text(n: int) -> str:
            return self.tr("Change the alert and send CAP to %n recipient(s)", "", n)

        view: AlertView | None = await self._preview(draft, send, confirm_text)
        await self.refresh_alert()
        if view is None:
            self.say(self.tr("Alert not changed: nothing was sent"))
        else:
            await self.reload()
        return view

    # ---- drills ------------------------------------------------------------------------
    @property
    def drill_id(self) -> int | None:
        """The drill last started or chosen (the session's), None without one."""
        return self.drills.drill_id if self.drills is not None else None

    @drill_id.setter
    def drill_id(self, drill_id: int | None) -> None:
        if self.drills is not None:
            self.drills.drill_id = drill_id

    def drills_desk(self) -> DrillDesk:
        if self.drills is None:
            raise RuntimeError("this desk runs without drills")
        return self.drills.drills

    async def start_drill_dialog(self) -> None:
        scenarios = sorted(p.stem for p in (default_resources_dir() / "scenarios").glob("*.toml"))
        dialog = DrillDialog(scenarios, self.window)
        if await self.workspace.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.start_drill(dialog.scenario.currentData(), float(dialog.speed.value()))

    def start_drill(self, scenario: str, speed: float) -> None:
        """Play the scenario through the data service (the session's drill runner, in a worker
        thread) until "End the drill"; the cases it opens arrive through the desk's events."""
        if self.drills is None:
            return
        if not self.drills.start(scenario, speed):
            self.say(self.tr("A drill is already running"), error=True)
            return
        self.say(self.tr("Drill started: {0} at {1}×").format(scenario, f"{speed:g}"))

    def end_drill(self) -> None:
        if self.drills is not None and self.drills.end():
            self.say(self.tr("Drill ending"))

    async def show_drill_report(self) -> None:
        if self.drill_id is None:
            self.say(self.tr("No drill yet"), error=True)
            return
        report = await self.calls.call(self.drills_desk().report, self.drill_id)
        dialog = ReportDialog(self.tr("Drill report"), report.text(), self.window)
        await self.workspace.run_dialog(dialog)

    async def remove_drill(self) -> None:
        if self.drill_id is None:
            self.say(self.tr("No drill yet"), error=True)
            return
        drill = await self._act(self.drills_desk().remove, self.drill_id)
        if drill is not None:
            self.say(self.tr("Drill removed: {0} cases").format(len(drill.case_ids)))
