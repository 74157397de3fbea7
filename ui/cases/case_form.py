"""The create-case dialog: all four kinds, errors shown next to the field, nothing lost.

Validation runs twice on purpose: live, with the domain's pure rules, so the officer sees a bad
credit code while typing; and in the desk when saving, which is the authority (the desk may know
more, e.g. a database constraint). A refusal from either marks the field named by the
ValidationError and leaves every typed character in place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from dispatch_app.desk.views import CaseView
from dispatch_app.domain.cases import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    CaseDraft,
    CaseKind,
    validate_coordinates,
    validate_credit_code,
    validate_draft,
)
from dispatch_app.domain.districts import District, Polygon, district_at, district_named_in
from dispatch_app.domain.errors import DomainError, ValidationError
from dispatch_app.domain.masking import MASK
from ui.cases.action_dialogs import Dismissed
from ui.shell import labels
from ui.shell.errors import describe_error
from ui.wall.map.basemap import BasemapError, load_basemap
from ui.widgets.input_guard import guard_inputs

log = logging.getLogger(__name__)

CreateCase = Callable[[CaseDraft], Awaitable[Any]]
EditCase = Callable[[dict[str, Any]], Awaitable[Any]]
"""Saves an edit: the changed fields only (``Desk.edit_case``'s ``changes``)."""

EDIT_FIELDS = (
    "title",
    "description",
    "district",
    "priority",
    "source",
    "address",
    "lon",
    "lat",
    "enterprise_name",
    "credit_code",
)
"""What the edit form changes. The kind is fixed at creation; details belong to the kind
modules (an emergency's level has its own reasoned path), so they are never sent."""

MASKED_TEXT_FIELDS = ("title", "description", "address")
"""Texts the desk shows a petition's numbers masked in (case_details.masked_case_values)."""

_MASKED = MASK * 2
"""Two mask characters in a row: the text holds a masked phone or ID number."""


_areas: list[tuple[str, tuple[Polygon, ...]]] | None = None


def district_areas() -> list[tuple[str, tuple[Polygon, ...]]]:
    """The basemap's district polygons, read once; none (address names only) when the file
    is unreadable, which the map reports on its own."""
    global _areas
    if _areas is None:
        try:
            _areas = [(shape.district, shape.polygons) for shape in load_basemap()]
        except BasemapError as exc:
            log.warning("district from coordinates unavailable: %s", exc)
            _areas = []
    return _areas


def _fill(combo: QComboBox, table: dict[str, str], codes: list[str]) -> None:
    for code in codes:
        combo.addItem(labels.label(table, code), code)


class FieldRow(QWidget):
    """An input with its error line underneath, so the reason sits next to the field."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel(self)
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def set_error(self, text: str | None) -> None:
        self.editor.setProperty("invalid", bool(text))
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)
        self.error.setText(text or "")
        self.error.setVisible(bool(text))


class CaseFormDialog(QDialog):
    """Create a case. ``create`` is the desk call (awaited in the executor)."""

    def __init__(
        self,
        create: CreateCase,
        parent: QWidget | None = None,
        kind: str = "quality",
        *,
        petition_intake: bool = False,
    ) -> None:
        """``petition_intake``: the petitions part is installed, so choosing the kind
        "Petition" hands over to its intake (``routed_to_petition``) instead of creating a
        generic case without petitioner, channel or statutory deadlines."""
        super().__init__(parent)
        self._create = create
        self.created: Any = None
        self.petition_intake = petition_intake
        self.routed_to_petition = False
        self.setObjectName("caseFormDialog")
        self.setWindowTitle(self.tr("New case"))
        self.setMinimumWidth(720)

        self._build_inputs()
        form = self._build_form()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

        self._connect_inputs()
        index = self.kind.findData(kind)
        self.kind.setCurrentIndex(max(index, 0))
        self._kind_changed()
        self.title_edit.setFocus()
        guard_inputs(self)  # Tab leaves the description; the wheel needs a focused box

    def _build_inputs(self) -> None:
        """The editors of every kind; the kind-specific ones are shown by ``_kind_changed``."""
        self.kind = QComboBox(self)
        _fill(self.kind, labels.KIND, [k.value for k in CaseKind])
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(MAX_TITLE + 50)  # over-long text is reported, not cut
        self.description = QPlainTextEdit(self)
        self.description.setMinimumHeight(90)
        self.district = QComboBox(self)
        self.district.setObjectName("caseDistrict")
        # No default: a case filed under the first district of the list by accident goes to
        # the wrong branch. Derived from the address or coordinates until chosen by hand.
        self.district.addItem(self.tr("— choose the district —"), None)
        _fill(self.district, labels.DISTRICT, [d.value for d in District])
        self.district_hint = QLabel(self)
        self.district_hint.setObjectName("districtHint")
        self.district_hint.setProperty("role", "hint")
        self.district_hint.hide()
        self._district_by_hand = False
        self.priority = QComboBox(self)
        _fill(self.priority, labels.PRIORITY, ["P1", "P2", "P3", "P4"])
        self.priority.setCurrentIndex(2)
        self.source = QComboBox(self)
        _fill(self.source, labels.SOURCE, list(labels.SOURCE))
        self.address = QLineEdit(self)
        self.lon = QLineEdit(self)
        self.lon.setPlaceholderText(self.tr("e.g. 119.95 (optional)"))
        self.lat = QLineEdit(self)
        self.lat.setPlaceholderText(self.tr("e.g. 31.78 (optional)"))
        self.enterprise = QLineEdit(self)
        self.credit_code = QLineEdit(self)
        self.credit_code.setPlaceholderText(self.tr("18 characters, e.g. 91320400MA1XXXXXXX"))
        self.credit_hint = QLabel(self)
        self.credit_hint.setProperty("role", "hint")
        self.emergency_level = QComboBox(self)
        _fill(self.emergency_level, labels.EMERGENCY_LEVEL, ["IV", "III", "II", "I"])

    def _build_form(self) -> QFormLayout:
        """The editors in the form, each in a `FieldRow` (``self.rows``) for its error."""
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        def add(field: str, text: str, editor: QWidget) -> FieldRow:
            row = FieldRow(editor, self)
            self.rows[field] = row
            form.addRow(text, row)
            return row

        add("kind", self.tr("Kind"), self.kind)
        add("title", self.tr("Title"), self.title_edit)
        add("description", self.tr("Description"), self.description)
        add("district", self.tr("District"), self.district)
        form.addRow("", self.district_hint)  # one short line under the combo
        add("priority", self.tr("Priority"), self.priority)
        add("source", self.tr("Source"), self.source)
        add("address", self.tr("Address"), self.address)
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
        self.enterprise_label = QLabel(self.tr("Enterprise name"), self)
        self.rows["enterprise_name"] = FieldRow(self.enterprise, self)
        form.addRow(self.enterprise_label, self.rows["enterprise_name"])
        self.credit_label = QLabel(self.tr("Unified social credit code"), self)
        credit_box = QWidget(self)
        credit_layout = QVBoxLayout(credit_box)
        credit_layout.setContentsMargins(0, 0, 0, 0)
        self.rows["credit_code"] = FieldRow(self.credit_code, credit_box)
        credit_layout.addWidget(self.rows["credit_code"])
        credit_layout.addWidget(self.credit_hint)
        self.credit_box = credit_box
        form.addRow(self.credit_label, credit_box)
        self.petition_note = QLabel(
            self.tr(
                "Petitions are taken in through the petition intake form: petitioner, channel "
                "and the statutory deadlines (信访工作条例). What you typed here is not used."
            ),
            self,
        )
        self.petition_note.setObjectName("petitionIntakeNote")
        self.petition_note.setProperty("role", "hint")
        self.petition_note.setWordWrap(True)
        self.petition_note.hide()
        form.addRow(self.petition_note)
        self.level_label = QLabel(self.tr("Emergency level"), self)
        self.rows["emergency_level"] = FieldRow(self.emergency_level, self)
        form.addRow(self.level_label, self.rows["emergency_level"])
        self.rows["details"] = self.rows["emergency_level"]
        return form

    def _build_buttons(self) -> None:
        """The form-wide error line, Save and Cancel."""
        self.form_error = QLabel(self)
        self.form_error.setProperty("role", "formError")
        self.form_error.setWordWrap(True)
        self.form_error.setObjectName("formError")
        self.form_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Create case"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _connect_inputs(self) -> None:
        """The kind shows its fields; the place derives the district; live length and code checks."""
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.district.activated.connect(self._district_chosen)
        for edit in (self.address, self.lon, self.lat):
            edit.textChanged.connect(lambda _t: self.derive_district())
        self.credit_code.textChanged.connect(self._check_credit_live)
        self.title_edit.textChanged.connect(lambda _t: self._check_length("title", MAX_TITLE))
        self.description.textChanged.connect(
            lambda: self._check_length("description", MAX_DESCRIPTION)
        )

    # ---- kind-specific parts -------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self) -> None:
        violation = self.current_kind() == CaseKind.VIOLATION.value
        emergency = self.current_kind() == CaseKind.EMERGENCY.value
        for w in (self.enterprise_label, self.rows["enterprise_name"], self.credit_label):
            w.setVisible(violation)
        self.credit_box.setVisible(violation)
        self.level_label.setVisible(emergency)
        self.rows["emergency_level"].setVisible(emergency)
        if emergency and self.priority.currentData() in ("P3", "P4"):
            self.priority.setCurrentIndex(self.priority.findData("P2"))
        to_intake = self.routes_to_petition_intake()
        self.petition_note.setVisible(to_intake)
        if hasattr(self, "save_button"):
            self.save_button.setText(
                self.tr("Open petition intake…") if to_intake else self.tr("Create case")
            )

    # ---- district -----------------------------------------------------------------------
    def _district_chosen(self, index: int) -> None:
        # Choosing the empty entry hands the choice back to the address and coordinates.
        self._district_by_hand = self.district.itemData(index) is not None
        self.district_hint.hide()
        if not self._district_by_hand:
            self.derive_district()

    def derived_district(self) -> tuple[District | None, str]:
        """The district the coordinates (a basemap polygon) or else the address name, with
        the hint that says where it came from."""
        point: tuple[float, float] | None
        try:
            point = (
                float(self.lon.text().strip().replace("，", ".")),
                float(self.lat.text().strip().replace("，", ".")),
            )
        except ValueError:
            point = None  # none typed yet, or not a number (Save says so)
        if point is not None:
            found = district_at(*point, district_areas())
            if found is not None:
                if found is District.WUJIN:  # the basemap has no polygon of its own for 经开区
                    return found, self.tr(
                        "From the coordinates: check it. The Economic Development Zone lies "
                        "within Wujin."
                    )
                return found, self.tr("From the coordinates: check it.")
        named = district_named_in(self.address.text())
        if named is not None:
            return named, self.tr("From the district named in the address: check it.")
        return None, ""

    def derive_district(self) -> None:
        if self._district_by_hand:
            return
        found, hint = self.derived_district()
        index = self.district.findData(found.value if found is not None else None)
        self.district.setCurrentIndex(max(index, 0))
        self.district_hint.setText(hint)
        self.district_hint.setVisible(bool(hint))
        if found is not None:
            self.rows["district"].set_error(None)

    def routes_to_petition_intake(self) -> bool:
        return self.petition_intake and self.current_kind() == CaseKind.PETITION.value

    # ---- live validation -----------------------------------------------------------------
    def _check_credit_live(self, text: str) -> None:
        typed = "".join(text.split())
        if not typed:
            self.rows["credit_code"].set_error(None)
            self.credit_hint.setText("")
            return
        if len(typed) < 18:
            self.rows["credit_code"].set_error(None)
            self.credit_hint.setText(self.tr("%1 of 18 characters").replace("%1", str(len(typed))))
            return
        try:
            validate_credit_code(typed)
        except DomainError as exc:
            self.rows["credit_code"].set_error(describe_error(exc))
            self.credit_hint.setText("")
        else:
            self.rows["credit_code"].set_error(None)
            self.credit_hint.setText(self.tr("✔ check character correct"))

    def _check_length(self, field: str, maximum: int) -> None:
        editor = self.rows[field].editor
        text = editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()  # type: ignore[attr-defined]
        if len(text.strip()) > maximum:
            self.rows[field].set_error(
                self.tr("%1 characters; at most %2 are allowed")
                .replace("%1", str(len(text.strip())))
                .replace("%2", str(maximum))
            )
        elif self.rows[field].error.isVisible():
            self.rows[field].set_error(None)

    # ---- submit --------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error(None)
        self.form_error.hide()

    def show_field_error(self, field: str, text: str) -> None:
        row = self.rows.get(field)
        if row is None:
            self.form_error.setText(text)
            self.form_error.show()
            return
        row.set_error(text)
        row.editor.setFocus()

    def _coordinate(self, field: str) -> float | None:
        text = self.rows[field].editor.text().strip().replace("，", ".")  # type: ignore[attr-defined]
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise ValidationError(
                field,
                "error.coordinate_not_number",
                f"{field} must be a number",
                ("经度" if field == "lon" else "纬度") + "必须是数字",
            ) from None

    def draft(self) -> CaseDraft:
        """The draft from the form; raises ValidationError for an unparsable coordinate."""
        kind = self.current_kind()
        details: dict[str, Any] = {}
        if kind == CaseKind.EMERGENCY.value:
            details["emergency_level"] = self.emergency_level.currentData()
        violation = kind == CaseKind.VIOLATION.value
        lon = self._coordinate("lon")
        lat = self._coordinate("lat")
        # None when nothing is chosen yet: validate_draft refuses it by name ("请选择所属辖区"),
        # after the fields above it, as the officer reads the form.
        district = self.district.currentData()
        return CaseDraft(
            kind=CaseKind(kind),
            title=self.title_edit.text(),
            district=district,
            priority=self.priority.currentData(),
            source=self.source.currentData(),
            description=self.description.toPlainText(),
            address=self.address.text(),
            lon=lon,
            lat=lat,
            enterprise_name=self.enterprise.text() if violation else None,
            credit_code=self.credit_code.text() if violation else None,
            details=details,
        )

    def checked_draft(self) -> CaseDraft:
        """The form's draft through the domain's rules: normalised, or ValidationError naming
        the field (the same rules for creating and editing)."""
        draft = self.draft()
        validate_coordinates(draft.lon, draft.lat)
        return validate_draft(draft)

    async def save(self, draft: CaseDraft) -> Any:
        """The desk call behind Save; the edit dialog overrides it."""
        return await self._create(draft)

    @asyncSlot()
    async def submit(self) -> None:
        self.clear_errors()
        if self.routes_to_petition_intake():
            # The petition intake opens next (the workspace does it): nothing is created here.
            self.routed_to_petition = True
            self.reject()
            return
        try:
            draft = self.checked_draft()
        except ValidationError as exc:
            self.show_field_error(exc.field, describe_error(exc))
            return
        self.save_button.setEnabled(False)
        try:
            self.created = await self.save(draft)
        except Dismissed:
            # The officer saw a conflict and kept the other workstation's version.
            self.reject()
            return
        except ValidationError as exc:
            self.show_field_error(exc.field, describe_error(exc))
            return
        except Exception as exc:
            self.form_error.setText(describe_error(exc))
            self.form_error.show()
            return
        finally:
            self.save_button.setEnabled(True)
        self.accept()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in the multi-line description must add a line, not save half a case.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.description.hasFocus():
            return
        super().keyPressEvent(event)


def _code(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


class CaseEditDialog(CaseFormDialog):
    """Edit a case: the create form, filled in from the case, with its live checks and field
    errors. Only fields the officer changed are sent, so a field someone else changed meanwhile
    is never overwritten by the value this form happened to show (and a petition's masked
    numbers are never written back over the stored ones)."""

    def __init__(self, edit: EditCase, case: CaseView, parent: QWidget | None = None) -> None:
        async def refuse_create(_draft: CaseDraft) -> Any:
            raise RuntimeError("the edit dialog does not create cases")

        super().__init__(refuse_create, parent, kind=_code(case.kind))
        self._edit = edit
        self.case = case
        self.setObjectName("caseEditDialog")
        self.setWindowTitle(self.tr("Edit case %1").replace("%1", case.reference))
        self.save_button.setText(self.tr("Save changes"))
        self.kind.setEnabled(False)  # a different kind is a different case
        # The level is decided with a reason in the emergency part, never here.
        self.level_label.setVisible(False)
        self.rows["emergency_level"].setVisible(False)
        self._fill_from(case)
        self.locked_fields: tuple[str, ...] = ()
        self._lock_masked_texts(case)

    def _lock_masked_texts(self, case: CaseView) -> None:
        """A petition's text that shows masked numbers is read-only here: saving the masked
        text would overwrite the numbers the database keeps in full (the petition's own
        view, with its audited reveal, is where they are worked with)."""
        if _code(case.kind) != CaseKind.PETITION.value:
            return
        locked = tuple(f for f in MASKED_TEXT_FIELDS if _MASKED in (getattr(case, f) or ""))
        note = self.tr(
            "Holds a petitioner's masked phone or ID number: it cannot be changed here, so the "
            "stored number is never overwritten."
        )
        self._locked_note = note
        for field in locked:
            editor = self.rows[field].editor
            editor.setReadOnly(True)  # type: ignore[attr-defined]
            editor.setToolTip(note)
        self.locked_fields = locked
        self._show_locked_notes()

    def _show_locked_notes(self) -> None:
        for field in self.locked_fields:
            line = self.rows[field].error
            line.setProperty("role", "hint")  # an explanation, not an error
            line.style().unpolish(line)
            line.style().polish(line)
            line.setText(self._locked_note)
            line.show()

    def clear_errors(self) -> None:
        super().clear_errors()
        if hasattr(self, "locked_fields"):
            self._show_locked_notes()

    def _kind_changed(self) -> None:
        super()._kind_changed()
        if hasattr(self, "case"):
            self.level_label.setVisible(False)
            self.rows["emergency_level"].setVisible(False)

    def _select(self, combo: QComboBox, code: Any) -> None:
        index = combo.findData(_code(code))
        if index >= 0:
            combo.setCurrentIndex(index)

    def _fill_from(self, case: CaseView) -> None:
        # The case's district stands: editing the address never moves it silently.
        self._district_by_hand = True
        self.title_edit.setText(case.title)
        self.description.setPlainText(case.description)
        self._select(self.district, case.district)
        self._select(self.priority, case.priority)
        self._select(self.source, case.source)
        self.address.setText(case.address)
        self.lon.setText("" if case.lon is None else repr(case.lon))
        self.lat.setText("" if case.lat is None else repr(case.lat))
        self.enterprise.setText(case.enterprise_name or "")
        self.credit_code.setText(case.credit_code or "")

    def draft(self) -> CaseDraft:
        draft = super().draft()
        if self.current_kind() != CaseKind.VIOLATION.value:
            # Other kinds may carry an enterprise (a petition about a factory): keep it.
            draft = replace(
                draft,
                enterprise_name=self.case.enterprise_name,
                credit_code=self.case.credit_code,
            )
        return draft

    def changes(self, draft: CaseDraft | None = None) -> dict[str, Any]:
        """The fields whose checked value differs from the case as it was shown."""
        clean = draft if draft is not None else self.checked_draft()
        out: dict[str, Any] = {}
        for name in EDIT_FIELDS:
            new = _code(getattr(clean, name))
            if new != _code(getattr(self.case, name)):
                if name in self.locked_fields:
                    raise ValidationError(
                        name,
                        "error.masked_text_locked",
                        f"{name} holds masked personal numbers and cannot be edited here",
                        "该内容含已脱敏的个人号码，不能在此修改",
                    )
                out[name] = new
        return out

    async def save(self, draft: CaseDraft) -> Any:
        changes = self.changes(draft)
        if not changes:
            return self.case
        return await self._edit(changes)

    def field_name(self, field: str) -> str:
        """The form's own label of a field, for the conflict dialog's side-by-side rows."""
        names = {
            "title": self.tr("Title"),
            "description": self.tr("Description"),
            "district": self.tr("District"),
            "priority": self.tr("Priority"),
            "source": self.tr("Source"),
            "address": self.tr("Address"),
            "lon": self.tr("Longitude"),
            "lat": self.tr("Latitude"),
            "enterprise_name": self.tr("Enterprise name"),
            "credit_code": self.tr("Unified social credit code"),
        }
        return names.get(field, field)

    @staticmethod
    def shown_value(field: str, value: Any) -> str:
        """A field's value as the officer reads it (names for codes, — for nothing)."""
        value = _code(value)
        if value is None or value == "":
            return "—"
        tables = {"district": labels.DISTRICT, "priority": labels.PRIORITY, "source": labels.SOURCE}
        if field in tables:
            return labels.label(tables[field], str(value))
        return str(value)

    def compare_rows(
        self, theirs: CaseView, changes: dict[str, Any]
    ) -> tuple[list[tuple[str, str]], str]:
        """Their value of each field the officer changed, and the officer's values as text."""
        their_rows = [
            (self.field_name(f), self.shown_value(f, getattr(theirs, f))) for f in changes
        ]
        yours = "\n".join(
            f"{self.field_name(f)}: {self.shown_value(f, v)}" for f, v in changes.items()
        )
        return their_rows, yours
