"""An officer's actions on an alarm: acknowledge, shelve, unshelve, open its case."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from dispatch_app.desk.alarms.values import (
    AlarmUpdate,
    _alarm_of,
    _Write,
)
from dispatch_app.desk.alarms.writes import AlarmWrites
from dispatch_app.desk.views import CaseView, UserView
from dispatch_app.domain import alarms as lifecycle
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmChange,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import alarm_records
from dispatch_app.store.errors import ConflictError, NotFound

log = logging.getLogger(__name__)


class OperatorActions(AlarmWrites):
    """The operator actions of ``AlarmDesk`` (mixed into it)."""

    def _act(
        self,
        key: str,
        expected_version: int | None,
        action: Callable[[Alarm, UserView, datetime], AlarmChange],
    ) -> Alarm:
        """Apply an operator action to the stored alarm (not our cache: another desk may have
        moved it), version-checked; a stale ``expected_version`` raises ConflictError."""
        # Refused at once, not after waiting for a round; checked again by the unit of work.
        self.desk.context.actor(Permission.WORK_CASES)
        with self._lock:
            uow = self.desk.context.unit_of_work(Permission.WORK_CASES, now=self.clock())
            user, now = uow.actor, uow.now
            write = _Write()
            with uow:
                conn = uow.conn
                row = alarm_records.lock_alarm(conn, key)
                if row is None:
                    raise NotFound("alarm", key)
                stored = _alarm_of(row)
                if expected_version is not None and expected_version != stored.version:
                    raise ConflictError(
                        "alarm",
                        int(row["id"]),
                        expected_version,
                        stored.version,
                        lifecycle.alarm_to_dict(stored),
                        {"key": key},
                    )
                change = action(stored, user, now)
                if not self._write_change(uow, change, user, write):  # pragma: no cover
                    raise ConflictError("alarm", int(row["id"]), stored.version, -1, {}, {})
                self._finish(uow, write)
            return self._after_action(write)

    def _after_action(self, write: _Write) -> Alarm:
        """After commit (the unit of work has taken the write into the cache and published
        its events): tell the listeners."""
        with self._cache:
            last = self._alarms[write.written[-1].after.key]
        self._notify(AlarmUpdate(alarms=(last,)))
        self._take_remote()
        return last

    def acknowledge(self, key: str, note: str = "", expected_version: int | None = None) -> Alarm:
        """Acknowledge with an optional note (AlarmActionRefused when nothing is pending)."""
        return self._act(
            key,
            expected_version,
            lambda a, u, now: lifecycle.acknowledge(a, u.username, note, now),
        )

    def shelve(
        self, key: str, duration: str, reason: str, expected_version: int | None = None
    ) -> Alarm:
        """Shelve for "1h", "6h", "12h" or "1d" with a reason; ``tick`` unshelves it."""
        return self._act(
            key,
            expected_version,
            lambda a, u, now: lifecycle.shelve(a, u.username, duration, reason, now),
        )

    def unshelve(self, key: str, expected_version: int | None = None) -> Alarm:
        return self._act(
            key, expected_version, lambda a, u, now: lifecycle.unshelve(a, u.username, now)
        )

    def open_case(self, key: str) -> CaseView:
        """The case for this alarm: the linked one, or a new quality case opened now on the
        officer's request (linked both ways)."""
        # Refused at once, not after waiting for a round; checked again by the unit of work.
        self.desk.context.actor(Permission.WORK_CASES)
        with self._lock:
            uow = self.desk.context.unit_of_work(Permission.WORK_CASES, now=self.clock())
            user, now = uow.actor, uow.now
            write = _Write()
            with uow:
                conn = uow.conn
                row = alarm_records.lock_alarm(conn, key)
                if row is None:
                    raise NotFound("alarm", key)
                stored = _alarm_of(row)
                if stored.case_id is None:
                    self._link_new_case(uow, stored, int(row["id"]), now, user, write)
                    self._finish(uow, write)
            if write.written:
                self._after_action(write)
                case_id = write.opened[-1]
            else:
                assert stored.case_id is not None
                case_id = int(stored.case_id)
        return self.desk.get_case(case_id)
