"""The queue's views on both databases: what needs action now apart from the long-overdue
backlog, in the documented order, with the counts of each view.

The clock stands at 10:00 in Changzhou (the day shift ends at 17:30). The workload is the one a
new duty officer met: cases overdue by twelve days, and five cases the alarms opened five
minutes ago (55 minutes left)."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.desk import Desk, QueueCounts, QueueQuery, QueueSort, QueueView
from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.desk.errors import ValidationError
from dispatch_app.domain.cases import CaseKind, CaseSource, Priority
from dispatch_app.domain.queue_views import current_shift_end
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.store.queue import OPEN_STATUSES
from tests.desk.conftest import PASSWORD, Clock, draft, second_desk

NATIONAL_SECTIONS = ("WQ-N-01", "WQ-N-02", "WQ-N-03", "WQ-N-04", "WQ-N-05")
OPEN = QueueQuery(statuses=OPEN_STATUSES)


def open_alarm_cases(desk: Desk, clock: Clock, tmp_path: Path, resources_dir: Path) -> list[int]:
    """The monitoring alarms open their cases: five national sections below target."""
    doc = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    water = [s for s in doc["stations"] if s["kind"].startswith("water_")]
    rules = tmp_path / "alarms.toml"
    shutil.copy(resources_dir / "rules" / "alarms.toml", rules)
    alarms = AlarmDesk.open(desk, rules_path=rules, stations=water)
    for station in NATIONAL_SECTIONS:
        alarms.feed(
            [
                (station, "pH", clock.now, 7.4, "N"),
                (station, "DO", clock.now, 7.0, "N"),
                (station, "CODMn", clock.now, 3.0, "N"),
                (station, "NH3-N", clock.now, 3.0, "N"),  # 劣Ⅴ against target Ⅲ
                (station, "TP", clock.now, 0.08, "N"),
            ]
        )
    opened = list(alarms.evaluate().opened_cases)
    assert len(opened) == 5
    return opened


@pytest.fixture
def workload(desk: Desk, clock: Clock, tmp_path: Path, resources_dir: Path) -> dict[str, Any]:
    """Known cases in every corner of the views; the clock ends at 10:00 Shanghai time."""
    now = clock.now
    assert now.astimezone(CENTER_TZ).hour == 10
    desk.logout()
    desk.login("officer", PASSWORD)
    ids: dict[str, Any] = {}

    def at(offset: timedelta, **fields: Any) -> int:
        clock.now = now + offset
        return desk.create_case(draft(**fields)).id

    # Overdue by twelve days and more: the backlog.
    ids["backlog"] = [
        at(-timedelta(days=13), title=f"积压事项 {i}", priority=Priority.P1) for i in range(6)
    ]
    # Overdue by two hours (P2 quality: respond within 1 h): needs action, due soonest.
    ids["late_2h"] = at(-timedelta(hours=3), title="两小时前到期")
    # Two cases due at the same moment (a P2 made 30 min before a P1): priority decides.
    ids["tie_p2"] = at(-timedelta(minutes=30), title="同时到期 P2", priority=Priority.P2)
    ids["tie_p1"] = at(timedelta(0), title="同时到期 P1", priority=Priority.P1)
    # Acknowledged, resolution due in 6 h (before 17:30): due within this shift.
    ids["acked_in_shift"] = at(-timedelta(hours=6), title="本班到期", priority=Priority.P1)
    clock.now = now - timedelta(hours=5)
    desk.dispatch(ids["acked_in_shift"], "branch-wujin")
    desk.acknowledge(ids["acked_in_shift"])
    # Acknowledged, resolution due in days: worked on, nothing due this shift.
    ids["acked_later"] = at(-timedelta(hours=1), title="处置中，数日后到期", priority=Priority.P4)
    clock.now = now - timedelta(minutes=50)
    desk.dispatch(ids["acked_later"], "branch-wujin")
    desk.acknowledge(ids["acked_later"])
    # A new petition (respond within 15 days): awaiting acknowledgement, due after the shift.
    ids["new_petition"] = at(
        timedelta(0), kind=CaseKind.PETITION, title="新信访", priority=Priority.P4
    )
    # Closed: in none of the open views.
    ids["closed"] = at(-timedelta(hours=2), title="已取消", priority=Priority.P3)
    desk.cancel(ids["closed"], "重复")
    # The alarms opened five cases five minutes ago (55 minutes left).
    clock.now = now - timedelta(minutes=5)
    ids["alarm"] = open_alarm_cases(desk, clock, tmp_path, resources_dir)
    clock.now = now
    return ids


def ids_of(desk: Desk, query: QueueQuery) -> list[int]:
    return [r.id for r in desk.queue_page(query, 0, 1000)]


def test_needs_action_shows_alarm_cases_and_this_shift_apart_from_the_backlog(
    desk: Desk, workload: dict[str, Any]
) -> None:
    needs = ids_of(desk, QueueQuery(statuses=OPEN_STATUSES, view=QueueView.NEEDS_ACTION))
    alarm = sorted(workload["alarm"])
    assert needs == [
        *alarm,  # the alarms' new cases first (same due time and priority: by id)
        workload["late_2h"],  # then the rest due before 17:30, soonest first
        workload["tie_p1"],  # same due time as the P2: priority breaks the tie
        workload["tie_p2"],
        workload["acked_in_shift"],
        workload["new_petition"],  # then what awaits acknowledgement, due later
    ]
    # The alarm cases were the officer's first screen, not below the backlog.
    all_open = ids_of(desk, OPEN)
    assert all_open[:6] == workload["backlog"]  # "most urgent first" over all open cases
    backlog = ids_of(desk, QueueQuery(statuses=OPEN_STATUSES, view=QueueView.BACKLOG))
    assert backlog == workload["backlog"]
    assert workload["acked_later"] in all_open
    assert workload["acked_later"] not in needs + backlog
    assert workload["closed"] not in all_open
    assert desk.queue_counts(OPEN) == QueueCounts(needs_action=10, backlog=6, all=17)
    assert desk.queue_count(QueueQuery(view=QueueView.NEEDS_ACTION)) == 10
    # Counts under the other filters: only the petitions.
    petitions = QueueQuery(kinds=("petition",), statuses=OPEN_STATUSES)
    assert desk.queue_counts(petitions) == QueueCounts(1, 0, 1)


def test_alarm_cases_stay_in_needs_action_while_worked_and_leave_when_long_overdue(
    desk: Desk, clock: Clock, workload: dict[str, Any]
) -> None:
    first = workload["alarm"][0]
    desk.dispatch(first, "branch-zhonglou")
    desk.acknowledge(first)  # resolution due in a day: after the shift, still an alarm case
    needs = ids_of(desk, QueueQuery(view=QueueView.NEEDS_ACTION))
    assert first in needs and needs.index(first) > needs.index(workload["acked_in_shift"])
    # Two days later everything of this morning is long overdue: the backlog.
    clock.advance(days=2)
    backlog = ids_of(desk, QueueQuery(view=QueueView.BACKLOG))
    assert set(workload["alarm"]) <= set(backlog)
    assert not set(workload["alarm"]) & set(ids_of(desk, QueueQuery(view=QueueView.NEEDS_ACTION)))


def test_the_shift_end_is_one_replaceable_function(
    desk: Desk, clock: Clock, workload: dict[str, Any]
) -> None:
    assert desk.view_times().shift_end == current_shift_end(clock.now)
    assert desk.view_times().shift_end.astimezone(CENTER_TZ).strftime("%H:%M") == "17:30"
    # A roster whose shift ends in 10 minutes: the case due in 6 hours is not this shift's.
    desk.shift_end = lambda now: now + timedelta(minutes=10)
    needs = ids_of(desk, QueueQuery(view=QueueView.NEEDS_ACTION))
    assert workload["acked_in_shift"] not in needs
    assert workload["late_2h"] in needs and workload["new_petition"] in needs


def test_another_workstation_changes_the_counts(
    desk: Desk, db_url: str, clock: Clock, workload: dict[str, Any]
) -> None:
    before = desk.queue_counts(OPEN)
    other = second_desk(db_url, clock)
    try:
        other.create_case(draft(title="另一席位新建", source=CaseSource.HOTLINE_12345))
        other.cancel(workload["backlog"][0], "已由上级督办")
    finally:
        other.close()
    after = desk.queue_counts(OPEN)
    assert after == QueueCounts(before.needs_action + 1, before.backlog - 1, before.all)


def test_views_are_saved_with_a_filter_and_checked(desk: Desk) -> None:
    desk.logout()
    desk.login("officer", PASSWORD)
    query = QueueQuery(statuses=OPEN_STATUSES, view=QueueView.BACKLOG, sort=QueueSort.PRIORITY)
    saved = desk.save_filter("积压", query)
    assert desk.saved_filters()[0].query == saved.query == query
    assert QueueQuery.from_json({"kinds": []}).view is QueueView.ALL  # filters saved before
    with pytest.raises(ValidationError) as refused:
        desk.queue_page(QueueQuery(view="later"), 0, 10)  # type: ignore[arg-type]
    assert refused.value.field == "view"
