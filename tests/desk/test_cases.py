"""Working cases through the desk on both databases: workflow, timeline, roles, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dispatch_app.desk import Changed, Desk
from dispatch_app.desk.errors import (
    CaseConflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from dispatch_app.domain.cases import CaseKind, Priority, Status
from dispatch_app.domain.deadlines import Urgency
from dispatch_app.domain.workflow import Action
from tests.desk.conftest import PASSWORD, Clock, draft


def _as(desk: Desk, username: str) -> None:
    desk.logout()
    desk.login(username, PASSWORD)


@pytest.mark.parametrize("kind", list(CaseKind))
def test_create_each_kind(desk: Desk, kind: CaseKind, clock: Clock) -> None:
    extra = {"details": {"emergency_level": "III"}} if kind is CaseKind.EMERGENCY else {}
    case = desk.create_case(draft(kind, **extra))
    assert case.reference == "CZ-2026-000001"
    assert case.kind is kind and case.status is Status.NEW and case.version == 1
    assert case.created_by == "admin" and case.created_at == clock.now
    target = desk.rules.target(kind, Priority.P2)
    assert case.response_due_at == clock.now + target.response
    assert case.due_at == case.response_due_at
    if kind is CaseKind.VIOLATION:
        assert case.credit_code is not None and len(case.credit_code) == 18
    if kind is CaseKind.EMERGENCY:
        assert case.details == {"emergency_level": "III"}
    detail = desk.case_detail(case.id)
    assert [e.entry_kind for e in detail.timeline] == ["created"]


def test_reference_numbers_are_sequential_per_year(desk: Desk, clock: Clock) -> None:
    refs = [desk.create_case(draft()).reference for _ in range(3)]
    assert refs == ["CZ-2026-000001", "CZ-2026-000002", "CZ-2026-000003"]
    clock.now = clock.now.replace(year=2026, month=12, day=31, hour=16, minute=30)
    assert desk.create_case(draft()).reference == "CZ-2027-000001"  # new year in Changzhou
    assert desk.find_case("cz-2026-000002") is not None
    assert desk.find_case("CZ-2026-999999") is None


def test_full_workflow_is_timestamped_attributed_and_on_the_timeline(
    desk: Desk, clock: Clock
) -> None:
    events: list[Changed] = []
    desk.events.subscribe(events.append)
    _as(desk, "officer")
    case = desk.create_case(draft(CaseKind.VIOLATION))
    clock.advance(minutes=5)
    case = desk.triage(case.id, note="线索可信，需现场核查")
    clock.advance(minutes=5)
    case = desk.dispatch(case.id, "branch-wujin", expected_version=case.version)
    assert case.unit_id == "branch-wujin" and case.status is Status.DISPATCHED
    clock.advance(minutes=10)
    case = desk.acknowledge(case.id)
    assert case.due_at == case.resolution_due_at  # resolution now governs
    case = desk.arrive(case.id)
    case = desk.resolve(case.id, note="已责令停产整改")
    assert case.status is Status.RESOLVED and case.resolved_at == clock.now
    with pytest.raises(PermissionDenied):
        desk.close_case(case.id, "rectified", "整改到位")
    _as(desk, "leader")
    case = desk.close_case(case.id, "penalized", "已立案查处，罚款20万元")
    assert case.status is Status.CLOSED and case.closure_code == "penalized"
    assert desk.deadline(case).urgency is Urgency.NONE
    detail = desk.case_detail(case.id)
    steps = [(e.action, e.actor, e.to_status) for e in detail.timeline]
    assert steps == [
        (None, "officer", "new"),
        ("triage", "officer", "triaged"),
        ("dispatch", "officer", "dispatched"),
        ("acknowledge", "officer", "acknowledged"),
        ("arrive", "officer", "on_scene"),
        ("resolve", "officer", "resolved"),
        ("close", "leader", "closed"),
    ]
    assert detail.timeline[1].text == "线索可信，需现场核查"
    assert detail.timeline[-1].data == {"closure_code": "penalized"}
    assert detail.timeline[2].unit_id == "branch-wujin"
    assert [e.action for e in events if e.topic == "case"] == [
        "create",
        "triage",
        "dispatch",
        "acknowledge",
        "arrive",
        "resolve",
        "close",
    ]
    assert all(e.local for e in events)


def test_illegal_transition_changes_nothing(desk: Desk) -> None:
    case = desk.create_case(draft())
    with pytest.raises(IllegalTransition) as info:
        desk.acknowledge(case.id)
    assert "不能执行“签收”" in info.value.message("zh")
    after = desk.get_case(case.id)
    assert after.status is Status.NEW and after.version == case.version
    assert len(desk.case_detail(case.id).timeline) == 1


def test_close_guards_and_reopen_by_shift_leader(desk: Desk, clock: Clock) -> None:
    _as(desk, "leader")
    case = desk.create_case(draft(priority=Priority.P1))
    case = desk.dispatch(case.id, "station-hutang")
    case = desk.acknowledge(case.id)
    case = desk.resolve(case.id)
    with pytest.raises(IllegalTransition) as no_code:
        desk.close_case(case.id, "", "说明")
    assert no_code.value.params["field"] == "closure_code"
    with pytest.raises(IllegalTransition) as no_note:
        desk.close_case(case.id, "rectified", "  ")
    assert no_note.value.params["field"] == "note"
    case = desk.close_case(case.id, "rectified", "复查合格")
    clock.advance(days=3)
    with pytest.raises(IllegalTransition):
        desk.reopen(case.id, "")
    _as(desk, "officer")
    with pytest.raises(PermissionDenied):
        desk.reopen(case.id, "群众再次投诉")
    _as(desk, "leader")
    case = desk.reopen(case.id, "群众再次投诉，问题反弹")
    assert case.status is Status.TRIAGED and case.closure_code is None
    # Deadlines restart from the reopening.
    assert case.response_due_at == clock.now + desk.rules.target(case.kind, case.priority).response
    assert desk.deadline(case).urgency is Urgency.OK


def test_cancel_needs_a_reason(desk: Desk) -> None:
    case = desk.create_case(draft())
    with pytest.raises(IllegalTransition):
        desk.cancel(case.id, "")
    case = desk.cancel(case.id, "重复登记")
    assert case.status is Status.CANCELLED and case.cancelled_at is not None


def test_viewer_reads_but_changes_nothing(desk: Desk) -> None:
    case = desk.create_case(draft())
    _as(desk, "viewer")
    assert desk.get_case(case.id).id == case.id
    assert desk.queue_count() == 1
    with pytest.raises(PermissionDenied):
        desk.create_case(draft())
    with pytest.raises(PermissionDenied):
        desk.triage(case.id)
    with pytest.raises(PermissionDenied):
        desk.add_note(case.id, "看看")
    assert desk.allowed_actions(case) == []


def test_unknown_unit_is_refused(desk: Desk) -> None:
    case = desk.create_case(draft())
    with pytest.raises(ValidationError) as info:
        desk.dispatch(case.id, "branch-nanjing")
    assert info.value.field == "unit" and "branch-nanjing" in info.value.message("en")
    assert desk.get_case(case.id).status is Status.NEW


def test_unknown_case(desk: Desk) -> None:
    with pytest.raises(NotFound):
        desk.triage(999_999)
    with pytest.raises(NotFound):
        desk.case_detail(999_999)


def test_bad_input_is_refused_and_nothing_is_created(desk: Desk) -> None:
    with pytest.raises(ValidationError) as empty:
        desk.create_case(draft(title=""))
    assert empty.value.field == "title"
    with pytest.raises(ValidationError) as long:
        desk.create_case(draft(description="污" * 10_001))
    assert long.value.field == "description"
    with pytest.raises(ValidationError) as coords:
        desk.create_case(draft(lon=31.7, lat=119.9))
    assert coords.value.field == "lon"
    with pytest.raises(ValidationError) as code:
        desk.create_case(draft(CaseKind.VIOLATION, credit_code="91320412MA1MQ8N4X0"))
    assert code.value.field == "credit_code"
    with pytest.raises(ValidationError) as level:
        desk.create_case(draft(CaseKind.QUALITY, details={"emergency_level": "I"}))
    assert level.value.field == "emergency_level"
    assert desk.queue_count() == 0
    # No reference number was consumed by the refused attempts.
    assert desk.create_case(draft()).reference == "CZ-2026-000001"


def test_bulk_dispatch_reports_each_failure(desk: Desk) -> None:
    ids = [desk.create_case(draft()).id for _ in range(4)]
    desk.cancel(ids[1], "误报")
    result = desk.dispatch_many([*ids, 999_999], "branch-xinbei", note="统一派发")
    assert [c.id for c in result.done] == [ids[0], ids[2], ids[3]]
    assert set(result.failed) == {ids[1], 999_999}
    assert isinstance(result.failed[ids[1]], IllegalTransition)
    assert isinstance(result.failed[999_999], NotFound)
    with pytest.raises(ValidationError):
        desk.dispatch_many(ids, "no-such-unit")


def test_notes_are_appended(desk: Desk) -> None:
    case = desk.create_case(draft())
    entry = desk.add_note(case.id, "  已电话联系举报人  ")
    assert entry.text == "已电话联系举报人" and entry.actor == "admin"
    with pytest.raises(ValidationError):
        desk.add_note(case.id, "")
    assert [e.entry_kind for e in desk.case_detail(case.id).timeline] == ["created", "note"]
    assert desk.get_case(case.id).version == 2


def test_edit_with_version_check_keeps_both_versions(desk: Desk, clock: Clock) -> None:
    case = desk.create_case(draft())
    edited = desk.edit_case(
        case.id, case.version, {"title": "新北区某印染厂废水超标排放", "priority": "P1"}
    )
    assert edited.version == 2 and edited.priority is Priority.P1
    target = desk.rules.target(edited.kind, Priority.P1)
    assert edited.response_due_at == case.created_at + target.response
    with pytest.raises(CaseConflict) as info:
        desk.edit_case(case.id, case.version, {"description": "我的补充说明"})
    err = info.value
    assert (err.your_version, err.their_version) == (1, 2)
    assert err.theirs_case.title == "新北区某印染厂废水超标排放"
    assert err.yours == {"description": "我的补充说明"}
    assert desk.get_case(case.id).description == case.description  # nothing overwritten
    with pytest.raises(ValidationError) as kind:
        desk.edit_case(case.id, 2, {"kind": "petition"})
    assert kind.value.field == "kind"
    with pytest.raises(ValidationError) as bad:
        desk.edit_case(case.id, 2, {"lat": 40.0})
    assert bad.value.field == "lat"
    timeline = desk.case_detail(case.id).timeline
    assert timeline[-1].entry_kind == "edit"
    assert timeline[-1].data == {
        "before": {"title": case.title, "priority": "P2"},
        "after": {"title": "新北区某印染厂废水超标排放", "priority": "P1"},
    } or set(timeline[-1].data["after"]) == {"title", "priority"}  # type: ignore[index]


def test_transition_with_stale_version_is_a_conflict(desk: Desk) -> None:
    case = desk.create_case(draft())
    desk.add_note(case.id, "先记一笔")
    with pytest.raises(CaseConflict) as info:
        desk.triage(case.id, expected_version=case.version)
    assert info.value.their_version == 2
    assert desk.get_case(case.id).status is Status.NEW


def test_emergency_level_needs_a_shift_leader(desk: Desk) -> None:
    _as(desk, "officer")
    case = desk.create_case(draft(CaseKind.EMERGENCY, details={"emergency_level": "IV"}))
    with pytest.raises(PermissionDenied):
        desk.set_emergency_level(case.id, "III", case.version)
    with pytest.raises(PermissionDenied):
        desk.edit_case(case.id, case.version, {"details": {"emergency_level": "II"}})
    _as(
        desk, "leader"
    )  # a leader decides it in EmergencyDesk (tests/desk/test_emergency_level_path.py)
    quality = desk.create_case(draft())
    with pytest.raises(ValidationError):
        desk.set_emergency_level(quality.id, "I", quality.version)


def test_allowed_actions_for_the_ui(desk: Desk) -> None:
    case = desk.create_case(draft())
    _as(desk, "officer")
    assert set(desk.allowed_actions(case)) == {Action.TRIAGE, Action.DISPATCH, Action.CANCEL}


def test_deadline_colours_follow_the_clock(desk: Desk, clock: Clock) -> None:
    case = desk.create_case(draft(priority=Priority.P1))  # quality P1: respond in 30 min
    assert desk.deadline(case).urgency is Urgency.OK
    assert desk.deadline(case, clock.now + timedelta(minutes=25)).urgency is Urgency.AT_RISK
    assert desk.deadline(case, clock.now + timedelta(minutes=31)).urgency is Urgency.OVERDUE
