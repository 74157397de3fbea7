"""The desk's coalesced picture of the monitoring network: the latest reading of every parameter of
every station, the mean of its valid values over the trailing hour, and how stale each station is (by its own
reporting rules: dispatch_app.network.reporting).

Updates are coalesced per station (Taurus-style, per source): however many observations arrive
between two deliveries, a subscriber sees each changed station once, with the latest reading of
each parameter. "Latest" means latest observation time, not latest arrival: the network sends late
data, and a late reading must not overwrite a newer one.

The trailing hour is `dispatch_app.network.observations.HourWindow` (what it holds is said there).
The window starts empty when the desk starts: it covers only what the desk has received, and says
how many values it rests on.

Pure bookkeeping, no I/O and no asyncio, so it can be tested and reused on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from dispatch_app.network.observations import (
    MICRO_UNITS,
    HourWindow,
    Observation,
)
from dispatch_app.network.registry import Station
from dispatch_app.network.reporting import Reporting


class Staleness(StrEnum):
    NO_DATA = "no_data"
    FRESH = "fresh"  # on time
    LATE = "late"  # 迟报: its next report is overdue
    STALE = "stale"  # 断报: it has missed enough reports to count as offline


def staleness_of(last_time: datetime | None, reporting: Reporting, now: datetime) -> Staleness:
    """How stale a station is whose newest observation is stamped `last_time`, by its own
    reporting rules (dispatch_app.network.reporting): on time until its next report is due,
    late once that report is overdue, offline after `offline_after_missed` missed reports."""
    if last_time is None:
        return Staleness.NO_DATA
    missed = reporting.missed(last_time, now)
    if missed == 0:
        return Staleness.FRESH
    if missed < reporting.offline_after_missed:
        return Staleness.LATE
    return Staleness.STALE


@dataclass(frozen=True, slots=True)
class Reading:
    """The latest value of one parameter at one station, and the mean of the valid values of the
    trailing hour (None, 0 when the window is empty or the reading did not come from a
    `NetworkState`)."""

    time: datetime
    value: float | None
    flag: str
    seq: int | None
    hour_mean: float | None = None
    hour_count: int = 0


@dataclass(frozen=True, slots=True)
class StationSnapshot:
    """A station and the latest reading of each of its parameters, immutable once handed out."""

    station: Station
    readings: Mapping[str, Reading]
    last_time: datetime | None

    def staleness(self, now: datetime) -> Staleness:
        return staleness_of(self.last_time, self.station.schedule, now)


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
    """Latest readings and trailing-hour means per station, with the set of stations changed since
    the last `take_dirty`."""

    def __init__(self) -> None:
        self._stations: dict[str, Station] = {}
        self._readings: dict[str, dict[str, Reading]] = {}
        self._windows: dict[str, dict[str, HourWindow]] = {}
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
        for sid in list(self._windows):
            if sid not in self._stations:
                del self._windows[sid]
        self._dirty = set(self._stations)

    def clear_readings(self) -> None:
        self._readings.clear()
        self._windows.clear()
        self._last_time.clear()
        self._dirty = set(self._stations)

    @property
    def stations(self) -> Mapping[str, Station]:
        return MappingProxyType(self._stations)

    # --- coalescing -------------------------------------------------------------------------

    def apply(self, items: Iterable[Observation]) -> int:
        """Fold observations in; returns how many changed a reading (its latest value or its
        hour mean). Observations of stations not in the registry are counted in
        `unknown_stations` and otherwise ignored (no row to show them in; the registry is
        reloaded on resync)."""
        changed = 0
        stations = self._stations
        readings = self._readings
        windows = self._windows
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
            per_series = windows.get(sid)
            if per_series is None:
                per_series = windows[sid] = {}
            window = per_series.get(obs.parameter)
            if window is None:
                window = per_series[obs.parameter] = HourWindow()
            moved = window.fold(obs.time, obs.value if obs.flag == "N" else None)
            n = len(window.entries)
            mean = window.total / (n * MICRO_UNITS) if n else None  # int / int: correctly rounded
            old = per_station.get(obs.parameter)
            if old is not None and obs.time < old.time:
                if not moved:
                    continue  # late data, older than what we show and outside the hour
                # Late data inside the hour: the latest value stays, the hour mean moves.
                per_station[obs.parameter] = Reading(
                    old.time, old.value, old.flag, old.seq, mean, n
                )
                dirty.add(sid)
                changed += 1
                continue
            per_station[obs.parameter] = Reading(obs.time, obs.value, obs.flag, obs.seq, mean, n)
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
        return staleness_of(self._last_time.get(station_id), station.schedule, now)
