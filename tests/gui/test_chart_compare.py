"""Compare: up to eight stations on one parameter, linked axes, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from dispatch_app.feed.records import Observation, Station, parse_stations
from ui.wall.charts.compare import CompareChart
from ui.wall.charts.series import MemorySeriesSource

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def registry(resources_dir: Path) -> dict[str, Station]:
    stations = parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))
    return {s.id: s for s in stations}


@pytest.fixture
def air(registry: dict[str, Station]) -> list[Station]:
    return [s for s in registry.values() if s.kind == "air_national"]


@pytest.fixture
def chart(qtbot: QtBot, air: list[Station]) -> CompareChart:
    source = MemorySeriesSource()
    t = NOW.timestamp() - np.arange(24 * 60)[::-1] * 60.0
    for i, station in enumerate(air):
        source.add(
            station.id, "PM2.5", "µg/m³", t, 20 + 10 * i + 5 * np.sin(np.arange(len(t)) / 60)
        )
        source.add(station.id, "O3", "µg/m³", t, np.full(len(t), 50.0 + i))
    widget = CompareChart(source, clock=lambda: NOW, redraw_interval_ms=30)
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.set_stations(air[:3], "PM2.5")  # three rows keep this suite fast; eight below
    return widget


def test_eight_stations_one_row_each_with_linked_axes(
    qtbot: QtBot, chart: CompareChart, air: list[Station], artifacts_dir: Path
) -> None:
    with qtbot.waitSignal(chart.loaded, timeout=10000):
        chart.set_stations(air, "PM2.5")
    assert list(chart.rows) == [s.id for s in air] and len(air) == 8
    for i, station in enumerate(air):
        plot = chart.rows[station.id]
        y = plot.curve_data(station.id)[1]
        assert np.nanmean(y) == pytest.approx(20 + 10 * i, abs=1.0)
    first, last = chart.rows[air[0].id], chart.rows[air[-1].id]
    first.plot_item.setXRange(NOW.timestamp() - 3600, NOW.timestamp(), padding=0)
    assert last.time_range() == pytest.approx((NOW.timestamp() - 3600, NOW.timestamp()))
    # One value scale for all rows: the lowest and the highest station both fit.
    (_, y1) = last.plot_item.viewRange()[1]
    assert y1 >= 20 + 10 * 7 + 5
    chart.grab().save(str(artifacts_dir / "compare.png"))


def test_parameter_and_range_change_reload_every_row(
    qtbot: QtBot, chart: CompareChart, air: list[Station]
) -> None:
    with qtbot.waitSignal(chart.loaded, timeout=5000):
        chart.parameter_box.setCurrentText("O3")
    assert chart.parameter == "O3"
    assert np.nanmax(chart.rows[air[2].id].curve_data(air[2].id)[1]) == 52.0
    # O3 1-hour GB 3095 limit line on every row.
    assert all(plot.line_values() == [200.0] for plot in chart.rows.values())
    with qtbot.waitSignal(chart.loaded, timeout=5000):
        chart.set_range("7d")
    assert chart.rows[air[0].id].traces[air[0].id].series.resolution == "hour"


def test_bad_input_is_refused_and_changes_nothing(
    chart: CompareChart, air: list[Station], registry: dict[str, Station]
) -> None:
    township = [s for s in registry.values() if s.kind == "air_township"]
    with pytest.raises(ValueError, match="At most 8"):
        chart.set_stations(air + township[:1])
    with pytest.raises(ValueError, match="twice"):
        chart.set_stations([air[0], air[0]])
    water = next(s for s in registry.values() if s.kind == "water_national")
    with pytest.raises(ValueError, match="no parameter in common"):
        chart.set_stations([air[0], water])
    with pytest.raises(ValueError, match="Not every station"):
        chart.set_stations(air[:2], "TP")
    assert [s.id for s in chart.stations] == [s.id for s in air[:3]] and chart.parameter == "PM2.5"


def test_remove_add_and_live(qtbot: QtBot, chart: CompareChart, air: list[Station]) -> None:
    with qtbot.waitSignal(chart.loaded, timeout=5000):
        chart.remove_station(air[1].id)
    assert list(chart.rows) == [air[0].id, air[2].id]
    with qtbot.waitSignal(chart.loaded, timeout=5000):
        chart.add_station(air[1])
    assert list(chart.rows) == [air[0].id, air[2].id, air[1].id]
    t = NOW + timedelta(seconds=20)
    assert (
        chart.append_observations(
            [
                Observation(air[2].id, "PM2.5", t, 99.0, "N"),
                Observation(air[2].id, "O3", t, 1.0, "N"),
            ]
        )
        == 1
    )
    qtbot.waitUntil(lambda: chart.gate.redraw_count >= 1, timeout=2000)
    assert chart.rows[air[2].id].traces[air[2].id].series.values[-1] == 99.0


def test_live_values_keep_one_value_scale_for_every_row(
    qtbot: QtBot, chart: CompareChart, air: list[Station]
) -> None:
    (_, top) = chart.rows[air[0].id].plot_item.viewRange()[1]
    assert top >= 45  # the highest row (40 ± 5) fits
    count = chart.gate.redraw_count
    # A live value on the middle row, within its own range: the scale shared by the rows stays.
    chart.append_observations(
        [Observation(air[1].id, "PM2.5", NOW + timedelta(seconds=20), 31.0, "N")]
    )
    qtbot.waitUntil(lambda: chart.gate.redraw_count > count, timeout=2000)
    assert chart.rows[air[1].id].traces[air[1].id].series.values[-1] == 31.0
    for plot in chart.rows.values():
        (low, high) = plot.plot_item.viewRange()[1]
        assert low <= 15 and high >= 45
