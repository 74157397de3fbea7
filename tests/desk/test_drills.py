"""Drills: exercise emergencies from observations, the report, removal as a whole (both
databases); and a drill end to end through the real data service and simulator."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_app.desk import Desk, QueueQuery
from dispatch_app.desk.drills import DrillDesk, DrillRunner
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
from dispatch_app.store.audit_records import recent_audit
from tests.desk.conftest import FAST_SCRYPT_N, PASSWORD, Clock

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
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
    assert cap.Status.EXERCISE.value == em.export_cap(view.case.id).status
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
