"""Persisting evaluation rounds of the whole network through AlarmDesk (no target in the issue;
figures for the record).

The network is resources/stations.json with the shipped rules. The desk is fed an hour of minute
data (water: one sample) with every 5th air station and every 5th water section polluted,
then:

* the raising round: every alarm of that pollution raised at once — each one a row, a history
  row, an audit entry (hash-chained) and a change-feed row, and the high ones a quality case —
  in one transaction;
* steady rounds: one new minute for every air station and an evaluation; the alarms' last-seen
  refresh is written once a minute of data time;
* the clearing round: the pollution gone, every alarm cleared (latched) in one transaction.

Run on a real SQLite file and, when DISPATCH_TEST_PG_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.domain.alarms import AlarmState
from tests.conftest import PG_SKIP_REASON, pg_base_url

T0 = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
AIR = {"PM2.5": 45.0, "PM10": 70.0, "SO2": 8.0, "NO2": 35.0, "CO": 0.7, "O3": 90.0}
WATER = {"pH": 7.6, "DO": 6.8, "CODMn": 4.5, "NH3-N": 0.6, "TP": 0.12}


class DataClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def bench_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    if pg_base_url() is None:
        pytest.skip(PG_SKIP_REASON)
    yield str(request.getfixturevalue("pg_url"))


def _minute(stations: list[dict[str, Any]], minute: int, polluted: bool) -> list[tuple[Any, ...]]:
    when = T0 + timedelta(minutes=minute)
    out = []
    for i, s in enumerate(stations):
        if not s["kind"].startswith("air_"):
            continue
        factor = 4.0 if polluted and i % 5 == 0 else 1.0
        if s["kind"] == "air_grid" and minute < 50:
            factor = 1.0  # grid points: a sudden rise in the last ten minutes
        for p in s["parameters"]:
            if p["key"] in AIR:
                out.append((s["id"], p["key"], when, round(AIR[p["key"]] * factor, 2), "N"))
    return out


def _water(stations: list[dict[str, Any]], minute: int, polluted: bool) -> list[tuple[Any, ...]]:
    when = T0 + timedelta(minutes=minute)
    out = []
    for i, s in enumerate(stations):
        if not s["kind"].startswith("water_"):
            continue
        for key, value in WATER.items():
            bad = polluted and i % 5 == 0 and key == "NH3-N"
            out.append((s["id"], key, when, value * (5.0 if bad else 1.0), "N"))
    return out


def test_persist_rounds_for_the_whole_network(bench, bench_url: str, resources_dir: Path) -> None:
    registry = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    stations = registry["stations"]
    clock = DataClock()
    desk = Desk.open(bench_url, clock=clock, scrypt_n=2**10)
    db = "PostgreSQL" if bench_url.startswith("postgresql") else "SQLite"
    try:
        alarms = AlarmDesk.open(desk, stations=stations, clock=clock)
        alarms.feed(_water(stations, 0, True))
        for minute in range(58):
            alarms.feed(_minute(stations, minute, True))
        # Rules with a delay filter of 2 samples fire one round after those with 1: measure
        # both rounds (each its own transaction).
        for minute in (58, 59):
            alarms.feed(_minute(stations, minute, True))
            alarms.absorb()  # the hour of backlog is not the round's work
            clock.now = T0 + timedelta(minutes=minute, seconds=5)
            start = time.perf_counter()
            raised = alarms.evaluate()
            raise_ms = (time.perf_counter() - start) * 1000
            n_raised = sum(1 for c in raised.written if c.kind.value == "raised")
            assert n_raised >= 20, n_raised
            bench(
                f"{db}: raising round, {n_raised} alarms + {len(raised.opened_cases)} cases",
                raise_ms,
                "ms",
            )
            bench(f"{db}: raising round per alarm", raise_ms / n_raised, "ms")

        steady = []
        written = 0
        for minute in range(60, 80):
            alarms.feed(_minute(stations, minute, True))
            clock.now = T0 + timedelta(minutes=minute, seconds=5)
            start = time.perf_counter()  # one minute of data for the network, then the round
            written += len(alarms.evaluate().written)
            steady.append((time.perf_counter() - start) * 1000)
        bench(
            f"{db}: steady round, whole network (median of 20, {written} refreshes written)",
            statistics.median(steady),
            "ms",
        )
        bench(f"{db}: steady round, worst of 20", max(steady), "ms")

        # The pollution goes: an hour of clean data lets every average fall back.
        alarms.feed(_water(stations, 80, False))
        for minute in range(80, 141):
            alarms.feed(_minute(stations, minute, False))
        alarms.absorb()
        clock.now = T0 + timedelta(minutes=140, seconds=5)
        start = time.perf_counter()
        cleared = alarms.evaluate()
        clear_ms = (time.perf_counter() - start) * 1000
        n_cleared = sum(1 for c in cleared.written if c.kind.value == "cleared")
        assert n_cleared >= 30
        # What still holds: sections whose ordinary water is worse than a class Ⅱ target.
        holding = {
            a.rule_id for a in alarms.alarms() if a.state is AlarmState.ACTIVE_UNACKNOWLEDGED
        }
        assert holding <= {"water-national-below-target", "water-below-target"}
        bench(f"{db}: clearing round, {n_cleared} alarms (case notes included)", clear_ms, "ms")
    finally:
        desk.close()
