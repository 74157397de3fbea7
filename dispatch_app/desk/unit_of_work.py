"""The unit of work: one use case's write, as one transaction.

It opens the transaction, writes each audit entry and change-feed row the use case reports
for the records it changed, commits, and only then publishes the collected events on the
workstation's bus (the "unit of work + message bus" shape): a subscriber never hears of a
change it could not yet read, and a rolled-back change is never announced.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection

from dispatch_app.desk.events import Changed, EventBus
from dispatch_app.desk.views import UserView
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import record_change
from dispatch_app.store.database import Store


class UnitOfWork:
    """Made by ``DeskContext.unit_of_work``; use it as ``with uow: ...`` once."""

    def __init__(
        self,
        store: Store,
        events: EventBus,
        origin: str,
        actor: UserView | None,
        now: datetime,
    ) -> None:
        self._store = store
        self._events = events
        self.origin = origin
        self._actor = actor
        self.now = now
        self._pending: list[Changed] = []
        self._after_commit: list[Callable[[], None]] = []
        self._transaction: AbstractContextManager[Connection] | None = None
        self._conn: Connection | None = None

    @property
    def actor(self) -> UserView:
        """The user the write was checked for (not for the writes made before login)."""
        if self._actor is None:
            raise RuntimeError("this unit of work runs without a logged-in actor")
        return self._actor

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work's transaction is not open")
        return self._conn

    def __enter__(self) -> UnitOfWork:
        if self._transaction is not None:
            raise RuntimeError("a unit of work is used once")
        self._transaction = self._store.write()
        self._conn = self._transaction.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        assert self._transaction is not None
        try:
            suppressed = self._transaction.__exit__(exc_type, exc, tb)
        finally:
            self._conn = None
        if exc_type is None:
            for fn in self._after_commit:
                fn()
            self.publish_collected()
        self._pending.clear()
        self._after_commit.clear()
        return suppressed

    def audit(
        self,
        action: str,
        target_type: str,
        target_id: str | int,
        payload: dict[str, Any],
        *,
        actor_name: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """Append the audit entry of this write (in its transaction); returns its sequence.
        The actor is the checked user unless ``actor_name`` names one (before login, or the
        alarm system); the time is the write's unless ``at`` is the change's own."""
        name = self.actor.username if actor_name is None else actor_name
        when = self.now if at is None else at
        return append_audit(self.conn, when, name, action, target_type, target_id, payload)

    def changed(
        self,
        topic: str,
        entity_id: int,
        version: int,
        action: str,
        *,
        publish: bool = True,
        at: datetime | None = None,
    ) -> None:
        """Record the change-feed row of a changed record (other workstations see it) and,
        unless ``publish`` is False, announce it on this workstation after commit."""
        when = self.now if at is None else at
        record_change(self.conn, when, topic, entity_id, version, action, self.origin)
        if publish:
            self._pending.append(Changed(topic, entity_id, version, action, local=True))

    def publish_after_commit(self, event: Changed) -> None:
        """Announce ``event`` on this workstation after commit (no change row of its own)."""
        self._pending.append(event)

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` after commit, before the events are published (a rolled-back write
        leaves the desk's state as it was)."""
        self._after_commit.append(fn)

    def publish_collected(self) -> None:
        events, self._pending = self._pending, []
        for event in events:
            self._events.publish(event)
