"""The monitoring stations the alarms are judged on, and the observations queued for a round."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from dispatch_app.desk.alarms.base import AlarmDeskBase
from dispatch_app.desk.alarms.values import (
    FeedWatch,
    StationPlace,
    _as_item,
    _later,
)
from dispatch_app.domain.alarm_rules import (
    AlarmEngine,
)

log = logging.getLogger(__name__)


class StationFeed(AlarmDeskBase):
    """Stations and the feed of ``AlarmDesk`` (mixed into it)."""

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
