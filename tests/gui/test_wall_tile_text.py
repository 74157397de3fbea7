"""The wall's indicator tiles in English: every text fits its label (by the label's font
metrics) or is shortened with "…" at a word boundary and carries the whole text as its tooltip;
the status word ("on target", "no data") is never cut."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from dispatch_app.domain.indicators import Indicator
from ui.shell import theme
from ui.shell.i18n import install_translators
from ui.wall.indicators import IndicatorResult
from ui.wall.monitoring_wall import IndicatorStrip, IndicatorTile
from ui.wall.text import ELLIPSIS, TileText, elide_words

WIDTHS = (1920, 1366, 1280, 900)


def _indicator(key: str, title: str, value: str | None, unit: str, status: str) -> Indicator:
    return Indicator(
        key=key,
        title_zh="指标",
        title_en=title,
        value=Decimal(value) if value is not None else None,
        unit=unit,
        status=status,  # type: ignore[arg-type]
        comparison_zh="目标 80 %",
        comparison_en="target 80 %; 10 good of 12 rated days",
        formula="good days / rated days × 100",
    )


INDICATORS = [
    _indicator("pm25_ytd", "PM2.5 year-to-date mean", "33.3", "µg/m³", "bad"),
    _indicator("good_days", "Share of good days (AQI ≤ 100), year to date", "86.4", "%", "good"),
    _indicator("sections_national", "National sections at class Ⅲ or better", None, "%", "no_data"),
    _indicator(
        "sections_provincial", "Provincial sections at class Ⅲ or better", "90.0", "%", "warning"
    ),
    _indicator("lake_tp:滆湖", "Gehu Lake total phosphorus, year on year", "-35.7", "%", "good"),
    _indicator(
        "lake_tp:长荡湖", "Changdang Lake total phosphorus, year on year", None, "%", "no_data"
    ),
    _indicator("drinking", "Drinking-water sources meeting their target", "100.0", "%", "good"),
]


@pytest.fixture
def english_light(qapp: Any) -> Iterator[Any]:
    install_translators(qapp, "en")
    theme.apply_theme(qapp, "light", 13)
    yield qapp
    theme.apply_theme(qapp, "dark", 13)


def _fits(label: QLabel) -> bool:
    metrics = QFontMetrics(label.font())
    width = label.contentsRect().width()
    return all(metrics.horizontalAdvance(line) <= width for line in label.text().split("\n"))


def _check_tile(tile: IndicatorTile, width: int) -> list[str]:
    problems = []
    for name in ("title", "value"):
        label = getattr(tile, name)
        assert isinstance(label, TileText)
        full = label.full_text()
        lines = label.text().split("\n")
        if not _fits(label) or len(lines) > label.lines:
            problems.append(f"{width}px {tile.key} {name}: {label.text()!r} overflows its label")
        shown = " ".join(lines)
        if shown == full:
            continue
        if not (shown.endswith(ELLIPSIS) and label.toolTip() == full and label.is_elided()):
            problems.append(f"{width}px {tile.key} {name}: {shown!r} cut without … + tip")
        kept = shown[: -len(ELLIPSIS)]
        last = lines[-1][: -len(ELLIPSIS)]
        if " " in last or "-" in last:  # (a lone word too long for its line is cut with …)
            # Whole words only: what is kept ends where a word of the full text ends.
            rest = full[len(kept) :]
            whole = rest[:1] in (" ", ",", ";", ")") or not rest or kept.endswith("-")
            if not full.startswith(kept) or not whole:
                problems.append(f"{width}px {tile.key} {name}: {shown!r} cut mid-word")
    badge = tile.badge
    if not _fits(badge) or badge.width() < badge.sizeHint().width():
        problems.append(f"{width}px {tile.key} badge {badge.text()!r} cut to {badge.width()}px")
    comparison = tile.comparison
    needed = QFontMetrics(comparison.font()).boundingRect(
        comparison.contentsRect(), int(Qt.TextFlag.TextWordWrap), comparison.text()
    )
    if needed.width() > comparison.contentsRect().width():
        problems.append(f"{width}px {tile.key} comparison: a word is wider than its label")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_english_tiles_fit_or_elide_with_the_whole_text_as_tooltip(
    qtbot: QtBot, english_light: Any, width: int
) -> None:
    strip = IndicatorStrip()
    qtbot.addWidget(strip)
    strip.show_result(IndicatorResult(INDICATORS, date(2026, 11, 28)))
    strip.resize(width, 140)
    strip.show()
    qtbot.waitExposed(strip)
    qtbot.wait(20)
    tiles = list(strip.tiles.values())
    assert [t.badge.text() for t in tiles][:3] == ["off target", "on target", "no data"]
    problems = [p for tile in tiles for p in _check_tile(tile, width)]
    assert problems == []
    if width <= 1366:
        # The narrow strip really does shorten the long titles (the test checks something).
        assert any(t.title.is_elided() for t in tiles)


def test_elision_keeps_whole_words(qapp: Any) -> None:
    label = TileText("Share of good days (AQI ≤ 100), year to date")
    metrics = label.fontMetrics()
    full = label.full_text()
    for width in range(metrics.horizontalAdvance("M…"), metrics.horizontalAdvance(full) + 5, 7):
        shown = elide_words(full, metrics, width)
        assert metrics.horizontalAdvance(shown) <= width
        if shown == full:
            continue
        assert shown.endswith(ELLIPSIS)
        kept = shown[: -len(ELLIPSIS)]
        if metrics.horizontalAdvance("Share…") <= width:
            assert full.startswith(kept) and full[len(kept)] in " ,;(", (width, shown)
    tight = metrics.horizontalAdvance("PM2.5 year-to-…")
    assert elide_words("PM2.5 year-to-date mean", metrics, tight) == "PM2.5 year-to-…"
    label.show()
    label.resize(metrics.horizontalAdvance("Share of good…") + 4, 30)
    assert label.text() == "Share of good…" and label.toolTip() == full
    label.resize(metrics.horizontalAdvance(full) + 10, 30)
    assert label.text() == full and label.toolTip() == ""
