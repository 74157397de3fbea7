"""Evaluating every alarm rule over the latest values of the whole network (≤ 5 ms).

The network is resources/stations.json (360 stations: 8 + 4 + 62 + 208 air, 20 + 31 + 27
water) with the shipped rules (resources/rules/alarms.toml). The engine is fed an hour of
minute data (water: a 4-hourly sample), with some stations polluted so that alarms are
active, then each of 60 measured rounds adds one new minute for every air station (so every window
has changed and every average is recomputed) and evaluates.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from dispatch_app.domain.alarm_rules import AlarmEngine, parse_rules, stations_from_registry

T0 = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
BASE = {"PM2.5": 45.0, "PM10": 70.0, "SO2": 8.0, "NO2": 35.0, "CO": 0.7, "O3": 90.0}
WATER = {
    "pH": 7.6,
    "DO": 6.8,
    "CODMn": 4.5,
    "NH3-N": 0.6,
    "TP": 0.12,
    "water_temp": 16.0,
    "conductivity": 480.0,
}


def _network(resources: Path) -> tuple[AlarmEngine, list, list]:
    registry = json.loads((resources / "stations.json").read_text(encoding="utf-8"))
    stations = stations_from_registry(registry)
    rules = parse_rules((resources / "rules" / "alarms.toml").read_text(encoding="utf-8"))
    params = {s["id"]: [p["key"] for p in s["parameters"]] for s in registry["stations"]}
    engine = AlarmEngine(rules, stations, started=T0)
    air = [
        (s.id, [p for p in params[s.id] if p in BASE])
        for s in stations
        if s.kind.startswith("air_")
    ]
    water = [
        (s.id, [p for p in params[s.id] if p in WATER])
        for s in stations
        if s.kind.startswith("water_")
    ]
    return engine, air, water


def _feed_minute(engine: AlarmEngine, air: list, minute: int, rng: np.random.Generator) -> None:
    when = T0 + timedelta(minutes=minute)
    for i, (sid, keys) in enumerate(air):
        polluted = 3.5 if i % 25 == 0 else 1.0  # every 25th station in heavy pollution
        for key in keys:
            value = BASE[key] * polluted * (0.9 + 0.2 * rng.random())
            engine.observe(sid, key, when, round(value, 1 if key != "CO" else 2), "N")


def test_evaluate_whole_network(bench, resources_dir: Path) -> None:
    engine, air, water = _network(resources_dir)
    rng = np.random.default_rng(5)
    for i, (sid, keys) in enumerate(water):
        for key in keys:
            value = WATER[key] * (3.5 if i % 10 == 0 and key == "NH3-N" else 1.0)
            engine.observe(sid, key, T0 + timedelta(minutes=30), value, "N")
    for minute in range(60):
        _feed_minute(engine, air, minute, rng)
        engine.evaluate(T0 + timedelta(minutes=minute))

    timings = []
    cpu = []
    conditions = []
    feed_s = 0.0
    feed_n = 0
    for minute in range(60, 120):
        start = time.perf_counter()
        _feed_minute(engine, air, minute, rng)
        feed_s += time.perf_counter() - start
        feed_n += sum(len(keys) for _, keys in air)
        now = T0 + timedelta(minutes=minute, seconds=5)
        start, start_cpu = time.perf_counter(), time.thread_time()
        conditions = engine.evaluate(now)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        timings.append((time.perf_counter() - start) * 1000)
    pairs = engine.pair_count
    # The work was real: the polluted stations and sections are in alarm.
    rules_firing = {c.rule_id for c in conditions if c.active}
    assert {"aqi-heavy", "water-national-below-target", "water-below-target"} <= rules_firing
    median = statistics.median(timings)
    label = f"evaluate all rules, {len(air) + len(water)} stations ({pairs} rule-station pairs)"
    bench(label, median, "ms (median wall)", "≤ 5 ms", median <= 5.0)
    median_cpu = statistics.median(cpu)
    # The machine is shared: CPU time of the evaluating thread shows the cost without the
    # waiting for a core that other work on the box causes.
    bench(f"{label}, CPU time", median_cpu, "ms (median)", "≤ 5 ms", median_cpu <= 5.0)
    bench("evaluate all rules, best of 60 rounds", min(timings), "ms (wall)", "", None)
    bench("evaluate all rules, worst of 60 rounds", max(timings), "ms (wall)", "", None)
    bench("observe (feed into the engine)", feed_n / feed_s, "obs/s", "", None)
