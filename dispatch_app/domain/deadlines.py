"""Deadlines: response and resolution targets per kind and priority, and how urgent a case is.

Response is met when the unit acknowledges the case (签收); resolution when the case is
resolved (处置完毕). Both run from the case's creation. The targets come from
resources/rules/deadlines.toml; the due times are computed once, when the case is created or
its priority changes, so a later change of the rules file does not move the deadlines of
cases already promised.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from dispatch_app.domain.cases import CaseKind, Priority, Status

# Sort key for cases no deadline governs any more (resolved, closed, cancelled): after all
# open cases. A fixed, comparable aware datetime keeps the database column NOT NULL and
# indexable on both SQLite and PostgreSQL.
NO_DEADLINE = datetime(9999, 1, 1, tzinfo=UTC)

_RESPONSE_STATUSES = (Status.NEW, Status.TRIAGED, Status.DISPATCHED)
_RESOLUTION_STATUSES = (Status.ACKNOWLEDGED, Status.ON_SCENE)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)\s*$")


class DeadlineRulesError(ValueError):
    """The deadlines rules file is malformed; the message names the entry."""


class Urgency(StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"  # amber
    OVERDUE = "overdue"  # red
    NONE = "none"  # no deadline runs (resolved, closed, cancelled)


@dataclass(frozen=True)
class Target:
    response: timedelta
    resolution: timedelta


@dataclass(frozen=True)
class DeadlineRules:
    targets: dict[tuple[CaseKind, Priority], Target]
    at_risk_fraction: float

    def target(self, kind: CaseKind, priority: Priority) -> Target:
        return self.targets[(CaseKind(kind), Priority(priority))]


@dataclass(frozen=True)
class DeadlineState:
    response_due: datetime
    resolution_due: datetime
    active_due: datetime | None  # the deadline that governs the case now
    urgency: Urgency
    remaining: timedelta | None  # negative when overdue
    sort_key: datetime  # active_due, or NO_DEADLINE


def parse_duration(text: Any, where: str) -> timedelta:
    if not isinstance(text, str):
        raise DeadlineRulesError(f"{where}: duration must be a string like '30m', '4h', '15d'")
    m = _DURATION.match(text)
    if not m:
        raise DeadlineRulesError(f"{where}: {text!r} is not a duration like '30m', '4h', '15d'")
    value = float(m.group(1))
    unit = m.group(2)
    delta = {
        "m": timedelta(minutes=value),
        "min": timedelta(minutes=value),
        "h": timedelta(hours=value),
        "d": timedelta(days=value),
    }[unit]
    if delta <= timedelta(0):
        raise DeadlineRulesError(f"{where}: duration must be positive")
    return delta


def parse_deadline_rules(text: str) -> DeadlineRules:
    """Parse the TOML text of the deadlines file. Every kind and priority must be present."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeadlineRulesError(f"deadlines file is not valid TOML: {exc}") from None
    fraction = data.get("at_risk_fraction", 0.75)
    if not isinstance(fraction, int | float) or not 0 < fraction < 1:
        raise DeadlineRulesError("at_risk_fraction must be a number between 0 and 1")
    targets: dict[tuple[CaseKind, Priority], Target] = {}
    for kind in CaseKind:
        section = data.get(kind.value)
        if not isinstance(section, dict):
            raise DeadlineRulesError(f"missing section [{kind.value}]")
        for priority in Priority:
            entry = section.get(priority.value)
            where = f"[{kind.value}.{priority.value}]"
            if not isinstance(entry, dict):
                raise DeadlineRulesError(f"missing {where}")
            response = parse_duration(entry.get("response"), f"{where} response")
            resolution = parse_duration(entry.get("resolution"), f"{where} resolution")
            if resolution < response:
                raise DeadlineRulesError(f"{where}: resolution is shorter than response")
            targets[(kind, priority)] = Target(response, resolution)
    return DeadlineRules(targets, float(fraction))


def due_times(
    rules: DeadlineRules, kind: CaseKind, priority: Priority, created_at: datetime
) -> tuple[datetime, datetime]:
    """(response_due, resolution_due) of a case created at ``created_at``."""
    t = rules.target(kind, priority)
    return created_at + t.response, created_at + t.resolution


def active_due(status: Status, response_due: datetime, resolution_due: datetime) -> datetime | None:
    status = Status(status)
    if status in _RESPONSE_STATUSES:
        return response_due
    if status in _RESOLUTION_STATUSES:
        return resolution_due
    return None


def sort_key(status: Status, response_due: datetime, resolution_due: datetime) -> datetime:
    """The value the queue sorts by for 'most urgent first' (stored as ``due_at``)."""
    due = active_due(status, response_due, resolution_due)
    return NO_DEADLINE if due is None else due


def assess(
    rules: DeadlineRules,
    status: Status,
    created_at: datetime,
    response_due: datetime,
    resolution_due: datetime,
    now: datetime,
) -> DeadlineState:
    """How urgent a case is at ``now``: amber once ``at_risk_fraction`` of the window from
    creation to the governing deadline has elapsed, red once the deadline has passed."""
    due = active_due(status, response_due, resolution_due)
    if due is None:
        return DeadlineState(response_due, resolution_due, None, Urgency.NONE, None, NO_DEADLINE)
    remaining = due - now
    window = due - created_at
    if remaining < timedelta(0):
        urgency = Urgency.OVERDUE
    elif remaining <= window * (1 - rules.at_risk_fraction):
        urgency = Urgency.AT_RISK
    else:
        urgency = Urgency.OK
    return DeadlineState(response_due, resolution_due, due, urgency, remaining, due)
