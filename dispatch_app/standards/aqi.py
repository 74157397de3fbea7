"""Air quality index per HJ 633—2026 and HJ 633—2012: exact IAQI, hourly and daily reports.

Arithmetic is exact: concentrations become decimals (rounded per GB/T 8170, see
``rounding``), the interpolation is done in rational numbers and rounded *up* once, so an IAQI
that is exactly an integer stays that integer (a float would make 75.00000000001 → 76).

How each version treats the special cases (REFERENCE.md §2):

* PM10/PM2.5 in the hourly (real-time) report: HJ 633—2026 indexes the 1-hour value on the
  day breakpoints (``period="1h"``). HJ 633—2012 indexes the 24-hour moving average instead: the
  caller computes that average and passes it with ``period="24h"`` (to ``iaqi``) or in
  ``moving_24h`` (to ``hourly_report``); ``iaqi(PM, v, "1h", "HJ633-2012")`` is refused so a
  1-hour value is never silently indexed as a 24-hour one.
* SO2 1 h above 800 µg/m³: 2026 → IAQI 200; 2012 → no IAQI of its own (``iaqi`` returns
  ``None``), the report uses the IAQI of the SO2 24-hour average (``moving_24h["SO2"]``).
* O3 8 h above 800 µg/m³: 2026 → IAQI 300; 2012 → ``None``, the daily report uses the IAQI of
  the O3 daily maximum 1-hour value (``o3_1h_max``).
* Above the last breakpoint (IAQI 500) the IAQI is 500: the scale ends there.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from dispatch_app.standards.aqi_tables import (
    BREAKPOINTS,
    HJ633_2012,
    HJ633_2026,
    HJ633_2026_IN_FORCE,
    PERIODS,
    POLLUTANTS,
    SPECIAL_RULE_ABOVE,
    STANDARDS,
    AqiLevel,
    aqi_level,
)
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.standards.rounding import Number, round_concentration

#: China Standard Time: no daylight saving since 1991, so a fixed offset is exact and needs no
#: time-zone database (this package does no I/O).

_PM = frozenset({"PM10", "PM2.5"})

Breakpoints = tuple[tuple[Decimal, int], ...]


def check_standard(standard: str) -> str:
    if standard not in STANDARDS:
        raise ValueError(f"unknown AQI standard {standard!r}; expected one of {STANDARDS}")
    return standard


def check_pollutant(pollutant: str) -> str:
    if pollutant not in POLLUTANTS:
        raise ValueError(f"unknown pollutant {pollutant!r}; expected one of {POLLUTANTS}")
    return pollutant


def breakpoints(pollutant: str, period: str, standard: str = HJ633_2026) -> Breakpoints:
    """The breakpoint table that indexes ``pollutant`` averaged over ``period``.

    Refuses combinations the standard does not define, with the reason.
    """
    check_standard(standard)
    check_pollutant(pollutant)
    if period not in PERIODS:
        raise ValueError(f"unknown averaging period {period!r}; expected one of {PERIODS}")
    table = BREAKPOINTS[standard]
    if pollutant in _PM:
        if period == "8h":
            raise ValueError(f"{pollutant} has no 8-hour IAQI")
        if period == "1h" and standard == HJ633_2012:
            raise ValueError(
                f"HJ 633—2012 indexes real-time {pollutant} on its 24-hour moving average: "
                "pass that average with period='24h'"
            )
        return table[(pollutant, "day")]
    if pollutant == "O3":
        if period not in ("1h", "8h"):
            raise ValueError(
                "O3 is indexed on its 1-hour value ('1h') or its (daily maximum) 8-hour "
                f"moving average ('8h'), not {period!r}"
            )
        return table[("O3", period)]
    if period == "8h":
        raise ValueError(f"{pollutant} has no 8-hour IAQI")
    return table[(pollutant, "1h" if period == "1h" else "day")]


def interpolate(table: Breakpoints, concentration: Decimal) -> int:
    """IAQI by linear interpolation between breakpoints, rounded up exactly; 500 past the end."""
    if concentration > table[-1][0]:
        return table[-1][1]
    for (bp_lo, i_lo), (bp_hi, i_hi) in itertools.pairwise(table):
        if concentration <= bp_hi:
            exact = Fraction(i_hi - i_lo) * (Fraction(concentration) - Fraction(bp_lo))
            exact = exact / (Fraction(bp_hi) - Fraction(bp_lo)) + i_lo
            return math.ceil(exact)
    raise AssertionError("unreachable: concentration is within the table")


def iaqi(pollutant: str, value: Number, period: str, standard: str = HJ633_2026) -> int | None:
    """The individual AQI of one pollutant, or ``None`` where the standard gives it none.

    ``value`` is the raw average in µg/m³ (CO mg/m³); it is rounded per GB/T 8170 here.
    ``None`` happens only under HJ 633—2012 for SO2 1 h or O3 8 h above 800 µg/m³, where the
    standard substitutes another IAQI (see the module notes; the reports do it for you).
    """
    table = breakpoints(pollutant, period, standard)
    concentration = round_concentration(pollutant, value)
    if pollutant == "SO2" and period == "1h" and concentration > SPECIAL_RULE_ABOVE:
        return 200 if standard == HJ633_2026 else None
    if pollutant == "O3" and period == "8h" and concentration > SPECIAL_RULE_ABOVE:
        return 300 if standard == HJ633_2026 else None
    return interpolate(table, concentration)


def standard_for(day: date | datetime) -> str:
    """The HJ 633 version that indexes data of this (Beijing) date.

    An aware datetime is converted to Beijing time first; a naive one is refused because the
    version change at midnight would otherwise depend on the machine's time zone.
    """
    if isinstance(day, datetime):
        if day.tzinfo is None or day.utcoffset() is None:
            raise ValueError(f"time must carry its UTC offset, got naive {day.isoformat()}")
        day = day.astimezone(CENTER_TZ).date()
    if not isinstance(day, date):
        raise ValueError(f"expected a date or datetime, got {day!r}")
    return HJ633_2026 if day >= HJ633_2026_IN_FORCE else HJ633_2012


@dataclass(frozen=True)
class AqiReport:
    """An hourly (real-time) or daily AQI report for one station or city.

    ``aqi`` is what is published: ``None`` means NA (a pollutant is missing and the AQI computed
    from the rest is ≤ 100, HJ 633 clause 5.3.1) or nothing was measured. ``computed_aqi`` is
    the maximum over the pollutants present, kept for display and diagnosis.
    """

    kind: Literal["hourly", "daily"]
    standard: str
    aqi: int | None
    computed_aqi: int | None
    level: AqiLevel | None
    primary_pollutants: tuple[str, ...]
    iaqi: Mapping[str, int]
    concentrations: Mapping[str, Decimal]
    missing: tuple[str, ...]
    substituted: Mapping[str, str] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.aqi is not None


def _present(values: Mapping[str, Number | None], what: str) -> dict[str, Number]:
    unknown = sorted(set(values) - set(POLLUTANTS))
    if unknown:
        raise ValueError(f"unknown pollutant(s) in {what}: {unknown}; expected {POLLUTANTS}")
    return {p: v for p, v in values.items() if v is not None}


def _report(
    kind: Literal["hourly", "daily"],
    standard: str,
    sub_index: dict[str, int],
    concentrations: dict[str, Decimal],
    substituted: dict[str, str],
) -> AqiReport:
    missing = tuple(p for p in POLLUTANTS if p not in sub_index)
    ordered = {p: sub_index[p] for p in POLLUTANTS if p in sub_index}
    computed = max(ordered.values()) if ordered else None
    published: int | None = computed
    if computed is None or (missing and computed <= 100):
        published = None
    primary: tuple[str, ...] = ()
    if published is not None and published > 50:
        primary = tuple(p for p, i in ordered.items() if i == published)
    return AqiReport(
        kind=kind,
        standard=standard,
        aqi=published,
        computed_aqi=computed,
        level=aqi_level(published) if published is not None else None,
        primary_pollutants=primary,
        iaqi=ordered,
        concentrations={p: concentrations[p] for p in POLLUTANTS if p in concentrations},
        missing=missing,
        substituted=substituted,
    )


def hourly_report(
    hour_values: Mapping[str, Number | None],
    time: datetime | None = None,
    *,
    standard: str | None = None,
    moving_24h: Mapping[str, Number | None] | None = None,
) -> AqiReport:
    """The real-time (hourly) report from the 1-hour averages of the six pollutants.

    The version follows ``time`` (the hour's Beijing date) unless ``standard`` names one.
    ``moving_24h`` carries 24-hour moving averages, needed only under HJ 633—2012: for PM10 and
    PM2.5 always (they replace the 1-hour PM values), for SO2 when its 1-hour value exceeds
    800 µg/m³. A pollutant absent or ``None`` is missing (missing-pollutant rule applies).
    """
    std = _choose(standard, time)
    hour = _present(hour_values, "hour_values")
    moving = _present(moving_24h or {}, "moving_24h")
    sub_index: dict[str, int] = {}
    concentrations: dict[str, Decimal] = {}
    substituted: dict[str, str] = {}
    for p in POLLUTANTS:
        if p in _PM and std == HJ633_2012:
            if moving_24h is None and p in hour:
                raise ValueError(
                    f"HJ 633—2012 indexes real-time {p} on its 24-hour moving average: "
                    "pass it in moving_24h"
                )
            if p in moving:
                sub_index[p] = _index(p, moving[p], "24h", std)
                concentrations[p] = round_concentration(p, moving[p])
                substituted[p] = "24h"
            continue
        if p not in hour:
            continue
        concentrations[p] = round_concentration(p, hour[p])
        value = iaqi(p, hour[p], "1h", std)
        if value is None:  # HJ 633—2012, SO2 1 h above 800
            if "SO2" not in moving:
                raise ValueError(
                    f"HJ 633—2012: SO2 1-hour {hour[p]} µg/m³ is above 800, where the SO2 "
                    "24-hour IAQI is reported instead: pass the SO2 24-hour moving average in "
                    "moving_24h"
                )
            value = _index("SO2", moving["SO2"], "24h", std)
            substituted[p] = "24h"
        sub_index[p] = value
    return _report("hourly", std, sub_index, concentrations, substituted)


def daily_report(
    day_values: Mapping[str, Number | None],
    day: date | None = None,
    *,
    standard: str | None = None,
    o3_1h_max: Number | None = None,
) -> AqiReport:
    """The daily report from 24-hour averages (SO2, NO2, CO, PM10, PM2.5) and, under "O3",
    the daily maximum 8-hour moving average of O3.

    The version follows ``day`` unless ``standard`` names one. ``o3_1h_max`` (the daily maximum
    1-hour O3) is needed only under HJ 633—2012 when O3 8 h exceeds 800 µg/m³.
    """
    std = _choose(standard, day)
    present = _present(day_values, "day_values")
    sub_index: dict[str, int] = {}
    concentrations: dict[str, Decimal] = {}
    substituted: dict[str, str] = {}
    for p in POLLUTANTS:
        if p not in present:
            continue
        period = "8h" if p == "O3" else "day"
        concentrations[p] = round_concentration(p, present[p])
        value = iaqi(p, present[p], period, std)
        if value is None:  # HJ 633—2012, O3 8 h above 800
            if o3_1h_max is None:
                raise ValueError(
                    f"HJ 633—2012: O3 8-hour {present[p]} µg/m³ is above 800, where the O3 "
                    "1-hour IAQI is reported instead: pass the daily maximum 1-hour O3 as "
                    "o3_1h_max"
                )
            value = _index("O3", o3_1h_max, "1h", std)
            substituted[p] = "1h"
        sub_index[p] = value
    return _report("daily", std, sub_index, concentrations, substituted)


def _index(pollutant: str, value: Number, period: str, standard: str) -> int:
    result = iaqi(pollutant, value, period, standard)
    if result is None:  # only SO2 1 h / O3 8 h can be None, never asked for here
        raise AssertionError(f"{pollutant} {period} has an IAQI in {standard}")
    return result


def _choose(standard: str | None, when: date | datetime | None) -> str:
    if standard is not None:
        return check_standard(standard)
    if when is None:
        raise ValueError("name the standard or give the data's date/time to choose it")
    return standard_for(when)
