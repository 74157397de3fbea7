"""The simulated history: the simulator's own models over numpy arrays, stored once per storage,
served by /series beside the observations (which win where an hour has any)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import requests

from dispatch_app.dataservice.history import (
    HOUR_S,
    air_values,
    day_start,
    ensure_history,
    generate_history,
    history_start,
    water_values,
)
from dispatch_app.dataservice.sim_air import AirModel
from dispatch_app.dataservice.sim_water import WaterModel
from dispatch_app.dataservice.simulator import DECIMALS, NO_FAULTS
from dispatch_app.dataservice.storage import Observation, Storage
from dispatch_app.network.registry import DEFAULT_REGISTRY, Registry, load_registry
from tests.dataservice.conftest import start_service, stop_service

# A fixed "now": 2026-12-07 14:30 CST. Same period last year starts 2025-01-01.
NOW = datetime(2026, 12, 7, 6, 30, tzinfo=UTC).timestamp()
DAY = 86400


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(DEFAULT_REGISTRY)


def test_vectorised_models_give_the_simulators_values(registry: Registry) -> None:
    air = next(s for s in registry if s.kind == "air_provincial")
    water = [s for s in registry if s.is_water]
    lake = next(s for s in water if s.waterbody == "lake")
    river = next(s for s in water if s.waterbody == "river")
    model = AirModel([air], 7)
    times = np.array([NOW - 400 * DAY + 123.0, NOW - 3 * DAY + 4567.0, NOW + 59.0])
    got = air_values(model, air, times)
    assert set(got) == {p.key for p in air.parameters}
    for i, t in enumerate(times):
        for key, expected in model.values(air, float(t)).items():
            assert got[key][i] == pytest.approx(expected, rel=1e-9, abs=1e-12), key
    for section in (lake, river):
        got = water_values(7, section, times)
        for i, t in enumerate(times):
            for key, expected in WaterModel(7).values(section, float(t)).items():
                assert got[key][i] == pytest.approx(expected, rel=1e-9, abs=1e-12), key
    # The hourly average is AirModel.hourly's (twelve five-minute samples), rounded as sent.
    hour = float(int(NOW - 2 * DAY) // HOUR_S * HOUR_S)
    blocks = list(generate_history([air], int(hour), int(hour) + DAY, seed=7, rates=NO_FAULTS))
    want = model.hourly(air, hour)
    for block in blocks:
        slot = int((hour - block.first_day) // HOUR_S)
        decimals = DECIMALS.get(block.parameter, 3)
        assert block.values[0, slot] == pytest.approx(
            want[block.parameter], abs=0.5 * 10**-decimals + 1e-9
        )


def test_the_history_covers_last_year_and_is_written_once(
    tmp_path: Path, registry: Registry
) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'ds.db'}")
    try:
        written = ensure_history(storage, registry.stations, 400, now_s=NOW)
        chosen = [
            s
            for s in registry
            if s.kind in ("air_national", "air_provincial") or s.kind.startswith("water_")
        ]
        days = (int(NOW) - history_start(NOW, 400)) // DAY + 1
        assert (
            days >= 400
            and history_start(NOW, 400)
            <= datetime(2025, 1, 1, tzinfo=UTC).timestamp() - 8 * HOUR_S + 1
        )
        assert written == sum(len(s.parameters) for s in chosen) * days
        # Every national/provincial air station and every section: ≥ 400 days of hourly values.
        end = int(NOW)
        start = end - 400 * DAY
        for station in chosen:
            key = station.parameters[0].key
            series = storage.series_hourly(station.id, key, start, end, 20_000, station.interval_s)
            valid = [p for p in series.points if p.flag == "N"]
            first, last = valid[0].time_s, valid[-1].time_s
            step = max(station.interval_s, HOUR_S)
            # A last sample or two may be lost (calibration, dropout), as on the live network.
            assert first - start <= 3 * step and end - last <= 3 * step + HOUR_S
            assert len(valid) >= 0.95 * 400 * 24 * HOUR_S / max(station.interval_s, HOUR_S)
        # Township stations and grid points have none.
        township = next(s for s in registry if s.kind == "air_township")
        series = storage.series_hourly(township.id, "PM2.5", start, end, 20_000, 60)
        assert all(p.value is None for p in series.points)
        # Once per storage: the same start writes nothing; a day later adds only that day.
        assert ensure_history(storage, registry.stations, 400, now_s=NOW + 600) == 0
        again = ensure_history(storage, registry.stations, 400, now_s=NOW + DAY)
        assert 0 < again <= 2 * sum(len(s.parameters) for s in chosen)
        covered = storage.history_range()
        assert covered is not None and covered.end_s == int(NOW + DAY) // HOUR_S * HOUR_S
    finally:
        storage.close()


def test_observations_win_in_their_hours_and_history_fills_the_rest(
    tmp_path: Path, registry: Registry
) -> None:
    station = next(s for s in registry if s.kind == "air_national")
    storage = Storage(f"sqlite:///{tmp_path / 'ds.db'}")
    try:
        ensure_history(storage, [station], 400, now_s=NOW)
        hour = int(NOW) // HOUR_S * HOUR_S - HOUR_S  # the last full hour: history has it
        before = storage.series_hourly(station.id, "PM2.5", hour, hour + HOUR_S, 10, 60)
        assert before.points[0].flag == "N" and before.points[0].value is not None
        # The live minutes of that hour, all 60 of them at 1000: the hour is theirs alone.
        storage.write(
            [Observation(station.id, "PM2.5", hour + 60 * m, 1000.0, "N") for m in range(60)]
        )
        after = storage.series_hourly(station.id, "PM2.5", hour, hour + HOUR_S, 10, 60)
        assert after.points[0].value == pytest.approx(1000.0) and after.points[0].count == 60
        # A raw day: the hourly history points before, the minutes in the observed hour; the
        # earlier re-sent hourly value (CN 2061) of another hour beside live minutes counts too.
        storage.write([Observation(station.id, "PM2.5", hour - 5 * HOUR_S, 777.0, "N", cn="2061")])
        raw = storage.series_raw(station.id, "PM2.5", hour - 23 * HOUR_S, hour + HOUR_S, 5000)
        minutes = [p for p in raw.points if p.time_s >= hour]
        hourly = [p for p in raw.points if p.time_s < hour]
        assert len(minutes) == 60 and len(hourly) == 23
        assert [p.value for p in hourly if p.time_s == hour - 5 * HOUR_S] == [777.0]
        # A daily mean takes an observed hour's mean in place of the history's.
        noon = day_start(NOW) - 12 * HOUR_S  # yesterday 12:00 CST
        before = storage.series_daily(station.id, "PM2.5", noon, day_start(NOW), 10, 60)
        storage.write(
            [Observation(station.id, "PM2.5", noon + 60 * m, 2000.0, "N") for m in range(60)]
        )
        after = storage.series_daily(station.id, "PM2.5", noon, day_start(NOW), 10, 60)
        assert before.points[0].value is not None and after.points[0].value is not None
        assert before.points[0].count == after.points[0].count  # the same hours, one replaced
        assert after.points[0].value > before.points[0].value + 2000.0 / 24 - 10
    finally:
        storage.close()


def test_the_service_stores_its_history_before_ready_and_serves_it(
    tmp_path: Path, registry_path: Path
) -> None:
    db = tmp_path / "obs.db"
    svc = start_service(
        tmp_path,
        registry_path,
        f"sqlite:///{db}",
        "--simulate",
        "--history-days",
        "400",
        timeout_s=120,
    )
    try:
        now = datetime.now(UTC)
        stations = requests.get(f"{svc.http}/api/v1/stations", timeout=10).json()["stations"]
        for entry in stations:
            key = entry["parameters"][0]["key"]
            params = {
                "station": entry["id"],
                "parameter": key,
                "start": (now - timedelta(days=401)).isoformat(),
                "end": now.isoformat(),
            }
            day = requests.get(
                f"{svc.http}/api/v1/series", params={**params, "resolution": "day"}, timeout=30
            ).json()
            assert sum(1 for p in day["points"] if p["flag"] == "N") >= 390, entry["id"]
            hour = requests.get(
                f"{svc.http}/api/v1/series", params={**params, "resolution": "hour"}, timeout=30
            ).json()
            valid = [p for p in hour["points"] if p["flag"] == "N"]
            assert len(valid) >= 0.95 * 400 * 86400 / max(entry["interval_s"], 3600)
            # The last 24 h: hourly points from the first minute (air: ≥ 23 of them).
            raw = requests.get(
                f"{svc.http}/api/v1/series",
                params={**params, "start": (now - timedelta(hours=24)).isoformat()},
                timeout=30,
            ).json()
            assert len(raw["points"]) >= (23 if entry["interval_s"] <= 3600 else 5)
        # Nothing of it is an observation: /updates starts empty.
        updates = requests.get(f"{svc.http}/api/v1/updates?after=0", timeout=10).json()
        recent = now - timedelta(hours=2)
        assert all(datetime.fromisoformat(i["time"]) >= recent for i in updates["items"])
    finally:
        stop_service(svc)
    # Once per storage: a restart finds it and adds nothing but the hours since.
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM ds_history").fetchone()[0]
    svc = start_service(
        tmp_path, registry_path, f"sqlite:///{db}", "--simulate", "--history-days", "400"
    )
    try:
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM ds_history").fetchone()[0] == rows
    finally:
        stop_service(svc)
