"""Closure by role, with two real users at two workstations (two desks on one database): a
duty officer requests closure, a shift leader approves or refuses it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from dispatch_app.audit.verify import verify_chain
from dispatch_app.desk import Changed, Desk, QueueQuery
from dispatch_app.desk.errors import CaseConflict, IllegalTransition, PermissionDenied
from dispatch_app.desk.views import CaseView
from dispatch_app.store import case_records
from dispatch_app.store.models import audit_log, changes, closure_requests
from tests.desk.conftest import Clock, draft, second_desk

PENDING = QueueQuery(closure_pending=True)


@pytest.fixture
def officer(desk: Desk, db_url: str, clock: Clock) -> Iterator[Desk]:
    d = second_desk(db_url, clock, "officer")
    yield d
    d.close()


@pytest.fixture
def leader(desk: Desk, db_url: str, clock: Clock) -> Iterator[Desk]:
    d = second_desk(db_url, clock, "leader")
    yield d
    d.close()


def _resolved(officer: Desk) -> CaseView:
    case = officer.create_case(draft())
    officer.dispatch(case.id, "branch-wujin")
    officer.acknowledge(case.id)
    officer.arrive(case.id)
    return officer.resolve(case.id, note="企业已停产整改")


def _counts(desk: Desk, case_id: int) -> tuple[int, int, int]:
    """Audit entries, change rows and request rows of the case."""
    with desk.store.read() as conn:
        audits = conn.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.target_type == "case", audit_log.c.target_id == str(case_id))
        ).scalar_one()
        rows = conn.execute(
            select(func.count())
            .select_from(changes)
            .where(changes.c.topic == "case", changes.c.entity_id == case_id)
        ).scalar_one()
        requests = conn.execute(
            select(func.count())
            .select_from(closure_requests)
            .where(closure_requests.c.case_id == case_id)
        ).scalar_one()
    return int(audits), int(rows), int(requests)


class CommittedCheck:
    """Subscribes to a desk's events and, when one arrives, reads the case back through
    another connection: events are published after commit, so the change is there."""

    def __init__(self, reader: Desk) -> None:
        self.reader = reader
        self.seen: list[tuple[Changed, int, str]] = []

    def __call__(self, event: Changed) -> None:
        if event.topic == "case":
            case = self.reader.get_case(event.entity_id)
            self.seen.append((event, case.version, case.status.value))


def test_request_then_approve_by_two_users(
    desk: Desk, officer: Desk, leader: Desk, clock: Clock
) -> None:
    case = _resolved(officer)
    # The officer may not close: the refusal names who may and what to do instead.
    with pytest.raises(PermissionDenied) as refused:
        officer.close_case(case.id, "rectified", "整改到位")
    assert refused.value.message("zh") == "办结需带班领导审批；您可以申请办结"
    assert officer.refusal(case, "close") is not None
    assert officer.refusal(case, "request_close") is None

    before = _counts(desk, case.id)
    check = CommittedCheck(desk)
    officer.events.subscribe(check)
    clock.advance(minutes=5)
    requested = officer.request_closure(
        case.id, "rectified", "  企业已完成整改，复查达标  ", expected_version=case.version
    )
    assert requested.status.value == "resolved" and requested.closure_pending
    assert requested.version == case.version + 1
    assert _counts(desk, case.id) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert check.seen[-1][0].action == "request_close"
    assert check.seen[-1][1:] == (requested.version, "resolved")

    request = leader.closure_request(case.id)
    assert request is not None and request.pending
    assert (request.requested_by, request.closure_code, request.note) == (
        "officer",
        "rectified",
        "企业已完成整改，复查达标",
    )
    # The leader sees it among the pending requests, and may approve or refuse only.
    assert [r.id for r in leader.queue_page(PENDING)] == [case.id]
    assert leader.queue_count(PENDING) == 1
    shown = leader.get_case(case.id)
    assert {a.value for a in leader.allowed_actions(shown)} == {"approve_close", "refuse_close"}
    held = leader.refusal(shown, "close")
    assert held is not None and held.key == "error.closure_pending"
    # The officer cannot approve their own (or anyone's) request.
    with pytest.raises(PermissionDenied):
        officer.approve_closure(case.id)
    # Nor request twice.
    with pytest.raises(IllegalTransition) as twice:
        officer.request_closure(case.id, "rectified", "再次申请")
    assert twice.value.key == "error.closure_already_requested"

    leader.events.subscribe(CommittedCheck(desk))
    clock.advance(minutes=5)
    closed = leader.approve_closure(case.id, expected_version=shown.version)
    assert closed.status.value == "closed" and closed.closure_code == "rectified"
    assert not closed.closure_pending and closed.closed_at == clock.now
    assert _counts(desk, case.id) == (before[0] + 2, before[1] + 2, before[2] + 1)
    assert leader.queue_count(PENDING) == 0

    decided = desk.closure_request(case.id)
    assert decided is not None and decided.state == "approved"
    assert decided.decided_by == "leader" and decided.decided_at == clock.now
    timeline = desk.case_detail(case.id).timeline
    request_entry, approve_entry = timeline[-2], timeline[-1]
    assert (request_entry.actor, request_entry.action) == ("officer", "request_close")
    assert request_entry.text == "企业已完成整改，复查达标"
    assert (approve_entry.actor, approve_entry.action) == ("leader", "approve_close")
    assert (approve_entry.from_status, approve_entry.to_status) == ("resolved", "closed")
    # Closed with the officer's note and code, nothing of the leader's.
    assert approve_entry.text == "企业已完成整改，复查达标"
    assert approve_entry.data is not None
    assert approve_entry.data["closure_code"] == "rectified"
    assert approve_entry.data["requested_by"] == "officer"
    with desk.store.read() as conn:
        actions = [
            (r.actor, r.action)
            for r in conn.execute(
                select(audit_log.c.actor, audit_log.c.action)
                .where(audit_log.c.target_id == str(case.id), audit_log.c.target_type == "case")
                .order_by(audit_log.c.seq)
            )
        ]
    assert actions[-2:] == [("officer", "case.request_close"), ("leader", "case.approve_close")]
    assert verify_chain(desk.store).intact


def test_request_then_refuse_keeps_the_case_open(
    desk: Desk, officer: Desk, leader: Desk, clock: Clock
) -> None:
    case = _resolved(officer)
    requested = officer.request_closure(case.id, "not_substantiated", "经核查情况不属实")
    shown = leader.get_case(case.id)
    # A refusal needs a reason, and nothing is written without one.
    with pytest.raises(IllegalTransition) as no_reason:
        leader.refuse_closure(case.id, "  ", expected_version=shown.version)
    assert no_reason.value.params["field"] == "note"
    assert leader.get_case(case.id).version == requested.version
    before = _counts(desk, case.id)
    clock.advance(minutes=3)
    kept = leader.refuse_closure(
        case.id, "现场照片未上传，请补充后再申请", expected_version=shown.version
    )
    assert kept.status.value == "resolved" and not kept.closure_pending
    assert _counts(desk, case.id) == (before[0] + 1, before[1] + 1, before[2])
    request = officer.closure_request(case.id)
    assert request is not None and request.state == "refused"
    assert request.reason == "现场照片未上传，请补充后再申请"
    assert request.decided_by == "leader"
    entry = officer.case_detail(case.id).timeline[-1]
    assert (entry.actor, entry.action, entry.text) == (
        "leader",
        "refuse_close",
        "现场照片未上传，请补充后再申请",
    )
    assert entry.to_status == "resolved"
    assert leader.queue_count(PENDING) == 0
    # The officer corrects and asks again: a new request, the refused one stays as it was.
    again = officer.request_closure(case.id, "not_substantiated", "已补充现场照片")
    assert again.closure_pending
    newest = leader.closure_request(case.id)
    assert newest is not None and newest.pending and newest.id != request.id
    with desk.store.read() as conn:
        states = sorted(
            r.state
            for r in conn.execute(
                select(closure_requests.c.state).where(closure_requests.c.case_id == case.id)
            )
        )
    assert states == ["pending", "refused"]


def test_a_stale_approval_is_refused_with_the_usual_conflict(
    desk: Desk, officer: Desk, leader: Desk
) -> None:
    case = _resolved(officer)
    officer.request_closure(case.id, "rectified", "已整改")
    seen = leader.get_case(case.id)  # what the leader read
    officer.add_note(case.id, "补充：企业承诺一周内复查")  # the case changed meanwhile
    before = _counts(desk, case.id)
    with pytest.raises(CaseConflict) as conflict:
        leader.approve_closure(case.id, expected_version=seen.version)
    assert conflict.value.your_version == seen.version
    assert conflict.value.their_version == seen.version + 1
    assert conflict.value.theirs_case.closure_pending
    # Nothing was written: still resolved, still pending, no audit entry, no change row.
    now = desk.get_case(case.id)
    assert now.status.value == "resolved" and now.closure_pending
    assert _counts(desk, case.id) == before
    request = desk.closure_request(case.id)
    assert request is not None and request.pending
    # On the version now shown, the approval goes through.
    assert leader.approve_closure(case.id, expected_version=now.version).status.value == "closed"


def test_two_workstations_see_the_request_and_its_approval_live(
    desk: Desk, officer: Desk, leader: Desk
) -> None:
    case = _resolved(officer)
    leader_inbox, officer_inbox = _Inbox(), _Inbox()
    leader.events.subscribe(leader_inbox)
    officer.events.subscribe(officer_inbox)
    leader.start_change_feed(poll_interval_s=0.1)
    officer.start_change_feed(poll_interval_s=0.1)
    try:
        requested = officer.request_closure(case.id, "rectified", "已整改")
        event = leader_inbox.wait_for(lambda e: e.action == "request_close")
        assert (event.entity_id, event.version, event.local) == (
            case.id,
            requested.version,
            False,
        )
        assert leader.get_case(case.id).closure_pending
        assert leader.queue_count(PENDING) == 1
        closed = leader.approve_closure(case.id, expected_version=requested.version)
        event = officer_inbox.wait_for(lambda e: e.action == "approve_close")
        assert (event.entity_id, event.version, event.local) == (case.id, closed.version, False)
        request = officer.closure_request(case.id)
        assert request is not None and request.state == "approved"
        assert officer.get_case(case.id).status.value == "closed"
    finally:
        leader.stop_change_feed()
        officer.stop_change_feed()


def test_leaving_resolved_by_any_path_ends_the_wait(desk: Desk, officer: Desk) -> None:
    """A module that moves the case on by its own write (a petition's callback reopening it)
    goes through the store, which clears the pending flag: the request reads as superseded,
    and a later request replaces it."""
    case = _resolved(officer)
    requested = officer.request_closure(case.id, "rectified", "已整改")
    with desk.store.write() as conn:
        case_records.update_case(conn, case.id, requested.version, {"status": "triaged"})
    assert not desk.get_case(case.id).closure_pending
    request = desk.closure_request(case.id)
    assert request is not None and request.state == "superseded"
    assert desk.queue_count(PENDING) == 0


def test_who_may_request_and_a_finished_case_is_not_edited(
    desk: Desk, officer: Desk, leader: Desk, db_url: str, clock: Clock
) -> None:
    case = _resolved(officer)
    with pytest.raises(IllegalTransition) as directly:
        leader.request_closure(case.id, "rectified", "已整改")
    assert directly.value.key == "error.close_directly"
    viewer = second_desk(db_url, clock, "viewer")
    try:
        with pytest.raises(PermissionDenied) as denied:
            viewer.request_closure(case.id, "rectified", "已整改")
        assert denied.value.message("zh") == "需要权限：办理事项（角色：值班员及以上）"
    finally:
        viewer.close()
    closed = leader.close_case(case.id, "rectified", "整改到位")
    with pytest.raises(IllegalTransition) as finished:
        officer.edit_case(case.id, closed.version, {"title": "改标题"})
    assert finished.value.key == "error.edit_finished"
    assert desk.get_case(case.id).title == case.title


def test_pending_filter_survives_a_saved_filter() -> None:
    query = QueueQuery(closure_pending=True, statuses=("resolved",))
    assert QueueQuery.from_json(query.to_json()) == query
    assert QueueQuery.from_json({"kinds": []}).closure_pending is False


class _Inbox:
    def __init__(self) -> None:
        self.events: list[Changed] = []
        self.cond = threading.Condition()

    def __call__(self, event: Changed) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> Changed:
        with self.cond:
            assert self.cond.wait_for(lambda: any(predicate(e) for e in self.events), timeout), (
                f"no matching event; got {self.events}"
            )
            return next(e for e in self.events if predicate(e))
