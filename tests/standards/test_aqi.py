"""HJ 633 scalar path: every breakpoint of both versions, values between, special rules,
reports (missing pollutants, primary pollutants and ties, levels) and refused input.

The expected tables below are transcribed from REFERENCE.md §2 independently of
dispatch_app/standards/aqi_tables.py, so a typo in either shows up here.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from dispatch_app.standards import aqi
from dispatch_app.standards.aqi_tables import aqi_level, level_by_number

STEPS = (0, 50, 100, 150, 200, 300, 400, 500)
COMMON = {
    ("SO2", "day"): (0, 50, 150, 475, 800, 1600, 2100, 2620),
    ("SO2", "1h"): (0, 150, 500, 650, 800),
    ("NO2", "day"): (0, 40, 80, 180, 280, 565, 750, 940),
    ("NO2", "1h"): (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    ("CO", "day"): (0, 2, 4, 14, 24, 36, 48, 60),
    ("CO", "1h"): (0, 5, 10, 35, 60, 90, 120, 150),
    ("O3", "8h"): (0, 100, 160, 215, 265, 800),
    ("O3", "1h"): (0, 160, 200, 300, 400, 800, 1000, 1200),
}
EXPECTED = {
    "HJ633-2026": {
        **COMMON,
        ("PM10", "day"): (0, 50, 120, 250, 350, 420, 500, 600),
        ("PM2.5", "day"): (0, 35, 60, 115, 150, 250, 350, 500),
    },
    "HJ633-2012": {
        **COMMON,
        ("PM10", "day"): (0, 50, 150, 250, 350, 420, 500, 600),
        ("PM2.5", "day"): (0, 35, 75, 115, 150, 250, 350, 500),
    },
}
CASES = [
    (std, pollutant, period, bps)
    for std, tables in EXPECTED.items()
    for (pollutant, period), bps in tables.items()
]


def reference_iaqi(bps: tuple[int, ...], c: Fraction) -> int:
    """Independent formula of REFERENCE.md §2 in rationals (for values within the table)."""
    for k in range(1, len(bps)):
        if c <= bps[k]:
            lo, hi = bps[k - 1], bps[k]
            return math.ceil(
                Fraction(STEPS[k] - STEPS[k - 1]) * (c - lo) / (hi - lo) + STEPS[k - 1]
            )
    raise AssertionError("above table")


@pytest.mark.parametrize(("std", "pollutant", "period", "bps"), CASES)
def test_every_breakpoint_gives_its_iaqi_exactly(std, pollutant, period, bps) -> None:
    for bp, step in zip(bps, STEPS, strict=False):
        assert aqi.iaqi(pollutant, bp, period, std) == step, (pollutant, period, bp)


@pytest.mark.parametrize(("std", "pollutant", "period", "bps"), CASES)
def test_values_between_breakpoints(std, pollutant, period, bps) -> None:
    resolution = Fraction(1, 10) if pollutant == "CO" else Fraction(1)
    for k in range(1, len(bps)):
        lo, hi = bps[k - 1], bps[k]
        for c in (lo + resolution, Fraction(lo + hi, 2), hi - resolution):
            c = Fraction(round(c / resolution)) * resolution  # on the reporting grid
            value = float(c) if pollutant == "CO" else int(c)
            got = aqi.iaqi(pollutant, value, period, std)
            assert got == reference_iaqi(bps, c), (pollutant, period, value)
            assert STEPS[k - 1] <= got <= STEPS[k]


def test_hand_computed_values() -> None:
    # NO2 day 60: 50 + 50·(60−40)/(80−40) = 75 exactly.
    assert aqi.iaqi("NO2", 60, "day") == 75
    # PM2.5 day 75: 2026 → 100 + 50·15/55 = 113.6 → 114; 2012 → breakpoint 75 = 100.
    assert aqi.iaqi("PM2.5", 75, "day", "HJ633-2026") == 114
    assert aqi.iaqi("PM2.5", 75, "day", "HJ633-2012") == 100
    # PM10 day 130: 2026 → 100 + 50·10/130 = 103.8 → 104; 2012 → 50 + 50·80/100 = 90.
    assert aqi.iaqi("PM10", 130, "day", "HJ633-2026") == 104
    assert aqi.iaqi("PM10", 130, "day", "HJ633-2012") == 90
    # Rounded up even when barely above an integer: O3 1h 161 → 50 + 50·1/40 = 51.25 → 52;
    # O3 8h 161 → 100 + 50·1/55 = 100.9 → 101.
    assert aqi.iaqi("O3", 161, "1h") == 52
    assert aqi.iaqi("O3", 161, "8h") == 101
    assert aqi.iaqi("SO2", 1, "day") == 1  # 0 + 50·1/50 = 1 exactly


def test_exact_integers_are_not_rounded_up() -> None:
    # In binary floating point CO day 2.2 gives 55.00000000000001 and 1 h 65.4 gives
    # 218.00000000000003; both are exactly 55 and 218.
    assert aqi.iaqi("CO", 2.2, "day") == 55
    assert aqi.iaqi("CO", 65.4, "1h") == 218
    for std, tables in EXPECTED.items():
        for (pollutant, period), bps in tables.items():
            scale = 10 if pollutant == "CO" else 1
            for units in range(0, bps[-1] * scale + 1, 1 if scale == 1 else 3):
                c = Fraction(units, scale)
                exact = reference_iaqi(bps, c)
                value = units / scale if scale > 1 else units
                assert aqi.iaqi(pollutant, value, period, std) == exact


def test_pm_differences_between_versions() -> None:
    # The only table differences: PM10 and PM2.5 at IAQI 100.
    for value, new, old in [(60, 100, 82), (75, 114, 100), (61, 101, 83)]:
        assert aqi.iaqi("PM2.5", value, "day", "HJ633-2026") == new
        assert aqi.iaqi("PM2.5", value, "day", "HJ633-2012") == old
    assert aqi.iaqi("PM10", 120, "day", "HJ633-2026") == 100
    assert aqi.iaqi("PM10", 150, "day", "HJ633-2012") == 100
    for std in ("HJ633-2026", "HJ633-2012"):  # identical elsewhere
        assert aqi.iaqi("PM2.5", 115, "day", std) == 150
        assert aqi.iaqi("NO2", 150, "1h", std) == 75


def test_pm_hourly_values_per_version() -> None:
    # 2026: the 1-hour value indexed on the day breakpoints.
    assert aqi.iaqi("PM2.5", 75, "1h", "HJ633-2026") == 114
    assert aqi.iaqi("PM10", 120, "1h", "HJ633-2026") == 100
    # 2012: only the 24-hour moving average is indexed; a 1-hour value is refused.
    with pytest.raises(ValueError, match="24-hour moving average"):
        aqi.iaqi("PM2.5", 75, "1h", "HJ633-2012")
    assert aqi.iaqi("PM2.5", 75, "24h", "HJ633-2012") == 100


def test_so2_one_hour_above_800_special_rule() -> None:
    assert aqi.iaqi("SO2", 800, "1h", "HJ633-2026") == 200
    assert aqi.iaqi("SO2", 801, "1h", "HJ633-2026") == 200
    assert aqi.iaqi("SO2", 5000, "1h", "HJ633-2026") == 200
    assert aqi.iaqi("SO2", 800, "1h", "HJ633-2012") == 200
    assert aqi.iaqi("SO2", 801, "1h", "HJ633-2012") is None
    # 800.4 rounds to 800 (GB/T 8170) and is therefore still on the table.
    assert aqi.iaqi("SO2", 800.4, "1h", "HJ633-2012") == 200
    # 2012 report: the SO2 24-hour IAQI replaces it (SO2 day 1600 → 300).
    hour = {"SO2": 900, "NO2": 50, "CO": 1, "O3": 100, "PM10": 50, "PM2.5": 30}
    report = aqi.hourly_report(
        hour, standard="HJ633-2012", moving_24h={"SO2": 1600, "PM10": 50, "PM2.5": 30}
    )
    assert report.iaqi["SO2"] == 300 and report.substituted["SO2"] == "24h"
    assert report.aqi == 300 and report.primary_pollutants == ("SO2",)
    with pytest.raises(ValueError, match="24-hour moving average"):
        aqi.hourly_report(hour, standard="HJ633-2012", moving_24h={"PM10": 50, "PM2.5": 30})
    report26 = aqi.hourly_report(hour, standard="HJ633-2026")
    assert report26.iaqi["SO2"] == 200 and report26.aqi == 200


def test_o3_eight_hour_above_800_special_rule() -> None:
    assert aqi.iaqi("O3", 800, "8h", "HJ633-2026") == 300
    assert aqi.iaqi("O3", 801, "8h", "HJ633-2026") == 300
    assert aqi.iaqi("O3", 801, "8h", "HJ633-2012") is None
    day = {"SO2": 10, "NO2": 20, "CO": 1, "O3": 850, "PM10": 40, "PM2.5": 20}
    report = aqi.daily_report(day, standard="HJ633-2012", o3_1h_max=1000)
    assert report.iaqi["O3"] == 400 and report.substituted["O3"] == "1h"
    assert report.aqi == 400 and report.level is not None and report.level.number == 6
    with pytest.raises(ValueError, match="o3_1h_max"):
        aqi.daily_report(day, standard="HJ633-2012")
    assert aqi.daily_report(day, standard="HJ633-2026").aqi == 300


def test_beyond_the_scale_is_500() -> None:
    assert aqi.iaqi("PM2.5", 501, "day") == 500
    assert aqi.iaqi("PM2.5", 900, "day") == 500
    assert aqi.iaqi("CO", 200, "1h") == 500


def test_concentrations_rounded_per_gbt8170_before_indexing() -> None:
    # 34.5 → 34 (half to even) → 50·34/35 = 48.57 → 49; 35.5 → 36 → 50 + 50·1/25 = 52.
    assert aqi.iaqi("PM2.5", 34.5, "day") == 49
    assert aqi.iaqi("PM2.5", 35.5, "day") == 52
    assert aqi.iaqi("PM2.5", 34.51, "day") == 50  # → 35
    # CO to 0.1: 2.25 → 2.2 (→ 55), 2.35 → 2.4 (→ 60).
    assert aqi.iaqi("CO", 2.25, "day") == 55
    assert aqi.iaqi("CO", 2.35, "day") == 60
    report = aqi.daily_report({"CO": 2.25, "PM2.5": 34.5}, standard="HJ633-2026")
    assert report.concentrations == {"CO": Decimal("2.2"), "PM2.5": Decimal("34")}


def test_hourly_report_full() -> None:
    hour = {"SO2": 8, "NO2": 45, "CO": 0.8, "O3": 150, "PM10": 100, "PM2.5": 75}
    report = aqi.hourly_report(hour, datetime(2026, 11, 28, 6, tzinfo=UTC))
    assert report.standard == "HJ633-2026" and report.kind == "hourly"
    assert report.iaqi == {"SO2": 3, "NO2": 23, "CO": 8, "O3": 47, "PM10": 86, "PM2.5": 114}
    assert report.aqi == 114 and report.computed_aqi == 114
    assert report.primary_pollutants == ("PM2.5",)
    assert report.level is not None
    assert (report.level.number, report.level.category_zh) == (3, "轻度污染")
    assert report.level.category_en == "Lightly polluted"
    assert report.level.color == (255, 126, 0) and report.level.color_hex == "#FF7E00"
    assert report.missing == () and report.published


def test_hourly_report_2012_uses_moving_average_for_pm() -> None:
    hour = {"SO2": 8, "NO2": 45, "CO": 0.8, "O3": 150, "PM10": 100, "PM2.5": 300}
    when = datetime(2025, 11, 28, 6, tzinfo=UTC)
    report = aqi.hourly_report(hour, when, moving_24h={"PM10": 100, "PM2.5": 75})
    assert report.standard == "HJ633-2012"
    assert report.iaqi["PM2.5"] == 100  # 75 on the 2012 day table, not 300 on any table
    assert report.substituted == {"PM10": "24h", "PM2.5": "24h"}
    with pytest.raises(ValueError, match="moving_24h"):
        aqi.hourly_report(hour, when)


def test_primary_pollutant_ties_list_all() -> None:
    # PM10 120 and PM2.5 60 both give 100 in 2026; NO2 80 also 100.
    day = {"SO2": 10, "NO2": 80, "CO": 1, "O3": 100, "PM10": 120, "PM2.5": 60}
    report = aqi.daily_report(day, date(2026, 6, 1))
    assert report.aqi == 100
    assert report.primary_pollutants == ("NO2", "PM10", "PM2.5")


def test_no_primary_pollutant_at_or_below_50() -> None:
    day = {"SO2": 10, "NO2": 40, "CO": 1, "O3": 100, "PM10": 50, "PM2.5": 35}
    report = aqi.daily_report(day, date(2026, 6, 1))
    assert report.aqi == 50 and report.primary_pollutants == ()
    assert report.level is not None and report.level.category_zh == "优"


def test_missing_pollutant_rule() -> None:
    partial = {"SO2": 10, "NO2": 40, "CO": 1, "O3": 100, "PM10": 50}  # PM2.5 missing
    report = aqi.daily_report(partial, date(2026, 6, 1))
    assert report.missing == ("PM2.5",)
    assert report.computed_aqi == 50 and report.aqi is None and report.level is None
    assert report.primary_pollutants == () and not report.published
    # At exactly 100 still NA; above 100 the AQI is published from the rest.
    assert aqi.daily_report({**partial, "PM10": 120}, date(2026, 6, 1)).aqi is None
    high = aqi.daily_report({**partial, "PM10": 121, "PM2.5": None}, date(2026, 6, 1))
    assert high.aqi == 101 and high.primary_pollutants == ("PM10",)
    assert high.missing == ("PM2.5",)
    nothing = aqi.daily_report({}, date(2026, 6, 1))
    assert nothing.aqi is None and nothing.computed_aqi is None


def test_version_follows_the_data_date() -> None:
    assert aqi.standard_for(date(2026, 2, 28)) == "HJ633-2012"
    assert aqi.standard_for(date(2026, 3, 1)) == "HJ633-2026"
    # 2026-02-28T16:00Z is 2026-03-01 00:00 in Beijing.
    assert aqi.standard_for(datetime(2026, 2, 28, 15, 59, tzinfo=UTC)) == "HJ633-2012"
    assert aqi.standard_for(datetime(2026, 2, 28, 16, 0, tzinfo=UTC)) == "HJ633-2026"
    plus8 = timezone(timedelta(hours=8))
    assert aqi.standard_for(datetime(2026, 3, 1, 0, 0, tzinfo=plus8)) == "HJ633-2026"
    with pytest.raises(ValueError, match="naive"):
        aqi.standard_for(datetime(2026, 3, 1))
    day = {"PM2.5": 75, "PM10": 40, "SO2": 5, "NO2": 20, "CO": 0.5, "O3": 60}
    assert aqi.daily_report(day, date(2026, 2, 28)).aqi == 100
    assert aqi.daily_report(day, date(2026, 3, 1)).aqi == 114
    # A named version wins over the date (year-on-year comparisons).
    assert aqi.daily_report(day, date(2026, 3, 1), standard="HJ633-2012").aqi == 100
    with pytest.raises(ValueError, match="standard"):
        aqi.daily_report(day)


def test_levels_and_colors() -> None:
    expected = [
        (0, 1, "优", (0, 228, 0)),
        (50, 1, "优", (0, 228, 0)),
        (51, 2, "良", (255, 255, 0)),
        (100, 2, "良", (255, 255, 0)),
        (101, 3, "轻度污染", (255, 126, 0)),
        (150, 3, "轻度污染", (255, 126, 0)),
        (151, 4, "中度污染", (255, 0, 0)),
        (200, 4, "中度污染", (255, 0, 0)),
        (201, 5, "重度污染", (153, 0, 76)),
        (300, 5, "重度污染", (153, 0, 76)),
        (301, 6, "严重污染", (126, 0, 35)),
        (500, 6, "严重污染", (126, 0, 35)),
    ]
    for value, number, category, color in expected:
        level = aqi_level(value)
        assert (level.number, level.category_zh, level.color) == (number, category, color)
    assert level_by_number(3).lowest == 101
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError):
            aqi_level(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        level_by_number(7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("PM2.5", -1, "day"), "negative"),
        (("PM2.5", float("nan"), "day"), "finite"),
        (("PM2.5", float("inf"), "day"), "finite"),
        (("PM2.5", Decimal("NaN"), "day"), "finite"),
        (("PM2.5", "35", "day"), "number"),
        (("PM2.5", True, "day"), "number"),
        (("PM1", 35, "day"), "unknown pollutant"),
        (("pm2.5", 35, "day"), "unknown pollutant"),
        (("PM2.5", 35, "2h"), "unknown averaging period"),
        (("PM2.5", 35, "8h"), "no 8-hour"),
        (("SO2", 35, "8h"), "no 8-hour"),
        (("O3", 35, "day"), "O3 is indexed"),
        (("PM2.5", 1e40, "day"), "implausibly large"),
    ],
)
def test_invalid_input_is_refused_clearly(args, message) -> None:
    with pytest.raises(ValueError, match=message):
        aqi.iaqi(*args)


def test_invalid_standard_and_report_input() -> None:
    with pytest.raises(ValueError, match="unknown AQI standard"):
        aqi.iaqi("PM2.5", 35, "day", "HJ633-2020")
    with pytest.raises(ValueError, match="unknown pollutant"):
        aqi.daily_report({"PM25": 35}, standard="HJ633-2026")
    with pytest.raises(ValueError, match="negative"):
        aqi.hourly_report({"NO2": -3}, standard="HJ633-2026")
