"""The wall's current AQI rests on 1-hour averages (HJ 633 real-time report), not on the latest
minute: fed through the real NetworkState into the real overview."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dispatch_app.feed.network_state import NetworkState, Reading
from dispatch_app.feed.records import Observation, Station, parse_stations
from dispatch_app.standards import aqi
from ui.wall.charts.overview import NetworkOverview
from ui.wall.charts.ranking import status_of

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
BASE = {"SO2": 8.0, "NO2": 30.0, "CO": 0.6, "O3": 60.0, "PM10": 40.0}


@pytest.fixture(scope="module")
def registry(resources_dir: Path) -> tuple[Station, ...]:
    return parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))


def _minute(sid: str, minute: int, pm25: float, **other: float) -> list[Observation]:
    t = T0 + timedelta(minutes=minute)
    values = {**BASE, **other, "PM2.5": pm25}
    return [Observation(sid, p, t, v, "N", None) for p, v in values.items()]


def _latest_only(readings: Mapping[str, Reading]) -> dict[str, Reading]:
    """The same readings without their hour means: what the wall indexed before."""
    return {k: Reading(r.time, r.value, r.flag, r.seq) for k, r in readings.items()}


def test_a_spiky_minute_does_not_decide_the_rank_a_sustained_rise_does(
    qtbot: QtBot, registry: tuple[Station, ...]
) -> None:
    overview = NetworkOverview(redraw_interval_ms=30)
    qtbot.addWidget(overview)
    overview.show()  # a hidden overview defers its redraws
    qtbot.waitExposed(overview)
    overview.set_stations(registry)
    net = NetworkState()
    net.set_stations(registry)
    a, b = "AQ-N-01", "AQ-N-02"
    for m in range(60):
        net.apply([*_minute(a, m, 30.0), *_minute(b, m, 50.0)])
    net.apply([*_minute(a, 60, 400.0), *_minute(b, 60, 50.0)])  # one spiky minute at A
    snaps = net.take_dirty()
    overview.update_readings({sid: snaps[sid].readings for sid in (a, b)})
    overview.gate.flush()
    # On the latest minute A would be far the worst (PM2.5 400 → AQI 434) ...
    spike = status_of(snaps[a].station, _latest_only(snaps[a].readings))
    assert spike.label == "434"
    # ... on the hour it is not: (59 × 30 + 400) / 60 = 36.2 → 36 µg/m³ → AQI 52, B's 50 → 80.
    assert overview.model.status[a].label == "52"
    assert overview.model.status[b].label == "80"
    assert overview.ranked_ids()[:2] == [b, a]

    # Half an hour at 150: the hour mean (29 × 30 + 400 + 30 × 150) / 60 = 96.2 → AQI 133.
    for m in range(61, 91):
        net.apply([*_minute(a, m, 150.0), *_minute(b, m, 50.0)])
    snaps = net.take_dirty()
    overview.update_readings({sid: snaps[sid].readings for sid in (a, b)})
    overview.gate.flush()
    assert overview.model.status[a].label == "133"
    assert overview.ranked_ids()[:2] == [a, b]


def test_the_status_says_what_the_average_rests_on(registry: tuple[Station, ...]) -> None:
    station = next(s for s in registry if s.id == "AQ-N-01")
    net = NetworkState()
    net.set_stations([station])
    for m in range(12):
        net.apply(_minute(station.id, m, 40.0))
    status = status_of(station, net.snapshot(station.id).readings)
    assert status.provisional
    assert "1 h average of 12 min (provisional)" in status.status_text(english=True)
    assert "小时均值（12分钟，暂定）" in status.status_text()
    for m in range(12, 45):
        net.apply(_minute(station.id, m, 40.0))
    status = status_of(station, net.snapshot(station.id).readings)
    assert not status.provisional and status.status_text(english=True).endswith("1 h average")
    # The fewest minutes of any pollutant count: O3 invalid (maintenance) from minute 45 to 99,
    # valid again from 100; at 104 its hour holds five values, the others sixty.
    for m in range(45, 105):
        o3 = Observation(station.id, "O3", T0 + timedelta(minutes=m), 60.0, "M" if m < 100 else "N")
        net.apply([*(o for o in _minute(station.id, m, 40.0) if o.parameter != "O3"), o3])
    readings = net.snapshot(station.id).readings
    assert readings["O3"].hour_count == 5 and readings["PM2.5"].hour_count == 60
    status = status_of(station, readings)
    assert "1 h average of 5 min (provisional)" in status.status_text(english=True)
    # Readings that carry no hour mean are indexed on their latest value, and it says so.
    latest = status_of(station, _latest_only(net.snapshot(station.id).readings))
    assert latest.status_text(english=True).endswith("latest values") and not latest.provisional


def test_status_of_the_hour_means_agrees_with_the_exact_hourly_report(
    registry: tuple[Station, ...],
) -> None:
    import random

    station = next(s for s in registry if s.id == "AQ-N-01")
    rng = random.Random(11)
    net = NetworkState()
    net.set_stations([station])
    for m in range(180):
        net.apply(
            _minute(
                station.id,
                m,
                round(rng.uniform(0, 300), 1),
                CO=round(rng.uniform(0, 12), 1),
                O3=round(rng.uniform(0, 500), 1),
            )
        )
        if m % 7:
            continue
        readings = net.snapshot(station.id).readings
        means = {p: r.hour_mean for p, r in readings.items()}
        exact = aqi.hourly_report(means, standard=aqi.HJ633_2026)
        assert status_of(station, readings).label == str(exact.aqi)


def test_memo_follows_the_hour_mean(registry: tuple[Station, ...]) -> None:
    # Same latest values, times and flags, other hour means: another status, not the cached one.
    station = next(s for s in registry if s.id == "AQ-N-01")
    values = {**BASE, "PM2.5": 30.0}
    low = {p: Reading(T0, v, "N", None, v, 60) for p, v in values.items()}
    high = {**low, "PM2.5": Reading(T0, 30.0, "N", None, 120.0, 60)}
    assert status_of(station, low).label == "43"
    assert status_of(station, high).label == "158"
    assert status_of(station, low).label == "43"


def test_water_stays_on_the_latest_sample(registry: tuple[Station, ...]) -> None:
    lake = next(s for s in registry if s.waterbody == "lake" and s.target_class == 3)
    # TP 0.08 (class Ⅳ) just sampled; an hour mean, were there one, must not soften it (0.01 would
    # be class Ⅱ).
    readings = {"TP": Reading(T0, 0.08, "N", None, 0.01, 2)}
    assert status_of(lake, readings).label == "Ⅳ"
