"""Reading alarms: the rules in force, the alarms held, counts, history."""

from __future__ import annotations

import logging
from datetime import datetime

from dispatch_app.desk.alarms.base import AlarmDeskBase
from dispatch_app.desk.alarms.values import (
    AlarmHistoryEntry,
    _alarm_of,
)
from dispatch_app.domain import alarms as lifecycle
from dispatch_app.domain.alarm_rules import (
    AlarmRule,
    RuleSet,
)
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmCounts,
    AlarmState,
    alarm_counts,
    panel_order,
)
from dispatch_app.store import alarm_records
from dispatch_app.store.errors import NotFound

log = logging.getLogger(__name__)


class AlarmQueries(AlarmDeskBase):
    """The read use cases of ``AlarmDesk`` (mixed into it)."""

    @property
    def rule_set(self) -> RuleSet:
        return self._rules

    @property
    def rules_text(self) -> str:
        """The text of the rules in force (what the editor starts from)."""
        return self._rules_text

    def rule(self, rule_id: str) -> AlarmRule | None:
        try:
            return self._rules.by_id(rule_id)
        except KeyError:
            return None

    def alarms(self, *, include_normal: bool = False) -> list[Alarm]:
        """The alarms in panel order (unacknowledged first, priority, newest). Normal alarms
        (cleared and acknowledged) are history and left out unless asked for."""
        with self._cache:
            items = list(self._alarms.values())
        if not include_normal:
            items = [a for a in items if a.state is not AlarmState.NORMAL]
        return panel_order(items)

    def get(self, key: str) -> Alarm:
        with self._cache:
            alarm = self._alarms.get(key)
        if alarm is None:
            raise NotFound("alarm", key)
        return alarm

    def alarm_id(self, key: str) -> int | None:
        with self._cache:
            return self._ids.get(key)

    def counts(self, now: datetime | None = None) -> AlarmCounts:
        with self._cache:
            items = list(self._alarms.values())
        return alarm_counts(items, now or self.clock())

    def reminders(self, since: datetime, now: datetime | None = None) -> list[Alarm]:
        """Unacknowledged, unshelved alarms whose reminder (every ``NAG_EVERY`` after they were
        raised) fell in (since, now]: the nag of control-room practice."""
        with self._cache:
            items = list(self._alarms.values())
        return lifecycle.reminders_due(items, since, now or self.clock())

    def in_flood(self, now: datetime | None = None) -> bool:
        now = now or self.clock()
        with self._cache:
            return self._annunciator.in_flood(now)

    def history(self, key: str) -> list[AlarmHistoryEntry]:
        alarm_id = self.alarm_id(key)
        if alarm_id is None:
            raise NotFound("alarm", key)
        with self.desk.store.read() as conn:
            rows = alarm_records.history_of(conn, alarm_id)
        return [
            AlarmHistoryEntry(
                r["at"],
                r["kind"],
                r["actor"],
                r["note"],
                r["state"],
                int(r["version"]),
                r["value"],
                r["origin"],
            )
            for r in rows
        ]

    def alarms_of_case(self, case_id: int) -> list[Alarm]:
        with self.desk.store.read() as conn:
            return [_alarm_of(r) for r in alarm_records.alarms_of_case(conn, case_id)]
