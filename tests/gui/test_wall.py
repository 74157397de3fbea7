"""The monitoring wall: composition, shared selection, outage, indicators, and end to end with the
real data service (a child process on loopback fed by its HJ 212 simulator over real TCP)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from dispatch_app.domain.indicators import parse_indicator_rules
from dispatch_app.feed.client import ClientTimeouts, DataServiceClient
from dispatch_app.feed.embedded import EmbeddedDataService
from dispatch_app.feed.network_state import NetworkState, Reading, StationsBatch, StationSnapshot
from dispatch_app.feed.poller import ConnectionState, FeedStatus
from dispatch_app.feed.records import Station, parse_stations
from dispatch_app.resources import resources_dir
from tests.feed.live_service import packet, send
from ui.wall.charts.ranking import status_of
from ui.wall.charts.series import FeedSeriesSource, MemorySeriesSource
from ui.wall.indicators import compute_indicators
from ui.wall.monitoring_wall import MonitoringWall

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
RULES_TEXT = (resources_dir() / "rules" / "indicators.toml").read_text("utf-8")


@pytest.fixture(scope="module")
def registry(resources_dir: Path) -> tuple[Station, ...]:
    return parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))


def _readings(station: Station, base: float, t: datetime = NOW) -> dict[str, Reading]:
    values = {"SO2": 8.0, "NO2": 30.0, "CO": 0.6, "O3": 60.0, "PM10": base, "PM2.5": base}
    water = {
        "pH": 7.4,
        "DO": 6.5,
        "CODMn": 4.5,
        "NH3-N": 0.6 + base / 200,
        "TP": 0.15,
        "water_temp": 15.0,
    }
    keys = {p.key for p in station.parameters}
    source = water if station.kind.startswith("water") else values
    return {k: Reading(t, v, "N", None) for k, v in source.items() if k in keys}


def _batch(stations: tuple[Station, ...], initial: bool = True) -> StationsBatch:
    snapshots = {
        s.id: StationSnapshot(s, _readings(s, 20.0 + 13 * (i % 17)), NOW)
        for i, s in enumerate(stations)
    }
    return StationsBatch(snapshots, 1, initial=initial)


def _settled(wall: MonitoringWall) -> bool:
    """Every queued update applied (they are applied in slices, a few turns of the loop)."""
    return (
        wall.overview.gate.redraw_count >= 1
        and wall.map_gate.redraw_count >= 1
        and not wall.overview._pending
        and not wall._map_pending
    )


@pytest.fixture
def wall(qtbot: QtBot, registry: tuple[Station, ...]) -> Iterator[MonitoringWall]:
    source = MemorySeriesSource()
    t = NOW.timestamp() - np.arange(24 * 60)[::-1] * 60.0
    for s in registry[:12]:
        for p in ("PM2.5", "O3"):
            source.add(s.id, p, "µg/m³", t, 30 + 10 * np.sin(np.arange(len(t)) / 100))
    widget = MonitoringWall(source, clock=lambda: NOW, redraw_interval_ms=30)
    qtbot.addWidget(widget)
    widget.resize(1600, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    widget.apply_batch(_batch(registry))
    qtbot.waitUntil(lambda: _settled(widget), timeout=3000)
    yield widget
    widget.shutdown()


def test_the_wall_shows_the_network_on_overview_and_map(
    wall: MonitoringWall, registry: tuple[Station, ...]
) -> None:
    assert len(wall.stations) == len(registry)
    for station in registry[:20]:
        expected = status_of(
            station, _readings(station, 20.0 + 13 * (registry.index(station) % 17))
        )
        marker = wall.map.stations[station.id]
        assert marker.look.label.rstrip("*") == expected.label
        assert marker.fill == (QColor(*expected.color) if expected.color else QColor(128, 128, 128))
        assert wall.overview.model.status[station.id].label == expected.label


def test_selection_is_shared_between_overview_map_and_trend(
    qtbot: QtBot, wall: MonitoringWall
) -> None:
    first = wall.overview.ranked_ids()[0]
    rect = wall.overview.view.visualRect(wall.overview.model.index(0, 1))
    with qtbot.waitSignal(wall.station_selected, timeout=2000) as signal:
        qtbot.mouseClick(
            wall.overview.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert signal.args == [first]
    assert wall.map.selected_station == first and wall.trend.station is not None
    assert wall.trend.station.id == first
    # On the map: click another reported station; the overview follows.
    other = wall.overview.ranked_ids()[3]
    marker = wall.map.stations[other]
    wall.map.zoom_by(4)  # as an officer would in a dense district: markers apart
    wall.map.centerOn(marker)
    with qtbot.waitSignal(wall.station_selected, timeout=2000) as signal:
        qtbot.mouseClick(
            wall.map.viewport(), Qt.MouseButton.LeftButton, pos=wall.map.mapFromScene(marker.pos())
        )
    assert signal.args == [other]
    assert wall.overview.selected_station() == other and wall.trend.station.id == other
    # From elsewhere (the case details, say): no echo needed, just selection.
    assert wall.select_station("AQ-N-01") and wall.map.selected_station == "AQ-N-01"
    assert not wall.select_station("NO-SUCH")


def test_case_pins_are_reemitted(qtbot: QtBot, wall: MonitoringWall) -> None:
    wall.set_cases([(42, "CZ-2026-000042", "violation", 2, 119.95, 31.78, "Night discharge")])
    pin = wall.map.cases[42]
    wall.map.centerOn(pin)
    pos = wall.map.mapFromScene(pin.pos())
    pos.setY(pos.y() - 18)
    with qtbot.waitSignal(wall.case_selected, timeout=2000) as signal:
        qtbot.mouseClick(wall.map.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args == [42]
    wall.select_case(42)
    assert wall.map.selected_case == 42


def test_outage_greys_every_part_and_says_since_when(
    qtbot: QtBot, wall: MonitoringWall, artifacts_dir: Path
) -> None:
    wall.select_station("AQ-N-01")
    qtbot.waitUntil(
        lambda: "PM2.5" in wall.trend.plots and bool(wall.trend.plots["PM2.5"].traces), timeout=3000
    )
    wall.grab().save(str(artifacts_dir / "wall.png"))
    since = NOW - timedelta(minutes=3)
    wall.set_feed_status(
        FeedStatus(ConnectionState.DOWN, since, "http://127.0.0.1:1", 5, "refused")
    )
    for text in (
        wall.overview.veil.text(),
        wall.trend.veil.text(),
        wall.compare.veil.text(),
        wall.map.banner_text(),
        wall.feed_label.text(),
    ):
        assert "13:57:00" in text
    assert all(m.fill == QColor(128, 128, 128) for m in wall.map.stations.values())
    wall.grab().save(str(artifacts_dir / "wall_outage.png"))
    wall.set_feed_status(FeedStatus(ConnectionState.CONNECTED, NOW, "http://127.0.0.1:1", 6))
    assert wall.overview.veil.text() == "" and not wall.map.in_outage
    assert any(m.fill != QColor(128, 128, 128) for m in wall.map.stations.values())


def test_indicators_from_daily_averages(
    qtbot: QtBot, registry: tuple[Station, ...], resources_dir: Path, artifacts_dir: Path
) -> None:
    """A year and a half of daily data: the figures on the tiles are the domain's figures."""
    rules = parse_indicator_rules((resources_dir / "rules" / "indicators.toml").read_text("utf-8"))
    source = MemorySeriesSource()
    start = datetime(2025, 1, 1, 4, 0, tzinfo=UTC)  # noon in Changzhou
    days = np.arange((date(2026, 11, 28) - date(2025, 1, 1)).days)
    t = start.timestamp() + days * 86400.0
    this_year = t >= datetime(2025, 12, 31, 16, 0, tzinfo=UTC).timestamp()
    for s in registry:
        if s.kind == "air_national":
            for p, v in (("SO2", 8.0), ("NO2", 30.0), ("CO", 0.7), ("PM10", 50.0)):
                source.add(s.id, p, "", t, np.full(len(t), v))
            source.add(s.id, "PM2.5", "µg/m³", t, np.where(this_year, 33.3, 36.4))
            hours = start.timestamp() - 12 * 3600 + np.arange(len(days) * 24) * 3600.0
            source.add(s.id, "O3", "µg/m³", hours, np.full(len(hours), 90.0))
        elif s.kind in ("water_national", "water_provincial"):
            tp = 0.045 if s.waterbody == "lake" else 0.15
            source.add(s.id, "TP", "mg/L", t, np.where(this_year, tp, tp + 0.025))
            source.add(s.id, "NH3-N", "mg/L", t, np.full(len(t), 0.4))
    result = compute_indicators(source, registry, rules, date(2026, 11, 28))
    figures = {i.key: i for i in result.indicators}
    assert (
        figures["pm25_ytd"].value == Decimal("33.3")
        and "−8.5 %" in figures["pm25_ytd"].comparison_zh
    )
    # PM2.5 33.3 → IAQI 48, O3-8h 90 → 45, PM10 50 → 50: every day is good.
    assert figures["good_days"].value == Decimal("100.0")
    assert figures["lake_tp:滆湖"].value == Decimal("-35.7")  # 0.045 vs 0.070
    assert figures["sections_national"].value is not None
    # DO, pH, CODMn were never measured in this source: reported as missing series, not a crash.
    assert result.failures and all("KeyError" in f for f in result.failures)

    wall = MonitoringWall(source, clock=lambda: NOW, rules=rules)
    qtbot.addWidget(wall)
    wall.resize(1600, 1000)  # room for every tile's whole value (a narrow one shortens it)
    wall.show()
    with qtbot.waitSignal(wall._runner.done, timeout=30000):
        wall.set_stations(registry)
    tile = wall.indicators.tiles["pm25_ytd"]
    assert tile.value.full_text() == "33.3 µg/m³"
    # Shown whole, or (a tile squeezed by a busy layout) shortened with the whole as its tip.
    assert tile.value.text() == "33.3 µg/m³" or tile.value.toolTip() == "33.3 µg/m³"
    assert "mean over YTD days" in tile.toolTip()
    assert tile.badge.text() in ("off target", "未达标")
    qtbot.wait(50)
    wall.indicators.grab().save(str(artifacts_dir / "wall_indicators.png"))


@pytest.fixture
def live_service(tmp_path: Path) -> Iterator[EmbeddedDataService]:
    service = EmbeddedDataService(
        tmp_path / "ds.db",
        simulate=True,
        backfill_hours=1,
        log_path=tmp_path / "ds.log",
        restart=False,
        ready_timeout_s=60,
    )
    service.start()
    try:
        yield service
    finally:
        service.stop()


def test_indicator_job_stops_fetching_once_the_wall_closes(
    registry: tuple[Station, ...], resources_dir: Path
) -> None:
    """Closing the desk sets the stop event: a running indicator job makes no further requests
    (against a data service that is gone, each one would wait on its retries)."""
    rules = parse_indicator_rules((resources_dir / "rules" / "indicators.toml").read_text("utf-8"))
    source = MemorySeriesSource()
    running = compute_indicators(source, registry, rules, date(2026, 11, 28))
    assert running.requests > 0
    stop = threading.Event()
    stop.set()
    stopped = compute_indicators(source, registry, rules, date(2026, 11, 28), stop)
    assert stopped.requests == 0


def test_end_to_end_with_the_real_data_service(
    qtbot: QtBot, live_service: EmbeddedDataService, artifacts_dir: Path
) -> None:
    url = live_service.url
    assert url is not None
    client = DataServiceClient(url, timeouts=ClientTimeouts(connect=2, read=10, total=30))
    series_client = DataServiceClient(url, timeouts=ClientTimeouts(connect=2, read=10, total=30))
    try:
        stations = client.stations()
        network = NetworkState()
        network.set_stations(stations)
        # The service is ready before its backfill is stored: wait for a national station's data.
        deadline = time.monotonic() + 60
        while True:
            latest = client.latest()
            have = {(o.station, o.parameter) for o in latest.items if o.value is not None}
            if ("AQ-N-01", "PM2.5") in have and ("AQ-N-01", "O3") in have:
                break
            assert time.monotonic() < deadline, "no backfilled data from the simulator in 60 s"
            time.sleep(0.5)
        network.apply(latest.items)
        wall = MonitoringWall(FeedSeriesSource(series_client, limit=50_000), redraw_interval_ms=50)
        qtbot.addWidget(wall)
        wall.resize(1600, 1000)
        wall.show()
        qtbot.waitExposed(wall)
        wall.apply_batch(StationsBatch(network.take_dirty(), latest.cursor, initial=True))
        qtbot.waitUntil(lambda: _settled(wall), timeout=5000)
        # The markers and the ranking say what the standards say of the service's latest values.
        anjia = network.snapshot("AQ-N-01")
        expected = status_of(anjia.station, anjia.readings)
        assert expected.label not in ("—", "?")
        assert wall.map.stations["AQ-N-01"].look.label.rstrip("*") == expected.label
        ranks = [wall.overview.model.status[s].rank_value for s in wall.overview.ranked_ids()]
        assert ranks == sorted(ranks, reverse=True)

        # The trend shows exactly the service's series.
        with qtbot.waitSignal(wall.trend.loaded, timeout=20000):
            wall.select_station("AQ-N-01")
        start, end, resolution = wall.trend.time_window()
        wire = client.series("AQ-N-01", "PM2.5", start.isoformat(), end.isoformat(), resolution)
        shown = wall.trend.plots["PM2.5"].traces["PM2.5"].series
        # The simulator is still backfilling: compare up to the last point the trend received.
        # A raw series holds the finest data kind present (docs/contracts.md: minute data replaces the
        # hourly backfill), so right after the first live minute it may hold a single point.
        points = [p for p in wire.points if p.time.timestamp() <= shown.times[-1]]
        assert len(shown) >= 1 and len(shown) == len(points)
        assert shown.times.tolist() == [p.time.timestamp() for p in points]
        normal = [p.value for p in points if p.flag == "N" and p.value is not None]
        _x, y = wall.trend.plots["PM2.5"].curve_data("PM2.5")
        assert sorted(y[np.isfinite(y)].tolist()) == sorted(normal)

        # Live: an observation sent over HJ 212 (real TCP) reaches the trend within 2 s of being
        # fetched from /updates.
        sent_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        port = live_service.status.hj212_port
        assert port is not None
        send(port, [packet(anjia.station, sent_at, 432.0)])
        page = client.updates(latest.cursor, limit=10_000)
        cursor = page.cursor
        items = list(page.items)
        while page.more:
            page = client.updates(cursor, limit=10_000)
            cursor = page.cursor
            items += page.items
        mine = [
            o
            for o in items
            if o.station == "AQ-N-01" and o.parameter == "PM2.5" and o.value == 432.0
        ]
        assert len(mine) == 1
        fetched = time.monotonic()
        wall.apply_observations(items)
        trace = wall.trend.plots["PM2.5"].traces
        qtbot.waitUntil(lambda: 432.0 in trace["PM2.5"].series.values.tolist(), timeout=2000)
        assert time.monotonic() - fetched < 2.0
        assert wall.trend.plots["PM2.5"].curve_data("PM2.5")[1][-1] == 432.0

        # Indicators from the same service, on the national air stations and the drinking-water
        # sources (the whole network is the same code with ~300 requests: too slow for this suite).
        rules = parse_indicator_rules(RULES_TEXT)
        drinking = {d.station for d in rules.drinking_water}
        subset = [s for s in stations if s.kind == "air_national" or s.id in drinking]
        result = compute_indicators(
            FeedSeriesSource(series_client, limit=50_000), subset, rules, wall.as_of()
        )
        assert result.failures == [] and result.requests >= 8 * 6 + 4 * 5
        figures = {i.key: i for i in result.indicators}
        assert set(figures) >= {"pm25_ytd", "good_days", "sections_national", "drinking_water"}
        wall.indicators.show_result(result)
        assert wall.indicators.tiles["pm25_ytd"].toolTip()
        wall.grab().save(str(artifacts_dir / "wall_live.png"))
        wall.shutdown()
    finally:
        client.close()
        series_client.close()


def test_the_wall_speaks_chinese_with_its_translation(
    qtbot: QtBot, qapp: object, registry: tuple[Station, ...], artifacts_dir: Path
) -> None:
    from PySide6.QtCore import QLocale

    from ui.shell import i18n
    from ui.shell.i18n import I18N_DIR, install_translators

    assert (I18N_DIR / "wall_zh_CN.qm").exists()
    saved_state, saved_locale = dict(i18n._STATE), QLocale()
    loaded = install_translators(qapp, "zh")  # type: ignore[arg-type]
    try:
        assert I18N_DIR / "wall_zh_CN.qm" in loaded
        wall = MonitoringWall(MemorySeriesSource(), clock=lambda: NOW, redraw_interval_ms=30)
        qtbot.addWidget(wall)
        wall.resize(1600, 1000)
        wall.show()
        wall.apply_batch(_batch(registry))
        qtbot.waitUntil(lambda: _settled(wall), timeout=3000)
        assert wall.charts.tabText(0) == "趋势" and wall.charts.tabText(1) == "对比"
        assert wall.overview.kind_box.currentText() == "空气：国控和省控"
        assert wall.trend.range_buttons["24h"].text() == "24 小时"
        assert wall.overview.model.headerData(1, Qt.Orientation.Horizontal) == "站点"
        wall.set_outage(NOW)
        assert "数据服务自" in wall.trend.veil.text()
        wall.grab().save(str(artifacts_dir / "wall_zh.png"))
        wall.shutdown()
    finally:
        # Back to exactly the state before: no translators, the same language and locale.
        for translator in list(i18n._STATE["translators"]):  # type: ignore[call-overload]
            qapp.removeTranslator(translator)  # type: ignore[attr-defined]
        i18n._STATE.clear()
        i18n._STATE.update(saved_state)
        QLocale.setDefault(saved_locale)


def test_sparklines_start_with_recent_history(
    wall: MonitoringWall, qtbot: QtBot, registry: tuple[Station, ...]
) -> None:
    # The fixture's source holds a day of minute PM2.5 for the first 12 stations, ending at NOW;
    # the live batch carries a reading at NOW: drawn once, with the live value, whichever of
    # the history and the live value reached the overview first.
    qtbot.waitUntil(lambda: not wall.sparklines_busy(), timeout=10000)
    with_history = registry[0]
    spark = list(wall.overview.model.sparks[with_history.id])
    t = NOW.timestamp() - np.arange(24 * 60)[::-1] * 60.0
    history = 30 + 10 * np.sin(np.arange(len(t)) / 100)
    live = wall.overview.model.status[with_history.id].headline_value
    assert spark == [*history[:-1][-119:].tolist(), live]
    # A station the source has nothing for keeps its live value alone.
    without = registry[-1]
    assert len(wall.overview.model.sparks[without.id]) == 1
