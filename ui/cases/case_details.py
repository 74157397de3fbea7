"""The selected case: its fields, deadline, unit, its closure request, the actions, and its
timeline.

The buttons are the case's actions for its status (``ui.cases.action_state.panel_buttons``): those
the officer may take now, and, grey with the desk's reason as tooltip, those their role may not
(a duty officer's 办结 says a shift leader approves it and that they can request closure).
The desk still checks every action; a grey button is a courtesy, not the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.views import CaseDetail, CaseView, ClosureRequestView, TimelineEntryView
from dispatch_app.domain.deadlines import DeadlineState, Urgency
from dispatch_app.standards.center_time import CENTER_TZ
from ui.cases.action_state import WORKFLOW_ACTIONS, set_available
from ui.cases.queue_model import format_duration
from ui.shell import labels
from ui.shell.i18n import current_language
from ui.shell.theme import palette

ACTION_ORDER = WORKFLOW_ACTIONS

EDIT_CLOSED_STATUSES = ("closed", "cancelled")
"""A closed or cancelled case is a record: reopen it (shift leader, reason) to change it."""


def local_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(CENTER_TZ).strftime("%Y-%m-%d %H:%M:%S")


Assess = Callable[[CaseView, datetime], DeadlineState]
"""The desk's deadline of a case at a moment (``Desk.deadline``)."""


def short_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(CENTER_TZ).strftime("%m-%d %H:%M")


class CaseDetailsPanel(QWidget):
    action_requested = Signal(str)
    """An action button was pressed: triage, dispatch, …, note."""

    def __init__(
        self, unit_name: Callable[[str], str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseDetails")
        self.detail: CaseDetail | None = None
        self._unit_name_of = unit_name or (lambda unit_id: unit_id)
        self._assess: Assess | None = None
        self._clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.header = QLabel(self.tr("No case selected"), self)
        self.header.setObjectName("caseHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.header.setFont(font)
        self.deadline = QLabel(self)
        self.deadline.setObjectName("caseDeadline")
        self.message = QLabel(self)
        self.message.setObjectName("caseMessage")
        self.message.setProperty("role", "formError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.closure_request = QLabel(self)
        self.closure_request.setObjectName("closureRequest")
        self.closure_request.setWordWrap(True)
        self.closure_request.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.closure_request.hide()
        self._build_fields()
        actions = self._build_actions_box()
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.deadline)
        layout.addWidget(self.message)
        layout.addWidget(self.closure_request)
        layout.addLayout(self.fields)
        layout.addWidget(actions)
        layout.addWidget(QLabel(self.tr("Timeline"), self))
        layout.addWidget(self.timeline, 1)
        self.show_detail(None, {})

    def _build_fields(self) -> None:
        """The case's fields, one selectable label each (``self.values``)."""
        self.fields = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for key, text in (
            ("kind", self.tr("Kind")),
            ("status", self.tr("Status")),
            ("priority", self.tr("Priority")),
            ("district", self.tr("District")),
            ("address", self.tr("Address")),
            ("source", self.tr("Source")),
            ("unit", self.tr("Unit")),
            ("enterprise", self.tr("Enterprise")),
            ("level", self.tr("Emergency level")),
            ("created", self.tr("Created")),
            ("response_due", self.tr("Response due")),
            ("resolution_due", self.tr("Resolution due")),
            ("description", self.tr("Description")),
        ):
            label = QLabel(self)
            label.setObjectName(f"detail_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = label
            self.fields.addRow(text, label)

    def _build_actions_box(self) -> QGroupBox:
        """One button per action (``self.buttons``), shown when the case allows it."""
        self.buttons: dict[str, QPushButton] = {}
        actions = QGroupBox(self.tr("Actions"), self)
        grid = QGridLayout(actions)
        self._grid = grid
        names = {
            "triage": self.tr("Triage"),
            "dispatch": self.tr("Dispatch…"),
            "acknowledge": self.tr("Acknowledge"),
            "arrive": self.tr("Arrived on scene"),
            "resolve": self.tr("Resolved"),
            "request_close": self.tr("Request closure…"),
            "approve_close": self.tr("Approve closure"),
            "refuse_close": self.tr("Refuse closure…"),
            "close": self.tr("Close…"),
            "cancel": self.tr("Cancel case…"),
            "reopen": self.tr("Reopen…"),
            "note": self.tr("Add note…"),
            "edit": self.tr("Edit…"),
        }
        for i, (action, text) in enumerate(names.items()):
            button = QPushButton(text, actions)
            button.setObjectName(f"button_{action}")
            button.clicked.connect(lambda _c=False, a=action: self.action_requested.emit(a))
            button.hide()
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[action] = button
        return actions

    def show_message(self, text: str) -> None:
        """A refusal or failure about this case, shown where the officer is looking."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def focus_first_action(self) -> None:
        for action in ACTION_ORDER:
            button = self.buttons[action]
            if button.isVisible() and button.isEnabled():
                button.setFocus()
                return

    def show_detail(self, detail: CaseDetail | None, buttons: Mapping[str, str | None]) -> None:
        """Show ``detail`` with ``buttons``: action name → None (enabled) or the reason it is
        not possible now (grey, the reason as tooltip); actions not named are left out."""
        previous = self.detail.case.id if self.detail is not None else None
        self.detail = detail
        if detail is None or detail.case.id != previous:
            self.show_message("")
        if detail is None:
            self.header.setText(self.tr("No case selected"))
            self.deadline.setText("")
            for label in self.values.values():
                label.setText("")
            for button in self.buttons.values():
                button.hide()
            self.closure_request.hide()
            self.timeline.clear()
            return
        case = detail.case
        zh = current_language() == "zh"
        self.header.setText(f"{case.reference}  {case.title}")
        self.values["kind"].setText(labels.label(labels.KIND, case.kind))
        self.values["status"].setText(labels.label(labels.STATUS, case.status))
        self.values["priority"].setText(labels.label(labels.PRIORITY, case.priority))
        self.values["district"].setText(labels.label(labels.DISTRICT, case.district))
        location = case.address or "—"
        if case.lon is not None and case.lat is not None:
            location += f"  ({case.lon:.5f}, {case.lat:.5f})"
        self.values["address"].setText(location)
        self.values["source"].setText(labels.label(labels.SOURCE, case.source))
        unit = detail.unit
        if unit is None:
            self.values["unit"].setText("—")
        else:
            name = unit.name if zh else unit.name_en
            self.values["unit"].setText(f"{name}  ☎ {unit.phone}")
        if case.enterprise_name or case.credit_code:
            self.values["enterprise"].setText(
                f"{case.enterprise_name or '—'}  {case.credit_code or ''}".strip()
            )
        else:
            self.values["enterprise"].setText("—")
        level = case.details.get("emergency_level")
        self.values["level"].setText(labels.label(labels.EMERGENCY_LEVEL, level) if level else "—")
        self.values["created"].setText(f"{local_time(case.created_at)}  {case.created_by}")
        self.values["response_due"].setText(local_time(case.response_due_at))
        self.values["resolution_due"].setText(local_time(case.resolution_due_at))
        self.values["description"].setText(case.description or "—")
        self.update_deadline(detail)
        self._show_closure_request(detail)
        shown = [a for a in self.buttons if a in buttons]
        # Re-flow the visible buttons so the case's actions sit together, in workflow order,
        # without holes where left-out ones would be.
        for button in self.buttons.values():
            self._grid.removeWidget(button)
            button.hide()
        for i, action in enumerate(shown):
            button = self.buttons[action]
            set_available(button, buttons[action])
            self._grid.addWidget(button, i // 3, i % 3)
            button.show()
        self.timeline.clear()
        for entry in detail.timeline:
            self.timeline.addItem(self._timeline_item(entry))
        self.timeline.scrollToBottom()

    def follow_clock(self, assess: Assess, clock: Callable[[], datetime]) -> None:
        """The countdown is worked out with ``assess`` (the desk's deadline rules) for the
        moment ``clock`` gives (the queue's), on every ``tick`` and when a case is shown,
        instead of staying at the value read with the case."""
        self._assess = assess
        self._clock = clock

    def tick(self, _now: datetime | None = None) -> None:
        """One second passed on the queue's clock: the countdown moves with the queue row."""
        if self.detail is not None and self._assess is not None:
            self.update_deadline(self.detail)

    def _show_closure_request(self, detail: CaseDetail) -> None:
        """A waiting request (who asked, the closure code, their note), or a refusal still
        standing on the resolved case (who refused and why): the officer reads it here."""
        request: ClosureRequestView | None = detail.closure_request
        if request is not None and request.pending:
            text = (
                "◷ "
                + self.tr("Awaiting closure approval — %1, %2 (%3)")
                .replace("%1", request.requested_by)
                .replace("%2", short_time(request.requested_at))
                .replace("%3", labels.label(labels.CLOSURE, request.closure_code))
                + "\n"
                + self.tr("Closing note: %1").replace("%1", request.note)
            )
            self.closure_request.setProperty("role", "notice")
        elif (
            request is not None and request.state == "refused" and detail.case.status == "resolved"
        ):
            text = (
                "↩ "
                + self.tr("Closure request refused — %1, %2")
                .replace("%1", request.decided_by or "—")
                .replace("%2", short_time(request.decided_at))
                + "\n"
                + self.tr("Reason: %1").replace("%1", request.reason or "—")
            )
            self.closure_request.setProperty("role", "formError")
        else:
            self.closure_request.hide()
            return
        self.closure_request.setText(text)
        self.closure_request.style().unpolish(self.closure_request)
        self.closure_request.style().polish(self.closure_request)
        self.closure_request.show()

    def update_deadline(self, detail: CaseDetail) -> None:
        state = detail.deadline
        if self._assess is not None:
            state = self._assess(detail.case, self._clock())
        if state.remaining is None:
            self.deadline.setText(self.tr("No deadline running"))
            self._deadline_style("")
            return
        text = format_duration(state.remaining)
        if state.urgency is Urgency.OVERDUE:
            shown = "⚠ " + self.tr("Overdue by %1").replace("%1", text)
            colors = (palette().overdue_fg, palette().overdue_bg)
        elif state.urgency is Urgency.AT_RISK:
            shown = "◔ " + self.tr("%1 left (at risk)").replace("%1", text)
            colors = (palette().at_risk_fg, palette().at_risk_bg)
        else:
            shown = self.tr("%1 left").replace("%1", text)
            colors = (palette().on_time_fg, QColor())
        self.deadline.setText(shown)
        bg = f"background:{colors[1].name()};" if colors[1].isValid() else ""
        self._deadline_style(f"color:{colors[0].name()};{bg}font-weight:bold;padding:4px;")

    def _deadline_style(self, sheet: str) -> None:
        # Only on a change: re-polishing the label every second would cost a style pass.
        if self.deadline.styleSheet() != sheet:
            self.deadline.setStyleSheet(sheet)

    def _timeline_item(self, entry: TimelineEntryView) -> QListWidgetItem:
        when = local_time(entry.at)
        if entry.entry_kind == "created":
            what = labels.label(labels.ACTION, "create")
        elif entry.entry_kind == "note":
            what = labels.label(labels.ACTION, "note")
        elif entry.entry_kind == "edit":
            what = labels.label(labels.ACTION, "edit")
        else:
            what = labels.label(labels.ACTION, entry.action or "")
            if entry.from_status and entry.to_status:
                what += f"  {labels.label(labels.STATUS, entry.from_status)} → {labels.label(labels.STATUS, entry.to_status)}"
        parts = [f"{when}  {entry.actor}  {what}"]
        if entry.unit_id:
            parts.append("→ " + self._unit_name(entry.unit_id))
        data: dict[str, Any] = entry.data or {}
        if data.get("closure_code"):
            parts.append(labels.label(labels.CLOSURE, data["closure_code"]))
        if data.get("requested_by"):
            parts.append(self.tr("(requested by %1)").replace("%1", str(data["requested_by"])))
        text = "  ".join(parts)
        if entry.text:
            text += "\n" + entry.text
        return QListWidgetItem(text)

    def _unit_name(self, unit_id: str) -> str:
        return self._unit_name_of(unit_id)
