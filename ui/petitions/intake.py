"""The petition intake form, and its phone-call mode for the 12345/12369 hotlines.

A hotline officer registers a petition while the caller is still on the line: the form opens
with a call clock running, works from the keyboard alone (the tab order follows the call:
number, name, what, where), and shows earlier petitions from the same number and likely
duplicates about the same place as the officer types, so "you called about this last week"
can be said before the call ends. Those look-ups are debounced and run in the executor; a
slow database never delays a keystroke.

Nothing typed is ever lost: every bad field is marked at once (the domain's
`validate_petition` collects them all, the desk's refusal is shown the same way), the form
stays open, and Esc asks before throwing a half-taken call away.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from dispatch_app.desk.petitions import DuplicateHit, PetitionSummary
from dispatch_app.domain.cases import validate_credit_code
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import DomainError, ValidationError
from dispatch_app.domain.petitions import (
    Channel,
    PetitionDetail,
    Petitioner,
    PetitionInvalid,
    Subject,
    id_number_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
    validate_petition,
)
from dispatch_app.standards.center_time import CENTER_TZ
from ui.cases.case_form import FieldRow
from ui.petitions import formats
from ui.shell import labels
from ui.shell.errors import describe_error
from ui.shell.i18n import current_language
from ui.shell.screen_fit import fitted_size
from ui.widgets.file_dialogs import FileMode, choose_files

LOOKUP_DEBOUNCE_MS = 400
"""Quiet time after the last keystroke before the look-ups run: a typist's pause, not a lag."""
HOTLINES = (Channel.HOTLINE_12369, Channel.HOTLINE_12345)


@dataclass
class IntakeRequest:
    """What the form hands to the desk: the detail, the case-level choices, files to store."""

    detail: PetitionDetail
    district: str
    priority: str
    attachment_paths: list[Path] = field(default_factory=list)


SaveIntake = Callable[[IntakeRequest], Awaitable[Any]]
EarlierLookup = Callable[[str], Awaitable[list[PetitionSummary]]]
DuplicateLookup = Callable[[PetitionDetail], Awaitable[list[DuplicateHit]]]


def _to_qdatetime(value: datetime) -> QDateTime:
    local = value.astimezone(CENTER_TZ)
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )


def _from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(
        d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=CENTER_TZ
    )


class PetitionIntakeDialog(QDialog):
    """Register a petition. ``save`` is the desk call (stores attachments, then intake)."""

    looked_up = Signal()
    """Emitted after each look-up landed (tests wait on it; nothing else needs it)."""

    def __init__(
        self,
        save: SaveIntake,
        *,
        now: Callable[[], datetime],
        earlier: EarlierLookup | None = None,
        duplicates: DuplicateLookup | None = None,
        phone_call: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._now = now
        self._earlier = earlier
        self._duplicates = duplicates
        self.phone_call = phone_call
        self.created: Any = None
        self._lookup_generation = 0
        self._call_started = time.monotonic()
        self.setObjectName("petitionIntakeDialog")
        self.setWindowTitle(
            self.tr("Hotline call: new petition") if phone_call else self.tr("New petition")
        )
        # Roomy where the screen allows; the form scrolls, so it fits 1280×720 too.
        self.resize(fitted_size(QSize(1240, 900), parent, 0.95))

        self._build_caller_inputs()
        self._build_problem_inputs()
        # The form on the left, what we already know on the right.
        form = self._build_form()
        hint = self._build_call_clock()
        known = self._build_known()
        self._build_discard_bar()
        self._build_buttons()

        top = QHBoxLayout()
        top.addWidget(self.call_clock)
        top.addWidget(hint, 1)
        # The form scrolls rather than squeezing its fields when errors add lines under them.
        form_widget = QWidget(self)
        form_widget.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setObjectName("intakeFormScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form_widget)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 3)
        columns.addLayout(known, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns, 1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.discard_bar)
        layout.addWidget(self.buttons)

        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, self.submit)

        self._connect_lookups()
        self._set_tab_order()
        (self.phone if phone_call else self.channel).setFocus()

    # ---- building the dialog -------------------------------------------------------------
    def _build_caller_inputs(self) -> None:
        """Channel, time, and who calls."""
        self.channel = QComboBox(self)
        self.channel.setObjectName("channel")
        channels = list(HOTLINES) if self.phone_call else list(Channel)
        for c in channels:
            self.channel.addItem(labels.label(Channel, c), c.value)
        self.received_at = QDateTimeEdit(_to_qdatetime(self._now()), self)
        self.received_at.setObjectName("receivedAt")
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_at.setCalendarPopup(True)
        self.anonymous = QCheckBox(self.tr("Anonymous (no name or ID recorded)"), self)
        self.anonymous.setObjectName("anonymous")
        self.name = QLineEdit(self)
        self.name.setObjectName("petitionerName")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("petitionerPhone")
        self.phone.setPlaceholderText(self.tr("11-digit mobile or landline with area code"))
        self.id_number = QLineEdit(self)
        self.id_number.setObjectName("petitionerId")
        self.id_number.setPlaceholderText(self.tr("18 characters (optional)"))
        self.contact_address = QLineEdit(self)
        self.contact_address.setObjectName("contactAddress")
        self.contact_address.setPlaceholderText(self.tr("For a reply by post (optional)"))

    def _build_problem_inputs(self) -> None:
        """What the petition is about, where, and the files that come with it."""
        self.subject = QComboBox(self)
        self.subject.setObjectName("subject")
        self.subject.addItem(self.tr("— choose what it is about —"), None)
        for s in Subject:
            self.subject.addItem(labels.label(Subject, s), s.value)
        self.district = QComboBox(self)
        self.district.setObjectName("district")
        self.district.addItem(self.tr("— choose the district —"), None)
        for d in District:
            self.district.addItem(labels.label(labels.DISTRICT, d.value), d.value)
        self.priority = QComboBox(self)
        self.priority.setObjectName("priority")
        for p in ("P1", "P2", "P3", "P4"):
            self.priority.addItem(labels.label(labels.PRIORITY, p), p)
        self.priority.setCurrentIndex(2)
        self.address = QLineEdit(self)
        self.address.setObjectName("address")
        self.lon = QLineEdit(self)
        self.lon.setObjectName("lon")
        self.lon.setPlaceholderText(self.tr("e.g. 119.95 (optional)"))
        self.lat = QLineEdit(self)
        self.lat.setObjectName("lat")
        self.lat.setPlaceholderText(self.tr("e.g. 31.78 (optional)"))
        self.enterprise = QLineEdit(self)
        self.enterprise.setObjectName("enterprise")
        self.enterprise.setPlaceholderText(self.tr("The enterprise complained about, if any"))
        self.credit_code = QLineEdit(self)
        self.credit_code.setObjectName("creditCode")
        self.credit_code.setPlaceholderText(self.tr("18 characters, e.g. 91320400MA1XXXXXXX"))
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)  # keyboard only: Tab leaves the text
        self.description.setMinimumHeight(110)
        self.description.setPlaceholderText(
            self.tr("What the petitioner reports, in their words: what, where, since when")
        )
        self.attachments = QListWidget(self)
        self.attachments.setObjectName("attachments")
        self.attachments.setMaximumHeight(80)
        self.add_file = QPushButton(self.tr("Add file…"), self)
        self.add_file.setObjectName("addFile")
        self.remove_file = QPushButton(self.tr("Remove"), self)
        self.remove_file.setObjectName("removeFile")
        self.add_file.clicked.connect(self._choose_files)
        self.remove_file.clicked.connect(self._remove_file)

    def _build_form(self) -> QFormLayout:
        """The inputs in the form's order, each in a `FieldRow` (``self.rows``) for its error."""
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        def add(key: str, text: str, editor: QWidget) -> FieldRow:
            row = FieldRow(editor, self)
            self.rows[key] = row
            form.addRow(text, row)
            return row

        add("channel", self.tr("Channel"), self.channel)
        add("received_at", self.tr("Received at (Beijing time)"), self.received_at)
        add("petitioner.phone", self.tr("Phone"), self.phone)
        add("petitioner.name", self.tr("Petitioner"), self.name)
        add("petitioner.anonymous", "", self.anonymous)
        add("subject", self.tr("Subject"), self.subject)
        add("address", self.tr("Address of the problem"), self.address)
        coords = QWidget(self)
        grid = QGridLayout(coords)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rows["lon"] = FieldRow(self.lon, coords)
        self.rows["lat"] = FieldRow(self.lat, coords)
        grid.addWidget(QLabel(self.tr("Longitude"), coords), 0, 0)
        grid.addWidget(self.rows["lon"], 0, 1)
        grid.addWidget(QLabel(self.tr("Latitude"), coords), 0, 2)
        grid.addWidget(self.rows["lat"], 0, 3)
        form.addRow(self.tr("Location"), coords)
        add("district", self.tr("District"), self.district)
        add("description", self.tr("Description"), self.description)
        add("enterprise_name", self.tr("Enterprise"), self.enterprise)
        add("credit_code", self.tr("Unified social credit code"), self.credit_code)
        add("petitioner.id_number", self.tr("ID number"), self.id_number)
        add("petitioner.contact_address", self.tr("Postal address"), self.contact_address)
        add("priority", self.tr("Priority"), self.priority)
        files = QWidget(self)
        files_layout = QHBoxLayout(files)
        files_layout.setContentsMargins(0, 0, 0, 0)
        files_layout.addWidget(self.attachments, 1)
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(self.add_file)
        file_buttons.addWidget(self.remove_file)
        file_buttons.addStretch(1)
        files_layout.addLayout(file_buttons)
        self.rows["attachments"] = FieldRow(files, self)
        form.addRow(self.tr("Attachments"), self.rows["attachments"])
        return form

    def _build_call_clock(self) -> QLabel:
        """The running call's clock (phone-call mode) and the keyboard hint, which it returns."""
        self.call_clock = QLabel(self)
        self.call_clock.setObjectName("callClock")
        self.call_clock.setStyleSheet("font-size:20px;font-weight:bold;padding:4px 8px;")
        self.call_clock.setVisible(self.phone_call)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick_call_clock)
        if self.phone_call:
            self._tick_call_clock()
            self._clock_timer.start()
        hint = QLabel(
            self.tr("Tab: next field · Ctrl+Enter: save · Esc: discard (asks first)"), self
        )
        hint.setObjectName("keyboardHint")
        hint.setProperty("role", "hint")
        return hint

    def _build_known(self) -> QVBoxLayout:
        """What the desk already knows: earlier petitions from the number, likely duplicates."""
        known = QVBoxLayout()
        earlier_box = QGroupBox(self.tr("Earlier petitions from this number"), self)
        earlier_box.setObjectName("earlierBox")
        eb = QVBoxLayout(earlier_box)
        self.earlier_list = QListWidget(earlier_box)
        self.earlier_list.setObjectName("earlierList")
        self.earlier_list.setWordWrap(True)
        self.earlier_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not in the typing path
        eb.addWidget(self.earlier_list)
        dup_box = QGroupBox(self.tr("Likely duplicates (same place, enterprise or text)"), self)
        dup_box.setObjectName("duplicatesBox")
        db = QVBoxLayout(dup_box)
        self.duplicate_list = QListWidget(dup_box)
        self.duplicate_list.setObjectName("duplicateList")
        self.duplicate_list.setWordWrap(True)
        self.duplicate_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for lst in (self.earlier_list, self.duplicate_list):
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        db.addWidget(self.duplicate_list)
        self.lookup_state = QLabel(self)
        self.lookup_state.setObjectName("lookupState")
        self.lookup_state.setProperty("role", "hint")
        self.lookup_state.setWordWrap(True)
        waiting = self.tr("Shown as you type the number, the place or the enterprise.")
        self.earlier_list.addItem(waiting)
        self.duplicate_list.addItem(waiting)
        known.addWidget(earlier_box, 1)
        known.addWidget(dup_box, 2)
        known.addWidget(self.lookup_state)
        return known

    def _build_discard_bar(self) -> None:
        """The form's error line and the bar that asks before Esc discards a call."""
        self.form_error = QLabel(self)
        self.form_error.setObjectName("formError")
        self.form_error.setProperty("role", "formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self.discard_bar = QFrame(self)
        self.discard_bar.setObjectName("discardBar")
        # The bar is dark red on both themes; its question paints no background of its own
        # (the theme's QWidget rule would give it the window's, white text on near-white).
        self.discard_bar.setStyleSheet(
            "#discardBar{background:#8e1519;}"
            " #discardBar QLabel{color:white;background:transparent;font-weight:bold;}"
        )
        bar = QHBoxLayout(self.discard_bar)
        self.discard_question = QLabel(
            self.tr("Discard everything typed for this petition? Esc again discards."), self
        )
        self.discard_question.setObjectName("discardQuestion")
        bar.addWidget(self.discard_question)
        self.discard_button = QPushButton(self.tr("Discard"), self.discard_bar)
        self.discard_button.setObjectName("discardButton")
        self.keep_button = QPushButton(self.tr("Keep editing"), self.discard_bar)
        self.keep_button.setObjectName("keepButton")
        self.discard_button.clicked.connect(self.discard)
        self.keep_button.clicked.connect(self._keep_editing)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.keep_button)
        self.discard_bar.hide()

    def _build_buttons(self) -> None:
        """Save (only Ctrl+Enter or a click: Enter in a field never saves) and Cancel."""
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save_button is not None
        self.save_button = save_button
        self.save_button.setText(self.tr("Register petition (Ctrl+Enter)"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setText(self.tr("Cancel"))
        for button in (self.save_button, cancel):
            # Enter in a line edit must never save half a call: only Ctrl+Enter saves.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _connect_lookups(self) -> None:
        """Look-ups while typing (debounced) and the live checks of single fields."""
        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DEBOUNCE_MS)
        self._lookup_timer.timeout.connect(self._run_lookups)
        for edit in (self.phone, self.address, self.lon, self.lat, self.enterprise):
            edit.textChanged.connect(self._schedule_lookups)
        self.credit_code.textChanged.connect(self._schedule_lookups)
        self.description.textChanged.connect(self._schedule_lookups)
        self.subject.currentIndexChanged.connect(self._schedule_lookups)
        self.phone.editingFinished.connect(self._check_phone_live)
        self.id_number.editingFinished.connect(self._check_id_live)
        self.credit_code.editingFinished.connect(self._check_credit_live)
        self.anonymous.toggled.connect(self._anonymous_changed)

    # ---- keyboard ------------------------------------------------------------------------
    def _set_tab_order(self) -> None:
        """The order of a call: who (number first: it finds earlier petitions), then what and
        where, then the optional rest. A letter or visit starts from the channel."""
        chain: list[QWidget] = [
            self.phone,
            self.name,
            self.anonymous,
            self.subject,
            self.address,
            self.district,
            self.description,
            self.enterprise,
            self.credit_code,
            self.id_number,
            self.contact_address,
            self.lon,
            self.lat,
            self.priority,
            self.channel,
            self.received_at,
            self.add_file,
            self.save_button,
        ]
        if not self.phone_call:
            chain = [self.channel, self.received_at, *chain[:-4], self.add_file, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.submit()
            # A plain Enter in a line edit does nothing: saving takes Ctrl+Enter.
            return
        super().keyPressEvent(event)

    def _tick_call_clock(self) -> None:
        elapsed = int(time.monotonic() - self._call_started)
        minutes, seconds = divmod(elapsed, 60)
        self.call_clock.setText(
            "☎ " + self.tr("On the call %1").replace("%1", f"{minutes:02d}:{seconds:02d}")
        )

    def call_elapsed_text(self) -> str:
        return self.call_clock.text()

    # ---- discarding ----------------------------------------------------------------------
    def is_dirty(self) -> bool:
        texts = (
            self.name,
            self.phone,
            self.id_number,
            self.contact_address,
            self.address,
            self.lon,
            self.lat,
            self.enterprise,
            self.credit_code,
        )
        return (
            any(e.text().strip() for e in texts)
            or bool(self.description.toPlainText().strip())
            or self.attachments.count() > 0
            or self.subject.currentData() is not None
        )

    def reject(self) -> None:
        """Esc or Cancel: ask first when anything was typed (Esc twice discards)."""
        if self.created is not None or not self.is_dirty() or self.discard_bar.isVisible():
            self.discard()
            return
        self.discard_bar.show()
        self.keep_button.setFocus()

    def _stop_background(self) -> None:
        """No more ticks or look-ups: a look-up still in flight finds its result unwanted."""
        self._clock_timer.stop()
        self._lookup_timer.stop()
        self._lookup_generation += 1

    def discard(self) -> None:
        self._stop_background()
        super().reject()

    def _keep_editing(self) -> None:
        self.discard_bar.hide()
        self.description.setFocus()

    # ---- attachments ---------------------------------------------------------------------
    def add_attachment_paths(self, paths: list[Path]) -> None:
        for path in paths:
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.attachments.addItem(item)

    def attachment_paths(self) -> list[Path]:
        return [
            Path(str(self.attachments.item(i).data(Qt.ItemDataRole.UserRole)))
            for i in range(self.attachments.count())
        ]

    def _choose_files(self) -> None:
        choose_files(
            self,
            self.tr("Photos and documents for the petition"),
            self.add_attachment_paths,
            mode=FileMode.OPEN_MANY,
        )

    def _remove_file(self) -> None:
        for item in self.attachments.selectedItems():
            self.attachments.takeItem(self.attachments.row(item))

    # ---- live checks ---------------------------------------------------------------------
    def _anonymous_changed(self, anonymous: bool) -> None:
        # Kept, not cleared: unticking again must bring the typed name back.
        self.name.setEnabled(not anonymous)
        self.id_number.setEnabled(not anonymous)

    def _check_phone_live(self) -> None:
        raw = self.phone.text().strip()
        if not raw:
            self.rows["petitioner.phone"].set_error(None)
            return
        why = phone_problem(normalize_phone(raw))
        self.rows["petitioner.phone"].set_error(
            self.tr(
                "Not a phone number: an 11-digit mobile (1…) or a landline with its area "
                "code (0519…)"
            )
            if why
            else None
        )

    def _check_id_live(self) -> None:
        raw = self.id_number.text().strip()
        if not raw:
            self.rows["petitioner.id_number"].set_error(None)
            return
        why = id_number_problem(normalize_id_number(raw), self._now().date())
        self.rows["petitioner.id_number"].set_error(
            self.tr("Not a valid 18-character resident ID: %1").replace("%1", why) if why else None
        )

    def _check_credit_live(self) -> None:
        raw = "".join(self.credit_code.text().split())
        if not raw:
            self.rows["credit_code"].set_error(None)
            return
        try:
            validate_credit_code(raw)
        except DomainError as exc:
            self.rows["credit_code"].set_error(describe_error(exc))
        else:
            self.rows["credit_code"].set_error(None)

    # ---- building the detail -------------------------------------------------------------
    def _coordinate(self, edit: QLineEdit, key: str, problems: list[ValidationError]) -> Any:
        text = edit.text().strip().replace("，", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            problems.append(
                ValidationError(
                    key,
                    "error.coordinate_not_number",
                    f"{key} must be a number",
                    ("经度" if key == "lon" else "纬度") + "必须是数字",
                )
            )
            return None

    def detail(self, problems: list[ValidationError] | None = None) -> PetitionDetail:
        """The detail as typed (not yet validated); unparsable coordinates go to ``problems``."""
        problems = problems if problems is not None else []
        lon = self._coordinate(self.lon, "lon", problems)
        lat = self._coordinate(self.lat, "lat", problems)
        anonymous = self.anonymous.isChecked()
        return PetitionDetail(
            channel=self.channel.currentData(),
            received_at=_from_qdatetime(self.received_at.dateTime()),
            # Not yet validated: a missing subject is reported by check(), not assumed.
            subject=self.subject.currentData() or "",  # type: ignore[arg-type]
            description=self.description.toPlainText(),
            petitioner=Petitioner(
                name="" if anonymous else self.name.text(),
                phone=self.phone.text(),
                id_number="" if anonymous else self.id_number.text(),
                anonymous=anonymous,
                contact_address=self.contact_address.text(),
            ),
            address=self.address.text(),
            lon=lon,
            lat=lat,
            enterprise_name=self.enterprise.text().strip() or None,
            credit_code=self.credit_code.text().strip() or None,
        )

    def check(self) -> tuple[IntakeRequest | None, list[ValidationError]]:
        """Every problem of the form at once (the domain's rules plus the district)."""
        problems: list[ValidationError] = []
        detail = self.detail(problems)
        try:
            validate_petition(detail, self._now())
        except PetitionInvalid as exc:
            problems.extend(exc.problems)
        except ValidationError as exc:
            problems.append(exc)
        if self.subject.currentData() is None:
            # The domain lists the allowed codes; the officer needs to hear what to do.
            problems = [p for p in problems if p.field != "subject"]
            problems.append(
                ValidationError(
                    "subject",
                    "error.field_empty",
                    "choose what the petition is about",
                    "请选择信访事项类别",
                )
            )
        if self.district.currentData() is None:
            problems.append(
                ValidationError(
                    "district",
                    "error.field_empty",
                    "choose the district the problem is in",
                    "请选择问题所在区",
                )
            )
        if problems:
            return None, problems
        request = IntakeRequest(
            detail=detail,
            district=str(self.district.currentData()),
            priority=str(self.priority.currentData()),
            attachment_paths=self.attachment_paths(),
        )
        return request, []

    # ---- errors --------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error(None)
        self.form_error.hide()

    def _row_for(self, key: str) -> FieldRow | None:
        if key.startswith("attachments"):
            return self.rows["attachments"]
        if key == "lon/lat":
            return self.rows["lon"]
        return self.rows.get(key)

    def show_problems(self, problems: list[ValidationError]) -> None:
        """Marks every bad field (two problems on one field: both texts) and focuses the first."""
        texts: dict[str, list[str]] = {}
        unplaced: list[str] = []
        first: FieldRow | None = None
        for problem in problems:
            row = self._row_for(problem.field)
            text = describe_error(problem)
            if row is None:
                unplaced.append(text)
                continue
            key = next(k for k, v in self.rows.items() if v is row)
            texts.setdefault(key, []).append(text)
            first = first or row
        for key, messages in texts.items():
            self.rows[key].set_error("\n".join(dict.fromkeys(messages)))
        summary = self.tr("%1 fields need attention; nothing was saved and nothing was lost.")
        shown = [summary.replace("%1", str(len(texts)))] if texts else []
        self.form_error.setText("\n".join([*shown, *unplaced]))
        self.form_error.show()
        if first is not None:
            first.editor.setFocus()

    def bad_fields(self) -> list[str]:
        """The fields marked now (for tests and for the screenshot review)."""
        return [k for k, row in self.rows.items() if row.error.isVisible()]

    # ---- saving --------------------------------------------------------------------------
    @asyncSlot()
    async def submit(self) -> None:
        if not self.save_button.isEnabled():
            return  # a save is already under way (Ctrl+Enter pressed twice)
        self.clear_errors()
        self.discard_bar.hide()
        request, problems = self.check()
        if request is None:
            self.show_problems(problems)
            return
        self.save_button.setEnabled(False)
        try:
            self.created = await self._save(request)
        except PetitionInvalid as exc:
            self.show_problems(exc.problems)
            return
        except ValidationError as exc:
            self.show_problems([exc])
            return
        except Exception as exc:
            self.form_error.setText(describe_error(exc))
            self.form_error.show()
            return
        finally:
            self.save_button.setEnabled(True)
        self._stop_background()
        self.accept()

    # ---- look-ups while typing -----------------------------------------------------------
    def _schedule_lookups(self, *_args: Any) -> None:
        if self._earlier is None and self._duplicates is None:
            return
        self._lookup_timer.start()

    def _probe(self) -> PetitionDetail | None:
        """A lenient detail for the duplicate search: what can be compared so far."""
        detail = self.detail([])
        enough = (
            detail.description.strip()
            or detail.address.strip()
            or detail.enterprise_name
            or (detail.lon is not None and detail.lat is not None)
        )
        if not enough:
            return None
        credit = (detail.credit_code or "").strip().upper() or None
        return PetitionDetail(
            channel=detail.channel,
            received_at=detail.received_at,
            subject=detail.subject or Subject.OTHER,
            description=detail.description,
            petitioner=Petitioner(phone=normalize_phone(detail.petitioner.phone)),
            address=detail.address,
            lon=detail.lon if detail.lat is not None else None,
            lat=detail.lat if detail.lon is not None else None,
            enterprise_name=detail.enterprise_name,
            credit_code=credit,
        )

    @asyncSlot()
    async def _run_lookups(self) -> None:
        self._lookup_generation += 1
        generation = self._lookup_generation
        number = normalize_phone(self.phone.text())
        probe = self._probe()
        self.lookup_state.setText(self.tr("Looking up earlier petitions…"))
        earlier: list[PetitionSummary] = []
        hits: list[DuplicateHit] = []
        failure = ""
        try:
            if self._earlier is not None and number.isdigit() and len(number) >= 7:
                earlier = await self._earlier(number)
            if self._duplicates is not None and probe is not None:
                hits = await self._duplicates(probe)
        except Exception as exc:  # a failed look-up must never block the intake itself
            failure = describe_error(exc)
        if generation != self._lookup_generation:
            return  # the officer typed on (a newer look-up is coming) or the form closed
        self.show_earlier(earlier)
        self.show_duplicates(hits)
        self.lookup_state.setText(
            self.tr("Look-up failed: %1").replace("%1", failure) if failure else ""
        )
        self.looked_up.emit()

    def show_earlier(self, rows: list[PetitionSummary]) -> None:
        self.earlier_list.clear()
        if not rows:
            self.earlier_list.addItem(self.tr("None found."))
            return
        for s in rows:
            item = QListWidgetItem(
                f"{s.reference}  {labels.label(labels.STATUS, s.status)}  "
                f"{formats.local_time(s.received_at)}\n{s.title}"
            )
            item.setData(Qt.ItemDataRole.UserRole, s.case_id)
            self.earlier_list.addItem(item)

    def show_duplicates(self, hits: list[DuplicateHit]) -> None:
        self.duplicate_list.clear()
        if not hits:
            self.duplicate_list.addItem(self.tr("None found."))
            return
        lang = "zh" if current_language() == "zh" else "en"
        for h in hits:
            merged = (
                "  " + self.tr("(already merged into another petition)")
                if h.merged_into is not None
                else ""
            )
            item = QListWidgetItem(
                f"{h.reference}  {round(h.score * 100)}%  {h.title}{merged}\n"
                f"{formats.local_time(h.received_at)}  {h.reasons_text(lang)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, h.case_id)
            self.duplicate_list.addItem(item)

    def listed_references(self, which: QListWidget) -> list[str]:
        return [which.item(i).text().split("  ")[0] for i in range(which.count())]
