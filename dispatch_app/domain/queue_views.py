"""The queue's views: what needs action now (需处置) apart from the long-overdue backlog (积压).

A duty officer's first screen must show what this shift has to deal with, not the cases that
have been overdue for days: those are counted and kept one click away. Two settings decide the
split, read from resources/rules/queue_views.toml:

- ``backlog_after``: an open case overdue by more than this belongs to the backlog;
- the shift times (day 08:30–17:30, night 17:30–08:30 by default): "due within this shift"
  means due before the end of the shift that is running now.

``current_shift_end`` is the one place that answers "when does the current shift end"; the
duty roster (shifts.toml) is meant to replace it without touching the queue.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from dispatch_app.domain.deadlines import parse_duration
from dispatch_app.standards.center_time import CENTER_TZ

_CLOCK = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


class QueueViewRulesError(ValueError):
    """The queue views file is malformed; the message names the entry."""


@dataclass(frozen=True)
class QueueViewRules:
    backlog_after: timedelta = timedelta(hours=24)
    day_start: time = time(8, 30)  # Asia/Shanghai wall-clock time
    night_start: time = time(17, 30)


DEFAULT_QUEUE_VIEW_RULES = QueueViewRules()


def _clock_time(value: Any, where: str) -> time:
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise QueueViewRulesError(f"{where}: {value!r} is not a time like '08:30'")
    hours, minutes = _CLOCK.match(value).groups()  # type: ignore[union-attr]
    return time(int(hours), int(minutes))


def parse_queue_view_rules(text: str) -> QueueViewRules:
    """The TOML text of the queue views file; missing entries keep their defaults."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QueueViewRulesError(f"queue views file is not valid TOML: {exc}") from None
    default = DEFAULT_QUEUE_VIEW_RULES
    try:
        backlog = (
            parse_duration(data["backlog_after"], "backlog_after")
            if "backlog_after" in data
            else default.backlog_after
        )
    except ValueError as exc:
        raise QueueViewRulesError(str(exc)) from None
    shift = data.get("shift", {})
    if not isinstance(shift, dict):
        raise QueueViewRulesError("[shift] must be a table")
    day = _clock_time(shift["day_start"], "shift.day_start") if "day_start" in shift else None
    night = (
        _clock_time(shift["night_start"], "shift.night_start") if "night_start" in shift else None
    )
    day = day or default.day_start
    night = night or default.night_start
    if day == night:
        raise QueueViewRulesError("shift.day_start and shift.night_start must differ")
    return QueueViewRules(backlog, day, night)


def current_shift_end(now: datetime, rules: QueueViewRules = DEFAULT_QUEUE_VIEW_RULES) -> datetime:
    """When the shift running at ``now`` ends (aware UTC): the next shift change after
    ``now`` in Asia/Shanghai. At the very moment of a change the new shift is running."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(CENTER_TZ)
    candidates = [
        datetime.combine(local.date() + timedelta(days=day), start, tzinfo=CENTER_TZ)
        for day in (0, 1)
        for start in (rules.day_start, rules.night_start)
    ]
    return min(c for c in candidates if c > local).astimezone(UTC)


def backlog_before(now: datetime, rules: QueueViewRules = DEFAULT_QUEUE_VIEW_RULES) -> datetime:
    """Open cases due before this moment are the long-overdue backlog."""
    return now - rules.backlog_after
