"""Alembic migrations: applied on start, idempotent, never dropping data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from dispatch_app.store.database import Store
from dispatch_app.store.schema import (
    MIGRATIONS,
    current_revisions,
    head_revisions,
    upgrade_to_head,
)

TABLES = {
    "cases",
    "timeline_entries",
    "users",
    "audit_log",
    "saved_filters",
    "sequences",
    "changes",
    "alembic_version",
}


def test_upgrade_creates_every_table_and_is_idempotent(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade_to_head(store)
        assert current_revisions(store) == head_revisions()
        with store.read() as conn:
            assert set(inspect(conn).get_table_names()) >= TABLES
            conn.execute(text("INSERT INTO sequences (name, value) VALUES ('case-2026', 41)"))
            conn.commit()
        upgrade_to_head(store)  # a second start: nothing changes, nothing lost
        with store.read() as conn:
            assert conn.execute(text("SELECT value FROM sequences")).scalar_one() == 41
    finally:
        store.dispose()


def test_upgrade_from_the_first_revision_keeps_existing_cases(sqlite_url: str) -> None:
    """A database made by revision 0001 gets 0002's column filled from created_at."""
    from alembic import command

    from dispatch_app.store.schema import alembic_config

    store = Store(sqlite_url)
    try:
        cfg = alembic_config()
        with store.write() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
        with store.write() as conn:
            conn.execute(
                text(
                    "INSERT INTO cases (reference, kind, status, priority, title, description,"
                    " district, address, source, details, created_at, created_by, updated_at,"
                    " updated_by, response_due_at, resolution_due_at, due_at, version) VALUES"
                    " ('CZ-2026-000001', 'quality', 'new', 'P2', '旧事项', '', 'wujin', '',"
                    " 'other', '{}', '2026-01-02 03:04:05.000000', 'a',"
                    " '2026-01-02 03:04:05.000000', 'a', '2026-01-02 04:04:05.000000',"
                    " '2026-01-03 03:04:05.000000', '2026-01-02 04:04:05.000000', 1)"
                )
            )
        upgrade_to_head(store)
        with store.read() as conn:
            row = conn.execute(text("SELECT title, clock_started_at FROM cases")).one()
        assert row.title == "旧事项"
        assert str(row.clock_started_at).startswith("2026-01-02 03:04:05")
    finally:
        store.dispose()


def test_revisions_never_drop_and_ship_with_the_package() -> None:
    versions = sorted((MIGRATIONS / "versions").glob("*.py"))
    assert versions, "no revisions found"
    for path in versions:
        source = Path(path).read_text(encoding="utf-8")
        upgrade = source.split("def upgrade")[1].split("def downgrade")[0]
        assert "drop_table" not in upgrade and "drop_column" not in upgrade, path.name
    assert (MIGRATIONS / "env.py").exists() and (MIGRATIONS / "script.py.mako").exists()
    pyproject = (MIGRATIONS.parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert "migrations/versions/*.py" in pyproject
