"""Ambient air limits of GB 3095—2026, Table 1, class 2 areas (cities), with exceedance multiples.

Source: REFERENCE.md §3. The transition limits apply until 2030-12-31 and the final limits from
2031-01-01; ``phase_for(day)`` picks them by the data's (Beijing) date. Only class 2 is held
here: the city's stations are all in class 2 areas.

Compliance is judged on the concentration rounded per GB/T 8170 (``rounding``), as HJ 663 does
for assessments: a value equal to the limit complies, only a value above it exceeds. The
exceedance multiple is (C − limit) / limit, given to two decimals (half to even).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final, Literal

from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.standards.rounding import Number, round_concentration

GB3095_2026: Final = "GB3095-2026"
TRANSITION_LAST_DAY: Final = date(2030, 12, 31)
PHASES: Final[tuple[str, ...]] = ("transition", "final")
#: "1h" one-hour average; "8h" the daily maximum 8-hour moving average (O3); "day" 24-hour
#: average; "year" annual mean.
LIMIT_PERIODS: Final[tuple[str, ...]] = ("1h", "8h", "day", "year")

Phase = Literal["transition", "final"]


def _d(value: int) -> Decimal:
    return Decimal(value)


#: (pollutant, period) → (transition limit, final limit); µg/m³, CO mg/m³.
CLASS_2_LIMITS: Final[dict[tuple[str, str], tuple[Decimal, Decimal]]] = {
    ("SO2", "year"): (_d(60), _d(20)),
    ("SO2", "day"): (_d(150), _d(50)),
    ("SO2", "1h"): (_d(500), _d(150)),
    ("NO2", "year"): (_d(40), _d(30)),
    ("NO2", "day"): (_d(80), _d(50)),
    ("NO2", "1h"): (_d(200), _d(200)),
    ("CO", "day"): (_d(4), _d(4)),
    ("CO", "1h"): (_d(10), _d(10)),
    ("O3", "8h"): (_d(160), _d(160)),
    ("O3", "1h"): (_d(200), _d(200)),
    ("PM10", "year"): (_d(60), _d(50)),
    ("PM10", "day"): (_d(120), _d(100)),
    ("PM2.5", "year"): (_d(30), _d(25)),
    ("PM2.5", "day"): (_d(60), _d(50)),
}

_HUNDREDTH = Decimal("0.01")


def phase_for(day: date | datetime) -> Phase:
    """ "transition" up to 2030-12-31, "final" from 2031-01-01 (Beijing date)."""
    if isinstance(day, datetime):
        if day.tzinfo is None or day.utcoffset() is None:
            raise ValueError(f"time must carry its UTC offset, got naive {day.isoformat()}")
        day = day.astimezone(CENTER_TZ).date()
    if not isinstance(day, date):
        raise ValueError(f"expected a date or datetime, got {day!r}")
    return "transition" if day <= TRANSITION_LAST_DAY else "final"


def has_limit(pollutant: str, period: str) -> bool:
    """Whether GB 3095 sets a limit for this pollutant and period (PM has no 1-hour limit)."""
    return (pollutant, period) in CLASS_2_LIMITS


def limit(
    pollutant: str, period: str, when: date | datetime | None = None, *, phase: str | None = None
) -> Decimal:
    """The class 2 limit in force on ``when`` (or of the named ``phase``); ValueError where
    GB 3095 sets none (check with ``has_limit``)."""
    if period not in LIMIT_PERIODS:
        raise ValueError(f"unknown averaging period {period!r}; expected one of {LIMIT_PERIODS}")
    key = (pollutant, period)
    if key not in CLASS_2_LIMITS:
        known = sorted({p for p, _ in CLASS_2_LIMITS})
        if pollutant not in known:
            raise ValueError(f"unknown pollutant {pollutant!r}; expected one of {known}")
        raise ValueError(f"GB 3095—2026 sets no {period} limit for {pollutant}")
    chosen = _phase(when, phase)
    transition, final = CLASS_2_LIMITS[key]
    return transition if chosen == "transition" else final


def _phase(when: date | datetime | None, phase: str | None) -> str:
    if phase is not None:
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r}; expected one of {PHASES}")
        return phase
    if when is None:
        raise ValueError("give the data's date or name the phase ('transition' or 'final')")
    return phase_for(when)


@dataclass(frozen=True)
class Exceedance:
    """A concentration judged against its GB 3095 limit."""

    pollutant: str
    period: str
    value: Decimal
    limit: Decimal
    phase: str
    exceeded: bool
    #: (C − limit) / limit to two decimals when exceeded, else None.
    multiple: Decimal | None


def exceedance(
    pollutant: str,
    period: str,
    value: Number,
    when: date | datetime | None = None,
    *,
    phase: str | None = None,
) -> Exceedance:
    """Whether ``value`` (raw; rounded per GB/T 8170 here) exceeds its limit, and by how much."""
    chosen = _phase(when, phase)
    lim = limit(pollutant, period, phase=chosen)
    rounded = round_concentration(pollutant, value)
    exceeded = rounded > lim
    multiple = (
        ((rounded - lim) / lim).quantize(_HUNDREDTH, rounding=ROUND_HALF_EVEN) if exceeded else None
    )
    return Exceedance(pollutant, period, rounded, lim, chosen, exceeded, multiple)
