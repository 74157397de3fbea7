"""What a duty officer trying the wall met: parameter names in the desk's language, the limit
label inside its plot, Compare from the ranking and from a station picker, F11 and Esc in the
wall's own window."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dispatch_app.feed.records import Station, parse_stations
from dispatch_app.resources import resources_dir
from tests.gui.conftest import Session, seed_users, settle
from ui.shell.i18n import install_translators
from ui.shell.main_window import ViewWindow
from ui.wall.charts.references import LimitLine, References
from ui.wall.charts.series import MemorySeriesSource
from ui.wall.monitoring_wall import MonitoringWall

RESOURCES = resources_dir()
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@pytest.fixture
def registry() -> tuple[Station, ...]:
    return parse_stations(json.loads((RESOURCES / "stations.json").read_text("utf-8")))


def _source(registry: tuple[Station, ...]) -> MemorySeriesSource:
    source = MemorySeriesSource()
    t = NOW.timestamp() - np.arange(24 * 60)[::-1] * 60.0
    for s in registry:
        if s.kind in ("air_national", "air_provincial"):
            for p in s.parameters:
                source.add(s.id, p.key, p.unit, t, 30 + 10 * np.sin(np.arange(len(t)) / 100))
    return source


@pytest.fixture
def wall(qtbot: QtBot, registry: tuple[Station, ...]) -> Iterator[MonitoringWall]:
    widget = MonitoringWall(_source(registry), clock=lambda: NOW, redraw_interval_ms=30)
    qtbot.addWidget(widget)
    widget.resize(1600, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_stations(registry)
    yield widget
    widget.shutdown()


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    install_translators(qapp, "zh")
    yield
    install_translators(qapp, "en")


def test_parameter_names_are_chinese_on_the_chinese_wall(
    qtbot: QtBot, chinese: None, registry: tuple[Station, ...]
) -> None:
    wall = MonitoringWall(_source(registry), clock=lambda: NOW, redraw_interval_ms=30)
    qtbot.addWidget(wall)
    try:
        wall.set_stations(registry)
        with qtbot.waitSignal(wall.trend.loaded, timeout=10000):
            assert wall.select_station("AQ-N-01")
        buttons = {key: b.text() for key, b in wall.trend.param_buttons.items()}
        assert buttons["temp"] == "温度" and buttons["humidity"] == "湿度"
        assert buttons["wind_speed"] == "风速" and buttons["wind_dir"] == "风向"
        assert buttons["PM2.5"] == "PM2.5"
        assert wall.trend.plots["PM2.5"].plot_item.getAxis("left").labelText.startswith("PM2.5")
        wall.trend.set_parameters(["PM2.5", "temp"])
        assert wall.trend.plots["temp"].plot_item.getAxis("left").labelText.startswith("温度")
        # Compare: the same names in its box, the key behind each.
        wall.compare.set_stations([wall.stations["AQ-N-01"], wall.stations["AQ-N-02"]])
        box = wall.compare.parameter_box
        names = [box.itemText(i) for i in range(box.count())]
        assert "温度" in names and "风向" in names and "temp" not in names
        box.setCurrentIndex(box.findText("湿度"))
        assert wall.compare.parameter == "humidity"
        # Water sections too.
        wall.select_station("WQ-N-01")
        water = {b.text() for b in wall.trend.param_buttons.values()}
        assert {"氨氮", "总磷", "溶解氧", "高锰酸盐指数"} <= water
    finally:
        wall.shutdown()


def test_a_limit_label_stays_inside_its_plot(qtbot: QtBot, wall: MonitoringWall) -> None:
    with qtbot.waitSignal(wall.trend.loaded, timeout=10000):
        wall.select_station("AQ-N-01")
    plot = wall.trend.plots["PM2.5"]
    layer = plot._reference_layer
    screen = QRectF(0, 0, 300, 120)
    text = "GB 3095—2026 二级 24小时 60 µg/m³（过渡）"
    metrics = layer._metrics
    shown = layer.fitted_label(screen, text)
    assert shown == text or shown.endswith("…")
    assert metrics.horizontalAdvance(shown) <= screen.width()
    text = shown
    for y in (1.0, 8.0, 60.0, 119.0):  # a line at the very top, near it, mid, at the bottom
        at = layer.line_label_at(screen, y, text)
        top = at.y() - metrics.ascent()
        assert screen.top() <= top and at.y() + metrics.descent() <= screen.bottom() + 1
        assert screen.left() <= at.x()
        assert at.x() + metrics.horizontalAdvance(text) <= screen.right()
    # In a real plot: a limit just under the top of the value range is drawn, label and all.
    plot.set_references(References((), (LimitLine(39.0, text, emphasis=True),)))
    plot.set_value_range(0.0, 40.0)
    qtbot.wait(50)
    assert plot.grab().width() > 0


def test_compare_from_the_ranking(qtbot: QtBot, wall: MonitoringWall) -> None:
    overview = wall.overview
    button = overview.compare_button
    assert not button.isEnabled() and "Ctrl" in button.toolTip()
    ids = overview.ranked_ids()[:3]
    view = overview.view
    model = overview.model
    first = view.visualRect(model.index(0, 1)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    for row in (1, 2):
        pos = view.visualRect(model.index(row, 1)).center()
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos
        )
    assert overview.selected_stations() == ids
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wall.charts.currentWidget() is wall.compare
    assert [s.id for s in wall.compare.stations] == ids
    assert wall.compare.parameter_box.count() > 0


def test_compare_station_picker_adds_and_removes_by_name(
    qtbot: QtBot, wall: MonitoringWall
) -> None:
    compare = wall.compare
    wall.charts.setCurrentWidget(compare)
    compare.set_stations([])
    assert compare.parameter_box.count() == 0
    completions = compare.picker.completer().model()
    texts = [completions.index(i, 0).data() for i in range(completions.rowCount())]
    assert "安家 (AQ-N-01)" in texts and len(texts) == len(wall.stations)
    qtbot.keyClicks(compare.picker, "AQ-N-01")
    qtbot.keyClick(compare.picker, Qt.Key.Key_Return)
    assert [s.id for s in compare.stations] == ["AQ-N-01"]
    assert compare.picker.text() == ""
    assert compare.add_by_text("行政中心 (AQ-N-02)") or compare.add_by_text("AQ-N-02")
    assert len(compare.stations) == 2 and compare.parameter_box.count() >= 6
    assert not compare.add_by_text("no such station")
    assert "no such station" in compare.status.text()
    chip = compare.chip_buttons["AQ-N-01"]
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert [s.id for s in compare.stations] == ["AQ-N-02"]


def test_f11_and_esc_in_the_walls_own_window(
    qtbot: QtBot, sessions: Callable[..., Session], sqlite_url: str, registry: tuple[Station, ...]
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url, "officer")
    window = s.workspace.window
    wall = MonitoringWall(MemorySeriesSource(), clock=lambda: NOW, redraw_interval_ms=30)
    try:
        title = QCoreApplication.translate("MonitoringWall", "Monitoring wall")
        window.add_view("wall", wall, "center", title, detach_shortcut="F11")
        wall.set_stations(registry)
        window.actions_by_name["detach_wall"].trigger()
        detached = window.detached["wall"]
        assert isinstance(detached, ViewWindow)
        detached.activateWindow()
        qtbot.waitUntil(detached.isVisible, timeout=2000)
        settle(qtbot, s.workspace)
        target = wall.map  # keys typed where the officer's focus is, inside the wall
        target.setFocus()
        qtbot.keyClick(target, Qt.Key.Key_F11)
        qtbot.waitUntil(detached.isFullScreen, timeout=2000)
        assert "wall" in window.detached  # the main window's F11 did not take the wall back
        qtbot.keyClick(target, Qt.Key.Key_Escape)  # out of full screen, still on its own
        qtbot.waitUntil(lambda: not detached.isFullScreen(), timeout=2000)
        assert "wall" in window.detached and detached.isVisible()
        qtbot.keyClick(target, Qt.Key.Key_Escape)  # and back to the tabs
        qtbot.waitUntil(lambda: "wall" not in window.detached, timeout=2000)
        assert window.tabs.indexOf(wall) >= 0
        # Keys typed in the main window are not the detached window's business.
        QApplication.processEvents()
    finally:
        for view in list(window.detached.values()):
            view.close()
        wall.shutdown()
