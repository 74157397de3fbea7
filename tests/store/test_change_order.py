"""Change-feed ids become visible in order, so a feed that never looks back loses nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from dispatch_app.store.change_feed import changes_after, record_change
from dispatch_app.store.database import Store
from dispatch_app.store.schema import upgrade_to_head

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def test_a_later_change_waits_for_the_earlier_one_to_commit(db_url: str) -> None:
    store = Store(db_url)
    upgrade_to_head(store)
    done = threading.Event()

    def second_workstation() -> None:
        with store.write() as conn:
            record_change(conn, NOW, "case", 2, 1, "create", "desk-b")
        done.set()

    try:
        with store.write() as conn:
            record_change(conn, NOW, "case", 1, 1, "create", "desk-a")
            other = threading.Thread(target=second_workstation)
            other.start()
            # desk-b must not commit a later id while desk-a's earlier one is invisible.
            assert not done.wait(0.5)
            with store.read() as reader:
                assert changes_after(reader, 0) == []
        other.join(10)
        assert done.is_set()
        with store.read() as reader:
            seen = [(c.id, c.origin) for c in changes_after(reader, 0)]
        assert seen == [(1, "desk-a"), (2, "desk-b")]
    finally:
        store.dispose()
