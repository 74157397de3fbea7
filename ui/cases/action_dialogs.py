"""Dialogs for working a case: dispatch, transitions that need words, notes, conflicts.

Every dialog keeps what the officer typed when the desk refuses: the reason appears inside the
dialog, the dialog stays open, and the text is still there to correct or resubmit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from dispatch_app.desk.views import CaseView, UnitLoad
from dispatch_app.domain.errors import ValidationError
from ui.cases.case_details import local_time
from ui.shell import labels
from ui.shell.errors import describe_error
from ui.shell.i18n import current_language

Perform = Callable[[dict[str, Any]], Awaitable[Any]]


class Dismissed(Exception):
    """The officer chose not to go on (e.g. dropped their change in a conflict)."""


class AsyncFormDialog(QDialog):
    """A dialog whose OK runs ``perform(values)``; errors are shown inside, input is kept."""

    def __init__(self, perform: Perform, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._perform = perform
        self.result_value: Any = None
        self.error = QLabel(self)
        self.error.setObjectName("dialogError")
        self.error.setProperty("role", "formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.body)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def values(self) -> dict[str, Any]:
        return {}

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    @asyncSlot()
    async def submit(self) -> None:
        self.error.hide()
        self.ok_button.setEnabled(False)
        try:
            self.result_value = await self._perform(self.values())
        except Dismissed:
            self.reject()
            return
        except Exception as exc:
            self.show_error(describe_error(exc))
            return
        finally:
            self.ok_button.setEnabled(True)
        self.accept()


class TextActionDialog(AsyncFormDialog):
    """Close (closure code + note), cancel or reopen (reason), resolve (outcome), add a note,
    or an optional note for a plain transition.

    ``required`` is the (translated) message that refuses an empty text, for an action whose
    text may not be empty: nothing is sent until the text is there."""

    def __init__(
        self,
        perform: Perform,
        case: CaseView,
        title: str,
        prompt: str,
        *,
        with_closure: bool = False,
        text: str = "",
        required: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(perform, parent)
        self.required = required
        self.setObjectName("textActionDialog")
        self.setWindowTitle(title)
        self.ok_button.setText(title)
        header = QLabel(f"{case.reference}  {case.title}", self)
        header.setWordWrap(True)
        self.body.addWidget(header)
        form = QFormLayout()
        self.closure: QComboBox | None = None
        if with_closure:
            self.closure = QComboBox(self)
            self.closure.setObjectName("closureCode")
            self.closure.addItem(self.tr("— choose how the case ended —"), None)
            for code in labels.CLOSURE:
                self.closure.addItem(labels.label(labels.CLOSURE, code), code)
            form.addRow(self.tr("Closure code"), self.closure)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("actionText")
        self.text.setPlainText(text)
        self.text.setMinimumHeight(120)
        form.addRow(prompt, self.text)
        self.body.addLayout(form)
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"text": self.text.toPlainText()}
        if self.required is not None and not values["text"].strip():
            self.text.setFocus()
            raise ValidationError("note", "error.text_required", self.required, self.required)
        if self.closure is not None:
            values["closure_code"] = self.closure.currentData() or ""
        return values


class DispatchDialog(AsyncFormDialog):
    """Choose a unit: district, contact and open load of each; the branch of the case's
    district is preselected and marked."""

    def __init__(
        self,
        perform: Perform,
        units: list[UnitLoad],
        case_count: int,
        title_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(perform, parent)
        self.setObjectName("dispatchDialog")
        self.setWindowTitle(self.tr("Dispatch"))
        self.ok_button.setText(self.tr("Dispatch"))
        self.setMinimumSize(900, 640)
        header = QLabel(title_text, self)
        header.setWordWrap(True)
        self.body.addWidget(header)
        if case_count > 1:
            self.body.addWidget(
                QLabel(self.tr("%1 cases will be dispatched.").replace("%1", str(case_count)), self)
            )
        # The suggested branch first, then the other units of its district (its field
        # stations), then the rest in registry order: the likely choices are on screen.
        home = next((u.unit.district for u in units if u.suggested), None)
        units = sorted(
            units, key=lambda u: (not u.suggested, home is not None and u.unit.district != home)
        )
        self.units = units
        zh = current_language() == "zh"
        self.table = QTableWidget(len(units), 5, self)
        self.table.setObjectName("unitTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Unit"),
                self.tr("Type"),
                self.tr("District"),
                self.tr("Contact"),
                self.tr("Open cases"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        suggested_row = 0
        for row, load in enumerate(units):
            unit = load.unit
            name = unit.name if zh else unit.name_en
            if load.suggested:
                name = "★ " + name + "  " + self.tr("(suggested: branch of the district)")
                suggested_row = row
            cells = [
                name,
                labels.label(labels.UNIT_TYPE, unit.kind),
                labels.label(labels.DISTRICT, unit.district)
                if unit.district
                else self.tr("City-wide"),
                unit.phone,
                str(load.open_load),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header_view.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        if units:
            self.table.selectRow(suggested_row)
        self.body.addWidget(self.table, 1)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("dispatchNote")
        self.note.setPlaceholderText(self.tr("Instructions for the unit (optional)"))
        self.note.setMaximumHeight(90)
        self.body.addWidget(self.note)
        self.table.setFocus()

    def selected_unit_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.units[rows[0].row()].unit.id

    def select_unit(self, unit_id: str) -> None:
        for row, load in enumerate(self.units):
            if load.unit.id == unit_id:
                self.table.selectRow(row)
                return

    def values(self) -> dict[str, Any]:
        unit_id = self.selected_unit_id()
        if unit_id is None:
            raise ValidationError("unit", "error.unit_required", "choose a unit", "请选择处置单位")
        return {"unit_id": unit_id, "text": self.note.toPlainText()}


class ConflictDialog(QDialog):
    """Someone else changed the case first. Shows their version and the officer's change side by
    side; the officer's text stays editable and is what gets reapplied."""

    def __init__(
        self,
        theirs: CaseView,
        your_version: int,
        action_title: str,
        your_text: str,
        parent: QWidget | None = None,
        *,
        their_fields: list[tuple[str, str]] | None = None,
        text_editable: bool = True,
    ) -> None:
        """``their_fields`` adds rows to their side (for an edit: their value of each field
        the officer changed). ``text_editable`` False shows the officer's change read-only,
        when it is kept and corrected in the form behind (the edit dialog stays open)."""
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.setMinimumSize(900, 480)
        intro = QLabel(
            self.tr(
                "This case was changed on another workstation after you opened it. Nothing was "
                "overwritten. Compare the two versions, then reapply your change on theirs or "
                "drop it."
            ),
            self,
        )
        intro.setWordWrap(True)
        their_box = QGroupBox(
            self.tr("Their version (version %1)").replace("%1", str(theirs.version)), self
        )
        their_box.setObjectName("theirVersion")
        their_form = QFormLayout(their_box)
        unit = theirs.unit_id or "—"
        rows = [
            (self.tr("Status"), labels.label(labels.STATUS, theirs.status)),
            (self.tr("Priority"), labels.label(labels.PRIORITY, theirs.priority)),
            (self.tr("Unit"), unit),
            (self.tr("Title"), theirs.title),
            *(their_fields or []),
            (self.tr("Changed by"), f"{theirs.updated_by}  {local_time(theirs.updated_at)}"),
        ]
        self.their_labels: list[QLabel] = []
        for name, value in rows:
            label = QLabel(value, their_box)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.their_labels.append(label)
            their_form.addRow(name, label)
        your_box = QGroupBox(
            self.tr("Your change (made on version %1)").replace("%1", str(your_version)), self
        )
        your_box.setObjectName("yourVersion")
        your_layout = QVBoxLayout(your_box)
        your_layout.addWidget(QLabel(action_title, your_box))
        self.your_text = QPlainTextEdit(your_box)
        self.your_text.setObjectName("yourText")
        self.your_text.setPlainText(your_text)
        self.your_text.setReadOnly(not text_editable)
        your_layout.addWidget(self.your_text)
        sides = QHBoxLayout()
        sides.addWidget(their_box, 1)
        sides.addWidget(your_box, 1)
        buttons = QDialogButtonBox(self)
        self.reapply_button = buttons.addButton(
            self.tr("Reapply my change on their version"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.reapply_button.setObjectName("reapplyButton")
        self.drop_button = buttons.addButton(
            self.tr("Keep theirs, drop mine"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.drop_button.setObjectName("dropButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sides, 1)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.your_text.toPlainText()
