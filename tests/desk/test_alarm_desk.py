"""AlarmDesk on a real database (SQLite file and PostgreSQL): persistence, two workstations on
one database, operator actions, alarm → case, and the administrator's rule edits."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.audit.verify import verify_chain
from dispatch_app.desk import Desk
from dispatch_app.desk.alarms import (
    CASE_DETAILS_KEY,
    SYSTEM_ACTOR,
    AlarmDesk,
    AlarmUpdate,
    RulesConflict,
)
from dispatch_app.domain.alarm_rules import AlarmRuleError
from dispatch_app.domain.alarms import AlarmActionRefused, AlarmState
from dispatch_app.domain.errors import PermissionDenied, ValidationError
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.store.errors import ConflictError, NotFound
from tests.desk.conftest import PASSWORD, Clock, second_desk

NATIONAL = "WQ-N-01"  # 连江桥, water_national, zhonglou, target class Ⅲ
HIGH_RULE = "water-national-below-target"  # high, open_case
KEY = f"{HIGH_RULE}@{NATIONAL}"
BOUNDARY = "WQ-B-01"  # 奔牛, water_boundary: medium rule, no automatic case
MEDIUM_KEY = f"water-below-target@{BOUNDARY}"


@pytest.fixture
def registry(resources_dir: Path) -> list[dict[str, Any]]:
    doc = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    return [s for s in doc["stations"] if s["kind"].startswith("water_")]


@pytest.fixture
def rules_path(tmp_path: Path, resources_dir: Path) -> Path:
    """A copy of the shipped rules: edits in these tests never touch the repository."""
    path = tmp_path / "rules" / "alarms.toml"
    path.parent.mkdir()
    shutil.copy(resources_dir / "rules" / "alarms.toml", path)
    return path


def make_alarm_desk(desk: Desk, rules_path: Path, registry: list[dict[str, Any]]) -> AlarmDesk:
    alarm_desk = AlarmDesk.open(desk, rules_path=rules_path, stations=registry)
    alarm_desk.start()
    return alarm_desk


@pytest.fixture
def alarms(desk: Desk, rules_path: Path, registry: list[dict[str, Any]]) -> AlarmDesk:
    desk.login("officer", PASSWORD)
    return make_alarm_desk(desk, rules_path, registry)


@pytest.fixture
def other(
    db_url: str, clock: Clock, rules_path: Path, registry: list[dict[str, Any]], alarms: AlarmDesk
) -> Iterator[AlarmDesk]:
    """A second workstation on the same database, evaluating the same feed."""
    d = second_desk(db_url, clock)
    yield make_alarm_desk(d, rules_path, registry)
    d.close()


def water(station: str, at: datetime, nh3n: float) -> list[tuple[Any, ...]]:
    """A water sample: only NH3-N bad or good, the rest within class Ⅱ."""
    return [
        (station, "pH", at, 7.4, "N"),
        (station, "DO", at, 7.0, "N"),
        (station, "CODMn", at, 3.0, "N"),
        (station, "NH3-N", at, nh3n, "N"),
        (station, "TP", at, 0.08, "N"),
    ]


def pollute(desks: list[AlarmDesk], clock: Clock, station: str, nh3n: float) -> None:
    for d in desks:
        d.feed(water(station, clock.now, nh3n))


def test_a_bad_sample_raises_one_alarm_persisted_with_history(
    alarms: AlarmDesk, clock: Clock, desk: Desk
) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)  # NH3-N 3.0: 劣Ⅴ against target Ⅲ
    result = alarms.evaluate()
    assert [c.after.key for c in result.written] == [MEDIUM_KEY]
    assert result.announcements and result.announcements[0].alarm is not None
    alarm = alarms.get(MEDIUM_KEY)
    assert alarm.state is AlarmState.ACTIVE_UNACKNOWLEDGED and alarm.count == 1
    assert alarm.case_id is None  # medium rule: a case only on request
    assert "NH3-N" in {e.parameter for e in alarm.evidence}
    # A repeat updates, never duplicates, and counts no new activation.
    clock.advance(minutes=2)
    pollute([alarms], clock, BOUNDARY, 3.2)
    alarms.evaluate()
    again = alarms.get(MEDIUM_KEY)
    assert again.count == 1 and again.version == 2 and again.last_seen == clock.now
    # A fresh desk reads the same record back from the database.
    fresh = AlarmDesk.open(desk, rules_path=alarms.rules_path)
    assert fresh.get(MEDIUM_KEY) == again
    assert [h.kind for h in alarms.history(MEDIUM_KEY)] == ["raised"]
    assert verify_chain(desk.store).intact


def test_two_workstations_never_duplicate_and_see_each_others_ack(
    alarms: AlarmDesk, other: AlarmDesk, clock: Clock
) -> None:
    pollute([alarms, other], clock, BOUNDARY, 3.0)
    first = alarms.evaluate()
    second = other.evaluate()
    assert [c.after.key for c in first.written] == [MEDIUM_KEY]
    assert second.written == () and second.refused == (MEDIUM_KEY,)
    # Both workstations hold the one stored alarm, and both announce it.
    assert other.get(MEDIUM_KEY) == alarms.get(MEDIUM_KEY)
    assert second.announcements
    with alarms.desk.store.read() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM alarms").scalar_one()
    assert count == 1
    # Acknowledged on one: the other learns it through the change feed …
    seen: list[AlarmUpdate] = []
    other.subscribe(seen.append)
    other.desk.start_change_feed(poll_interval_s=0.05)
    try:
        acked = alarms.acknowledge(MEDIUM_KEY, "已通知武进分局")
        assert acked.state is AlarmState.ACTIVE_ACKNOWLEDGED
        deadline = datetime.now().timestamp() + 10
        while datetime.now().timestamp() < deadline and not any(
            u.alarms and u.alarms[0].state is AlarmState.ACTIVE_ACKNOWLEDGED for u in seen
        ):
            import time

            time.sleep(0.05)
    finally:
        other.desk.stop_change_feed()
    assert other.get(MEDIUM_KEY).acknowledged_by == "officer"
    assert other.get(MEDIUM_KEY).ack_note == "已通知武进分局"
    # … and a stale action based on the old version is refused, nothing overwritten.
    with pytest.raises(ConflictError):
        other.shelve(MEDIUM_KEY, "1h", "检修", expected_version=1)
    assert other.get(MEDIUM_KEY).shelved_until is None


def test_evaluation_on_a_stale_cache_reloads_instead_of_overwriting_the_ack(
    alarms: AlarmDesk, other: AlarmDesk, clock: Clock
) -> None:
    pollute([alarms, other], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    other.evaluate()
    alarms.acknowledge(MEDIUM_KEY, "收到")
    # ``other`` has not heard of the ack; its next refresh is computed from version 1.
    clock.advance(minutes=2)
    pollute([other], clock, BOUNDARY, 3.5)
    result = other.evaluate()
    assert result.refused == (MEDIUM_KEY,)
    assert other.get(MEDIUM_KEY).state is AlarmState.ACTIVE_ACKNOWLEDGED
    assert other.get(MEDIUM_KEY).ack_note == "收到"


def test_high_alarm_opens_one_case_linked_both_ways_even_with_two_workstations(
    alarms: AlarmDesk, other: AlarmDesk, clock: Clock, desk: Desk
) -> None:
    pollute([alarms, other], clock, NATIONAL, 3.0)
    first = alarms.evaluate()
    second = other.evaluate()
    assert len(first.opened_cases) == 1 and second.opened_cases == ()
    case_id = first.opened_cases[0]
    alarm = alarms.get(KEY)
    assert alarm.case_id == str(case_id) and other.get(KEY).case_id == str(case_id)
    case = desk.get_case(case_id)
    assert case.kind == "quality" and case.district == "zhonglou" and case.priority == "P2"
    assert case.source == "monitoring" and case.created_by == SYSTEM_ACTOR
    assert "连江桥" in case.title and case.lon is not None and case.lat is not None
    link = case.details[CASE_DETAILS_KEY]
    assert link["key"] == KEY and link["station_name"] == "连江桥"
    assert any(e["parameter"] == "NH3-N" and e["value"] == 3.0 for e in link["evidence"])
    with desk.store.read() as conn:
        cases = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar_one()
    assert cases == 1
    # The case timeline records the clearing.
    clock.advance(minutes=5)
    pollute([alarms], clock, NATIONAL, 0.3)
    cleared = alarms.evaluate()
    assert [c.kind.value for c in cleared.written] == ["cleared"]
    timeline = desk.case_detail(case_id).timeline
    assert timeline[-1].actor == SYSTEM_ACTOR and timeline[-1].data is not None
    assert timeline[-1].data["event"] == "cleared" and "报警已消除" in (timeline[-1].text or "")
    assert alarms.get(KEY).state is AlarmState.CLEARED_UNACKNOWLEDGED  # latched
    assert [a.key for a in alarms.alarms_of_case(case_id)] == [KEY]


def test_any_alarm_opens_a_case_on_request_once(
    alarms: AlarmDesk, clock: Clock, desk: Desk
) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    case = alarms.open_case(MEDIUM_KEY)
    assert case.created_by == "officer" and case.details[CASE_DETAILS_KEY]["key"] == MEDIUM_KEY
    assert alarms.get(MEDIUM_KEY).case_id == str(case.id)
    assert alarms.open_case(MEDIUM_KEY).id == case.id  # the linked case, not a second one
    # The evidence reads in the center's time, as an officer reads a clock; no UTC ISO text.
    evidence = alarms.get(MEDIUM_KEY).evidence[-1].time.astimezone(CENTER_TZ)
    assert f"@ {evidence:%Y-%m-%d %H:%M}（北京时间）" in case.description
    assert "+00:00" not in case.description
    kinds = [h.kind for h in alarms.history(MEDIUM_KEY)]
    assert kinds == ["raised", "linked"]


def test_shelving_needs_a_reason_and_expires_by_tick(alarms: AlarmDesk, clock: Clock) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    with pytest.raises(AlarmActionRefused) as refused:
        alarms.shelve(MEDIUM_KEY, "1h", "  ")
    assert "原因" in refused.value.message("zh")
    with pytest.raises(AlarmActionRefused):
        alarms.shelve(MEDIUM_KEY, "2h", "检修")
    shelved = alarms.shelve(MEDIUM_KEY, "1h", "仪器检修")
    assert shelved.shelved_until == clock.now + timedelta(hours=1)
    assert alarms.counts().shelved == 1 and alarms.counts().unacknowledged == 0
    clock.advance(minutes=59)
    assert alarms.tick().written == ()
    clock.advance(minutes=2)
    result = alarms.tick()
    assert [c.kind.value for c in result.written] == ["unshelved"]
    assert alarms.get(MEDIUM_KEY).shelved_until is None
    assert alarms.counts().unacknowledged == 1
    history = alarms.history(MEDIUM_KEY)
    assert [(h.kind, h.actor) for h in history] == [
        ("raised", None),
        ("shelved", "officer"),
        ("unshelved", None),
    ]


def test_a_viewer_cannot_acknowledge(alarms: AlarmDesk, clock: Clock, desk: Desk) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    desk.login("viewer", PASSWORD)
    with pytest.raises(PermissionDenied):
        alarms.acknowledge(MEDIUM_KEY, "")
    assert alarms.get(MEDIUM_KEY).state is AlarmState.ACTIVE_UNACKNOWLEDGED


def test_acknowledging_twice_is_refused_with_a_clear_message(
    alarms: AlarmDesk, clock: Clock
) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    alarms.acknowledge(MEDIUM_KEY, "")
    with pytest.raises(AlarmActionRefused) as refused:
        alarms.acknowledge(MEDIUM_KEY, "")
    assert "nothing to acknowledge" in refused.value.message("en")


def test_rule_edit_saved_with_revision_audited_and_applied(
    alarms: AlarmDesk, other: AlarmDesk, desk: Desk, rules_path: Path
) -> None:
    desk.login("admin", PASSWORD)
    text = alarms.rules_text.replace(
        'priority = "medium"\ncount = 1\ndeadband = 0.0\nopen_case = false\nenabled = true\nparams = { max_age_minutes = 480 }',
        'priority = "medium"\ncount = 2\ndeadband = 0.0\nopen_case = false\nenabled = true\nparams = { max_age_minutes = 480 }',
        1,
    )
    assert text != alarms.rules_text
    start = alarms.rule_set.revision
    saved = alarms.save_rules("# edited on duty\n" + text, start, note="两次确认")
    assert saved.revision == start + 1
    assert alarms.rule("water-below-target").count == 2  # type: ignore[union-attr]
    on_disk = rules_path.read_text(encoding="utf-8")
    assert on_disk.startswith("# edited on duty") and f"revision = {start + 1}" in on_disk
    # Another workstation saving from the old revision is refused; its text is kept for it.
    other.desk.login("admin", PASSWORD)
    with pytest.raises(RulesConflict) as conflict:
        other.save_rules(text, start)
    assert conflict.value.yours["text"] == text
    assert conflict.value.their_version == start + 1
    # A new desk opens with the saved revision.
    fresh = AlarmDesk.open(other.desk, rules_path=rules_path)
    assert fresh.rule_set.revision == start + 1
    with desk.store.read() as conn:
        actions = [r[0] for r in conn.exec_driver_sql("SELECT action FROM audit_log")]
    assert "alarm_rules.save" in actions


# Validation happens before the database is touched: one database is enough here.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("edit", "rule_id", "field"),
    [
        (('priority = "high"', 'priority = "urgent"'), "aqi-severe", "priority"),
        (("count = 2", "count = 0"), "aqi-severe", "count"),
        (('type = "aqi_level"', 'type = "aqi_levels"'), "aqi-severe", "type"),
        (("[[rule]]", "[[rule]"), None, None),
    ],
)
def test_a_bad_rule_is_refused_naming_rule_and_field_and_nothing_is_lost(
    alarms: AlarmDesk,
    desk: Desk,
    rules_path: Path,
    edit: tuple[str, str],
    rule_id: str | None,
    field: str | None,
) -> None:
    desk.login("admin", PASSWORD)
    before_text = rules_path.read_text(encoding="utf-8")
    before = alarms.rule_set
    bad = alarms.rules_text.replace(edit[0], edit[1], 1)
    with pytest.raises(AlarmRuleError) as error:
        alarms.save_rules(bad, before.revision)
    assert error.value.rule_id == rule_id
    if field is not None:
        assert error.value.field == field
        assert rule_id is not None and rule_id in error.value.message("en")
    assert rules_path.read_text(encoding="utf-8") == before_text
    assert alarms.rule_set == before
    with desk.store.read() as conn:
        saved = conn.exec_driver_sql("SELECT count(*) FROM alarm_rule_revisions").scalar_one()
    assert saved == 0


def test_only_an_administrator_edits_rules(alarms: AlarmDesk) -> None:
    with pytest.raises(PermissionDenied):
        alarms.save_rules(alarms.rules_text, alarms.rule_set.revision)


def test_unknown_stations_in_the_feed_are_skipped_not_fatal(
    alarms: AlarmDesk, clock: Clock
) -> None:
    alarms.feed([("NOPE-1", "NH3-N", clock.now, 3.0, "N"), *water(BOUNDARY, clock.now, 3.0)])
    result = alarms.evaluate()
    assert result.rejected_observations == 1
    assert [c.after.key for c in result.written] == [MEDIUM_KEY]


def test_restart_keeps_active_alarms_so_their_clearing_is_seen(
    alarms: AlarmDesk, clock: Clock, desk: Desk, registry: list[dict[str, Any]]
) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    alarms.close()
    restarted = AlarmDesk.open(desk, rules_path=alarms.rules_path, stations=registry)
    clock.advance(minutes=3)
    pollute([restarted], clock, BOUNDARY, 0.3)
    result = restarted.evaluate()
    assert [c.kind.value for c in result.written] == ["cleared"]
    assert restarted.get(MEDIUM_KEY).state is AlarmState.CLEARED_UNACKNOWLEDGED


def test_schema_matches_models(alarms: AlarmDesk) -> None:
    """The revision creates exactly the tables the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from dispatch_app.store import alarm_models

    mine = {t.name for t in alarm_models.metadata.sorted_tables if t.name.startswith("alarm")}
    assert mine == {"alarms", "alarm_history", "alarm_rule_revisions"}
    with alarms.desk.store.read() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), alarm_models.metadata)
    ours = [d for d in diffs if any(f"'{name}'" in repr(d) for name in mine)]
    assert ours == []


def test_removing_a_rule_clears_its_alarms_instead_of_leaving_them_active(
    alarms: AlarmDesk, clock: Clock, desk: Desk
) -> None:
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    desk.login("admin", PASSWORD)
    text = alarms.rules_text.replace(
        'id = "water-below-target"', 'id = "water-below-target"\n# disabled on duty', 1
    )
    start = text.index('id = "water-below-target"')
    end = text.index("[[rule]]", start)
    text = text[:start] + text[start:end].replace("enabled = true", "enabled = false") + text[end:]
    alarms.save_rules(text, alarms.rule_set.revision)
    assert not alarms.rule("water-below-target").enabled  # type: ignore[union-attr]
    clock.advance(minutes=1)
    result = alarms.evaluate()
    assert [(c.after.key, c.kind.value) for c in result.written] == [(MEDIUM_KEY, "cleared")]
    assert alarms.get(MEDIUM_KEY).state is AlarmState.CLEARED_UNACKNOWLEDGED  # latched


def test_a_database_outage_loses_no_clearing(
    alarms: AlarmDesk, clock: Clock, db_url: str, rules_path: Path, registry: list[dict[str, Any]]
) -> None:
    """The round that finds the database locked writes nothing and raises StoreUnavailable;
    the next round writes what it had, the clearing the engine reports only once included."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the lock is taken with SQLite's own exclusive transaction")
    import sqlite3

    from dispatch_app.store.errors import StoreUnavailable

    impatient = Desk.open(db_url, clock=clock, busy_timeout_s=0.2, upgrade=False)
    try:
        impatient.login("officer", PASSWORD)
        ad = AlarmDesk.open(impatient, rules_path=rules_path, stations=registry)
        pollute([ad], clock, BOUNDARY, 3.0)
        ad.evaluate()
        clock.advance(minutes=3)
        pollute([ad], clock, BOUNDARY, 0.3)  # the section recovers …
        blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreUnavailable):
                ad.evaluate()  # … while another program holds the database
        finally:
            blocker.rollback()
            blocker.close()
        assert ad.get(MEDIUM_KEY).state is AlarmState.ACTIVE_UNACKNOWLEDGED
        clock.advance(seconds=5)
        result = ad.evaluate()  # no new data: the clearing comes from the kept verdict
        assert [(c.after.key, c.kind.value) for c in result.written] == [(MEDIUM_KEY, "cleared")]
        fresh = AlarmDesk.open(impatient, rules_path=rules_path)
        assert fresh.get(MEDIUM_KEY).state is AlarmState.CLEARED_UNACKNOWLEDGED
    finally:
        impatient.close()


def test_reading_the_alarms_never_waits_behind_a_round_stuck_on_the_database(
    alarms: AlarmDesk, clock: Clock, db_url: str, rules_path: Path, registry: list[dict[str, Any]]
) -> None:
    """The panel and the status bar read from the UI thread while a round may be waiting on
    a locked database: the reads must answer from memory at once."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the lock is taken with SQLite's own exclusive transaction")
    import sqlite3
    import threading

    from dispatch_app.store.errors import StoreUnavailable

    patient = Desk.open(db_url, clock=clock, busy_timeout_s=3.0, upgrade=False)
    try:
        ad = AlarmDesk.open(patient, rules_path=rules_path, stations=registry)
        pollute([ad], clock, BOUNDARY, 3.0)
        ad.evaluate()
        pollute([ad], clock, BOUNDARY, 0.2)
        blocker = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        blocker.execute("BEGIN EXCLUSIVE")
        outcome: list[BaseException | None] = []

        def round_() -> None:
            try:
                ad.evaluate()
                outcome.append(None)
            except StoreUnavailable as exc:
                outcome.append(exc)

        stuck = threading.Thread(target=round_)
        try:
            stuck.start()
            stuck.join(0.3)  # the round is in, waiting on the database
            assert stuck.is_alive()
            assert [a.key for a in ad.alarms()] == [MEDIUM_KEY]
            assert ad.counts().unacknowledged == 1 and ad.get(MEDIUM_KEY).count == 1
            assert not ad.in_flood()
            assert stuck.is_alive()  # answered while the round still waits
        finally:
            blocker.rollback()
            blocker.close()
            stuck.join(10)
        assert outcome and outcome[0] is None  # the lock went before the busy timeout
        assert ad.get(MEDIUM_KEY).state is AlarmState.CLEARED_UNACKNOWLEDGED
    finally:
        patient.close()


def test_a_station_without_district_raises_its_alarm_without_a_case(
    desk: Desk, clock: Clock, rules_path: Path, registry: list[dict[str, Any]]
) -> None:
    """A registry entry the case cannot be placed with must not stop the alarm (nor the
    round): the alarm stands, and opening its case on request says why it cannot."""
    desk.login("officer", PASSWORD)
    odd = [dict(s, district=None) if s["id"] == NATIONAL else s for s in registry]
    alarms = AlarmDesk.open(desk, rules_path=rules_path, stations=odd)
    pollute([alarms], clock, NATIONAL, 3.0)
    pollute([alarms], clock, BOUNDARY, 3.0)
    result = alarms.evaluate()
    assert {c.after.key for c in result.written} == {KEY, MEDIUM_KEY}
    assert result.opened_cases == () and alarms.get(KEY).case_id is None
    with pytest.raises(ValidationError) as refused:
        alarms.open_case(KEY)
    assert "district" in refused.value.message("en")
    assert alarms.get(KEY).case_id is None


def test_a_re_raise_after_the_case_was_finished_opens_a_new_case(
    alarms: AlarmDesk, clock: Clock, desk: Desk
) -> None:
    pollute([alarms], clock, NATIONAL, 3.0)
    first = alarms.evaluate().opened_cases[0]
    desk.cancel(first, "误报：仪器校准")
    clock.advance(minutes=5)
    pollute([alarms], clock, NATIONAL, 0.3)
    alarms.evaluate()  # cleared
    alarms.acknowledge(KEY, "")
    clock.advance(minutes=30)
    pollute([alarms], clock, NATIONAL, 3.5)
    again = alarms.evaluate()
    assert len(again.opened_cases) == 1 and again.opened_cases[0] != first
    alarm = alarms.get(KEY)
    assert alarm.count == 2 and alarm.case_id == str(again.opened_cases[0])


def test_two_workstations_evaluating_at_the_same_instant_open_one_case(
    alarms: AlarmDesk, other: AlarmDesk, clock: Clock, desk: Desk
) -> None:
    """Not one after the other: both rounds run at once (threads released together), so the
    database's unique key and versioned writes, not the order of the test, decide."""
    import threading

    pollute([alarms, other], clock, NATIONAL, 3.0)
    pollute([alarms, other], clock, BOUNDARY, 3.0)
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def run(name: str, ad: AlarmDesk) -> None:
        ad.absorb()
        barrier.wait()
        results[name] = ad.evaluate()

    threads = [
        threading.Thread(target=run, args=("a", alarms)),
        threading.Thread(target=run, args=("b", other)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert set(results) == {"a", "b"}
    opened = [c for r in results.values() for c in r.opened_cases]
    written = sorted(
        c.after.key for r in results.values() for c in r.written if c.kind.value == "raised"
    )
    assert len(opened) == 1
    assert written == sorted([KEY, MEDIUM_KEY])  # each raised once, by one of the two
    with desk.store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM cases").scalar_one() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM alarms").scalar_one() == 2
    assert alarms.get(KEY).case_id == other.get(KEY).case_id == str(opened[0])


def test_a_broken_registry_entry_is_skipped_and_named_the_rest_keep_their_alarms(
    alarms: AlarmDesk, clock: Clock, registry: list[dict[str, Any]]
) -> None:
    broken = [
        *registry,
        {"id": "WQ-X-99", "kind": "water_sea", "district": "wujin"},  # unknown kind
        {"name": "无编号"},  # no id
        dict(registry[0]),  # listed twice
    ]
    alarms.set_stations(broken)
    assert len(alarms.rejected_stations) == 3
    assert any("WQ-X-99" in r for r in alarms.rejected_stations)
    assert alarms.station("WQ-X-99") is None and alarms.station(BOUNDARY) is not None
    pollute([alarms], clock, BOUNDARY, 3.0)
    assert [c.after.key for c in alarms.evaluate().written] == [MEDIUM_KEY]


def test_rules_saved_on_another_workstation_come_into_force_here(
    alarms: AlarmDesk, other: AlarmDesk
) -> None:
    import time

    updates: list[AlarmUpdate] = []
    alarms.subscribe(updates.append)
    alarms.desk.start_change_feed(poll_interval_s=0.05)
    try:
        other.desk.login("admin", PASSWORD)
        text = other.rules_text.replace("count = 2", "count = 4", 1)
        other.save_rules(text, other.rule_set.revision)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and alarms.rule_set.revision != 2:
            time.sleep(0.05)
    finally:
        alarms.desk.stop_change_feed()
    assert alarms.rule_set.revision == 2
    assert alarms.rule("aqi-severe").count == 4  # type: ignore[union-attr]
    assert alarms.rules_text == other.rules_text
    assert any(u.rules_changed and not u.local for u in updates)


def test_a_refreshed_registry_keeps_what_was_heard_from_unchanged_stations(
    alarms: AlarmDesk, clock: Clock, registry: list[dict[str, Any]], resources_dir: Path
) -> None:
    """The feed reloads (a resync) with a registry that gained a station: the stations that
    did not change keep their data in the engine, so one that has been quiet 35 minutes is
    silent now (a rebuilt engine counted from the reload), and its water class still stands
    on the sample before the reload."""
    doc = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    air = [s for s in doc["stations"] if s["id"] in ("AQ-N-01", "AQ-N-02")]
    alarms.set_stations([*registry, air[0]])
    alarms.feed([("AQ-N-01", "PM2.5", clock.now, 30.0, "N")])
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    assert alarms.get(MEDIUM_KEY).state.active
    clock.advance(minutes=20)
    alarms.set_stations([*registry, *air])  # AQ-N-02 added
    clock.advance(minutes=15)
    alarms.evaluate()
    keys = {a.key for a in alarms.alarms() if a.state.active}
    assert "air-core-silent@AQ-N-01" in keys  # 35 min since its last data
    assert "air-core-silent@AQ-N-02" not in keys  # new: watched for 15 min only
    assert MEDIUM_KEY in keys
    assert alarms.get("air-core-silent@AQ-N-01").value == pytest.approx(35.0)


def test_a_drill_is_judged_apart_and_its_alarms_and_cases_say_exercise(
    alarms: AlarmDesk, other: AlarmDesk, clock: Clock, registry: list[dict[str, Any]]
) -> None:
    tag = "drill-9"
    alarms.start_exercise(tag, [s for s in registry if s["id"] in (BOUNDARY, NATIONAL)])
    assert alarms.exercise == tag
    # The real network is clean at 奔牛; the drill (played at speed, data ahead) fouls it.
    ahead = clock.now + timedelta(hours=3)
    pollute([alarms], clock, BOUNDARY, 0.3)
    alarms.feed_exercise(water(BOUNDARY, ahead, 3.0) + water(NATIONAL, ahead, 3.0))
    assert alarms.evaluate().written == ()
    result = alarms.evaluate_exercise()
    drill_key, drill_high = f"{tag}/{MEDIUM_KEY}", f"{tag}/{KEY}"
    assert {c.after.key for c in result.written if c.kind.value == "raised"} == {
        drill_key,
        drill_high,
    }
    alarm = alarms.get(drill_key)
    assert alarm.exercise == tag and alarm.message_zh.startswith("【演练】")
    assert alarm.message_en.startswith("[EXERCISE]")
    assert alarm.raised_at == clock.now  # written on the desk's clock, judged on the drill's
    # The high rule's automatic case is an exercise case too.
    (case_id,) = result.opened_cases
    case = alarms.desk.get_case(case_id)
    assert case.title.startswith("【演练】") and case.details["exercise"] == {"drill": tag}
    # A real alarm of the same rule at the same station is another alarm.
    clock.advance(minutes=1)
    pollute([alarms], clock, BOUNDARY, 3.0)
    alarms.evaluate()
    assert alarms.get(MEDIUM_KEY).exercise == "" and alarms.get(drill_key).count == 1
    # Another workstation reads them back as they are.
    assert AlarmDesk.open(other.desk, rules_path=alarms.rules_path).get(drill_key) == alarm
    assert {a.key for a in alarms.exercise_alarms(tag)} == {drill_key, drill_high}
    # The drill's end clears its alarms (latched) and leaves the real one alone.
    alarms.end_exercise()
    assert alarms.exercise is None
    assert alarms.get(drill_key).state is AlarmState.CLEARED_UNACKNOWLEDGED
    assert alarms.get(MEDIUM_KEY).state is AlarmState.ACTIVE_UNACKNOWLEDGED
    # Feeding a drill that is over does nothing; a tag with '/' is refused.
    alarms.feed_exercise(water(BOUNDARY, ahead, 3.0))
    assert alarms.evaluate_exercise().written == ()
    with pytest.raises(ValueError, match="tag"):
        alarms.start_exercise("a/b", [])


def test_a_drill_sees_a_station_silent_on_the_drill_data_clock(
    alarms: AlarmDesk, clock: Clock, registry: list[dict[str, Any]]
) -> None:
    """The drill plays hours ahead: 奔牛 stops, 连江桥 goes on; after 8 h of drill data the
    silent rule holds for 奔牛 although the desk's clock has not moved."""
    tag = "drill-3"
    alarms.start_exercise(tag, [s for s in registry if s["id"] in (BOUNDARY, NATIONAL)])
    start = clock.now
    alarms.feed_exercise(water(BOUNDARY, start, 0.3) + water(NATIONAL, start, 0.3))
    alarms.evaluate_exercise()
    for hours in range(1, 10):
        alarms.feed_exercise(water(NATIONAL, start + timedelta(hours=hours), 0.3))
        alarms.evaluate_exercise()
    silent = alarms.get(f"{tag}/water-silent@{BOUNDARY}")
    assert silent.state is AlarmState.ACTIVE_UNACKNOWLEDGED and silent.exercise == tag
    with pytest.raises(NotFound):
        alarms.get(f"{tag}/water-silent@{NATIONAL}")
    assert clock.now == start
