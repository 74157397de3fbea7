"""The create-case dialog: all four kinds, errors shown next to the field, nothing lost.

Validation runs twice on purpose: live, with the domain's pure rules, so the officer sees a bad
credit code while typing; and in the desk when saving, which is the authority (the desk may know
more, e.g. a database constraint). A refusal from either marks the field named by the
ValidationError and leaves every typed character in place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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

from dispatch_app.domain.cases import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    CaseDraft,
    CaseKind,
    validate_coordinates,
    validate_credit_code,
    validate_draft,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import DomainError, ValidationError
from ui import labels
from ui.errors import describe_error

CreateCase = Callable[[CaseDraft], Awaitable[Any]]


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
    ) -> None:
        super().__init__(parent)
        self._create = create
        self.created: Any = None
        self.setObjectName("caseFormDialog")
        self.setWindowTitle(self.tr("New case"))
        self.setMinimumWidth(720)

        self.kind = QComboBox(self)
        _fill(self.kind, labels.KIND, [k.value for k in CaseKind])
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(MAX_TITLE + 50)  # over-long text is reported, not cut
        self.description = QPlainTextEdit(self)
        self.description.setMinimumHeight(90)
        self.district = QComboBox(self)
        _fill(self.district, labels.DISTRICT, [d.value for d in District])
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
        self.level_label = QLabel(self.tr("Emergency level"), self)
        self.rows["emergency_level"] = FieldRow(self.emergency_level, self)
        form.addRow(self.level_label, self.rows["emergency_level"])
        self.rows["details"] = self.rows["emergency_level"]

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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.credit_code.textChanged.connect(self._check_credit_live)
        self.title_edit.textChanged.connect(lambda _t: self._check_length("title", MAX_TITLE))
        self.description.textChanged.connect(
            lambda: self._check_length("description", MAX_DESCRIPTION)
        )
        index = self.kind.findData(kind)
        self.kind.setCurrentIndex(max(index, 0))
        self._kind_changed()
        self.title_edit.setFocus()

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
        return CaseDraft(
            kind=CaseKind(kind),
            title=self.title_edit.text(),
            district=District(self.district.currentData()),
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

    @asyncSlot()
    async def submit(self) -> None:
        self.clear_errors()
        try:
            draft = self.draft()
            validate_coordinates(draft.lon, draft.lat)
            validate_draft(draft)
        except ValidationError as exc:
            self.show_field_error(exc.field, describe_error(exc))
            return
        self.save_button.setEnabled(False)
        try:
            self.created = await self._create(draft)
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
