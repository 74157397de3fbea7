"""Quitting the desk in bounded time: what is on screen (open dialogs) goes first; the budgets and
the bounded steps are the session's (dispatch_app/quitting.py), re-exported here for the UI.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication, QDialog

from dispatch_app.quitting import (
    CHILD_GRACE_S,
    QUIT_BUDGET_S,
    SHUTDOWN_BUDGET_S,
    STEP_BUDGET_S,
    UnwaitedExecutor,
    in_thread,
    within,
)

__all__ = [
    "CHILD_GRACE_S",
    "QUIT_BUDGET_S",
    "SHUTDOWN_BUDGET_S",
    "STEP_BUDGET_S",
    "UnwaitedExecutor",
    "close_open_dialogs",
    "in_thread",
    "within",
]


def close_open_dialogs() -> int:
    """Reject every dialog on screen, so that a coroutine awaiting one (Workspace.run_dialog,
    ui/file_dialogs.py) finishes instead of waiting for an officer who has gone."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return 0
    closed = 0
    for widget in app.topLevelWidgets():
        if isinstance(widget, QDialog) and shiboken6.isValid(widget) and widget.isVisible():
            widget.reject()
            closed += 1
    return closed
