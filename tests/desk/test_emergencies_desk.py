"""Emergency use cases on a real database (SQLite file and PostgreSQL via ``db_url``)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dispatch_app.desk import Desk
from dispatch_app.desk.emergencies import (
    AlertConflict,
    CapRecord,
    CapRejected,
    EmergencyDesk,
    EmergencyDraft,
    EmergencyResources,
    EmergencyResourcesError,
    load_emergency_resources,
)
from dispatch_app.desk.errors import CaseConflict, PermissionDenied
from dispatch_app.domain import cap
from dispatch_app.domain.cases import CaseKind, EmergencyLevel
from dispatch_app.domain.emergencies import (
    EmergencyType,
    Figures,
    IntakeCut,
    LogKind,
    ResponseLead,
    make_circle,
)
from dispatch_app.domain.emergency_plans import StepState, StepStatus
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.heavy_pollution import AlertLevel, Transition
from dispatch_app.resources import resources_dir
from dispatch_app.store.audit_records import recent_audit
from dispatch_app.store.emergency_models import emergency_log_entries
from dispatch_app.store.errors import ConflictError
from tests.desk.conftest import PASSWORD, Clock, second_desk

RESOURCES = resources_dir()


@pytest.fixture(scope="module")
def resources() -> EmergencyResources:
    """Loaded once: compiling the XSD 1.1 schema takes a noticeable fraction of a second."""
    return load_emergency_resources(RESOURCES)


@pytest.fixture
def em(desk: Desk, resources: EmergencyResources) -> EmergencyDesk:
    desk.logout()
    desk.login("officer", PASSWORD)
    return EmergencyDesk(desk, resources)


def login(em: EmergencyDesk, username: str) -> None:
    em.desk.logout()
    em.desk.login(username, PASSWORD)


def spill(**kw: object) -> EmergencyDraft:
    values: dict[str, object] = {
        "title": "京杭大运河奔牛段柴油泄漏",
        "district": "xinbei",
        "type": EmergencyType.WATER_POLLUTION,
        "description": "运输船碰撞，柴油入河",
        "address": "新北区奔牛镇",
        "lon": 119.82,
        "lat": 31.875,
        "figures": Figures(evacuated=200),
    }
    values.update(kw)
    return EmergencyDraft(**values)  # type: ignore[arg-type]


def test_create_proposes_level_and_downstream_stations(em: EmergencyDesk) -> None:
    view = em.create(spill())
    assert view.case.kind is CaseKind.EMERGENCY and view.case.reference.startswith("CZ-2026-")
    assert view.level is None and view.proposal.level is EmergencyLevel.IV
    assert view.lead is ResponseLead.COUNTY
    ids = view.detail.affected_stations
    assert ids[0] == "WQ-B-01"  # the section at the place, then downstream in arrival order
    assert ids.index("WQ-B-01") < ids.index("WQ-P-01") < ids.index("WQ-N-01")
    log = em.log_entries(view.case.id)
    assert log[0].kind is LogKind.SYSTEM and "建议级别Ⅳ级" in log[0].text
    # The queue sees an ordinary emergency case.
    assert em.desk.get_case(view.case.id).details["emergency"]["type"] == "water_pollution"


BAD_DRAFTS = [
    ({"title": " "}, "title"),
    ({"district": "suzhou"}, "district"),
    ({"type": "meteor"}, "type"),
    ({"lon": 130.0}, "lon"),
    ({"figures": {"deaths": -2}}, "deaths"),
    ({"wind_from_deg": 361}, "wind_from_deg"),
    ({"affected_stations": ("NOPE",)}, "affected_stations"),
]


def test_bad_drafts_write_nothing(em: EmergencyDesk) -> None:
    # One desk for all cases: each refusal must leave the database as it was.
    for kw, field in BAD_DRAFTS:
        with pytest.raises(ValidationError) as err:
            em.create(spill(**kw))
        assert err.value.field == field, kw
    assert em.desk.queue_count() == 0


def test_figures_then_leader_decides_level(em: EmergencyDesk) -> None:
    view = em.create(spill())
    view = em.update_figures(
        view.case.id,
        view.case.version,
        Figures(poisoned_or_injured=12, intake_cut=IntakeCut.TOWNSHIP),
    )
    assert view.proposal.level is EmergencyLevel.III and view.level is None
    with pytest.raises(PermissionDenied):
        em.decide_level(view.case.id, view.case.version, "III")
    login(em, "leader")
    view = em.decide_level(view.case.id, view.case.version, "III")
    assert view.level is EmergencyLevel.III and view.lead is ResponseLead.CITY
    assert view.case.details["emergency_level"] == "III"
    with pytest.raises(ValidationError) as err:  # a change needs a reason
        em.decide_level(view.case.id, view.case.version, "II", "")
    assert err.value.field == "reason"
    with pytest.raises(CaseConflict):  # stale version
        em.decide_level(view.case.id, view.case.version - 1, "II", "水源地受威胁")
    view = em.decide_level(view.case.id, view.case.version, "II", "下游水源地取水口距离仅3公里")
    assert view.level is EmergencyLevel.II and view.lead is ResponseLead.PROVINCE
    assert [(d.level, d.previous, d.actor) for d in view.decisions] == [
        (EmergencyLevel.III, None, "leader"),
        (EmergencyLevel.II, EmergencyLevel.III, "leader"),
    ]
    assert view.decisions[1].reason == "下游水源地取水口距离仅3公里"
    texts = [e.text for e in em.log_entries(view.case.id)]
    assert any("定级：Ⅱ级（重大），省级响应（建议Ⅲ级（较大））" in t for t in texts)
    actions = [a["action"] for a in recent_audit_of(em)]
    assert actions.count("emergency.level") == 2 and "emergency.figures" in actions


def recent_audit_of(em: EmergencyDesk) -> list[dict]:
    with em.desk.store.read() as conn:
        return recent_audit(conn, 100)


def test_plan_checklist_timers_and_step_outcomes(em: EmergencyDesk, clock: Clock) -> None:
    view = em.create(spill(district="wujin"))
    act = em.activate_plan(view.case.id, "water_pollution")
    assert [s.step.key for s in act.steps][:2] == ["verify", "notify_city"]
    verify, notify = act.steps[0], act.steps[1]
    assert verify.step.owner_unit == "branch-wujin"
    assert verify.step.due_at == clock.now + timedelta(minutes=30)
    with pytest.raises(ValidationError):  # once per case
        em.activate_plan(view.case.id, "water_pollution")
    with pytest.raises(ValidationError):
        em.activate_plan(view.case.id, "no_such_plan")
    clock.advance(minutes=20)
    done = em.finish_step(verify.id, verify.version, StepState.DONE)
    assert done.status(clock.now + timedelta(days=1)) is StepStatus.DONE
    assert done.step.finished_by == "officer" and not done.step.late()
    with pytest.raises(ConflictError):
        em.finish_step(verify.id, verify.version, StepState.SKIPPED, "x")
    with pytest.raises(IllegalTransition):
        em.finish_step(verify.id, done.version, StepState.SKIPPED, "x")
    clock.advance(minutes=50)  # 70 min in: the 60-minute notify step is overdue
    current = em.get(view.case.id).activations[0].steps[1]
    assert current.status(clock.now) is StepStatus.OVERDUE
    with pytest.raises(ValidationError):
        em.finish_step(notify.id, notify.version, StepState.SKIPPED, "")
    skipped = em.finish_step(notify.id, notify.version, StepState.SKIPPED, "市政府已由区里报告")
    assert skipped.step.skip_reason == "市政府已由区里报告"
    texts = [e.text for e in em.log_entries(view.case.id)]
    assert any(t.startswith("启动预案：突发水污染事件应急预案") for t in texts)
    assert any(t == "步骤跳过：报告市政府及省生态环境厅（超时）；市政府已由区里报告" for t in texts)


def test_log_is_append_only_ordered_and_validated(em: EmergencyDesk, clock: Clock) -> None:
    view = em.create(spill())
    cid = view.case.id
    em.log(cid, "/c 市应急局来电询问进展")
    clock.advance(minutes=5)
    e = em.log(cid, "/r 九里断面 COD 38 mg/L")
    assert e.kind is LogKind.READING and e.text == "九里断面 COD 38 mg/L"
    back = em.log(cid, "现场风向东北", at=clock.now - timedelta(minutes=3))
    assert back.at < back.recorded_at
    with pytest.raises(ValidationError):
        em.log(cid, "  ")
    with pytest.raises(ValidationError):
        em.log(cid, "future", at=clock.now + timedelta(hours=1))
    with pytest.raises(ValidationError):
        em.log(cid, "系统", kind="system")
    entries = em.log_entries(cid)
    assert [x.kind for x in entries[1:]] == [LogKind.CALL, LogKind.NOTE, LogKind.READING]
    # The store offers no update or delete; the table only grows.
    with em.desk.store.read() as conn:
        n = conn.execute(select(func.count()).select_from(emergency_log_entries)).scalar_one()
    assert n == 4
    import dispatch_app.store.emergency_records as rec

    assert not [n for n in dir(rec) if "log" in n and ("update" in n or "delete" in n)]
    login(em, "viewer")
    with pytest.raises(PermissionDenied):
        em.log(cid, "只读用户")


def test_closed_case_refuses_plan_and_figures(em: EmergencyDesk) -> None:
    view = em.create(spill())
    em.desk.cancel(view.case.id, "误报")
    with pytest.raises(IllegalTransition):
        em.activate_plan(view.case.id, "water_pollution")
    with pytest.raises(IllegalTransition):
        em.update_figures(view.case.id, view.case.version + 1, Figures(deaths=1))


def test_heavy_pollution_alert_lifecycle(em: EmergencyDesk, db_url: str, clock: Clock) -> None:
    forecast = [(date(2026, 12, 1) + timedelta(days=i), v) for i, v in enumerate((230, 240, 250))]
    assert em.assess_forecast(forecast).level is AlertLevel.ORANGE
    assert em.current_alert() is None
    with pytest.raises(PermissionDenied):
        em.change_alert("orange", "预报", expected_seq=0)
    login(em, "leader")
    issued = em.change_alert("orange", "未来三天AQI>200", expected_seq=0, forecast=forecast)
    assert issued.transition is Transition.ISSUE and issued.level is AlertLevel.ORANGE
    assert issued.case_id is not None and issued.forecast[0].aqi == 230
    case = em.get(issued.case_id)
    assert case.detail.type is EmergencyType.AIR_POLLUTION
    assert [a.plan_id for a in case.activations] == ["heavy_pollution_weather"]
    # Another workstation changes it first: ours is refused, nothing written.
    other = second_desk(db_url, clock, "leader")
    try:
        EmergencyDesk.open(other).change_alert("red", "AQI 将达 500", expected_seq=1)
    finally:
        other.close()
    with pytest.raises(AlertConflict) as err:
        em.change_alert("yellow", "好转", expected_seq=1)
    assert err.value.current is not None and err.value.current.level is AlertLevel.RED
    with pytest.raises(ValidationError):
        em.change_alert("red", "again", expected_seq=2)
    with pytest.raises(ValidationError):
        em.change_alert(None, "  ", expected_seq=2)
    down = em.change_alert("yellow", "好转", expected_seq=2)
    assert down.transition is Transition.DOWNGRADE and down.case_id == issued.case_id
    lifted = em.change_alert(None, "空气质量恢复", expected_seq=3)
    assert lifted.transition is Transition.LIFT and lifted.level is None
    assert [a.transition for a in em.alert_history()] == [
        Transition.LIFT,
        Transition.DOWNGRADE,
        Transition.UPGRADE,
        Transition.ISSUE,
    ]
    # Each transition went out as CAP: Alert, then Updates and a Cancel referencing the last.
    with em.desk.store.read() as conn:
        from dispatch_app.store.emergency_models import cap_messages

        rows = list(conn.execute(select(cap_messages).order_by(cap_messages.c.id)).mappings())
    assert [r["msg_type"] for r in rows] == ["Alert", "Update", "Update", "Cancel"]
    for i, row in enumerate(rows):  # each references every message of the chain before it
        assert row["refs"] == " ".join(r["reference_key"] for r in rows[:i])
        assert em.validate_cap(row["xml"]) == []
    texts = [e.text for e in em.log_entries(issued.case_id)]
    assert any("重污染天气预警解除" in t for t in texts)


def send(em: EmergencyDesk, case_id: int, msg_type: str) -> CapRecord:
    draft = em.draft_cap(case_id, msg_type)
    return em.send_cap(case_id, msg_type, recipients=draft.preselected, based_on=draft.based_on)


def test_cap_send_update_cancel_and_import_round_trip(em: EmergencyDesk) -> None:
    view = em.create(spill(area=make_circle(119.82, 31.875, 1500), exercise=True))
    first = send(em, view.case.id, "Alert")
    assert first.msg_type == "Alert" and first.status == "Exercise"
    assert em.validate_cap(first.xml) == []
    update = send(em, view.case.id, "Update")
    assert update.msg_type == "Update" and f"<references>{first.reference_key}" in update.xml
    cancel = send(em, view.case.id, "Cancel")
    assert cancel.msg_type == "Cancel"
    with pytest.raises(ValidationError):
        em.draft_cap(view.case.id, "Update")
    # Another agency's alert, then its update, arrive here.
    foreign = cap.emergency_message(
        identifier="WX-1",
        sent=em.desk.clock(),
        msg_type=cap.MsgType.ALERT,
        case_reference="WX-2026-9",
        title="无锡段来水异常",
        description="上游来水氨氮升高",
        address="",
        detail=em.get(view.case.id).detail,
        level=EmergencyLevel.III,
        sender="sthj.wuxi@example.cn",
    )
    result = em.import_cap(cap.to_xml(foreign), "wujin")
    assert result.action == "created" and result.case_id is not None
    imported = em.get(result.case_id)
    assert imported.detail.exercise and imported.level is None  # our leader decides
    assert "来文级别：Ⅲ级" in imported.case.description
    assert em.import_cap(cap.to_xml(foreign), "wujin").action == "duplicate"
    upd = cap.emergency_message(
        identifier="WX-2",
        sent=em.desk.clock(),
        msg_type=cap.MsgType.UPDATE,
        case_reference="WX-2026-9",
        title="无锡段来水异常（续）",
        description="",
        address="",
        detail=imported.detail,
        level=EmergencyLevel.III,
        references=(foreign.reference_key,),
        sender="sthj.wuxi@example.cn",
    )
    r2 = em.import_cap(cap.to_xml(upd), "wujin")
    assert r2.action == "updated" and r2.case_id == result.case_id
    assert len(em.cap_messages(result.case_id)) == 2


BAD_CAP = [
    (lambda x: x.replace("<status>Actual</status>", "<status>Real</status>"), "status"),
    (lambda x: x.replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>"), "references"),
    (lambda x: x.replace("<sender>", "<sender>bad sender ", 1), "sender"),
    (lambda x: x[:200], "well-formed"),
    (lambda x: x.replace("<status>Actual</status>", "<status>Test</status>"), "Test"),
]


def test_bad_cap_is_rejected_and_nothing_stored(em: EmergencyDesk) -> None:
    good = cap.to_xml(
        cap.alert_message(
            identifier="SZ-1",
            sent=em.desk.clock(),
            level=AlertLevel.YELLOW,
            change=Transition.ISSUE,
            reason="苏州发布黄色预警",
            sender="sz@example.cn",
        )
    )
    for mutate, fragment in BAD_CAP:
        with pytest.raises(CapRejected) as err:
            em.import_cap(mutate(good), "wujin")
        assert any(fragment in p for p in err.value.problems), err.value.problems
    assert em.desk.queue_count() == 0
    with em.desk.store.read() as conn:
        from dispatch_app.store.emergency_models import cap_messages

        assert conn.execute(select(func.count()).select_from(cap_messages)).scalar_one() == 0


def test_update_for_unknown_message_is_rejected(em: EmergencyDesk) -> None:
    msg = cap.alert_message(
        identifier="SZ-2",
        sent=em.desk.clock(),
        level=None,
        change=Transition.LIFT,
        reason="解除",
        references=("sz@example.cn,SZ-0,2026-11-28T10:00:00+08:00",),
        sender="sz@example.cn",
    )
    with pytest.raises(CapRejected) as err:
        em.import_cap(cap.to_xml(msg), "wujin")
    assert "references no message" in err.value.problems[0]


def test_resources_errors_name_the_file(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "res"
    shutil.copytree(RESOURCES / "plans", root / "plans")
    shutil.copytree(RESOURCES / "cap", root / "cap")
    (root / "rules").mkdir()
    shutil.copy(RESOURCES / "rules" / "heavy_pollution.toml", root / "rules")
    shutil.copy(RESOURCES / "rules" / "cap.toml", root / "rules")
    shutil.copy(RESOURCES / "stations.json", root)
    assert len(load_emergency_resources(root).plans) >= 5
    (root / "plans" / "bad.toml").write_text('id = "x"\n', encoding="utf-8")
    with pytest.raises(EmergencyResourcesError) as err:
        load_emergency_resources(root)
    assert "bad.toml" in str(err.value)
    (root / "plans" / "bad.toml").unlink()
    (root / "rules" / "heavy_pollution.toml").write_text("[yellow]\n", encoding="utf-8")
    with pytest.raises(EmergencyResourcesError) as err:
        load_emergency_resources(root)
    assert "heavy_pollution.toml" in str(err.value)
    shutil.copy(RESOURCES / "rules" / "heavy_pollution.toml", root / "rules")
    (root / "rules" / "cap.toml").write_text(
        '[[recipient]]\nid = "x"\nname = "某局"\naddress = "a b"\n', encoding="utf-8"
    )
    with pytest.raises(EmergencyResourcesError) as err:
        load_emergency_resources(root)
    assert "cap.toml" in str(err.value) and "recipient 'x': channel is required" in str(err.value)


def test_schema_matches_models(em: EmergencyDesk) -> None:
    """The revision creates exactly the tables the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from dispatch_app.store import emergency_models

    mine = {
        t.name
        for t in emergency_models.metadata.sorted_tables
        if t.name.startswith(("emergency_", "pollution_", "cap_"))
    }
    with em.desk.store.read() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), emergency_models.metadata)
    ours = [d for d in diffs if any(name in repr(d) for name in mine)]
    assert ours == []


def test_monitoring_tasks_and_dispatch_from_steps(em: EmergencyDesk, clock: Clock) -> None:
    view = em.create(spill(district="wujin"))
    cid = view.case.id
    task = em.assign_monitoring(cid, "WQ-N-01", ["NH3-N", "CODMn"], 60)
    assert task.task.unit_id == "monitoring-center"
    assert task.task.next_due_at == clock.now + timedelta(minutes=60)
    for kw, field in (
        ({"station": "NOPE"}, "station"),
        ({"parameters": ["PM2.5"]}, "parameters"),
        ({"parameters": []}, "parameters"),
        ({"interval_min": 2}, "interval_min"),
        ({"unit_id": "nobody"}, "unit"),
    ):
        args = {"station": "WQ-N-01", "parameters": ["NH3-N"], "interval_min": 60}
        args.update(kw)  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as err:
            em.assign_monitoring(cid, **args)  # type: ignore[arg-type]
        assert err.value.field == field
    clock.advance(minutes=61)
    assert em.get(cid).tasks[0].status(clock.now).value == "overdue"
    sampled = em.record_sample(task.id, task.version, {"NH3-N": 2.4, "CODMn": 9.1})
    assert sampled.task.samples == 1 and sampled.status(clock.now).value == "on_time"
    with pytest.raises(ConflictError):
        em.record_sample(task.id, task.version, {"NH3-N": 2.0})
    with pytest.raises(ValidationError):
        em.record_sample(task.id, sampled.version, {"TP": 0.1})
    with pytest.raises(ValidationError):
        em.record_sample(task.id, sampled.version, {"NH3-N": float("nan")})
    readings = [e for e in em.log_entries(cid) if e.kind is LogKind.READING]
    assert readings[-1].text == "连江桥：NH3-N 2.4mg/L，CODMn 9.1mg/L"
    ended = em.end_monitoring(task.id, sampled.version, "断面恢复Ⅲ类")
    assert ended.status(clock.now).value == "ended"
    with pytest.raises(IllegalTransition):
        em.end_monitoring(task.id, ended.version, "again")
    # Dispatch from a step: the case goes to the step's unit and the log says so.
    act = em.activate_plan(cid, "water_pollution")
    entry = em.dispatch_step(act.steps[0].id)
    assert entry.kind is LogKind.DISPATCH and "武进执法分局" in entry.text
    assert em.desk.get_case(cid).unit_id == "branch-wujin"


def test_two_leaders_issue_at_once_one_alert_wins(
    em: EmergencyDesk, db_url: str, clock: Clock, resources: EmergencyResources
) -> None:
    """Two workstations press "issue" at the same moment: one alert, one refusal, one case."""
    import threading

    desks = [second_desk(db_url, clock, "leader") for _ in range(2)]
    try:
        ems = [EmergencyDesk(d, resources) for d in desks]
        barrier = threading.Barrier(2)
        results: list[object] = [None, None]

        def issue(i: int) -> None:
            barrier.wait()
            try:
                results[i] = ems[i].change_alert("yellow", f"desk {i}", expected_seq=0)
            except Exception as exc:  # the loser's refusal is the result
                results[i] = exc

        threads = [threading.Thread(target=issue, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        wins = [r for r in results if not isinstance(r, Exception)]
        losses = [r for r in results if isinstance(r, Exception)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert isinstance(losses[0], AlertConflict)
        assert [a.seq for a in em.alert_history()] == [1]
        assert em.desk.queue_count() == 1  # the loser's case was rolled back with it
    finally:
        for d in desks:
            d.close()


def test_emergency_from_the_generic_form_gets_type_and_area(em: EmergencyDesk) -> None:
    from dispatch_app.domain.cases import CaseDraft
    from dispatch_app.domain.districts import District

    case = em.desk.create_case(
        CaseDraft(kind=CaseKind.EMERGENCY, title="滆湖湖泛", district=District.WUJIN)
    )
    view = em.get(case.id)
    assert view.detail.type is EmergencyType.OTHER and view.level is None
    view = em.set_type(case.id, case.version, "algae_bloom")
    assert view.detail.type is EmergencyType.ALGAE_BLOOM
    with pytest.raises(ValidationError):
        em.set_type(case.id, view.case.version, "meteor")
    view = em.set_area(view.case.id, view.case.version, make_circle(119.80, 31.60, 3000))
    assert view.detail.area == make_circle(119.80, 31.60, 3000)
    with pytest.raises(CaseConflict):
        em.set_affected_stations(view.case.id, view.case.version - 1, ["WQ-N-01"])
    view = em.set_affected_stations(view.case.id, view.case.version, ["WQ-N-01", "WQ-N-01"])
    assert view.detail.affected_stations == ("WQ-N-01",)
    # A quality case is not an emergency: refused by name.
    other = em.desk.create_case(
        CaseDraft(kind=CaseKind.QUALITY, title="x", district=District.WUJIN)
    )
    with pytest.raises(ValidationError) as err:
        em.get(other.id)
    assert err.value.key == "error.not_an_emergency"
