"""What a chart draws behind a series: AQI level bands, GB 3095 limit lines, GB 3838 class lines.

All numbers come from dispatch_app.standards; this module only chooses which of them apply to a
parameter at a resolution and a date, and says how to label them. Qt-free, so it is tested on
its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dispatch_app.standards import aqi, aqi_tables, gb3095, water

AIR_POLLUTANTS = frozenset(aqi_tables.POLLUTANTS)
WATER_CLASS_NUMERALS = water.LABELS
RGB = tuple[int, int, int]
PERIOD_WORDS = {"1h": ("1 小时", "1-hour"), "8h": ("8 小时", "8-hour"), "day": ("日均", "daily")}


@dataclass(frozen=True, slots=True)
class Band:
    """A horizontal band [low, high) in the parameter's unit; high None: open above."""

    low: float
    high: float | None
    color: RGB
    label: str
    label_en: str


@dataclass(frozen=True, slots=True)
class LimitLine:
    value: float
    label: str
    emphasis: bool = False  # the line that matters most (the section's target class ...)
    lower_bound: bool = False  # DO: values *below* the line are worse
    label_en: str = ""


@dataclass(frozen=True, slots=True)
class References:
    bands: tuple[Band, ...] = ()
    lines: tuple[LimitLine, ...] = ()


def aqi_period(parameter: str, resolution: str) -> str:
    """The HJ 633 averaging period a point of this resolution is indexed on."""
    if resolution == "day":
        return "8h" if parameter == "O3" else "day"
    return "1h"  # raw and hourly points are read as real-time values (PM uses day breakpoints)


def aqi_bands(parameter: str, resolution: str, when: date) -> tuple[Band, ...]:
    """Concentration ranges of the six AQI levels for this pollutant, per the standard in force."""
    standard = aqi.standard_for(when)
    table = aqi.breakpoints(parameter, aqi_period(parameter, resolution), standard)
    bands = []
    # Level n spans IAQI steps n-1..n (0-50, 50-100, ..., 200-300); level 6 is above 300. Tables
    # that stop early (SO2 1 h at 800, O3 8 h at 800: special rules) get no band past their end.
    for n, level in enumerate(aqi_tables.LEVELS, start=1):
        if n >= len(table):
            break
        low = float(table[n - 1][0])
        high: float | None = float(table[n][0])
        if n == 6:
            high = None  # the last level is open above 300
        bands.append(Band(low, high, level.color, level.category_zh, level.category_en))
    return tuple(bands)


def references_for(
    parameter: str,
    resolution: str,
    when: date,
    *,
    waterbody: str | None = None,
    target_class: int | None = None,
) -> References:
    if parameter in AIR_POLLUTANTS:
        return References(
            aqi_bands(parameter, resolution, when), air_limit_lines(parameter, resolution, when)
        )
    if waterbody is not None:
        return References((), water_class_lines(parameter, waterbody, target_class))
    return References()


def air_limit_lines(parameter: str, resolution: str, when: date) -> tuple[LimitLine, ...]:
    """GB 3095—2026 class-2 limit for the averaging period the points represent (none for a
    period the standard does not limit, such as PM 1-hour values)."""
    period = {"day": "day", "hour": "1h", "raw": "1h"}[resolution]
    if parameter == "O3" and resolution == "day":
        period = "8h"
    if not gb3095.has_limit(parameter, period):
        return ()
    value = gb3095.limit(parameter, period, when)
    phase = gb3095.phase_for(when)
    zh, en = PERIOD_WORDS[period]
    word = "过渡" if phase == "transition" else "最终"
    return (
        LimitLine(
            float(value),
            f"GB 3095 {zh}二级{word}限值",
            emphasis=True,
            label_en=f"GB 3095 {en} class 2 {phase} limit",
        ),
    )


def water_class_lines(
    parameter: str, waterbody: str, target_class: int | None
) -> tuple[LimitLine, ...]:
    limits = water.class_limits(parameter, waterbody)
    if not limits:
        return ()
    lower = water.is_lower_bound(parameter)
    lines = []
    previous: float | None = None
    for grade, value in enumerate(limits, start=1):
        v = float(value)
        if previous is not None and v == previous:
            continue  # COD Ⅰ and Ⅱ share 15 mg/L: one line, labelled by the better class
        previous = v
        lines.append(
            LimitLine(
                v,
                f"{WATER_CLASS_NUMERALS[grade - 1]}类"
                + ("（目标）" if grade == target_class else ""),
                emphasis=grade == target_class,
                lower_bound=lower,
                label_en=f"Class {WATER_CLASS_NUMERALS[grade - 1]}"
                + (" (target)" if grade == target_class else ""),
            )
        )
    return tuple(lines)


def level_of(
    parameter: str,
    value: float,
    resolution: str,
    when: date,
    *,
    waterbody: str | None = None,
    english: bool = False,
) -> str:
    """Words for the tooltip: the AQI level of an air value, the GB 3838 class of a water value.

    Empty when the standards say nothing about this parameter (temperature, wind ...).
    """
    if parameter in AIR_POLLUTANTS:
        standard = aqi.standard_for(when)
        try:
            index = aqi.iaqi(parameter, value, aqi_period(parameter, resolution), standard)
        except ValueError:
            return ""
        if index is None:
            return ""
        level = aqi_tables.aqi_level(index)
        category = level.category_en if english else level.category_zh
        return f"IAQI {index} {category}"
    if waterbody is not None:
        if parameter not in water.CLASSIFIED:
            return ""
        try:
            grade = water.parameter_grade(parameter, value, waterbody)
        except ValueError:
            return ""
        numeral = WATER_CLASS_NUMERALS[grade - 1]
        return f"Class {numeral}" if english else f"{numeral}类"
    return ""
