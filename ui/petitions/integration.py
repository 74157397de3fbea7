"""Petitions in the desk window: `Workspace.install_petitions(petition_desk)` adds them.

It adds the Petitions menu (new petition, hotline call intake, the statutory steps, merge,
Open311 import/export), the petition panel docked beside the queue for the selected petition,
and the reminder strip with an overdue badge in the status bar. Every desk call is awaited in
the executor through the workspace's `DeskCalls`; every change arrives as a desk event and
refreshes what shows it, ours or another workstation's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu

from dispatch_app.desk import QueueQuery
from dispatch_app.desk.errors import CaseConflict
from dispatch_app.desk.events import Changed
from dispatch_app.desk.petitions import (
    REMINDER_TOPIC,
    PetitionDesk,
    PetitionView,
    RaisedReminder,
)
from dispatch_app.domain.petitions import PetitionDetail
from dispatch_app.domain.roles import Permission
from ui.cases.action_state import reason_text, set_available
from ui.petitions.dialogs import (
    CallbackDialog,
    DecisionDialog,
    ExtensionDialog,
    MergeDialog,
    Open311ExportDialog,
    Open311ImportDialog,
    ReasonDialog,
    ReplyDialog,
    StepTimeDialog,
    write_open311,
)
from ui.petitions.formats import deadline_label
from ui.petitions.intake import IntakeRequest, PetitionIntakeDialog
from ui.petitions.panel import PetitionPanel
from ui.petitions.reminders import OverduePetition, ReminderStrip
from ui.shell.background_tasks import BackgroundTasks, say_in_status_bar
from ui.shell.errors import describe_error
from ui.shell.main_window import MainWindow
from ui.widgets.file_dialogs import ask_open_file

if TYPE_CHECKING:
    from ui.shell.workspace import Workspace

log = logging.getLogger(__name__)

REMINDER_INTERVAL_MS = 60_000
"""collect_reminders every minute (its contract); a reminder is at most a minute late."""
LISTS_SETTLE_MS = 300
"""A burst of change-feed events (a reminder per deadline, a busy shift) re-reads the
reminder and overdue lists once, this long after the last of them."""
STEP_ACTIONS = (
    "decision",
    "notice",
    "contact",
    "extension",
    "reply",
    "callback",
    "follow_up",
    "merge",
    "unmerge",
    "attach",
    "reveal",
)


class StaleStep(Exception):
    """A step refused because the petition changed meanwhile, explained for the dialog that
    stays open (``message`` is what `describe_error` shows)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.message_zh = text

    def message(self, lang: str = "zh") -> str:
        return self.message_zh


class PetitionIntegration(QObject):
    """The petition part of one workstation's window."""

    def __init__(
        self,
        workspace: Workspace,
        window: MainWindow,
        petitions: PetitionDesk,
    ) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.window = window
        self.desk = workspace.desk
        self.calls = workspace.calls
        self.petitions = petitions
        self._generation = 0
        self._tasks = BackgroundTasks("petition task", log, lambda text: self.say(text, error=True))
        self._export_dir = Path.home()

        rules = self.petitions.rules
        self.panel = PetitionPanel(self.desk.clock, rules.deadlines.reminder_days)
        self.dock = window.add_view("petition", self.panel, "right", self.tr("Selected petition"))
        case_dock = window.docks.get("case")
        if self.dock is not None:
            window.prefer_dock_width("petition", 520)
            if case_dock is not None:
                # A tab beside the selected case: both need the full height of the side.
                window.tabifyDockWidget(case_dock, self.dock)
        self._case_dock = case_dock
        self.strip = ReminderStrip(self.desk.clock, workspace.unit_name)
        window.add_view("petition_reminders", self.strip, "bottom", self.tr("Petition deadlines"))
        self.badge = QLabel(window)
        self.badge.setObjectName("petitionOverdueBadge")
        self.badge.hide()
        window.status.addPermanentWidget(self.badge)

        self.menu = QMenu(self.tr("&Petitions"), window)
        self.menu.setObjectName("menuPetitions")
        window.menuBar().insertMenu(window.menu_view.menuAction(), self.menu)
        add = window.add_action
        add(
            "petition_call",
            self.tr("Hotline call: new petition…"),
            self.menu,
            lambda: self.spawn(self.new_petition(phone_call=True)),
            "F2",
            True,
            self.tr("Opens the intake form with the call clock running (12345/12369)"),
        )
        add(
            "petition_new",
            self.tr("New petition (letter, visit, online)…"),
            self.menu,
            lambda: self.spawn(self.new_petition(phone_call=False)),
            "Ctrl+Shift+N",
        )
        self.menu.addSeparator()
        steps = {
            "decision": (self.tr("Decision (accept, transfer, assign)…"), None),
            "notice": (self.tr("Written notice sent…"), None),
            "contact": (self.tr("Petitioner contacted…"), None),
            "extension": (self.tr("Extend the handling period (shift leader)…"), None),
            "reply": (self.tr("Reply to the petitioner…"), "Ctrl+Shift+R"),
            "callback": (self.tr("Satisfaction callback…"), "Ctrl+Shift+B"),
            "follow_up": (self.tr("Review or second review requested…"), None),
            "merge": (self.tr("Merge as a repeat petition…"), "Ctrl+Shift+M"),
            "unmerge": (self.tr("Undo merge…"), None),
            "attach": (self.tr("Add attachment…"), None),
        }
        for name, (text, shortcut) in steps.items():
            add(f"petition_{name}", text, self.menu, self._requester(name), shortcut)
        self.menu.addSeparator()
        add(
            "petition_import",
            self.tr("Import from Open311…"),
            self.menu,
            lambda: self.spawn(self.import_open311()),
        )
        add(
            "petition_export",
            self.tr("Export to Open311 (masked)…"),
            self.menu,
            lambda: self.spawn(self.export_open311()),
        )
        add(
            "petition_reminders",
            self.tr("Check petition deadlines now"),
            self.menu,
            lambda: self.spawn(self.refresh_reminders()),
        )

        self.panel.action_requested.connect(self.request)
        self.panel.open_case_requested.connect(self.open_case)
        self.panel.attachment_requested.connect(lambda i: self.spawn(self.open_attachment(i)))
        self.strip.open_case_requested.connect(self.open_case)
        self.strip.acknowledge_requested.connect(
            lambda reminder: self.spawn(self.acknowledge(reminder))
        )
        workspace.queue.current_case_changed.connect(self.on_current_case)
        workspace.events.changed.connect(self.on_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(REMINDER_INTERVAL_MS)
        self._timer.timeout.connect(lambda: self.spawn(self.refresh_reminders()))
        self._timer.start()
        # Another desk raised a reminder, or a case changed (a deadline met, a case closed):
        # re-read the lists every workstation shows, coalescing bursts.
        self._lists_timer = QTimer(self)
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(LISTS_SETTLE_MS)
        self._lists_timer.timeout.connect(lambda: self.spawn(self.refresh_lists()))
        self._lists_reads = 0  # the newest read started; an older one finishing later is dropped
        self.lists_shown = 0  # the read whose lists the strip shows (lets tests wait for it)
        self._stopped = False
        window.closing.connect(self.stop)
        self.update_actions()
        current = workspace.queue.current_case_id()
        if current is not None:
            self.on_current_case(current)
        self.spawn(self.refresh_reminders())

    # ---- plumbing ------------------------------------------------------------------------
    def spawn(self, coro: Any) -> asyncio.Future[Any]:
        return self._tasks.spawn(coro)

    def say(self, text: str, error: bool = False) -> None:
        say_in_status_bar(self.window.status, text, error)
        if error:
            self.panel.show_message(text)

    def _requester(self, name: str) -> Callable[[], None]:
        return lambda: self.request(name)

    def update_actions(self) -> None:
        """Menu entries follow the panel's buttons; a grey one says why (no petition shown,
        the role, or not at this stage of the petition)."""
        can_work = self.desk.can(Permission.WORK_CASES)
        self.strip.set_can_acknowledge(can_work)
        working = reason_text(self.desk.permission_refusal(Permission.WORK_CASES))
        for name in ("petition_call", "petition_new", "petition_import"):
            set_available(self.window.actions_by_name[name], working)
        enabled = {a: b.isEnabled() for a, b in self.panel.buttons.items()}
        for name in STEP_ACTIONS:
            action = self.window.actions_by_name.get(f"petition_{name}")
            if action is None:
                continue
            if enabled.get(name, False):
                reason = None
            elif self.panel.view is None:
                reason = self.tr("No petition selected")
            elif working is not None:
                reason = working
            else:
                reason = self.tr("Not possible at this stage of the petition")
            set_available(action, reason)

    def stop(self) -> None:
        """The window is closing: no more reminder checks or countdown ticks."""
        self._stopped = True
        self._timer.stop()
        self._lists_timer.stop()
        self.panel.stop()
        self._tasks.cancel_all()

    # ---- showing the selected petition ---------------------------------------------------
    def _kind_of(self, case_id: int) -> str | None:
        model = self.workspace.queue.model
        row = model.row_of(case_id)
        data = model.row_data(row) if row is not None else None
        return data.kind if data is not None else None

    def on_current_case(self, case_id: int | None) -> None:
        if case_id is not None and self._kind_of(case_id) not in (None, "petition"):
            self._generation += 1
            self.show(None)
            # Another kind: if our tab is the one in front, give the place back to the
            # generic case tab (other parts may then raise their own for their kind).
            if self._case_dock is not None and self.panel.isVisible():
                self._case_dock.raise_()
            return
        self.spawn(self.load(case_id, raise_dock=True))

    async def load(self, case_id: int | None, *, raise_dock: bool = False) -> PetitionView | None:
        self._generation += 1
        generation = self._generation
        if case_id is None:
            self.show(None)
            return None
        try:
            view = await self.calls.call(self.petitions.get, case_id)
        except Exception as exc:
            if generation == self._generation:
                self.show(None)
                if getattr(exc, "key", "") != "error.not_a_petition":
                    self.say(describe_error(exc), error=True)
            return None
        if generation != self._generation:
            return None
        self.show(view)
        self._show_dock(raise_dock)
        return view

    def _show_dock(self, raise_it: bool) -> None:
        if self.dock is None:
            return
        if self.dock.isHidden():
            self.dock.show()
        if raise_it:
            self.dock.raise_()

    def show(self, view: PetitionView | None) -> None:
        user = self.desk.current_user
        can_reveal = user is not None and self.petitions.rules.privacy.may_unmask(user.role)
        self.panel.show_view(
            view, can_work=self.desk.can(Permission.WORK_CASES), can_reveal=can_reveal
        )
        self.update_actions()

    def open_case(self, case_id: int) -> None:
        """A linked petition or a reminder was chosen: select it in the queue when it is
        listed there, and show it in the petition panel in any case."""
        listed = self.workspace.queue.select_case(case_id)
        shown = self.panel.view
        if not listed or shown is None or shown.case.id != case_id:
            # Not in the queue's filter, or already current there (no selection signal).
            self.spawn(self.load(case_id, raise_dock=True))
        else:
            self._show_dock(True)

    def on_changed(self, event: Changed) -> None:
        if not self._stopped and (
            event.topic == REMINDER_TOPIC
            # a case the queue shows as another kind cannot change the petition lists
            or (event.topic == "case" and self._kind_of(event.entity_id) in (None, "petition"))
        ):
            self._lists_timer.start()
        if event.topic != "case":
            return
        shown = self.panel.view
        if (
            shown is not None
            and shown.case.id == event.entity_id
            and (event.version > shown.case.version or not event.local)
        ):
            self.spawn(self.load(event.entity_id))
        if event.local and event.action in ("reopen", "edit"):
            # A generic reopen or priority edit recomputed the row's due times from the
            # general rules; a petition's statutory deadlines must govern again.
            self.spawn(self._refresh_deadlines(event.entity_id))

    async def _refresh_deadlines(self, case_id: int) -> None:
        if self._kind_of(case_id) not in (None, "petition"):
            return
        try:
            await self.calls.call(self.petitions.refresh_deadlines, case_id)
        except Exception as exc:
            if getattr(exc, "key", "") != "error.not_a_petition":
                raise

    # ---- intake --------------------------------------------------------------------------
    def _intake(self, request: IntakeRequest) -> PetitionView:
        """In the executor: store the files, then register the petition with them."""
        stored = tuple(self.petitions.store_attachment(p) for p in request.attachment_paths)
        detail = replace(request.detail, attachments=stored) if stored else request.detail
        return self.petitions.intake(detail, district=request.district, priority=request.priority)

    def intake_dialog(self, phone_call: bool) -> PetitionIntakeDialog:
        async def save(request: IntakeRequest) -> PetitionView:
            return await self.calls.call(self._intake, request)

        async def earlier(number: str) -> list[Any]:
            return await self.calls.read(self.petitions.earlier_from_phone, number)

        async def duplicates(probe: PetitionDetail) -> list[Any]:
            return await self.calls.read(self.petitions.find_duplicates, probe)

        return PetitionIntakeDialog(
            save,
            now=self.desk.clock,
            earlier=earlier,
            duplicates=duplicates,
            phone_call=phone_call,
            parent=self.window,
        )

    async def new_petition(self, phone_call: bool = False) -> PetitionView | None:
        dialog = self.intake_dialog(phone_call)
        if await self.workspace.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        view: PetitionView = dialog.created
        self.say(self.tr("Petition %1 registered.").replace("%1", view.case.reference))
        await self.workspace.queue.model.refresh()
        if not self.workspace.queue.select_case(view.case.id):
            await self.load(view.case.id, raise_dock=True)
        return view

    # ---- steps on the selected petition --------------------------------------------------
    def request(self, action: str) -> None:
        self.spawn(self.perform(action))

    async def perform(self, action: str) -> Any:
        view = self.panel.view
        if view is None:
            self.say(self.tr("Select a petition first."), error=True)
            return None
        case = view.case
        header = f"{case.reference}  {case.title}"
        p = self.petitions
        version = [case.version]

        async def apply(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            """One step on the version the officer saw; a conflict reloads the panel and
            leaves the dialog open with the text, to be applied again on the new version."""
            try:
                result = await self.calls.call(fn, *args, expected_version=version[0], **kwargs)
            except CaseConflict as conflict:
                fresh = await self.load(case.id)
                if fresh is not None:
                    version[0] = fresh.case.version
                raise StaleStep(
                    describe_error(conflict)
                    + "\n"
                    + self.tr(
                        "The panel now shows their change. Your input is still here: check "
                        "it, then press OK again to record it on the new version."
                    )
                ) from conflict
            self._after(result)
            return result

        now = self.desk.clock()
        dialog: QDialog
        if action == "decision":
            dialog = DecisionDialog(
                lambda v: apply(
                    p.record_decision, case.id, v["decision"], note=v["text"], at=v["at"]
                ),
                header,
                now,
                self.window,
            )
        elif action == "notice":
            dialog = StepTimeDialog(
                lambda v: apply(p.record_notice, case.id, at=v["at"]),
                self.tr("Written notice sent"),
                header,
                now,
                with_note=False,
                parent=self.window,
            )
        elif action == "contact":
            dialog = StepTimeDialog(
                lambda v: apply(p.record_contact, case.id, note=v["text"], at=v["at"]),
                self.tr("Petitioner contacted"),
                header,
                now,
                parent=self.window,
            )
        elif action == "extension":
            dialog = ExtensionDialog(
                lambda v: apply(p.approve_extension, case.id, v["days"], v["text"]),
                header,
                p.rules.deadlines.max_extension_days,
                self.window,
            )
        elif action == "reply":
            dialog = ReplyDialog(
                lambda v: apply(p.record_reply, case.id, v["text"], v["channel"], sent_at=v["at"]),
                header,
                now,
                self.window,
            )
        elif action == "callback":
            dialog = CallbackDialog(
                lambda v: apply(
                    p.record_callback, case.id, v["result"], notes=v["text"], reopen=v["reopen"]
                ),
                header,
                self.desk.can(Permission.REOPEN),
                self.window,
            )
        elif action == "follow_up":
            dialog = ReasonDialog(
                lambda v: self._follow_up(case.id, v["text"]),
                self.tr("Review requested"),
                header,
                self.tr("Note (optional)"),
                explanation=self.tr(
                    "Opens the review (复查) or second review (复核) the petitioner asked for as "
                    "a linked petition with its own 30-day deadline."
                ),
                parent=self.window,
            )
        elif action == "merge":
            hits = await self.calls.read(p.find_duplicates, case.id)
            hits = [h for h in hits if h.case_id != case.id]
            dialog = MergeDialog(
                lambda v: self._merge(case.id, v["into_case_id"], v["text"]),
                header,
                hits,
                self.window,
            )
        elif action == "unmerge":
            dialog = ReasonDialog(
                lambda v: self._unmerge(case.id, v["text"]),
                self.tr("Undo merge"),
                header,
                self.tr("Reason"),
                parent=self.window,
            )
        elif action == "reveal":
            dialog = ReasonDialog(
                lambda v: self._reveal(case.id, v["text"]),
                self.tr("Show full numbers"),
                header,
                self.tr("Why you need them"),
                explanation=self.tr(
                    "The petitioner's full phone and ID number are protected. Your name, the "
                    "time and this reason are written to the audit log."
                ),
                parent=self.window,
            )
        elif action == "attach":
            chosen = await ask_open_file(self.window, self.tr("Attach a file"))
            if chosen is None:
                return None
            return await self.attach(chosen)
        else:
            return None
        await self.workspace.run_dialog(dialog)
        return getattr(dialog, "result_value", None)

    def _after(self, result: Any) -> None:
        if isinstance(result, PetitionView):
            shown = self.panel.view
            if shown is not None and shown.case.id == result.case.id:
                self.show(result)
            self.say(self.tr("%1: recorded.").replace("%1", result.case.reference))

    async def attach(self, path: Path) -> PetitionView | None:
        view = self.panel.view
        if view is None:
            return None
        try:
            result = await self.calls.call(
                self.petitions.add_attachment,
                view.case.id,
                path,
                expected_version=view.case.version,
            )
        except Exception as exc:
            self.say(describe_error(exc), error=True)
            if isinstance(exc, CaseConflict):
                await self.load(view.case.id)
            return None
        self._after(result)
        return result

    async def _follow_up(self, case_id: int, note: str) -> PetitionView:
        created: PetitionView = await self.calls.call(
            self.petitions.request_follow_up, case_id, note=note
        )
        self.say(self.tr("%1 opened.").replace("%1", created.case.reference))
        await self.load(case_id)
        return created

    async def _merge(self, case_id: int, into: int, reason: str) -> PetitionView:
        master: PetitionView = await self.calls.call(self.petitions.merge, case_id, into, reason)
        self.say(
            self.tr("Merged into %1 (repeat petitions: %2).")
            .replace("%1", master.case.reference)
            .replace("%2", str(master.repeat_count))
        )
        await self.load(case_id)
        return master

    async def _unmerge(self, case_id: int, reason: str) -> PetitionView:
        view: PetitionView = await self.calls.call(self.petitions.unmerge, case_id, reason)
        self._after(view)
        return view

    async def _reveal(self, case_id: int, reason: str) -> Any:
        person = await self.calls.call(self.petitions.reveal_petitioner, case_id, reason)
        shown = self.panel.view
        if shown is not None and shown.case.id == case_id:
            self.panel.show_revealed(person)
        return person

    async def attachment_file(self, index: int) -> Path | None:
        """The stored file of the shown petition's attachment, verified against its hash."""
        view = self.panel.view
        if view is None:
            return None
        path: Path = await self.calls.call(self.petitions.attachment_path, view.case.id, index)
        return path

    async def open_attachment(self, index: int) -> None:
        path = await self.attachment_file(index)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # ---- Open311 -------------------------------------------------------------------------
    async def import_open311(self) -> Any:
        async def perform(values: dict[str, Any]) -> Any:
            result = await self.calls.call(
                self.petitions.import_open311,
                values["payload"],
                default_district=values["district"],
                include_closed=values["include_closed"],
            )
            if result.created:
                await self.workspace.queue.model.refresh()
            return result

        dialog = Open311ImportDialog(perform, self.window)
        await self.workspace.run_dialog(dialog)
        return dialog.imported

    def _all_petition_ids(self) -> list[int]:
        """Every petition in the database (in the executor: this pages through the queue)."""
        ids: list[int] = []
        query = QueueQuery(kinds=("petition",))
        while True:
            page = self.desk.queue_page(query, offset=len(ids), limit=1000)
            ids.extend(r.id for r in page)
            if len(page) < 1000:
                return ids

    async def export_open311(self) -> Path | None:
        # The petitions selected in the queue (read here, on the GUI thread), else all.
        ids = [
            i for i in self.workspace.queue.selected_case_ids() if self._kind_of(i) == "petition"
        ]
        if not ids:
            ids = await self.calls.read(self._all_petition_ids)
        user = self.desk.current_user
        can_unmask = user is not None and self.petitions.rules.privacy.may_unmask(user.role)
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        default = self._export_dir / f"petitions-open311-{stamp}.json"

        async def perform(values: dict[str, Any]) -> Path:
            records = await self.calls.call(
                self.petitions.export_open311,
                ids,
                unmasked=values["unmasked"],
                reason=values["text"],
            )
            path: Path = values["path"]
            await asyncio.get_running_loop().run_in_executor(None, write_open311, path, records)
            self._export_dir = path.parent
            self.say(
                self.tr("%1 petitions exported to %2")
                .replace("%1", str(len(records)))
                .replace("%2", str(path))
            )
            return path

        dialog = Open311ExportDialog(perform, len(ids), can_unmask, default, self.window)
        await self.workspace.run_dialog(dialog)
        result: Path | None = dialog.result_value
        return result

    # ---- reminders -----------------------------------------------------------------------
    def _overdue(self) -> list[OverduePetition]:
        rows = self.desk.queue_page(QueueQuery(kinds=("petition",), overdue=True), limit=200)
        governing = self.petitions.queue_deadlines([r.id for r in rows])
        out: list[OverduePetition] = []
        for r in rows:
            dv = governing.get(r.id)
            out.append(
                OverduePetition(
                    case_id=r.id,
                    reference=r.reference,
                    title=r.title,
                    label=deadline_label(dv.deadline) if dv is not None else "",
                    due_at=dv.deadline.due_at if dv is not None else r.due_at,
                )
            )
        return out

    async def refresh_reminders(self) -> None:
        """The minute tick: raise the reminders whose time has come (once across desks),
        then show the lists every workstation shares."""
        try:
            # Beside the ordered worker: it reads every open petition (about a second at
            # 2 000) and its order against the officer's own steps does not matter.
            await self.calls.read(self.petitions.collect_reminders)
        except Exception as exc:
            self._show_check_failed(exc)
            return
        await self.refresh_lists()

    async def refresh_lists(self) -> None:
        """Re-read the standing reminders and the overdue petitions from the database (the
        same on every workstation) and show them; new reminders draw the officer's eye."""
        self._lists_reads += 1
        read = self._lists_reads
        try:
            standing = await self.calls.read(self.petitions.open_reminders)
            overdue = await self.calls.read(self._overdue)
        except Exception as exc:
            self._show_check_failed(exc)
            return
        if read != self._lists_reads:
            return  # a newer read is on its way; do not show older lists after it
        self.strip.show_problem("")
        self.lists_shown = read
        fresh = self.strip.show_reminders(standing)
        self.strip.show_overdue(overdue)
        badge = self.strip.badge_text()
        self.badge.setText(badge)
        self.badge.setVisible(bool(badge))
        self.badge.setStyleSheet(
            "color:white;background:#b3261e;font-weight:bold;padding:2px 8px;" if badge else ""
        )
        if fresh:
            self.window.status.show_activity(
                self.tr("%1 new petition deadline reminders").replace("%1", str(len(fresh))),
                15000,
            )
            QApplication.alert(self.window)

    async def acknowledge(self, reminder: RaisedReminder) -> None:
        """Acknowledge the reminder for every workstation, then show the lists again (with
        the name of whoever acknowledged it, this officer or one who was quicker)."""
        try:
            await self.calls.call(self.petitions.acknowledge_reminder, reminder)
        finally:
            await self.refresh_lists()

    def _show_check_failed(self, exc: BaseException) -> None:
        """The database is away: say so on the strip and keep the last lists shown."""
        self.strip.show_problem(
            self.tr("Petition deadlines could not be checked: %1").replace(
                "%1", describe_error(exc)
            )
        )


__all__ = ["PetitionIntegration"]
