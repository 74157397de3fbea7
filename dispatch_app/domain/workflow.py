"""The case workflow: which action moves a case from which status to which, and its guards.

new → triaged → dispatched → acknowledged → on_scene → resolved → closed, plus cancelled.
Dispatch is also allowed straight from ``new`` (an officer who dispatches has triaged) and
again from ``dispatched``/``acknowledged`` (re-dispatch to another unit). Resolve is allowed
from ``acknowledged`` for matters settled without a visit (a petition answered by phone).
Reopen takes a resolved, closed or cancelled case back to ``triaged``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dispatch_app.domain.cases import Status, validate_note
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.roles import Permission, Role, require


class Action(StrEnum):
    TRIAGE = "triage"
    DISPATCH = "dispatch"
    ACKNOWLEDGE = "acknowledge"
    ARRIVE = "arrive"
    RESOLVE = "resolve"
    CLOSE = "close"
    CANCEL = "cancel"
    REOPEN = "reopen"

    @property
    def name_zh(self) -> str:
        return _ACTION_ZH[self]

    @property
    def name_en(self) -> str:
        return self.value.capitalize()


_ACTION_ZH = {
    Action.TRIAGE: "研判",
    Action.DISPATCH: "派发",
    Action.ACKNOWLEDGE: "签收",
    Action.ARRIVE: "到场",
    Action.RESOLVE: "处置完毕",
    Action.CLOSE: "办结",
    Action.CANCEL: "撤销",
    Action.REOPEN: "重新打开",
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
}


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


def allowed_actions(status: Status, role: Role) -> list[Action]:
    """Actions the role may take from ``status`` (for enabling buttons in the UI)."""
    from dispatch_app.domain.roles import allows

    return [
        action
        for (frm, action) in TRANSITIONS
        if frm is status and allows(role, ACTION_PERMISSION[action])
    ]


def check_transition(
    status: Status | str,
    action: Action | str,
    role: Role | str,
    *,
    note: str | None = None,
    closure_code: ClosureCode | str | None = None,
    has_unit: bool = False,
) -> TransitionOutcome:
    """Decide whether ``role`` may take ``action`` on a case in ``status``.

    Guards: dispatch needs a unit (``has_unit``); close needs a closure code and a note;
    cancel and reopen need a reason (``note``). Raises PermissionDenied, IllegalTransition or
    ValidationError with a reason the officer can act on.
    """
    status = Status(status)
    action = Action(action)
    role = Role(role)
    require(role, ACTION_PERMISSION[action])
    target = TRANSITIONS.get((status, action))
    if target is None:
        possible = sorted({a.value for (frm, a) in TRANSITIONS if frm is status})
        raise IllegalTransition(
            "error.illegal_transition",
            f"cannot {action.value} a case that is {status.value}"
            + (f"; possible: {', '.join(possible)}" if possible else ""),
            f"事项当前状态为“{status.name_zh}”，不能执行“{action.name_zh}”",
            status=status.value,
            action=action.value,
            possible=possible,
        )
    clean_note: str | None = None
    code: ClosureCode | None = None
    if action is Action.DISPATCH and not has_unit:
        raise ValidationError(
            "unit", "error.unit_required", "dispatch needs a unit", "派发须选择处置单位"
        )
    if action is Action.CLOSE:
        if closure_code is None or closure_code == "":
            raise IllegalTransition(
                "error.closure_code_required",
                "closing a case needs a closure code",
                "办结须选择结案方式",
                field="closure_code",
            )
        try:
            code = ClosureCode(closure_code)
        except ValueError:
            raise ValidationError(
                "closure_code",
                "error.field_choice",
                f"closure code {closure_code!r} is not one of: "
                + ", ".join(c.value for c in ClosureCode),
                f"结案方式“{closure_code}”无效",
            ) from None
        clean_note = _required_reason(note, "closing a case needs a note", "办结须填写办结说明")
    elif action is Action.REOPEN:
        clean_note = _required_reason(
            note, "reopening a case needs a reason", "重新打开事项须填写原因"
        )
    elif action is Action.CANCEL:
        clean_note = _required_reason(note, "cancelling a case needs a reason", "撤销须填写原因")
    elif note is not None and note.strip():
        clean_note = validate_note(note)
    return TransitionOutcome(action, status, target, clean_note, code)


def _required_reason(note: Any, en: str, zh: str) -> str:
    if note is None or (isinstance(note, str) and not note.strip()):
        raise IllegalTransition("error.reason_required", en, zh, field="note")
    return validate_note(note)
