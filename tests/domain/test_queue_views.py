"""The queue views' settings: when the current shift ends, the backlog threshold, the file."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from dispatch_app.desk.registry import load_queue_view_rules
from dispatch_app.domain.queue_views import (
    DEFAULT_QUEUE_VIEW_RULES,
    QueueViewRules,
    QueueViewRulesError,
    backlog_before,
    current_shift_end,
    parse_queue_view_rules,
)
from dispatch_app.resources import resources_dir
from dispatch_app.standards.center_time import CENTER_TZ

RESOURCES = resources_dir()


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CENTER_TZ)


@pytest.mark.parametrize(
    ("now", "end"),
    [
        (local(28, 10, 0), local(28, 17, 30)),  # day shift
        (local(28, 8, 30), local(28, 17, 30)),  # the day shift has just begun
        (local(28, 8, 29), local(28, 8, 30)),  # the night's last minute
        (local(28, 17, 30), local(29, 8, 30)),  # the night shift has just begun
        (local(28, 23, 59), local(29, 8, 30)),
        (local(29, 3, 0), local(29, 8, 30)),  # after midnight, still the night shift
        (local(30, 20, 0), datetime(2026, 12, 1, 8, 30, tzinfo=CENTER_TZ)),  # over a month end
    ],
)
def test_current_shift_end_is_the_next_shift_change_in_shanghai(
    now: datetime, end: datetime
) -> None:
    got = current_shift_end(now.astimezone(UTC))
    assert got == end
    assert got.tzinfo is UTC


def test_current_shift_end_follows_other_shift_times_and_refuses_naive_times() -> None:
    rules = QueueViewRules(day_start=time(8, 0), night_start=time(20, 0))
    assert current_shift_end(local(28, 19, 0), rules) == local(28, 20, 0)
    assert current_shift_end(local(28, 7, 0), rules) == local(28, 8, 0)
    with pytest.raises(ValueError, match="aware"):
        current_shift_end(datetime(2026, 11, 28, 10, 0))


def test_shipped_file_holds_the_documented_defaults() -> None:
    rules = load_queue_view_rules(RESOURCES / "rules" / "queue_views.toml")
    assert rules == DEFAULT_QUEUE_VIEW_RULES
    assert rules.backlog_after == timedelta(hours=24)
    assert (rules.day_start, rules.night_start) == (time(8, 30), time(17, 30))
    now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    assert backlog_before(now, rules) == now - timedelta(hours=24)


def test_settings_are_read_and_bad_ones_named(tmp_path: Path) -> None:
    rules = parse_queue_view_rules(
        'backlog_after = "12h"\n[shift]\nday_start = "07:45"\nnight_start = "19:15"\n'
    )
    assert rules == QueueViewRules(timedelta(hours=12), time(7, 45), time(19, 15))
    assert parse_queue_view_rules("") == DEFAULT_QUEUE_VIEW_RULES
    for text, named in (
        ('backlog_after = "soon"', "backlog_after"),
        ('[shift]\nday_start = "8.30"', "shift.day_start"),
        ('[shift]\nnight_start = "25:00"', "shift.night_start"),
        ('[shift]\nday_start = "17:30"', "must differ"),
        ("backlog_after = ", "TOML"),
    ):
        with pytest.raises(QueueViewRulesError, match=named):
            parse_queue_view_rules(text)
    bad = tmp_path / "queue_views.toml"
    bad.write_text('[shift]\nday_start = "x"', encoding="utf-8")
    with pytest.raises(QueueViewRulesError, match=r"queue_views\.toml"):
        load_queue_view_rules(bad)
    # An older resources directory without the file: the defaults.
    assert load_queue_view_rules(tmp_path / "missing.toml") == DEFAULT_QUEUE_VIEW_RULES
