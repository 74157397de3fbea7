"""CAP messages in the emergency panel: the history box and the preview before anything goes.

Nothing outward-facing leaves on one click. `CapPreviewDialog` shows the message the desk
built, in words (headline, area, severity, urgency, certainty, instruction …) and as raw XML
on a second tab, with the configured recipients as checkboxes and the scope; the officer may
edit the instruction and add a note. After every change the message is checked again (the
desk's checks and the CAP 1.2 schema, in the executor); the confirm button names what will
happen and stays disabled, saying why, while nobody is ticked or the message fails a check.
The dialog never sends: it emits ``confirmed`` and the integration sends, then closes it or
shows the refusal in it.

`CapHistoryBox` lists the emergency's messages (sent, updated, cancelled, received; by whom,
when, to whom) and offers Send / Update / Cancel / Export XML, each disabled with its reason.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.desk.emergencies import CapDraft, CapRecord
from dispatch_app.domain import cap
from dispatch_app.domain.cap_distribution import CapChoices, CapProblem, message_problems
from dispatch_app.domain.emergencies import Circle, Polygon
from dispatch_app.standards.center_time import CENTER_TZ
from ui.shell.i18n import current_language
from ui.shell.screen_fit import fitted_size
from ui.shell.theme import palette

Validator = Callable[[cap.CapMessage], Awaitable[list[CapProblem]]]
CHECK_DELAY_MS = 300  # typing in the instruction re-checks once the officer pauses


def _when(t: Any) -> str:
    return t.astimezone(CENTER_TZ).strftime("%m-%d %H:%M:%S") if t is not None else ""


class CapPreviewDialog(QDialog):
    """Preview of one CAP message, then confirmation (see the module's docstring)."""

    confirmed = Signal(object)  # CapChoices

    def __init__(
        self,
        draft: CapDraft,
        validate: Validator | None = None,
        parent: QWidget | None = None,
        confirm_text: Callable[[int], str] | None = None,
    ) -> None:
        """``confirm_text(n)`` names what confirming does when it is more than sending
        (changing the pollution alert)."""
        super().__init__(parent)
        self.setObjectName("capPreview")
        self.draft = draft
        self.validate = validate
        self.confirm_text = confirm_text
        self.msg_type = draft.message.msg_type
        self.message = draft.message
        self.problems: list[CapProblem] = list(draft.problems)
        self._checked: cap.CapMessage | None = None  # the message ``problems`` belong to
        self._check_task: asyncio.Future[Any] | None = None
        self._sending = False
        self.setWindowTitle(
            {
                cap.MsgType.ALERT: self.tr("Preview CAP alert before sending"),
                cap.MsgType.UPDATE: self.tr("Preview CAP update before sending"),
                cap.MsgType.CANCEL: self.tr("Preview CAP cancellation before sending"),
            }.get(self.msg_type, self.tr("Preview CAP message"))
        )
        layout = QVBoxLayout(self)
        if draft.message.status is cap.Status.EXERCISE:
            drill = QLabel(
                "⚑ "
                + self.tr("EXERCISE: sent with status Exercise, a drill message, not a real one")
            )
            drill.setObjectName("capExercise")
            drill.setWordWrap(True)
            drill.setStyleSheet(
                f"background:{palette().at_risk_bg.name()};color:{palette().at_risk_fg.name()};"
                "font-weight:bold;padding:4px;"
            )
            layout.addWidget(drill)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("capTabs")
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._message_tab(), self.tr("Message"))
        self.xml = QPlainTextEdit()
        self.xml.setObjectName("capXml")
        self.xml.setReadOnly(True)
        self.xml.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.xml.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.tabs.addTab(self.xml, self.tr("XML (CAP 1.2)"))
        layout.addWidget(self._recipients_box())

        self.status = QLabel()
        self.status.setObjectName("capStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Do not send"))
        self.cancel_button.setObjectName("capDoNotSend")
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("capConfirm")
        self.confirm_button.setAutoDefault(False)  # Enter in a field never sends
        self.cancel_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self._confirm)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self._check)
        self._changed(initial=True)
        self._fit()

    # ---- building ------------------------------------------------------------------------
    def _label(self, text: str, name: str = "", rich: bool = False) -> QLabel:
        label = QLabel(text)
        # Officer and agency text is shown as typed, never read as markup.
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if name:
            label.setObjectName(name)
        return label

    def _message_tab(self) -> QWidget:
        msg = self.draft.message
        info = msg.infos[0]
        body = QWidget()
        form = QFormLayout(body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        kind = {
            cap.MsgType.ALERT: self.tr("Alert: a new message"),
            cap.MsgType.UPDATE: self.tr("Update: replaces the earlier message(s)"),
            cap.MsgType.CANCEL: self.tr("Cancel: withdraws the earlier message(s)"),
        }.get(msg.msg_type, msg.msg_type.value)
        status = {
            cap.Status.ACTUAL: self.tr("Actual (a real event)"),
            cap.Status.EXERCISE: self.tr("Exercise (a drill)"),
        }.get(msg.status, msg.status.value)
        self.headline = self._label(f"<b>{html.escape(info.headline)}</b>", "capHeadline", True)
        form.addRow(self.tr("Headline"), self.headline)
        form.addRow(self.tr("Message type"), self._label(f"{kind} ({msg.msg_type.value})"))
        form.addRow(self.tr("Status"), self._label(f"{status} ({msg.status.value})"))
        form.addRow(self.tr("Event"), self._label(info.event))
        form.addRow(self.tr("Severity"), self._label(self._severity(info.severity), "capSeverity"))
        form.addRow(self.tr("Urgency"), self._label(self._urgency(info.urgency), "capUrgency"))
        form.addRow(
            self.tr("Certainty"), self._label(self._certainty(info.certainty), "capCertainty")
        )
        self.area = self._label(self._areas(info.areas), "capArea")
        form.addRow(self.tr("Area"), self.area)
        if info.description:
            form.addRow(self.tr("Description"), self._label(info.description))
        self.instruction = QPlainTextEdit(self.draft.instruction)
        self.instruction.setObjectName("capInstruction")
        self.instruction.setTabChangesFocus(True)
        self.instruction.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.instruction.textChanged.connect(self._changed)
        form.addRow(self.tr("Instruction"), self.instruction)
        self.note = QLineEdit()
        self.note.setObjectName("capNote")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(
            self.tr("Why it is updated or cancelled (shown to the recipients)")
            if msg.msg_type is not cap.MsgType.ALERT
            else self.tr("A note to the recipients (optional)")
        )
        self.note.textChanged.connect(self._changed)
        form.addRow(self.tr("Note"), self.note)
        refs = [
            self.tr("{0} ({1}, sent {2})").format(r.identifier, r.msg_type, _when(r.sent_at))
            for r in self.draft.earlier
        ] or [self.tr("none: the first message of this emergency")]
        form.addRow(self.tr("References"), self._label("\n".join(refs), "capReferences"))
        form.addRow(self.tr("Sender"), self._label(f"{info.sender_name} <{msg.sender}>"))
        form.addRow(self.tr("Identifier"), self._label(msg.identifier, "capIdentifier"))
        form.addRow(self.tr("Sent"), self._label(self.tr("when you confirm")))

        scroll = QScrollArea()
        scroll.setObjectName("capMessageScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.body = body
        return scroll

    def _recipients_box(self) -> QGroupBox:
        """Scope and one checkbox per configured recipient with its channel and address;
        the list scrolls inside so a long list never pushes the buttons off a small screen."""
        box = QGroupBox(self.tr("Recipients"))
        box.setObjectName("capRecipients")
        rows = QVBoxLayout(box)
        scope_row = QHBoxLayout()
        self.scope = QComboBox()
        self.scope.setObjectName("capScope")
        for code, text in (
            ("Public", self.tr("Public: for everyone")),
            ("Restricted", self.tr("Restricted: agencies with an operational need")),
            ("Private", self.tr("Private: only the recipients ticked")),
        ):
            self.scope.addItem(f"{text} ({code})", code)
        self.scope.setCurrentIndex(max(self.scope.findData(self.draft.scope), 0))
        self.scope.currentIndexChanged.connect(self._changed)
        scope_row.addWidget(QLabel(self.tr("Scope")))
        scope_row.addWidget(self.scope, 1)
        rows.addLayout(scope_row)
        self.checks: dict[str, QCheckBox] = {}
        zh = current_language() == "zh"
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        muted = f"color:{palette().muted_fg.name()};"
        for i, r in enumerate(self.draft.recipients):
            name, channel = (r.name, r.channel) if zh else (r.name_en, r.channel_en)
            check = QCheckBox(name)
            check.setObjectName(f"capRecipient_{r.id}")
            check.setChecked(r.id in self.draft.preselected)
            check.toggled.connect(self._changed)
            self.checks[r.id] = check
            detail = f"{channel}  <{r.address}>" + (" *" if r.sample else "")
            how = self._label(detail)
            how.setStyleSheet(muted)
            grid.addWidget(check, i, 0)
            grid.addWidget(how, i, 1)
        scroll = QScrollArea()
        scroll.setObjectName("capRecipientScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(grid_widget)
        scroll.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        rows.addWidget(scroll)
        if any(r.sample for r in self.draft.recipients):
            note = self._label(self.tr("* sample address (rules/cap.toml): replace before use"))
            note.setStyleSheet(muted)
            rows.addWidget(note)
        return box

    def sizeHint(self) -> QSize:
        # Never taller or wider than the screen allows: the message tab scrolls (``_fit``).
        return super().sizeHint().boundedTo(fitted_size(QSize(860, 700), self, 0.9))

    def _fit(self) -> None:
        """At most 90 % of the screen (1280×720 included); the message tab scrolls."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 860, 700
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    # ---- readable values ---------------------------------------------------------------
    def _severity(self, code: str) -> str:
        text = {
            "Extreme": self.tr("Extreme: extraordinary threat to life or property"),
            "Severe": self.tr("Severe: significant threat to life or property"),
            "Moderate": self.tr("Moderate: possible threat to life or property"),
            "Minor": self.tr("Minor: minimal to no known threat"),
            "Unknown": self.tr("Unknown: the level is not decided yet"),
        }.get(code, code)
        return f"{text} ({code})"

    def _urgency(self, code: str) -> str:
        text = {
            "Immediate": self.tr("Immediate: act now"),
            "Expected": self.tr("Expected: act within the next hour"),
            "Future": self.tr("Future: act in the near future"),
            "Past": self.tr("Past: no action needed any more"),
            "Unknown": self.tr("Unknown"),
        }.get(code, code)
        return f"{text} ({code})"

    def _certainty(self, code: str) -> str:
        text = {
            "Observed": self.tr("Observed: determined to have occurred"),
            "Likely": self.tr("Likely: more likely than not"),
            "Possible": self.tr("Possible: possible but not likely"),
            "Unlikely": self.tr("Unlikely: not expected to occur"),
            "Unknown": self.tr("Unknown"),
        }.get(code, code)
        return f"{text} ({code})"

    def _areas(self, areas: Sequence[cap.CapArea]) -> str:
        lines = []
        for area in areas:
            lines.append(area.desc)
            for c in area.circles:
                lines.append(self._circle(c))
            for p in area.polygons:
                lines.append(self._polygon(p))
            for name, value in area.geocodes:
                lines.append(self.tr("geocode {0} {1}").format(name, value))
        return "\n".join(lines) or self.tr("no area")

    def _circle(self, c: Circle) -> str:
        return self.tr("circle: centre {0:.4f}°N {1:.4f}°E, radius {2:g} km").format(
            c.lat, c.lon, round(c.radius_m / 1000.0, 3)
        )

    def _polygon(self, p: Polygon) -> str:
        corners = " ".join(f"{lat:.4f},{lon:.4f}" for lon, lat in p.points[:-1])
        return self.tr("polygon of {0} corners (lat,lon): {1}").format(len(p.points) - 1, corners)

    # ---- state ---------------------------------------------------------------------------
    def choices(self) -> CapChoices:
        chosen = tuple(r for r in self.draft.recipients if self.checks[r.id].isChecked())
        return CapChoices(
            chosen,
            str(self.scope.currentData()),
            self.instruction.toPlainText(),
            self.note.text(),
        )

    def recipient_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.choices().recipients)

    def _changed(self, *_: object, initial: bool = False) -> None:
        self.message = self.draft.apply(self.choices())
        self.xml.setPlainText(cap.to_xml(self.message))
        if initial and self.message == self.draft.apply(self.draft.choices()):
            self._checked = self.message  # the desk checked the defaults with the draft
        else:
            self._checked = None
            self.problems = message_problems(self.message)  # at once; the schema follows
            if not self.problems and self.validate is not None:
                self._timer.start()
            elif not self.problems:
                self._checked = self.message
        self._show_state()

    def _check(self) -> None:
        if self.validate is None or self._sending:
            return
        message = self.message
        if self._check_task is not None and not self._check_task.done():
            self._check_task.cancel()

        async def run() -> None:
            assert self.validate is not None
            found = await self.validate(message)
            if message == self.message:  # the officer has not changed it again since
                self.problems = list(found)
                self._checked = message
                self._show_state()

        self._check_task = asyncio.ensure_future(run())

    def why_not(self) -> str:
        """Why the confirm button is disabled now ('' when it is enabled)."""
        if self._sending:
            return self.tr("Sending…")
        if not self.choices().recipients:
            return self.tr("Tick at least one recipient.")
        if self.problems:
            lang = current_language()
            return (
                self.tr("This message cannot be sent, it fails the checks:")
                + "\n"
                + "\n".join("⚠ " + p.text(lang) for p in self.problems)
            )
        if self._checked != self.message:
            return self.tr("Checking against the CAP 1.2 schema…")
        return ""

    def _show_state(self) -> None:
        n = len(self.choices().recipients)
        exercise = self.message.status is cap.Status.EXERCISE
        text = (
            self.confirm_text(n)
            if self.confirm_text is not None
            else {
                cap.MsgType.ALERT: self.tr("Send CAP alert to %n recipient(s)", "", n),
                cap.MsgType.UPDATE: self.tr("Send CAP update to %n recipient(s)", "", n),
                cap.MsgType.CANCEL: self.tr("Send CAP cancellation to %n recipient(s)", "", n),
            }.get(self.msg_type, self.tr("Send CAP message to %n recipient(s)", "", n))
        )
        if exercise:
            text = self.tr("[Exercise]") + " " + text
        self.confirm_button.setText(text)
        why = self.why_not()
        self.confirm_button.setEnabled(not why)
        self.confirm_button.setToolTip(why)
        self.status.setText(why)
        self.status.setVisible(bool(why))
        bad = bool(self.problems) or (not self._sending and n == 0)
        self.status.setStyleSheet(f"color:{palette().overdue_bg.name()};" if bad else "")

    def _confirm(self) -> None:
        if self.why_not():
            return
        self._sending = True
        self.cancel_button.setEnabled(False)
        self._show_state()
        self.confirmed.emit(self.choices())

    def reject(self) -> None:
        if not self._sending:  # Escape while the desk is sending: wait for its answer
            super().reject()

    def refused(self, text: str) -> None:
        """The desk refused the send: say why, keep everything the officer chose."""
        self._sending = False
        self.cancel_button.setEnabled(True)
        self._show_state()
        self.status.setText("⚠ " + text)
        self.status.setVisible(True)
        self.status.setStyleSheet(f"color:{palette().overdue_bg.name()};")


class CapHistoryBox(QGroupBox):
    """The emergency's CAP messages and the actions on them."""

    send_requested = Signal(str)  # "Alert" | "Update" | "Cancel"
    export_requested = Signal(int)  # cap message id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("CAP messages"))
        self.setObjectName("capHistory")
        self.records: list[CapRecord] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("capHistoryTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Message"), self.tr("By"), self.tr("To")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Send CAP alert…"))
        self.send_button.setObjectName("capSend")
        self.update_button = QPushButton(self.tr("Update…"))
        self.update_button.setObjectName("capUpdate")
        self.cancel_button = QPushButton(self.tr("Cancel alert…"))
        self.cancel_button.setObjectName("capCancel")
        self.export_button = QPushButton(self.tr("Export XML…"))
        self.export_button.setObjectName("capExport")
        for b in (self.send_button, self.update_button, self.cancel_button, self.export_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.reason = QLabel()
        self.reason.setObjectName("capWhy")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color:{palette().muted_fg.name()};")
        layout.addWidget(self.reason)
        self.send_button.clicked.connect(lambda: self.send_requested.emit("Alert"))
        self.update_button.clicked.connect(lambda: self.send_requested.emit("Update"))
        self.cancel_button.clicked.connect(lambda: self.send_requested.emit("Cancel"))
        self.export_button.clicked.connect(self._export)
        self._has_case = False
        self._can_work = False
        self._update_buttons()

    def set_enabled(self, has_case: bool, can_work: bool) -> None:
        self._has_case = has_case
        self._can_work = can_work
        self._update_buttons()

    def in_force(self) -> CapRecord | None:
        """The newest message this emergency sent, unless it was a Cancel."""
        own = [r for r in self.records if r.direction == "sent" and r.alert_seq is None]
        if not own or own[-1].msg_type == cap.MsgType.CANCEL.value:
            return None
        return own[-1]

    def show_records(self, records: Sequence[CapRecord]) -> None:
        selected = self.selected()
        self.records = list(records)
        self.table.setRowCount(len(self.records))
        zh = current_language() == "zh"
        for i, r in enumerate(self.records):
            kind = {
                "Alert": self.tr("Alert"),
                "Update": self.tr("Update"),
                "Cancel": self.tr("Cancel"),
            }.get(r.msg_type, r.msg_type)
            what = f"{kind} {r.identifier}"
            if r.status == cap.Status.EXERCISE.value:
                what += " " + self.tr("[Exercise]")
            if r.direction == "received":
                what = self.tr("Received from {0}: {1}").format(r.sender, what)
            elif r.alert_seq is not None:
                what = self.tr("Pollution alert: {0}").format(what)
            to = "、" if zh else ", "
            names = to.join(x.name for x in r.recipients) or "—"
            if r.scope:
                names += f" ({r.scope})"
            cells = [_when(r.sent_at), what, r.recorded_by, names]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(text)
                self.table.setItem(i, col, item)
            if selected is not None and r.id == selected.id:
                self.table.selectRow(i)
        self.table.resizeRowsToContents()
        self._update_buttons()

    def selected(self) -> CapRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()]

    def _export(self) -> None:
        record = self.selected()
        if record is not None:
            self.export_requested.emit(record.id)

    def _update_buttons(self) -> None:
        live = self.in_force()
        reasons: list[str] = []
        if not self._has_case:
            why = self.tr("Select an emergency first.")
            for b in (self.send_button, self.update_button, self.cancel_button):
                b.setEnabled(False)
                b.setToolTip(why)
            reasons.append(why)
        elif not self._can_work:
            why = self.tr("Sending CAP messages needs a duty officer or shift leader.")
            for b in (self.send_button, self.update_button, self.cancel_button):
                b.setEnabled(False)
                b.setToolTip(why)
            reasons.append(why)
        else:
            self.send_button.setEnabled(live is None)
            self.send_button.setToolTip(
                ""
                if live is None
                else self.tr("{0} is in force: send an update or cancel it").format(live.identifier)
            )
            for b in (self.update_button, self.cancel_button):
                b.setEnabled(live is not None)
                b.setToolTip(
                    ""
                    if live is not None
                    else self.tr("No CAP message of this emergency is in force")
                )
            if live is None:
                reasons.append(self.tr("Update and cancel need a CAP message in force."))
            else:
                reasons.append(
                    self.tr("A new alert waits until {0} is cancelled.").format(live.identifier)
                )
        has_selection = self.selected() is not None
        self.export_button.setEnabled(has_selection)
        self.export_button.setToolTip(
            "" if has_selection else self.tr("Select a message in the list to export it")
        )
        if self.records and not has_selection:
            reasons.append(self.tr("Select a message to export its XML."))
        self.reason.setText(" ".join(reasons))
        self.reason.setVisible(bool(reasons))
