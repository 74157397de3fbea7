"""The desk fits the screens of a control room: the whole main window (every part installed) at
1280×720 and 1366×768 in Chinese and English, F1's help in a dialog of its own, and the wall's
tiles and ranking read from across the room on a large screen."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDockWidget,
    QMainWindow,
    QWidget,
)
from pytestqt.qtbot import QtBot

from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.feed.records import parse_stations
from dispatch_app.resources import resources_dir
from tests.gui.conftest import Session, seed_cases, seed_users, settle, wait_dialog
from ui.cases.queue_model import COL
from ui.shell.i18n import install_translators
from ui.shell.screen_fit import SMALLEST_SCREEN
from ui.shell.screenshots import save
from ui.shell.shortcuts_dialog import ShortcutsDialog
from ui.stations.station_table import StationTableView
from ui.wall.charts.series import MemorySeriesSource
from ui.wall.monitoring_wall import MonitoringWall, tile_scale

RESOURCES = resources_dir()
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def full_window(
    qtbot: QtBot, sessions: Callable[..., Session], sqlite_url: str, tmp_path: Path
) -> Iterator[Callable[[str], tuple[Session, MonitoringWall]]]:
    """The desk's window as an officer has it: queue, case panel, petitions, emergencies,
    alarms, the station table and the monitoring wall, in the language asked for."""
    made: list[tuple[Any, MonitoringWall]] = []

    def make(language: str) -> tuple[Session, MonitoringWall]:
        seed_users(sqlite_url)
        seed_cases(sqlite_url, 30)
        install_translators(QApplication.instance(), language)
        s = sessions(sqlite_url, "officer")
        w = s.workspace
        parts = s.session.open_parts()
        assert parts.petitions is not None and parts.emergencies is not None
        w.install_petitions(parts.petitions)
        w.install_emergencies(parts.emergencies, parts.drills)
        rules = tmp_path / "alarms.toml"
        shutil.copy(RESOURCES / "rules" / "alarms.toml", rules)
        doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
        alarm_desk = AlarmDesk.open(s.desk, rules_path=rules, stations=doc["stations"])
        alarms = w.install_alarms(alarm_desk, evaluate_every_ms=3_600_000)
        stations = StationTableView()
        w.window.add_view("stations", stations, "center", "Stations")
        wall = MonitoringWall(MemorySeriesSource(), redraw_interval_ms=30)
        title = QCoreApplication.translate("MonitoringWall", "Monitoring wall")
        w.window.add_view("wall", wall, "center", title, detach_shortcut="F11")
        wall.set_stations(parse_stations(doc))
        qtbot.waitUntil(lambda: bool(wall.indicators.tiles), timeout=10000)
        w.window.fit_docks()  # as the desk does once its parts are in
        settle(qtbot, w)
        made.append((alarms, wall))
        return s, wall

    yield make
    for alarms, wall in made:
        alarms.shutdown()
        wall.shutdown()


def drawn_outside(window: QWidget) -> list[str]:
    """Every visible widget of ``window`` whose rectangle leaves the window's (content inside a
    scroll area counts by its viewport: scrolled-away content is not drawn)."""
    bounds = window.rect()
    outside = []
    # A dock behind another's tab is parked off the window by Qt: not drawn.
    parked = [
        d for d in window.findChildren(QDockWidget) if d.isVisible() and d.visibleRegion().isEmpty()
    ]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        if any(d is widget or d.isAncestorOf(widget) for d in parked):
            continue
        parent = widget.parentWidget()
        scrolled = False
        while parent is not None and parent is not window:
            grand = parent.parentWidget()
            if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
                scrolled = True
                break
            parent = grand
        if scrolled:
            continue
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not bounds.contains(rect):
            outside.append(f"{type(widget).__name__}#{widget.objectName()} at {rect}")
    return outside


def fits(size: QSize, limit: QSize = SMALLEST_SCREEN) -> bool:
    return size.width() <= limit.width() and size.height() <= limit.height()


def inside(widget: QWidget, window: QWidget) -> bool:
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return widget.isVisible() and window.rect().contains(rect) and not rect.isEmpty()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_main_window_fits_1280x720_and_1366x768(
    qtbot: QtBot, full_window: Callable[[str], tuple[Session, MonitoringWall]], language: str
) -> None:
    s, _wall = full_window(language)
    window: QMainWindow = s.workspace.window
    queue = s.workspace.queue
    hint, minimum = window.minimumSizeHint(), window.minimumSize()
    assert fits(hint) and fits(minimum), (hint, minimum)
    for width, height in ((1280, 720), (1366, 768)):
        window.resize(width, height)
        window.fit_docks()  # as at the start on a screen of this size
        for tab in range(window.tabs.count()):
            window.tabs.setCurrentIndex(tab)
            qtbot.wait(30)
            assert window.size() == QSize(width, height)
            if tab:
                save(window, ARTIFACTS / f"screen_fit_{language}_{width}x{height}_tab{tab}.png")
            outside = drawn_outside(window)
            assert not outside, (width, height, window.tabs.tabText(tab), outside[:8])
        window.tabs.setCurrentWidget(queue)
        qtbot.wait(30)
        save(window, ARTIFACTS / f"screen_fit_{language}_{width}x{height}.png")
        assert inside(window.statusBar(), window)
        for control in (queue.search, queue.kind, queue.status, queue.unit, queue.views):
            assert inside(control, window), control.objectName()
        # Rows to work with: the queue's table keeps a usable height beside the docks.
        rows = queue.table.viewport().height() // max(1, queue.table.rowHeight(0))
        assert rows >= (4 if height == 720 else 6), rows
        # The deadline each row is worked by is in view without scrolling sideways.
        header = queue.table.horizontalHeader()
        column = COL["countdown"]
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert header.sectionViewportPosition(column) >= 0, (width, language)
        assert right <= queue.table.viewport().width(), (width, language, right)


def test_a_long_message_never_widens_the_window(
    qtbot: QtBot, full_window: Callable[[str], tuple[Session, MonitoringWall]]
) -> None:
    s, _wall = full_window("en")
    window = s.workspace.window
    s.workspace.say("; ".join(f"case {n} changed on another workstation" for n in range(80)))
    qtbot.wait(20)
    assert fits(window.minimumSizeHint())


def test_f1_opens_the_shortcuts_dialog_and_the_window_keeps_its_width(
    qtbot: QtBot, full_window: Callable[[str], tuple[Session, MonitoringWall]]
) -> None:
    s, _wall = full_window("zh")
    window = s.workspace.window
    window.resize(1280, 720)
    qtbot.wait(30)
    width, hint = window.width(), window.minimumSizeHint().width()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = wait_dialog(qtbot, s.workspace, ShortcutsDialog)
    rows = dialog.rows()
    keys = {k for k, _text, _menu in rows}
    assert {"F1", "Ctrl+N", "F11"} <= keys and any("J" in k for k in keys)
    assert any(text == "快捷键" for _k, text, _m in rows)  # the actions' own words
    assert window.width() == width and window.minimumSizeHint().width() == hint
    assert fits(dialog.size()) and fits(dialog.minimumSizeHint())
    # Longer than the screen allows: the table scrolls instead.
    assert dialog.table.verticalScrollBar().maximum() >= 0
    save(dialog, ARTIFACTS / "shortcuts_dialog.png")
    dialog.reject()


def test_wall_tiles_and_ranking_grow_on_a_large_screen(qtbot: QtBot, qloop: Any) -> None:
    doc = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    wall = MonitoringWall(MemorySeriesSource(), redraw_interval_ms=30)
    qtbot.addWidget(wall)
    host = wall  # the wall in a window of its own, as on the room's video wall
    try:
        wall.set_stations(parse_stations(doc))
        qtbot.waitUntil(lambda: bool(wall.indicators.tiles), timeout=10000)
        host.resize(1280, 720)
        host.show()
        qtbot.waitExposed(host)
        qtbot.wait(50)
        tile = next(iter(wall.indicators.tiles.values()))
        small_value = tile.value.fontInfo().pixelSize()
        small_rank = wall.overview.view.fontInfo().pixelSize()
        small_hint = wall.minimumSizeHint()
        host.resize(3840, 2160)  # a 4K monitor; a video wall is larger still
        qtbot.waitUntil(lambda: tile.value.fontInfo().pixelSize() > small_value, timeout=3000)
        assert tile.value.fontInfo().pixelSize() >= small_value * 1.5
        assert tile.title.fontInfo().pixelSize() > 13
        assert wall.overview.view.fontInfo().pixelSize() >= small_rank * 1.5
        assert wall.overview.view.verticalHeader().defaultSectionSize() > 30
        # The grown text never grows what the window needs.
        assert wall.minimumSizeHint().width() <= small_hint.width()
        assert fits(wall.minimumSizeHint())
        save(host, ARTIFACTS / "wall_4k.png")
        host.resize(1280, 720)
        qtbot.waitUntil(lambda: tile.value.fontInfo().pixelSize() == small_value, timeout=3000)
    finally:
        wall.shutdown()


def test_tile_scale_follows_the_tile_and_the_window() -> None:
    assert tile_scale(150, 700) == 1.0  # never smaller than the base
    assert tile_scale(420, 2000) == pytest.approx(2.0)
    assert tile_scale(2000, 800) == pytest.approx(800 / 700)  # the window's height limits it
    assert tile_scale(5000, 5000) == 4.0


def test_f9_shows_the_alarm_rows_on_a_short_screen(
    qtbot: QtBot, full_window: Callable[[str], tuple[Session, MonitoringWall]]
) -> None:
    """The alarm dock scrolls its panel on a short screen; F9 brings the table's rows into
    view (not only the counts above them), so the officer sees the alarms to acknowledge."""
    s, _wall = full_window("zh")
    window = s.workspace.window
    window.resize(1366, 768)
    window.fit_docks()
    qtbot.wait(30)
    window.actions_by_name["alarm_panel"].trigger()
    qtbot.wait(30)
    table = window.findChild(QWidget, "alarmTable")
    rows = table.viewport().visibleRegion().boundingRect()
    assert rows.height() >= table.verticalHeader().defaultSectionSize(), rows
    assert table.hasFocus() or not window.isActiveWindow()
