"""Shared fixtures: real SQLite files and, when DISPATCH_TEST_PG_URL is set, a real PostgreSQL.

Each PostgreSQL test gets a schema of its own (search_path in the URL), so tests and
parallel runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dispatch_app.resources import resources_dir as shipped_resources_dir

# No screen on CI or a developer's ssh session: without a platform Qt aborts the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ENV = "DISPATCH_TEST_PG_URL"
PG_SKIP_REASON = (
    f"{PG_ENV} is not set: PostgreSQL tests skipped "
    "(set it, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
)


def pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    return url or None


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session", autouse=True)
def desk_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The desk's user config and data directories (AppPaths) in a temporary directory for the
    whole run: what an administrator saved on this machine never leaks into a test, and no
    test writes into the real ones."""
    home = tmp_path_factory.mktemp("desk-home")
    before = os.environ.get("DISPATCH_DESK_HOME")
    os.environ["DISPATCH_DESK_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("DISPATCH_DESK_HOME", None)
    else:
        os.environ["DISPATCH_DESK_HOME"] = before


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh, empty PostgreSQL schema, dropped afterwards."""
    base = pg_base_url()
    if base is None:
        pytest.skip(PG_SKIP_REASON)
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs a test once on a real SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def resources_dir() -> Path:
    return shipped_resources_dir()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots and reports to be looked at (ignored by git)."""
    path = Path(__file__).resolve().parent / "artifacts"
    path.mkdir(exist_ok=True)
    return path
