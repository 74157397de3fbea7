"""Evaluation rounds: the engine's verdicts through the lifecycle into the database."""

from __future__ import annotations

import logging
from datetime import datetime

from dispatch_app.desk.alarms.values import (
    FeedWatch,
    RoundResult,
)
from dispatch_app.desk.alarms.writes import AlarmWrites
from dispatch_app.domain import alarms as lifecycle

log = logging.getLogger(__name__)


class AlarmRounds(AlarmWrites):
    """The timed rounds of ``AlarmDesk`` (mixed into it)."""

    def evaluate(self, now: datetime | None = None) -> RoundResult:
        """One evaluation round: queued observations into the engine, verdicts through the
        lifecycle, changes persisted (version-checked) with their cases, then announced.

        A database failure writes nothing and keeps the round's verdicts to apply again next
        round (a clearing reported once is not lost); StoreUnavailable propagates for the
        status bar."""
        with self._lock:
            now = now or self.clock()
            # The feed's state first, then the queue: a feed that says "caught up" has already
            # queued everything it delivered, so the engine then holds all of it.
            watch = self._feed_watch() if self._feed_watch is not None else FeedWatch()
            self._take_remote()  # what other desks wrote meanwhile: fewer refused writes
            rejected = self._drain()
            if self._engine is None:
                return RoundResult(rejected_observations=rejected)
            verdicts = self._engine.evaluate(
                now, caught_up=watch.caught_up, listening_since=watch.listening_since
            )
            conditions = {c.key: c for c in verdicts}
            if self._retry:
                conditions = {**self._retry, **conditions}
            changes = lifecycle.apply_evaluation(self._alarms, conditions.values(), now)
            try:
                result = self._persist(changes, now)
            except Exception:
                # Nothing was written (one transaction): keep the verdicts, a clearing
                # reported once included, for the next round.
                self._retry = conditions
                raise
            self._retry = {}
        return RoundResult(
            result.written,
            result.refused,
            result.announcements,
            result.opened_cases,
            rejected,
        )

    def tick(self, now: datetime | None = None) -> RoundResult:
        """Time-driven changes: shelving expired, stale and chattering flags."""
        with self._lock:
            now = now or self.clock()
            self._take_remote()
            changes = lifecycle.tick(list(self._alarms.values()), now)
            return self._persist(changes, now)
