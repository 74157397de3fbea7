"""Statutory petition deadlines (信访工作条例) and the center's local targets."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from dispatch_app.domain.errors import DomainError, IllegalTransition, ValidationError
from dispatch_app.domain.petition_deadlines import (
    Deadline,
    DeadlineRules,
    DeadlineState,
    PetitionClock,
    RulesError,
    check_extension,
    check_follow_up,
    deadline_rules_from_toml,
    deadline_state,
    end_of_day,
    most_urgent,
    petition_deadlines,
    reminders_due,
)
from dispatch_app.domain.petitions import (
    Callback,
    Channel,
    Decision,
    Extension,
    PetitionProgress,
    Reply,
    Satisfaction,
    Stage,
)
from dispatch_app.domain.workcalendar import WorkCalendar, parse_holidays_toml

SH = dt.timezone(dt.timedelta(hours=8))
D = dt.date


def at(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    """A time in Asia/Shanghai (UTC+8, no daylight saving)."""
    return dt.datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def rules(resources_dir: Path) -> DeadlineRules:
    data = tomllib.loads((resources_dir / "rules" / "petitions.toml").read_text("utf-8"))
    return deadline_rules_from_toml(data)


@pytest.fixture(scope="module")
def calendar(resources_dir: Path) -> WorkCalendar:
    return parse_holidays_toml((resources_dir / "rules" / "holidays.toml").read_text("utf-8"))


def by_key(deadlines: list[Deadline]) -> dict[str, Deadline]:
    return {d.key: d for d in deadlines}


def accepted(when: dt.datetime, **kw: object) -> PetitionProgress:
    return PetitionProgress(decision=Decision.ACCEPT, decided_at=when, **kw)  # type: ignore[arg-type]


def test_rules_file_holds_the_regulation(rules: DeadlineRules) -> None:
    assert (rules.decision_days, rules.notice_days, rules.handling_days) == (15, 15, 60)
    assert rules.max_extension_days == 30
    assert (rules.review_request_days, rules.review_opinion_days) == (30, 30)
    assert (rules.second_review_request_days, rules.second_review_opinion_days) == (30, 30)
    assert rules.reminder_days == (3, 1)
    assert not rules.roll_past_non_working_days
    assert {t.key for t in rules.local_targets} >= {"hotline_callback", "satisfaction_callback"}


def test_received_at_year_end(rules: DeadlineRules, calendar: WorkCalendar) -> None:
    clock = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 12, 20))
    dl = by_key(petition_deadlines(clock, rules, calendar))
    # The receipt day is not counted: 15 days after 20 December end on 4 January.
    assert dl["decision"].last_day == D(2027, 1, 4)
    assert dl["notice"].last_day == D(2027, 1, 4)
    # The deadline ends at 24:00 Asia/Shanghai, i.e. 16:00 UTC that day.
    assert dl["decision"].due_at == dt.datetime(2027, 1, 4, 16, 0, tzinfo=dt.UTC)
    assert "handling" not in dl  # not accepted yet: no date to show


def test_the_local_date_counts_not_the_utc_date(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    # 23:30 on 31 December in Changzhou is still 31 December there (15:30 UTC).
    late = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 12, 31, 23, 30))
    assert by_key(petition_deadlines(late, rules, calendar))["decision"].last_day == D(2027, 1, 15)
    # 16:30 UTC on 31 December is already 1 January 00:30 in Changzhou.
    utc = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)
    early = PetitionClock(Channel.LETTER, Stage.ORIGINAL, utc)
    assert by_key(petition_deadlines(early, rules, calendar))["decision"].last_day == D(2027, 1, 16)


def test_handling_period_across_february_in_leap_and_common_years(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    def handling_last_day(accept: dt.datetime) -> dt.date:
        clock = PetitionClock(Channel.VISIT, Stage.ORIGINAL, accept, accepted(accept))
        return by_key(petition_deadlines(clock, rules, calendar))["handling"].last_day

    assert handling_last_day(at(2027, 1, 1)) == D(2027, 3, 2)  # 2027: February has 28 days
    assert handling_last_day(at(2028, 1, 1)) == D(2028, 3, 1)  # 2028: 29 February counts
    received = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2028, 2, 14))
    assert by_key(petition_deadlines(received, rules, calendar))["decision"].last_day == D(
        2028, 2, 29
    )


def test_extension_moves_the_handling_deadline(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    accept = at(2026, 12, 20)
    plain = PetitionClock(Channel.LETTER, Stage.ORIGINAL, accept, accepted(accept))
    assert by_key(petition_deadlines(plain, rules, calendar))["handling"].last_day == D(2027, 2, 18)
    ext = Extension(30, "需现场监测取证", "王班长", at(2027, 2, 1))
    extended = PetitionClock(
        Channel.LETTER, Stage.ORIGINAL, accept, accepted(accept, extension=ext)
    )
    handling = by_key(petition_deadlines(extended, rules, calendar))["handling"]
    assert handling.last_day == D(2027, 3, 20)
    assert handling.extended_by_days == 30
    assert handling.days == 90
    assert "延期30日" in handling.label_zh


def test_calendar_days_ignore_holidays_unless_rolling_is_configured(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    clock = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 9, 16))
    strict = by_key(petition_deadlines(clock, rules, calendar))["decision"]
    assert strict.last_day == D(2026, 10, 1)  # National Day: the strict date stands
    rolling = DeadlineRules(roll_past_non_working_days=True)
    rolled = by_key(petition_deadlines(clock, rolling, calendar))["decision"]
    assert rolled.last_day == D(2026, 10, 8)  # first working day after the holiday week


def test_hotline_callback_in_working_days(rules: DeadlineRules, calendar: WorkCalendar) -> None:
    def callback_day(received: dt.datetime, channel: Channel = Channel.HOTLINE_12345) -> dt.date:
        clock = PetitionClock(channel, Stage.ORIGINAL, received)
        return by_key(petition_deadlines(clock, rules, calendar))["hotline_callback"].last_day

    assert callback_day(at(2026, 9, 30, 18)) == D(2026, 10, 8)  # over National Day
    assert callback_day(at(2026, 10, 9, 20)) == D(2026, 10, 10)  # the make-up Saturday
    assert callback_day(at(2026, 12, 31, 9), Channel.HOTLINE_12369) == D(2027, 1, 4)
    # Spring Festival 2027 on the provisional calendar: flagged as such.
    clock = PetitionClock(Channel.HOTLINE_12345, Stage.ORIGINAL, at(2027, 2, 4, 21))
    target = by_key(petition_deadlines(clock, rules, calendar))["hotline_callback"]
    assert target.last_day == D(2027, 2, 9)
    assert target.provisional_calendar
    assert not target.statutory
    letter = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 9, 30))
    keys = by_key(petition_deadlines(letter, rules, calendar))
    assert "hotline_callback" not in keys
    assert keys["first_contact"].last_day == D(2026, 10, 10)  # 8th, 9th, 10th (Saturday worked)


def test_satisfaction_callback_and_review_window_start_at_the_reply(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    accept = at(2026, 11, 2)
    reply = Reply("已责令整改", at(2026, 12, 25, 15), "phone")
    progress = accepted(accept, reply=reply)
    clock = PetitionClock(Channel.HOTLINE_12345, Stage.ORIGINAL, at(2026, 11, 1), progress)
    dl = by_key(petition_deadlines(clock, rules, calendar))
    assert dl["handling"].done_at == reply.sent_at
    assert dl["satisfaction_callback"].last_day == D(2026, 12, 30)  # Fri 25 + 3 working days
    window = dl["review_request"]
    assert window.last_day == D(2027, 1, 24)
    assert not window.obligation
    now = at(2027, 1, 25, 0, 1)
    assert window.state(now) is DeadlineState.LAPSED  # a window lapses, it is not overdue
    done = PetitionProgress(
        decision=Decision.ACCEPT,
        decided_at=accept,
        reply=reply,
        callbacks=(Callback(Satisfaction.SATISFIED, at(2026, 12, 28)),),
    )
    clock2 = PetitionClock(Channel.HOTLINE_12345, Stage.ORIGINAL, at(2026, 11, 1), done)
    cb = by_key(petition_deadlines(clock2, rules, calendar))["satisfaction_callback"]
    assert cb.state(now) is DeadlineState.MET


def test_review_and_second_review_stages(rules: DeadlineRules, calendar: WorkCalendar) -> None:
    review = PetitionClock(Channel.LETTER, Stage.REVIEW, at(2026, 12, 20))
    dl = by_key(petition_deadlines(review, rules, calendar))
    assert set(dl) == {"review_opinion"}
    assert dl["review_opinion"].last_day == D(2027, 1, 19)
    opinion = PetitionProgress(reply=Reply("维持原意见", at(2027, 1, 10), "letter"))
    answered = PetitionClock(Channel.LETTER, Stage.REVIEW, at(2026, 12, 20), opinion)
    dl2 = by_key(petition_deadlines(answered, rules, calendar))
    assert dl2["second_review_request"].last_day == D(2027, 2, 9)
    second = PetitionClock(Channel.LETTER, Stage.SECOND_REVIEW, at(2027, 2, 1), opinion)
    dl3 = by_key(petition_deadlines(second, rules, calendar))
    assert dl3["second_review_opinion"].last_day == D(2027, 3, 3)
    assert not any(d.key.endswith("_request") for d in dl3.values())  # nothing after 复核


def test_states_at_their_boundaries(rules: DeadlineRules, calendar: WorkCalendar) -> None:
    clock = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 12, 20))
    d = by_key(petition_deadlines(clock, rules, calendar))["decision"]
    due = d.due_at
    second = dt.timedelta(seconds=1)
    assert deadline_state(d, due - dt.timedelta(days=3) - second) is DeadlineState.RUNNING
    assert deadline_state(d, due - dt.timedelta(days=3)) is DeadlineState.DUE_3D
    assert deadline_state(d, due - dt.timedelta(days=1) - second) is DeadlineState.DUE_3D
    assert deadline_state(d, due - dt.timedelta(days=1)) is DeadlineState.DUE_1D
    assert deadline_state(d, due - second) is DeadlineState.DUE_1D
    assert deadline_state(d, due) is DeadlineState.OVERDUE
    assert d.remaining(due + dt.timedelta(hours=5)) == -dt.timedelta(hours=5)
    # Done at 23:59:59 on the last day is on time; at 00:00 the next day it is late.
    decided_in_time = PetitionProgress(decision=Decision.TRANSFER, decided_at=due - second)
    decided_late = PetitionProgress(decision=Decision.TRANSFER, decided_at=due)
    for progress, state in (
        (decided_in_time, DeadlineState.MET),
        (decided_late, DeadlineState.MET_LATE),
    ):
        c = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 12, 20), progress)
        assert by_key(petition_deadlines(c, rules, calendar))["decision"].state(due) is state
    # A transfer is a decision but not an acceptance: no handling clock here.
    c = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 12, 20), decided_in_time)
    assert "handling" not in by_key(petition_deadlines(c, rules, calendar))


def test_reminders_three_days_and_one_day_before(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    clock = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 12, 20))
    deadlines = [d for d in petition_deadlines(clock, rules, calendar) if d.statutory]
    due = deadlines[0].due_at
    assert reminders_due(deadlines, due - dt.timedelta(days=4)) == []
    three = reminders_due(deadlines, due - dt.timedelta(days=2, hours=12))
    assert sorted((r.deadline_key, r.days_before) for r in three) == [
        ("decision", 3),
        ("notice", 3),
    ]
    both = reminders_due(deadlines, due - dt.timedelta(hours=12))
    assert sorted((r.deadline_key, r.days_before) for r in both) == [
        ("decision", 1),
        ("decision", 3),
        ("notice", 1),
        ("notice", 3),
    ]
    assert len({r.ident for r in both}) == 4
    assert reminders_due(deadlines, due) == []  # overdue: the state is the alarm now


def test_an_extension_earns_fresh_reminders(rules: DeadlineRules, calendar: WorkCalendar) -> None:
    accept = at(2026, 10, 1)
    plain = PetitionClock(Channel.LETTER, Stage.ORIGINAL, accept, accepted(accept))
    h1 = by_key(petition_deadlines(plain, rules, calendar))["handling"]
    ext = Extension(10, "等待检测报告", "王班长", at(2026, 11, 20))
    longer = PetitionClock(Channel.LETTER, Stage.ORIGINAL, accept, accepted(accept, extension=ext))
    h2 = by_key(petition_deadlines(longer, rules, calendar))["handling"]
    r1 = reminders_due([h1], h1.due_at - dt.timedelta(hours=1))
    r2 = reminders_due([h2], h2.due_at - dt.timedelta(hours=1))
    assert {r.ident for r in r1}.isdisjoint({r.ident for r in r2})


def test_most_urgent_prefers_overdue_then_earliest(
    rules: DeadlineRules, calendar: WorkCalendar
) -> None:
    accept = at(2026, 10, 1)
    progress = PetitionProgress(decision=Decision.ACCEPT, decided_at=accept)
    clock = PetitionClock(Channel.HOTLINE_12345, Stage.ORIGINAL, at(2026, 9, 30, 9), progress)
    deadlines = petition_deadlines(clock, rules, calendar)
    now = at(2026, 10, 9)
    worst = most_urgent(deadlines, now)
    assert worst is not None
    assert worst.key == "hotline_callback"  # overdue since 8 October
    assert worst.state(now) is DeadlineState.OVERDUE
    assert (
        DeadlineState.OVERDUE.severity > DeadlineState.DUE_1D.severity > DeadlineState.MET.severity
    )


def test_end_of_day_is_midnight_in_shanghai() -> None:
    assert end_of_day(D(2026, 12, 31)) == dt.datetime(2026, 12, 31, 16, tzinfo=dt.UTC)


# --- extension -------------------------------------------------------------------------------


def _accepted_clock(**kw: object) -> PetitionClock:
    return PetitionClock(
        Channel.LETTER, Stage.ORIGINAL, at(2026, 11, 1), accepted(at(2026, 11, 2), **kw)
    )


def test_extension_allowed_once_with_reason_by_a_shift_leader(rules: DeadlineRules) -> None:
    ext = Extension(30, "  需委托第三方检测  ", "王班长", at(2026, 12, 1))
    ok = check_extension(_accepted_clock(), ext, rules, "shift_leader", at(2026, 12, 1))
    assert ok.reason == "需委托第三方检测"
    cases: list[tuple[PetitionClock, Extension, str, type[Exception], str]] = [
        (
            _accepted_clock(),
            Extension(31, "r", "王", at(2026, 12, 1)),
            "shift_leader",
            ValidationError,
            "1 to 30",
        ),
        (
            _accepted_clock(),
            Extension(0, "r", "王", at(2026, 12, 1)),
            "shift_leader",
            ValidationError,
            "1 to 30",
        ),
        (
            _accepted_clock(),
            Extension(10, " ", "王", at(2026, 12, 1)),
            "shift_leader",
            ValidationError,
            "reason",
        ),
        (
            _accepted_clock(),
            Extension(10, "r", "", at(2026, 12, 1)),
            "shift_leader",
            ValidationError,
            "approved",
        ),
        (_accepted_clock(), ext, "duty_officer", DomainError, "approved by"),
        (
            _accepted_clock(extension=ext),
            ext,
            "shift_leader",
            IllegalTransition,
            "already been extended",
        ),
        (
            _accepted_clock(reply=Reply("x", at(2026, 12, 1), "phone")),
            ext,
            "shift_leader",
            IllegalTransition,
            "replied",
        ),
        (
            PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 11, 1)),
            ext,
            "shift_leader",
            IllegalTransition,
            "accepted",
        ),
    ]
    for clock, extension, role, error, message in cases:
        with pytest.raises(error, match=message):
            check_extension(clock, extension, rules, role, at(2026, 12, 1))
    # After the 60 days have run out (accepted 2 Nov → last day 1 Jan) it is too late.
    with pytest.raises(IllegalTransition, match="already run out"):
        check_extension(_accepted_clock(), ext, rules, "shift_leader", at(2027, 1, 2, 0, 0))
    check_extension(_accepted_clock(), ext, rules, "shift_leader", at(2027, 1, 1, 23, 59))


# --- follow-ups ------------------------------------------------------------------------------


def test_follow_ups_review_then_second_review_then_nothing(rules: DeadlineRules) -> None:
    replied = accepted(at(2026, 11, 2), reply=Reply("已处理", at(2026, 12, 10), "letter"))
    original = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 11, 1), replied)
    assert check_follow_up(original, at(2027, 1, 9, 23, 59), rules) is Stage.REVIEW
    with pytest.raises(IllegalTransition, match="30-day window") as late:
        check_follow_up(original, at(2027, 1, 10, 0, 0), rules)
    assert "2027-01-09" in late.value.message_en
    with pytest.raises(ValidationError, match="earlier than the reply"):
        check_follow_up(original, at(2026, 12, 9), rules)
    no_reply = PetitionClock(Channel.LETTER, Stage.ORIGINAL, at(2026, 11, 1))
    with pytest.raises(IllegalTransition, match="only after the reply"):
        check_follow_up(no_reply, at(2026, 11, 5), rules)
    asked = PetitionClock(
        Channel.LETTER, Stage.ORIGINAL, at(2026, 11, 1), replied, at(2026, 12, 20)
    )
    with pytest.raises(IllegalTransition, match="already been requested"):
        check_follow_up(asked, at(2026, 12, 21), rules)
    review = PetitionClock(
        Channel.LETTER,
        Stage.REVIEW,
        at(2026, 12, 20),
        PetitionProgress(reply=Reply("维持", at(2027, 1, 5), "letter")),
    )
    assert check_follow_up(review, at(2027, 1, 20), rules) is Stage.SECOND_REVIEW
    final = PetitionClock(
        Channel.LETTER,
        Stage.SECOND_REVIEW,
        at(2027, 1, 20),
        PetitionProgress(reply=Reply("维持", at(2027, 2, 5), "letter")),
    )
    with pytest.raises(IllegalTransition, match="not accepted again") as refused:
        check_follow_up(final, at(2027, 2, 6), rules)
    assert "不再受理" in refused.value.message_zh


# --- malformed rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"statutory": {"handling_days": 0}}, r"statutory.handling_days"),
        ({"statutory": {"decision_days": "15"}}, r"statutory.decision_days"),
        ({"statutory": {"reminder_days": [3, -1]}}, "reminder_days"),
        ({"extension": {"approver_roles": []}}, "approver_roles"),
        (
            {
                "local_target": [
                    {"key": "x", "done_by": "contacted", "working_days": 1, "calendar_days": 1}
                ]
            },
            "exactly one of",
        ),
        ({"local_target": [{"key": "x", "done_by": "contacted"}]}, "exactly one of"),
        (
            {"local_target": [{"key": "decision", "done_by": "contacted", "working_days": 1}]},
            "already used",
        ),
        (
            {
                "local_target": [
                    {"key": "x", "done_by": "contacted", "working_days": 1, "channels": ["fax"]}
                ]
            },
            r"local_target\[0\]",
        ),
        (
            {"local_target": [{"key": "x", "done_by": "never", "working_days": 1}]},
            r"local_target\[0\]",
        ),
        (
            {"local_target": [{"key": "bad key", "done_by": "contacted", "working_days": 1}]},
            "identifier",
        ),
    ],
)
def test_malformed_rules_are_refused_naming_the_entry(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(RulesError, match=message):
        deadline_rules_from_toml(data)


def test_naive_times_are_refused(rules: DeadlineRules, calendar: WorkCalendar) -> None:
    clock = PetitionClock(Channel.LETTER, Stage.ORIGINAL, dt.datetime(2026, 12, 20, 10))
    with pytest.raises(ValueError, match="aware"):
        petition_deadlines(clock, rules, calendar)
