"""Desks on a real database (SQLite file and PostgreSQL via ``db_url``), with a controllable
clock and the standard cast of users."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from dispatch_app.desk import Desk
from dispatch_app.domain.cases import CaseDraft, CaseKind, CaseSource, Priority
from dispatch_app.domain.credit_code import make_credit_code
from dispatch_app.domain.districts import District
from dispatch_app.store.schema import upgrade_to_head
from tests.conftest import PG_SKIP_REASON, _with_search_path, pg_base_url

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


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once; each test gets a copy (tests/store checks migrating)."""
    path = tmp_path_factory.mktemp("template") / "desk.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_session_url() -> Iterator[str | None]:
    """A PostgreSQL schema migrated once per session; each test starts from it emptied."""
    base = pg_base_url()
    if base is None:
        yield None
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _with_search_path(base, schema)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path) -> str:
    """Like the project-wide ``db_url`` (a real SQLite file, then a real PostgreSQL schema),
    but starting from an already migrated, empty database: migrating for every test made
    the desk tests several times slower. tests/store covers the migrations themselves."""
    if request.param == "sqlite":
        path = tmp_path / "desk.db"
        shutil.copy(_sqlite_template, path)
        return f"sqlite:///{path}"
    url: str | None = request.getfixturevalue("_pg_session_url")
    if url is None:
        pytest.skip(PG_SKIP_REASON)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
            if tables:
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return url


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
