"""The map on the monitoring wall judges each station's staleness by its own reporting rules,
as time passes with no data: a late station keeps its colour and says so, an offline one turns
grey; an air station three minutes old and a water section four hours old are on time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dispatch_app.feed.network_state import Reading, StationsBatch, StationSnapshot
from dispatch_app.feed.records import Station, parse_stations
from ui.wall.charts.series import MemorySeriesSource
from ui.wall.map.markers import NO_DATA_COLOR
from ui.wall.monitoring_wall import MonitoringWall

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def registry(resources_dir: Path) -> tuple[Station, ...]:
    return parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wall(qtbot: QtBot, clock: Clock) -> Iterator[MonitoringWall]:
    widget = MonitoringWall(MemorySeriesSource(), clock=clock, redraw_interval_ms=30)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _readings(station: Station) -> dict[str, Reading]:
    values = {"PM2.5": 40.0, "PM10": 60.0, "SO2": 8.0, "NO2": 30.0, "CO": 0.6, "O3": 60.0}
    values |= {"pH": 7.4, "DO": 6.5, "CODMn": 4.5, "NH3-N": 0.6, "TP": 0.15}
    keys = {p.key for p in station.parameters}
    return {k: Reading(NOW, v, "N", None) for k, v in values.items() if k in keys}


def _look(qtbot: QtBot, wall: MonitoringWall, clock: Clock, at: datetime, sid: str) -> tuple:
    clock.now = at
    wall.rejudge_staleness()  # what its timer does every half minute
    qtbot.waitUntil(lambda: not wall._map_pending, timeout=5000)
    marker = wall.map.stations[sid]
    return marker.look.status, marker.fill


def test_map_marks_late_and_offline_stations_by_their_own_schedule(
    qtbot: QtBot, wall: MonitoringWall, clock: Clock, registry: tuple[Station, ...]
) -> None:
    air = next(s for s in registry if s.kind == "air_national")
    water = next(s for s in registry if s.kind == "water_national")
    snapshots = {s.id: StationSnapshot(s, _readings(s), NOW) for s in (air, water)}
    wall.apply_batch(StationsBatch(snapshots, 1, initial=True))
    qtbot.waitUntil(lambda: wall.map_gate.redraw_count >= 1 and not wall._map_pending)
    live_fill = wall.map.stations[air.id].fill
    assert live_fill != NO_DATA_COLOR

    status, fill = _look(qtbot, wall, clock, NOW + timedelta(minutes=3), air.id)
    assert not status.startswith(("late", "stale")) and fill == live_fill  # between reports
    status, fill = _look(qtbot, wall, clock, NOW + timedelta(minutes=5), air.id)
    assert status.startswith("late · 5 min ago") and fill == live_fill
    status, fill = _look(qtbot, wall, clock, NOW + timedelta(minutes=40), air.id)
    assert status.startswith("stale · 40 min ago") and fill == NO_DATA_COLOR

    status, fill = _look(qtbot, wall, clock, NOW + timedelta(hours=4), water.id)
    assert not status.startswith(("late", "stale")) and fill != NO_DATA_COLOR  # every 4 h
    status, _ = _look(qtbot, wall, clock, NOW + timedelta(hours=5), water.id)
    assert status.startswith("late · 5 h ago")
    status, fill = _look(qtbot, wall, clock, NOW + timedelta(hours=9), water.id)
    assert status.startswith("stale · 9 h ago") and fill == NO_DATA_COLOR
