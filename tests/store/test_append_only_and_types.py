"""The store offers no way to change the timeline, the audit log or the change log, and keeps
times as aware UTC."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from dispatch_app.store.change_feed import record_change
from dispatch_app.store.database import Store
from dispatch_app.store.models import changes
from dispatch_app.store.schema import upgrade_to_head

STORE = Path(__file__).resolve().parents[2] / "dispatch_app" / "store"
APPEND_ONLY = {"timeline", "audit_log", "changes"}


def test_no_update_or_delete_on_append_only_tables() -> None:
    """The one exception: the change log (a notification feed, not a record: the audit log
    and the timelines are) is pruned past its retention window by ``prune_changes``, and
    nowhere else."""
    offenders = []
    for path in STORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        pruning = {
            id(n)
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef) and f.name == "prune_changes"
            for n in ast.walk(f)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"update", "delete"}
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in APPEND_ONLY
            ):
                allowed = (
                    path.name == "change_feed.py"
                    and node.func.id == "delete"
                    and node.args[0].id == "changes"
                    and id(node) in pruning
                )
                if not allowed:
                    offenders.append(f"{path.name}:{node.lineno} {node.func.id}({node.args[0].id})")
    assert offenders == []


def test_times_are_aware_utc_both_ways(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade_to_head(store)
        shanghai = timezone(timedelta(hours=8))
        local = datetime(2026, 11, 28, 22, 30, 15, 123456, tzinfo=shanghai)
        with store.write() as conn:
            record_change(conn, local, "case", 1, 1, "create", "test")
        with store.read() as conn:
            at = conn.execute(select(changes.c.at)).scalar_one()
        assert at == local and at.tzinfo is UTC
        assert at == datetime(2026, 11, 28, 14, 30, 15, 123456, tzinfo=UTC)
        with pytest.raises(Exception, match="naive datetime"), store.write() as conn:
            record_change(conn, datetime(2026, 1, 1), "case", 1, 1, "create", "test")
    finally:
        store.dispose()


def test_sqlite_connection_settings(sqlite_url: str) -> None:
    store = Store(sqlite_url, busy_timeout_s=2.5)
    try:
        upgrade_to_head(store)
        with store.read() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 2500,
            "synchronous": 2,  # FULL: every commit reaches the disk
        }
        # Foreign keys are enforced: a timeline entry for a case that does not exist fails.
        with pytest.raises(Exception, match="FOREIGN KEY"), store.write() as conn:
            from dispatch_app.store.case_records import append_timeline

            append_timeline(
                conn, 424242, {"at": datetime.now(UTC), "actor": "x", "entry_kind": "note"}
            )
    finally:
        store.dispose()


def test_bulk_loading_relaxes_durability_only_inside(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    try:
        upgrade_to_head(store)

        def synchronous() -> int:
            with store.read() as conn:
                return int(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())

        assert synchronous() == 2
        with store.bulk_loading():
            assert synchronous() == 0
        assert synchronous() == 2
    finally:
        store.dispose()
