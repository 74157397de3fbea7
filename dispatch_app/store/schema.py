"""Schema upgrades: the desk runs ``upgrade_to_head`` on start. Revisions only add; none
drops data, and downgrades are refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from dispatch_app.store.database import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(store: Store) -> str | None:
    with store.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(store_or_url: Store | str) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there).

    On PostgreSQL an advisory lock keeps two workstations starting at once from running the
    same migration twice; on SQLite the IMMEDIATE write transaction does the same.
    """
    store = Store(store_or_url) if isinstance(store_or_url, str) else store_or_url
    cfg = alembic_config()
    try:
        with store.write() as conn:
            if store.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(727201)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        if isinstance(store_or_url, str):
            store.dispose()
