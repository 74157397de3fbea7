"""The map's legend: every symbol the map draws, drawn by the same painters, with its name.

An overlay in the map's corner, in four columns (stations and clusters, AQI levels, water
classes, cases), folded to one button when the officer wants the map clear. Built once; the
words come through tr(), so the legend speaks the desk's language.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_app.standards import aqi_tables, water
from ui.shell.i18n import current_language
from ui.wall.map.markers import (
    CASE_KIND_GLYPHS,
    NO_DATA_COLOR,
    PRIORITY_COLORS,
    paint_case_pin,
    paint_cluster,
    paint_station_symbol,
    station_symbol_radius,
)

ICON = 18  # px: the symbols at a size that reads, smaller than on the map
# The open legend is wide and low: it stays open while it fits the map's width and covers at
# most this share of its height, and folds on a short map, where it would hide the symbols.
FAIR_HEIGHT = 0.3


def _icon(draw: Callable[[QPainter], None], scale: float, dy: float = 0.0) -> QPixmap:
    pixmap = QPixmap(ICON, ICON)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(QPointF(ICON / 2, ICON / 2 + dy))
    painter.scale(scale, scale)
    draw(painter)
    painter.end()
    return pixmap


def _swatch(color: QColor) -> QPixmap:
    pixmap = QPixmap(ICON, ICON // 2)
    pixmap.fill(color)
    return pixmap


class MapLegend(QFrame):
    """The legend overlay. `names()` lists every entry's text (what the tests check the map's
    symbols against); `kinds`, `cases` and `clusters` map codes to those texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapLegend")
        self.setStyleSheet(
            "QFrame#mapLegend { background: rgba(0,0,0,200); border-radius: 4px; }"
            " QFrame#mapLegend QLabel { color: white; font-size: 10px; background: transparent; }"
            ' QLabel[legendHead="true"] { font-weight: bold; }'
        )
        self.toggle = QToolButton(parent)
        self.toggle.setObjectName("mapLegendToggle")
        self.toggle.setText(self.tr("Legend"))
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolTip(self.tr("Show or hide the map legend"))
        self.toggle.toggled.connect(self.setVisible)
        # Folded by itself on a map too small to show it beside the symbols, until the officer
        # opens or folds it by hand: from then on the officer's choice holds.
        self._chosen = False
        self.toggle.clicked.connect(self._choose)
        self._name_tables()
        self._names: list[str] = []
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(1)
        columns = self._columns()
        for c, entries in enumerate(columns):
            for r, (icon, text) in enumerate(entries):
                label = QLabel(text)
                if icon is None:
                    label.setProperty("legendHead", True)
                    grid.addWidget(label, r, 2 * c, 1, 2)
                else:
                    picture = QLabel()
                    picture.setPixmap(icon)
                    picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
                    grid.addWidget(picture, r, 2 * c)
                    grid.addWidget(label, r, 2 * c + 1)
                if text:
                    self._names.append(text)
            grid.setColumnMinimumWidth(2 * c + 1, 60)
            if c < len(columns) - 1:
                grid.setColumnMinimumWidth(2 * c + 2, ICON)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(grid)
        self.adjustSize()

    def _name_tables(self) -> None:
        """The names of the station kinds, clusters, case kinds and priorities shown."""
        self.kinds: dict[str, str] = {
            "air_national": self.tr("National air station"),
            "air_provincial": self.tr("Provincial air station"),
            "air_township": self.tr("Township air station"),
            "air_grid": self.tr("Hotspot grid point"),
            "water_national": self.tr("National water section"),
            "water_provincial": self.tr("Provincial water section"),
            "water_boundary": self.tr("District-boundary section"),
        }
        self.clusters = {
            "air": self.tr("Air stations grouped: count, worst AQI color"),
            "water": self.tr("Boundary sections grouped: count, worst class color"),
        }
        self.cases = {
            "quality": self.tr("Quality problem"),
            "violation": self.tr("Violation case"),
            "emergency": self.tr("Emergency"),
            "petition": self.tr("Petition"),
        }
        self.priorities = {
            1: self.tr("P1 critical"),
            2: self.tr("P2 urgent"),
            3: self.tr("P3 normal"),
            4: self.tr("P4 low"),
        }

    def _columns(self) -> list[list[tuple[QPixmap | None, str]]]:
        """The legend's five columns of (symbol, name); a name without a symbol heads a column."""
        english = current_language() == "en"
        grey = NO_DATA_COLOR

        columns: list[list[tuple[QPixmap | None, str]]] = [[], [], [], [], []]
        columns[0].append((None, self.tr("Stations (label: AQI or class)")))

        def station(kind: str) -> Callable[[QPainter], None]:
            return lambda p: paint_station_symbol(p, kind, grey)

        def cluster(on_water: bool) -> Callable[[QPainter], None]:
            return lambda p: paint_cluster(p, grey, "12", 15, on_water)

        def pin(kind: str) -> Callable[[QPainter], None]:
            return lambda p: paint_case_pin(p, kind, 3)

        columns[1].append((None, ""))
        for kind, name in self.kinds.items():
            scale = min(1.0, 8.0 / station_symbol_radius(kind))
            columns[1 if kind.startswith("water") else 0].append(
                (_icon(station(kind), scale), name)
            )
        for key, name in self.clusters.items():
            columns[1].append((_icon(cluster(key == "water"), 0.45), name))
        air, water_col, cases_col = columns[2], columns[3], columns[4]
        air.append((None, self.tr("Air: AQI (HJ 633)")))
        for level in aqi_tables.LEVELS:
            text = f"{level.lowest}–{level.highest or '500+'} " + (
                level.category_en if english else level.category_zh
            )
            air.append((_swatch(QColor(*level.color)), text))
        air.append((_swatch(grey), self.tr("No data or data service down")))
        water_col.append((None, self.tr("Water: class (GB 3838)")))
        for grade, color in enumerate(water.COLORS, start=1):
            status = (water.STATUS_EN if english else water.STATUS_ZH)[grade - 1]
            water_col.append((_swatch(QColor(*color)), f"{water.label(grade)} {status}"))
        cases_col.append((None, self.tr("Open cases: kind, priority")))
        for kind, name in self.cases.items():
            cases_col.append((_icon(pin(kind), 0.5, dy=7), f"{CASE_KIND_GLYPHS[kind]} {name}"))
        for priority, name in self.priorities.items():
            cases_col.append((_swatch(PRIORITY_COLORS[priority]), name))
        return columns

    def names(self) -> list[str]:
        return list(self._names)

    def _choose(self) -> None:
        self._chosen = True

    def place(self, width: int, height: int) -> None:
        """Bottom-left of a map of this size, the toggle beneath it; folded when it would
        cover more than a fair part of the map (a small map on a laptop-sized screen)."""
        self.toggle.adjustSize()
        if not self._chosen:
            hint = self.sizeHint()
            self.toggle.setChecked(
                hint.width() <= width - 12 and hint.height() <= height * FAIR_HEIGHT
            )
        self.toggle.move(6, height - self.toggle.height() - 6)
        self.adjustSize()
        self.move(6, max(0, self.toggle.y() - self.height() - 4))
        self.toggle.raise_()
