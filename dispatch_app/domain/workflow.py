"""The case workflow: which action moves a case from which status to which, and its guards.

new → triaged → dispatched → acknowledged → on_scene → resolved → closed, plus cancelled.
Dispatch is also allowed straight from ``new`` (an officer who dispatches has triaged) and
again from ``dispatched``/``acknowledged`` (re-dispatch to another unit). Resolve is allowed
from ``acknowledged`` for matters settled without a visit (a petition answered by phone).
Reopen takes a resolved, closed or cancelled case back to ``triaged``.

Closing needs a shift leader (``Permission.CLOSE`` in the role table). A duty officer asks for
it instead: ``request_close`` leaves the case resolved with a pending closure request (its
closure code and note); a shift leader approves it (``approve_close``: the case closes with the
officer's code and note) or refuses it with a reason (``refuse_close``: it stays resolved).
While a request waits, the case is neither closed nor reopened around it.

``refusal`` says why an action is not possible now, from the same tables and guards that
``check_transition`` enforces: the desk raises it, the UI shows it on the disabled action.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dispatch_app.domain.cases import Status, validate_note
from dispatch_app.domain.errors import (
    DomainError,
    IllegalTransition,
    PermissionDenied,
    ValidationError,
)
from dispatch_app.domain.roles import MINIMUM_ROLE, Permission, Role, allows, permission_denied


class Action(StrEnum):
    TRIAGE = "triage"
    DISPATCH = "dispatch"
    ACKNOWLEDGE = "acknowledge"
    ARRIVE = "arrive"
    RESOLVE = "resolve"
    CLOSE = "close"
    CANCEL = "cancel"
    REOPEN = "reopen"
    REQUEST_CLOSE = "request_close"
    APPROVE_CLOSE = "approve_close"
    REFUSE_CLOSE = "refuse_close"

    @property
    def name_zh(self) -> str:
        return _ACTION_ZH[self]

    @property
    def name_en(self) -> str:
        return self.value.replace("_", " ").capitalize()


_ACTION_ZH = {
    Action.TRIAGE: "研判",
    Action.DISPATCH: "派发",
    Action.ACKNOWLEDGE: "签收",
    Action.ARRIVE: "到场",
    Action.RESOLVE: "处置完毕",
    Action.CLOSE: "办结",
    Action.CANCEL: "撤销",
    Action.REOPEN: "重新打开",
    Action.REQUEST_CLOSE: "申请办结",
    Action.APPROVE_CLOSE: "批准办结",
    Action.REFUSE_CLOSE: "退回办结申请",
}

S = Status
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.NEW, Action.TRIAGE): S.TRIAGED,
    (S.NEW, Action.DISPATCH): S.DISPATCHED,
    (S.TRIAGED, Action.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, Action.DISPATCH): S.DISPATCHED,
    (S.ACKNOWLEDGED, Action.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, Action.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.ACKNOWLEDGED, Action.ARRIVE): S.ON_SCENE,
    (S.ACKNOWLEDGED, Action.RESOLVE): S.RESOLVED,
    (S.ON_SCENE, Action.RESOLVE): S.RESOLVED,
    (S.RESOLVED, Action.CLOSE): S.CLOSED,
    (S.RESOLVED, Action.REQUEST_CLOSE): S.RESOLVED,
    (S.RESOLVED, Action.APPROVE_CLOSE): S.CLOSED,
    (S.RESOLVED, Action.REFUSE_CLOSE): S.RESOLVED,
    (S.NEW, Action.CANCEL): S.CANCELLED,
    (S.TRIAGED, Action.CANCEL): S.CANCELLED,
    (S.DISPATCHED, Action.CANCEL): S.CANCELLED,
    (S.ACKNOWLEDGED, Action.CANCEL): S.CANCELLED,
    (S.ON_SCENE, Action.CANCEL): S.CANCELLED,
    (S.RESOLVED, Action.REOPEN): S.TRIAGED,
    (S.CLOSED, Action.REOPEN): S.TRIAGED,
    (S.CANCELLED, Action.REOPEN): S.TRIAGED,
}

ACTION_PERMISSION: dict[Action, Permission] = {
    Action.TRIAGE: Permission.WORK_CASES,
    Action.DISPATCH: Permission.WORK_CASES,
    Action.ACKNOWLEDGE: Permission.WORK_CASES,
    Action.ARRIVE: Permission.WORK_CASES,
    Action.RESOLVE: Permission.WORK_CASES,
    Action.CANCEL: Permission.WORK_CASES,
    Action.CLOSE: Permission.CLOSE,
    Action.REOPEN: Permission.REOPEN,
    Action.REQUEST_CLOSE: Permission.WORK_CASES,
    Action.APPROVE_CLOSE: Permission.CLOSE,
    Action.REFUSE_CLOSE: Permission.CLOSE,
}

CLOSURE_STEPS = (Action.REQUEST_CLOSE, Action.APPROVE_CLOSE, Action.REFUSE_CLOSE)
"""The steps of a closure request; their timeline entries and change rows carry these names."""


class ClosureCode(StrEnum):
    """How a case ended (结案方式)."""

    RECTIFIED = "rectified"  # 已整改到位
    PENALIZED = "penalized"  # 已立案查处
    NOT_SUBSTANTIATED = "not_substantiated"  # 经核查情况不属实
    NO_VIOLATION = "no_violation"  # 未发现违法行为
    TRANSFERRED = "transferred"  # 移交其他部门
    DUPLICATE = "duplicate"  # 重复事项
    PETITIONER_ANSWERED = "petitioner_answered"  # 已答复信访人
    EMERGENCY_TERMINATED = "emergency_terminated"  # 应急终止
    QUALITY_RESTORED = "quality_restored"  # 环境质量已恢复
    OTHER = "other"  # 其他（须在备注中说明）

    @property
    def name_zh(self) -> str:
        return _CLOSURE_ZH[self]


_CLOSURE_ZH = {
    ClosureCode.RECTIFIED: "已整改到位",
    ClosureCode.PENALIZED: "已立案查处",
    ClosureCode.NOT_SUBSTANTIATED: "经核查情况不属实",
    ClosureCode.NO_VIOLATION: "未发现违法行为",
    ClosureCode.TRANSFERRED: "移交其他部门",
    ClosureCode.DUPLICATE: "重复事项",
    ClosureCode.PETITIONER_ANSWERED: "已答复信访人",
    ClosureCode.EMERGENCY_TERMINATED: "应急终止",
    ClosureCode.QUALITY_RESTORED: "环境质量已恢复",
    ClosureCode.OTHER: "其他",
}


@dataclass(frozen=True)
class TransitionOutcome:
    """What a legal transition does: the new status and the cleaned-up guard values."""

    action: Action
    from_status: Status
    to_status: Status
    note: str | None
    closure_code: ClosureCode | None


def allowed_actions(
    status: Status | str, role: Role | str, *, closure_pending: bool = False
) -> list[Action]:
    """Actions the role may take from ``status`` now (for enabling buttons in the UI)."""
    status = Status(status)
    return [
        action
        for (frm, action) in TRANSITIONS
        if frm is status and refusal(status, action, role, closure_pending=closure_pending) is None
    ]


def refusal(
    status: Status | str,
    action: Action | str,
    role: Role | str,
    *,
    closure_pending: bool = False,
) -> DomainError | None:
    """Why ``role`` may not take ``action`` on a case in ``status`` now, or None when it may
    (its input, such as a note or a unit, is checked later by ``check_transition``).

    The order is the officer's: an action this status does not have at all is refused for
    the status ("该事项已办结"), a closure step for the state of the request (none waits, or
    one already does); then the role, naming the permission and the least role that has it;
    then a waiting request, which holds closing and reopening until it is decided.
    """
    status = Status(status)
    action = Action(action)
    role = Role(role)
    if (status, action) not in TRANSITIONS:
        return _illegal(status, action)
    if closure_pending and action is Action.REQUEST_CLOSE:
        needed = MINIMUM_ROLE[ACTION_PERMISSION[Action.APPROVE_CLOSE]]
        return IllegalTransition(
            "error.closure_already_requested",
            f"closure was already requested and waits for a {needed.name_en}'s approval",
            f"该事项已申请办结，正等待{needed.name_zh}审批",
            needed=needed.value,
        )
    if not closure_pending and action in (Action.APPROVE_CLOSE, Action.REFUSE_CLOSE):
        return IllegalTransition(
            "error.no_closure_request",
            "nobody has requested closure of this case",
            "该事项没有待审批的办结申请",
        )
    permission = ACTION_PERMISSION[action]
    if not allows(role, permission):
        if action is Action.CLOSE and allows(role, ACTION_PERMISSION[Action.REQUEST_CLOSE]):
            return _close_needs_approval(role, closure_pending)
        return permission_denied(role, permission)
    if closure_pending and action in (Action.CLOSE, Action.REOPEN):
        return IllegalTransition(
            "error.closure_pending",
            f"a closure request is waiting: approve or refuse it before you {action.name_en}",
            f"该事项有待审批的办结申请，请先批准或退回，再{action.name_zh}",
            action=action.value,
        )
    if action is Action.REQUEST_CLOSE and allows(role, ACTION_PERMISSION[Action.CLOSE]):
        return IllegalTransition(
            "error.close_directly",
            "you may close the case yourself; no request is needed",
            "您有办结权限，可直接办结，无需申请",
        )
    return None


def edit_refusal(status: Status | str, role: Role | str) -> DomainError | None:
    """Why ``role`` may not edit a case in ``status``: a closed or cancelled case is a record,
    reopened (by a shift leader, with a reason) to change it."""
    status = Status(status)
    role = Role(role)
    if status in (Status.CLOSED, Status.CANCELLED):
        reopen = MINIMUM_ROLE[ACTION_PERMISSION[Action.REOPEN]]
        return IllegalTransition(
            "error.edit_finished",
            f"the case is {status.value}: a {reopen.name_en} reopens it before it can be edited",
            f"该事项{status.name_zh}，须由{reopen.name_zh}重新打开后才能修改",
            status=status.value,
        )
    if not allows(role, Permission.WORK_CASES):
        return permission_denied(role, Permission.WORK_CASES)
    return None


def _illegal(status: Status, action: Action) -> IllegalTransition:
    possible = sorted({a.value for (frm, a) in TRANSITIONS if frm is status})
    sources = [frm for (frm, a) in TRANSITIONS if a is action]
    if status in (Status.CLOSED, Status.CANCELLED):
        zh = f"该事项{status.name_zh}，不能执行“{action.name_zh}”"
    else:
        zh = f"事项当前状态为“{status.name_zh}”，不能执行“{action.name_zh}”"
        if sources:
            zh += "（须在“" + "”或“".join(s.name_zh for s in sources) + "”状态下）"
    return IllegalTransition(
        "error.illegal_transition",
        f"cannot {action.value} a case that is {status.value}"
        + (f"; possible: {', '.join(possible)}" if possible else ""),
        zh,
        status=status.value,
        action=action.value,
        possible=possible,
    )


def _close_needs_approval(role: Role, closure_pending: bool) -> PermissionDenied:
    """A duty officer's 办结: who decides, and what the officer can do instead."""
    needed = MINIMUM_ROLE[ACTION_PERMISSION[Action.CLOSE]]
    if closure_pending:
        en_next = "the closure request of this case is waiting for approval"
        zh_next = "该事项的办结申请正等待审批"
    else:
        en_next = "you can request closure"
        zh_next = "您可以申请办结"
    return PermissionDenied(
        "error.close_needs_approval",
        f"closing a case needs a {needed.name_en}'s approval; {en_next}",
        f"办结需{needed.name_zh}审批；{zh_next}",
        role=role.value,
        needed=needed.value,
        permission=Permission.CLOSE.name.lower(),
        alternative=Action.REQUEST_CLOSE.value,
    )


def check_transition(
    status: Status | str,
    action: Action | str,
    role: Role | str,
    *,
    note: str | None = None,
    closure_code: ClosureCode | str | None = None,
    has_unit: bool = False,
    closure_pending: bool = False,
) -> TransitionOutcome:
    """Decide whether ``role`` may take ``action`` on a case in ``status``.

    First ``refusal`` (status, role, closure request); then the guards: dispatch needs a unit
    (``has_unit``); close, a closure request and its approval need a closure code and a note
    (the approval passes the request's); cancel, reopen and refusing a request need a reason
    (``note``). Raises PermissionDenied, IllegalTransition or ValidationError with a reason the
    officer can act on.
    """
    status = Status(status)
    action = Action(action)
    role = Role(role)
    blocked = refusal(status, action, role, closure_pending=closure_pending)
    if blocked is not None:
        raise blocked
    target = TRANSITIONS[(status, action)]
    clean_note: str | None = None
    code: ClosureCode | None = None
    if action is Action.DISPATCH and not has_unit:
        raise ValidationError(
            "unit", "error.unit_required", "dispatch needs a unit", "派发须选择处置单位"
        )
    if action in (Action.CLOSE, Action.REQUEST_CLOSE, Action.APPROVE_CLOSE):
        code = _closure_code(closure_code)
        clean_note = _required_reason(note, "closing a case needs a note", "办结须填写办结说明")
    elif action is Action.REOPEN:
        clean_note = _required_reason(
            note, "reopening a case needs a reason", "重新打开事项须填写原因"
        )
    elif action is Action.CANCEL:
        clean_note = _required_reason(note, "cancelling a case needs a reason", "撤销须填写原因")
    elif action is Action.REFUSE_CLOSE:
        clean_note = _required_reason(
            note, "refusing a closure request needs a reason", "退回办结申请须填写原因"
        )
    elif note is not None and note.strip():
        clean_note = validate_note(note)
    return TransitionOutcome(action, status, target, clean_note, code)


def _closure_code(closure_code: ClosureCode | str | None) -> ClosureCode:
    if closure_code is None or closure_code == "":
        raise IllegalTransition(
            "error.closure_code_required",
            "closing a case needs a closure code",
            "办结须选择结案方式",
            field="closure_code",
        )
    try:
        return ClosureCode(closure_code)
    except ValueError:
        raise ValidationError(
            "closure_code",
            "error.field_choice",
            f"closure code {closure_code!r} is not one of: "
            + ", ".join(c.value for c in ClosureCode),
            f"结案方式“{closure_code}”无效",
        ) from None


def _required_reason(note: Any, en: str, zh: str) -> str:
    if note is None or (isinstance(note, str) and not note.strip()):
        raise IllegalTransition("error.reason_required", en, zh, field="note")
    return validate_note(note)
