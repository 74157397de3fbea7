"""An emergency's type, place and affected area in a real window on a real SQLite desk: the
officer sets the type, draws a circle or a polygon on the monitoring wall's map with the mouse,
proposes the affected stations from the area and edits the list; a stale version loses nothing.
Screenshots in tests/artifacts/."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Qt
from PySide6.QtWidgets import QGraphicsView
from pytestqt.qtbot import QtBot

from dispatch_app.desk.emergencies import (
    EmergencyDesk,
    EmergencyResources,
    EmergencyView,
    load_emergency_resources,
)
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.emergencies import Circle, EmergencyType, Figures, Polygon
from dispatch_app.domain.emergency_stations import distance_km
from dispatch_app.feed.records import parse_stations
from dispatch_app.resources import resources_dir
from tests.gui.conftest import PASSWORD, Session, draft, open_desk, seed_users, settle, type_text
from tests.gui.test_emergency_ui import open_station, seed_emergency, select
from ui.emergencies.integration import EmergencyIntegration, stations_inside
from ui.shell.screenshots import save
from ui.wall.charts.series import MemorySeriesSource
from ui.wall.map.view import MapView
from ui.wall.monitoring_wall import MonitoringWall

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()
BENNIU = (119.82, 31.875)  # WQ-B-01 奔牛 on the Grand Canal
NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def resources() -> EmergencyResources:
    return load_emergency_resources(RESOURCES)


@pytest.fixture
def station_with_wall(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources: EmergencyResources,
) -> Iterator[Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]]]:
    """Opens a workstation with the emergency part and a monitoring wall hosted the way
    Workspace.attach_feed hosts it (a "wall" view in the window's tabs)."""
    walls: list[MonitoringWall] = []
    registry = parse_stations(json.loads((RESOURCES / "stations.json").read_text("utf-8")))

    def make(username: str = "officer") -> tuple[Session, EmergencyIntegration, MonitoringWall]:
        s, em = open_station(sessions, sqlite_url, username, resources)
        wall = MonitoringWall(MemorySeriesSource(), clock=lambda: NOW, redraw_interval_ms=30)
        walls.append(wall)
        title = QCoreApplication.translate("MonitoringWall", "Monitoring wall")
        s.workspace.window.add_view("wall", wall, "center", title)
        s.workspace.attach_wall(wall)  # as Workspace.attach_feed does with the live feed's
        s.workspace.window.tabs.setCurrentWidget(wall)
        wall.set_stations(registry)
        qtbot.waitUntil(lambda: wall.map.isVisible(), timeout=5000)
        return s, em, wall

    yield make
    for wall in walls:
        wall.shutdown()


def point(view: MapView, lon: float, lat: float) -> QPoint:
    return view.mapFromScene(QPointF(*view.projection.to_scene(lon, lat)))


def zoom_on(view: MapView, lon: float, lat: float, factor: float = 12.0) -> None:
    """As an officer would: zoom into the place before drawing on it."""
    view.fit_city()
    view.zoom_by(factor)
    view.centerOn(QPointF(*view.projection.to_scene(lon, lat)))


def draw_circle(
    qtbot: QtBot, view: MapView, centre: tuple[float, float], edge: tuple[float, float]
) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(view, *centre))
    mid = ((centre[0] + edge[0]) / 2, (centre[1] + edge[1]) / 2)
    qtbot.mouseMove(viewport, pos=point(view, *mid))
    qtbot.mouseMove(viewport, pos=point(view, *edge))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(view, *edge))


def stored(s: Session, em: EmergencyIntegration, case_id: int) -> EmergencyView:
    return em.emergencies.get(case_id)


def log_texts(em: EmergencyIntegration, case_id: int) -> list[str]:
    return [e.text for e in em.emergencies.log_entries(case_id)]


def test_stations_inside_an_area(resources: EmergencyResources) -> None:
    circle = Circle(*BENNIU, 500.0)
    assert stations_inside(resources.stations, circle, EmergencyType.WATER_POLLUTION) == ["WQ-B-01"]
    assert "WQ-B-01" not in stations_inside(resources.stations, circle, EmergencyType.AIR_POLLUTION)
    ring = ((119.81, 31.87), (119.83, 31.87), (119.83, 31.88), (119.81, 31.88), (119.81, 31.87))
    assert stations_inside(resources.stations, Polygon(ring), EmergencyType.OTHER) == ["WQ-B-01"]
    assert stations_inside(resources.stations, None, EmergencyType.OTHER) == []


def test_officer_sets_the_type_and_wind_of_an_emergency_from_the_case_form(
    qtbot: QtBot,
    station_with_wall: Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]],
    sqlite_url: str,
) -> None:
    seed_users(sqlite_url)
    d = open_desk(sqlite_url)
    try:
        d.login("officer", PASSWORD)
        case_id = d.create_case(
            draft(CaseKind.EMERGENCY, title="新北区化工园区异味", lon=119.97, lat=31.88)
        ).id
    finally:
        d.close()
    s, em, _wall = station_with_wall()
    select(qtbot, s, em, case_id)
    panel = em.panel
    assert panel.type_combo.currentText() == "其他"  # the generic form gives no type
    assert panel.wind.isHidden()  # asked for air and chemical events only
    # Arrow keys through the closed combo: 其他 → 饮用水水源地威胁 → … → 大气污染事件.
    panel.type_combo.setFocus()
    for _ in range(4):
        qtbot.keyClick(panel.type_combo, Qt.Key.Key_Up)
    assert panel.type_combo.currentText() == "大气污染事件"
    qtbot.waitUntil(
        lambda: stored(s, em, case_id).detail.type is EmergencyType.AIR_POLLUTION, timeout=10000
    )
    settle(qtbot, s.workspace)
    assert any(t.startswith("事件类型：其他 → ") for t in log_texts(em, case_id))
    assert log_texts(em, case_id)[-1].endswith("→ 大气污染事件")
    assert not panel.message.isVisible()  # one write at a time: no conflict among them
    # The wind, now asked for; a direction off the compass is refused in the panel.
    assert not panel.wind.isHidden()
    panel.wind.setFocus()
    type_text(panel.wind, "400")
    qtbot.keyClick(panel.wind, Qt.Key.Key_Return)
    assert panel.message.isVisible() and "359" in panel.message.text()
    panel.wind.clear()
    type_text(panel.wind, "225")
    qtbot.keyClick(panel.wind, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(s, em, case_id).detail.wind_from_deg == 225.0, timeout=5000)
    settle(qtbot, s.workspace)
    assert stored(s, em, case_id).detail.type is EmergencyType.AIR_POLLUTION
    # Showing the case again writes nothing (the combo shows, it does not choose).
    version = stored(s, em, case_id).case.version
    panel.title.setFocus()
    em.on_current_case(case_id)
    settle(qtbot, s.workspace, 200)
    assert stored(s, em, case_id).case.version == version
    assert panel.type_combo.currentText() == "大气污染事件" and panel.wind.text() == "225"


def test_draw_a_circle_propose_stations_and_edit_the_list(
    qtbot: QtBot,
    station_with_wall: Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, affected_stations=[])
    d = open_desk(sqlite_url)
    try:
        d.login("officer", PASSWORD)
        other = d.create_case(draft(CaseKind.QUALITY, title="另一个事项")).id
    finally:
        d.close()
    s, em, wall = station_with_wall()
    select(qtbot, s, em, case_id)
    panel, view = em.panel, wall.map
    assert panel.stations.count() == 0 and "未绘制" in panel.area_label.text()
    s.workspace.window.tabs.setCurrentIndex(0)  # the queue in front: drawing brings the wall
    qtbot.mouseClick(panel.circle_button, Qt.MouseButton.LeftButton)
    assert s.workspace.window.tabs.currentWidget() is wall
    assert em.area_tool is not None and em.area_tool.drawing
    assert view.dragMode() is QGraphicsView.DragMode.NoDrag  # no panning while drawing
    zoom_on(view, *BENNIU)
    # 2 km east of 奔牛 on the ground.
    edge = (
        BENNIU[0] + 2.0 / distance_km(BENNIU[0], BENNIU[1], BENNIU[0] + 1, BENNIU[1]),
        BENNIU[1],
    )
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(view, *BENNIU))
    qtbot.mouseMove(viewport, pos=point(view, *edge))
    # The radius while dragging, to the pixel (the map's size sets how fine that is).
    shown = re.search(r"(\d+\.\d+)", em.area_tool._sketch_label.text)
    assert shown is not None and float(shown.group(1)) == pytest.approx(2.0, abs=0.1)
    save(view, ARTIFACTS / "emergency_area_drawing_zh.png")
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(view, *edge))
    qtbot.waitUntil(lambda: stored(s, em, case_id).detail.area is not None, timeout=5000)
    settle(qtbot, s.workspace)
    area = stored(s, em, case_id).detail.area
    assert isinstance(area, Circle)
    assert abs(area.lon - BENNIU[0]) < 0.001 and abs(area.lat - BENNIU[1]) < 0.001
    assert abs(area.radius_m - 2000) < 100
    assert view.dragMode() is QGraphicsView.DragMode.ScrollHandDrag and not em.area_tool.drawing
    assert "影响范围更新" in log_texts(em, case_id)
    assert f"{area.radius_m / 1000:.2f} 公里" in panel.area_label.text()  # what was stored
    assert em.area_tool.saved_area == area and em.area_tool.pending_area is None
    # Propose from the area: 奔牛 and the sections downstream of it along the canal.
    qtbot.mouseClick(panel.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(stored(s, em, case_id).detail.affected_stations) > 0, timeout=5000)
    settle(qtbot, s.workspace)
    affected = stored(s, em, case_id).detail.affected_stations
    assert affected[0] == "WQ-B-01"
    assert {"WQ-P-01", "WQ-N-01", "WQ-B-02", "WQ-P-02", "WQ-N-02"} <= set(affected)
    assert panel.stations.item(0).text() == "奔牛 (WQ-B-01)"
    # Remove one.
    row = affected.index("WQ-P-01")
    panel.stations.setCurrentRow(row)
    qtbot.mouseClick(panel.remove_station_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "WQ-P-01" not in stored(s, em, case_id).detail.affected_stations, timeout=5000
    )
    settle(qtbot, s.workspace)
    shown = [
        panel.stations.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.stations.count())
    ]
    assert "WQ-P-01" not in shown and len(shown) == len(affected) - 1
    # Add one back by name, as the completion offers it; an unknown one is refused by name.
    panel.add_station.setText("九里 (WQ-P-01)")
    qtbot.keyClick(panel.add_station, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.add_station.text() == "", timeout=5000)
    settle(qtbot, s.workspace)
    assert stored(s, em, case_id).detail.affected_stations[-1] == "WQ-P-01"
    panel.add_station.setText("WQ-X-99")
    qtbot.mouseClick(panel.add_station_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=5000)
    settle(qtbot, s.workspace)
    assert "WQ-X-99" in panel.message.text() and panel.add_station.text() == "WQ-X-99"
    panel.add_station.clear()
    s.workspace.window.resize(1700, 1000)
    settle(qtbot, s.workspace)
    save(panel.body, ARTIFACTS / "emergency_area_panel_zh.png")
    save(view, ARTIFACTS / "emergency_area_map_zh.png")
    save(s.workspace.window, ARTIFACTS / "emergency_area_window_zh.png")
    # Another case selected: its area (none) replaces this one's on the map.
    assert s.workspace.queue.select_case(other)
    settle(qtbot, s.workspace)
    assert em.area_tool.saved_area is None and not em.area_tool._saved_item.isVisible()
    # Back: shown again; then cleared from the panel.
    select(qtbot, s, em, case_id)
    assert em.area_tool.saved_area == area
    qtbot.mouseClick(panel.clear_area_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(s, em, case_id).detail.area is None, timeout=5000)
    settle(qtbot, s.workspace)
    assert em.area_tool.saved_area is None and "未绘制" in panel.area_label.text()


def test_draw_a_polygon_with_clicks_backspace_and_enter(
    qtbot: QtBot,
    station_with_wall: Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, affected_stations=[])
    s, em, wall = station_with_wall()
    select(qtbot, s, em, case_id)
    panel, view = em.panel, wall.map
    qtbot.mouseClick(panel.polygon_button, Qt.MouseButton.LeftButton)
    zoom_on(view, *BENNIU)
    corners = [(119.80, 31.865), (119.84, 31.865), (119.845, 31.885), (119.805, 31.89)]
    viewport = view.viewport()
    for lon, lat in corners:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point(view, lon, lat))
    # A slip: a fifth corner, taken back with Backspace.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point(view, 119.9, 31.95))
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    qtbot.mouseMove(viewport, pos=point(view, 119.81, 31.895))
    save(view, ARTIFACTS / "emergency_area_polygon_drawing_zh.png")
    assert em.area_tool is not None and len(em.area_tool._points) == 4
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(s, em, case_id).detail.area is not None, timeout=5000)
    settle(qtbot, s.workspace)
    area = stored(s, em, case_id).detail.area
    assert isinstance(area, Polygon)
    assert len(area.points) == 5 and area.points[0] == area.points[-1]
    for (lon, lat), (want_lon, want_lat) in zip(area.points[:-1], corners, strict=True):
        assert abs(lon - want_lon) < 0.001 and abs(lat - want_lat) < 0.001
    assert "4" in panel.area_label.text()
    # A polygon of two corners cannot finish; a double-click finishes a proper one.
    qtbot.mouseClick(panel.polygon_button, Qt.MouseButton.LeftButton)
    for lon, lat in corners[:2]:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point(view, lon, lat))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert em.area_tool.drawing and "三" in em.area_tool.hint.text()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point(view, *corners[2]))
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=point(view, *corners[2]))
    qtbot.waitUntil(
        lambda: len(getattr(stored(s, em, case_id).detail.area, "points", ())) == 4, timeout=5000
    )
    assert not em.area_tool.drawing
    settle(qtbot, s.workspace)


def test_escape_cancels_and_stores_nothing(
    qtbot: QtBot,
    station_with_wall: Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)
    s, em, wall = station_with_wall()
    select(qtbot, s, em, case_id)
    view = wall.map
    before = stored(s, em, case_id)
    zoom_on(view, *BENNIU)
    for button, shape in ((em.panel.circle_button, "circle"), (em.panel.polygon_button, "polygon")):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert em.area_tool is not None and em.area_tool.shape == shape
        viewport = view.viewport()
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(view, *BENNIU))
        qtbot.mouseMove(viewport, pos=point(view, BENNIU[0] + 0.02, BENNIU[1] + 0.01))
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        assert not em.area_tool.drawing and not em.area_tool._sketch.isVisible()
        assert view.dragMode() is QGraphicsView.DragMode.ScrollHandDrag
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(view, *BENNIU))
        settle(qtbot, s.workspace, 100)
    after = stored(s, em, case_id)
    assert after.case.version == before.case.version and after.detail.area is None
    assert em.area_tool is not None and em.area_tool.pending_area is None


def test_a_stale_version_shows_the_conflict_and_loses_nothing(
    qtbot: QtBot,
    station_with_wall: Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)
    s, em, wall = station_with_wall()
    select(qtbot, s, em, case_id)
    view = wall.map
    # Another workstation records figures meanwhile (this one has no change feed running).
    d = open_desk(sqlite_url)
    try:
        d.login("leader", PASSWORD)
        other = EmergencyDesk(d, resources)
        other.update_figures(case_id, stored(s, em, case_id).case.version, Figures(deaths=3))
    finally:
        d.close()
    qtbot.mouseClick(em.panel.circle_button, Qt.MouseButton.LeftButton)
    zoom_on(view, *BENNIU)
    draw_circle(qtbot, view, BENNIU, (BENNIU[0], BENNIU[1] + 0.01))
    qtbot.waitUntil(lambda: em.panel.message.isVisible(), timeout=5000)
    settle(qtbot, s.workspace)
    assert "已被他人修改" in em.panel.message.text()
    assert stored(s, em, case_id).detail.area is None
    assert stored(s, em, case_id).detail.figures.deaths == 3  # theirs kept
    # Ours kept too: still drawn on the map, and offered to save again.
    drawn = em.area_tool.pending_area if em.area_tool else None
    assert isinstance(drawn, Circle) and em.area_tool is not None
    assert em.area_tool._pending_item.isVisible()
    assert em.panel.save_area_button.isVisible() and "未保存" in em.panel.area_label.text()
    save(em.panel.body, ARTIFACTS / "emergency_area_conflict_zh.png")
    qtbot.mouseClick(em.panel.save_area_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(s, em, case_id).detail.area == drawn, timeout=5000)
    settle(qtbot, s.workspace)
    assert stored(s, em, case_id).detail.figures.deaths == 3
    assert not em.panel.save_area_button.isVisible() and not em.area_tool._pending_item.isVisible()
    assert em.area_tool.saved_area == drawn


def test_without_a_wall_the_panel_says_so(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources)
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    qtbot.mouseClick(em.panel.polygon_button, Qt.MouseButton.LeftButton)
    assert em.panel.message.isVisible() and "监控墙" in em.panel.message.text()
    assert em.area_tool is None


def test_the_selected_affected_stations_last_day_shows_in_the_case(
    qtbot: QtBot,
    station_with_wall: Callable[..., tuple[Session, EmergencyIntegration, MonitoringWall]],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    """Linked monitoring: 奔牛's NH3-N of the last day, hourly, from the wall's series source;
    a gap stays a gap; the chart follows the selection and survives a log line's reload."""
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, affected_stations=["WQ-B-01", "WQ-P-01"])
    s, em, wall = station_with_wall()
    source = wall.trend.loader.source
    assert isinstance(source, MemorySeriesSource)
    now = s.desk.clock()
    hour0 = (now.timestamp() // 3600 - 20) * 3600
    # 20 hours of 10-minute NH3-N: 0.5 rising to 2.4 mg/L, nothing in hours 8–10.
    times = [hour0 + 600 * i for i in range(120) if not 48 <= i < 66]
    source.add("WQ-B-01", "NH3-N", "mg/L", times, [0.5 + (t - hour0) / 36000 for t in times])
    select(qtbot, s, em, case_id)
    panel = em.panel
    trends = panel.trends
    panel.stations.setCurrentRow(0)
    qtbot.waitUntil(lambda: "NH3-N 2." in trends.title.text(), timeout=5000)
    _, y = trends.curve_data("NH3-N")
    finite = y[~np.isnan(y)]
    assert len(finite) >= 15 and finite[0] < finite[-1]
    assert np.isnan(y).any()  # the empty hours are a gap, not a line across
    assert "奔牛" in trends.title.text()
    # The section's other parameters have no data here: said, not drawn as zero.
    assert "CODMn" in trends.title.text()
    panel.stations.parentWidget().grab()  # laid out
    save(panel.stations.parentWidget(), ARTIFACTS / "emergency_linked_trend_zh.png")
    # A log line reloads the case: the station and its chart stay.
    type_text(panel.log_entry, "九里断面已采样")
    qtbot.keyClick(panel.log_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.log_entry.text() == "", timeout=5000)
    settle(qtbot, s.workspace)
    assert trends.station == "WQ-B-01" and panel.stations.currentRow() == 0
    # Another station: its chart replaces the first.
    panel.stations.setCurrentRow(1)
    qtbot.waitUntil(lambda: trends.station == "WQ-P-01", timeout=5000)
    qtbot.waitUntil(lambda: "九里" in trends.title.text(), timeout=5000)


def test_without_a_data_service_the_linked_chart_says_so(
    qtbot: QtBot,
    sessions: Callable[..., Session],
    sqlite_url: str,
    resources: EmergencyResources,
) -> None:
    seed_users(sqlite_url)
    case_id = seed_emergency(sqlite_url, resources, affected_stations=["WQ-B-01"])
    s, em = open_station(sessions, sqlite_url, "officer", resources)
    select(qtbot, s, em, case_id)
    em.panel.stations.setCurrentRow(0)
    assert "没有数据服务" in em.panel.trends.title.text() or "no data service" in (
        em.panel.trends.title.text()
    )
