"""The live station table: row-wise updates that keep selection and scroll, flags, staleness,
filters, and the "data service down" state. Fed with the real registry (resources/stations.json)
through the feed's own coalescing (NetworkState), as the poller would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dispatch_app.feed.network_state import NetworkState, StationsBatch
from dispatch_app.feed.poller import ConnectionState, FeedStatus
from dispatch_app.feed.records import Observation, Station, parse_stations
from ui.stations.station_table import ROLE_STATION_ID, StationTableModel, StationTableView

NOW = datetime(2026, 11, 28, 6, 30, tzinfo=UTC)  # 14:30 in Changzhou


@pytest.fixture
def registry(resources_dir: Path) -> tuple[Station, ...]:
    return parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def view(qtbot: QtBot, clock: Clock) -> StationTableView:
    v = StationTableView(clock=clock)
    qtbot.addWidget(v)
    v.resize(1400, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def _observations(
    stations: tuple[Station, ...], minutes_ago: float, base: float, flag: str = "N"
) -> list[Observation]:
    t = NOW - timedelta(minutes=minutes_ago)
    return [
        Observation(s.id, p.key, t, base + i, flag, None)
        for i, s in enumerate(stations)
        for p in s.parameters
    ]


def _initial(net: NetworkState, registry: tuple[Station, ...]) -> StationsBatch:
    net.set_stations(registry)
    net.apply(_observations(registry, 0.5, 10.0))
    return StationsBatch(net.take_dirty(), 0, initial=True)


def test_initial_load_inserts_rows_without_reset(
    view: StationTableView, registry: tuple[Station, ...], qtbot: QtBot
) -> None:
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    view.apply_batch(_initial(NetworkState(), registry))
    assert view.model.rowCount() == len(registry)
    assert resets == []
    assert inserted == [(0, len(registry) - 1)]
    assert f"{len(registry)} of {len(registry)}" in view.count.text()
    # Registry order: national air stations first.
    first = view.model.snapshot(0).station
    assert first.kind == "air_national"
    assert view.model.index(0, 0).data() == (first.name_en or first.name)
    # The unit is in the header when all stations agree, per the registry.
    col = StationTableModel.FIRST_PARAM + view.model.parameters.index("PM2.5")
    assert view.model.headerData(col, Qt.Orientation.Horizontal) == "PM2.5\nµg/m³"


def test_live_update_is_row_wise_and_keeps_selection_and_scroll(
    view: StationTableView, registry: tuple[Station, ...], qtbot: QtBot
) -> None:
    net = NetworkState()
    view.apply_batch(_initial(net, registry))
    target = registry[150]
    assert view.select_station(target.id)
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0  # row 150 needed scrolling
    changed: list[tuple[int, int]] = []
    resets: list[int] = []
    view.model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row())))
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.layoutChanged.connect(lambda: resets.append(2))
    # Three stations report: 3, 4 and 200; 3 and 4 are adjacent, so two ranges.
    movers = (registry[3], registry[4], registry[200])
    net.apply(_observations(movers, 0.0, 99.0))
    view.apply_batch(StationsBatch(net.take_dirty(), 10))
    rows = sorted(view.model.row_of(s.id) or 0 for s in movers)
    assert sorted(changed) == [(rows[0], rows[1]), (rows[2], rows[2])]
    assert resets == []
    assert view.selected_station_ids() == [target.id]
    assert view.table.verticalScrollBar().value() == scroll
    key = registry[3].parameters[0].key
    col = StationTableModel.FIRST_PARAM + view.model.parameters.index(key)
    assert view.model.index(rows[0], col).data().startswith("99")


def test_selection_survives_updates_while_sorted_by_value(
    view: StationTableView, registry: tuple[Station, ...]
) -> None:
    net = NetworkState()
    view.apply_batch(_initial(net, registry))
    col = StationTableModel.FIRST_PARAM + view.model.parameters.index("PM2.5")
    view.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    air = tuple(s for s in registry if s.unit_of("PM2.5"))
    target = air[20]
    view.select_station(target.id)
    # The target jumps to the top of the sort; it must stay selected.
    net.apply([Observation(target.id, "PM2.5", NOW, 999.0, "N", 5)])
    view.apply_batch(StationsBatch(net.take_dirty(), 5))
    assert view.selected_station_ids() == [target.id]
    assert view.proxy.index(0, 0).data(ROLE_STATION_ID) == target.id


def test_flags_other_than_n_are_written_and_colored(
    view: StationTableView, registry: tuple[Station, ...]
) -> None:
    net = NetworkState()
    view.apply_batch(_initial(net, registry))
    st = next(s for s in registry if s.unit_of("PM2.5"))
    net.apply([Observation(st.id, "PM2.5", NOW, 42.0, "M", 7)])
    view.apply_batch(StationsBatch(net.take_dirty(), 7))
    row = view.model.row_of(st.id)
    assert row is not None
    col = StationTableModel.FIRST_PARAM + view.model.parameters.index("PM2.5")
    idx = view.model.index(row, col)
    assert idx.data() == "42 M"
    assert idx.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "maintenance" in idx.data(Qt.ItemDataRole.ToolTipRole)
    # A normal value next to it has no flag text and no background.
    other = view.model.index(row + 1, col)
    assert not other.data().endswith("N")
    assert other.data(Qt.ItemDataRole.BackgroundRole) is None


def test_staleness_text_turns_late_then_stale(
    view: StationTableView, registry: tuple[Station, ...], clock: Clock
) -> None:
    net = NetworkState()
    view.apply_batch(_initial(net, registry))
    air = next(s for s in registry if s.interval_s == 60)
    row = view.model.row_of(air.id)
    assert row is not None
    idx = view.model.index(row, view.model.col_updated)
    assert idx.data() == "just now"
    assert idx.data(Qt.ItemDataRole.BackgroundRole) is None
    # Minute data three minutes old is what an on-time station shows between two reports.
    clock.now = NOW + timedelta(minutes=2.5)
    view.model.refresh_staleness()
    assert idx.data() == "3 min ago"
    assert idx.data(Qt.ItemDataRole.BackgroundRole) is None
    clock.now = NOW + timedelta(minutes=5)
    view.model.refresh_staleness()
    assert idx.data() == "late · 5 min ago"
    late_bg = idx.data(Qt.ItemDataRole.BackgroundRole)
    assert late_bg is not None
    clock.now = NOW + timedelta(minutes=40)
    view.model.refresh_staleness()
    assert idx.data() == "stale · 40 min ago"
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() != late_bg.color()
    # A water section is judged by its own four-hour schedule: five hours old is late.
    water = next(s for s in registry if s.kind == "water_national")
    wrow = view.model.row_of(water.id)
    assert wrow is not None
    widx = view.model.index(wrow, view.model.col_updated)
    clock.now = NOW + timedelta(hours=4)
    view.model.refresh_staleness()
    assert widx.data() == "4 h ago"
    clock.now = NOW + timedelta(hours=5)
    view.model.refresh_staleness()
    assert widx.data() == "late · 5 h ago"


def test_filters_by_kind_and_district_and_hide_unmeasured_columns(
    view: StationTableView, registry: tuple[Station, ...]
) -> None:
    view.apply_batch(_initial(NetworkState(), registry))
    view.set_kind_filter("water")
    water = [s for s in registry if s.kind.startswith("water")]
    assert view.proxy.rowCount() == len(water)
    pm_col = StationTableModel.FIRST_PARAM + view.model.parameters.index("PM2.5")
    tp_col = StationTableModel.FIRST_PARAM + view.model.parameters.index("TP")
    assert view.table.isColumnHidden(pm_col)
    assert not view.table.isColumnHidden(tp_col)
    view.set_district_filter("wujin")
    assert view.proxy.rowCount() == sum(1 for s in water if s.district == "wujin")
    view.set_kind_filter("all")
    view.set_district_filter(None)
    assert view.proxy.rowCount() == len(registry)
    with pytest.raises(ValueError):
        view.set_kind_filter("volcano")


def test_feed_down_greys_the_table_and_says_since_when(
    view: StationTableView, registry: tuple[Station, ...], qtbot: QtBot
) -> None:
    view.apply_batch(_initial(NetworkState(), registry))
    since = datetime(2026, 11, 28, 6, 2, tzinfo=UTC)  # 14:02 Beijing time
    down = FeedStatus(ConnectionState.DOWN, since, "http://x", 0, last_error="refused")
    changed: list[int] = []
    view.model.dataChanged.connect(lambda *_: changed.append(1))
    view.set_feed_status(down)
    assert view.banner.isVisible()
    assert "14:02" in view.banner_text.text()
    grey = view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert grey is not None
    value_col = StationTableModel.FIRST_PARAM + view.model.parameters.index("PM2.5")
    assert view.model.index(0, value_col).data(Qt.ItemDataRole.ForegroundRole) == grey
    assert changed == [1]
    view.set_feed_status(FeedStatus(ConnectionState.CONNECTED, NOW, "http://x", 0))
    assert not view.banner.isVisible()
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_stations_leaving_the_registry_are_removed_row_by_row(
    view: StationTableView, registry: tuple[Station, ...]
) -> None:
    view.apply_batch(_initial(NetworkState(), registry))
    keep = registry[:-2]
    removed: list[int] = []
    view.model.rowsRemoved.connect(lambda _p, a, _b: removed.append(a))
    view.apply_batch(_initial(NetworkState(), keep))
    assert view.model.rowCount() == len(keep)
    assert len(removed) == 2


def test_screenshot(
    view: StationTableView, registry: tuple[Station, ...], artifacts_dir: Path
) -> None:
    net = NetworkState()
    view.apply_batch(_initial(net, registry))
    net.apply([Observation(registry[1].id, "PM2.5", NOW, 75.0, "D", 1)])
    view.apply_batch(StationsBatch(net.take_dirty(), 1))
    assert view.grab().save(str(artifacts_dir / "station_table.png"))
