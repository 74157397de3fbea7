"""How often each station reports, and when a report that has not come is late or lost.

A station is judged by its own schedule and by what its data's time stamp means, never by one
threshold for the whole network:

- ``interval_s``: seconds between two reports (a minute for the air stations' minute data, four
  hours for the water sections' automatic analysers);
- ``time_basis``: ``period_start`` when a value is the average over [time, time + interval)
  stamped with the period's start (HJ 212 minute and hourly data, DataTime = period start), so it
  can only be sent once the period has closed; ``sample`` when the value was sampled at its
  time (a water section's sample, analysed and sent shortly after);
- ``delay_s``: how long after the period closed (or the sample was taken) an on-time value
  reaches the platform and the desk: the data logger's sending, the platform's storing, the
  desk's polling;
- ``offline_after_missed``: how many reports in a row a station may miss before it counts as
  offline (断报) rather than late (迟报). The defaults are the data's own validity rules
  (GB 3095 Table 4, kept by the 2026 edition): an hour with 16 of its 60 minute values missing
  can no longer have a valid hourly average (45 needed), a day with 2 of its 6 four-hourly
  samples missing no valid daily value (5 of 6 needed).

The next report of a station whose newest value is stamped T is due by
T + (interval if period_start) + interval + delay. A station that reported on time is never late;
past that moment it has missed one report (迟报), and at `offline_after_missed` missed reports
it is offline (断报).

The registry carries these per kind (resources/stations.json ``reporting``), a station may
override them (its ``interval_s``, its own ``reporting``), and the data service serves each
station's resolved rules in /api/v1/stations. `DEFAULT_REPORTING` is what a registry that says
nothing gets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from dispatch_app.standards.validity import HOUR_MIN_VALID_MINUTES

PERIOD_START = "period_start"
SAMPLE = "sample"
TIME_BASES = (PERIOD_START, SAMPLE)
FIELDS = ("interval_s", "time_basis", "delay_s", "offline_after_missed")


class ReportingError(ValueError):
    """A reporting rule that cannot be used; the message names the field."""


@dataclass(frozen=True, slots=True)
class Reporting:
    """One station's (or one kind's) reporting schedule; see the module docstring."""

    interval_s: int
    time_basis: str = PERIOD_START
    delay_s: int = 0
    offline_after_missed: int = 3

    def __post_init__(self) -> None:
        if not isinstance(self.interval_s, int) or self.interval_s <= 0:
            raise ReportingError(f"interval_s must be a positive integer, not {self.interval_s!r}")
        if self.time_basis not in TIME_BASES:
            raise ReportingError(
                f"time_basis must be one of {', '.join(TIME_BASES)}, not {self.time_basis!r}"
            )
        if not isinstance(self.delay_s, int) or self.delay_s < 0:
            raise ReportingError(f"delay_s must be an integer ≥ 0, not {self.delay_s!r}")
        if not isinstance(self.offline_after_missed, int) or self.offline_after_missed < 1:
            raise ReportingError(
                f"offline_after_missed must be an integer ≥ 1, not {self.offline_after_missed!r}"
            )

    @property
    def lag_s(self) -> int:
        """From a value's time stamp to the moment an on-time value is in."""
        return (self.interval_s if self.time_basis == PERIOD_START else 0) + self.delay_s

    def next_due(self, last_time: datetime) -> datetime:
        """By when the report after the one stamped `last_time` should have come in."""
        return last_time + timedelta(seconds=self.lag_s + self.interval_s)

    def missed(self, last_time: datetime, now: datetime) -> int:
        """How many reports the station has missed by `now` since the one stamped `last_time`
        (0: on time)."""
        overdue = (now - self.next_due(last_time)).total_seconds()
        if overdue <= 0:
            return 0
        return 1 + math.floor(overdue / self.interval_s)

    def offline_from(self, last_time: datetime) -> datetime:
        """When a station silent since the report stamped `last_time` counts as offline."""
        return self.next_due(last_time) + timedelta(
            seconds=(self.offline_after_missed - 1) * self.interval_s
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "interval_s": self.interval_s,
            "time_basis": self.time_basis,
            "delay_s": self.delay_s,
            "offline_after_missed": self.offline_after_missed,
        }


# Offline once the hour can no longer reach its 45 valid minutes (16 minutes missed).
_AIR = Reporting(
    interval_s=60,
    time_basis=PERIOD_START,
    delay_s=120,
    offline_after_missed=60 - HOUR_MIN_VALID_MINUTES + 1,
)
_WATER = Reporting(interval_s=14400, time_basis=SAMPLE, delay_s=1800, offline_after_missed=2)

DEFAULT_REPORTING: Mapping[str, Reporting] = MappingProxyType(
    {
        # Minute data (CN 2051), sent within about two minutes of the minute's end.
        "air_national": _AIR,
        "air_provincial": _AIR,
        "air_township": _AIR,
        "air_grid": _AIR,
        # A sample every four hours, analysed (CODMn, NH3-N, TP take their time) and sent
        # within half an hour.
        "water_national": _WATER,
        "water_provincial": _WATER,
        "water_boundary": _WATER,
    }
)


def fallback_reporting(interval_s: int) -> Reporting:
    """For a station of a kind no rule covers: lenient (a value may take a whole interval to
    come in, three missed reports make it offline) rather than a false alarm."""
    return Reporting(interval_s, SAMPLE, delay_s=interval_s, offline_after_missed=3)


def default_reporting(kind: str, interval_s: int | None = None) -> Reporting:
    """The kind's default rules, with the station's own interval when it has one."""
    base = DEFAULT_REPORTING.get(kind)
    if base is None:
        return fallback_reporting(interval_s or 3600)
    return base if interval_s is None else replace(base, interval_s=interval_s)


def reporting_from_json(raw: Any, where: str, base: Reporting | None = None) -> Reporting:
    """Rules from a registry or API object. With `base`, the object may give only the fields it
    changes (a station overriding its kind); without, all four are required. Unknown fields
    are refused (a misspelt rule must not be silently ignored)."""
    if not isinstance(raw, Mapping):
        raise ReportingError(f"{where}: reporting must be an object")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise ReportingError(f"{where}: unknown reporting field(s) {', '.join(unknown)}")
    values: dict[str, Any] = base.to_json() if base is not None else {}
    for name in FIELDS:
        if name in raw:
            value = raw[name]
            if isinstance(value, bool):
                raise ReportingError(f"{where}: reporting.{name} must not be a boolean")
            values[name] = value
        elif base is None:
            raise ReportingError(f"{where}: reporting.{name} is missing")
    try:
        return Reporting(**values)
    except ReportingError as exc:
        raise ReportingError(f"{where}: reporting.{exc}") from None
    except TypeError as exc:
        raise ReportingError(f"{where}: reporting: {exc}") from None
