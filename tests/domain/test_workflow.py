"""The case workflow: every legal transition, every illegal one, and the guards."""

from __future__ import annotations

import itertools

import pytest

from dispatch_app.domain.cases import Status
from dispatch_app.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from dispatch_app.domain.roles import Role
from dispatch_app.domain.workflow import (
    TRANSITIONS,
    Action,
    ClosureCode,
    allowed_actions,
    check_transition,
)

EXPECTED = {
    ("new", "triage"): "triaged",
    ("new", "dispatch"): "dispatched",
    ("triaged", "dispatch"): "dispatched",
    ("dispatched", "dispatch"): "dispatched",
    ("acknowledged", "dispatch"): "dispatched",
    ("dispatched", "acknowledge"): "acknowledged",
    ("acknowledged", "arrive"): "on_scene",
    ("acknowledged", "resolve"): "resolved",
    ("on_scene", "resolve"): "resolved",
    ("resolved", "close"): "closed",
    ("resolved", "request_close"): "resolved",
    ("resolved", "approve_close"): "closed",
    ("resolved", "refuse_close"): "resolved",
    ("new", "cancel"): "cancelled",
    ("triaged", "cancel"): "cancelled",
    ("dispatched", "cancel"): "cancelled",
    ("acknowledged", "cancel"): "cancelled",
    ("on_scene", "cancel"): "cancelled",
    ("resolved", "reopen"): "triaged",
    ("closed", "reopen"): "triaged",
    ("cancelled", "reopen"): "triaged",
}


def _guards(action: Action) -> dict[str, object]:
    if action in (Action.CLOSE, Action.REQUEST_CLOSE):
        return {"closure_code": ClosureCode.RECTIFIED, "note": "整改到位，复查合格"}
    if action is Action.APPROVE_CLOSE:
        return {
            "closure_code": ClosureCode.RECTIFIED,
            "note": "整改到位，复查合格",
            "closure_pending": True,
        }
    if action is Action.REFUSE_CLOSE:
        return {"note": "复查报告未附", "closure_pending": True}
    if action in (Action.CANCEL, Action.REOPEN):
        return {"note": "核实后需要重新处理"}
    if action is Action.DISPATCH:
        return {"has_unit": True}
    return {}


def test_table_is_exactly_the_documented_workflow() -> None:
    assert {(s.value, a.value): t.value for (s, a), t in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(("status", "action"), sorted(EXPECTED))
def test_every_legal_transition(status: str, action: str) -> None:
    a = Action(action)
    # Closure is requested by those who may not close (a shift leader closes it himself).
    role = Role.DUTY_OFFICER if a is Action.REQUEST_CLOSE else Role.SHIFT_LEADER
    outcome = check_transition(status, a, role, **_guards(a))  # type: ignore[arg-type]
    assert outcome.to_status == Status(EXPECTED[(status, action)])
    assert outcome.from_status == Status(status)


ILLEGAL = sorted(
    (s.value, a.value)
    for s, a in itertools.product(Status, Action)
    if (s.value, a.value) not in EXPECTED
)


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_reason(status: str, action: str) -> None:
    a = Action(action)
    with pytest.raises(IllegalTransition) as info:
        check_transition(status, a, Role.ADMINISTRATOR, **_guards(a))  # type: ignore[arg-type]
    err = info.value
    assert err.key == "error.illegal_transition"
    assert status in err.message_en and action in err.message_en
    assert Status(status).name_zh in err.message("zh")


def test_viewer_may_do_nothing() -> None:
    for (status, action), _ in TRANSITIONS.items():
        with pytest.raises(PermissionDenied):
            check_transition(status, action, Role.VIEWER, **_guards(action))  # type: ignore[arg-type]


@pytest.mark.parametrize("action", [Action.CLOSE, Action.REOPEN])
def test_duty_officer_may_not_close_or_reopen(action: Action) -> None:
    status = Status.RESOLVED
    with pytest.raises(PermissionDenied) as info:
        check_transition(status, action, Role.DUTY_OFFICER, **_guards(action))  # type: ignore[arg-type]
    assert info.value.params["needed"] == "shift_leader"
    assert "带班领导" in info.value.message("zh")


def test_duty_officer_works_a_case_to_resolved() -> None:
    status = Status.NEW
    for action in (
        Action.TRIAGE,
        Action.DISPATCH,
        Action.ACKNOWLEDGE,
        Action.ARRIVE,
        Action.RESOLVE,
    ):
        status = check_transition(status, action, Role.DUTY_OFFICER, **_guards(action)).to_status  # type: ignore[arg-type]
    assert status is Status.RESOLVED


def test_close_needs_closure_code_and_note() -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition("resolved", "close", Role.SHIFT_LEADER, note="已整改")
    assert info.value.params["field"] == "closure_code"
    with pytest.raises(IllegalTransition) as info:
        check_transition("resolved", "close", Role.SHIFT_LEADER, closure_code="rectified")
    assert info.value.params["field"] == "note"
    with pytest.raises(IllegalTransition):
        check_transition(
            "resolved", "close", Role.SHIFT_LEADER, closure_code="rectified", note="   "
        )
    with pytest.raises(ValidationError) as bad:
        check_transition("resolved", "close", Role.SHIFT_LEADER, closure_code="done", note="x")
    assert bad.value.field == "closure_code"
    ok = check_transition(
        "resolved", "close", Role.SHIFT_LEADER, closure_code="penalized", note=" 已立案 "
    )
    assert ok.closure_code is ClosureCode.PENALIZED and ok.note == "已立案"


def test_reopen_and_cancel_need_a_reason() -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition("closed", "reopen", Role.SHIFT_LEADER)
    assert info.value.key == "error.reason_required"
    with pytest.raises(IllegalTransition):
        check_transition("new", "cancel", Role.DUTY_OFFICER, note="")


def test_dispatch_needs_a_unit() -> None:
    with pytest.raises(ValidationError) as info:
        check_transition("triaged", "dispatch", Role.DUTY_OFFICER)
    assert info.value.field == "unit"


def test_oversized_note_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        check_transition("new", "triage", Role.DUTY_OFFICER, note="x" * 10_001)
    assert info.value.field == "note"


def test_allowed_actions_follow_role() -> None:
    assert allowed_actions(Status.RESOLVED, Role.DUTY_OFFICER) == [Action.REQUEST_CLOSE]
    assert set(allowed_actions(Status.RESOLVED, Role.SHIFT_LEADER)) == {
        Action.CLOSE,
        Action.REOPEN,
    }
    assert allowed_actions(Status.NEW, Role.VIEWER) == []
    assert set(allowed_actions(Status.NEW, Role.DUTY_OFFICER)) == {
        Action.TRIAGE,
        Action.DISPATCH,
        Action.CANCEL,
    }


def test_closure_codes_have_chinese_names() -> None:
    assert all(code.name_zh for code in ClosureCode)
