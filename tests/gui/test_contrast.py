"""Text stays readable on both themes (WCAG 2 contrast ratio ≥ 4.5:1 for body text): alarm rows
in both phases of their flash, the petition intake's "discard?" bar, and the theme's other text
and background pairs. Ratios are computed from what is painted: the model's colors over the
table's real (QSS-polished) palette, and, for the discard bar, the pixels of the rendered bar."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from dispatch_app.domain.alarm_rules import Priority
from dispatch_app.domain.alarms import Alarm, AlarmState
from ui.alarms.panel import COLUMNS, AlarmModel, AlarmPanel
from ui.petitions.intake import PetitionIntakeDialog
from ui.shell import theme
from ui.wall.monitoring_wall import STATUS_COLORS, STATUS_TEXT_COLORS

THEMES = ("dark", "light")
MIN_RATIO = 4.5
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#ffffff"), QColor("#f6f8fa")) < 1.1


@pytest.fixture(params=THEMES)
def themed(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    theme.apply_theme(qapp, request.param, 13)
    yield request.param
    theme.apply_theme(qapp, "dark", 13)


def _alarm(key: str, priority: Priority, state: AlarmState) -> Alarm:
    return Alarm(
        key=key,
        rule_id="r",
        station_id="s",
        priority=priority,
        state=state,
        value=2.5,
        threshold=1.0,
        message_zh="氨氮超标",
        message_en="NH3-N over limit",
        evidence=(),
        first_raised=NOW,
        raised_at=NOW,
        last_seen=NOW,
        cleared_at=NOW if state is AlarmState.CLEARED_UNACKNOWLEDGED else None,
        acknowledged_by="张值班" if state is AlarmState.ACTIVE_ACKNOWLEDGED else None,
    )


def _alarms() -> list[Alarm]:
    return [
        _alarm(f"{p.value}-{s.name}", p, s)
        for p in Priority
        for s in (
            AlarmState.ACTIVE_UNACKNOWLEDGED,
            AlarmState.CLEARED_UNACKNOWLEDGED,
            AlarmState.ACTIVE_ACKNOWLEDGED,
        )
    ]


def test_alarm_rows_keep_contrast_in_every_flash_phase(qtbot: QtBot, themed: str) -> None:
    panel = AlarmPanel(lambda s: "青龙站", lambda a: a.message_zh, lambda: NOW)
    qtbot.addWidget(panel)
    panel.model.reset_to(_alarms())
    panel.resize(1200, 400)
    panel.show()
    qtbot.waitExposed(panel)
    table, model = panel.table, panel.model
    # What the delegate falls back on: the table's palette as the theme's QSS polished it.
    view_palette = table.palette()
    base = view_palette.color(QPalette.ColorRole.Base)
    text = view_palette.color(QPalette.ColorRole.Text)
    colors = theme.palette()
    assert base == colors.table_base and text == colors.table_fg, "theme.py mirrors the QSS"

    failures = []
    flashing_seen = 0
    for phase in (False, True):
        model.flash_on = phase
        for row in range(model.rowCount()):
            for column in range(len(COLUMNS)):
                index = model.index(row, column)
                bg = index.data(Qt.ItemDataRole.BackgroundRole) or base
                fg = index.data(Qt.ItemDataRole.ForegroundRole) or text
                if index.data(Qt.ItemDataRole.BackgroundRole) is not None:
                    flashing_seen += 1
                for under in (bg,) if bg != base else (base, colors.table_alt):
                    ratio = contrast(QColor(fg), QColor(under))
                    if ratio < MIN_RATIO:
                        alarm = model.alarm_at(row)
                        assert alarm is not None
                        failures.append(
                            f"{themed} flash={'on' if phase else 'off'} {alarm.key} "
                            f"{COLUMNS[column]}: {QColor(fg).name()} on {QColor(under).name()}"
                            f" = {ratio:.2f}"
                        )
    assert flashing_seen > 0, "no row flashed: the test would prove nothing"
    assert failures == []


def _ink_ratio(image: QImage) -> float:
    """Contrast between the background (the commonest pixel) and the ink (the pixel that
    stands out most from it) of a rendered piece of text."""
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    background = QColor.fromRgb(max(counts, key=lambda k: counts[k]))
    return max(contrast(QColor.fromRgb(rgb), background) for rgb in counts)


def test_petition_discard_bar_is_readable(qtbot: QtBot, themed: str) -> None:
    async def save(*_args: Any, **_kwargs: Any) -> None:
        return None

    dialog = PetitionIntakeDialog(save, now=lambda: NOW)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.phone, "13812345678")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Escape)
    assert not dialog.discard_bar.isHidden()
    question = dialog.discard_question
    # The question as painted, over whatever it sits on (the bar's own grab includes it).
    painted = dialog.discard_bar.grab(question.geometry()).toImage()
    ratio = _ink_ratio(painted)
    assert ratio >= MIN_RATIO, f"{themed}: discard question contrast {ratio:.2f}"
    # The bar still reads as a warning: the question sits on the bar's red, not on a plain
    # window-colored box.
    bar = dialog.discard_bar.grab().toImage().pixelColor(2, 2)
    assert contrast(bar, painted.pixelColor(1, 1)) < 1.1, (bar.name(), painted.pixelColor(1, 1))


# --- the theme's other pairs -------------------------------------------------------------------

THEMES_DIR = Path(theme.THEMES_DIR)


def qss_color(name: str, selector: str, prop: str) -> QColor:
    """The color ``prop`` of the rule whose selector list is exactly ``selector`` in a theme."""
    text = re.sub(r"/\*.*?\*/", "", (THEMES_DIR / f"{name}.qss").read_text("utf-8"), flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
        if selector in [s.strip() for s in selectors.split(",")]:
            match = re.search(rf"(?:^|[;\s]){re.escape(prop)}\s*:\s*(#[0-9a-fA-F]{{6}})", body)
            if match:
                return QColor(match.group(1))
    raise AssertionError(f"{name}.qss: no {prop} for {selector}")


def theme_pairs(name: str) -> list[tuple[str, QColor, QColor]]:
    colors = theme.LIGHT if name == "light" else theme.DARK
    window = qss_color(name, "QWidget", "background-color")
    table = colors.table_base
    pairs = [
        ("body text", qss_color(name, "QWidget", "color"), window),
        ("table text", colors.table_fg, table),
        ("table text, alternate rows", colors.table_fg, colors.table_alt),
        (
            "selected row",
            qss_color(name, "QTableView", "selection-color"),
            qss_color(name, "QTableView", "selection-background-color"),
        ),
        ("overdue", colors.overdue_fg, colors.overdue_bg),
        ("at risk", colors.at_risk_fg, colors.at_risk_bg),
        ("on time", colors.on_time_fg, table),
        ("on time, alternate rows", colors.on_time_fg, colors.table_alt),
        ("muted", colors.muted_fg, table),
        ("cleared alarm", colors.alarm_cleared_fg, table),
        ("hint", qss_color(name, 'QLabel[role="hint"]', "color"), window),
        ("field error", qss_color(name, 'QLabel[role="fieldError"]', "color"), window),
        ("notice", qss_color(name, 'QLabel[role="notice"]', "color"), window),
        ("alarm flood", qss_color(name, "QLabel#alarmFlood", "color"), window),
        (
            "service ok",
            qss_color(name, "QLabel#statusServiceOk", "color"),
            qss_color(name, "QStatusBar", "background"),
        ),
        (
            "service down",
            qss_color(name, "QLabel#statusServiceDown", "color"),
            qss_color(name, "QStatusBar", "background"),
        ),
        (
            "header",
            qss_color(name, "QHeaderView::section", "color"),
            qss_color(name, "QHeaderView::section", "background"),
        ),
    ]
    for priority, fg in colors.priority_fg.items():
        pairs.append((f"case {priority}", fg, table))
        pairs.append((f"case {priority}, alternate rows", fg, colors.table_alt))
    for priority, alarm in colors.alarm.items():
        pairs.append((f"alarm {priority}", alarm.fg, table))
        pairs.append((f"alarm {priority} flashing", alarm.flash_fg, alarm.flash_bg))
    pairs.append(("map district name", colors.map.label, colors.map.district_fill))
    for status, ground in STATUS_COLORS.items():
        pairs.append((f"wall badge {status}", QColor(STATUS_TEXT_COLORS[status]), QColor(ground)))
    return pairs


@pytest.mark.parametrize("name", THEMES)
def test_theme_text_pairs_reach_wcag_aa(name: str) -> None:
    low = [
        f"{what}: {fg.name()} on {bg.name()} = {contrast(fg, bg):.2f}"
        for what, fg, bg in theme_pairs(name)
        if contrast(fg, bg) < MIN_RATIO
    ]
    assert low == []


@pytest.mark.parametrize("name", THEMES)
def test_palette_mirrors_the_qss_table_colors(name: str) -> None:
    colors = theme.LIGHT if name == "light" else theme.DARK
    assert qss_color(name, "QTableView", "background-color") == colors.table_base
    assert qss_color(name, "QTableView", "alternate-background-color") == colors.table_alt


def test_alarm_flash_changes_with_the_theme(qtbot: QtBot, qapp: Any) -> None:
    """A theme switch repaints the rows in the new theme's colors (read at paint time)."""
    model = AlarmModel(lambda s: s, lambda a: a.message_zh, lambda: NOW)
    model.reset_to([_alarm("k", Priority.HIGH, AlarmState.ACTIVE_UNACKNOWLEDGED)])
    model.flash_on = True
    index = model.index(0, 0)
    try:
        theme.apply_theme(qapp, "light", 13)
        assert index.data(Qt.ItemDataRole.BackgroundRole) == theme.LIGHT.alarm["high"].flash_bg
        theme.apply_theme(qapp, "dark", 13)
        assert index.data(Qt.ItemDataRole.BackgroundRole) == theme.DARK.alarm["high"].flash_bg
    finally:
        theme.apply_theme(qapp, "dark", 13)
