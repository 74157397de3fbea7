"""The petition reminder strip: overdue petitions, and the 3-day and 1-day reminders.

Every minute the desk raises the reminders whose time has come (`collect_reminders`, once
across every desk on the database); the strip lists the reminders still standing
(`open_reminders`, read from the database, so every workstation lists the same ones, and a
met deadline or a closed case drops them) and the overdue petitions. An officer may
acknowledge a reminder: every strip then shows who did and when, and keeps listing it, uncoloured,
while its deadline stands. Overdue is
shown in red with an icon and a count, here and in the status bar, for as long as it lasts:
a reminder is a message, an overdue petition is a state that stays on screen until handled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.petitions import RaisedReminder
from ui.petitions import formats
from ui.shell.i18n import current_language
from ui.shell.theme import palette

MAX_REMINDERS_SHOWN = 50


@dataclass(frozen=True)
class OverduePetition:
    """One overdue petition as the strip lists it (no personal data)."""

    case_id: int
    reference: str
    title: str
    label: str  # the overdue deadline, in the current language
    due_at: datetime


class ReminderStrip(QFrame):
    open_case_requested = Signal(int)
    acknowledge_requested = Signal(object)  # the RaisedReminder chosen

    def __init__(
        self,
        now: Callable[[], datetime],
        unit_name: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("petitionReminders")
        self._now = now
        self._unit_name = unit_name or (lambda unit_id: unit_id)
        self.overdue: list[OverduePetition] = []
        self.reminders: list[RaisedReminder] = []
        self.summary = QLabel(self)
        self.summary.setObjectName("reminderSummary")
        self.summary.setWordWrap(True)
        self.overdue_list = QListWidget(self)
        self.overdue_list.setObjectName("overdueList")
        self.overdue_list.setMaximumHeight(120)
        self.reminder_list = QListWidget(self)
        self.reminder_list.setObjectName("reminderList")
        self.reminder_list.setMaximumHeight(120)
        for lst in (self.overdue_list, self.reminder_list):
            lst.itemActivated.connect(self._activated)
            lst.itemDoubleClicked.connect(self._activated)
        self.reminder_list.currentRowChanged.connect(lambda _row: self._update_acknowledge())
        self.acknowledge_button = QPushButton(self.tr("Acknowledge reminder"), self)
        self.acknowledge_button.setObjectName("acknowledgeReminder")
        self.acknowledge_button.setToolTip(
            self.tr("Mark the selected reminder as seen, with your name, on every workstation")
        )
        self.acknowledge_button.clicked.connect(self._acknowledge)
        self.problem = QLabel(self)
        self.problem.setObjectName("reminderProblem")
        self.problem.setProperty("role", "formError")
        self.problem.setWordWrap(True)
        self.problem.hide()
        lists = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Overdue petitions"), self))
        left.addWidget(self.overdue_list)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Reminders (3 days, 1 day before a deadline)"), self))
        right.addWidget(self.reminder_list)
        right.addWidget(self.acknowledge_button)
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addLayout(lists)
        self.show_overdue([])
        self.show_reminders([])

    def _activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id is not None:
            self.open_case_requested.emit(int(case_id))

    def selected_reminder(self) -> RaisedReminder | None:
        row = self.reminder_list.currentRow()
        shown = self.reminders[:MAX_REMINDERS_SHOWN]
        return shown[row] if 0 <= row < len(shown) else None

    def set_can_acknowledge(self, allowed: bool) -> None:
        """Only a role that works cases acknowledges; a viewer sees the acknowledgements."""
        self.acknowledge_button.setVisible(allowed)

    def _update_acknowledge(self) -> None:
        chosen = self.selected_reminder()
        self.acknowledge_button.setEnabled(chosen is not None and chosen.acknowledged_at is None)

    def _acknowledge(self) -> None:
        chosen = self.selected_reminder()
        if chosen is not None and chosen.acknowledged_at is None:
            self.acknowledge_button.setEnabled(False)  # one request per click
            self.acknowledge_requested.emit(chosen)

    def show_problem(self, text: str) -> None:
        """The reminder check failed (database away): say so, keep the last lists."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def show_overdue(self, overdue: list[OverduePetition]) -> None:
        self.overdue = overdue
        self.overdue_list.clear()
        now = self._now()
        for o in overdue:
            item = QListWidgetItem(
                f"⚠ {o.reference}  {o.title}\n    {o.label} — "
                + self.tr("overdue by %1").replace("%1", formats.countdown(now - o.due_at))
            )
            item.setData(Qt.ItemDataRole.UserRole, o.case_id)
            item.setForeground(palette().overdue_fg)
            item.setBackground(palette().overdue_bg)
            self.overdue_list.addItem(item)
        if not overdue:
            self.overdue_list.addItem(self.tr("✔ No petition is overdue."))
        self._summarize()

    def show_reminders(self, reminders: list[RaisedReminder]) -> list[RaisedReminder]:
        """Show the standing reminders (`PetitionDesk.open_reminders`: the same list on every
        workstation), most urgent first; returns those this strip had not shown before, so
        the caller can draw the officer's attention to them."""
        seen = {(r.key, r.days_before) for r in self.reminders}
        fresh = [r for r in reminders if (r.key, r.days_before) not in seen]
        chosen = self.selected_reminder()
        self.reminders = list(reminders)
        self.reminder_list.blockSignals(True)  # the selection is restored below
        self.reminder_list.clear()
        zh = current_language() == "zh"
        for r in reminders[:MAX_REMINDERS_SHOWN]:
            icon = "●" if r.days_before <= 1 else "◔"
            text = (
                f"{icon} {r.reference}  {r.title}\n    {r.label_zh if zh else r.label_en} — "
                + self.tr("due in %1 days or less (by %2)")
                .replace("%1", str(r.days_before))
                .replace("%2", formats.local_time(r.due_at - timedelta(seconds=1)))
            )
            if r.unit_id:  # the reminder is for the assigned unit as much as for the desk
                text += "\n    " + self.tr("Unit: %1").replace("%1", self._unit_name(r.unit_id))
            if r.acknowledged_at is not None:
                text += "\n    ✔ " + self.tr("Acknowledged by %1 at %2").replace(
                    "%1", r.acknowledged_by or ""
                ).replace("%2", formats.local_time(r.acknowledged_at))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.case_id)
            if r.acknowledged_at is None:  # still asking for attention
                item.setForeground(palette().at_risk_fg)
                item.setBackground(palette().at_risk_bg)
            self.reminder_list.addItem(item)
        hidden = len(reminders) - MAX_REMINDERS_SHOWN
        if hidden > 0:  # never let a long list hide that there is more
            self.reminder_list.addItem(
                self.tr("… and %1 more reminders").replace("%1", str(hidden))
            )
        if not reminders:
            self.reminder_list.addItem(self.tr("No deadline is due within 3 days."))
        if chosen is not None:
            keep = next(
                (i for i, r in enumerate(reminders[:MAX_REMINDERS_SHOWN]) if r.key == chosen.key),
                -1,
            )
            self.reminder_list.setCurrentRow(keep)
        self.reminder_list.blockSignals(False)
        self._update_acknowledge()
        self._summarize()
        return fresh

    def _summarize(self) -> None:
        count = len(self.overdue)
        colors = palette()
        if count:
            self.summary.setText(
                "⚠ " + self.tr("%1 petitions overdue: handle them first").replace("%1", str(count))
            )
            self.setStyleSheet(
                f"#reminderSummary{{color:{colors.overdue_fg.name()};"
                f"background:{colors.overdue_bg.name()};font-size:16px;font-weight:bold;"
                "padding:6px;}"
            )
        else:
            self.summary.setText("✔ " + self.tr("No petition is overdue."))
            self.setStyleSheet("#reminderSummary{font-weight:bold;padding:6px;}")

    def badge_text(self) -> str:
        """The status-bar badge: empty when nothing is overdue."""
        if not self.overdue:
            return ""
        return "⚠ " + self.tr("Petitions overdue: %1").replace("%1", str(len(self.overdue)))
