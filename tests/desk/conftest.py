"""Desks on a real database (SQLite file and PostgreSQL via ``db_url``), with a controllable
clock and the standard cast of users."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from dispatch_app.desk import Desk
from dispatch_app.domain.cases import CaseDraft, CaseKind, CaseSource, Priority
from dispatch_app.domain.credit_code import make_credit_code
from dispatch_app.domain.districts import District

PASSWORD = "correct-horse-9"
# Cheaper scrypt for tests that are not about password strength (the cost is stored with each
# hash; tests/desk/test_auth.py checks the production cost).
FAST_SCRYPT_N = 2**10


@dataclass
class Clock:
    """A settable clock so deadlines and lockouts can be tested without sleeping."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 28, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desk(db_url: str, clock: Clock) -> Iterator[Desk]:
    """A desk logged in as the first administrator, with a duty officer, a shift leader and
    a viewer created."""
    d = Desk.open(db_url, clock=clock, scrypt_n=FAST_SCRYPT_N)
    d.create_first_administrator("admin", "值班管理员", PASSWORD)
    d.create_user("officer", "张值班", "duty_officer", PASSWORD)
    d.create_user("leader", "李带班", "shift_leader", PASSWORD)
    d.create_user("viewer", "王只读", "viewer", PASSWORD)
    yield d
    d.close()


def second_desk(url: str, clock: Clock, username: str = "officer") -> Desk:
    """Another workstation on the same database."""
    d = Desk.open(url, clock=clock, scrypt_n=FAST_SCRYPT_N)
    d.login(username, PASSWORD)
    return d


def draft(kind: CaseKind = CaseKind.QUALITY, **overrides: object) -> CaseDraft:
    values: dict[str, object] = {
        "kind": kind,
        "title": "武进区某化工企业夜间偷排废水",
        "district": District.WUJIN,
        "priority": Priority.P2,
        "source": CaseSource.HOTLINE_12369,
        "description": "群众反映夜间有刺鼻气味，河水发黑",
        "address": "武进区湖塘镇",
        "lon": 119.95,
        "lat": 31.70,
    }
    if kind is CaseKind.VIOLATION:
        values["enterprise_name"] = "常州某化工有限公司"
        values["credit_code"] = make_credit_code("91320412MA1MQ8N4X")
    values.update(overrides)
    return CaseDraft(**values)  # type: ignore[arg-type]
