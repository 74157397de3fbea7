"""The map follows the theme: a dark basemap on the dark theme, a light one on the light theme,
switched at runtime with the rest of the desk (View → Light theme)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from ui.shell import theme
from ui.wall.map.view import MapView


@pytest.fixture
def dark(qapp: Any) -> Iterator[Any]:
    theme.apply_theme(qapp, "dark", 13)
    yield qapp
    theme.apply_theme(qapp, "dark", 13)


def _lightness(color: QColor) -> float:
    return color.lightnessF()


def _land_point(view: MapView) -> QPoint:
    """A viewport point well inside a district, away from every district's name."""
    names = [view.mapFromScene(label.pos()) for label in view._district_labels]
    for item in view.districts.values():
        box = item.path().boundingRect()
        steps = 24
        for i in range(1, steps):
            for j in range(1, steps):
                scene = QPointF(
                    box.left() + box.width() * i / steps, box.top() + box.height() * j / steps
                )
                at = view.mapFromScene(scene)
                around = [at + QPoint(dx, dy) for dx in (-6, 0, 6) for dy in (-6, 0, 6)]
                inside = all(item.path().contains(view.mapToScene(p)) for p in around)
                clear = all((at - n).manhattanLength() > 80 for n in names)
                if inside and clear:
                    return at
    raise AssertionError("no point inside a district")


def _pixels(view: MapView) -> tuple[QColor, QColor]:
    image = view.viewport().grab().toImage()
    return image.pixelColor(3, 3), image.pixelColor(_land_point(view))


def test_map_background_and_land_follow_the_theme(qtbot: QtBot, dark: Any) -> None:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.fit_city()

    background, land = _pixels(view)
    assert background == theme.DARK.map.background
    assert land == theme.DARK.map.district_fill
    assert _lightness(background) < 0.25 and _lightness(land) < 0.35

    # The officer switches to the light theme: the open map repaints in light tones.
    theme.apply_theme(dark, "light", 13)
    qtbot.waitUntil(lambda: view.colors_of == "light", timeout=2000)
    background, land = _pixels(view)
    assert background == theme.LIGHT.map.background
    assert land == theme.LIGHT.map.district_fill
    assert _lightness(background) > 0.75 and _lightness(land) > 0.85

    theme.apply_theme(dark, "dark", 13)
    qtbot.waitUntil(lambda: view.colors_of == "dark", timeout=2000)
    assert _pixels(view)[0] == theme.DARK.map.background


def test_a_map_built_on_the_light_theme_is_light(qtbot: QtBot, dark: Any) -> None:
    theme.apply_theme(dark, "light", 13)
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 500)
    view.show()
    qtbot.waitExposed(view)
    view.fit_city()
    background, _land = _pixels(view)
    assert background == theme.LIGHT.map.background
    labels = view._district_labels
    assert labels and all(label.brush().color() == theme.LIGHT.map.label for label in labels)
