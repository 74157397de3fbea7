"""Deadline rules and urgency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_app.domain.cases import CaseKind, Priority, Status
from dispatch_app.domain.deadlines import (
    NO_DEADLINE,
    DeadlineRulesError,
    Urgency,
    assess,
    due_times,
    parse_deadline_rules,
    parse_duration,
    sort_key,
)

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def rules_text(resources_dir: Path) -> str:
    return (resources_dir / "rules" / "deadlines.toml").read_text(encoding="utf-8")


def test_shipped_rules_cover_every_kind_and_priority(rules_text: str) -> None:
    rules = parse_deadline_rules(rules_text)
    assert len(rules.targets) == 16
    # P1 is never slower than P4 for any kind.
    for kind in CaseKind:
        p1, p4 = rules.target(kind, Priority.P1), rules.target(kind, Priority.P4)
        assert p1.response <= p4.response and p1.resolution <= p4.resolution
    # Petitions at P4 follow 信访工作条例: 15 days to decide, 60 days to handle.
    petition = rules.target(CaseKind.PETITION, Priority.P4)
    assert petition.response == timedelta(days=15)
    assert petition.resolution == timedelta(days=60)


def test_due_times_and_urgency_through_the_life_of_a_case(rules_text: str) -> None:
    rules = parse_deadline_rules(rules_text)
    response_due, resolution_due = due_times(rules, CaseKind.EMERGENCY, Priority.P1, T0)
    assert response_due == T0 + timedelta(minutes=15)
    assert resolution_due == T0 + timedelta(hours=24)

    def at(status: Status, minutes: float) -> Urgency:
        now = T0 + timedelta(minutes=minutes)
        return assess(rules, status, T0, response_due, resolution_due, now).urgency

    assert at(Status.NEW, 0) is Urgency.OK
    assert at(Status.NEW, 11) is Urgency.OK  # 11 of 15 minutes: below 75 %
    assert at(Status.NEW, 11.25) is Urgency.AT_RISK  # exactly 75 % elapsed
    assert at(Status.DISPATCHED, 14.9) is Urgency.AT_RISK
    assert at(Status.DISPATCHED, 15) is Urgency.AT_RISK  # due now, not yet past
    assert at(Status.DISPATCHED, 15.1) is Urgency.OVERDUE
    # Acknowledged: the resolution deadline governs now.
    assert at(Status.ACKNOWLEDGED, 60) is Urgency.OK
    assert at(Status.ON_SCENE, 24 * 60 + 1) is Urgency.OVERDUE
    assert at(Status.RESOLVED, 10_000) is Urgency.NONE
    assert at(Status.CLOSED, 10_000) is Urgency.NONE


def test_state_carries_remaining_and_sort_key(rules_text: str) -> None:
    rules = parse_deadline_rules(rules_text)
    r, s = due_times(rules, CaseKind.QUALITY, Priority.P2, T0)
    state = assess(rules, Status.TRIAGED, T0, r, s, T0 + timedelta(minutes=90))
    assert state.active_due == r and state.remaining == timedelta(minutes=-30)
    assert state.sort_key == sort_key(Status.TRIAGED, r, s) == r
    assert sort_key(Status.CANCELLED, r, s) == NO_DEADLINE
    # Sorting by the key puts the most urgent first and finished cases last.
    keys = sorted([sort_key(Status.CLOSED, r, s), sort_key(Status.ON_SCENE, r, s), r])
    assert keys == [r, s, NO_DEADLINE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", timedelta(minutes=30)), ("4h", timedelta(hours=4)), ("1.5d", timedelta(hours=36))],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text, "x") == expected


@pytest.mark.parametrize("text", ["", "4", "4 weeks", "-1h", "0m", 5])
def test_bad_durations(text: object) -> None:
    with pytest.raises(DeadlineRulesError):
        parse_duration(text, "[quality.P1] response")


def test_bad_rules_files_name_the_entry(rules_text: str) -> None:
    with pytest.raises(DeadlineRulesError, match="not valid TOML"):
        parse_deadline_rules("[quality")
    with pytest.raises(DeadlineRulesError, match=r"missing section \[petition\]"):
        parse_deadline_rules(rules_text.split("[petition]")[0])
    broken = rules_text.replace(
        'P3 = { response = "4h", resolution = "3d" }', 'P3 = { response = "4h", resolution = "1h" }'
    )
    with pytest.raises(DeadlineRulesError, match=r"\[quality.P3\]: resolution is shorter"):
        parse_deadline_rules(broken)
    with pytest.raises(DeadlineRulesError, match="at_risk_fraction"):
        parse_deadline_rules(rules_text.replace("at_risk_fraction = 0.75", "at_risk_fraction = 2"))
