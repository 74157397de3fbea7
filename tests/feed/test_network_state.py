"""Coalescing and staleness, on their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dispatch_app.feed.network_state import NetworkState, Staleness, staleness_of
from dispatch_app.feed.records import Observation, Station, StationParameter

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _station(sid: str, interval: int = 60) -> Station:
    return Station(
        id=sid,
        mn="0" * 24,
        name=sid,
        name_en=sid,
        kind="air_national",
        district="xinbei",
        lon=119.9,
        lat=31.8,
        interval_s=interval,
        sample=True,
        parameters=(StationParameter("PM2.5", "a34004", "µg/m³"),),
    )


def _obs(sid: str, minute: int, value: float, seq: int, param: str = "PM2.5") -> Observation:
    return Observation(sid, param, T0 + timedelta(minutes=minute), value, "N", seq)


def test_latest_by_observation_time_wins_and_late_data_does_not_overwrite() -> None:
    net = NetworkState()
    net.set_stations([_station("A"), _station("B")])
    net.take_dirty()
    net.apply([_obs("A", 5, 50.0, 1), _obs("A", 6, 60.0, 2), _obs("A", 4, 40.0, 3)])
    dirty = net.take_dirty()
    assert list(dirty) == ["A"]
    assert dirty["A"].readings["PM2.5"].value == 60.0
    assert dirty["A"].last_time == T0 + timedelta(minutes=6)
    assert net.take_dirty() == {}


def test_unknown_station_is_counted_not_shown() -> None:
    net = NetworkState()
    net.set_stations([_station("A")])
    net.take_dirty()
    assert net.apply([_obs("ZZ", 1, 1.0, 1)]) == 0
    assert net.unknown_stations == {"ZZ"}
    assert net.take_dirty() == {}


def test_snapshots_do_not_change_after_delivery() -> None:
    net = NetworkState()
    net.set_stations([_station("A")])
    net.apply([_obs("A", 1, 1.0, 1)])
    snap = net.take_dirty()["A"]
    net.apply([_obs("A", 2, 2.0, 2)])
    assert snap.readings["PM2.5"].value == 1.0


def test_staleness_levels_follow_the_station_interval() -> None:
    assert staleness_of(None, 60, T0) is Staleness.NO_DATA
    assert staleness_of(T0, 60, T0 + timedelta(seconds=120)) is Staleness.FRESH
    assert staleness_of(T0, 60, T0 + timedelta(seconds=121)) is Staleness.LATE
    assert staleness_of(T0, 60, T0 + timedelta(seconds=300)) is Staleness.LATE
    assert staleness_of(T0, 60, T0 + timedelta(seconds=301)) is Staleness.STALE
    # A water section reporting every 4 h is fresh after 5 h.
    assert staleness_of(T0, 4 * 3600, T0 + timedelta(hours=5)) is Staleness.FRESH
    net = NetworkState()
    net.set_stations([_station("W", 4 * 3600)])
    net.apply([_obs("W", 0, 7.0, 1, "pH")])
    assert net.staleness("W", T0 + timedelta(hours=21)) is Staleness.STALE
