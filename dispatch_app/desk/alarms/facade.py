"""Alarm use cases: evaluating the live feed, persisting alarms, operator actions, alarm → case,
and the administrator's rule edits. Qt-free; built beside the foundation `Desk` on its store.

How one workstation runs it (ui/alarm_integration.py does exactly this):

* the feed poller hands every page of observations to ``feed()`` (cheap, any thread: it only
  queues them);
* a timer calls ``evaluate()`` every few seconds in an executor: the queued observations go into
  the pure ``AlarmEngine``, its verdicts through the lifecycle (dispatch_app.domain.alarms), and
  the resulting changes into the database in one transaction, with history, audit and
  change-feed rows; a rule with ``open_case`` opens a quality case in that same transaction;
* ``tick()`` (also timed) expires shelving and sets the stale and chattering flags;
* the operator acknowledges, shelves, unshelves and opens cases through the methods below.

Several workstations on one database: every alarm write is version-checked (``insert`` refuses a
key that exists, ``update`` a row that moved on). Two desks evaluating the same feed compute the
same change; the first write wins and the second desk, refused, reloads the stored alarm — so an
alarm exists once, its case is opened once, and an acknowledgement made anywhere is what every
desk holds next (also pushed at once through the change feed, topic ``alarm``).

Times: evaluation runs on ``clock`` (by default the desk's clock). A drill played at speed has its
own clock; pass ``clock=alarm_desk.data_clock`` to follow the data's time instead.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.events import Changed
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.desk.views import CaseView, UserView
from dispatch_app.domain import alarms as lifecycle
from dispatch_app.domain.alarm_rules import (
    AlarmCondition,
    AlarmEngine,
    AlarmRule,
    AlarmRuleError,
    RuleSet,
    StationInfo,
    parse_rules,
)
from dispatch_app.domain.alarm_rules import Priority as AlarmPriority
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmChange,
    AlarmCounts,
    AlarmState,
    Announcement,
    Annunciator,
    ChangeKind,
    alarm_counts,
    alarm_from_dict,
    panel_order,
)
from dispatch_app.domain.cases import (
    CaseDraft,
    CaseKind,
    CaseSource,
    Priority,
    validate_draft,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Permission
from dispatch_app.store import alarm_records, case_records
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import record_change
from dispatch_app.store.errors import ConflictError, NotFound, StoreError
from dispatch_app.store.queue import OPEN_STATUSES

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
_REVISION_LINE = re.compile(r"^[ \t]*revision[ \t]*=.*$", re.MULTILINE)


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


def load_rules_file(path: Path) -> RuleSet:
    """Read and validate a rules file; AlarmRuleError names the rule and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AlarmRuleError(
            None, None, f"cannot read {path}: {exc}", f"无法读取 {path}：{exc}"
        ) from None
    return parse_rules(text, path.name)


def with_revision(text: str, revision: int) -> str:
    """``text`` with its ``revision = N`` line set to ``revision`` (added when missing); the
    administrator's comments and layout are kept as written."""
    line = f"revision = {revision}"
    if _REVISION_LINE.search(text):
        return _REVISION_LINE.sub(line, text, count=1)
    return f"{line}\n{text}" if not text.startswith("\n") else f"{line}{text}"


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step (temporary file, fsync, rename): a crash leaves the old or
    the new rules, never half of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class AlarmDesk:
    """Alarms on one workstation's `Desk`. Thread-safe: the feed may call ``feed`` on the UI
    thread while ``evaluate``/``tick`` and operator actions run in executor threads."""

    def __init__(
        self,
        desk: Desk,
        rules: RuleSet,
        rules_text: str,
        *,
        rules_path: Path | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.desk = desk
        self.rules_path = rules_path
        self._rules = rules
        self._rules_text = rules_text
        self.clock: Callable[[], datetime] = clock or desk.clock
        # Two locks: ``_lock`` serialises rounds, operator actions and the engine (held across
        # database writes); ``_cache`` guards only the in-memory alarms and annunciator and is
        # held for microseconds, so the UI thread reading the panel or the counts never waits
        # behind a write (which may wait seconds on a locked database).
        self._lock = threading.RLock()
        self._cache = threading.Lock()
        self._pending: deque[tuple[Any, ...]] = deque()
        self._remote: deque[RowMapping] = deque()  # other desks' rows waiting for the lock
        self._alarms: dict[str, Alarm] = {}
        self._ids: dict[str, int] = {}
        self._stations: dict[str, StationPlace] = {}
        self._engine: AlarmEngine | None = None
        self._retry: dict[str, AlarmCondition] = {}
        self._annunciator = Annunciator()
        self._listeners: list[Callable[[AlarmUpdate], None]] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._latest_data: datetime | None = None
        self._feed_watch: Callable[[], FeedWatch] | None = None
        self._exercise: _Exercise | None = None
        self.rejected_observations = 0
        self.rejected_stations: tuple[str, ...] = ()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        desk: Desk,
        resources_dir: Path | None = None,
        *,
        rules_path: Path | None = None,
        stations: Iterable[Any] = (),
        clock: Callable[[], datetime] | None = None,
    ) -> AlarmDesk:
        """Alarms on ``desk``: rules from ``rules_path`` (default resources/rules/alarms.toml)
        or the newer revision saved in the database by an administrator; the stored alarms
        loaded; the engine built for ``stations`` (feed ``Station`` records or registry
        entries; ``set_stations`` may give them later, from the feed's /stations)."""
        path = rules_path or (resources_dir or default_resources_dir()) / "rules" / "alarms.toml"
        text = path.read_text(encoding="utf-8") if path.exists() else "revision = 1\n"
        rules = parse_rules(text, path.name)
        with desk.store.read() as conn:
            saved = alarm_records.latest_rule_revision(conn)
        if saved is not None and int(saved["revision"]) >= rules.revision:
            text = str(saved["text"])
            rules = parse_rules(text, f"revision {saved['revision']}")
        alarm_desk = cls(desk, rules, text, rules_path=path, clock=clock)
        alarm_desk.reload()
        entries = list(stations)
        if entries:
            alarm_desk.set_stations(entries)
        return alarm_desk

    def start(self) -> None:
        """Follow other workstations' alarm and rule changes (through ``desk.events``; start
        the desk's change feed too)."""
        if self._unsubscribe is None:
            self._unsubscribe = self.desk.events.subscribe(self._on_desk_event)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def reload(self) -> None:
        """Read every stored alarm (start-up, or after the database came back)."""
        with self.desk.store.read() as conn:
            rows = alarm_records.all_alarms(conn)
        loaded = [(_alarm_of(row), int(row["id"])) for row in rows]
        now = self.clock()
        with self._lock, self._cache:
            self._alarms = {alarm.key: alarm for alarm, _ in loaded}
            self._ids = {alarm.key: alarm_id for alarm, alarm_id in loaded}
            self._annunciator = Annunciator.from_alarms(self._alarms.values(), now)

    def _remember(self, row: RowMapping) -> Alarm:
        alarm = _alarm_of(row)
        with self._cache:
            self._alarms[alarm.key] = alarm
            self._ids[alarm.key] = int(row["id"])
        return alarm

    # ------------------------------------------------------------------ stations and feed

    def set_stations(self, entries: Iterable[Any]) -> None:
        """The station registry (from the feed's /stations). Builds the engine, or gives a
        changed registry to the one running (unchanged stations keep their data); pairs in
        alarm stay in alarm so their clearing is still seen."""
        places: dict[str, StationPlace] = {}
        refused: list[str] = []
        for entry in entries:
            try:
                place = StationPlace.of(entry)
                place.info().checked()
            except (ValueError, TypeError) as exc:
                # One broken registry entry must not silence the alarms of every station.
                refused.append(str(exc))
                continue
            if place.id in places:
                refused.append(f"station {place.id!r} is listed twice")
                continue
            places[place.id] = place
        self.rejected_stations = tuple(refused)
        if refused:
            log.warning("alarm engine skips %d registry entries: %s", len(refused), refused[0])
        with self._lock:
            if self._engine is not None and places == self._stations:
                return
            self._stations = places
            active = [
                (a.rule_id, a.station_id)
                for a in self._alarms.values()
                if a.state.active and a.station_id in places and not a.exercise
            ]
            rule_ids = {r.id for r in self._rules.rules}
            infos = [p.info() for p in places.values()]
            restored = [pair for pair in active if pair[0] in rule_ids]
            if self._engine is not None:
                # A refreshed registry: unchanged stations keep what was heard from them
                # (a rebuilt engine would have forgotten that they are fresh).
                self._engine.set_stations(infos, active=restored, now=self.clock())
                return
            self._engine = AlarmEngine(self._rules, infos, active=restored, started=self.clock())

    @property
    def stations(self) -> Mapping[str, StationPlace]:
        return dict(self._stations)

    def station(self, station_id: str) -> StationPlace | None:
        place = self._stations.get(station_id)
        if place is None and self._exercise is not None:
            place = self._exercise.places.get(station_id)
        return place

    def feed(self, observations: Iterable[Any]) -> None:
        """Queue observations for the next evaluation: feed ``Observation`` records
        (``station``, ``parameter``, ``time``, ``value``, ``flag``) or tuples in that order.
        Cheap and safe on any thread; the engine only sees them inside ``evaluate``."""
        for obs in observations:
            self._pending.append(_as_item(obs))

    def watch_feed(self, watch: Callable[[], FeedWatch] | None) -> None:
        """How the feed stands, asked at the start of every round (any thread; cheap). The
        silent and fault rules compare the data with the clock, so they wait while the feed is
        not caught up with the data service, and a station is not called silent for longer
        than the service has been listening (``AlarmEngine.evaluate``). Without a watch (a
        drill feeding the desk directly) every round judges them."""
        self._feed_watch = watch

    @property
    def latest_data_time(self) -> datetime | None:
        """The newest observation time seen (the data's clock)."""
        return self._latest_data

    def data_clock(self) -> datetime:
        """A clock on the data's time, for drills played at speed (falls back to the desk
        clock before any data arrived)."""
        return self._latest_data or self.desk.clock()

    def absorb(self) -> int:
        """Take the queued observations into the engine now, without evaluating (the
        integration may call it between rounds to spread the work); returns how many the
        engine refused."""
        with self._lock:
            return self._drain()

    def _drain(self) -> int:
        """Queued observations into the engine (under the lock); returns how many were bad."""
        if self._engine is None:
            return 0
        batch = []
        while self._pending:
            batch.append(self._pending.popleft())
        if not batch:
            return 0
        for item in batch:
            self._latest_data = _later(item[2], self._latest_data)
        rejected = self._engine.observe_many(batch)
        if rejected:
            self.rejected_observations += len(rejected)
            log.warning(
                "alarm engine refused %d observation(s), first: %s",
                len(rejected),
                rejected[0][1],
            )
        return len(rejected)

    # ------------------------------------------------------------------ reads

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

    # ------------------------------------------------------------------ events

    def subscribe(self, fn: Callable[[AlarmUpdate], None]) -> Callable[[], None]:
        """``fn(AlarmUpdate)`` after each write, ours or another workstation's; it runs on the
        writing thread (an executor or the change feed's): a Qt receiver must hop threads."""
        self._listeners.append(fn)

        def unsubscribe() -> None:
            if fn in self._listeners:
                self._listeners.remove(fn)

        return unsubscribe

    def _notify(self, update: AlarmUpdate) -> None:
        for fn in list(self._listeners):
            try:
                fn(update)
            except Exception:  # one broken listener must not hide alarms from the others
                log.exception("alarm listener failed")

    def _on_desk_event(self, event: Changed) -> None:
        if event.local:
            return
        try:
            if event.topic == TOPIC:
                with self.desk.store.read() as conn:
                    row = alarm_records.alarm_row_by_id(conn, event.entity_id)
                if row is None:
                    if event.action == "delete":  # a removed drill's alarm
                        self._forget_id(event.entity_id)
                    return
                self._remote.append(row)
                # The change feed's thread also carries case events to the UI: never wait
                # behind a round here. A busy round takes the row when it finishes.
                if self._lock.acquire(blocking=False):
                    try:
                        self._take_remote()
                    finally:
                        self._lock.release()
            elif event.topic == RULES_TOPIC:
                self._reload_rules_from_store()
        except StoreError as exc:
            log.warning("could not follow a remote alarm change: %s", exc)

    def _forget_id(self, alarm_id: int) -> None:
        with self._cache:
            keys = [k for k, i in self._ids.items() if i == alarm_id]
            for key in keys:
                self._alarms.pop(key, None)
                del self._ids[key]
        if keys:
            self._notify(AlarmUpdate(local=False, removed=tuple(keys)))

    def _take_remote(self) -> None:
        """Other workstations' alarm rows into the cache (under ``_lock``), newer versions
        only, and one update to the listeners."""
        taken: dict[str, Alarm] = {}
        while self._remote:
            row = self._remote.popleft()
            with self._cache:
                current = self._alarms.get(str(row["key"]))
            if current is not None and current.version >= int(row["version"]):
                continue  # we hold this version or a newer one already
            alarm = self._remember(row)
            taken[alarm.key] = alarm
        if taken:
            self._notify(AlarmUpdate(alarms=tuple(taken.values()), local=False))

    def _reload_rules_from_store(self) -> None:
        with self.desk.store.read() as conn:
            saved = alarm_records.latest_rule_revision(conn)
        if saved is None or int(saved["revision"]) <= self._rules.revision:
            return
        text = str(saved["text"])
        rules = parse_rules(text, f"revision {saved['revision']}")
        with self._lock:
            self._apply_rules(rules, text)
        self._notify(AlarmUpdate(rules_changed=True, local=False))

    def _apply_rules(self, rules: RuleSet, text: str) -> None:
        """Put a new rule set in force. Alarms of a rule that was removed or disabled would
        otherwise stay active for ever (nothing evaluates them any more): they are cleared at
        the next round, latched like any other clearing, so nobody misses that they went."""
        kept = {r.id for r in rules.rules if r.enabled}
        for alarm in self._alarms.values():
            if alarm.state.active and alarm.rule_id not in kept and not alarm.exercise:
                self._retry[alarm.key] = _clearing(alarm, alarm.last_seen)
        self._rules = rules
        self._rules_text = text
        if self._engine is not None:
            self._engine.set_rules(rules)
        if self._exercise is not None:
            self._exercise.engine.set_rules(rules)

    # ------------------------------------------------------------------ evaluation

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

    # ------------------------------------------------------------------ drills

    def start_exercise(self, tag: str, stations: Iterable[Any]) -> None:
        """Judge a drill's data apart from the real network: a second engine on the drill's
        stations (feed ``Station`` records or registry entries) whose alarms carry ``tag``:
        their own keys, 【演练】 in their messages and in their cases' titles, on the same
        panel as the real alarms. One drill at a time; ``end_exercise`` stops it."""
        if not tag or "/" in tag:
            raise ValueError(f"exercise tag must be non-empty without '/': {tag!r}")
        places = {p.id: p for p in (StationPlace.of(e) for e in stations)}
        with self._lock:
            if self._exercise is not None:
                raise ValueError(f"drill {self._exercise.tag} is being judged already")
            engine = AlarmEngine(self._rules, [p.info() for p in places.values()])
            self._exercise = _Exercise(tag, engine, places)

    @property
    def exercise(self) -> str | None:
        """The tag of the drill being judged, if any."""
        current = self._exercise
        return current.tag if current is not None else None

    def feed_exercise(self, observations: Iterable[Any]) -> None:
        """Queue a drill's observations (like ``feed``). Every observation moves the drill's
        clock, so a station that goes silent is seen silent while the others report; only the
        drill's stations reach its engine."""
        current = self._exercise
        if current is None:
            return
        for obs in observations:
            item = _as_item(obs)
            current.latest = _later(item[2], current.latest)
            if item[0] in current.places:
                current.pending.append(item)

    def evaluate_exercise(self) -> RoundResult:
        """One round of the drill's engine: judged on the drill data's clock (a drill plays at
        speed), written on the desk's clock like every other record."""
        with self._lock:
            current = self._exercise
            if current is None or current.latest is None:
                return RoundResult()
            batch = list(current.pending)
            current.pending.clear()
            rejected = current.engine.observe_many(batch)
            verdicts = [
                self._as_exercise(c, current.tag) for c in current.engine.evaluate(current.latest)
            ]
            now = self.clock()
            changes = lifecycle.apply_evaluation(self._alarms, verdicts, now)
            result = self._persist(changes, now)
        return RoundResult(
            result.written,
            result.refused,
            result.announcements,
            result.opened_cases,
            len(rejected),
        )

    def end_exercise(self) -> RoundResult:
        """Stop judging the drill; its alarms still active clear (nothing would judge them
        again), latched like any clearing, so they stay on the panel until acknowledged."""
        with self._lock:
            current = self._exercise
            if current is None:
                return RoundResult()
            self._exercise = None
            now = self.clock()
            verdicts = [
                _clearing(a, now)
                for a in self._alarms.values()
                if a.exercise == current.tag and a.state.active
            ]
            changes = lifecycle.apply_evaluation(self._alarms, verdicts, now)
            return self._persist(changes, now)

    @staticmethod
    def _as_exercise(condition: AlarmCondition, tag: str) -> AlarmCondition:
        return replace(
            condition,
            exercise=tag,
            message_zh=EXERCISE_PREFIX_ZH + condition.message_zh,
            message_en=EXERCISE_PREFIX_EN + condition.message_en,
        )

    def exercise_alarms(self, tag: str) -> list[Alarm]:
        """Every alarm the drill ``tag`` raised, from the database (any workstation's)."""
        with self.desk.store.read() as conn:
            return [_alarm_of(r) for r in alarm_records.exercise_alarms(conn, tag)]

    def forget_exercise(self, tag: str) -> None:
        """Drop a removed drill's alarms from memory (the rows are gone)."""
        with self._lock, self._cache:
            keys = [k for k, a in self._alarms.items() if a.exercise == tag]
            for key in keys:
                del self._alarms[key]
                self._ids.pop(key, None)
        if keys:
            self._notify(AlarmUpdate(removed=tuple(keys)))

    def tick(self, now: datetime | None = None) -> RoundResult:
        """Time-driven changes: shelving expired, stale and chattering flags."""
        with self._lock:
            now = now or self.clock()
            self._take_remote()
            changes = lifecycle.tick(list(self._alarms.values()), now)
            return self._persist(changes, now)

    def _persist(self, changes: list[AlarmChange], now: datetime) -> RoundResult:
        """Write ``changes`` (under the lock) and publish; see the module docstring."""
        if not changes:
            return RoundResult()
        write = _Write(round_audit=[])
        refreshes = [c for c in changes if c.kind is ChangeKind.UPDATED]
        with self.desk.store.write() as conn:
            self._write_refreshes(conn, refreshes, write)
            for change in changes:
                if change.kind is not ChangeKind.UPDATED:
                    self._write_change(conn, change, None, write)
            self._finish(conn, write, now)
        # Committed: take the winners, reload what another desk wrote first.
        with self._cache:
            for change in write.written:
                self._alarms[change.after.key] = change.after
            self._ids.update(write.ids)
        if write.refused:
            with self.desk.store.read() as conn:
                for row in alarm_records.alarms_by_keys(conn, write.refused):
                    self._remember(row)
        for event in write.events:
            self.desk.events.publish(event)
        announce = [
            c
            for c in changes
            if c.kind is ChangeKind.RAISED
            and (held := self._alarms.get(c.after.key)) is not None
            and held.state is AlarmState.ACTIVE_UNACKNOWLEDGED
        ]
        touched = {c.after.key for c in changes}
        with self._cache:
            announcements = tuple(self._annunciator.announce(announce, now))
            current = tuple(self._alarms[k] for k in sorted(touched) if k in self._alarms)
        update = AlarmUpdate(alarms=current, announcements=announcements)
        self._notify(update)
        self._take_remote()
        return RoundResult(
            tuple(write.written),
            tuple(sorted(write.refused)),
            announcements,
            tuple(write.opened),
        )

    def _write_refreshes(
        self, conn: Connection, refreshes: list[AlarmChange], write: _Write
    ) -> None:
        """The UPDATED changes (value and last-seen of active alarms) in one batch: no history,
        no audit (they are no transitions), but change-feed rows so other desks follow."""
        if not refreshes:
            return
        items = [
            (c.after, c.before.version, None if c.after.case_id is None else int(c.after.case_id))
            for c in refreshes
            if c.before is not None
        ]
        ids, refused = alarm_records.update_alarms_batch(conn, items, refreshes[0].at)
        write.refused |= refused
        for change in refreshes:
            alarm_id = ids.get(change.after.key)
            if alarm_id is None:
                continue
            write.ids[change.after.key] = alarm_id
            write.written.append(change)
            self._change_row(change, alarm_id, write)

    def _change_row(self, change: AlarmChange, alarm_id: int, write: _Write) -> None:
        after = change.after
        write.change_rows.append(
            {
                "at": change.at,
                "topic": TOPIC,
                "entity_id": alarm_id,
                "version": after.version,
                "action": change.kind.value,
                "origin": self.desk.origin,
            }
        )
        write.events.append(Changed(TOPIC, alarm_id, after.version, change.kind.value, True))

    def _finish(self, conn: Connection, write: _Write, now: datetime) -> None:
        """End of a write transaction: the batched change-feed rows and the round's audit."""
        alarm_records.record_changes(conn, write.change_rows)
        if write.round_audit:
            append_audit(
                conn,
                now,
                SYSTEM_ACTOR,
                "alarm.round",
                "alarm",
                self.desk.origin,
                {"changes": write.round_audit},
            )

    def _write_change(
        self,
        conn: Connection,
        change: AlarmChange,
        actor: UserView | None,
        write: _Write,
    ) -> bool:
        """One change inside the transaction; False (and the key marked refused) when the
        stored alarm is not the one the change was computed from."""
        key = change.after.key
        if key in write.refused:
            return False
        after = change.after
        case_id = None if after.case_id is None else int(after.case_id)
        if change.before is None:
            alarm_id = alarm_records.insert_alarm(conn, after, case_id, change.at)
        else:
            alarm_id = alarm_records.update_alarm(
                conn, after, change.before.version, case_id, change.at
            )
        if alarm_id is None:
            write.refused.add(key)
            return False
        write.ids[key] = alarm_id
        write.written.append(change)
        who = actor.username if actor is not None else change.user
        if change.kind is not ChangeKind.UPDATED:
            # Refreshes of last_seen are not transitions: the row holds them, history does not.
            alarm_records.append_history(
                conn,
                alarm_id,
                change.at,
                change.kind.value,
                who,
                change.note,
                after,
                self.desk.origin,
            )
            audit = {
                "key": key,
                "alarm_id": alarm_id,
                "kind": change.kind.value,
                "state": after.state.value,
                "version": after.version,
                "value": after.value,
                "note": change.note,
                "case_id": after.case_id,
                "shelved_until": iso(after.shelved_until),
            }
            if write.round_audit is not None and actor is None:
                write.round_audit.append(audit)
            else:
                append_audit(
                    conn,
                    change.at,
                    who or SYSTEM_ACTOR,
                    f"alarm.{change.kind.value}",
                    "alarm",
                    alarm_id,
                    audit,
                )
        self._change_row(change, alarm_id, write)
        if change.kind is ChangeKind.RAISED and after.open_case:
            self._auto_case(conn, change, alarm_id, write)
        elif change.kind is ChangeKind.CLEARED and after.case_id is not None:
            self._note_on_case(conn, int(after.case_id), after, "cleared", change.at, write)
        elif change.kind is ChangeKind.RAISED and after.case_id is not None:
            self._note_on_case(conn, int(after.case_id), after, "raised", change.at, write)
        return True

    # ------------------------------------------------------------------ alarm → case

    def _auto_case(
        self, conn: Connection, change: AlarmChange, alarm_id: int, write: _Write
    ) -> None:
        """A rule with ``open_case`` opens a quality case when the alarm is raised, once: only
        the desk whose write of the RAISED change won gets here. A re-raise whose linked case
        is still open notes it on that case; one whose case was finished opens a new one."""
        after = change.after
        if after.case_id is not None:
            row = case_records.get_case(conn, int(after.case_id))
            if row["status"] in OPEN_STATUSES:
                self._note_on_case(conn, int(after.case_id), after, "raised", change.at, write)
                return
        try:
            self._link_new_case(conn, after, alarm_id, change.at, None, write)
        except ValidationError as exc:
            # Refused before anything was written (the draft is checked first): the alarm
            # stands without its case rather than the round failing for ever; an officer
            # opening it on request sees why.
            log.warning("alarm %s: no automatic case: %s", after.key, exc)

    def _link_new_case(
        self,
        conn: Connection,
        alarm: Alarm,
        alarm_id: int,
        now: datetime,
        actor: UserView | None,
        write: _Write,
    ) -> Alarm:
        case_id = self._insert_case(conn, alarm, alarm_id, now, actor)
        linked = lifecycle.link_case(alarm, str(case_id), now)
        # The version the row holds is ``alarm.version``: link on top of it, in this
        # transaction, so the case and the link exist together or not at all.
        self._write_change(conn, linked, actor, write)
        write.opened.append(case_id)
        # This workstation's queue learns of the case now (other desks by the change feed).
        write.events.append(Changed("case", case_id, 1, "create", True))
        return linked.after

    def _case_details(self, alarm: Alarm, alarm_id: int) -> dict[str, Any]:
        rule = self.rule(alarm.rule_id)
        station = self.station(alarm.station_id)
        record = lifecycle.alarm_to_dict(alarm)
        # A drill's case says so in its details too: the drill's removal checks it.
        exercise = {"exercise": {"drill": alarm.exercise}} if alarm.exercise else {}
        return {
            **exercise,
            CASE_DETAILS_KEY: {
                "key": alarm.key,
                "alarm_id": alarm_id,
                "rule_id": alarm.rule_id,
                "rule_name_zh": rule.name_zh if rule else alarm.rule_id,
                "rule_name_en": rule.name_en if rule else alarm.rule_id,
                "station_id": alarm.station_id,
                "station_name": station.name if station else alarm.station_id,
                "priority": alarm.priority.value,
                "raised_at": record["raised_at"],
                "value": alarm.value,
                "threshold": alarm.threshold,
                "message_zh": alarm.message_zh,
                "message_en": alarm.message_en,
                "evidence": record["evidence"],
            },
        }

    def _insert_case(
        self,
        conn: Connection,
        alarm: Alarm,
        alarm_id: int,
        now: datetime,
        actor: UserView | None,
    ) -> int:
        rule = self.rule(alarm.rule_id)
        station = self.station(alarm.station_id)
        station_name = station.name if station else alarm.station_id
        rule_name = rule.name_zh if rule else alarm.rule_id
        district = station.district if station and station.district else None
        if district not in {d.value for d in District}:
            raise ValidationError(
                "district",
                "alarm.case.no_district",
                f"station {alarm.station_id} has no known district: the case cannot be placed",
                f"站点 {alarm.station_id} 无所属辖区，无法立案",
            )
        evidence_lines = [
            f"{e.parameter} {e.value} ({e.basis}, {e.flag}) @ {e.time.isoformat()}"
            for e in alarm.evidence
        ]
        draft = validate_draft(
            CaseDraft(
                kind=CaseKind.QUALITY,
                title=(EXERCISE_PREFIX_ZH if alarm.exercise else "")
                + f"{rule_name}：{station_name}（{alarm.station_id}）",
                district=District(str(district)),
                priority=CASE_PRIORITY[alarm.priority],
                source=CaseSource.MONITORING,
                description="\n".join([alarm.message_zh, *evidence_lines]),
                address=(station.river or station_name) if station else "",
                lon=station.lon if station else None,
                lat=station.lat if station else None,
                details=self._case_details(alarm, alarm_id),
            )
        )
        case_id, _ = self.desk.insert_case(
            conn,
            draft,
            actor.username if actor is not None else SYSTEM_ACTOR,
            now,
            timeline_text=alarm.message_zh,
            timeline_data={"alarm": alarm.key, "alarm_id": alarm_id},
            audit_extra={"alarm": alarm.key, "alarm_id": alarm_id, "automatic": actor is None},
        )
        return case_id

    def _note_on_case(
        self,
        conn: Connection,
        case_id: int,
        alarm: Alarm,
        event: str,
        at: datetime,
        write: _Write,
    ) -> None:
        """The case's timeline records the alarm clearing (or raised again)."""
        try:
            row = case_records.get_case(conn, case_id)
        except NotFound:
            log.warning("alarm %s links to missing case %s", alarm.key, case_id)
            return
        value = "—" if alarm.value is None else f"{alarm.value:g}"
        if event == "cleared":
            text = f"报警已消除（{alarm.key}，当前值 {value}）/ Alarm cleared ({alarm.key}, now {value})"
        else:
            text = (
                f"报警再次触发（{alarm.key}，第 {alarm.count} 次，值 {value}）/ "
                f"Alarm raised again ({alarm.key}, #{alarm.count}, value {value})"
            )
        version = case_records.update_case(
            conn,
            case_id,
            int(row["version"]),
            {"updated_at": at, "updated_by": SYSTEM_ACTOR},
        )
        case_records.append_timeline(
            conn,
            case_id,
            {
                "at": at,
                "actor": SYSTEM_ACTOR,
                "entry_kind": "note",
                "text": text,
                "data": {"alarm": alarm.key, "event": event, "value": alarm.value},
            },
        )
        append_audit(
            conn,
            at,
            SYSTEM_ACTOR,
            "case.note",
            "case",
            case_id,
            {"text": text, "alarm": alarm.key, "event": event},
        )
        record_change(conn, at, "case", case_id, version, "note", self.desk.origin)
        write.events.append(Changed("case", case_id, version, "note", True))

    # ------------------------------------------------------------------ operator actions

    def _act(
        self,
        key: str,
        expected_version: int | None,
        action: Callable[[Alarm, UserView, datetime], AlarmChange],
    ) -> Alarm:
        """Apply an operator action to the stored alarm (not our cache: another desk may have
        moved it), version-checked; a stale ``expected_version`` raises ConflictError."""
        user = self.desk.context.actor(Permission.WORK_CASES)
        with self._lock:
            now = self.clock()
            write = _Write()
            with self.desk.store.write() as conn:
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
                if not self._write_change(conn, change, user, write):  # pragma: no cover
                    raise ConflictError("alarm", int(row["id"]), stored.version, -1, {}, {})
                self._finish(conn, write, now)
            return self._after_action(write, now)

    def _after_action(self, write: _Write, now: datetime) -> Alarm:
        with self._cache:
            for change in write.written:
                self._alarms[change.after.key] = change.after
            self._ids.update(write.ids)
            last = self._alarms[write.written[-1].after.key]
        for event in write.events:
            self.desk.events.publish(event)
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
        user = self.desk.context.actor(Permission.WORK_CASES)
        with self._lock:
            now = self.clock()
            write = _Write()
            with self.desk.store.write() as conn:
                row = alarm_records.lock_alarm(conn, key)
                if row is None:
                    raise NotFound("alarm", key)
                stored = _alarm_of(row)
                if stored.case_id is None:
                    self._link_new_case(conn, stored, int(row["id"]), now, user, write)
                    self._finish(conn, write, now)
            if write.written:
                self._after_action(write, now)
                case_id = write.opened[-1]
            else:
                assert stored.case_id is not None
                case_id = int(stored.case_id)
        return self.desk.get_case(case_id)

    # ------------------------------------------------------------------ rule editing

    def check_rules(self, text: str) -> RuleSet:
        """Validate an edit without saving it (AlarmRuleError names the rule and field)."""
        return parse_rules(text, "alarms.toml")

    def save_rules(self, text: str, expected_revision: int, note: str = "") -> RuleSet:
        """Save an administrator's edit made from ``expected_revision``.

        A bad rule raises AlarmRuleError naming the rule and field, a save over a revision
        someone else saved meanwhile raises RulesConflict; either way nothing is written and
        the rules in force stay as they were. The saved text keeps the administrator's
        comments; its ``revision`` becomes ``expected_revision + 1``."""
        user = self.desk.context.actor(Permission.MANAGE_RULES)
        parse_rules(text, "alarms.toml")  # the administrator's own errors first
        revision = expected_revision + 1
        final = with_revision(text, revision)
        rules = parse_rules(final, "alarms.toml")
        with self._lock:
            now = self.clock()
            file_revision = self._file_revision()
            with self.desk.store.write() as conn:
                saved = alarm_records.latest_rule_revision(conn)
                db_revision = 0 if saved is None else int(saved["revision"])
                current = max(db_revision, file_revision, self._rules.revision)
                if current != expected_revision:
                    theirs = (
                        str(saved["text"])
                        if saved is not None and db_revision == current
                        else self._rules_text
                    )
                    raise RulesConflict(expected_revision, current, theirs, text)
                inserted = alarm_records.insert_rule_revision(
                    conn,
                    {
                        "revision": revision,
                        "text": final,
                        "saved_at": now,
                        "saved_by": user.username,
                        "note": note,
                    },
                )
                if not inserted:
                    raise RulesConflict(expected_revision, revision, "", text)
                before = {r.id: r for r in self._rules.rules}
                after = {r.id: r for r in rules.rules}
                append_audit(
                    conn,
                    now,
                    user.username,
                    "alarm_rules.save",
                    "alarm_rules",
                    revision,
                    {
                        "revision": revision,
                        "note": note,
                        "added": sorted(set(after) - set(before)),
                        "removed": sorted(set(before) - set(after)),
                        "changed": sorted(
                            k for k in set(before) & set(after) if before[k] != after[k]
                        ),
                    },
                )
                record_change(conn, now, RULES_TOPIC, revision, revision, "save", self.desk.origin)
                if self.rules_path is not None:
                    # In the same transaction: a file that cannot be written rolls the
                    # revision back, so file and database never disagree about what is saved.
                    _write_atomically(self.rules_path, final)
            self._apply_rules(rules, final)
        self.desk.events.publish(Changed(RULES_TOPIC, revision, revision, "save", True))
        self._notify(AlarmUpdate(rules_changed=True))
        return rules

    def _file_revision(self) -> int:
        if self.rules_path is None or not self.rules_path.exists():
            return 0
        try:
            return load_rules_file(self.rules_path).revision
        except AlarmRuleError:
            return 0  # a broken file on disk is not a newer revision
