"""Drills: exercise emergencies from observations, the report, removal as a whole (both
databases); and a drill end to end through the real data service and simulator."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_app.desk import Desk, QueueQuery
from dispatch_app.desk.alarms import AlarmDesk
from dispatch_app.desk.drills import DrillDesk, DrillRunner, scenario_scope
from dispatch_app.desk.emergencies import (
    EmergencyDesk,
    EmergencyDraft,
    EmergencyResources,
    load_emergency_resources,
)
from dispatch_app.domain import cap
from dispatch_app.domain.emergencies import EmergencyType
from dispatch_app.domain.emergency_plans import StepState, StepStatus
from dispatch_app.domain.errors import PermissionDenied, ValidationError
from dispatch_app.resources import resources_dir
from dispatch_app.store.audit_records import recent_audit
from dispatch_app.store.errors import NotFound
from tests.desk.conftest import FAST_SCRYPT_N, PASSWORD, Clock

RESOURCES = resources_dir()
T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def resources() -> EmergencyResources:
    return load_emergency_resources(RESOURCES)


@pytest.fixture
def drills(desk: Desk, resources: EmergencyResources) -> DrillDesk:
    desk.logout()
    desk.login("officer", PASSWORD)
    return DrillDesk(EmergencyDesk(desk, resources))


def test_drill_opens_exercise_emergency_reports_and_is_removed(
    drills: DrillDesk, clock: Clock
) -> None:
    em = drills.em
    real = em.create(EmergencyDraft(title="真实事件", district="wujin", type=EmergencyType.OTHER))
    drill = drills.start("spill_grand_canal", 600)
    assert drill.title == "京杭大运河奔牛段危化品泄漏"
    # Benniu (target Ⅲ) still clean, then NH3-N 3.2 mg/L (worse than Ⅴ).
    assert drills.observe(drill.id, [("WQ-B-01", "NH3-N", T0, 0.8)]) == []
    # A downstream section's everyday exceedance before the spill has reached it is not the
    # drill's: it opens nothing (the spill's own section opens the emergency).
    assert drills.scope(drill.scenario).sources == ("WQ-B-01",)
    assert drills.observe(drill.id, [("WQ-N-03", "CODMn", T0, 6.14)]) == []
    opened = drills.observe(
        drill.id, [("WQ-B-01", "NH3-N", T0, 3.2), ("WQ-B-01", "NH3-N", T0, 3.5)]
    )
    assert len(opened) == 1
    view = em.get(opened[0])
    assert view.exercise and view.case.title.startswith("【演练】")
    assert [a.plan_id for a in view.activations] == ["water_pollution"]
    # Downstream arrival later: logged on the same emergency, not a second case.
    clock.advance(minutes=40)
    assert drills.observe(drill.id, [("WQ-P-01", "NH3-N", T0, 2.4)]) == []
    readings = [e.text for e in em.log_entries(view.case.id) if e.kind.value == "reading"]
    assert len(readings) == 2 and "九里" in readings[1]
    # The officer works the checklist: verify done in 40 min (target 30: late), notify skipped.
    steps = view.activations[0].steps
    em.finish_step(steps[0].id, steps[0].version, StepState.DONE)
    clock.advance(minutes=5)
    em.finish_step(steps[1].id, steps[1].version, StepState.SKIPPED, "演练不报市政府")
    draft = em.draft_cap(view.case.id, "Alert")
    sent = em.send_cap(view.case.id, "Alert", recipients=draft.preselected, based_on=None)
    assert sent.status == cap.Status.EXERCISE.value
    clock.advance(minutes=1)
    drills.end(drill.id)
    report = drills.report(drill.id)
    first = report.steps[0]
    assert first.took_min == pytest.approx(40) and first.late and first.status is StepStatus.DONE
    assert report.steps[1].status is StepStatus.SKIPPED
    whats = [w for _, w in report.timeline]
    assert whats[0].startswith("演练开始") and whats[-1] == "演练结束"
    assert any("开启演练事件" in w for w in whats)
    text = report.text()
    assert "时限30分钟，用时40分钟，已完成（超时）" in text
    assert "时限60分钟，用时45分钟，已跳过" in text
    # Removal: shift leader only; the drill's case goes, the real one stays, audit records it.
    with pytest.raises(PermissionDenied):
        drills.remove(drill.id)
    em.desk.logout()
    em.desk.login("leader", PASSWORD)
    removed = drills.remove(drill.id)
    assert removed.removed_at is not None
    ids = {r.id for r in em.desk.queue_page(QueueQuery(statuses=()), 0, 100)}
    assert real.case.id in ids and view.case.id not in ids
    with em.desk.store.read() as conn:
        audit = recent_audit(conn, 20)
    assert any(a["action"] == "drill.remove" for a in audit)
    with pytest.raises(ValidationError):
        drills.remove(drill.id)


@pytest.fixture
def alarm_drills(desk: Desk, resources: EmergencyResources) -> DrillDesk:
    """Drills with the alarm rules: the exercise engine on the shipped rules and registry."""
    desk.logout()
    desk.login("officer", PASSWORD)
    registry = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    alarms = AlarmDesk.open(desk, RESOURCES, stations=registry["stations"])
    return DrillDesk(EmergencyDesk(desk, resources), alarms=alarms)


def _exercise(drills: DrillDesk, drill_id: int) -> AlarmDesk:
    assert drills.alarms is not None
    registry = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    watched = set(drills.get(drill_id).stations)
    drills.alarms.start_exercise(
        drills.tag(drill_id), [s for s in registry["stations"] if s["id"] in watched]
    )
    return drills.alarms


def test_scopes_of_the_shipped_scenarios() -> None:
    spill = scenario_scope("spill_grand_canal")
    assert spill.kinds == {"spill"} and "WQ-B-01" in spill.water and not spill.air
    assert spill.water_drill == (EmergencyType.WATER_POLLUTION, "water_pollution")
    bloom = scenario_scope("algae_bloom_zhushan")
    assert bloom.water and bloom.water_drill == (EmergencyType.ALGAE_BLOOM, "algae_bloom")
    episode = scenario_scope("heavy_pollution")
    assert len(episode.air) == 12 and all(s.startswith("AQ-") for s in episode.air)
    offline = scenario_scope("station_offline")
    assert offline.offline == ("AQ-N-01", "WQ-N-03") and offline.stations == offline.offline


def test_an_episode_drill_opens_the_air_emergency_from_its_exercise_alarms(
    alarm_drills: DrillDesk, clock: Clock
) -> None:
    drills = alarm_drills
    drill = drills.start("heavy_pollution", 600)
    alarms = _exercise(drills, drill.id)
    tag = drills.tag(drill.id)
    # Two national stations under an hour and more of PM2.5 260 µg/m³ (AQI above 300).
    opened: list[int] = []
    for minute in range(0, 130):
        at = T0 + timedelta(minutes=minute)
        alarms.feed_exercise(
            [(s, "PM2.5", at, 260.0, "N") for s in ("AQ-N-01", "AQ-N-02")]
            + [("AQ-N-03", "PM2.5", at, 20.0, "N")]
        )
        if minute % 10 == 9:
            opened += drills.on_alarms(drill.id, alarms.evaluate_exercise())
    emergencies = [c for c in opened if drills.desk.get_case(c).kind.value == "emergency"]
    assert len(emergencies) == 1, opened  # one emergency for the episode, not one per station
    view = drills.em.get(emergencies[0])
    assert view.exercise and view.detail.type is EmergencyType.AIR_POLLUTION
    assert [a.plan_id for a in view.activations] == ["heavy_pollution_weather"]
    readings = {(e.data or {}).get("station") for e in drills.em.log_entries(view.case.id)}
    assert {"AQ-N-01", "AQ-N-02"} <= readings and "AQ-N-03" not in readings
    raised = alarms.exercise_alarms(tag)
    assert raised and all(a.exercise == tag for a in raised)
    # AQI alarms at the two (the stations that sent nothing are silent: alarms of their own).
    aqi = {a.station_id for a in raised if a.rule_id.startswith("aqi-")}
    assert aqi == {"AQ-N-01", "AQ-N-02"}
    whats = [str(e["what"]) for e in drills.get(drill.id).events]
    assert any(w.startswith("告警：【演练】") for w in whats)
    # The report counts the drill's alarms and the time to acknowledge them.
    clock.advance(minutes=3)
    alarms.acknowledge(raised[0].key)
    assert "演练告警" in drills.report(drill.id).text()
    assert drills.report(drill.id).acknowledged_min == (pytest.approx(3.0),)


def test_an_offline_drill_opens_a_case_from_the_silent_alarm_and_removes_it_all(
    alarm_drills: DrillDesk, clock: Clock
) -> None:
    drills = alarm_drills
    drill = drills.start("station_offline", 600)
    alarms = _exercise(drills, drill.id)
    tag = drills.tag(drill.id)
    # 安家 (AQ-N-01) reports once, then only the rest of the network does: the drill's clock
    # moves on and 安家 is silent for more than 30 min.
    alarms.feed_exercise([("AQ-N-01", "PM2.5", T0, 30.0, "N")])
    assert drills.on_alarms(drill.id, alarms.evaluate_exercise()) == []
    alarms.feed_exercise([("AQ-N-02", "PM2.5", T0 + timedelta(minutes=45), 30.0, "N")])
    opened = drills.on_alarms(drill.id, alarms.evaluate_exercise())
    assert len(opened) == 1
    case = drills.desk.get_case(opened[0])
    assert case.kind.value == "quality" and case.title.startswith("【演练】")
    assert "AQ-N-01" in case.title
    key = f"{tag}/air-core-silent@AQ-N-01"
    assert alarms.get(key).case_id == str(case.id)
    assert drills.get(drill.id).case_ids == (case.id,)
    # A real alarm that exists meanwhile stays through the removal.
    alarms.feed([("WQ-B-01", "NH3-N", T0, 3.0, "N")])
    alarms.evaluate(T0)
    real_key = "water-below-target@WQ-B-01"
    assert alarms.get(real_key).exercise == ""
    drills.end(drill.id)
    drills.desk.logout()
    drills.desk.login("leader", PASSWORD)
    removed = drills.remove(drill.id)
    assert removed.removed_at is not None
    assert alarms.exercise_alarms(tag) == []
    with pytest.raises(NotFound):
        alarms.get(key)
    with pytest.raises(NotFound):
        drills.desk.get_case(case.id)
    assert alarms.get(real_key).exercise == ""
    # A workstation started afterwards holds no trace of the drill's alarms either.
    fresh = AlarmDesk.open(drills.desk, RESOURCES)
    assert [a.key for a in fresh.alarms()] == [real_key]
    with drills.desk.store.read() as conn:
        audit = recent_audit(conn, 5)
    removal = next(a for a in audit if a["action"] == "drill.remove")
    assert key in json.loads(removal["payload"])["alarms"]


def test_unknown_scenario_and_bad_speed(drills: DrillDesk) -> None:
    with pytest.raises(ValidationError) as err:
        drills.start("no_such_scenario", 60)
    assert err.value.field == "scenario"
    with pytest.raises(ValidationError) as err:
        drills.start("spill_grand_canal", 0)
    assert err.value.field == "speed"


def test_drill_end_to_end_through_the_real_data_service(
    sqlite_url: str, tmp_path: Path, resources: EmergencyResources
) -> None:
    """The shipped spill scenario at 1800× speed: the simulator sends HJ 212 over TCP to the
    ingest, the runner reads /updates, 奔牛 exceeds first and opens the exercise emergency."""
    desk = Desk.open(sqlite_url, scrypt_n=FAST_SCRYPT_N)
    try:
        desk.create_first_administrator("admin", "值班管理员", PASSWORD)
        drills = DrillDesk(EmergencyDesk(desk, resources))
        registry = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
        water = [s for s in registry["stations"] if s["kind"].startswith("water_")]
        reg = tmp_path / "water.json"
        reg.write_text(json.dumps({"stations": water}, ensure_ascii=False), encoding="utf-8")
        opened: list[int] = []
        runner = DrillRunner(
            drills,
            "spill_grand_canal",
            1800,  # the spill reaches 奔牛 30 simulated minutes in: one second of real time
            tmp_path,
            extra_args=("--registry", str(reg), "--log-level", "WARNING"),
            on_opened=opened.append,
        )
        drill = runner.run(60, until=lambda: bool(opened))
        assert opened, "the spill never raised an exceedance within 60 s"
        view = drills.em.get(opened[0])
        assert view.exercise and "奔牛" in view.case.title
        assert view.detail.affected_stations[0] == "WQ-B-01"
        report = drills.report(drill.id)
        assert report.steps and all(s.status is not StepStatus.DONE for s in report.steps)
        assert any("超标：奔牛" in w for _, w in report.timeline)
        assert drill.ended_at is not None
    finally:
        desk.close()


WATER_KINDS = ("water_national", "water_provincial", "water_boundary")


def _registry_of(tmp_path: Path, kinds: tuple[str, ...]) -> Path:
    """A registry subset for the drill's child service (keeps the shared machine quiet)."""
    registry = json.loads((RESOURCES / "stations.json").read_text(encoding="utf-8"))
    chosen = [s for s in registry["stations"] if s["kind"] in kinds]
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"stations": chosen}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("scenario", "speed", "kinds", "opens"),
    [
        # 安家 goes silent 10 simulated minutes in; 30 minutes later its silent alarm opens
        # the case: about 4 s of real time at 600×.
        ("station_offline", 600, ("air_national", *WATER_KINDS), "quality"),
        # The episode climbs over two simulated days; at 3600× the first AQI alarm of a
        # national or provincial station comes within a minute of real time.
        ("heavy_pollution", 3600, ("air_national", "air_provincial"), "emergency"),
    ],
)
def test_air_and_offline_drills_end_to_end_through_the_real_data_service(
    sqlite_url: str,
    tmp_path: Path,
    resources: EmergencyResources,
    scenario: str,
    speed: int,
    kinds: tuple[str, ...],
    opens: str,
) -> None:
    """The shipped scenarios through the simulator, HJ 212 over TCP, the ingest and /updates;
    the drill's alarms judged by the exercise engine, the drill's case opened from them."""
    desk = Desk.open(sqlite_url, scrypt_n=FAST_SCRYPT_N)
    try:
        desk.create_first_administrator("admin", "值班管理员", PASSWORD)
        alarms = AlarmDesk.open(desk, RESOURCES)
        drills = DrillDesk(EmergencyDesk(desk, resources), alarms=alarms)
        opened: list[int] = []
        registry = _registry_of(tmp_path, kinds)
        runner = DrillRunner(
            drills,
            scenario,
            speed,
            tmp_path,
            extra_args=("--registry", str(registry), "--log-level", "WARNING"),
            on_opened=opened.append,
        )
        drill = runner.run(150, until=lambda: bool(opened))
        assert opened, f"{scenario}: nothing opened within 150 s"
        case = desk.get_case(opened[0])
        assert case.kind.value == opens and case.title.startswith("【演练】")
        assert drill.case_ids == tuple(sorted(set(opened)))
        tag = drills.tag(drill.id)
        raised = alarms.exercise_alarms(tag)
        assert raised and all(a.key.startswith(f"{tag}/") for a in raised)
        assert all(a.message_zh.startswith("【演练】") for a in raised)
        # The runner's end cleared the drill's alarms; real alarms there are none.
        assert alarms.exercise is None
        assert not any(a.state.active for a in raised)
        assert all(a.exercise for a in alarms.alarms(include_normal=True))
        assert any(w.startswith("告警：") for _, w in drills.report(drill.id).timeline)
    finally:
        desk.close()
