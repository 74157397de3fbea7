"""HJ 633 breakpoint tables (Table 3 of HJ 633—2026, Table 1 of HJ 633—2012) and AQI levels.

Source: REFERENCE.md §2. Concentrations in µg/m³, CO in mg/m³. Each table is a list of
(concentration, IAQI) breakpoints; the IAQI between two breakpoints is linear in between.
The two versions differ only in the PM10 and PM2.5 breakpoints at IAQI 100 (120/60 in 2026,
150/75 in 2012) and in what happens to SO2 1 h and O3 8 h above 800 µg/m³ (see ``aqi``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

HJ633_2026: Final = "HJ633-2026"
HJ633_2012: Final = "HJ633-2012"
STANDARDS: Final[tuple[str, ...]] = (HJ633_2026, HJ633_2012)
#: HJ 633—2026 is in force from this (Beijing) date; earlier data is indexed per HJ 633—2012.
HJ633_2026_IN_FORCE: Final = date(2026, 3, 1)

#: The six pollutants of the index, in the order reports list them.
POLLUTANTS: Final[tuple[str, ...]] = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
PERIODS: Final[tuple[str, ...]] = ("1h", "8h", "day", "24h")

IAQI_STEPS: Final = (0, 50, 100, 150, 200, 300, 400, 500)

#: SO2 1 h above this has no IAQI of its own; O3 8 h above it neither (special rules).
SPECIAL_RULE_ABOVE: Final = Decimal(800)


def _bp(*concentrations: int | str) -> tuple[tuple[Decimal, int], ...]:
    return tuple((Decimal(c), IAQI_STEPS[i]) for i, c in enumerate(concentrations))


_COMMON: Final = {
    ("SO2", "day"): _bp(0, 50, 150, 475, 800, 1600, 2100, 2620),
    ("SO2", "1h"): _bp(0, 150, 500, 650, 800),
    ("NO2", "day"): _bp(0, 40, 80, 180, 280, 565, 750, 940),
    ("NO2", "1h"): _bp(0, 100, 200, 700, 1200, 2340, 3090, 3840),
    ("CO", "day"): _bp(0, 2, 4, 14, 24, 36, 48, 60),
    ("CO", "1h"): _bp(0, 5, 10, 35, 60, 90, 120, 150),
    ("O3", "8h"): _bp(0, 100, 160, 215, 265, 800),
    ("O3", "1h"): _bp(0, 160, 200, 300, 400, 800, 1000, 1200),
}

BREAKPOINTS: Final[dict[str, dict[tuple[str, str], tuple[tuple[Decimal, int], ...]]]] = {
    HJ633_2026: {
        **_COMMON,
        ("PM10", "day"): _bp(0, 50, 120, 250, 350, 420, 500, 600),
        ("PM2.5", "day"): _bp(0, 35, 60, 115, 150, 250, 350, 500),
    },
    HJ633_2012: {
        **_COMMON,
        ("PM10", "day"): _bp(0, 50, 150, 250, 350, 420, 500, 600),
        ("PM2.5", "day"): _bp(0, 35, 75, 115, 150, 250, 350, 500),
    },
}

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class AqiLevel:
    """One of the six AQI levels of HJ 633 with its category words and color."""

    number: int
    name_zh: str
    category_zh: str
    category_en: str
    color: RGB
    lowest: int
    highest: int | None

    @property
    def color_hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.color)


LEVELS: Final = (
    AqiLevel(1, "一级", "优", "Excellent", (0, 228, 0), 0, 50),
    AqiLevel(2, "二级", "良", "Good", (255, 255, 0), 51, 100),
    AqiLevel(3, "三级", "轻度污染", "Lightly polluted", (255, 126, 0), 101, 150),
    AqiLevel(4, "四级", "中度污染", "Moderately polluted", (255, 0, 0), 151, 200),
    AqiLevel(5, "五级", "重度污染", "Heavily polluted", (153, 0, 76), 201, 300),
    AqiLevel(6, "六级", "严重污染", "Severely polluted", (126, 0, 35), 301, None),
)


def aqi_level(aqi: int) -> AqiLevel:
    """The level an AQI value falls in (0–50 is level 1; above 300 is level 6)."""
    if isinstance(aqi, bool) or not isinstance(aqi, int) or aqi < 0:
        raise ValueError(f"AQI must be a non-negative integer, got {aqi!r}")
    for level in LEVELS:
        if level.highest is None or aqi <= level.highest:
            return level
    raise AssertionError("unreachable: the last level is open-ended")


def level_by_number(number: int) -> AqiLevel:
    """The level 1–6 by its number (rules name levels by number)."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 6:
        raise ValueError(f"AQI level must be an integer 1–6, got {number!r}")
    return LEVELS[number - 1]
