"""The logged-in desk: main window, queue, case details, actions, live events.

This is the seam between widgets and the desk: every use case is one desk call awaited in the
executor (ui.shell.desk_calls); every change, ours or another workstation's, arrives as a desk event
and updates only what it touches.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QWidget

from dispatch_app.config import DEFAULT_FONT_PT, MAX_FONT_PT, MIN_FONT_PT
from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.emergencies import EmergencyDesk
from dispatch_app.desk.errors import CaseConflict
from dispatch_app.desk.events import Changed
from dispatch_app.desk.petitions import DeadlineView, PetitionDesk
from dispatch_app.desk.views import CaseDetail, CaseView
from dispatch_app.domain.cases import CaseDraft, CaseKind
from dispatch_app.domain.petition_deadlines import DeadlineState as PetitionDeadlineState
from dispatch_app.domain.roles import Permission
from dispatch_app.session import DeskParts, DrillControl, LiveFeed
from ui.alarms.integration import AlarmIntegration
from ui.cases.action_dialogs import (
    ConflictDialog,
    Dismissed,
    DispatchDialog,
    TextActionDialog,
)
from ui.cases.action_state import (
    WORKFLOW_ACTIONS,
    apply_to_actions,
    case_refusals,
    panel_buttons,
    reason_text,
)
from ui.cases.case_details import CaseDetailsPanel
from ui.cases.case_form import CaseEditDialog, CaseFormDialog
from ui.cases.closure_requests import PendingClosures
from ui.cases.queue_model import Countdown
from ui.cases.queue_view import QueuePanel
from ui.emergencies.integration import EmergencyIntegration
from ui.petitions.formats import deadline_label
from ui.petitions.integration import PetitionIntegration
from ui.shell import labels
from ui.shell.background_tasks import BackgroundTasks, say_in_status_bar
from ui.shell.desk_calls import DeskCalls
from ui.shell.errors import describe_error
from ui.shell.feed_bridge import FeedHandle, install_feed
from ui.shell.i18n import LANGUAGE_NAMES, current_language
from ui.shell.main_window import MainWindow
from ui.shell.shortcuts_dialog import ShortcutsDialog
from ui.shell.theme import apply_theme, current_theme
from ui.shell.user_admin import UserAdminDialog
from ui.wall.link import WallLink
from ui.wall.monitoring_wall import MonitoringWall, install_wall
from ui.widgets.input_guard import guard_inputs

log = logging.getLogger(__name__)

SIMPLE_ACTIONS = ("triage", "acknowledge", "arrive", "approve_close")
"""Transitions done at once, without a dialog: keyboard-first work on the queue (a shift
leader approves a closure request with one key, having read it in the case panel).
Resolving asks for the outcome, which the timeline records."""


_PETITION_STATE = {
    PetitionDeadlineState.OVERDUE: "overdue",
    PetitionDeadlineState.MET_LATE: "overdue",  # met after the deadline: a breach, in red
    PetitionDeadlineState.DUE_1D: "at_risk",
    PetitionDeadlineState.DUE_3D: "at_risk",
}


def petition_countdown(view: DeadlineView | None) -> Countdown | None:
    """A petition's governing statutory deadline as the queue's countdown: amber 3 days and 1
    day before (信访工作条例 reminders), red when overdue."""
    if view is None:
        return None
    return Countdown(
        label=deadline_label(view.deadline),
        due_at=view.deadline.due_at,
        state=_PETITION_STATE.get(view.state, "ok"),
    )


class DeskEvents(QObject):
    """Moves desk events (published on executor or change-feed threads) to the UI thread."""

    changed = Signal(object)

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = desk.events.subscribe(self.changed.emit)

    def detach(self) -> None:
        self._unsubscribe()


class Workspace(QObject):
    appearance_changed = Signal(str, int)
    """Theme name and text size in points, after the officer changed them."""
    logout_requested = Signal()
    """File → Log out / switch user: the application tears this workspace down and asks for
    the next login."""
    language_requested = Signal(str)
    """View → Language: the application rebuilds the window in that language for the same
    officer (every text is set when a widget is built, so a new window is the honest switch)."""

    def __init__(
        self,
        desk: Desk,
        calls: DeskCalls,
        *,
        layout_file: Path | None = None,
        database_text: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.calls = calls
        self.window = MainWindow(layout_file)
        self.active_dialog: QDialog | None = None
        self._tasks = BackgroundTasks("desk task", log, lambda text: self.say(text, error=True))
        self._detail_generation = 0
        self.detail: CaseDetail | None = None
        # The parts, set only here (install_parts, attach_feed and the install_* methods).
        self.petitions: PetitionIntegration | None = None
        self.emergencies: EmergencyIntegration | None = None
        self.alarms: AlarmIntegration | None = None
        self.feed: FeedHandle | None = None
        self.wall: MonitoringWall | None = None
        self.wall_link: WallLink | None = None
        self.theme = current_theme()
        self.font_pt = QApplication.font().pointSize() or DEFAULT_FONT_PT

        self.queue = QueuePanel(desk, calls)
        self.window.add_view("queue", self.queue, "center", self.tr("Case queue"))
        self.details = CaseDetailsPanel(unit_name=self.unit_name)
        # One clock for the queue's countdowns and the selected case's.
        self.details.follow_clock(desk.deadline, lambda: self.queue.model.now)
        self.queue.model.ticked.connect(self.details.tick)
        self.window.add_view("case", self.details, "right", self.tr("Selected case"))
        self.window.prefer_dock_width("case", 480)

        self.events = DeskEvents(desk, self)
        self.events.changed.connect(self.on_changed)
        self.queue.current_case_changed.connect(self.on_current_case)
        self.queue.open_requested.connect(self.open_case)
        self.queue.message.connect(lambda text: self.window.status.show_activity(text, 8000))
        self.queue.save_button.clicked.connect(lambda: self.spawn(self.save_filter()))
        self.queue.delete_button.clicked.connect(
            lambda: self.spawn(self.queue.delete_current_filter())
        )
        self.details.action_requested.connect(self.request_action)
        self._build_actions()
        self.pending = PendingClosures(self)
        self.events.changed.connect(self.pending.on_changed)

        user = desk.current_user
        if user is not None:
            self.window.status.set_user(user.display_name, labels.label(labels.ROLE, user.role))
        self.window.status.set_database(database_text)
        self.update_action_state()
        self._feed_problem: str | None = None
        self._health = QTimer(self)
        self._health.setInterval(2000)
        self._health.timeout.connect(self.check_change_feed)
        self._health.start()

    # ---- the session's parts -------------------------------------------------------------
    def install_parts(self, parts: DeskParts) -> None:
        """Petitions, emergencies and alarms add their menus, docks and timers to the window.

        A part the session could not open, or whose window part fails to install, is reported
        and the desk keeps running without it."""
        for problem in parts.problems:
            self.say(describe_error(problem.error), error=True)
        if parts.petitions is not None:
            self._install("petitions", partial(self.install_petitions, parts.petitions))
        if parts.emergencies is not None:
            self._install(
                "emergencies",
                partial(self.install_emergencies, parts.emergencies, parts.drills),
            )
        if parts.alarms is not None:
            self._install("alarms", partial(self.install_alarms, parts.alarms))

    def _install(self, name: str, install: Callable[[], QObject]) -> None:
        try:
            install()
        except Exception as exc:
            log.exception("installing the %s failed", name)
            self.say(describe_error(exc), error=True)

    def install_petitions(self, petition_desk: PetitionDesk) -> PetitionIntegration:
        """The petitions part; the queue counts petitions down to their statutory deadline."""
        integration = PetitionIntegration(self, self.window, petition_desk)
        self.petitions = integration

        async def petition_countdowns(ids: list[int]) -> dict[int, Countdown | None]:
            # On the read workers: one query per page, never behind the officer's own steps.
            views = await self.calls.read(petition_desk.queue_deadlines, ids)
            return {case_id: petition_countdown(view) for case_id, view in views.items()}

        self.queue.model.set_countdown_provider("petition", petition_countdowns)
        return integration

    def install_emergencies(
        self, emergency_desk: EmergencyDesk, drills: DrillControl | None = None
    ) -> EmergencyIntegration:
        """The alert banner, the emergency panel and the Emergencies menu (drills with it)."""
        self.emergencies = EmergencyIntegration(self, emergency_desk, drills)
        return self.emergencies

    def install_alarms(
        self,
        alarm_desk: AlarmDesk,
        *,
        sound: bool = False,
        evaluate_every_ms: int = 2000,
        tick_every_ms: int = 5000,
        data_clock: bool = False,
    ) -> AlarmIntegration:
        """The alarm panel, its rounds and the Alarm rules entry; ``data_clock`` judges on the
        data's time (a drill played at speed)."""
        self.alarms = AlarmIntegration(
            self,
            self.window,
            alarm_desk,
            sound=sound,
            evaluate_every_ms=evaluate_every_ms,
            tick_every_ms=tick_every_ms,
            data_clock=data_clock,
        )
        return self.alarms

    def attach_feed(self, feed: LiveFeed) -> None:
        """The session's live feed in this window: the station table, the status bar's
        data-service state, and the monitoring wall on it. A wall that fails is reported and
        the window runs without it."""
        self.feed = install_feed(self.window, feed.poller, embedded=feed.embedded)
        try:
            wall = install_wall(self.window, self.feed, feed.series_client)
        except Exception as exc:
            log.exception("installing the monitoring wall failed")
            self.say(describe_error(exc), error=True)
            return
        self.attach_wall(wall)

    def attach_wall(self, wall: MonitoringWall) -> None:
        """The monitoring wall, once the live feed brought it: its map shows the open cases
        and shares the selection with the queue, the case panel and the alarms."""
        self.wall = wall
        self.wall_link = WallLink(self, wall)

    def check_change_feed(self) -> None:
        """Shows in the status bar when other workstations' changes stop arriving."""
        problem = self.desk.change_feed_error
        if problem != self._feed_problem:
            self._feed_problem = problem
            self.window.status.set_database_problem(problem)

    # ---- helpers -------------------------------------------------------------------------
    def spawn(self, coro: Any) -> asyncio.Future[Any]:
        return self._tasks.spawn(coro)

    def say(self, text: str, error: bool = False) -> None:
        say_in_status_bar(self.window.status, text, error)
        if error:
            self.details.show_message(text)

    async def run_dialog(self, dialog: QDialog) -> int:
        """Shows ``dialog`` window-modal without a nested event loop and waits for it."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def finished(result: int) -> None:
            if not future.done():
                future.set_result(result)

        dialog.finished.connect(finished)
        guard_inputs(dialog)  # wheel only on the focused spin/combo box, Tab leaves text
        # A dialog may open over another (a conflict over the edit form): when it closes, the
        # one beneath is the active one again.
        previous = self.active_dialog
        self.active_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        try:
            return await future
        finally:
            if self.active_dialog is dialog:
                self.active_dialog = (
                    previous
                    if previous is not None and shiboken6.isValid(previous) and previous.isVisible()
                    else None
                )
            dialog.deleteLater()

    def unit_name(self, unit_id: str) -> str:
        unit = self.desk.unit_registry.get(unit_id)
        if unit is None:
            return unit_id
        return unit.name if current_language() == "zh" else unit.name_en

    # ---- menus and shortcuts -------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        add = w.add_action
        add("new_case", self.tr("New case…"), w.menu_file, self.new_case, "Ctrl+N", True)
        w.menu_file.addSeparator()
        add(
            "logout",
            self.tr("Log out / switch user…"),
            w.menu_file,
            self.logout_requested.emit,
            tip=self.tr("Hand the desk to the next officer without closing it"),
        )
        add("quit", self.tr("Quit"), w.menu_file, w.close, QKeySequence.StandardKey.Quit)
        for menu in (w.menu_file, w.menu_case, w.menu_queue):
            menu.setToolTipsVisible(True)  # a grey entry says why when the pointer rests on it

        def act(name: str) -> Callable[[], None]:
            return lambda: self.request_action(name)

        add("open_case", self.tr("Open selected case"), w.menu_case, self.open_current, "Return")
        w.actions_by_name["open_case"].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        w.menu_case.addSeparator()
        add("triage", self.tr("Triage"), w.menu_case, act("triage"), "Ctrl+T", True)
        add("dispatch", self.tr("Dispatch…"), w.menu_case, act("dispatch"), "Ctrl+D", True)
        add("acknowledge", self.tr("Acknowledge"), w.menu_case, act("acknowledge"), "Ctrl+K", True)
        add("arrive", self.tr("Arrived on scene"), w.menu_case, act("arrive"), "F6", True)
        add("resolve", self.tr("Resolved"), w.menu_case, act("resolve"), "F7", True)
        add(
            "request_close",
            self.tr("Request closure…"),
            w.menu_case,
            act("request_close"),
            "Shift+F8",
            True,
        )
        add(
            "approve_close",
            self.tr("Approve closure"),
            w.menu_case,
            act("approve_close"),
            "F12",
            True,
        )
        add(
            "refuse_close",
            self.tr("Refuse closure…"),
            w.menu_case,
            act("refuse_close"),
            "Shift+F12",
        )
        add("close", self.tr("Close…"), w.menu_case, act("close"), "F8", True)
        add("cancel", self.tr("Cancel case…"), w.menu_case, act("cancel"))
        add("reopen", self.tr("Reopen…"), w.menu_case, act("reopen"))
        w.menu_case.addSeparator()
        add("note", self.tr("Add note…"), w.menu_case, act("note"), "Ctrl+M", True)
        add("edit", self.tr("Edit…"), w.menu_case, lambda: self.spawn(self.edit_case()), "F4")
        # Both keys work; the menu shows the first.
        w.actions_by_name["edit"].setShortcuts([QKeySequence("F4"), QKeySequence("Ctrl+E")])

        add("search", self.tr("Search"), w.menu_queue, self.queue.focus_search, "/")
        w.actions_by_name["search"].setShortcuts([QKeySequence("/"), QKeySequence("Ctrl+F")])
        add("next_case", self.tr("Next case"), w.menu_queue, lambda: self._move(1), "J")
        add("previous_case", self.tr("Previous case"), w.menu_queue, lambda: self._move(-1), "K")
        for name in ("next_case", "previous_case"):
            # J/K are handled by the table itself; the menu entries document them.
            w.actions_by_name[name].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        add(
            "refresh",
            self.tr("Refresh"),
            w.menu_queue,
            lambda: self.spawn(self.queue.model.reload()),
            "F5",
        )
        add(
            "bulk_assign",
            self.tr("Assign selected cases…"),
            w.menu_queue,
            lambda: self.request_action("dispatch"),
            "Ctrl+Shift+D",
        )
        add(
            "save_filter",
            self.tr("Save filter…"),
            w.menu_queue,
            lambda: self.spawn(self.save_filter()),
        )

        add(
            "users",
            self.tr("Users and roles…"),
            w.menu_admin,
            lambda: self.spawn(self.manage_users()),
        )
        w.menu_admin.menuAction().setVisible(self.desk.can(Permission.MANAGE_USERS))
        add("shortcuts", self.tr("Keyboard shortcuts"), w.menu_help, self.show_shortcuts, "F1")
        w.menu_view.addSeparator()
        add("theme_dark", self.tr("Dark theme"), w.menu_view, lambda: self.set_appearance("dark"))
        add(
            "theme_light", self.tr("Light theme"), w.menu_view, lambda: self.set_appearance("light")
        )
        self._build_language_menu()
        add("text_larger", self.tr("Larger text"), w.menu_view, lambda: self.step_font(1), "Ctrl+=")
        add(
            "text_smaller",
            self.tr("Smaller text"),
            w.menu_view,
            lambda: self.step_font(-1),
            "Ctrl+-",
        )

    def _build_language_menu(self) -> None:
        """View → Language (语言): each language named in itself, the current one checked."""
        # In both languages: whoever reads either finds the way back.
        menu = self.window.menu_view.addMenu("语言 / Language")
        menu.setObjectName("languageMenu")
        group = QActionGroup(menu)
        for code, name in LANGUAGE_NAMES.items():
            action = menu.addAction(name)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setChecked(code == current_language())
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, c=code: self._choose_language(c))
            self.window.actions_by_name[f"language_{code}"] = action

    def _choose_language(self, language: str) -> None:
        if language != current_language():
            self.language_requested.emit(language)

    def set_appearance(self, theme: str | None = None, font_pt: int | None = None) -> None:
        """Switches theme or text size now (a projector, daylight in the room) and tells the
        application, which keeps the choice for the next start."""
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        self.theme = theme or self.theme
        self.font_pt = max(MIN_FONT_PT, min(MAX_FONT_PT, font_pt or self.font_pt))
        apply_theme(app, self.theme, self.font_pt)
        self.queue.fit_columns()
        self.queue.table.viewport().update()
        if self.detail is not None:
            self.details.update_deadline(self.detail)
        self.appearance_changed.emit(self.theme, self.font_pt)

    def step_font(self, step: int) -> None:
        self.set_appearance(font_pt=self.font_pt + step)

    def _move(self, step: int) -> None:
        self.queue.table.move_current(step)

    def show_shortcuts(self) -> None:
        """F1: the shortcuts in a dialog of their own (scrollable, sized for the screen)."""
        if isinstance(self.active_dialog, ShortcutsDialog) and self.active_dialog.isVisible():
            self.active_dialog.raise_()
            return
        dialog = ShortcutsDialog(list(self.window.actions_by_name.values()), self.window)
        self.spawn(self.run_dialog(dialog))

    def no_case_text(self) -> str:
        return self.tr("No case selected")

    def update_action_state(self) -> None:
        """Enable what the officer may do now; every other entry says why (tooltip and status
        tip), in the desk's words (``ui.cases.action_state``)."""
        case = self.detail.case if self.detail is not None else None
        refusals = case_refusals(self.desk, case, self.no_case_text())
        reasons = {n: reason_text(r) for n, r in refusals.items()}
        if len(self.queue.selected_case_ids()) > 1:
            # Several rows selected: Dispatch assigns them all (each case checked on its own).
            reasons["dispatch"] = reason_text(self.desk.permission_refusal(Permission.WORK_CASES))
        working = reason_text(self.desk.permission_refusal(Permission.WORK_CASES))
        reasons["new_case"] = working
        reasons["bulk_assign"] = working
        apply_to_actions(self.window.actions_by_name, reasons)

    # ---- start ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Shows the first page of the default queue (what needs action now, in its order)."""
        self.pending.schedule_recount()
        self.queue.status.setCurrentIndex(0)
        await self.queue.show_query(self.queue.query_from_controls())
        await self.queue.load_saved_filters()
        if self.queue.model.rowCount() and self.queue.current_case_id() is None:
            self.queue.select_row(0)
        self.queue.table.setFocus()

    # ---- selection and details ----------------------------------------------------------
    def on_current_case(self, case_id: int | None) -> None:
        self.spawn(self.load_detail(case_id))

    async def load_detail(self, case_id: int | None) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        if case_id is None:
            self.detail = None
            self.details.show_detail(None, {})
            self.update_action_state()
            return
        detail = await self.calls.call(self.desk.case_detail, case_id)
        if generation != self._detail_generation:
            return
        self.detail = detail
        self.details.show_detail(detail, panel_buttons(case_refusals(self.desk, detail.case)))
        self.update_action_state()

    def open_current(self) -> None:
        case_id = self.queue.current_case_id()
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: int) -> None:
        """Enter on a case: show its dock and put the keyboard in its action buttons."""
        dock = self.window.docks.get("case")
        if dock is not None:
            dock.show()
            dock.raise_()
        if self.detail is None or self.detail.case.id != case_id:
            self.spawn(self.load_detail(case_id))
        self.details.focus_first_action()

    # ---- live events ---------------------------------------------------------------------
    def on_changed(self, event: Changed) -> None:
        if event.topic == "case":
            self.spawn(self.queue.model.update_case(event.entity_id))
            shown = self.detail
            if (
                shown is not None
                and shown.case.id == event.entity_id
                and (event.version > shown.case.version or event.action == "note")
            ):
                self.spawn(self.load_detail(event.entity_id))
            if not event.local:
                self.window.status.show_activity(
                    self.tr("Case changed on another workstation: %1").replace(
                        "%1", labels.label(labels.ACTION, event.action)
                    ),
                    5000,
                )
        elif event.topic == "filter" and not event.local:
            self.spawn(self.queue.load_saved_filters())

    # ---- creating ------------------------------------------------------------------------
    def new_case(self) -> None:
        self.spawn(self.create_case())

    async def create_case(self, kind: str = "quality") -> Any:
        """File → New case…. With the petitions part installed, a petition is taken in through
        its intake (petitioner, channel, statutory deadlines), never as a generic case: the
        form's "Petition" choice hands over to it, and so does ``kind="petition"``."""
        petitions = self.petitions
        if petitions is not None and kind == CaseKind.PETITION.value:
            return await petitions.new_petition()

        async def create(draft: CaseDraft) -> CaseView:
            return await self.calls.call(self.desk.create_case, draft)

        dialog = CaseFormDialog(
            create, self.window, kind=kind, petition_intake=petitions is not None
        )
        result = await self.run_dialog(dialog)
        if dialog.routed_to_petition and petitions is not None:
            return await petitions.new_petition()
        if result != QDialog.DialogCode.Accepted:
            return None
        case: CaseView = dialog.created
        self.say(self.tr("Case %1 created.").replace("%1", case.reference))
        await self.queue.model.refresh()
        self.queue.select_case(case.id)
        return case

    # ---- editing -------------------------------------------------------------------------
    async def edit_case(self) -> CaseView | None:
        """Case → Edit…: the create form filled in from the selected case. A stale version
        shows the conflict (their values beside the officer's); the form keeps every typed
        character, and the officer reapplies onto the new version or keeps theirs."""
        if self.detail is None:
            self.say(self.tr("Select a case first."), error=True)
            return None
        action = self.window.actions_by_name["edit"]
        if not action.isEnabled():
            return None
        case = self.detail.case

        async def perform(changes: dict[str, Any]) -> CaseView:
            return await self._edit(case, changes, dialog)

        dialog = CaseEditDialog(perform, case, self.window)
        if await self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        edited: CaseView = dialog.created
        self.queue.model.apply_case(edited)
        await self.load_detail(case.id)
        self.say(self.tr("%1: changes saved.").replace("%1", case.reference))
        return edited

    async def _edit(
        self, case: CaseView, changes: dict[str, Any], form: CaseEditDialog
    ) -> CaseView:
        version = case.version
        while True:
            try:
                result: CaseView = await self.calls.call(
                    self.desk.edit_case, case.id, version, changes
                )
                return result
            except CaseConflict as conflict:
                their_rows, yours = form.compare_rows(conflict.theirs_case, changes)
                dialog = ConflictDialog(
                    conflict.theirs_case,
                    version,
                    self.tr("Edit case"),
                    yours,
                    form,
                    their_fields=their_rows,
                    text_editable=False,
                )
                if await self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
                    self.say(self.tr("Your change was not applied; the case shows their version."))
                    await self.load_detail(case.id)
                    raise Dismissed() from None
                # Onto their version: only the officer's changed fields are written, so what
                # the other workstation changed elsewhere stays.
                version = conflict.their_version

    # ---- working a case ------------------------------------------------------------------
    def request_action(self, action: str) -> None:
        self.spawn(self.perform_action(action))

    def _action_title(self, action: str) -> str:
        return labels.label(labels.ACTION, action)

    async def perform_action(self, action: str) -> Any:
        ids = self.queue.selected_case_ids()
        if action == "dispatch" and len(ids) > 1:
            return await self.bulk_dispatch(ids)
        if self.detail is None:
            self.say(self.no_case_text(), error=True)
            return None
        if action == "edit":
            return await self.edit_case()
        case = self.detail.case
        if action in WORKFLOW_ACTIONS:
            refused = self.desk.refusal(case, action)
            if refused is not None:
                # A shortcut reached a grey action: the same words as its tooltip, nothing sent.
                self.say(describe_error(refused), error=True)
                return None
        if action in SIMPLE_ACTIONS:
            return await self._transition(action, case, {"text": ""})
        if action == "dispatch":
            units = await self.calls.call(self.desk.units, case.district)

            async def perform(values: dict[str, Any]) -> Any:
                return await self._transition("dispatch", case, values, dialog)

            dialog = DispatchDialog(
                perform, units, 1, f"{case.reference}  {case.title}", self.window
            )
            await self.run_dialog(dialog)
            return dialog.result_value
        prompts = {
            "close": (self.tr("Close the case"), self.tr("Closing note"), True),
            "request_close": (
                self.tr("Request closure"),
                self.tr("Outcome and closing note"),
                True,
            ),
            "refuse_close": (
                self.tr("Refuse the closure request"),
                self.tr("Reason (goes back to the officer)"),
                False,
            ),
            "cancel": (self.tr("Cancel the case"), self.tr("Reason"), False),
            "reopen": (self.tr("Reopen the case"), self.tr("Reason for reopening"), False),
            "note": (self.tr("Add a note"), self.tr("Note"), False),
            "resolve": (self._action_title("resolve"), self.tr("Outcome"), False),
        }
        if action not in prompts:
            return None
        title, prompt, with_closure = prompts[action]
        required = (
            self.tr("Write the outcome: what was found and done. The timeline records it.")
            if action == "resolve"
            else None
        )

        async def perform_text(values: dict[str, Any]) -> Any:
            return await self._transition(action, case, values, text_dialog)

        text_dialog = TextActionDialog(
            perform_text,
            case,
            title,
            prompt,
            with_closure=with_closure,
            required=required,
            parent=self.window,
        )
        await self.run_dialog(text_dialog)
        return text_dialog.result_value

    def _call_for(self, action: str, case_id: int, version: int, values: dict[str, Any]) -> Any:
        text = values.get("text") or ""
        note = text if text.strip() else None
        desk = self.desk
        if action == "triage":
            return desk.triage(case_id, note=note, expected_version=version)
        if action == "acknowledge":
            return desk.acknowledge(case_id, note=note, expected_version=version)
        if action == "arrive":
            return desk.arrive(case_id, note=note, expected_version=version)
        if action == "resolve":
            return desk.resolve(case_id, note=note, expected_version=version)
        if action == "dispatch":
            return desk.dispatch(case_id, values["unit_id"], note=note, expected_version=version)
        if action == "close":
            return desk.close_case(
                case_id, values.get("closure_code") or "", text, expected_version=version
            )
        if action == "request_close":
            return desk.request_closure(
                case_id, values.get("closure_code") or "", text, expected_version=version
            )
        if action == "approve_close":
            return desk.approve_closure(case_id, expected_version=version)
        if action == "refuse_close":
            return desk.refuse_closure(case_id, text, expected_version=version)
        if action == "cancel":
            return desk.cancel(case_id, text, expected_version=version)
        if action == "reopen":
            return desk.reopen(case_id, text, expected_version=version)
        if action == "note":
            return desk.add_note(case_id, text)
        raise ValueError(f"unknown action {action}")

    async def _transition(
        self,
        action: str,
        case: CaseView,
        values: dict[str, Any],
        source: QWidget | None = None,
    ) -> Any:
        """One workflow action with the version the officer saw. On a conflict the officer
        sees both versions; their text is kept and can be reapplied on the new version."""
        version = case.version
        while True:
            try:
                result = await self.calls.call(self._call_for, action, case.id, version, values)
            except CaseConflict as conflict:
                dialog = ConflictDialog(
                    conflict.theirs_case,
                    version,
                    self._action_title(action),
                    values.get("text") or "",
                    self.window,
                )
                if await self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
                    self.say(self.tr("Your change was not applied; the case shows their version."))
                    await self.load_detail(case.id)
                    raise Dismissed() from None
                values = {**values, "text": dialog.text()}
                if isinstance(source, TextActionDialog):
                    source.text.setPlainText(dialog.text())
                version = conflict.their_version
                continue
            except Exception as exc:
                if source is None:
                    self.say(describe_error(exc), error=True)
                    return None
                raise
            break
        if isinstance(result, CaseView):
            self.queue.model.apply_case(result)
        await self.load_detail(case.id)
        self.say(
            self.tr("%1: %2 done.")
            .replace("%1", case.reference)
            .replace("%2", self._action_title(action))
        )
        return result

    async def bulk_dispatch(self, case_ids: list[int]) -> Any:
        units = await self.calls.call(self.desk.units, None)

        async def perform(values: dict[str, Any]) -> Any:
            note = values.get("text") or None
            result = await self.calls.call(
                self.desk.dispatch_many, case_ids, values["unit_id"], note=note
            )
            for case in result.done:
                self.queue.model.apply_case(case)
            if result.failed:
                reasons = "; ".join(
                    f"#{cid}: {describe_error(exc)}" for cid, exc in result.failed.items()
                )
                self.say(
                    self.tr("%1 dispatched, %2 not: %3")
                    .replace("%1", str(len(result.done)))
                    .replace("%2", str(len(result.failed)))
                    .replace("%3", reasons),
                    error=True,
                )
            else:
                self.say(self.tr("%1 cases dispatched.").replace("%1", str(len(result.done))))
            return result

        dialog = DispatchDialog(
            perform,
            units,
            len(case_ids),
            self.tr("Assign %1 selected cases to one unit").replace("%1", str(len(case_ids))),
            self.window,
        )
        await self.run_dialog(dialog)
        if self.detail is not None:
            await self.load_detail(self.detail.case.id)
        return dialog.result_value

    # ---- filters and administration ------------------------------------------------------
    async def save_filter(self, name: str | None = None) -> None:
        if name is None:
            dialog = QInputDialog(self.window)
            dialog.setObjectName("saveFilterDialog")
            dialog.setWindowTitle(self.tr("Save filter"))
            dialog.setLabelText(self.tr("Name of the filter"))
            dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
            if await self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            name = dialog.textValue()
        try:
            saved = await self.queue.save_current_filter(name)
        except Exception as exc:
            self.say(describe_error(exc), error=True)
            return
        self.say(self.tr("Filter “%1” saved.").replace("%1", saved.name))

    async def manage_users(self) -> None:
        dialog = UserAdminDialog(self.desk, self.calls, self.window)
        await dialog.reload()
        await self.run_dialog(dialog)

    # ---- shutdown ------------------------------------------------------------------------
    async def shutdown(self) -> None:
        """Tear the workspace down (the window closes, or the officer logs out): timers
        stopped, desk events unsubscribed, the live feed let go, tasks cancelled."""
        self._health.stop()
        self.pending.stop()
        self.queue.stop()
        self.events.detach()
        if self.feed is not None:
            try:
                await self.feed.stop()
            except Exception:
                log.exception("stopping the feed failed")
        self._tasks.cancel_all()
