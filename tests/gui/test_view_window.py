"""The monitoring wall on a screen of its own: detached from the main window's tabs into a
window that can go full screen, brought in front by the parts that show things on it, and
handed back to the tabs when closed. A real window, a real wall, a real desk."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from dispatch_app.feed.records import parse_stations
from dispatch_app.resources import resources_dir
from tests.gui.conftest import Session, seed_users, settle
from ui.shell.main_window import ViewWindow
from ui.shell.screenshots import save
from ui.wall.charts.series import MemorySeriesSource
from ui.wall.monitoring_wall import MonitoringWall

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
RESOURCES = resources_dir()
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def test_the_wall_goes_to_its_own_window_and_comes_back(
    qtbot: QtBot, sessions: Callable[..., Session], sqlite_url: str
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url, "officer")
    window = s.workspace.window
    wall = MonitoringWall(MemorySeriesSource(), clock=lambda: NOW, redraw_interval_ms=30)
    try:
        title = QCoreApplication.translate("MonitoringWall", "Monitoring wall")
        window.add_view("wall", wall, "center", title, detach_shortcut="F11")
        registry = parse_stations(json.loads((RESOURCES / "stations.json").read_text("utf-8")))
        wall.set_stations(registry)
        tabs = window.tabs.count()
        action = window.actions_by_name["detach_wall"]
        assert action.shortcut().toString() == "F11" and action in window.menu_view.actions()
        action.trigger()
        detached = window.detached["wall"]
        assert isinstance(detached, ViewWindow) and detached.isVisible()
        assert window.tabs.indexOf(wall) == -1 and window.tabs.count() == tabs - 1
        assert wall.window() is detached and wall.isVisible()
        assert "监控大屏" in detached.windowTitle() or "Monitoring wall" in detached.windowTitle()
        # What shows things on the wall brings its window in front, not a missing tab.
        assert window.show_view("wall")
        assert wall.select_station("AQ-N-01")
        settle(qtbot, s.workspace)
        save(detached, ARTIFACTS / "wall_own_window.png")
        # Closing it hands the wall back to the tabs, in front; the action detaches again.
        detached.close()
        assert "wall" not in window.detached
        assert window.tabs.indexOf(wall) >= 0 and window.tabs.currentWidget() is wall
        assert wall.window() is window
        action.trigger()
        assert window.detached["wall"].isVisible()
        action.trigger()  # the same action (F11 in the main window) brings it back
        assert window.tabs.indexOf(wall) >= 0
        # The case queue has no such action: it is the main window's own.
        assert "detach_queue" not in window.actions_by_name
    finally:
        for view in list(window.detached.values()):
            view.close()
        wall.shutdown()


def test_a_detached_view_closes_with_the_main_window(
    qtbot: QtBot, sessions: Callable[..., Session], sqlite_url: str
) -> None:
    seed_users(sqlite_url)
    s = sessions(sqlite_url, "officer")
    window = s.workspace.window
    wall = MonitoringWall(MemorySeriesSource(), clock=lambda: NOW, redraw_interval_ms=30)
    try:
        window.add_view("wall", wall, "center", "wall")
        detached = window.detach_view("wall")
        assert detached.parent() is window  # a child: it cannot outlive the desk
        assert detached.windowFlags() & Qt.WindowType.Window
    finally:
        for view in list(window.detached.values()):
            view.close()
        wall.shutdown()
