"""The wall on a fresh embedded data service: its history is there from the first minute, so
every indicator tile has a figure and a station's 24 h trend its hours. The real data service
(a child process on loopback, with its simulator and its stored history), the real wall."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.resources import resources_dir
from ui.wall.charts.series import FeedSeriesSource
from ui.wall.monitoring_wall import MonitoringWall

RESOURCES = resources_dir()
# What the indicators read: the national and provincial air stations and water sections (the
# township stations, grid points and boundary sections only make the service slower here).
KINDS = ("air_national", "air_provincial", "water_national", "water_provincial")


@pytest.fixture
def fresh_service(tmp_path: Path) -> Iterator[EmbeddedDataService]:
    doc = json.loads((RESOURCES / "stations.json").read_text("utf-8"))
    doc["stations"] = [s for s in doc["stations"] if s["kind"] in KINDS]
    kept = {s["id"] for s in doc["stations"]}
    for s in doc["stations"]:
        s["downstream"] = [d for d in s.get("downstream") or [] if d in kept]
    registry = tmp_path / "stations.json"
    registry.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    service = EmbeddedDataService(
        tmp_path / "ds.db",
        simulate=True,
        backfill_hours=None,
        history_days=400,
        extra_args=("--registry", str(registry)),
        log_path=tmp_path / "ds.log",
        restart=False,
        ready_timeout_s=240,
    )
    service.start()
    try:
        yield service
    finally:
        service.stop()


@pytest.mark.timeout(600)  # a year of history and 300 series requests on a shared machine
def test_every_tile_and_the_24h_trend_have_data_from_the_start(
    qtbot: QtBot, fresh_service: EmbeddedDataService, artifacts_dir: Path
) -> None:
    url = fresh_service.url
    assert url is not None
    timeouts = ClientTimeouts(connect=2, read=30, total=60)
    client = DataServiceClient(url, timeouts=timeouts)
    try:
        stations = client.stations()
        wall = MonitoringWall(FeedSeriesSource(client, limit=50_000), redraw_interval_ms=50)
        qtbot.addWidget(wall)
        wall.resize(1600, 1000)
        wall.show()
        with qtbot.waitSignal(wall._runner.done, timeout=240_000):
            wall.set_stations(stations)
        tiles = wall.indicators.tiles
        assert len(tiles) == 8
        for key, tile in tiles.items():
            assert tile.indicator is not None and tile.indicator.status != "no_data", key
            assert tile.value.text() not in ("", "—"), key
            assert tile.toolTip().strip(), key  # the explanation on hover
        # A national station's last 24 hours: the hourly history up to the first live minutes.
        with qtbot.waitSignal(wall.trend.loaded, timeout=60_000):
            assert wall.select_station("AQ-N-01")
        wall.trend.set_range("24h")
        qtbot.waitUntil(lambda: not wall.trend._pending, timeout=60_000)
        series = wall.trend.plots["PM2.5"].traces["PM2.5"].series
        hours = {int(t // 3600) for t in series.times[np.isfinite(series.values)]}
        assert len(hours) >= 23
        wall.grab().save(str(artifacts_dir / "wall_with_history.png"))
    finally:
        wall.shutdown()
        client.close()
