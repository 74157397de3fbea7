"""Why an action is not possible: the reason the UI shows on a grey action is the refusal the
workflow gives when the action is tried, built from the same tables (transitions, role table)."""

from __future__ import annotations

import itertools

import pytest

from dispatch_app.domain.cases import Status
from dispatch_app.domain.errors import DomainError, IllegalTransition, PermissionDenied
from dispatch_app.domain.roles import MINIMUM_ROLE, Permission, Role
from dispatch_app.domain.workflow import (
    ACTION_PERMISSION,
    Action,
    ClosureCode,
    allowed_actions,
    check_transition,
    edit_refusal,
    refusal,
)

NOTE = "整改到位，复查合格"


def _inputs(action: Action) -> dict[str, object]:
    """Complete input for any action, so only the status, the role and the request decide."""
    return {"note": NOTE, "closure_code": ClosureCode.RECTIFIED, "has_unit": True}


@pytest.mark.parametrize(
    ("status", "action", "role", "pending"),
    list(itertools.product(Status, Action, Role, (False, True))),
)
def test_refusal_is_what_the_transition_raises(
    status: Status, action: Action, role: Role, pending: bool
) -> None:
    reason = refusal(status, action, role, closure_pending=pending)
    if reason is None:
        check_transition(status, action, role, closure_pending=pending, **_inputs(action))  # type: ignore[arg-type]
        assert action in allowed_actions(status, role, closure_pending=pending)
        return
    assert action not in allowed_actions(status, role, closure_pending=pending)
    with pytest.raises(DomainError) as raised:
        check_transition(status, action, role, closure_pending=pending, **_inputs(action))  # type: ignore[arg-type]
    assert type(raised.value) is type(reason)
    assert raised.value.key == reason.key
    assert raised.value.message("zh") == reason.message("zh")
    assert raised.value.message("en") == reason.message("en")


def test_a_duty_officer_is_told_who_closes_and_what_to_do_instead() -> None:
    reason = refusal(Status.RESOLVED, Action.CLOSE, Role.DUTY_OFFICER)
    assert isinstance(reason, PermissionDenied)
    assert reason.message("zh") == "办结需带班领导审批；您可以申请办结"
    assert reason.params["needed"] == MINIMUM_ROLE[Permission.CLOSE].value == "shift_leader"
    assert reason.params["alternative"] == "request_close"
    assert Action.REQUEST_CLOSE in allowed_actions(Status.RESOLVED, Role.DUTY_OFFICER)
    waiting = refusal(Status.RESOLVED, Action.CLOSE, Role.DUTY_OFFICER, closure_pending=True)
    assert waiting is not None
    assert waiting.message("zh") == "办结需带班领导审批；该事项的办结申请正等待审批"
    again = refusal(Status.RESOLVED, Action.REQUEST_CLOSE, Role.DUTY_OFFICER, closure_pending=True)
    assert again is not None and again.message("zh") == "该事项已申请办结，正等待带班领导审批"


def test_the_role_named_follows_the_role_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were closing given to another role, every text would name that role: none is fixed."""
    monkeypatch.setitem(MINIMUM_ROLE, Permission.CLOSE, Role.ADMINISTRATOR)
    leader = refusal(Status.RESOLVED, Action.CLOSE, Role.SHIFT_LEADER)
    assert leader is not None and leader.message("zh") == "办结需管理员审批；您可以申请办结"
    assert refusal(Status.RESOLVED, Action.REQUEST_CLOSE, Role.SHIFT_LEADER) is None
    approve = refusal(
        Status.RESOLVED, Action.APPROVE_CLOSE, Role.SHIFT_LEADER, closure_pending=True
    )
    assert approve is not None
    assert approve.message("zh") == "需要权限：办结事项（审批办结）（角色：管理员及以上）"


def test_who_may_approve_is_who_may_close() -> None:
    assert ACTION_PERMISSION[Action.APPROVE_CLOSE] is ACTION_PERMISSION[Action.CLOSE]
    assert ACTION_PERMISSION[Action.REFUSE_CLOSE] is ACTION_PERMISSION[Action.CLOSE]
    for role in Role:
        may_close = refusal(Status.RESOLVED, Action.CLOSE, role) is None
        may_approve = (
            refusal(Status.RESOLVED, Action.APPROVE_CLOSE, role, closure_pending=True) is None
        )
        assert may_close == may_approve, role


def test_permission_text_names_the_permission_and_the_least_role() -> None:
    reason = refusal(Status.NEW, Action.TRIAGE, Role.VIEWER)
    assert isinstance(reason, PermissionDenied)
    assert reason.message("zh") == "需要权限：办理事项（角色：值班员及以上）"
    assert "work cases" in reason.message("en") and "Duty officer" in reason.message("en")


def test_a_finished_case_says_so() -> None:
    closed = refusal(Status.CLOSED, Action.CLOSE, Role.ADMINISTRATOR)
    assert isinstance(closed, IllegalTransition)
    assert closed.message("zh").startswith("该事项已办结")
    cancelled = refusal(Status.CANCELLED, Action.TRIAGE, Role.DUTY_OFFICER)
    assert cancelled is not None and cancelled.message("zh").startswith("该事项已撤销")
    early = refusal(Status.DISPATCHED, Action.CLOSE, Role.SHIFT_LEADER)
    assert early is not None and "须在“已处置”状态下" in early.message("zh")


def test_a_waiting_request_holds_close_and_reopen_until_decided() -> None:
    for action in (Action.CLOSE, Action.REOPEN):
        reason = refusal(Status.RESOLVED, action, Role.SHIFT_LEADER, closure_pending=True)
        assert reason is not None and reason.key == "error.closure_pending"
    assert set(allowed_actions(Status.RESOLVED, Role.SHIFT_LEADER, closure_pending=True)) == {
        Action.APPROVE_CLOSE,
        Action.REFUSE_CLOSE,
    }
    nothing = refusal(Status.RESOLVED, Action.APPROVE_CLOSE, Role.SHIFT_LEADER)
    assert nothing is not None and nothing.key == "error.no_closure_request"
    direct = refusal(Status.RESOLVED, Action.REQUEST_CLOSE, Role.SHIFT_LEADER)
    assert direct is not None and direct.key == "error.close_directly"


def test_request_and_refusal_need_their_words() -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition(Status.RESOLVED, Action.REQUEST_CLOSE, Role.DUTY_OFFICER, note="已整改")
    assert info.value.params["field"] == "closure_code"
    with pytest.raises(IllegalTransition) as info:
        check_transition(
            Status.RESOLVED, Action.REQUEST_CLOSE, Role.DUTY_OFFICER, closure_code="rectified"
        )
    assert info.value.params["field"] == "note"
    with pytest.raises(IllegalTransition) as info:
        check_transition(
            Status.RESOLVED, Action.REFUSE_CLOSE, Role.SHIFT_LEADER, closure_pending=True
        )
    assert info.value.params["field"] == "note"


def test_edit_refusal() -> None:
    closed = edit_refusal(Status.CLOSED, Role.ADMINISTRATOR)
    assert (
        closed is not None
        and closed.message("zh") == "该事项已办结，须由带班领导重新打开后才能修改"
    )
    viewer = edit_refusal(Status.NEW, Role.VIEWER)
    assert viewer is not None and viewer.message("zh").startswith("需要权限：办理事项")
    assert edit_refusal(Status.RESOLVED, Role.DUTY_OFFICER) is None
