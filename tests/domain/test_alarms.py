"""Alarm lifecycle: states and latching, acknowledge, deduplication, shelving and its expiry,
flood grouping, chattering and stale flags, versions for the store, refused actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dispatch_app.domain.alarm_rules import AlarmCondition, Evidence, Priority
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmActionRefused,
    AlarmChange,
    AlarmState,
    Annunciator,
    ChangeKind,
    acknowledge,
    alarm_from_dict,
    alarm_to_dict,
    apply_condition,
    apply_evaluation,
    link_case,
    panel_order,
    shelve,
    tick,
    unshelve,
)

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def condition(
    active: bool = True,
    station: str = "AQ-N-01",
    rule: str = "aqi-heavy",
    value: float = 230.0,
    priority: Priority = Priority.HIGH,
    open_case: bool = True,
) -> AlarmCondition:
    return AlarmCondition(
        rule_id=rule,
        station_id=station,
        active=active,
        priority=priority,
        open_case=open_case,
        value=value,
        threshold=201.0,
        time=T0,
        evidence=(Evidence("PM2.5", T0, 180.0, "N", "1h average, IAQI 230"),) if active else (),
        message_zh=f"AQI {value}",
        message_en=f"AQI {value}",
    )


def raise_alarm(now: datetime = T0, **kwargs: object) -> Alarm:
    change = apply_condition(None, condition(**kwargs), now)  # type: ignore[arg-type]
    assert change is not None
    return change.after


def step(alarm: Alarm | None, change: AlarmChange | None) -> Alarm:
    assert change is not None
    assert change.before == alarm
    if alarm is not None:
        assert change.after.version == alarm.version + 1
    return change.after


def test_raise_creates_active_unacknowledged_with_case_request() -> None:
    change = apply_condition(None, condition(), T0)
    assert change is not None and change.kind is ChangeKind.RAISED and change.before is None
    alarm = change.after
    assert alarm.key == "aqi-heavy@AQ-N-01" and alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED
    assert alarm.version == 1 and alarm.count == 1 and alarm.first_raised == T0
    assert alarm.evidence[0].parameter == "PM2.5"
    assert change.announce and change.open_case
    low = apply_condition(None, condition(priority=Priority.LOW, open_case=False), T0)
    assert low is not None and not low.open_case
    assert apply_condition(None, condition(active=False), T0) is None


def test_latching_unacknowledged_alarm_stays_until_acknowledged() -> None:
    alarm = raise_alarm()
    alarm = step(alarm, apply_condition(alarm, condition(active=False, value=150.0), at(5)))
    assert alarm.state is AlarmState.CLEARED_UNACKNOWLEDGED and alarm.cleared_at == at(5)
    assert alarm.evidence[0].value == 180.0  # what triggered it is kept
    assert apply_condition(alarm, condition(active=False), at(6)) is None
    change = acknowledge(alarm, "张三", "已通知执法分局", at(7))
    alarm = step(alarm, change)
    assert alarm.state is AlarmState.NORMAL and change.kind is ChangeKind.ACKNOWLEDGED
    assert (alarm.acknowledged_by, alarm.ack_note) == ("张三", "已通知执法分局")
    assert change.user == "张三" and change.note == "已通知执法分局"


def test_acknowledged_alarm_returns_to_normal_when_cleared() -> None:
    alarm = raise_alarm()
    alarm = step(alarm, acknowledge(alarm, "li", "", at(1)))
    assert alarm.state is AlarmState.ACTIVE_ACKNOWLEDGED
    alarm = step(alarm, apply_condition(alarm, condition(), at(2)))  # still active
    assert alarm.state is AlarmState.ACTIVE_ACKNOWLEDGED and alarm.last_seen == at(2)
    alarm = step(alarm, apply_condition(alarm, condition(active=False), at(3)))
    assert alarm.state is AlarmState.NORMAL


def test_one_alarm_per_station_and_rule_repeat_never_duplicates() -> None:
    alarms: dict[str, Alarm] = {}
    for minute in range(5):
        changes = apply_evaluation(alarms, [condition(value=230.0 + minute)], at(minute))
        for change in changes:
            alarms[change.after.key] = change.after
    assert list(alarms) == ["aqi-heavy@AQ-N-01"]
    alarm = alarms["aqi-heavy@AQ-N-01"]
    assert alarm.count == 1 and alarm.last_seen == at(4) and alarm.value == 234.0
    assert alarm.raised_at == T0 and alarm.version == 5
    # Clears, then comes back: the same record, re-raised, count 2, acknowledgement reset.
    alarm = step(alarm, acknowledge(alarm, "li", "seen", at(5)))
    alarm = step(alarm, apply_condition(alarm, condition(active=False), at(6)))
    assert alarm.state is AlarmState.NORMAL
    change = apply_condition(alarm, condition(), at(20))
    alarm = step(alarm, change)
    assert change is not None and change.kind is ChangeKind.RAISED and change.announce
    assert alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED and alarm.count == 2
    assert alarm.first_raised == T0 and alarm.raised_at == at(20)
    assert alarm.acknowledged_by is None and alarm.ack_note == ""
    # Another station or rule is another alarm.
    changes = apply_evaluation(
        {alarm.key: alarm}, [condition(station="AQ-N-02"), condition(rule="o3")], at(21)
    )
    assert {c.after.key for c in changes} == {"aqi-heavy@AQ-N-02", "o3@AQ-N-01"}


def test_reactivation_while_latched_is_a_new_raise() -> None:
    alarm = raise_alarm()
    alarm = step(alarm, apply_condition(alarm, condition(active=False), at(30)))
    alarm = step(alarm, apply_condition(alarm, condition(), at(40)))
    assert alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED and alarm.count == 2
    assert alarm.cleared_at is None


@pytest.mark.parametrize(
    ("state_path", "action"),
    [
        ("normal", "ack"),
        ("acked", "ack"),
        ("active", "unshelve"),
    ],
)
def test_illegal_actions_are_refused(state_path: str, action: str) -> None:
    alarm = raise_alarm()
    if state_path in ("normal", "acked"):
        alarm = step(alarm, acknowledge(alarm, "li", "", at(1)))
    if state_path == "normal":
        alarm = step(alarm, apply_condition(alarm, condition(active=False), at(2)))
    with pytest.raises(AlarmActionRefused) as info:
        if action == "ack":
            acknowledge(alarm, "li", "", at(3))
        else:
            unshelve(alarm, "li", at(3))
    assert info.value.params["alarm"] == alarm.key
    assert "报警" in info.value.message("zh")


def test_actions_need_a_user_and_shelving_a_reason_and_a_known_duration() -> None:
    alarm = raise_alarm()
    with pytest.raises(AlarmActionRefused, match="user"):
        acknowledge(alarm, " ", "", at(1))
    with pytest.raises(AlarmActionRefused, match="reason"):
        shelve(alarm, "li", "1h", "  ", at(1))
    with pytest.raises(AlarmActionRefused, match="shelve for one of"):
        shelve(alarm, "li", "2h", "维护", at(1))
    with pytest.raises(AlarmActionRefused, match="case id"):
        link_case(alarm, "", at(1))
    with pytest.raises(ValueError, match="aware"):
        acknowledge(alarm, "li", "", datetime(2026, 11, 28))
    with pytest.raises(ValueError, match="does not belong"):
        apply_condition(alarm, condition(station="other"), at(1))


@pytest.mark.parametrize(
    ("duration", "length"),
    [
        ("1h", timedelta(hours=1)),
        ("6h", timedelta(hours=6)),
        ("12h", timedelta(hours=12)),
        ("1d", timedelta(days=1)),
    ],
)
def test_shelving_expires_automatically(duration: str, length: timedelta) -> None:
    alarm = raise_alarm()
    alarm = step(alarm, shelve(alarm, "li", duration, "设备检修", at(1)))
    assert alarm.shelved(at(1)) and alarm.shelved_until == at(1) + length
    assert alarm.shelve_reason == "设备检修" and alarm.shelved_by == "li"
    # (a day-long shelf also sees the alarm turn stale: only the unshelving matters here)
    before = tick([alarm], at(1) + length - timedelta(seconds=1))
    assert ChangeKind.UNSHELVED not in [c.kind for c in before]
    changes = tick([alarm], at(1) + length)
    assert changes[0].kind is ChangeKind.UNSHELVED and changes[0].user is None
    after = step(alarm, changes[0])
    assert after.shelved_until is None and not after.shelved(at(1) + length)


def test_shelved_alarm_follows_its_condition_but_is_not_announced() -> None:
    alarm = raise_alarm()
    alarm = step(alarm, shelve(alarm, "li", "6h", "传感器更换中", at(1)))
    alarm = step(alarm, apply_condition(alarm, condition(active=False), at(2)))
    change = apply_condition(alarm, condition(), at(3))
    assert change is not None and change.kind is ChangeKind.RAISED and not change.announce
    alarm = step(alarm, change)
    alarm = step(alarm, unshelve(alarm, "li", at(4)))
    assert not alarm.shelved(at(4))


def test_flood_groups_new_alarms_beyond_ten_in_ten_minutes() -> None:
    annunciator = Annunciator()
    first = [apply_condition(None, condition(station=f"S{i:02d}"), at(0)) for i in range(8)]
    out = annunciator.announce([c for c in first if c], at(0))
    assert len(out) == 8 and not any(a.summary for a in out)
    assert not annunciator.in_flood(at(0))
    burst = [apply_condition(None, condition(station=f"S{i:02d}"), at(3)) for i in range(8, 20)]
    out = annunciator.announce([c for c in burst if c], at(3))
    # Two more fill the ten; the other ten are announced as one summary.
    assert [a.summary for a in out] == [False, False, True]
    assert out[-1].count == 10 and out[-1].text_en == "10 more alarms"
    assert out[-1].text_zh == "另有 10 条报警" and out[-1].keys[0] == "aqi-heavy@S10"
    assert annunciator.in_flood(at(5))
    # Ten minutes after the first ones the window has emptied.
    assert not annunciator.in_flood(at(13))
    later = apply_condition(None, condition(station="S99"), at(14))
    assert later is not None
    assert [a.summary for a in annunciator.announce([later], at(14))] == [False]


def test_flood_state_survives_a_restart() -> None:
    alarms = [raise_alarm(at(i * 0.5), station=f"S{i:02d}") for i in range(11)]
    annunciator = Annunciator.from_alarms(alarms, at(6))
    assert annunciator.in_flood(at(6))
    new = apply_condition(None, condition(station="S50"), at(6))
    assert new is not None
    assert annunciator.announce([new], at(6))[0].summary


def test_only_raises_are_announced_and_shelved_ones_are_not_counted() -> None:
    annunciator = Annunciator(limit=1)
    alarm = raise_alarm()
    shelved = step(alarm, shelve(alarm, "li", "1h", "检修", at(0)))
    cleared = apply_condition(shelved, condition(active=False), at(1))
    again = apply_condition(step(shelved, cleared), condition(), at(2))
    assert annunciator.announce([c for c in (cleared, again) if c], at(2)) == []
    fresh = apply_condition(None, condition(station="X"), at(3))
    assert fresh is not None
    assert [a.summary for a in annunciator.announce([fresh], at(3))] == [False]


def test_chattering_flag_set_by_toggles_and_reset_when_quiet() -> None:
    alarm = raise_alarm(T0)
    seconds = T0
    for i, active in enumerate([False, True]):
        seconds = T0 + timedelta(seconds=10 * (i + 1))
        alarm = step(alarm, apply_condition(alarm, condition(active=active), seconds))
    # raise at 0 s, clear at 10 s, raise at 20 s: three toggles within a minute.
    assert alarm.chattering
    assert tick([alarm], T0 + timedelta(seconds=50)) == []
    changes = tick([alarm], T0 + timedelta(seconds=75))
    assert [c.kind for c in changes] == [ChangeKind.FLAGGED]
    assert not changes[0].after.chattering


def test_slow_toggles_do_not_chatter() -> None:
    alarm = raise_alarm(T0)
    for i, active in enumerate([False, True, False, True]):
        alarm = step(alarm, apply_condition(alarm, condition(active=active), at(2 * (i + 1))))
    assert not alarm.chattering


def test_stale_flag_after_24_hours_active() -> None:
    alarm = raise_alarm(T0)
    assert tick([alarm], T0 + timedelta(hours=24)) == []
    changes = tick([alarm], T0 + timedelta(hours=24, seconds=1))
    assert len(changes) == 1 and changes[0].after.stale
    alarm = step(alarm, changes[0])
    assert tick([alarm], T0 + timedelta(hours=25)) == []  # flagged once
    alarm = step(alarm, apply_condition(alarm, condition(active=False), T0 + timedelta(hours=26)))
    assert not alarm.stale


def test_link_case_and_no_second_case_request() -> None:
    alarm = raise_alarm()
    alarm = step(alarm, link_case(alarm, "Q-2026-0042", at(1)))
    assert alarm.case_id == "Q-2026-0042"
    alarm = step(alarm, acknowledge(alarm, "li", "", at(2)))
    alarm = step(alarm, apply_condition(alarm, condition(active=False), at(3)))
    change = apply_condition(alarm, condition(), at(4))
    assert change is not None and change.kind is ChangeKind.RAISED and not change.open_case


def test_panel_order() -> None:
    high_old = raise_alarm(at(0), station="A")
    low_new = raise_alarm(at(5), station="B", priority=Priority.LOW, open_case=False)
    high_new = raise_alarm(at(6), station="C")
    acked = step(high_new, acknowledge(high_new, "li", "", at(7)))
    order = panel_order([low_new, acked, high_old])
    assert [a.station_id for a in order] == ["A", "B", "C"]


def test_unchanged_repeat_refreshes_last_seen_at_most_once_a_minute() -> None:
    alarm = raise_alarm(T0)
    assert apply_condition(alarm, condition(), T0 + timedelta(seconds=30)) is None
    change = apply_condition(alarm, condition(), T0 + timedelta(seconds=60))
    assert change is not None and change.kind is ChangeKind.UPDATED
    assert change.after.last_seen == T0 + timedelta(seconds=60)
    # A new value is written at once.
    moved = apply_condition(alarm, condition(value=240.0), T0 + timedelta(seconds=5))
    assert moved is not None and moved.after.value == 240.0


def test_alarm_record_round_trips_through_json() -> None:
    import json

    alarm = raise_alarm()
    alarm = step(alarm, shelve(alarm, "li", "6h", "检修", at(1)))
    alarm = step(alarm, apply_condition(alarm, condition(active=False), at(2)))
    alarm = step(alarm, link_case(alarm, "Q-1", at(3)))
    record = json.loads(json.dumps(alarm_to_dict(alarm), ensure_ascii=False))
    assert record["state"] == "cleared_unacknowledged" and record["priority"] == "high"
    assert record["evidence"][0]["parameter"] == "PM2.5"
    assert alarm_from_dict(record) == alarm
    for broken, words in [
        ({**record, "state": "gone"}, "state"),
        ({**record, "raised_at": "yesterday"}, "raised_at"),
        ({**record, "raised_at": "2026-11-28T10:00:00"}, "raised_at"),
        ({**record, "version": 0}, "version"),
        ({**record, "colour": "red"}, "unknown fields"),
        ({k: v for k, v in record.items() if k != "key"}, "lacks"),
        ({**record, "evidence": [{"parameter": "x"}]}, "evidence"),
    ]:
        with pytest.raises(ValueError, match=words):
            alarm_from_dict(broken)


def test_status_bar_counts() -> None:
    from dispatch_app.domain.alarms import alarm_counts

    pending = raise_alarm(at(0), station="A")
    low = raise_alarm(at(0), station="B", priority=Priority.LOW)
    acked = step(low, acknowledge(low, "li", "", at(1)))
    latched = raise_alarm(at(0), station="C")
    latched = step(latched, apply_condition(latched, condition(active=False, station="C"), at(1)))
    shelved = raise_alarm(at(0), station="D")
    shelved = step(shelved, shelve(shelved, "li", "1h", "检修", at(1)))
    counts = alarm_counts([pending, acked, latched, shelved], at(2))
    assert (counts.unacknowledged, counts.active, counts.shelved) == (2, 2, 1)
    assert counts.by_priority == {Priority.HIGH: 2, Priority.MEDIUM: 0, Priority.LOW: 1}
    assert alarm_counts([shelved], at(62)).shelved == 0  # the shelf expired


def test_reminders_for_unacknowledged_alarms() -> None:
    from dispatch_app.domain.alarms import reminders_due

    alarm = raise_alarm(at(0))
    assert reminders_due([alarm], at(0), at(14)) == []
    assert reminders_due([alarm], at(14), at(15)) == [alarm]  # first reminder at 15 min
    assert reminders_due([alarm], at(15), at(29)) == []  # said once
    assert reminders_due([alarm], at(29), at(31)) == [alarm]
    acked = step(alarm, acknowledge(alarm, "li", "", at(32)))
    assert reminders_due([acked], at(32), at(60)) == []
    shelved = step(alarm, shelve(alarm, "li", "1h", "检修", at(32)))
    assert reminders_due([shelved], at(32), at(60)) == []
    with pytest.raises(ValueError, match="positive"):
        reminders_due([alarm], at(0), at(1), every=timedelta(0))
