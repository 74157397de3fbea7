"""Help → Keyboard shortcuts (F1): every shortcut of the desk in one scrollable table.

The list is read from the window's actions (so a part's new shortcut is listed without being
written here), grouped by the menu that holds it, plus the keys the queue and the wall's own
window handle themselves. It is a dialog of its own, sized for the smallest screen: the list
once went into the status bar and widened the window past any screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.shell.screen_fit import fitted_size


def keys_text(action: QAction) -> str:
    return ", ".join(
        k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if k
    )


def _menu_title(action: QAction) -> str:
    for widget in action.associatedObjects():
        if isinstance(widget, QMenu):
            return widget.title().replace("&", "")
    return ""


def built_in_keys() -> list[tuple[str, str, str]]:
    """Keys handled by the widgets themselves (no action in a menu)."""
    queue = QCoreApplication.translate("ShortcutsDialog", "Case queue")
    own = QCoreApplication.translate("ShortcutsDialog", "Own window")
    return [
        (
            "↑ ↓, J, K",
            QCoreApplication.translate("ShortcutsDialog", "Move through the cases"),
            queue,
        ),
        (
            "Enter",
            QCoreApplication.translate(
                "ShortcutsDialog", "Open the case: the keyboard goes to its actions"
            ),
            queue,
        ),
        (
            "Alt+1, Alt+2, Alt+3",
            QCoreApplication.translate("ShortcutsDialog", "Needs action, backlog, all open"),
            queue,
        ),
        (
            "Esc",
            QCoreApplication.translate("ShortcutsDialog", "From the search box back to the table"),
            queue,
        ),
        (
            "F11",
            QCoreApplication.translate(
                "ShortcutsDialog", "Full screen on and off (a view in its own window)"
            ),
            own,
        ),
        (
            "Esc",
            QCoreApplication.translate(
                "ShortcutsDialog", "Leave full screen, else back to the main window"
            ),
            own,
        ),
    ]


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str, str]]:
    """(keys, what it does, where) for every action with a shortcut, then the built-in keys."""
    rows = []
    for action in actions:
        keys = keys_text(action)
        if keys:
            rows.append((keys, action.text().replace("&", ""), _menu_title(action)))
    return rows + built_in_keys()


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        intro = QLabel(
            self.tr("The desk is worked from the keyboard. A grey entry in a menu says why.")
        )
        intro.setWordWrap(True)
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action"), self.tr("Menu")])
        for row, values in enumerate(rows):
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, item)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(fitted_size(self.sizeHint().expandedTo(self.table.sizeHint()), parent, 0.85))

    def rows(self) -> list[tuple[str, str, str]]:
        def text(row: int, col: int) -> str:
            item = self.table.item(row, col)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]
