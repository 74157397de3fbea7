"""The alarm lifecycle as a pure state machine (ISA-18.2 / EEMUA 191, Phoebus practice).

States (``AlarmState``)::

    normal ──condition──▶ active_unacknowledged ──ack──▶ active_acknowledged
      ▲                        │ clears                       │ clears
      │                        ▼                              ▼
      └──────ack────── cleared_unacknowledged (latched)     normal

An alarm is latched: it returns to normal only when its condition has cleared *and* someone
acknowledged it, so an alarm that came and went while nobody looked is still on the panel.

There is one ``Alarm`` per (rule, station) (``key``): a new activation of the same pair
re-raises the same record, counting activations in ``count`` and the last time the condition
was seen in ``last_seen``. Every function returns an ``AlarmChange`` holding the record before
and after, with ``after.version == before.version + 1``: a store persists ``after`` only where
the stored version is still ``before.version`` (optimistic concurrency between workstations)
and can replay the changes as the alarm's history. Illegal actions raise ``AlarmActionRefused``.

Flags: ``chattering`` (the condition toggled 3 or more times within a minute), ``stale``
(active more than 24 h). Shelving (1 h, 6 h, 12 h, 1 d, with a reason) suppresses
announcement, never the state; ``tick`` unshelves on expiry. Flood handling is the
``Annunciator``: beyond 10 new alarms in 10 minutes, new ones are announced as one summary
("N more alarms").

Usage by the desk (another engineer's code)::

    conditions = engine.evaluate(now)                 # dispatch_app.domain.alarm_rules
    changes = apply_evaluation(alarms_by_key, conditions, now)
    changes += tick(alarms_by_key.values(), now)      # expiry of shelving, stale flags
    store.persist(changes)                            # version-checked
    announcements = annunciator.announce(changes, now)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from dispatch_app.domain.alarm_rules import (
    AlarmCondition,
    AlarmEngine,
    AlarmRule,
    Evidence,
    Observation,
    Priority,
    RuleSet,
    StationInfo,
    alarm_key,
)
from dispatch_app.domain.errors import DomainError

__all__ = [
    "CHATTER_TOGGLES",
    "CHATTER_WINDOW",
    "FLOOD_LIMIT",
    "FLOOD_WINDOW",
    "NAG_EVERY",
    "REFRESH_EVERY",
    "SHELVE_DURATIONS",
    "STALE_AFTER",
    "Alarm",
    "AlarmActionRefused",
    "AlarmChange",
    "AlarmCondition",
    "AlarmCounts",
    "AlarmEngine",
    "AlarmRule",
    "AlarmState",
    "Announcement",
    "Annunciator",
    "ChangeKind",
    "Evidence",
    "Observation",
    "Priority",
    "RuleSet",
    "StationInfo",
    "acknowledge",
    "alarm_counts",
    "alarm_from_dict",
    "alarm_key",
    "alarm_to_dict",
    "apply_condition",
    "apply_evaluation",
    "link_case",
    "panel_order",
    "reminders_due",
    "shelve",
    "tick",
    "unshelve",
]

SHELVE_DURATIONS: Final[dict[str, timedelta]] = {
    "1h": timedelta(hours=1),
    "6h": timedelta(hours=6),
    "12h": timedelta(hours=12),
    "1d": timedelta(days=1),
}
STALE_AFTER: Final = timedelta(hours=24)
CHATTER_WINDOW: Final = timedelta(minutes=1)
CHATTER_TOGGLES: Final = 3
FLOOD_WINDOW: Final = timedelta(minutes=10)
FLOOD_LIMIT: Final = 10
#: An active alarm whose condition repeats unchanged gets its ``last_seen`` refreshed at most
#: this often (an UPDATED change); a changed value or evidence is an UPDATED change at once.
REFRESH_EVERY: Final = timedelta(minutes=1)
#: Unacknowledged alarms are announced again this often (a configurable default).
NAG_EVERY: Final = timedelta(minutes=15)


class AlarmState(StrEnum):
    NORMAL = "normal"
    ACTIVE_UNACKNOWLEDGED = "active_unacknowledged"
    ACTIVE_ACKNOWLEDGED = "active_acknowledged"
    CLEARED_UNACKNOWLEDGED = "cleared_unacknowledged"

    @property
    def active(self) -> bool:
        return self in (AlarmState.ACTIVE_UNACKNOWLEDGED, AlarmState.ACTIVE_ACKNOWLEDGED)

    @property
    def unacknowledged(self) -> bool:
        return self in (AlarmState.ACTIVE_UNACKNOWLEDGED, AlarmState.CLEARED_UNACKNOWLEDGED)


class ChangeKind(StrEnum):
    RAISED = "raised"  # a new activation (first ever, or again after clearing)
    UPDATED = "updated"  # still active: value, evidence, last_seen refreshed
    CLEARED = "cleared"  # the condition went away (latched or back to normal)
    ACKNOWLEDGED = "acknowledged"
    SHELVED = "shelved"
    UNSHELVED = "unshelved"  # by hand or on expiry (``user`` None)
    FLAGGED = "flagged"  # chattering or stale set or reset
    LINKED = "linked"  # a case was opened for it


class AlarmActionRefused(DomainError):
    """An operator action the alarm's state does not allow (or a missing reason, user …)."""


@dataclass(frozen=True)
class Alarm:
    """The persisted record of one (rule, station) alarm. Plain data; change it only through
    the functions of this module so versions and history stay right."""

    key: str
    rule_id: str
    station_id: str
    priority: Priority
    state: AlarmState
    value: float | None
    threshold: float
    message_zh: str
    message_en: str
    evidence: tuple[Evidence, ...]
    first_raised: datetime
    raised_at: datetime
    last_seen: datetime
    cleared_at: datetime | None = None
    count: int = 1
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    ack_note: str = ""
    shelved_until: datetime | None = None
    shelved_by: str | None = None
    shelve_reason: str = ""
    toggles: tuple[datetime, ...] = ()
    chattering: bool = False
    stale: bool = False
    open_case: bool = False
    case_id: str | None = None
    version: int = 1
    exercise: str = ""  # the drill's tag: an exercise alarm, kept apart from real ones

    def shelved(self, now: datetime) -> bool:
        return self.shelved_until is not None and now < self.shelved_until


@dataclass(frozen=True)
class AlarmChange:
    """One transition. ``before`` is None when the alarm is created."""

    kind: ChangeKind
    before: Alarm | None
    after: Alarm
    at: datetime
    user: str | None = None
    note: str = ""

    @property
    def announce(self) -> bool:
        """Whether to announce it (sound, flash): a new activation that is not shelved."""
        return self.kind is ChangeKind.RAISED and not self.after.shelved(self.at)

    @property
    def open_case(self) -> bool:
        """Whether the desk should open a quality case now: the rule asks for it on
        activation and no case is linked yet (a closed case's re-raise is the desk's call)."""
        return (
            self.kind is ChangeKind.RAISED and self.after.open_case and self.after.case_id is None
        )


def _aware(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"time must be an aware datetime, got {now!r}")
    return now


def _refuse(key: str, en: str, zh: str, alarm: Alarm) -> AlarmActionRefused:
    return AlarmActionRefused(
        key,
        f"alarm {alarm.key}: {en}",
        f"报警 {alarm.key}：{zh}",
        alarm=alarm.key,
        state=alarm.state.value,
    )


def _toggled(alarm: Alarm, now: datetime) -> tuple[tuple[datetime, ...], bool]:
    """Recent toggles with this one, and whether that makes the alarm chatter."""
    recent = (*(t for t in alarm.toggles if now - t < CHATTER_WINDOW), now)
    return recent, alarm.chattering or len(recent) >= CHATTER_TOGGLES


def _bump(alarm: Alarm, **fields: object) -> Alarm:
    return replace(alarm, version=alarm.version + 1, **fields)  # type: ignore[arg-type]


def apply_condition(
    alarm: Alarm | None, condition: AlarmCondition, now: datetime
) -> AlarmChange | None:
    """Apply the engine's verdict on one (rule, station) to its alarm (None: none yet).

    Returns None when nothing changes: an inactive verdict on an alarm that is not active, or
    an unchanged active verdict within ``REFRESH_EVERY`` of the last one.
    """
    _aware(now)
    if alarm is not None and alarm.key != condition.key:
        raise ValueError(f"condition {condition.key} does not belong to alarm {alarm.key}")
    if alarm is None:
        if not condition.active:
            return None
        created = Alarm(
            key=condition.key,
            rule_id=condition.rule_id,
            station_id=condition.station_id,
            priority=condition.priority,
            state=AlarmState.ACTIVE_UNACKNOWLEDGED,
            value=condition.value,
            threshold=condition.threshold,
            message_zh=condition.message_zh,
            message_en=condition.message_en,
            evidence=condition.evidence,
            first_raised=now,
            raised_at=now,
            last_seen=now,
            toggles=(now,),
            open_case=condition.open_case,
            exercise=condition.exercise,
        )
        return AlarmChange(ChangeKind.RAISED, None, created, now)
    data = {
        "value": condition.value if condition.value is not None else alarm.value,
        "threshold": condition.threshold,
        "priority": condition.priority,
        "open_case": condition.open_case,
        "message_zh": condition.message_zh,
        "message_en": condition.message_en,
        "evidence": condition.evidence or alarm.evidence,
    }
    if condition.active:
        if alarm.state.active:
            unchanged = all(getattr(alarm, k) == v for k, v in data.items())
            if unchanged and now - alarm.last_seen < REFRESH_EVERY:
                return None  # nothing new but the time: spare the store a write
            after = _bump(alarm, last_seen=now, **data)
            return AlarmChange(ChangeKind.UPDATED, alarm, after, now)
        toggles, chattering = _toggled(alarm, now)
        after = _bump(
            alarm,
            state=AlarmState.ACTIVE_UNACKNOWLEDGED,
            raised_at=now,
            last_seen=now,
            cleared_at=None,
            count=alarm.count + 1,
            acknowledged_by=None,
            acknowledged_at=None,
            ack_note="",
            toggles=toggles,
            chattering=chattering,
            stale=False,
            **data,
        )
        return AlarmChange(ChangeKind.RAISED, alarm, after, now)
    if not alarm.state.active:
        return None
    toggles, chattering = _toggled(alarm, now)
    state = (
        AlarmState.CLEARED_UNACKNOWLEDGED
        if alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED
        else AlarmState.NORMAL
    )
    data["evidence"] = alarm.evidence  # keep what triggered it; the clearing data is in value
    after = _bump(
        alarm,
        state=state,
        cleared_at=now,
        toggles=toggles,
        chattering=chattering,
        stale=False,
        **data,
    )
    return AlarmChange(ChangeKind.CLEARED, alarm, after, now)


def apply_evaluation(
    alarms: Mapping[str, Alarm], conditions: Iterable[AlarmCondition], now: datetime
) -> list[AlarmChange]:
    """``apply_condition`` for every condition of one ``AlarmEngine.evaluate``; ``alarms`` maps
    ``Alarm.key`` to the current records (the result's ``after`` values replace them)."""
    changes = []
    for condition in conditions:
        change = apply_condition(alarms.get(condition.key), condition, now)
        if change is not None:
            changes.append(change)
    return changes


def acknowledge(alarm: Alarm, user: str, note: str, now: datetime) -> AlarmChange:
    """Acknowledge an unacknowledged alarm, with an optional note; a latched (cleared) one
    returns to normal."""
    _aware(now)
    user = _user(user, alarm)
    if not alarm.state.unacknowledged:
        raise _refuse(
            "alarm.ack.not_pending",
            f"nothing to acknowledge (state {alarm.state.value})",
            f"无需确认（当前状态 {alarm.state.value}）",
            alarm,
        )
    state = (
        AlarmState.ACTIVE_ACKNOWLEDGED
        if alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED
        else AlarmState.NORMAL
    )
    after = _bump(
        alarm, state=state, acknowledged_by=user, acknowledged_at=now, ack_note=(note or "").strip()
    )
    return AlarmChange(ChangeKind.ACKNOWLEDGED, alarm, after, now, user, after.ack_note)


def shelve(alarm: Alarm, user: str, duration: str, reason: str, now: datetime) -> AlarmChange:
    """Shelve for "1h", "6h", "12h" or "1d" with a reason. A shelved alarm keeps following its
    condition but is not announced; shelving again replaces the expiry."""
    _aware(now)
    user = _user(user, alarm)
    if duration not in SHELVE_DURATIONS:
        raise _refuse(
            "alarm.shelve.duration",
            f"shelve for one of {list(SHELVE_DURATIONS)}, not {duration!r}",
            f"搁置时长须为 {list(SHELVE_DURATIONS)} 之一",
            alarm,
        )
    if not isinstance(reason, str) or not reason.strip():
        raise _refuse(
            "alarm.shelve.reason", "a reason is required to shelve", "搁置须填写原因", alarm
        )
    after = _bump(
        alarm,
        shelved_until=now + SHELVE_DURATIONS[duration],
        shelved_by=user,
        shelve_reason=reason.strip(),
    )
    return AlarmChange(ChangeKind.SHELVED, alarm, after, now, user, reason.strip())


def unshelve(alarm: Alarm, user: str, now: datetime) -> AlarmChange:
    """Take an alarm off the shelf before its expiry."""
    _aware(now)
    user = _user(user, alarm)
    if not alarm.shelved(now):
        raise _refuse(
            "alarm.unshelve.not_shelved", "the alarm is not shelved", "该报警未被搁置", alarm
        )
    after = _bump(alarm, shelved_until=None, shelved_by=None, shelve_reason="")
    return AlarmChange(ChangeKind.UNSHELVED, alarm, after, now, user)


def link_case(alarm: Alarm, case_id: str, now: datetime) -> AlarmChange:
    """Record the case opened for this alarm (the alarm side of the two-way link)."""
    _aware(now)
    if not isinstance(case_id, str) or not case_id.strip():
        raise _refuse("alarm.link.case_id", "a case id is required", "须提供事项编号", alarm)
    after = _bump(alarm, case_id=case_id.strip())
    return AlarmChange(ChangeKind.LINKED, alarm, after, now)


def tick(alarms: Iterable[Alarm], now: datetime) -> list[AlarmChange]:
    """Time-driven changes: shelving expired (UNSHELVED, ``user`` None), stale set (active
    more than 24 h), chattering reset (fewer than 3 toggles in the last minute)."""
    _aware(now)
    changes: list[AlarmChange] = []
    for alarm in alarms:
        current = alarm
        if current.shelved_until is not None and now >= current.shelved_until:
            after = _bump(current, shelved_until=None, shelved_by=None, shelve_reason="")
            changes.append(AlarmChange(ChangeKind.UNSHELVED, current, after, now))
            current = after
        stale = current.state.active and now - current.raised_at > STALE_AFTER
        recent = tuple(t for t in current.toggles if now - t < CHATTER_WINDOW)
        chattering = current.chattering and len(recent) >= CHATTER_TOGGLES
        if stale != current.stale or chattering != current.chattering:
            after = _bump(current, stale=stale, chattering=chattering, toggles=recent)
            changes.append(AlarmChange(ChangeKind.FLAGGED, current, after, now))
    return changes


def _user(user: str, alarm: Alarm) -> str:
    if not isinstance(user, str) or not user.strip():
        raise _refuse("alarm.user", "the acting user is required", "须注明操作人", alarm)
    return user.strip()


def panel_order(alarms: Iterable[Alarm]) -> list[Alarm]:
    """The alarm panel's order: unacknowledged first, then by priority, newest first."""
    return sorted(
        alarms,
        key=lambda a: (
            not a.state.unacknowledged,
            a.priority.rank,
            -a.raised_at.timestamp(),
            a.key,
        ),
    )


@dataclass(frozen=True)
class AlarmCounts:
    """What the status bar shows."""

    unacknowledged: int
    active: int
    shelved: int
    by_priority: Mapping[Priority, int]  # unacknowledged or active, not shelved


def alarm_counts(alarms: Iterable[Alarm], now: datetime) -> AlarmCounts:
    """Counts for the status bar; shelved alarms are counted apart, never as pending."""
    _aware(now)
    unacknowledged = active = shelved = 0
    by_priority = dict.fromkeys(Priority, 0)
    for alarm in alarms:
        if alarm.shelved(now):
            shelved += 1
            continue
        if alarm.state.unacknowledged:
            unacknowledged += 1
        if alarm.state.active:
            active += 1
        if alarm.state is not AlarmState.NORMAL:
            by_priority[alarm.priority] += 1
    return AlarmCounts(unacknowledged, active, shelved, by_priority)


def reminders_due(
    alarms: Iterable[Alarm], since: datetime, now: datetime, every: timedelta = NAG_EVERY
) -> list[Alarm]:
    """Unacknowledged, unshelved alarms whose reminder fell in (since, now]: reminders come
    every ``every`` after ``raised_at`` (Phoebus's nag). Stateless: the caller remembers only
    when it last asked."""
    _aware(now)
    _aware(since)
    if every <= timedelta(0):
        raise ValueError("the reminder interval must be positive")
    due = []
    for alarm in alarms:
        if not alarm.state.unacknowledged or alarm.shelved(now):
            continue
        # Reminders at raised_at + k·every, k ≥ 1; is one of them in (since, now]?
        last = (now - alarm.raised_at) // every
        if last >= 1 and alarm.raised_at + last * every > since:
            due.append(alarm)
    return panel_order(due)


@dataclass(frozen=True)
class Announcement:
    """What to announce: one alarm, or a summary of ``count`` alarms during a flood."""

    at: datetime
    alarm: Alarm | None
    count: int
    keys: tuple[str, ...]

    @property
    def summary(self) -> bool:
        return self.alarm is None

    @property
    def text_en(self) -> str:
        if self.alarm is not None:
            return self.alarm.message_en
        return f"{self.count} more alarms"

    @property
    def text_zh(self) -> str:
        if self.alarm is not None:
            return self.alarm.message_zh
        return f"另有 {self.count} 条报警"


class Annunciator:
    """Flood handling: more than ``limit`` new alarms within ``window`` are grouped.

    The first ``limit`` activations of a window are announced one by one; beyond that each
    ``announce`` call yields one summary of what it grouped. Shelved alarms are never announced.
    State is only the recent activation times; ``from_alarms`` rebuilds it after a restart.
    """

    def __init__(self, window: timedelta = FLOOD_WINDOW, limit: int = FLOOD_LIMIT) -> None:
        if limit < 1 or window <= timedelta(0):
            raise ValueError("flood limit and window must be positive")
        self.window = window
        self.limit = limit
        self._recent: deque[datetime] = deque()

    @classmethod
    def from_alarms(
        cls,
        alarms: Iterable[Alarm],
        now: datetime,
        window: timedelta = FLOOD_WINDOW,
        limit: int = FLOOD_LIMIT,
    ) -> Annunciator:
        annunciator = cls(window, limit)
        for t in sorted(a.raised_at for a in alarms if now - a.raised_at < window):
            annunciator._recent.append(t)
        return annunciator

    def _trim(self, now: datetime) -> None:
        while self._recent and now - self._recent[0] >= self.window:
            self._recent.popleft()

    def in_flood(self, now: datetime) -> bool:
        """More than ``limit`` activations within the window ending now."""
        self._trim(_aware(now))
        return len(self._recent) > self.limit

    def announce(self, changes: Iterable[AlarmChange], now: datetime) -> list[Announcement]:
        self._trim(_aware(now))
        single: list[Announcement] = []
        grouped: list[str] = []
        for change in changes:
            if change.kind is not ChangeKind.RAISED:
                continue
            if not change.announce:
                continue  # shelved: neither announced nor counted towards a flood
            self._recent.append(change.at)
            if len(self._recent) <= self.limit:
                single.append(Announcement(now, change.after, 1, (change.after.key,)))
            else:
                grouped.append(change.after.key)
        if grouped:
            single.append(Announcement(now, None, len(grouped), tuple(grouped)))
        return single


# --- persistence helpers ------------------------------------------------------------------
#
# A store keeps an alarm as a row (or JSON) and its changes as history. These two functions
# give the JSON-ready form (ISO 8601 times with offset, enum values, evidence as objects) and
# read it back, refusing a malformed record instead of guessing.

_TIME_FIELDS = frozenset(
    {"first_raised", "raised_at", "last_seen", "cleared_at", "acknowledged_at", "shelved_until"}
)


def alarm_to_dict(alarm: Alarm) -> dict[str, Any]:
    """A JSON-ready dict of every field of ``alarm``."""
    out: dict[str, Any] = {}
    for f in fields(Alarm):
        value = getattr(alarm, f.name)
        if f.name in _TIME_FIELDS:
            value = value.isoformat() if value is not None else None
        elif f.name == "toggles":
            value = [t.isoformat() for t in value]
        elif f.name == "evidence":
            value = [
                {
                    "parameter": e.parameter,
                    "time": e.time.isoformat(),
                    "value": e.value,
                    "flag": e.flag,
                    "basis": e.basis,
                }
                for e in value
            ]
        elif isinstance(value, StrEnum):
            value = value.value
        out[f.name] = value
    return out


def alarm_from_dict(data: Mapping[str, Any]) -> Alarm:
    """The ``Alarm`` of ``alarm_to_dict``; ValueError naming the field when malformed."""
    names = {f.name for f in fields(Alarm)}
    missing = sorted(n for n in names if n not in data and n in _REQUIRED_FIELDS)
    if missing:
        raise ValueError(f"alarm record lacks {missing}")
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"alarm record has unknown fields {unknown}")

    def when(name: str, text: Any) -> datetime:
        try:
            return _aware(datetime.fromisoformat(text))
        except (TypeError, ValueError):
            raise ValueError(
                f"alarm record field {name!r}: not an ISO time with offset: {text!r}"
            ) from None

    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name in _TIME_FIELDS:
            kwargs[name] = None if value is None else when(name, value)
        elif name == "toggles":
            kwargs[name] = tuple(when(name, t) for t in value)
        elif name == "evidence":
            try:
                kwargs[name] = tuple(
                    Evidence(
                        e["parameter"], when(name, e["time"]), e["value"], e["flag"], e["basis"]
                    )
                    for e in value
                )
            except (KeyError, TypeError):
                raise ValueError(f"alarm record field 'evidence' is malformed: {value!r}") from None
        elif name == "priority":
            try:
                kwargs[name] = Priority(value)
            except ValueError:
                raise ValueError(f"alarm record field 'priority': unknown {value!r}") from None
        elif name == "state":
            try:
                kwargs[name] = AlarmState(value)
            except ValueError:
                raise ValueError(f"alarm record field 'state': unknown {value!r}") from None
        else:
            kwargs[name] = value
    if not isinstance(kwargs.get("version"), int) or kwargs["version"] < 1:
        raise ValueError(
            f"alarm record field 'version' must be a positive integer, got {kwargs.get('version')!r}"
        )
    return Alarm(**kwargs)


_REQUIRED_FIELDS = frozenset(
    {
        "key",
        "rule_id",
        "station_id",
        "priority",
        "state",
        "value",
        "threshold",
        "message_zh",
        "message_en",
        "evidence",
        "first_raised",
        "raised_at",
        "last_seen",
        "version",
    }
)
