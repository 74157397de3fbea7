"""The change table is pruned to a retention window: old rows go, the newest always stays
(ids never restart), a running feed reads on, and two workstations may prune at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from dispatch_app.desk import Desk
from dispatch_app.store.change_feed import (
    CHANGE_RETENTION,
    Change,
    ChangeFeed,
    changes_after,
    prune_changes,
    record_change,
)
from dispatch_app.store.database import Store
from dispatch_app.store.schema import upgrade_to_head

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
CUTOFF = NOW - CHANGE_RETENTION


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    upgrade_to_head(s)
    yield s
    s.dispose()


def _record(store: Store, days_ago: float, count: int = 1, origin: str = "desk-a") -> None:
    with store.write() as conn:
        for i in range(count):
            at = NOW - timedelta(days=days_ago)
            record_change(conn, at, "case", i + 1, 1, "edit", origin)


def _ids(store: Store) -> list[int]:
    with store.read() as conn:
        return [c.id for c in changes_after(conn, 0, limit=100_000)]


def test_only_changes_older_than_the_window_are_deleted(store: Store) -> None:
    _record(store, 10, 3)
    _record(store, 8, 2)
    _record(store, 1, 2)
    _record(store, 0, 1)
    assert prune_changes(store, CUTOFF, batch=2) == 5  # in several batches
    assert _ids(store) == [6, 7, 8]
    assert prune_changes(store, CUTOFF) == 0  # nothing left to do


def test_the_newest_change_stays_so_ids_never_restart(store: Store) -> None:
    _record(store, 30, 4)
    assert prune_changes(store, CUTOFF) == 3
    assert _ids(store) == [4]
    _record(store, 0, 1, origin="desk-b")
    assert _ids(store) == [4, 5]  # a feed whose cursor was 4 sees the new change


def test_a_running_feed_reads_on_after_pruning(store: Store) -> None:
    _record(store, 9, 5)
    seen: list[Change] = []
    feed = ChangeFeed(store, "desk-a", seen.append, poll_interval_s=0.05)
    feed.start()
    try:
        prune_changes(store, CUTOFF)
        _record(store, 0, 2, origin="desk-b")
        deadline = time.monotonic() + 10
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        feed.stop()
    assert [c.origin for c in seen] == ["desk-b", "desk-b"]


def test_two_workstations_pruning_at_once(db_url: str, store: Store) -> None:
    _record(store, 10, 400)
    _record(store, 0, 1)
    other = Store(db_url)
    counts: list[int] = []
    errors: list[BaseException] = []

    def prune(s: Store) -> None:
        try:
            counts.append(prune_changes(s, CUTOFF, batch=50))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=prune, args=(s,)) for s in (store, other)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        other.dispose()
    assert errors == []
    assert sum(counts) == 400  # each row deleted once, by one of them
    assert _ids(store) == [401]


def test_the_desk_prunes_on_its_feed_thread(db_url: str) -> None:
    store = Store(db_url)
    upgrade_to_head(store)
    _record(store, 8, 3)
    _record(store, 0, 1)
    store.dispose()
    desk = Desk.open(db_url, clock=lambda: NOW)
    try:
        assert _ids(desk.store) == [1, 2, 3, 4]  # opening is not held up by pruning
        desk.start_change_feed(poll_interval_s=0.05)  # prunes once it has caught up
        deadline = time.monotonic() + 10
        while _ids(desk.store) != [4] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ids(desk.store) == [4]
    finally:
        desk.close()


def test_the_feed_prunes_again_after_its_interval(db_url: str, store: Store) -> None:
    calls: list[float] = []

    def prune() -> int:
        calls.append(time.monotonic())
        return prune_changes(store, CUTOFF)

    feed = ChangeFeed(store, "desk-a", lambda c: None, 0.02, prune, prune_interval_s=0.2)
    feed.start()
    try:
        _record(store, 9, 3)  # written after the first run, by a clock far behind
        _record(store, 0, 1)
        deadline = time.monotonic() + 10
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        feed.stop()
    assert len(calls) >= 3 and calls[2] - calls[1] >= 0.2
    assert _ids(store) == [4]
