"""Alarms in the desk window: ``Workspace.install_alarms(alarm_desk)`` adds them.

The alarm desk is the session's (dispatch_app/session.py): the session opens it and feeds it
from the live feed (``AlarmFeedLink``). The window's part wires the alarm desk to the panel and
the status bar:

* a timer evaluates every ``evaluate_every_ms`` and ticks every ``tick_every_ms`` in an executor
  of its own (one thread: rounds never overlap, and an officer's acknowledgement, which goes
  through the workspace's ordered ``DeskCalls``, never waits behind a round);
* the alarm desk's updates (ours from the executor, other workstations' from the change feed)
  hop to the UI thread through a queued signal and move just the rows that changed;
* A, S, U and Enter on the panel ask for a note, a shelving reason, unshelve, or open the case;
* an optional sound cue (``QApplication.beep``; QtMultimedia is not in PySide6-Essentials) for
  new announcements, off by default and in tests;
* Administration → Alarm rules… opens the rules editor for administrators.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea

from dispatch_app.desk.alarms import AlarmDesk, AlarmUpdate, RoundResult
from dispatch_app.domain.alarm_rules import RuleSet
from dispatch_app.domain.alarms import Alarm, Announcement
from dispatch_app.domain.roles import Permission
from ui.alarms.panel import AcknowledgeDialog, AlarmPanel, ShelveDialog, counts_text
from ui.alarms.rules_editor import AlarmRulesEditor
from ui.cases.action_state import reason_text, set_available
from ui.shell.errors import describe_error
from ui.shell.i18n import current_language
from ui.shell.main_window import MainWindow
from ui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from ui.shell.workspace import Workspace

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries alarm updates from any thread to the UI thread (queued: the QObject lives on
    the UI thread and the emitter does not)."""

    updated = Signal(object)
    problem = Signal(str)


class AlarmIntegration(QObject):
    """The alarm part of one workstation's window."""

    announced = Signal(object)  # Announcement, on the UI thread

    def __init__(
        self,
        workspace: Workspace,
        window: MainWindow,
        alarm_desk: AlarmDesk,
        *,
        evaluate_every_ms: int = 2000,
        tick_every_ms: int = 5000,
        sound: bool = False,
        data_clock: bool = False,
    ) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.window = window
        self.desk = workspace.desk
        self.alarm_desk = alarm_desk
        if data_clock:
            # A drill played at speed: judge silence and windows on the data's time.
            self.alarm_desk.clock = self.alarm_desk.data_clock
        self.sound = sound
        self.beeps = 0  # how many cues were given (the sound is hard to hear in a test)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alarms")
        self._round: asyncio.Future[RoundResult] | None = None
        self._unsubscribe: list[Callable[[], None]] = []
        self._last_reminder = self.alarm_desk.clock()

        self.panel = AlarmPanel(self._station_name, self._alarm_text, self.alarm_desk.clock)
        self.window.add_view("alarms", self.panel, "bottom", self.tr("Alarms"))
        self.status_label = ElidedLabel(parent=self.window, minimum_chars=12)
        self.status_label.setObjectName("statusAlarms")
        self.window.status.addPermanentWidget(self.status_label)
        self.panel.table.acknowledgeRequested.connect(self.request_acknowledge)
        self.panel.table.shelveRequested.connect(self.request_shelve)
        self.panel.table.unshelveRequested.connect(self.request_unshelve)
        self.panel.table.openCaseRequested.connect(self.request_open_case)
        self.rules_action = self.window.add_action(
            "alarm_rules",
            self.tr("Alarm rules…"),
            self.window.menu_admin,
            lambda: self._spawn(self.edit_rules()),
            tip=self.tr("Edit the alarm rules (administrators)"),
        )
        set_available(
            self.rules_action, reason_text(self.desk.permission_refusal(Permission.MANAGE_RULES))
        )
        self.focus_action = self.window.add_action(
            "alarm_panel",
            self.tr("Alarm panel"),
            self.window.menu_view,
            self.focus_panel,
            shortcut="F9",
        )

        self._relay = _Relay(self)
        self._relay.updated.connect(self._on_update, Qt.ConnectionType.QueuedConnection)
        self._relay.problem.connect(
            lambda text: self.workspace.say(text, error=True), Qt.ConnectionType.QueuedConnection
        )
        self._unsubscribe.append(self.alarm_desk.subscribe(self._relay.updated.emit))
        self.alarm_desk.start()  # idempotent: the session started it already
        self.panel.show_alarms(self.alarm_desk.alarms())
        self._refresh_counts()

        self._evaluate_timer = QTimer(self)
        self._evaluate_timer.setInterval(evaluate_every_ms)
        self._evaluate_timer.timeout.connect(lambda: self._run_round(self.alarm_desk.evaluate))
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(tick_every_ms)
        self._tick_timer.timeout.connect(self._on_tick)
        self._evaluate_timer.start()
        self._tick_timer.start()
        self.window.closing.connect(self.shutdown)

    def report_problem(self, text: str) -> None:
        """A problem of the alarms heard on any thread (the session's feed link): said on the
        UI thread."""
        self._relay.problem.emit(text)

    # ------------------------------------------------------------------ rounds

    def _on_tick(self) -> None:
        self._run_round(self.alarm_desk.tick)
        self._refresh_counts()  # shelving expiry and flood end show even without changes
        self.remind()

    def remind(self) -> list[Alarm]:
        """The nag: alarms still unacknowledged a reminder interval after they were raised are
        announced again (status line, and the sound cue when it is on)."""
        now = self.alarm_desk.clock()
        since, self._last_reminder = self._last_reminder, now
        due = self.alarm_desk.reminders(since, now)
        if due:
            self.window.status.show_activity(
                self.tr("Reminder: %1 alarm(s) still unacknowledged").replace("%1", str(len(due))),
                10000,
            )
            if self.sound:
                QApplication.beep()
                self.beeps += 1
        return due

    def _run_round(self, fn: Callable[[], RoundResult]) -> None:
        if self._round is not None and not self._round.done():
            return  # the previous round is still writing: never queue rounds up
        loop = asyncio.get_event_loop()
        self._round = loop.run_in_executor(self._executor, fn)
        self._round.add_done_callback(self._round_done)

    def _round_done(self, future: asyncio.Future[RoundResult]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.warning("alarm round failed: %s", exc)
            self.workspace.say(
                self.tr("Alarm evaluation failed: %1").replace("%1", describe_error(exc)),
                error=True,
            )

    async def evaluate_now(self, now: datetime | None = None) -> RoundResult:
        """One evaluation round now (tests, and the desk after reconnecting); ``now`` runs it
        at another time than the alarm desk's clock (a test that skips half an hour)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.alarm_desk.evaluate, now)

    async def tick_now(self) -> RoundResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.alarm_desk.tick)

    # ------------------------------------------------------------------ updates

    def _on_update(self, update: AlarmUpdate) -> None:
        if update.removed:  # a removed drill's alarms: show what remains
            self.panel.show_alarms(self.alarm_desk.alarms())
        if update.alarms:
            self.panel.apply(update.alarms)
        for announcement in update.announcements:
            self._announce(announcement)
        if update.rules_changed and update.local is False:
            self.workspace.say(self.tr("Alarm rules changed on another workstation"))
        self._refresh_counts()

    def _announce(self, announcement: Announcement) -> None:
        if announcement.summary:
            self.panel.show_flood(announcement)
        zh = current_language() == "zh"
        self.window.status.show_activity(
            self.tr("Alarm: %1").replace(
                "%1", announcement.text_zh if zh else announcement.text_en
            ),
            10000,
        )
        if self.sound:
            QApplication.beep()
            self.beeps += 1
        self.announced.emit(announcement)

    def _refresh_counts(self) -> None:
        counts = self.alarm_desk.counts()
        text = counts_text(counts)
        self.panel.show_counts(counts)
        self.status_label.setText(text)
        self.status_label.setToolTip(
            self.tr("%1 unacknowledged, %2 active, %3 shelved")
            .replace("%1", str(counts.unacknowledged))
            .replace("%2", str(counts.active))
            .replace("%3", str(counts.shelved))
        )
        if not self.alarm_desk.in_flood():
            self.panel.show_flood(None)

    # ------------------------------------------------------------------ names

    def _station_name(self, station_id: str) -> str:
        station = self.alarm_desk.station(station_id)
        if station is None:
            return station_id
        zh = current_language() == "zh"
        return station.name if zh or not station.name_en else station.name_en

    def _alarm_text(self, alarm: Alarm) -> str:
        return alarm.message_zh if current_language() == "zh" else alarm.message_en

    def _title(self, key: str) -> str:
        try:
            alarm = self.alarm_desk.get(key)
        except Exception:
            return key
        return f"{self._station_name(alarm.station_id)} — {self._alarm_text(alarm)}"

    # ------------------------------------------------------------------ operator actions

    def focus_panel(self) -> None:
        dock = self.window.docks.get("alarms")
        if dock is not None:
            dock.show()
            dock.raise_()
        self.panel.table.setFocus()
        self._rows_into_view()

    def _rows_into_view(self) -> None:
        """On a short screen the dock scrolls its panel, and the counts above the table can
        fill all of it: F9 scrolls the dock to the table's top, so its rows are what shows."""
        table = self.panel.table
        area = table.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        content = area.widget() if area is not None else None
        if area is None or content is None:
            return
        layout = content.layout()
        if layout is not None:
            layout.activate()  # the table's place, even before the dock was shown
        area.verticalScrollBar().setValue(table.mapTo(content, QPoint(0, 0)).y())

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> asyncio.Future[Any]:
        return self.workspace.spawn(coro)

    def request_acknowledge(self, key: str) -> None:
        self._spawn(self.acknowledge(key))

    def request_shelve(self, key: str) -> None:
        self._spawn(self.shelve(key))

    def request_unshelve(self, key: str) -> None:
        self._spawn(self.unshelve(key))

    def request_open_case(self, key: str) -> None:
        self._spawn(self.open_case(key))

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return await self.workspace.calls.call(fn, *args)
        except Exception as exc:  # a refusal (nothing pending, stale, no permission): say it
            self.workspace.say(describe_error(exc), error=True)
            return None

    async def acknowledge(self, key: str) -> Alarm | None:
        alarm = self.alarm_desk.get(key)
        dialog = AcknowledgeDialog(self._title(key), self.window)
        if await self.workspace.run_dialog(dialog) != AcknowledgeDialog.DialogCode.Accepted:
            return None
        done: Alarm | None = await self._call(
            self.alarm_desk.acknowledge, key, dialog.note.text(), alarm.version
        )
        if done is not None:
            self.workspace.say(self.tr("Alarm acknowledged"))
        return done

    async def shelve(self, key: str) -> Alarm | None:
        dialog = ShelveDialog(self._title(key), self.window)
        if await self.workspace.run_dialog(dialog) != ShelveDialog.DialogCode.Accepted:
            return None
        done: Alarm | None = await self._call(
            self.alarm_desk.shelve, key, dialog.code, dialog.reason.text()
        )
        if done is not None:
            self.workspace.say(self.tr("Alarm shelved"))
        return done

    async def unshelve(self, key: str) -> Alarm | None:
        done: Alarm | None = await self._call(self.alarm_desk.unshelve, key)
        if done is not None:
            self.workspace.say(self.tr("Alarm back from the shelf"))
        return done

    async def open_case(self, key: str) -> int | None:
        """Enter: the linked case, or (confirmed) a new quality case for the alarm."""
        alarm = self.alarm_desk.get(key)
        if alarm.case_id is None:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Open a case"),
                self.tr("Open a quality case for this alarm?\n%1").replace("%1", self._title(key)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self.window,
            )
            box.setObjectName("alarmOpenCaseBox")
            if await self.workspace.run_dialog(box) != QMessageBox.StandardButton.Yes:
                return None
        case = await self._call(self.alarm_desk.open_case, key)
        if case is None:
            return None
        self.workspace.queue.select_case(case.id)
        self.workspace.open_case(case.id)
        return int(case.id)

    async def edit_rules(self) -> RuleSet | None:
        if not self.desk.can(Permission.MANAGE_RULES):
            self.workspace.say(self.tr("Only an administrator edits the alarm rules"), error=True)
            return None

        async def save(text: str, revision: int) -> RuleSet:
            saved: RuleSet = await self.workspace.calls.call(
                self.alarm_desk.save_rules, text, revision
            )
            return saved

        editor = AlarmRulesEditor(
            self.alarm_desk.rules_text, self.alarm_desk.rule_set.revision, save, self.window
        )
        self.editor = editor
        await self.workspace.run_dialog(editor)
        return editor.saved

    # ------------------------------------------------------------------ shutdown

    def shutdown(self) -> None:
        """Stop the timers and the executor and stop following the alarm desk (the window
        closes; safe to call twice). The alarm desk itself is the session's and runs on."""
        self._evaluate_timer.stop()
        self._tick_timer.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self._executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["AlarmIntegration"]
