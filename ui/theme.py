"""Themes: the QSS files in resources/themes plus the colors item models paint with.

QSS cannot reach an item model's per-cell colors, so the few semantic colors (priorities,
deadline states) are kept here per theme. Color is never the only cue: every colored cell also
carries text (P1, "超时 …") so a color-blind officer or a washed-out projector loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
THEMES_DIR = RESOURCES / "themes"


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
    app.setStyleSheet(qss_file.read_text(encoding="utf-8"))
    _CURRENT[0] = LIGHT if name == "light" else DARK
    font = QFont(app.font())
    # Noto Sans CJK SC renders both scripts evenly; fall back to whatever the system has.
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Sans Serif"])
    font.setPointSize(font_pt)
    app.setFont(font)
