"""The alarm desk's values: its constants, what it hands out, and the bookkeeping of one
write."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping

from dispatch_app.desk.events import Changed
from dispatch_app.domain.alarm_rules import (
    AlarmCondition,
    AlarmEngine,
    StationInfo,
)
from dispatch_app.domain.alarm_rules import Priority as AlarmPriority
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmChange,
    Announcement,
    alarm_from_dict,
)
from dispatch_app.domain.cases import (
    Priority,
)
from dispatch_app.store.errors import ConflictError

log = logging.getLogger(__name__)


#: Who the alarm system's own writes (raise, clear, automatic case) are attributed to.
SYSTEM_ACTOR = "alarm-system"
TOPIC = "alarm"
RULES_TOPIC = "alarm_rules"
#: The key of the alarm inside a case's ``details`` (the case side of the two-way link).
CASE_DETAILS_KEY = "alarm"
#: Priority of the case an alarm opens.
CASE_PRIORITY: Mapping[AlarmPriority, Priority] = {
    AlarmPriority.HIGH: Priority.P2,
    AlarmPriority.MEDIUM: Priority.P3,
    AlarmPriority.LOW: Priority.P4,
}


@dataclass(frozen=True)
class FeedWatch:
    """The live feed as the time-driven rules need to know it (see ``AlarmDesk.watch_feed``):
    ``caught_up`` the desk holds what the data service held a moment ago; ``listening_since``
    when the data service began receiving (None: unknown, assume always)."""

    caught_up: bool = True
    listening_since: datetime | None = None


@dataclass
class _Exercise:
    """A drill judged beside the real network: its own engine on the drill's stations, fed
    from the drill's data service and evaluated on the drill data's clock."""

    tag: str
    engine: AlarmEngine
    places: dict[str, StationPlace]
    pending: deque[tuple[Any, ...]] = field(default_factory=deque)
    latest: datetime | None = None


EXERCISE_PREFIX_ZH = "【演练】"
EXERCISE_PREFIX_EN = "[EXERCISE] "


@dataclass(frozen=True)
class StationPlace:
    """What an alarm and its case need to know of a station: name and where it is."""

    id: str
    name: str
    kind: str
    district: str | None
    lon: float | None = None
    lat: float | None = None
    name_en: str = ""
    river: str | None = None
    target_class: int | None = None
    waterbody: str | None = None
    interval_s: int = 60

    @classmethod
    def of(cls, entry: Any) -> StationPlace:
        """From a feed ``Station`` record or a registry entry (dict)."""
        get: Callable[[str], Any]
        if isinstance(entry, Mapping):
            get = entry.get
        else:

            def get(name: str) -> Any:
                return getattr(entry, name, None)

        sid, kind = get("id"), get("kind")
        if not isinstance(sid, str) or not sid or not isinstance(kind, str):
            raise ValueError(f"station entry without id or kind: {entry!r}")
        return cls(
            id=sid,
            name=str(get("name") or sid),
            kind=kind,
            district=get("district"),
            lon=get("lon"),
            lat=get("lat"),
            name_en=str(get("name_en") or ""),
            river=get("river"),
            target_class=get("target_class"),
            waterbody=get("waterbody"),
            interval_s=int(get("interval_s") or 60),
        )

    def info(self) -> StationInfo:
        return StationInfo(
            id=self.id,
            kind=self.kind,
            district=self.district,
            target_class=self.target_class,
            waterbody=self.waterbody,
            interval_s=self.interval_s,
            name=self.name,
        )


@dataclass(frozen=True)
class AlarmUpdate:
    """What changed, for the panel: the alarms as they are now, and what to announce."""

    alarms: tuple[Alarm, ...] = ()
    announcements: tuple[Announcement, ...] = ()
    rules_changed: bool = False
    local: bool = True
    removed: tuple[str, ...] = ()  # keys of alarms that no longer exist (a removed drill's)


@dataclass(frozen=True)
class RoundResult:
    """One ``evaluate`` or ``tick``: the changes this desk wrote, those another desk wrote
    first (refused here, the stored alarm reloaded), what to announce and the cases opened."""

    written: tuple[AlarmChange, ...] = ()
    refused: tuple[str, ...] = ()
    announcements: tuple[Announcement, ...] = ()
    opened_cases: tuple[int, ...] = ()
    rejected_observations: int = 0


@dataclass(frozen=True)
class AlarmHistoryEntry:
    at: datetime
    kind: str
    actor: str | None
    note: str
    state: str
    version: int
    value: Any
    origin: str


class RulesConflict(ConflictError):
    """The rules were saved by someone else since the administrator started editing: nothing
    was written; ``theirs`` holds their text, ``yours`` the administrator's."""

    def __init__(self, your_revision: int, their_revision: int, theirs: str, yours: str):
        super().__init__(
            "alarm_rules",
            0,
            your_revision,
            their_revision,
            {"text": theirs, "revision": their_revision},
            {"text": yours, "revision": your_revision},
        )


@dataclass
class _Write:
    """Bookkeeping of one persist transaction."""

    written: list[AlarmChange] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    events: list[Changed] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    # Change-feed rows, written in one batch at the end of the transaction.
    change_rows: list[dict[str, Any]] = field(default_factory=list)
    # The alarm system's own transitions of a round: one audit entry for all of them (an
    # operator's action gets its own entry at once: ``round_audit`` is None then).
    round_audit: list[dict[str, Any]] | None = None


def _clearing(alarm: Alarm, time: datetime) -> AlarmCondition:
    """A verdict that clears ``alarm`` (its rule went, or its drill ended): nothing will judge
    it again, so it is cleared like any other clearing, latched until acknowledged."""
    return AlarmCondition(
        rule_id=alarm.rule_id,
        station_id=alarm.station_id,
        active=False,
        priority=alarm.priority,
        open_case=alarm.open_case,
        value=alarm.value,
        threshold=alarm.threshold,
        time=time,
        evidence=alarm.evidence,
        message_zh=alarm.message_zh,
        message_en=alarm.message_en,
        exercise=alarm.exercise,
    )


def _as_item(obs: Any) -> tuple[Any, ...]:
    """An observation as the engine takes it: a feed ``Observation`` or a tuple in order."""
    if isinstance(obs, tuple):
        return obs
    return (obs.station, obs.parameter, obs.time, obs.value, obs.flag)


def _later(t: Any, latest: datetime | None) -> datetime | None:
    """The newer of an observation's time (when it is an aware datetime) and ``latest``."""
    if isinstance(t, datetime) and t.tzinfo is not None and (latest is None or t > latest):
        return t
    return latest


def _alarm_of(row: RowMapping) -> Alarm:
    """The domain record of a row. The indexed columns are written from the record, so the
    record is the truth; the version column is what versioned writes compare."""
    data = dict(row["record"])
    data["version"] = int(row["version"])
    data["case_id"] = None if row["case_id"] is None else str(row["case_id"])
    return alarm_from_dict(data)
