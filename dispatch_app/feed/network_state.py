"""The desk's coalesced picture of the monitoring network: the latest reading of every parameter of
every station, and how stale each station is.

Updates are coalesced per station (Taurus-style, per source): however many observations arrive
between two deliveries, a subscriber sees each changed station once, with the latest reading of
each parameter. "Latest" means latest observation time, not latest arrival: the network sends late
data, and a late reading must not overwrite a newer one.

Pure bookkeeping, no I/O and no asyncio, so it can be tested and reused on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from dispatch_app.feed.records import Observation, Station

# A station is "late" (amber) once it has missed two reporting intervals and "stale" (red) once it
# has missed five. Two, because a single missed packet is routine (late data, a retry); five,
# because by then the station is effectively offline and a duty officer should look at it.
LATE_AFTER_INTERVALS = 2
STALE_AFTER_INTERVALS = 5


class Staleness(StrEnum):
    NO_DATA = "no_data"
    FRESH = "fresh"
    LATE = "late"
    STALE = "stale"


def staleness_of(
    last_time: datetime | None,
    interval_s: int,
    now: datetime,
    *,
    late_after: float = LATE_AFTER_INTERVALS,
    stale_after: float = STALE_AFTER_INTERVALS,
) -> Staleness:
    """How stale a station is whose last observation was at `last_time`."""
    if last_time is None:
        return Staleness.NO_DATA
    age = (now - last_time).total_seconds()
    if age <= late_after * interval_s:
        return Staleness.FRESH
    if age <= stale_after * interval_s:
        return Staleness.LATE
    return Staleness.STALE


@dataclass(frozen=True, slots=True)
class Reading:
    """The latest value of one parameter at one station."""

    time: datetime
    value: float | None
    flag: str
    seq: int | None


@dataclass(frozen=True, slots=True)
class StationSnapshot:
    """A station and the latest reading of each of its parameters, immutable once handed out."""

    station: Station
    readings: Mapping[str, Reading]
    last_time: datetime | None

    def staleness(self, now: datetime) -> Staleness:
        return staleness_of(self.last_time, self.station.interval_s, now)


@dataclass(frozen=True, slots=True)
class StationsBatch:
    """What the poller hands to subscribers: the stations that changed since the last batch.

    `initial` is True for a full load (first connection, or a resync after the data service lost
    its history); a view should then take the batch as the whole network.
    """

    snapshots: Mapping[str, StationSnapshot]
    cursor: int
    initial: bool = False


class NetworkState:
    """Latest readings per station, with the set of stations changed since the last `take_dirty`."""

    def __init__(self) -> None:
        self._stations: dict[str, Station] = {}
        self._readings: dict[str, dict[str, Reading]] = {}
        self._last_time: dict[str, datetime] = {}
        self._dirty: set[str] = set()
        self.unknown_stations: set[str] = set()

    # --- registry ---------------------------------------------------------------------------

    def set_stations(self, stations: Iterable[Station]) -> None:
        """Replace the registry. Readings of stations that left the registry are dropped."""
        self._stations = {s.id: s for s in stations}
        for sid in list(self._readings):
            if sid not in self._stations:
                del self._readings[sid]
                self._last_time.pop(sid, None)
        self._dirty = set(self._stations)

    def clear_readings(self) -> None:
        self._readings.clear()
        self._last_time.clear()
        self._dirty = set(self._stations)

    @property
    def stations(self) -> Mapping[str, Station]:
        return MappingProxyType(self._stations)

    # --- coalescing -------------------------------------------------------------------------

    def apply(self, items: Iterable[Observation]) -> int:
        """Fold observations in; returns how many changed a reading. Observations of stations not
        in the registry are counted in `unknown_stations` and otherwise ignored (no row to show
        them in; the registry is reloaded on resync)."""
        changed = 0
        stations = self._stations
        readings = self._readings
        last = self._last_time
        dirty = self._dirty
        for obs in items:
            sid = obs.station
            if sid not in stations:
                self.unknown_stations.add(sid)
                continue
            per_station = readings.get(sid)
            if per_station is None:
                per_station = readings[sid] = {}
            old = per_station.get(obs.parameter)
            if old is not None and obs.time < old.time:
                continue  # late data: older than what we show
            per_station[obs.parameter] = Reading(obs.time, obs.value, obs.flag, obs.seq)
            prev = last.get(sid)
            if prev is None or obs.time > prev:
                last[sid] = obs.time
            dirty.add(sid)
            changed += 1
        return changed

    def snapshot(self, station_id: str) -> StationSnapshot:
        station = self._stations[station_id]
        return StationSnapshot(
            station=station,
            readings=MappingProxyType(dict(self._readings.get(station_id, {}))),
            last_time=self._last_time.get(station_id),
        )

    def snapshots(self) -> dict[str, StationSnapshot]:
        return {sid: self.snapshot(sid) for sid in self._stations}

    @property
    def has_dirty(self) -> bool:
        return bool(self._dirty)

    def take_dirty(self) -> dict[str, StationSnapshot]:
        """Snapshots of the stations changed since the last call, and forget them."""
        dirty, self._dirty = self._dirty, set()
        return {sid: self.snapshot(sid) for sid in dirty if sid in self._stations}

    def last_time(self, station_id: str) -> datetime | None:
        return self._last_time.get(station_id)

    def staleness(self, station_id: str, now: datetime) -> Staleness:
        station = self._stations[station_id]
        return staleness_of(self._last_time.get(station_id), station.interval_s, now)
