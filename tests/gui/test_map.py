"""The monitoring map: basemap, station and case markers, selection, zoom, outage."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from dispatch_app.feed.records import Station, parse_stations
from ui.wall.map.basemap import BasemapError, Projection, in_bounds, load_basemap
from ui.wall.map.markers import CaseMarker, StationLook
from ui.wall.map.view import DETAIL_ZOOM, MapView


@pytest.fixture
def registry(resources_dir: Path) -> tuple[Station, ...]:
    return parse_stations(json.loads((resources_dir / "stations.json").read_text("utf-8")))


@pytest.fixture
def shown_map(qtbot: QtBot, registry: tuple[Station, ...]) -> MapView:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(1000, 850)
    view.show()
    qtbot.waitExposed(view)
    view.set_stations(registry)
    view.fit_city()
    return view


def _click(qtbot: QtBot, view: MapView, scene_pos: QPointF, dy_px: int = 0) -> None:
    pos = view.mapFromScene(scene_pos) + QPoint(0, dy_px)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _pixel(view: MapView, scene_pos: QPointF) -> QColor:
    image: QImage = view.viewport().grab().toImage()
    p: QPoint = view.mapFromScene(scene_pos)
    return image.pixelColor(p)


def test_basemap_has_the_six_districts_inside_changzhou() -> None:
    shapes = load_basemap()
    assert {s.district for s in shapes} == {
        "tianning",
        "zhonglou",
        "xinbei",
        "wujin",
        "jintan",
        "liyang",
    }
    for shape in shapes:
        assert shape.polygons and all(len(poly[0]) >= 4 for poly in shape.polygons)
        assert in_bounds(shape.label_lon, shape.label_lat)
    proj = Projection()
    x, y = proj.to_scene(120.0, 32.0)
    lon, lat = proj.to_lonlat(x, y)
    assert (round(lon, 9), round(lat, 9)) == (120.0, 32.0)
    assert y < 0  # north is up


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        ("{not json", "unreadable"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "no districts"),
        ('{"type": "FeatureCollection", "features": [{"properties": {}}]}', "malformed"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "properties": {
                                "district": "x",
                                "name": "x",
                                "label_lon": 116.4,
                                "label_lat": 39.9,
                            },
                            "geometry": {
                                "type": "MultiPolygon",
                                "coordinates": [[[[116.4, 39.9], [116.5, 39.9], [116.5, 40]]]],
                            },
                        }
                    ],
                }
            ),
            "outside Changzhou",
        ),
    ],
)
def test_a_bad_basemap_is_refused_with_a_clear_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "basemap.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BasemapError, match=message):
        load_basemap(path)


def test_without_a_basemap_the_network_still_shows_and_says_why(
    qtbot: QtBot, tmp_path: Path, registry: tuple[Station, ...]
) -> None:
    from ui.wall.map import view as view_module

    broken = tmp_path / "broken.geojson"
    broken.write_text("{", encoding="utf-8")
    original = view_module.load_basemap
    view_module.load_basemap = lambda: original(broken)  # type: ignore[assignment]
    try:
        view = MapView()
    finally:
        view_module.load_basemap = original  # type: ignore[assignment]
    qtbot.addWidget(view)
    view.show()
    view.set_stations(registry)
    assert view.districts == {}
    assert len(view.stations) == len(registry)
    assert "broken.geojson" in view.banner_text()


def test_every_registry_station_gets_a_marker_and_bad_coordinates_are_left_off(
    qtbot: QtBot, registry: tuple[Station, ...]
) -> None:
    view = MapView()
    qtbot.addWidget(view)
    beijing = Station(
        "BAD-1", "mn", "Beijing?", "", "air_grid", "xinbei", 116.4, 39.9, 60, True, ()
    )
    view.set_stations([*registry, beijing])
    assert set(view.stations) == {s.id for s in registry}
    assert view.rejected_stations == ["BAD-1"]
    # Moving a station and dropping one from the registry updates the markers in place.
    moved = registry[0]
    view.set_stations([*registry[1:3], Station(**{**_fields(moved), "lon": 120.0})])
    assert set(view.stations) == {registry[1].id, registry[2].id, moved.id}
    assert view.projection.to_lonlat(view.stations[moved.id].x(), 0)[0] == pytest.approx(120.0)


def _fields(st: Station) -> dict[str, object]:
    return {name: getattr(st, name) for name in st.__slots__}  # type: ignore[attr-defined]


def test_markers_show_level_color_and_text_and_shape_by_kind(shown_map: MapView) -> None:
    air = shown_map.stations["AQ-N-01"]
    water = next(i for i in shown_map.stations.values() if i.kind == "water_national")
    shown_map.set_station_look("AQ-N-01", StationLook("168", (255, 0, 0), "AQI 168 Moderate"))
    shown_map.set_station_look(water.station_id, StationLook("Ⅳ", (255, 126, 0), "Class Ⅳ"))
    assert air.shape_name == "circle" and water.shape_name == "triangle"
    assert air.fill == QColor(255, 0, 0) and air.look.label == "168"
    assert "AQI 168" in air.toolTip() and "安家" in air.toolTip()
    # What is drawn: the marker's centre pixel is its level color (or its text over it).
    shown_map.zoom_by(3)
    shown_map.centerOn(air)
    edge = air.pos() + QPointF(0, 0)
    color = _pixel(shown_map, edge)
    assert color in (QColor(255, 0, 0), QColor(255, 255, 255)) or color.red() > 200
    # No data: grey with a dash, never a level color.
    grid = next(i for i in shown_map.stations.values() if i.kind == "air_grid")
    assert grid.fill == QColor(128, 128, 128) and grid.look.label == "—"


def test_clicking_a_station_selects_it_and_emits(qtbot: QtBot, shown_map: MapView) -> None:
    item = shown_map.stations["AQ-N-01"]
    shown_map.zoom_by(2)
    shown_map.centerOn(item)
    with qtbot.waitSignal(shown_map.station_selected, timeout=1000) as signal:
        _click(qtbot, shown_map, item.pos())
    assert signal.args == ["AQ-N-01"]
    assert shown_map.selected_station == "AQ-N-01" and item.selected_mark
    # Clicking empty water-free countryside pans, it does not select anything else.
    with qtbot.assertNotEmitted(shown_map.station_selected):
        _click(qtbot, shown_map, item.pos(), dy_px=-60)


def test_cases_are_pins_by_kind_and_priority_and_clickable(
    qtbot: QtBot, shown_map: MapView
) -> None:
    shown_map.set_cases(
        [
            (7, "CZ-2026-000007", "emergency", 1, 119.97, 31.70, "Chemical spill"),
            CaseMarker(8, "CZ-2026-000008", "petition", 4, 119.50, 31.45, "Noise"),
            (9, "CZ-2026-000009", "violation", 2, float("nan"), 31.7, "No location"),
        ]
    )
    assert set(shown_map.cases) == {7, 8} and shown_map.rejected_cases == [9]
    pin = shown_map.cases[7]
    assert pin.fill == QColor(220, 30, 30)
    assert "CZ-2026-000007" in pin.toolTip() and "P1" in pin.toolTip()
    shown_map.centerOn(pin)
    with qtbot.waitSignal(shown_map.case_selected, timeout=1000) as signal:
        _click(qtbot, shown_map, pin.pos(), dy_px=-18)  # on the pin's body
    assert signal.args == [7] and pin.selected_mark
    # A refresh of the case list keeps the selection.
    shown_map.set_cases([(7, "CZ-2026-000007", "emergency", 2, 119.97, 31.70, "Chemical spill")])
    assert shown_map.cases[7].selected_mark


def test_selection_from_elsewhere_highlights_without_echo(qtbot: QtBot, shown_map: MapView) -> None:
    with qtbot.assertNotEmitted(shown_map.station_selected):
        shown_map.select_station("WQ-N-03")
    assert shown_map.stations["WQ-N-03"].selected_mark
    shown_map.select_station("AQ-N-01")
    assert not shown_map.stations["WQ-N-03"].selected_mark
    shown_map.select_station("NO-SUCH")
    assert shown_map.selected_station is None
    with qtbot.assertNotEmitted(shown_map.case_selected):
        shown_map.select_case(12345)
    assert shown_map.selected_case is None


def test_zoom_and_pan_with_wheel_keys_and_detail(qtbot: QtBot, shown_map: MapView) -> None:
    start = shown_map.zoom()
    grid = next(i for i in shown_map.stations.values() if i.kind == "air_township")
    assert not grid.show_text  # at city scale the dense layers carry no numbers
    qtbot.keyClick(shown_map, Qt.Key.Key_Plus)
    assert shown_map.zoom() == pytest.approx(start * 1.25)
    shown_map.zoom_by(DETAIL_ZOOM / shown_map.zoom() * 1.01)
    assert grid.show_text
    before = shown_map.visible_scene_rect().center()
    shown_map.horizontalScrollBar().setValue(shown_map.horizontalScrollBar().value() + 200)
    assert shown_map.visible_scene_rect().center().x() > before.x()
    qtbot.keyClick(shown_map, Qt.Key.Key_0)
    assert shown_map.zoom() == pytest.approx(start, rel=0.05)
    shown_map.zoom_by(1e-6)
    assert shown_map.zoom() == pytest.approx(0.5)


def test_outage_greys_the_map_and_says_since_when(shown_map: MapView, artifacts_dir: Path) -> None:
    shown_map.set_station_look("AQ-N-01", StationLook("86", (255, 255, 0), "AQI 86"))
    since = datetime(2026, 11, 28, 6, 3, 12, tzinfo=UTC)
    shown_map.set_outage(since)
    assert shown_map.in_outage
    assert "14:03:12" in shown_map.banner_text()  # Asia/Shanghai
    grey = _pixel(shown_map, shown_map.stations["AQ-N-01"].pos() + QPointF(0.0, 0.0))
    assert abs(grey.red() - grey.green()) < 40 and abs(grey.green() - grey.blue()) < 40
    shown_map.viewport().grab().save(str(artifacts_dir / "map_outage.png"))
    shown_map.set_outage(None)
    assert not shown_map.in_outage and shown_map.banner_text() == ""


def test_map_screenshot(shown_map: MapView, artifacts_dir: Path) -> None:
    levels = [
        ("12", (0, 228, 0)),
        ("86", (255, 255, 0)),
        ("128", (255, 126, 0)),
        ("176", (255, 0, 0)),
        ("230", (153, 0, 76)),
        ("320", (126, 0, 35)),
    ]
    for i, item in enumerate(shown_map.stations.values()):
        if item.kind.startswith("air"):
            label, color = levels[i % len(levels)]
        else:
            label, color = ("Ⅲ", (0, 176, 80)) if i % 3 else ("Ⅳ", (255, 126, 0))
        shown_map.set_station_look(item.station_id, StationLook(label, color, label))
    shown_map.set_cases([(7, "CZ-2026-000007", "emergency", 1, 119.97, 31.70, "Spill")])
    shown_map.select_station("AQ-N-01", center=False)
    shown_map.grab().save(str(artifacts_dir / "map.png"))


def test_map_built_small_follows_its_size_until_the_officer_zooms(
    qtbot: QtBot, registry: tuple[Station, ...]
) -> None:
    """A map made in a hidden tab is tiny at first; shown full size it must fill its space, not
    stay a thumbnail. Once the officer zooms, a resize keeps their view; "0" fits again."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(120, 90)
    view.set_stations(registry)
    view.show()
    qtbot.waitExposed(view)

    def scale() -> float:  # scene to screen; zoom() is relative to the last fit
        return view.transform().m11()

    small = scale()
    view.resize(1000, 850)
    qtbot.waitUntil(lambda: scale() > small * 4)
    city = scale()
    view.zoom_by(2.0)
    zoomed = scale()
    assert zoomed == pytest.approx(city * 2.0)
    view.resize(900, 700)
    qtbot.wait(50)
    assert scale() == pytest.approx(zoomed)  # the officer's view is kept
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert scale() < zoomed


def test_city_zoom_clusters_the_dense_layers_and_zooming_in_expands(
    qtbot: QtBot, shown_map: MapView, registry: tuple[Station, ...]
) -> None:
    reported = {"air_national", "air_provincial", "water_national", "water_provincial"}
    # City scale: a bounded number of symbols, every reported station drawn itself.
    assert shown_map.zoom() == pytest.approx(1.0)
    assert shown_map.visible_symbols() <= 80
    for station in registry:
        if station.kind in reported:
            assert shown_map.stations[station.id].isVisible(), station.id
    clusters = list(shown_map.clusters.values())
    assert clusters and sum(len(c.members) for c in clusters) + sum(
        1 for s in registry if s.kind not in reported and shown_map.stations[s.id].isVisible()
    ) == sum(1 for s in registry if s.kind not in reported)
    # The cluster carries its worst member's level and says which station it is.
    grid = [s for s in registry if s.kind == "air_grid"]
    worst = grid[0]
    for i, s in enumerate(grid):
        shown_map.set_station_look(s.id, StationLook(str(40 + i), (255, 255, 0), "良", 40 + i))
    shown_map.set_station_look(worst.id, StationLook("260", (153, 0, 76), "重度污染", 260.0))
    qtbot.waitUntil(lambda: not shown_map._recluster_due, timeout=2000)
    holder = next(
        c for c in shown_map.clusters.values() if any(m.station_id == worst.id for m in c.members)
    )
    assert holder.worst is not None and holder.worst.station_id == worst.id
    assert holder.fill == QColor(153, 0, 76) and worst.name in holder.toolTip()
    # A click on the cluster zooms in on it; far enough in, every station stands alone.
    before = shown_map.zoom()
    _click(qtbot, shown_map, holder.pos())
    qtbot.waitUntil(lambda: not shown_map._recluster_due, timeout=2000)
    assert shown_map.zoom() > before
    while shown_map.zoom() < 6:
        shown_map.zoom_by(1.5)
    qtbot.waitUntil(lambda: not shown_map._recluster_due, timeout=2000)
    assert not shown_map.clusters
    assert all(item.isVisible() for item in shown_map.stations.values())
    shown_map.fit_city()
    qtbot.waitUntil(lambda: not shown_map._recluster_due, timeout=2000)
    assert shown_map.visible_symbols() <= 80


def test_a_selected_station_leaves_its_cluster(
    shown_map: MapView, registry: tuple[Station, ...]
) -> None:
    grid = next(s for s in registry if s.kind == "air_grid")
    assert not shown_map.stations[grid.id].isVisible()
    shown_map.select_station(grid.id)
    assert shown_map.stations[grid.id].isVisible()
    assert all(
        grid.id not in {m.station_id for m in c.members} for c in shown_map.clusters.values()
    )


def test_the_legend_names_every_symbol_on_the_map(
    shown_map: MapView, registry: tuple[Station, ...]
) -> None:
    shown_map.set_cases(
        [
            (1, "CZ-2026-000001", "quality", 1, 119.97, 31.70, "a"),
            (2, "CZ-2026-000002", "violation", 2, 119.90, 31.75, "b"),
            (3, "CZ-2026-000003", "emergency", 3, 119.85, 31.72, "c"),
            (4, "CZ-2026-000004", "petition", 4, 119.95, 31.65, "d"),
        ]
    )
    legend = shown_map.legend
    assert legend.isVisible() and legend.toggle.isVisible()
    names = legend.names()
    # Every station kind, both kinds of cluster, every case kind and priority, every level.
    for kind in {s.kind for s in registry}:
        assert legend.kinds[kind] in names
    for domain in {str(key[0]) for key in shown_map.clusters}:
        assert legend.clusters[domain] in names
    for item in shown_map.cases.values():
        assert any(legend.cases[item.case.kind] in n for n in names)
        assert legend.priorities[item.case.priority] in names
    assert sum(1 for n in names if "–" in n) == 6  # the six AQI levels with their ranges
    assert any(n.startswith("劣Ⅴ") for n in names)
    # Inside the map, and out of the way when the officer folds it.
    geometry = legend.geometry()
    assert shown_map.viewport().rect().contains(geometry)
    legend.toggle.click()
    assert not legend.isVisible() and legend.toggle.isVisible()


def test_the_legend_folds_on_a_small_map_until_the_officer_opens_it(
    shown_map: MapView,
) -> None:
    legend = shown_map.legend
    shown_map.resize(420, 260)
    legend.place(shown_map.viewport().width(), shown_map.viewport().height())
    assert not legend.isVisible() and legend.toggle.isVisible()
    assert not legend.toggle.isChecked()
    legend.toggle.click()  # the officer wants it, small map or not
    assert legend.isVisible()
    shown_map.resize(400, 250)
    legend.place(shown_map.viewport().width(), shown_map.viewport().height())
    assert legend.isVisible()
