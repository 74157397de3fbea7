"""The selected petition: petitioner (masked), statutory deadlines counting down, its steps.

An overdue petition must be impossible to miss: a red banner across the top names every
overdue deadline and by how long, the deadline rows are red with an icon and the word, and the
countdowns tick every second. Amber marks the last 3 days and the last day (also with icon and
text: color is never the only cue).

The panel shows only what `PetitionDesk.get` returns: the petitioner masked, the description
with numbers masked. Unmasking goes through the audited reveal (a reason is asked first), and
what it returns is shown until another case is selected, never kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.petitions import PetitionView
from dispatch_app.domain.masking import PetitionerView
from dispatch_app.domain.petition_deadlines import DeadlineState, deadline_state
from dispatch_app.domain.petitions import Channel, Decision, Stage, Subject
from ui.petitions import formats
from ui.shell import labels
from ui.shell.theme import palette

ACTIONS = (
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
)
ALARMING = (DeadlineState.OVERDUE, DeadlineState.MET_LATE)


class PetitionPanel(QWidget):
    action_requested = Signal(str)
    """A step button was pressed (one of ACTIONS, or "reveal")."""
    open_case_requested = Signal(int)
    """A linked case (master, repeat, 复查/复核) was chosen."""
    attachment_requested = Signal(int)
    """An attachment (its index) should be opened."""

    def __init__(
        self,
        now: Callable[[], datetime],
        reminder_days: Sequence[int] = (3, 1),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("petitionPanel")
        self._now = now
        self._reminder_days = tuple(reminder_days)
        self.view: PetitionView | None = None
        self.revealed: PetitionerView | None = None
        self.can_reveal = False
        self.can_work = False

        self.header = QLabel(self.tr("No petition selected"), self)
        self.header.setObjectName("petitionHeader")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size:15px;font-weight:bold;")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overdue_banner = QLabel(self)
        self.overdue_banner.setObjectName("overdueBanner")
        self.overdue_banner.setWordWrap(True)
        self.overdue_banner.hide()
        self.message = QLabel(self)
        self.message.setObjectName("petitionMessage")
        self.message.setProperty("role", "formError")
        self.message.setWordWrap(True)
        self.message.hide()

        person = self._build_petitioner_box()
        matter = self._build_matter_box()
        self._build_deadlines()
        steps = self._build_steps_box()
        links = self._build_links_box()

        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.addWidget(self.header)
        layout.addWidget(self.overdue_banner)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(self.tr("Deadlines (信访工作条例 and local targets)"), content))
        layout.addWidget(self.deadlines)
        layout.addWidget(steps)
        layout.addWidget(person)
        layout.addWidget(matter)
        layout.addWidget(links)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self.show_view(None)

    def _build_petitioner_box(self) -> QGroupBox:
        """Who petitions: masked until an unmasking with a reason (audited)."""
        person = QGroupBox(self.tr("Petitioner"), self)
        person.setObjectName("petitionerBox")
        pf = QFormLayout(person)
        self.person: dict[str, QLabel] = {}
        for key, text in (
            ("name", self.tr("Name")),
            ("phone", self.tr("Phone")),
            ("id_number", self.tr("ID number")),
            ("contact_address", self.tr("Postal address")),
        ):
            label = QLabel(person)
            label.setObjectName(f"petitioner_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.person[key] = label
            pf.addRow(text, label)
        reveal_row = QHBoxLayout()
        self.mask_state = QLabel(person)
        self.mask_state.setObjectName("maskState")
        self.mask_state.setProperty("role", "hint")
        self.reveal_button = QPushButton(self.tr("Show full numbers…"), person)
        self.reveal_button.setObjectName("button_reveal")
        self.reveal_button.setToolTip(
            self.tr("Asks for a reason; every unmasking is written to the audit log.")
        )
        self.reveal_button.clicked.connect(lambda: self.action_requested.emit("reveal"))
        reveal_row.addWidget(self.mask_state, 1)
        reveal_row.addWidget(self.reveal_button)
        pf.addRow(reveal_row)
        return person

    def _build_matter_box(self) -> QGroupBox:
        """What the petition is about and how far it has come."""
        matter = QGroupBox(self.tr("Petition"), self)
        mf = QFormLayout(matter)
        self.fields: dict[str, QLabel] = {}
        for key, text in (
            ("channel", self.tr("Channel")),
            ("received", self.tr("Received")),
            ("subject", self.tr("Subject")),
            ("stage", self.tr("Stage")),
            ("address", self.tr("Address")),
            ("enterprise", self.tr("Enterprise")),
            ("description", self.tr("Description")),
            ("progress", self.tr("Steps done")),
            ("merge", self.tr("Merging")),
        ):
            label = QLabel(matter)
            label.setObjectName(f"petition_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            mf.addRow(text, label)
        return matter

    def _build_deadlines(self) -> None:
        """The statutory deadlines: every row whole, never cut."""
        self.deadlines = QTableWidget(0, 3, self)
        self.deadlines.setObjectName("petitionDeadlines")
        self.deadlines.setHorizontalHeaderLabels(
            [self.tr("Deadline"), self.tr("Due by end of"), self.tr("State and time left")]
        )
        self.deadlines.setWordWrap(True)
        self.deadlines.setTextElideMode(Qt.TextElideMode.ElideNone)  # a cut label misleads
        self.deadlines.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.deadlines.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.deadlines.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.deadlines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.deadlines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.deadlines.verticalHeader().setVisible(False)
        self.deadlines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        hv = self.deadlines.horizontalHeader()
        hv.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            hv.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def _build_steps_box(self) -> QGroupBox:
        """One button per statutory step (``self.buttons``)."""
        steps = QGroupBox(self.tr("Steps"), self)
        grid = QGridLayout(steps)
        self._grid = grid
        names = {
            "decision": self.tr("Decision…"),
            "notice": self.tr("Written notice sent…"),
            "contact": self.tr("Petitioner contacted…"),
            "extension": self.tr("Extend (shift leader)…"),
            "reply": self.tr("Reply…"),
            "callback": self.tr("Satisfaction callback…"),
            "follow_up": self.tr("Review requested…"),
            "merge": self.tr("Merge as repeat…"),
            "unmerge": self.tr("Undo merge…"),
            "attach": self.tr("Add attachment…"),
        }
        self.buttons: dict[str, QPushButton] = {}
        for i, (action, text) in enumerate(names.items()):
            button = QPushButton(text, steps)
            button.setObjectName(f"petition_button_{action}")
            button.clicked.connect(lambda _c=False, a=action: self.action_requested.emit(a))
            grid.addWidget(button, i // 2, i % 2)
            self.buttons[action] = button
        return steps

    def _build_links_box(self) -> QGroupBox:
        """Linked petitions (master, repeats, reviews) and the attachments."""
        links = QGroupBox(self.tr("Linked petitions and attachments"), self)
        lv = QVBoxLayout(links)
        self.links = QListWidget(links)
        self.links.setObjectName("petitionLinks")
        self.links.setMaximumHeight(110)
        self.links.itemActivated.connect(self._link_activated)
        self.attachments = QListWidget(links)
        self.attachments.setObjectName("petitionAttachments")
        self.attachments.setMaximumHeight(90)
        self.attachments.itemActivated.connect(self._attachment_activated)
        lv.addWidget(self.links)
        lv.addWidget(QLabel(self.tr("Attachments (Enter or double-click opens)"), links))
        lv.addWidget(self.attachments)
        return links

    # ---- showing -------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_view(
        self, view: PetitionView | None, *, can_work: bool = False, can_reveal: bool = False
    ) -> None:
        previous = self.view.case.id if self.view is not None else None
        if view is None or view.case.id != previous:
            self.revealed = None  # unmasked data never follows the officer to another case
            self.show_message("")
        self.view = view
        self.can_work = can_work
        self.can_reveal = can_reveal
        if view is None:
            self.header.setText(self.tr("No petition selected"))
            self.overdue_banner.hide()
            self.deadlines.setRowCount(0)
            for label in (*self.person.values(), *self.fields.values()):
                label.setText("")
            self.mask_state.setText("")
            for button in (*self.buttons.values(), self.reveal_button):
                button.setEnabled(False)
            self.links.clear()
            self.attachments.clear()
            self._timer.stop()
            return
        case = view.case
        self.header.setText(
            f"{case.reference}  {case.title}\n"
            f"{labels.label(labels.STATUS, case.status)} · "
            f"{labels.label(labels.PRIORITY, case.priority)} · "
            f"{labels.label(labels.DISTRICT, case.district)}"
        )
        d = view.detail
        self.fields["channel"].setText(labels.label(Channel, d.channel))
        self.fields["received"].setText(formats.local_time(d.received_at))
        self.fields["subject"].setText(labels.label(Subject, d.subject))
        self.fields["stage"].setText(labels.label(labels.STAGE, d.stage))
        place = d.address or "—"
        if d.lon is not None and d.lat is not None:
            place += f"  ({d.lon:.5f}, {d.lat:.5f})"
        self.fields["address"].setText(place)
        self.fields["enterprise"].setText(
            f"{d.enterprise_name or '—'}  {d.credit_code or ''}".strip()
        )
        self.fields["description"].setText(d.description or "—")
        self.fields["progress"].setText(self._progress_text(view))
        self.fields["merge"].setText(self._merge_text(view))
        self._show_petitioner()
        self._fill_deadlines()
        self._fill_links(view)
        self.attachments.clear()
        for i, a in enumerate(d.attachments):
            item = QListWidgetItem(f"📎 {a.name}  ({a.size_bytes // 1024 + 1} KB)")
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.attachments.addItem(item)
        if not d.attachments:
            self.attachments.addItem(self.tr("No attachments."))
        self._update_buttons(view)
        self.tick()
        self._timer.start()

    def show_revealed(self, person: PetitionerView) -> None:
        self.revealed = person
        self._show_petitioner()

    def _show_petitioner(self) -> None:
        view = self.view
        if view is None:
            return
        p = self.revealed or view.petitioner
        self.person["name"].setText(self.tr("Anonymous") if p.anonymous else (p.name or "—"))
        self.person["phone"].setText(p.phone or "—")
        self.person["id_number"].setText(p.id_number or "—")
        self.person["contact_address"].setText(p.contact_address or "—")
        if self.revealed is not None:
            self.mask_state.setText(self.tr("Full numbers shown (audited)."))
        else:
            self.mask_state.setText(self.tr("Phone and ID are masked."))
        self.reveal_button.setVisible(self.can_reveal)
        self.reveal_button.setEnabled(self.can_reveal and self.revealed is None)

    def _progress_text(self, view: PetitionView) -> str:
        p = view.progress
        lines: list[str] = []
        if p.decision is not None:
            lines.append(
                self.tr("Decision: %1 (%2)")
                .replace("%1", labels.label(labels.DECISION, p.decision))
                .replace("%2", formats.local_time(p.decided_at))
            )
        if p.notified_at is not None:
            lines.append(
                self.tr("Written notice: %1").replace("%1", formats.local_time(p.notified_at))
            )
        if p.contacted_at is not None:
            lines.append(self.tr("Contacted: %1").replace("%1", formats.local_time(p.contacted_at)))
        if p.extension is not None:
            lines.append(
                self.tr("Extended by %1 days (approved by %2): %3")
                .replace("%1", str(p.extension.days))
                .replace("%2", p.extension.approved_by)
                .replace("%3", p.extension.reason)
            )
        if p.reply is not None:
            lines.append(
                self.tr("Reply sent %1 by %2")
                .replace("%1", formats.local_time(p.reply.sent_at))
                .replace("%2", labels.label(labels.REPLY_CHANNEL, p.reply.channel))
            )
        for c in p.callbacks:
            lines.append(
                self.tr("Callback %1: %2")
                .replace("%1", formats.local_time(c.at))
                .replace("%2", labels.label(labels.SATISFACTION, c.result))
                + (f" — {c.notes}" if c.notes else "")
            )
        if p.earlier_replies:
            lines.append(
                self.tr("%1 earlier replies set aside after dissatisfied callbacks").replace(
                    "%1", str(len(p.earlier_replies))
                )
            )
        return "\n".join(lines) or self.tr("None yet")

    def _merge_text(self, view: PetitionView) -> str:
        parts: list[str] = []
        if view.merged_into is not None:
            master = (view.case.details.get("petition_merge") or {}).get("master_reference")
            parts.append(
                self.tr("Merged into %1: its deadlines govern").replace(
                    "%1", str(master or f"#{view.merged_into}")
                )
            )
        parts.append(
            self.tr("Repeat petitions merged into this one: %1").replace(
                "%1", str(view.repeat_count)
            )
        )
        return "\n".join(parts)

    def _fill_links(self, view: PetitionView) -> None:
        self.links.clear()

        def add(text: str, case_id: int) -> None:
            item = QListWidgetItem("↗ " + text)
            item.setData(Qt.ItemDataRole.UserRole, case_id)
            self.links.addItem(item)

        if view.merged_into is not None:
            add(
                self.tr("Master petition #%1").replace("%1", str(view.merged_into)),
                view.merged_into,
            )
        for case_id in view.duplicates:
            add(self.tr("Repeat petition #%1").replace("%1", str(case_id)), case_id)
        if view.follow_up_of is not None:
            add(
                self.tr("Earlier stage #%1").replace("%1", str(view.follow_up_of)),
                view.follow_up_of,
            )
        if view.follow_up_case_id is not None:
            add(
                self.tr("Review / second review #%1").replace("%1", str(view.follow_up_case_id)),
                view.follow_up_case_id,
            )
        if not self.links.count():
            self.links.addItem(self.tr("No linked petitions."))

    def _attachment_activated(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if index is not None:  # not the "no attachments" line
            self.attachment_requested.emit(int(index))

    def _link_activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id is not None:
            self.open_case_requested.emit(int(case_id))

    def _update_buttons(self, view: PetitionView) -> None:
        """Offer the steps that make sense now; the desk still checks every rule."""
        p = view.progress
        original = view.detail.stage is Stage.ORIGINAL
        is_open = view.case.status not in ("closed", "cancelled")
        merged = view.merged_into is not None
        enabled = {
            "decision": original and p.decision is None,
            "notice": original and p.notified_at is None,
            "contact": is_open,
            "extension": original
            and p.decision is Decision.ACCEPT
            and p.extension is None
            and p.reply is None,
            "reply": p.reply is None and (not original or p.decision in (None, Decision.ACCEPT)),
            "callback": p.reply is not None,
            "follow_up": p.reply is not None
            and view.follow_up_case_id is None
            and view.detail.stage is not Stage.SECOND_REVIEW,
            "merge": not merged and not view.duplicates,
            "unmerge": merged,
            "attach": True,
        }
        for action, button in self.buttons.items():
            button.setEnabled(self.can_work and enabled[action])

    # ---- countdowns ----------------------------------------------------------------------
    def _fill_deadlines(self) -> None:
        view = self.view
        rows = view.deadlines if view is not None else ()
        self.deadlines.setRowCount(len(rows))
        for i, dv in enumerate(rows):
            d = dv.deadline
            name = formats.deadline_label(d)
            if not d.statutory:
                name += "  " + self.tr("(local target)")
            if d.provisional_calendar:
                name += "  " + self.tr("(holiday calendar provisional)")
            cells = [name, d.last_day.isoformat(), ""]
            for col, text in enumerate(cells):
                self.deadlines.setItem(i, col, QTableWidgetItem(text))
        self.deadlines.resizeRowsToContents()

    def states(self, now: datetime | None = None) -> list[DeadlineState]:
        now = now or self._now()
        view = self.view
        if view is None:
            return []
        return [deadline_state(dv.deadline, now, self._reminder_days) for dv in view.deadlines]

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        """Every second: the states and countdowns move with the clock, no database call."""
        view = self.view
        if view is None:
            return
        now = self._now()
        colors = palette()
        overdue: list[str] = []
        for i, dv in enumerate(view.deadlines):
            d = dv.deadline
            state = deadline_state(d, now, self._reminder_days)
            left = d.due_at - now
            if state in (DeadlineState.MET, DeadlineState.MET_LATE):
                when = formats.local_time(d.done_at)
                countdown = self.tr("done %1").replace("%1", when)
            elif state is DeadlineState.OVERDUE:
                countdown = self.tr("OVERDUE by %1").replace("%1", formats.countdown(left))
                overdue.append(
                    self.tr("%1 — overdue by %2")
                    .replace("%1", formats.deadline_label(d))
                    .replace("%2", formats.countdown(left))
                )
            elif state is DeadlineState.LAPSED:
                countdown = formats.local_time(d.due_at)
            else:
                countdown = self.tr("%1 left").replace("%1", formats.countdown(left))
            state_item = self.deadlines.item(i, 2)
            if state_item is None:
                continue
            # The overdue countdown says "overdue" itself; other states name themselves.
            words = (
                labels.label(DeadlineState, state) + " · "
                if state is not DeadlineState.OVERDUE
                else ""
            )
            state_item.setText(f"{formats.STATE_ICON[state]} {words}{countdown}")
            if state in ALARMING:
                fg, bg = colors.overdue_fg, colors.overdue_bg
            elif state in (DeadlineState.DUE_1D, DeadlineState.DUE_3D):
                fg, bg = colors.at_risk_fg, colors.at_risk_bg
            elif state is DeadlineState.MET:
                fg, bg = colors.on_time_fg, QColor()
            else:
                fg, bg = QColor(), QColor()
            for col in range(3):
                item = self.deadlines.item(i, col)
                if item is None:
                    continue
                item.setForeground(fg) if fg.isValid() else item.setData(
                    Qt.ItemDataRole.ForegroundRole, None
                )
                item.setBackground(bg) if bg.isValid() else item.setData(
                    Qt.ItemDataRole.BackgroundRole, None
                )
                font = item.font()
                font.setBold(state in (*ALARMING, DeadlineState.DUE_1D))
                item.setFont(font)
        if overdue:
            self.overdue_banner.setText(
                "⚠ " + self.tr("OVERDUE PETITION") + "\n" + "\n".join(overdue)
            )
            self.overdue_banner.setStyleSheet(
                f"color:{colors.overdue_fg.name()};background:{colors.overdue_bg.name()};"
                "font-size:16px;font-weight:bold;padding:8px;border:3px solid white;"
            )
            self.overdue_banner.show()
        else:
            self.overdue_banner.hide()

    def overdue_banner_text(self) -> str:
        return "" if self.overdue_banner.isHidden() else self.overdue_banner.text()
