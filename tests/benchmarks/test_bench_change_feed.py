"""Pruning the change table: a week's backlog at desk open, and the steady-state check that
finds nothing to delete (what every later open and every 6-hourly run costs)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from dispatch_app.store.change_feed import CHANGE_RETENTION, changes_after, prune_changes
from dispatch_app.store.database import Store
from dispatch_app.store.models import changes
from dispatch_app.store.schema import upgrade_to_head
from tests.benchmarks.conftest import Recorder

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
OLD, RECENT = 200_000, 50_000


def _fill(store: Store) -> None:
    rows = [
        {
            "at": NOW - timedelta(days=14) + timedelta(seconds=i),
            "topic": "case",
            "entity_id": i % 5000 + 1,
            "version": 1,
            "action": "edit",
            "origin": "desk-a",
        }
        for i in range(OLD)
    ] + [
        {
            "at": NOW - timedelta(days=3) + timedelta(seconds=i),
            "topic": "case",
            "entity_id": i % 5000 + 1,
            "version": 1,
            "action": "edit",
            "origin": "desk-a",
        }
        for i in range(RECENT)
    ]
    with store.bulk_loading(), store.write() as conn:
        conn.execute(insert(changes), rows)


def test_bench_prune_change_table(tmp_path: Path, bench: Recorder) -> None:
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}")
    try:
        upgrade_to_head(store)
        _fill(store)
        started = time.perf_counter()
        deleted = prune_changes(store, NOW - CHANGE_RETENTION)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = prune_changes(store, NOW - CHANGE_RETENTION)
        steady = time.perf_counter() - started
        with store.read() as conn:
            left = len(changes_after(conn, 0, limit=OLD + RECENT))
    finally:
        store.dispose()
    assert deleted == OLD and again == 0 and left == RECENT
    bench(f"prune {OLD:,} old of {OLD + RECENT:,} changes (SQLite)", first * 1000, "ms")
    bench(f"prune check, nothing old, {RECENT:,} changes (SQLite)", steady * 1000, "ms")
