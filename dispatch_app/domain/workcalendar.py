"""The working-day calendar: weekends, public holidays and make-up working days (调休).

Statutory petition deadlines run in calendar days, but the center's own stricter targets (a
hotline callback within 1 working day) run in working days. China moves working days around
every year: a holiday week is bought with one or two Saturdays or Sundays that become working
days (调休). A plain "Monday to Friday" rule is therefore wrong several times a year, so the
calendar holds both lists, loaded from resources/rules/holidays.toml, and can be extended at run
time when the State Council publishes the next year's schedule.

Pure: no I/O except `parse_holidays_toml`, which takes the text, not a path.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class CalendarError(ValueError):
    """A holidays file or an addition to the calendar is malformed; the message names the entry."""


@dataclass(frozen=True)
class CalendarYear:
    """What the calendar knows about one year, and whether it is the published schedule.

    `provisional` marks a year entered before the State Council's notice (or from an estimate):
    the desk can warn that working-day targets in that year may shift.
    """

    year: int
    provisional: bool
    source: str


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday to Friday, minus holidays, plus make-up working days."""

    holidays: frozenset[dt.date] = frozenset()
    makeup_workdays: frozenset[dt.date] = frozenset()
    names: Mapping[dt.date, str] = field(default_factory=dict)
    years: Mapping[int, CalendarYear] = field(default_factory=dict)

    def __post_init__(self) -> None:
        both = self.holidays & self.makeup_workdays
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            raise CalendarError(f"dates both holiday and make-up working day: {days}")

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def is_provisional(self, day: dt.date) -> bool:
        """True when `day` falls in a year whose schedule is estimated or not loaded at all."""
        known = self.years.get(day.year)
        return known is None or known.provisional

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (the start day itself never counts).

        Received on Friday evening with a 1-working-day target → due the next Monday (or the
        first working day after a holiday week). `days` must be at least 1.
        """
        if days < 1:
            raise CalendarError(f"working days to add must be at least 1, got {days}")
        day = start
        left = days
        # A bound keeps a calendar wrongly filled with holidays from looping for ever.
        for _ in range(days * 7 + 400):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
                if left == 0:
                    return day
        raise CalendarError(f"no {days} working days found within a year after {start}")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days have passed since `start`."""
        if end <= start:
            return 0
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def with_days(
        self,
        *,
        holidays: Iterable[dt.date] = (),
        makeup_workdays: Iterable[dt.date] = (),
        name: str = "",
    ) -> WorkCalendar:
        """A new calendar with more holidays and make-up days (the calendar itself is immutable).

        A date added as a holiday stops being a make-up day and the other way round, so a
        corrected schedule can be laid over an estimated one.
        """
        add_h = frozenset(holidays)
        add_m = frozenset(makeup_workdays)
        clash = add_h & add_m
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise CalendarError(f"dates given both as holiday and make-up working day: {days}")
        names = dict(self.names)
        if name:
            names.update(dict.fromkeys(add_h | add_m, name))
        return WorkCalendar(
            holidays=(self.holidays - add_m) | add_h,
            makeup_workdays=(self.makeup_workdays - add_h) | add_m,
            names=names,
            years=self.years,
        )


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise CalendarError(f"{where}: expected a date like 2027-02-06, got {value!r}")
    return value


def _date_range(entry: Mapping[str, Any], where: str) -> list[dt.date]:
    if "date" in entry:
        if "from" in entry or "to" in entry:
            raise CalendarError(f"{where}: give either date or from/to, not both")
        return [_date(entry["date"], f"{where}.date")]
    if "from" not in entry or "to" not in entry:
        raise CalendarError(f"{where}: needs date, or from and to")
    first = _date(entry["from"], f"{where}.from")
    last = _date(entry["to"], f"{where}.to")
    if last < first:
        raise CalendarError(f"{where}: to ({last}) is before from ({first})")
    if (last - first).days > 31:
        raise CalendarError(f"{where}: a holiday of more than a month ({first} to {last})")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def parse_holidays_toml(text: str) -> WorkCalendar:
    """Build the calendar from the holidays file's text (see resources/rules/holidays.toml).

    Every error names the entry (`year[1].holiday[2].to`) so a clerk editing the file finds it.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"holidays file is not valid TOML: {exc}") from exc
    years_raw = data.get("year", [])
    if not isinstance(years_raw, list):
        raise CalendarError("holidays file: [[year]] tables expected")
    holidays: set[dt.date] = set()
    makeup: set[dt.date] = set()
    names: dict[dt.date, str] = {}
    years: dict[int, CalendarYear] = {}
    for yi, year_entry in enumerate(years_raw):
        where = f"year[{yi}]"
        year = year_entry.get("year")
        if not isinstance(year, int) or not 1990 <= year <= 2200:
            raise CalendarError(f"{where}.year: expected a year number, got {year!r}")
        if year in years:
            raise CalendarError(f"{where}.year: {year} is listed twice")
        provisional = year_entry.get("provisional", False)
        if not isinstance(provisional, bool):
            raise CalendarError(f"{where}.provisional: expected true or false")
        years[year] = CalendarYear(year, provisional, str(year_entry.get("source", "")))
        for kind, target in (("holiday", holidays), ("makeup_workday", makeup)):
            for ei, entry in enumerate(year_entry.get(kind, [])):
                ewhere = f"{where}.{kind}[{ei}]"
                if not isinstance(entry, dict):
                    raise CalendarError(f"{ewhere}: expected a table")
                days = _date_range(entry, ewhere)
                for day in days:
                    if day.year != year and not (kind == "holiday" and abs(day.year - year) == 1):
                        raise CalendarError(f"{ewhere}: {day} is not in year {year}")
                    target.add(day)
                    names[day] = str(entry.get("name", ""))
    clash = holidays & makeup
    if clash:
        days_text = ", ".join(d.isoformat() for d in sorted(clash))
        raise CalendarError(f"dates both holiday and make-up working day: {days_text}")
    return WorkCalendar(frozenset(holidays), frozenset(makeup), names, years)
