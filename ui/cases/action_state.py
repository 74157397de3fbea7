"""Which case actions the officer may take now, and, for each one they may not, why.

The reasons come from the desk (``Desk.refusal``, ``Desk.permission_refusal``), which takes
them from the workflow's guards and the role table the desk enforces: the tooltip of a grey
action is the refusal the desk would give if it were tried, never a text written per button.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.views import CaseView
from dispatch_app.domain.errors import DomainError, PermissionDenied
from dispatch_app.domain.roles import Permission
from ui.shell.errors import describe_error

WORKFLOW_ACTIONS = (
    "triage",
    "dispatch",
    "acknowledge",
    "arrive",
    "resolve",
    "request_close",
    "approve_close",
    "refuse_close",
    "close",
    "cancel",
    "reopen",
)
"""The workflow actions of the Case menu and the case panel, in workflow order."""

CASE_ACTIONS = (*WORKFLOW_ACTIONS, "note", "edit")

# Refusals the case panel shows as a grey button (the officer learns who may, or what waits);
# the others (a step the status does not have) leave the button out.
_SHOWN_REFUSALS = (
    "error.closure_pending",
    "error.closure_already_requested",
)

_BASE_TIP = "dispatchBaseTip"


def set_available(target: QAction | QAbstractButton, reason: str | None) -> None:
    """Enable ``target``, or disable it with ``reason`` as its tooltip and status tip (the
    status bar shows it when the pointer rests on a menu entry). An enabled target gets its
    own tip back."""
    base = target.property(_BASE_TIP)
    if base is None:
        base = target.statusTip()
        target.setProperty(_BASE_TIP, base)
    target.setEnabled(reason is None)
    tip = str(base) if reason is None else reason
    target.setToolTip(tip)
    target.setStatusTip(tip)


def case_refusals(
    desk: Desk, case: CaseView | None, no_case: str = "", names: Iterable[str] = CASE_ACTIONS
) -> dict[str, DomainError | str | None]:
    """For each action: None (allowed now), the desk's refusal, or ``no_case`` (the words
    saying no case is selected) when there is no case."""
    result: dict[str, DomainError | str | None] = {}
    for name in names:
        if case is None:
            result[name] = no_case
        elif name == "note":
            result[name] = desk.permission_refusal(Permission.WORK_CASES)
        elif name == "edit":
            result[name] = desk.edit_refusal(case)
        else:
            result[name] = desk.refusal(case, name)
    return result


def reason_text(refusal: DomainError | str | None) -> str | None:
    if refusal is None or isinstance(refusal, str):
        return refusal
    return describe_error(refusal)


def panel_buttons(refusals: dict[str, DomainError | str | None]) -> dict[str, str | None]:
    """The case panel's buttons: every action allowed now, and those refused for the role or
    for a waiting closure request (grey, saying why); a step the case's status does not have
    is left out, so the panel offers what belongs to this case."""
    shown: dict[str, str | None] = {}
    for name, refusal in refusals.items():
        if refusal is None:
            shown[name] = None
        elif isinstance(refusal, PermissionDenied) or (
            isinstance(refusal, DomainError) and refusal.key in _SHOWN_REFUSALS
        ):
            shown[name] = reason_text(refusal)
    return shown


def apply_to_actions(actions: dict[str, QAction], reasons: dict[str, str | None]) -> None:
    for name, reason in reasons.items():
        action = actions.get(name)
        if action is not None:
            set_available(action, reason)
