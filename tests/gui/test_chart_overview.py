"""The network overview: ranking by AQI and water class, filters, live row updates, clicks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from dispatch_app.feed.network_state import Reading
from dispatch_app.feed.records import Station, parse_stations
from ui.wall.charts.overview import COL_LEVEL, NetworkOverview
from ui.wall.charts.ranking import status_of

T = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def registry(resources_dir: Path) -> tuple[Station, ...]:
    return parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))


def _air(pm25: float, o3: float = 60.0, flag: str = "N", t: datetime = T) -> dict[str, Reading]:
    values = {"SO2": 8.0, "NO2": 30.0, "CO": 0.6, "O3": o3, "PM10": 40.0, "PM2.5": pm25}
    return {k: Reading(t, v, flag if k == "PM2.5" else "N", None) for k, v in values.items()}


@pytest.fixture
def overview(qtbot: QtBot, registry: tuple[Station, ...]) -> NetworkOverview:
    widget = NetworkOverview(redraw_interval_ms=30)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_stations(registry)
    return widget


def test_status_of_air_and_water(registry: tuple[Station, ...]) -> None:
    anjia = next(s for s in registry if s.id == "AQ-N-01")
    status = status_of(anjia, _air(80.0))
    # HJ 633—2026: PM2.5 80 → IAQI 60..115 segment: 100 + 50 × 20/55 = 118.2 → 119.
    assert status.label == "119" and status.color == (255, 126, 0)
    assert "PM2.5" in status.detail_zh and not status.partial
    # A flagged PM2.5 value does not count: AQI from the other five, not publishable.
    flagged = status_of(anjia, _air(300.0, flag="M"))
    assert flagged.partial and "PM2.5" not in flagged.detail_en.split("only ")[0]
    assert status_of(anjia, {}).label == "—"
    lake = next(s for s in registry if s.waterbody == "lake" and s.target_class == 3)
    readings = {
        "TP": Reading(T, 0.08, "N", None),  # lake TP 0.08: class Ⅳ, 0.6× over Ⅲ (0.05)
        "NH3-N": Reading(T, 0.4, "N", None),
        "DO": Reading(T, 7.0, "N", None),
        "water_temp": Reading(T, 14.0, "N", None),
    }
    water = status_of(lake, readings)
    assert water.label == "Ⅳ" and "TP 超标 0.60 倍" in water.detail_zh
    assert (
        water.rank_value
        > status_of(lake, {**readings, "TP": Reading(T, 0.04, "N", None)}).rank_value
    )
    bad = status_of(lake, {"pH": Reading(T, 15.0, "N", None)})
    assert bad.label == "?" and "pH" in bad.level_en


def test_ranked_worst_first_with_level_colors(qtbot: QtBot, overview: NetworkOverview) -> None:
    overview.update_readings({"AQ-N-01": _air(30.0), "AQ-N-02": _air(160.0), "AQ-N-03": _air(70.0)})
    qtbot.waitUntil(lambda: overview.gate.redraw_count >= 1, timeout=2000)
    ranked = overview.ranked_ids()
    assert ranked[:3] == ["AQ-N-02", "AQ-N-03", "AQ-N-01"]
    assert len(ranked) == 12  # national and provincial air stations by default
    first = overview.row_text(0)
    assert first[0] == "1" and first[3].startswith("AQI 2")
    level = overview.model.index(0, COL_LEVEL)
    assert level.data(Qt.ItemDataRole.BackgroundRole).color() == QColor(153, 0, 76)  # 重度污染
    assert "重度污染" in first[3] or "Heavily" in first[3]
    assert "12 stations, 9 without valid data" in overview.count_label.text()


def test_filters_by_kind_and_district(
    overview: NetworkOverview, registry: tuple[Station, ...]
) -> None:
    overview.set_filter("water_national")
    assert len(overview.ranked_ids()) == 20
    overview.set_filter("air_grid", "liyang")
    expected = {s.id for s in registry if s.kind == "air_grid" and s.district == "liyang"}
    assert set(overview.ranked_ids()) == expected and expected
    overview.kind_box.setCurrentIndex(overview.kind_box.findData("water"))
    overview.district_box.setCurrentIndex(0)
    assert len(overview.ranked_ids()) == 78
    with pytest.raises(ValueError, match="unknown kind group"):
        overview.set_filter("noise")


def test_live_update_keeps_selection_and_click_opens(
    qtbot: QtBot, overview: NetworkOverview
) -> None:
    overview.update_readings({"AQ-N-01": _air(30.0), "AQ-N-02": _air(90.0)})
    qtbot.waitUntil(lambda: overview.gate.redraw_count >= 1, timeout=2000)
    assert overview.select_station("AQ-N-01")
    resets: list[int] = []
    overview.model.modelReset.connect(lambda: resets.append(1))
    # AQ-N-01 gets worse and moves to the top: it stays selected, no reset happens.
    count = overview.gate.redraw_count
    overview.update_readings({"AQ-N-01": _air(200.0, t=T + timedelta(minutes=1))})
    qtbot.waitUntil(lambda: overview.gate.redraw_count > count, timeout=2000)
    assert overview.ranked_ids()[0] == "AQ-N-01"
    assert overview.selected_station() == "AQ-N-01" and resets == []
    # Sparkline history: one point per new reading time.
    assert overview.model.sparks["AQ-N-01"] == __import__("collections").deque(
        [30.0, 200.0], maxlen=120
    )
    rect = overview.view.visualRect(overview.model.index(1, 1))
    with qtbot.waitSignal(overview.station_activated, timeout=1000) as signal:
        qtbot.mouseClick(overview.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [overview.ranked_ids()[1]]
    assert not overview.select_station("NO-SUCH")


def test_hidden_overview_does_not_redraw(qtbot: QtBot, overview: NetworkOverview) -> None:
    overview.hide()
    overview.update_readings({"AQ-N-01": _air(30.0)})
    qtbot.wait(120)
    assert overview.gate.redraw_count == 0 and overview.model.status["AQ-N-01"].label == "—"
    overview.show()
    qtbot.waitUntil(lambda: overview.gate.redraw_count == 1, timeout=2000)
    assert overview.model.status["AQ-N-01"].label != "—"


def test_overview_screenshot_and_outage(
    qtbot: QtBot, overview: NetworkOverview, registry: tuple[Station, ...], artifacts_dir: Path
) -> None:
    levels = [20.0, 50.0, 80.0, 130.0, 200.0, 300.0]
    overview.update_readings(
        {s.id: _air(levels[i % 6]) for i, s in enumerate(registry) if s.kind.startswith("air")}
    )
    for s in registry[:12]:
        overview.model.seed_spark(s.id, [10.0, 20.0, 15.0, 30.0, 25.0, 40.0])
    overview.gate.flush()
    overview.grab().save(str(artifacts_dir / "overview.png"))
    overview.set_outage(T)
    assert "14:00:00" in overview.veil.text()
    overview.grab().save(str(artifacts_dir / "overview_outage.png"))


def test_ranking_stays_sorted_when_every_station_changes_at_once(
    qtbot: QtBot, overview: NetworkOverview, registry: tuple[Station, ...]
) -> None:
    import random

    rng = random.Random(1)
    overview.set_filter("air")
    for step in range(3):
        overview.update_readings(
            {
                s.id: _air(rng.uniform(5, 260), t=T + timedelta(minutes=step))
                for s in registry
                if s.kind.startswith("air")
            }
        )
        overview.gate.flush()
        ranks = [overview.model.status[s].rank_value for s in overview.ranked_ids()]
        assert ranks == sorted(ranks, reverse=True)


def test_status_agrees_with_the_exact_hourly_report(registry: tuple[Station, ...]) -> None:
    import random

    from dispatch_app.standards import aqi

    rng = random.Random(7)
    anjia = next(s for s in registry if s.id == "AQ-N-01")
    for _ in range(300):
        readings = _air(rng.uniform(0, 520), o3=rng.uniform(0, 1300))
        values = {k: r.value for k, r in readings.items()}
        exact = aqi.hourly_report(values, standard=aqi.HJ633_2026)
        status = status_of(anjia, readings)
        assert status.label == str(exact.aqi if exact.aqi is not None else exact.computed_aqi)
        assert status.color == exact.level.color if exact.level else True


def test_rank_column_numbers_the_rows_as_shown(overview: NetworkOverview) -> None:
    from PySide6.QtWidgets import QStyleOptionViewItem

    from ui.wall.charts.overview import COL_RANK

    overview.update_readings({"AQ-N-01": _air(150.0), "AQ-N-02": _air(20.0)})
    overview.gate.flush()
    delegate = overview.view.itemDelegateForColumn(COL_RANK)
    for row in (0, 1, 5):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, overview.model.index(row, COL_RANK))
        assert option.text == str(row + 1)
        assert overview.row_text(row)[0] == str(row + 1)
    assert overview.ranked_ids()[0] == "AQ-N-01"


def test_equal_ranks_keep_registry_order(
    qtbot: QtBot, overview: NetworkOverview, registry: tuple[Station, ...]
) -> None:
    overview.set_filter("air")
    air = [s.id for s in registry if s.kind.startswith("air")]
    # First shuffled by distinct values, then all equal: registry order again, not the last one.
    first = air[:6]
    overview.update_readings({sid: _air(20.0 + 40 * i) for i, sid in enumerate(first)})
    overview.gate.flush()
    qtbot.waitUntil(lambda: overview.ranked_ids()[:6] == first[::-1], timeout=3000)
    later = T + timedelta(minutes=1)
    overview.update_readings({sid: _air(35.0, t=later) for sid in first})
    overview.gate.flush()
    qtbot.waitUntil(lambda: overview.ranked_ids() == air, timeout=3000)


def test_seeded_history_and_live_value_at_the_same_time_drawn_once(
    overview: NetworkOverview,
) -> None:
    # History arrives first and ends at T; the live reading at T then stands for that point.
    overview.model.seed_spark("AQ-N-01", [10.0, 20.0, 30.0], until=T)
    overview.update_readings({"AQ-N-01": _air(44.0, t=T)})
    overview.gate.flush()
    assert list(overview.model.sparks["AQ-N-01"]) == [10.0, 20.0, 44.0]
    overview.update_readings({"AQ-N-01": _air(50.0, t=T + timedelta(minutes=1))})
    overview.gate.flush()
    assert list(overview.model.sparks["AQ-N-01"]) == [10.0, 20.0, 44.0, 50.0]


def test_live_update_moves_rows_only_when_the_order_changes(
    qtbot: QtBot, overview: NetworkOverview
) -> None:
    from ui.wall.charts.overview import COL_SPARK

    overview.update_readings({"AQ-N-01": _air(30.0), "AQ-N-02": _air(90.0)})
    overview.gate.flush()
    layouts: list[int] = []
    changed: list[tuple[int, int]] = []
    overview.model.layoutChanged.connect(lambda: layouts.append(1))
    overview.model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    # Worse, but still second: the row changes in place, nothing moves.
    second = T + timedelta(minutes=1)
    overview.update_readings({"AQ-N-01": _air(40.0, t=second)})
    overview.gate.flush()
    assert overview.ranked_ids()[:2] == ["AQ-N-02", "AQ-N-01"]
    assert layouts == [] and changed == [(1, 1)]
    # The sparkline painted reads the new value: its cell differs from before.
    rect = overview.view.visualRect(overview.model.index(1, COL_SPARK))
    before = overview.view.viewport().grab(rect).toImage()
    overview.update_readings({"AQ-N-01": _air(60.0, t=second + timedelta(minutes=1))})
    overview.gate.flush()
    assert layouts == []
    qtbot.waitUntil(lambda: overview.view.viewport().grab(rect).toImage() != before, timeout=2000)
    # Now the worst: one layout change, and the rank column numbers it 1.
    overview.update_readings({"AQ-N-01": _air(200.0, t=second + timedelta(minutes=2))})
    overview.gate.flush()
    assert layouts == [1] and overview.ranked_ids()[0] == "AQ-N-01"
    assert overview.row_text(0)[0] == "1" and overview.row_text(1)[0] == "2"
    # Readings identical to those shown change nothing at all.
    changed.clear()
    overview.update_readings({"AQ-N-01": _air(200.0, t=second + timedelta(minutes=2))})
    overview.gate.flush()
    assert layouts == [1] and changed == []


def test_filter_change_keeps_the_selected_station(
    overview: NetworkOverview, registry: tuple[Station, ...]
) -> None:
    assert overview.select_station("AQ-N-03")
    overview.set_filter("air")
    assert overview.selected_station() == "AQ-N-03"
    overview.set_filter("water")
    assert overview.selected_station() is None and not overview.select_station("AQ-N-03")
    assert set(overview.ranked_ids()) == {s.id for s in registry if s.kind.startswith("water")}
