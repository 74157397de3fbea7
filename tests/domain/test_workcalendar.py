"""The working-day calendar: weekends, holidays, make-up days, and the holidays file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dispatch_app.domain.workcalendar import CalendarError, WorkCalendar, parse_holidays_toml

D = dt.date


@pytest.fixture(scope="module")
def calendar(resources_dir: Path) -> WorkCalendar:
    return parse_holidays_toml((resources_dir / "rules" / "holidays.toml").read_text("utf-8"))


def test_plain_weeks_are_monday_to_friday() -> None:
    cal = WorkCalendar()
    assert [cal.is_working_day(D(2026, 11, 23) + dt.timedelta(days=i)) for i in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    # Friday + 1 working day is Monday; the start day itself never counts.
    assert cal.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    assert cal.add_working_days(D(2026, 11, 28), 1) == D(2026, 11, 30)
    assert cal.add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)


def test_national_day_2026_and_its_make_up_days(calendar: WorkCalendar) -> None:
    for day in range(1, 8):
        assert not calendar.is_working_day(D(2026, 10, day)), day
    assert calendar.is_working_day(D(2026, 9, 20))  # a Sunday worked (调休)
    assert calendar.is_working_day(D(2026, 10, 10))  # a Saturday worked
    assert not calendar.is_working_day(D(2026, 10, 11))  # the Sunday after stays off
    # Received on the Wednesday before the holiday week: the next working day is Thursday 8th.
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # Received on Friday 9th: the next working day is the make-up Saturday.
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    # Received on Saturday 19 September: the make-up Sunday 20th is the next working day.
    assert calendar.add_working_days(D(2026, 9, 19), 1) == D(2026, 9, 20)
    assert calendar.names[D(2026, 10, 3)] == "国庆节"


def test_year_end_and_new_year_2027(calendar: WorkCalendar) -> None:
    # Thursday 31 December 2026 + 1 working day: 1 January is a holiday, 2–3 a weekend.
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.working_days_between(D(2026, 12, 31), D(2027, 1, 4)) == 1


def test_spring_festival_2027_provisional_then_published(calendar: WorkCalendar) -> None:
    # Provisional: only the statutory days (eve + first three days) are known.
    assert calendar.is_provisional(D(2027, 2, 5))
    assert not calendar.is_provisional(D(2026, 10, 1))
    assert calendar.is_provisional(D(2028, 3, 1))  # a year not in the file at all
    assert calendar.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 9)
    # When the notice is published it is laid over the estimate (schedule shaped like 2026's:
    # nine days off, a Sunday worked after). The target moves to the make-up Sunday.
    published = calendar.with_days(
        holidays=[D(2027, 2, 5) + dt.timedelta(days=i) for i in range(9)],
        makeup_workdays=[D(2027, 2, 14)],
        name="春节",
    )
    assert published.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 14)
    assert published.add_working_days(D(2027, 2, 4), 2) == D(2027, 2, 15)
    assert published.working_days_between(D(2027, 2, 4), D(2027, 2, 15)) == 2
    # The original calendar is unchanged (immutable).
    assert calendar.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 9)


def test_with_days_overrides_in_both_directions() -> None:
    cal = WorkCalendar(holidays=frozenset({D(2026, 12, 1)}))
    corrected = cal.with_days(makeup_workdays=[D(2026, 12, 1)])
    assert corrected.is_working_day(D(2026, 12, 1))
    assert not corrected.with_days(holidays=[D(2026, 12, 1)]).is_working_day(D(2026, 12, 1))
    with pytest.raises(CalendarError, match="both as holiday and make-up"):
        cal.with_days(holidays=[D(2026, 12, 2)], makeup_workdays=[D(2026, 12, 2)])


def test_add_working_days_refuses_zero_and_runaway() -> None:
    with pytest.raises(CalendarError, match="at least 1"):
        WorkCalendar().add_working_days(D(2026, 1, 1), 0)
    every_day = frozenset(D(2026, 1, 1) + dt.timedelta(days=i) for i in range(800))
    with pytest.raises(CalendarError, match="no 1 working days"):
        WorkCalendar(holidays=every_day).add_working_days(D(2026, 1, 1), 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year = [", "not valid TOML"),
        ("[[year]]\nyear = 'x'", r"year\[0\].year"),
        ("[[year]]\nyear = 2026\n[[year]]\nyear = 2026", "listed twice"),
        (
            "[[year]]\nyear = 2026\n[[year.holiday]]\nfrom = 2026-10-07\nto = 2026-10-01",
            r"year\[0\].holiday\[0\]: to \(2026-10-01\) is before from",
        ),
        (
            "[[year]]\nyear = 2026\n[[year.holiday]]\ndate = 'tomorrow'",
            r"year\[0\].holiday\[0\].date: expected a date",
        ),
        ("[[year]]\nyear = 2026\n[[year.holiday]]\nname = 'x'", "needs date, or from and to"),
        (
            "[[year]]\nyear = 2026\n[[year.makeup_workday]]\ndate = 2027-01-02",
            "is not in year 2026",
        ),
        (
            "[[year]]\nyear = 2026\n[[year.holiday]]\ndate = 2026-10-10\n"
            "[[year.makeup_workday]]\ndate = 2026-10-10",
            "both holiday and make-up",
        ),
        ("[[year]]\nyear = 2026\nprovisional = 'yes'", "provisional"),
    ],
)
def test_malformed_holidays_files_name_the_entry(text: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        parse_holidays_toml(text)


def test_a_new_year_holiday_may_start_in_the_previous_december() -> None:
    cal = parse_holidays_toml(
        "[[year]]\nyear = 2031\n[[year.holiday]]\nfrom = 2030-12-31\nto = 2031-01-01\n"
    )
    assert not cal.is_working_day(D(2030, 12, 31))
