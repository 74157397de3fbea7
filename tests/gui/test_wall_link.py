"""The wall joined to the desk: the open cases on the map from the workspace's queue data, kept
current by the desk's change events, and one selection across map, queue, case panel and
alarms. A real desk on a real SQLite file, the real wall, the real alarm desk."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPointF, Qt
from pytestqt.qtbot import QtBot

from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.domain.cases import CaseKind, Priority
from dispatch_app.feed.records import parse_stations
from dispatch_app.resources import resources_dir
from tests.gui.conftest import PASSWORD, Session, draft, open_desk, run, seed_users, settle
from ui.wall.charts.series import MemorySeriesSource
from ui.wall.link import WallLink
from ui.wall.monitoring_wall import MonitoringWall

RESOURCES = resources_dir()
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
PLACES = [(119.95, 31.78), (119.55, 31.43), (119.97, 31.70), (119.40, 31.75)]


def seed_located_cases(url: str) -> list[int]:
    """Four open cases with a location, one without, one cancelled with a location."""
    d = open_desk(url)
    try:
        d.login("officer", PASSWORD)
        ids = []
        for i, (lon, lat) in enumerate(PLACES):
            case = d.create_case(
                draft(
                    list(CaseKind)[i],
                    title=f"定位事项 {i}",
                    priority=list(Priority)[i],
                    lon=lon,
                    lat=lat,
                )
            )
            ids.append(case.id)
        ids.append(d.create_case(draft(title="无位置事项")).id)
        gone = d.create_case(draft(title="已撤销事项", lon=119.9, lat=31.8))
        d.cancel(gone.id, "重复登记")
        ids.append(gone.id)
        return ids
    finally:
        d.close()


@pytest.fixture
def linked(
    qtbot: QtBot, sessions: Callable[..., Session], sqlite_url: str, tmp_path: Path
) -> Iterator[tuple[Session, MonitoringWall, WallLink, list[int]]]:
    seed_users(sqlite_url)
    ids = seed_located_cases(sqlite_url)
    s = sessions(sqlite_url, "officer")
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    rules = tmp_path / "alarms.toml"
    shutil.copy(RESOURCES / "rules" / "alarms.toml", rules)
    water = [e for e in doc["stations"] if e["kind"].startswith("water_")]
    alarm_desk = AlarmDesk.open(s.desk, rules_path=rules, stations=water)
    alarms = s.workspace.install_alarms(alarm_desk, evaluate_every_ms=3_600_000)
    wall = MonitoringWall(MemorySeriesSource(), clock=lambda: NOW, redraw_interval_ms=30)
    title = QCoreApplication.translate("MonitoringWall", "Monitoring wall")
    s.workspace.window.add_view("wall", wall, "center", title)
    s.workspace.window.show_view("wall")
    wall.set_stations(parse_stations(doc))
    s.workspace.attach_wall(wall)
    link = s.workspace.wall_link
    qtbot.waitUntil(lambda: link.loads >= 1, timeout=10000)
    yield s, wall, link, ids
    alarms.shutdown()
    wall.shutdown()


def _reloaded(qtbot: QtBot, link: WallLink, before: int) -> None:
    qtbot.waitUntil(lambda: link.loads > before, timeout=10000)


def test_open_cases_appear_on_the_map_and_follow_the_desks_changes(
    qtbot: QtBot, linked: tuple[Session, MonitoringWall, WallLink, list[int]]
) -> None:
    s, wall, link, ids = linked
    located, unlocated, cancelled = ids[:4], ids[4], ids[5]
    assert set(wall.map.cases) == set(located)
    for case_id, (lon, lat) in zip(located, PLACES, strict=True):
        item = wall.map.cases[case_id]
        assert item.pos() == QPointF(*wall.map.projection.to_scene(lon, lat))
    assert {wall.map.cases[i].case.kind for i in located} == {k.value for k in CaseKind}
    assert [wall.map.cases[i].case.priority for i in located] == [1, 2, 3, 4]
    assert unlocated not in wall.map.cases and cancelled not in wall.map.cases
    # A new case with a location (this workstation): on the map after its event.
    before = link.loads
    new = s.desk.create_case(draft(title="新增定位事项", lon=119.7, lat=31.6))
    _reloaded(qtbot, link, before)
    assert new.id in wall.map.cases
    # Moved: the pin follows.
    before = link.loads
    s.desk.edit_case(new.id, new.version, {"lon": 119.8, "lat": 31.65})
    _reloaded(qtbot, link, before)
    assert wall.map.cases[new.id].pos() == QPointF(*wall.map.projection.to_scene(119.8, 31.65))
    # Cancelled on another workstation (the change feed): the pin goes.
    s.desk.start_change_feed(poll_interval_s=0.1)
    other = open_desk(s.desk.store.url)
    try:
        other.login("leader", PASSWORD)
        before = link.loads
        other.cancel(located[0], "已处理")
    finally:
        other.close()
    _reloaded(qtbot, link, before)
    assert located[0] not in wall.map.cases


def test_selection_links_queue_map_and_case_panel(
    qtbot: QtBot, linked: tuple[Session, MonitoringWall, WallLink, list[int]]
) -> None:
    s, wall, _link, ids = linked
    ws = s.workspace
    # Queue → map: selected and centred (on a map zoomed in, where centring means something).
    wall.map.zoom_by(4)
    target = ids[1]
    assert ws.queue.select_case(target)
    qtbot.waitUntil(lambda: wall.map.selected_case == target, timeout=3000)
    centre = wall.map.mapToScene(wall.map.viewport().rect().center())
    pin = wall.map.cases[target].pos()
    assert abs(centre.x() - pin.x()) < 5 and abs(centre.y() - pin.y()) < 5
    # Map → queue and case panel: a click on another pin.
    other = ids[2]
    item = wall.map.cases[other]
    wall.map.centerOn(item)
    pos = wall.map.mapFromScene(item.pos()) + QPointF(0, -16).toPoint()
    with qtbot.waitSignal(wall.case_selected, timeout=2000):
        qtbot.mouseClick(wall.map.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: ws.queue.current_case_id() == other, timeout=3000)
    settle(qtbot, ws)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == other, timeout=5000)
    assert wall.map.selected_case == other


def _water(station: str, nh3n: float) -> list[tuple[Any, ...]]:
    now = datetime.now(UTC)
    return [
        (station, "pH", now, 7.4, "N"),
        (station, "DO", now, 7.0, "N"),
        (station, "CODMn", now, 3.0, "N"),
        (station, "NH3-N", now, nh3n, "N"),
        (station, "TP", now, 0.08, "N"),
    ]


def test_selecting_an_alarm_selects_its_station_and_its_case(
    qtbot: QtBot, linked: tuple[Session, MonitoringWall, WallLink, list[int]]
) -> None:
    s, wall, _link, _ids = linked
    alarms = s.workspace.alarms
    desk = alarms.alarm_desk
    for station, value in (("WQ-N-01", 3.0), ("WQ-B-01", 3.0)):
        desk.feed(_water(station, value))
    run(qtbot, alarms.evaluate_now())
    qtbot.waitUntil(lambda: alarms.panel.model.rowCount() == 2, timeout=5000)
    # The panel's own first-row choice moves nothing else.
    assert wall.map.selected_station is None
    national = "water-national-below-target@WQ-N-01"
    with_case = desk.get(national)
    qtbot.waitUntil(lambda: desk.get(national).case_id is not None, timeout=5000)
    case_id = int(desk.get(national).case_id or 0)
    assert with_case is not None
    # The officer moves to the national section's alarm: its station on the map, centred, and
    # its case in the queue and the panel.
    wall.map.zoom_by(4)
    boundary = "water-below-target@WQ-B-01"
    assert alarms.panel.select(boundary)
    qtbot.waitUntil(lambda: wall.map.selected_station == "WQ-B-01", timeout=3000)
    assert alarms.panel.select(national)
    qtbot.waitUntil(lambda: wall.map.selected_station == "WQ-N-01", timeout=3000)
    centre = wall.map.mapToScene(wall.map.viewport().rect().center())
    station = wall.map.stations["WQ-N-01"].pos()
    assert abs(centre.x() - station.x()) < 5 and abs(centre.y() - station.y()) < 5
    qtbot.waitUntil(
        lambda: s.workspace.detail is not None and s.workspace.detail.case.id == case_id,
        timeout=5000,
    )
