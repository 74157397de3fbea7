"""The demo workload: realistic, worked through the real use cases, and verifiable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dispatch_app.audit.verify import verify_chain
from dispatch_app.demo import DEMO_OFFICER, DEMO_PASSWORD, bulk_seed, demo_credit_code, seed_demo
from dispatch_app.desk import Desk, QueueQuery
from dispatch_app.domain.cases import CaseKind, Status
from dispatch_app.domain.credit_code import credit_code_problem, organization_check
from dispatch_app.domain.districts import District
from dispatch_app.domain.roles import Role
from tests.desk.conftest import draft

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def test_seed_demo(db_url: str) -> None:
    seed_demo(db_url, count=60, now=NOW)
    desk = Desk.open(db_url, clock=lambda: NOW)
    try:
        user = desk.login(DEMO_OFFICER, DEMO_PASSWORD)
        assert user.role is Role.DUTY_OFFICER
        assert desk.queue_count() == 60
        rows = desk.queue_page(QueueQuery(), 0, 100)
        assert {r.kind for r in rows} == {k.value for k in CaseKind}
        assert len({r.status for r in rows}) >= 6
        assert len({r.district for r in rows}) >= 5
        overdue = desk.queue_count(QueueQuery(overdue=True))
        assert 0 < overdue < 60
        closed = desk.queue_page(QueueQuery(statuses=(Status.CLOSED.value,)), 0, 1)
        detail = desk.case_detail(closed[0].id)
        assert [e.to_status for e in detail.timeline][-1] == "closed"
        assert detail.timeline[-1].actor == "leader"
        # The leader has closure requests to decide; some closed cases went that way.
        pending = desk.queue_page(QueueQuery(closure_pending=True), 0, 100)
        assert pending and all(r.status == "resolved" for r in pending)
        request = desk.closure_request(pending[0].id)
        assert request is not None and request.pending and request.requested_by == DEMO_OFFICER
        approved = [
            desk.case_detail(r.id).timeline[-1].action
            for r in desk.queue_page(QueueQuery(statuses=(Status.CLOSED.value,)), 0, 100)
        ]
        assert "approve_close" in approved
        assert detail.case.created_at < NOW
        assert verify_chain(desk.store).intact
        assert any(ul.open_load > 0 for ul in desk.units())
    finally:
        desk.close()


def test_seed_demo_through_an_open_desk(sqlite_url: str) -> None:
    """The desk's --demo: seed through its own desk, which ends logged in as the officer."""
    desk = Desk.open(sqlite_url, clock=lambda: NOW)
    seen: list[tuple[int, int]] = []
    try:
        seed_demo(desk, count=20, now=NOW, progress=lambda done, total: seen.append((done, total)))
        assert desk.current_user is not None and desk.current_user.username == DEMO_OFFICER
        assert desk.clock() == NOW  # its own clock is back
        assert desk.queue_count() == 20
        assert seen and seen[-1][0] == seen[-1][1]
        case = desk.create_case(draft())
        assert case.created_at == NOW and case.created_by == DEMO_OFFICER
    finally:
        desk.close()


def test_seed_demo_refuses_a_used_database(sqlite_url: str) -> None:
    desk = Desk.open(sqlite_url, clock=lambda: NOW)
    try:
        desk.create_first_administrator("admin", "管理员", "bench-password")
        with pytest.raises(ValueError, match="empty database"):
            seed_demo(desk, count=5, now=NOW)
        assert desk.clock() == NOW
    finally:
        desk.close()


def test_bulk_seed_numbers_and_deadlines(sqlite_url: str) -> None:
    desk = Desk.open(sqlite_url, clock=lambda: NOW)
    try:
        desk.create_first_administrator("admin", "管理员", "bench-password")
        bulk_seed(desk.store, desk.rules, 500, now=NOW)
        assert desk.queue_count() == 500
        rows = desk.queue_page(QueueQuery(), 0, 500)
        assert len({r.reference for r in rows}) == 500
        for r in rows[:50]:
            target = desk.rules.target(CaseKind(r.kind), r.priority)  # type: ignore[arg-type]
            assert r.response_due_at == r.created_at + target.response
        # Numbering continues after the seeded ones.
        new = desk.create_case(draft())
        year_refs = sorted(x.reference for x in rows if x.reference.startswith("CZ-2026"))
        assert new.reference > year_refs[-1]
    finally:
        desk.close()


def test_demo_credit_codes_are_well_formed() -> None:
    import random

    rng = random.Random(1)
    for district in District:
        code = demo_credit_code(rng, district)
        assert credit_code_problem(code) is None
        assert organization_check(code[8:16]) == code[16]
