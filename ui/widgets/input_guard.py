"""Inputs that behave in a scrolling form: one mechanism for every form and panel of the desk.

- A spin box or combo box changes its value under the mouse wheel only when it has the
  keyboard focus (Qt.FocusPolicy.StrongFocus: a click or Tab gives it focus, the wheel alone
  does not). Over an unfocused one the wheel event is ignored, so it reaches the scroll area
  around it: scrolling the emergency panel never turns 1 200 evacuated into 1 206.
- A multi-line text editor hands Tab on to the next field instead of typing a tab, so the
  keyboard is never trapped in a description.

``guard_inputs(root)`` applies both to ``root`` and everything inside it, and is safe to call
again (a widget is set up once). The main window calls it for every view it hosts
(``MainWindow.add_view``) and the workspace for every dialog it opens (``run_dialog``); a form
shown another way calls it itself.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

GUARDED = "wheelGuarded"
"""Dynamic property set on every widget the guard watches (tests look for it)."""

WHEEL_INPUTS = (QAbstractSpinBox, QComboBox)
TEXT_EDITORS = (QPlainTextEdit, QTextEdit)


class WheelGuard(QObject):
    """Ignores wheel events for spin and combo boxes that do not have the focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            # Filtered out and not accepted: Qt hands it on along the parent chain, up to
            # the scroll area, which scrolls.
            event.ignore()
            return True
        return False


_guard: WheelGuard | None = None


def wheel_guard() -> WheelGuard:
    """The one filter object of the application (parented to it, so it lives as long)."""
    global _guard
    if _guard is None or not shiboken6.isValid(_guard):  # a new application made after one ended
        _guard = WheelGuard(QApplication.instance())
    return _guard


def guard_widget(widget: QWidget) -> None:
    if widget.property(GUARDED):
        return
    if isinstance(widget, WHEEL_INPUTS):
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(wheel_guard())
        widget.setProperty(GUARDED, True)
    elif isinstance(widget, TEXT_EDITORS):
        widget.setTabChangesFocus(True)
        widget.setProperty(GUARDED, True)


def guard_inputs(root: QWidget) -> None:
    """Applies the wheel and Tab rules to ``root`` and every widget inside it."""
    guard_widget(root)
    for kind in (*WHEEL_INPUTS, *TEXT_EDITORS):
        for widget in root.findChildren(kind):
            guard_widget(widget)
