"""A drill's alarms, judged apart from the real network on the drill's own clock."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dispatch_app.desk.alarms.values import (
    EXERCISE_PREFIX_EN,
    EXERCISE_PREFIX_ZH,
    AlarmUpdate,
    RoundResult,
    StationPlace,
    _alarm_of,
    _as_item,
    _clearing,
    _Exercise,
    _later,
)
from dispatch_app.desk.alarms.writes import AlarmWrites
from dispatch_app.domain import alarms as lifecycle
from dispatch_app.domain.alarm_rules import (
    AlarmCondition,
    AlarmEngine,
)
from dispatch_app.domain.alarms import (
    Alarm,
)
from dispatch_app.store import alarm_records

log = logging.getLogger(__name__)


class AlarmExercise(AlarmWrites):
    """The drill use cases of ``AlarmDesk`` (mixed into it)."""

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
