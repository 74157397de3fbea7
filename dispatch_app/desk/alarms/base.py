"""The state of one workstation's alarm desk and how it follows other workstations."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import RowMapping

from dispatch_app.desk.alarms.values import (
    RULES_TOPIC,
    TOPIC,
    AlarmUpdate,
    FeedWatch,
    StationPlace,
    _alarm_of,
    _clearing,
    _Exercise,
)
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.events import Changed
from dispatch_app.domain.alarm_rules import (
    AlarmCondition,
    AlarmEngine,
    RuleSet,
    parse_rules,
)
from dispatch_app.domain.alarms import (
    Alarm,
    Annunciator,
)
from dispatch_app.store import alarm_records
from dispatch_app.store.errors import StoreError

log = logging.getLogger(__name__)


class AlarmDeskBase:
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
