"""Themes: the QSS files in resources/themes plus the colors item models paint with.

QSS cannot reach an item model's per-cell colors or a painted scene, so the few semantic colors
(priorities, deadline states, alarm rows in both flash phases, the map's basemap) are kept here
per theme, with the table colors of the QSS they are painted on (tests/gui/test_contrast.py
checks every pair against WCAG's 4.5:1 and that these mirror the QSS). Color is never the only cue: every colored cell also
carries text (P1, "超时 …") so a color-blind officer or a washed-out projector loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

from dispatch_app.resources import resources_dir

RESOURCES = resources_dir()
THEMES_DIR = RESOURCES / "themes"


@dataclass(frozen=True)
class AlarmColors:
    """One alarm priority's colors: its priority cell at rest, and the whole row in the "on"
    phase of the flash (background and text together, so the text stays readable in both)."""

    fg: QColor
    flash_bg: QColor
    flash_fg: QColor


@dataclass(frozen=True)
class MapColors:
    background: QColor
    district_fill: QColor
    district_edge: QColor
    label: QColor
    label_outline: QColor  # a halo in the opposite tone keeps names legible over markers


@dataclass(frozen=True)
class Palette:
    name: str
    overdue_fg: QColor
    overdue_bg: QColor
    at_risk_fg: QColor
    at_risk_bg: QColor
    on_time_fg: QColor
    priority_fg: dict[str, QColor]
    muted_fg: QColor
    table_base: QColor  # QTableView background / alternate rows, as in the theme's QSS
    table_alt: QColor
    table_fg: QColor
    alarm: dict[str, AlarmColors]
    alarm_cleared_fg: QColor
    map: MapColors


DARK = Palette(
    name="dark",
    overdue_fg=QColor("#ffffff"),
    overdue_bg=QColor("#8e1519"),
    at_risk_fg=QColor("#1a1300"),
    at_risk_bg=QColor("#d29922"),
    on_time_fg=QColor("#3fb950"),
    priority_fg={
        "P1": QColor("#ff7b72"),
        "P2": QColor("#ffa657"),
        "P3": QColor("#e3b341"),
        "P4": QColor("#8b949e"),
    },
    muted_fg=QColor("#8b949e"),
    table_base=QColor("#0d1117"),
    table_alt=QColor("#161b22"),
    table_fg=QColor("#e6edf3"),
    alarm={
        "high": AlarmColors(QColor("#ff5252"), QColor("#5c1010"), QColor("#ffffff")),
        "medium": AlarmColors(QColor("#ffb74d"), QColor("#4d3300"), QColor("#ffffff")),
        "low": AlarmColors(QColor("#81d4fa"), QColor("#0d3347"), QColor("#ffffff")),
    },
    alarm_cleared_fg=QColor("#9e9e9e"),
    map=MapColors(
        background=QColor(18, 24, 32),
        district_fill=QColor(44, 56, 70),
        district_edge=QColor(140, 160, 180),
        label=QColor(190, 205, 220),
        label_outline=QColor(10, 14, 20),
    ),
)

LIGHT = Palette(
    name="light",
    overdue_fg=QColor("#ffffff"),
    overdue_bg=QColor("#cf222e"),
    at_risk_fg=QColor("#1f2328"),
    at_risk_bg=QColor("#f2cc60"),
    on_time_fg=QColor("#1a7f37"),
    priority_fg={
        "P1": QColor("#cf222e"),
        "P2": QColor("#bc4c00"),
        "P3": QColor("#7d4e00"),
        "P4": QColor("#59636e"),
    },
    muted_fg=QColor("#59636e"),
    table_base=QColor("#ffffff"),
    table_alt=QColor("#f6f8fa"),
    table_fg=QColor("#1f2328"),
    alarm={
        "high": AlarmColors(QColor("#cf222e"), QColor("#a40e26"), QColor("#ffffff")),
        "medium": AlarmColors(QColor("#953800"), QColor("#f2cc60"), QColor("#1f2328")),
        "low": AlarmColors(QColor("#0969da"), QColor("#0550ae"), QColor("#ffffff")),
    },
    alarm_cleared_fg=QColor("#59636e"),
    map=MapColors(
        background=QColor("#dfe6ec"),
        district_fill=QColor("#f7f5ef"),
        district_edge=QColor("#8c959f"),
        label=QColor("#1f2328"),
        label_outline=QColor("#ffffff"),
    ),
)

_CURRENT: list[Palette] = [DARK]


def palette() -> Palette:
    """The palette of the theme in use (models read it at paint time)."""
    return _CURRENT[0]


def current_theme() -> str:
    return _CURRENT[0].name


def apply_theme(app: QApplication, name: str, font_pt: int) -> None:
    """Applies the QSS and the readable-across-the-room base font."""
    qss_file = THEMES_DIR / f"{name}.qss"
    # The palette first: setStyleSheet sends every widget a StyleChange, and those that paint
    # themselves (the map) read the new palette when it arrives.
    _CURRENT[0] = LIGHT if name == "light" else DARK
    app.setStyleSheet(qss_file.read_text(encoding="utf-8"))
    font = QFont(app.font())
    # Noto Sans CJK SC renders both scripts evenly; fall back to whatever the system has.
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Sans Serif"])
    font.setPointSize(font_pt)
    app.setFont(font)
