"""The change feed: desks on other workstations learn that a case changed.

Every write records a row in ``changes`` in the same transaction. On PostgreSQL the write
also sends NOTIFY (delivered at commit) and a LISTEN thread wakes up at once; on SQLite a
thread polls the table. Either way the table is the truth: the feed reads every row after its
cursor, so a missed notification or a slow poll never loses a change.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dispatch_app.store.audit_records import WRITE_ORDER_LOCK
from dispatch_app.store.database import Store
from dispatch_app.store.errors import StoreError
from dispatch_app.store.models import changes

log = logging.getLogger(__name__)

CHANNEL = "dispatch_changes"
_INSERT_CHANGE = insert(changes)

# How long a change stays in the table. The feed only needs what a running desk has not read
# yet (a desk starts at the newest change and never replays history; the audit log and the
# case timelines are the record), so a week covers any workstation that lost its connection
# for a while without letting the table grow for ever.
CHANGE_RETENTION = timedelta(days=7)
PRUNE_BATCH = 5000  # rows per delete transaction: a SQLite writer never waits long on us
PRUNE_INTERVAL_S = 6 * 3600.0  # a desk running for weeks prunes on its feed thread too


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime
    topic: str  # case | user | filter
    entity_id: int
    version: int
    action: str
    origin: str


def record_change(
    conn: Connection,
    at: datetime,
    topic: str,
    entity_id: int,
    version: int,
    action: str,
    origin: str,
) -> None:
    """Record a change inside the caller's write transaction.

    The feed reads ids in order and never looks back, so ids must become visible in the
    order they were given. PostgreSQL assigns serial ids at insert but shows rows at commit;
    holding one transaction-scoped lock from here to commit (the audit log's, which every
    desk write takes anyway) makes insert order and commit order the same. On SQLite the
    IMMEDIATE write transaction already does.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_ORDER_LOCK})
    conn.execute(
        _INSERT_CHANGE,
        {
            "at": at,
            "topic": topic,
            "entity_id": entity_id,
            "version": version,
            "action": action,
            "origin": origin,
        },
    )
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": f"{topic}:{entity_id}"})


def latest_change_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(changes.c.id), 0))).scalar_one())


def changes_after(conn: Connection, after: int, limit: int = 1000) -> list[Change]:
    rows = conn.execute(
        select(changes).where(changes.c.id > after).order_by(changes.c.id).limit(limit)
    ).mappings()
    return [Change(**r) for r in rows]


def prune_changes(store: Store, older_than: datetime, batch: int = PRUNE_BATCH) -> int:
    """Delete the changes recorded before ``older_than``; returns how many were deleted.

    Safe with several workstations: each batch is its own short transaction, a row deleted by
    another desk meanwhile is simply not counted, and the newest change is always kept, so
    ids never start again from 1 (SQLite reuses ids above the largest one left) and a feed's
    cursor stays valid: a feed still behind the pruned range just reads on from the next
    remaining id.
    """
    deleted = 0
    while True:
        with store.write() as conn:
            newest = latest_change_id(conn)
            oldest = (
                select(changes.c.id)
                .where(changes.c.at < older_than, changes.c.id < newest)
                .order_by(changes.c.id)
                .limit(batch)
            )
            ids = list(conn.execute(oldest).scalars())
            if ids:
                # Counted from the delete itself: another desk may have taken some meanwhile.
                result = conn.execute(delete(changes).where(changes.c.id.in_(ids)))
                deleted += max(result.rowcount, 0)
        if len(ids) < batch:
            return deleted


class ChangeFeed:
    """A background thread delivering changes written by *other* origins to ``deliver``.

    ``deliver`` runs on the feed's thread: a Qt caller must hand the event to its own thread
    (a queued signal). Starts at the newest change, so history is not replayed.
    """

    def __init__(
        self,
        store: Store,
        origin: str,
        deliver: Callable[[Change], None],
        poll_interval_s: float = 0.5,
        prune: Callable[[], object] | None = None,
        prune_interval_s: float = PRUNE_INTERVAL_S,
    ) -> None:
        self._store = store
        self._origin = origin
        self._deliver = deliver
        self._poll = poll_interval_s
        # Housekeeping run on the feed's thread once it has caught up after starting, then
        # every ``prune_interval_s`` (the desk passes its change-table pruning), never on the
        # caller's thread.
        self._prune = prune
        self._prune_interval = prune_interval_s
        self._next_prune = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cursor = 0
        self.error: str | None = None  # the last failure, for the status bar

    def start(self) -> None:
        with self._store.read() as conn:
            self._cursor = latest_change_id(conn)
        self._stop.clear()
        target = self._run_listen if self._store.dialect == "postgresql" else self._run_poll
        self._thread = threading.Thread(target=target, name="change-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _drain(self) -> None:
        while True:
            with self._store.read() as conn:
                batch = changes_after(conn, self._cursor)
            for change in batch:
                self._cursor = change.id
                if change.origin == self._origin:
                    continue
                try:
                    self._deliver(change)
                except Exception:  # a subscriber's bug must not stop the feed
                    log.exception("change subscriber failed")
            if len(batch) < 1000:
                break
        self._housekeeping()

    def _housekeeping(self) -> None:
        if self._prune is None or time.monotonic() < self._next_prune:
            return
        self._next_prune = time.monotonic() + self._prune_interval
        try:
            self._prune()
        except (StoreError, DBAPIError) as exc:  # tried again at the next interval
            log.warning("pruning the change table failed: %s", exc)

    def _run_poll(self) -> None:
        while not self._stop.is_set():
            try:
                self._drain()
                self.error = None
            except (StoreError, DBAPIError) as exc:
                self.error = str(exc)
                log.warning("change feed poll failed: %s", exc)
            self._stop.wait(self._poll)

    def _run_listen(self) -> None:
        import psycopg

        url = make_url(self._store.url).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as pg:
                    pg.execute(f"LISTEN {CHANNEL}")
                    self._drain()  # anything written while we were (re)connecting
                    self.error = None
                    while not self._stop.is_set():
                        woke = False
                        for _ in pg.notifies(timeout=self._poll, stop_after=1):
                            woke = True
                        # Drain on every wake-up and every interval: NOTIFY is only a hint.
                        self._drain()
                        if woke:
                            continue
            except (psycopg.Error, StoreError, DBAPIError) as exc:
                self.error = str(exc)
                log.warning("change feed LISTEN failed, retrying: %s", exc)
                self._stop.wait(2.0)
