"""Schema upgrades: the desk runs ``upgrade_to_head`` on start. Revisions only add; none
drops data, and downgrades are refused."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text

from dispatch_app.store.database import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# SQLite's FTS5 trigram index of case text (revision 0004) and the shadow tables SQLite keeps
# for it: made by raw DDL and kept by case_records, not described by a Table, so a comparison
# of the models with the database must leave them out rather than propose dropping them.
SEARCH_INDEX_TABLES = frozenset(
    {
        "case_search",
        "case_search_config",
        "case_search_content",
        "case_search_data",
        "case_search_docsize",
        "case_search_idx",
    }
)


def target_metadata() -> MetaData:
    """The metadata with every area's tables on it.

    The petition, emergency and alarm models sit on the foundation's one ``metadata`` but only
    once their modules are imported; Alembic's comparison (autogenerate, ``alembic check``)
    would otherwise see their tables as unknown and propose dropping them.
    """
    from dispatch_app.store import (  # noqa: F401 - imported for their tables
        alarm_models,
        emergency_models,
        petition_models,
    )
    from dispatch_app.store.models import metadata

    return metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name`` hook: everything but the SQLite search index tables."""
    return not (type_ == "table" and name in SEARCH_INDEX_TABLES)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revisions() -> set[str]:
    """Every head of the revision graph. Later issues add revisions on branches of their own
    (for example ``petitions_0001`` next to ``0002``); the desk upgrades to all heads."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(store: Store) -> set[str]:
    with store.read() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def refresh_statistics(store: Store) -> None:
    """Let SQLite's planner know the table sizes (sqlite_stat1), so that a queue filtered by
    a common status walks the urgency index instead of sorting thousands of rows.

    A full ANALYZE takes about 0.2 s on 100 000 cases (sampled statistics with
    ``analysis_limit`` misled the planner in the benchmark). PostgreSQL's autovacuum does the
    same by itself.
    """
    if not store.is_sqlite:
        return
    with store.write() as conn:
        conn.exec_driver_sql("ANALYZE")


def upgrade_to_head(store_or_url: Store | str) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there).

    On PostgreSQL an advisory lock keeps two workstations starting at once from running the
    same migration twice; on SQLite the IMMEDIATE write transaction does the same.
    """
    store = Store(store_or_url) if isinstance(store_or_url, str) else store_or_url
    cfg = alembic_config()
    try:
        # Already current: no write at all, so a read-only database still opens for reading.
        if current_revisions(store) == head_revisions():
            return
        with store.write() as conn:
            if store.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(727201)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
    finally:
        if isinstance(store_or_url, str):
            store.dispose()
