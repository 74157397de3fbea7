"""Sending an emergency's CAP messages: drafted for a preview, sent as previewed to the chosen
recipients, updated and cancelled with references to the earlier messages, recorded in the
coordination log, the case timeline and the audit log, exported; on a real SQLite file and a
real PostgreSQL (``db_url``). Every message validates against the OASIS schema and ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from dispatch_app.desk import Desk
from dispatch_app.desk.emergencies import (
    CapConflict,
    CapRefused,
    EmergencyDesk,
    EmergencyDraft,
    EmergencyResources,
    load_emergency_resources,
)
from dispatch_app.desk.events import Changed
from dispatch_app.domain import cap
from dispatch_app.domain.emergencies import EmergencyType, Figures, make_circle, make_polygon
from dispatch_app.domain.errors import PermissionDenied, ValidationError
from dispatch_app.resources import resources_dir
from dispatch_app.store.audit_records import recent_audit
from dispatch_app.store.emergency_models import cap_messages
from tests.cap_schemas import assert_valid
from tests.desk.conftest import PASSWORD, Clock, second_desk

RESOURCES = resources_dir()


@pytest.fixture(scope="module")
def resources() -> EmergencyResources:
    return load_emergency_resources(RESOURCES)


@pytest.fixture
def em(desk: Desk, resources: EmergencyResources) -> EmergencyDesk:
    desk.logout()
    desk.login("officer", PASSWORD)
    return EmergencyDesk(desk, resources)


def spill(**kw: object) -> EmergencyDraft:
    values: dict[str, object] = {
        "title": "京杭大运河奔牛段柴油泄漏",
        "district": "xinbei",
        "type": EmergencyType.WATER_POLLUTION,
        "description": "运输船碰撞，柴油入河，下游3公里为取水口",
        "address": "新北区奔牛镇",
        "lon": 119.82,
        "lat": 31.875,
        "area": make_circle(119.82, 31.875, 1500),
        "figures": Figures(evacuated=200),
    }
    values.update(kw)
    return EmergencyDraft(**values)  # type: ignore[arg-type]


def stored_count(em: EmergencyDesk) -> int:
    with em.desk.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(cap_messages)).scalar_one())


def test_draft_shows_the_message_and_stores_nothing(em: EmergencyDesk) -> None:
    view = em.create(spill())
    draft = em.draft_cap(view.case.id, "Alert")
    msg = draft.message
    assert msg.msg_type is cap.MsgType.ALERT and msg.status is cap.Status.ACTUAL
    info = msg.infos[0]
    assert view.case.title in info.headline and info.severity == "Unknown"  # not decided yet
    assert (info.urgency, info.certainty) == ("Immediate", "Observed")
    assert "取水" in info.instruction  # the configured instruction for water pollution
    assert info.areas[0].circles == (view.detail.area,)
    # The district's own branch and the city-wide agencies are ticked; others are offered.
    assert "bureau-xinbei" in draft.preselected and "bureau-wujin" not in draft.preselected
    assert "city-emergency" in draft.preselected and "province-duty" in draft.preselected
    assert {r.id for r in draft.recipients} >= {"bureau-wujin", "city-meteorology"}
    assert draft.scope == "Private" and draft.based_on is None and draft.problems == ()
    shown = draft.apply(draft.choices())
    assert shown.addresses == tuple(
        r.address for r in draft.recipients if r.id in draft.preselected
    )
    assert_valid(cap.to_xml(shown))
    assert stored_count(em) == 0 and em.cap_messages(view.case.id) == []


def test_send_update_cancel_reference_the_chain_and_are_recorded(
    em: EmergencyDesk, clock: Clock
) -> None:
    view = em.create(spill())
    events: list[Changed] = []
    em.desk.events.subscribe(events.append)
    draft = em.draft_cap(view.case.id, "Alert")
    first = em.send_cap(
        view.case.id,
        "Alert",
        recipients=("city-emergency", "bureau-xinbei"),
        based_on=draft.based_on,
        instruction="下游取水口立即停止取水",
    )
    assert first.msg_type == "Alert" and first.references == ()
    assert [r.name for r in first.recipients] == ["常州市应急管理局", "新北生态环境分局"]
    assert first.scope == "Private" and first.recorded_by == "officer"
    back = cap.from_xml(first.xml)
    assert back.addresses == ("yjglj.zhiban@changzhou.gov.cn", "sthj.xinbei@changzhou.gov.cn")
    assert back.infos[0].instruction == "下游取水口立即停止取水"
    assert any(e.topic == "case" and e.action == "cap" for e in events)

    clock.advance(minutes=20)
    upd_draft = em.draft_cap(view.case.id, "Update")
    assert upd_draft.message.references == (first.reference_key,)
    assert [r.identifier for r in upd_draft.earlier] == [first.identifier]
    assert upd_draft.message.infos[0].headline.startswith("（更新）")
    update = em.send_cap(
        view.case.id,
        "Update",
        recipients=upd_draft.preselected,
        based_on=upd_draft.based_on,
        note="油膜已扩散至下游2公里",
    )
    clock.advance(minutes=20)
    cancel_draft = em.draft_cap(view.case.id, "Cancel")
    cancel = em.send_cap(
        view.case.id,
        "Cancel",
        recipients=("city-emergency",),
        based_on=cancel_draft.based_on,
        scope="Restricted",
        note="险情解除",
    )
    # References name the earlier messages exactly as they were sent: sender,identifier,sent.
    assert update.references == (first.reference_key,)
    assert cancel.references == (first.reference_key, update.reference_key)
    sent = cap.from_xml(first.xml)
    assert first.reference_key == f"{sent.sender},{sent.identifier},{cap.cap_time(sent.sent)}"
    assert f"<references>{first.reference_key} {update.reference_key}</references>" in cancel.xml
    assert "<restriction>" in cancel.xml and "<note>险情解除</note>" in cancel.xml
    assert cap.from_xml(cancel.xml).infos[0].urgency == "Past"
    for record in (first, update, cancel):
        assert_valid(record.xml)
    history = em.cap_messages(view.case.id)
    assert [(h.msg_type, h.direction) for h in history] == [
        ("Alert", "sent"),
        ("Update", "sent"),
        ("Cancel", "sent"),
    ]
    assert [r.id for r in history[2].recipients] == ["city-emergency"]
    # The coordination log, the case timeline and the audit say what went to whom.
    logs = [e.text for e in em.log_entries(view.case.id) if "CAP" in e.text]
    assert len(logs) == 3 and "撤销" in logs[2] and "常州市应急管理局" in logs[2]
    timeline = [t for t in em.desk.case_detail(view.case.id).timeline if (t.data or {}).get("cap")]
    assert [t.data["msg_type"] for t in timeline if t.data] == ["Alert", "Update", "Cancel"]
    assert timeline[0].data is not None
    assert timeline[0].data["recipients"] == ["city-emergency", "bureau-xinbei"]
    with em.desk.store.read() as conn:
        audit = [a for a in recent_audit(conn, 50) if a["action"] == "emergency.cap_send"]
    assert len(audit) == 3
    # After a Cancel only a new Alert can start again.
    with pytest.raises(ValidationError) as err:
        em.draft_cap(view.case.id, "Update")
    assert err.value.key == "error.cap_nothing_to_change"
    again = em.draft_cap(view.case.id, "Alert")
    assert again.message.references == () and again.based_on == cancel.reference_key


def test_cancelled_preview_or_refused_message_stores_nothing(em: EmergencyDesk) -> None:
    view = em.create(spill())
    draft = em.draft_cap(view.case.id, "Alert")
    with pytest.raises(ValidationError) as err:
        em.send_cap(view.case.id, "Alert", recipients=(), based_on=None)
    assert err.value.key == "error.cap_no_recipients"
    with pytest.raises(ValidationError) as err:
        em.send_cap(view.case.id, "Alert", recipients=("nobody",), based_on=None)
    assert err.value.key == "error.cap_unknown_recipient"
    # A control character pasted into the instruction: a clear refusal, nothing half-sent.
    with pytest.raises(CapRefused) as refused:
        em.send_cap(
            view.case.id,
            "Alert",
            recipients=draft.preselected,
            based_on=None,
            instruction="停止取水\x07",
        )
    assert "U+0007" in refused.value.message("zh") and "instruction" in refused.value.message("en")
    with pytest.raises(ValidationError):
        em.draft_cap(view.case.id, "Cancel")  # nothing to cancel yet
    assert stored_count(em) == 0
    assert not [e for e in em.log_entries(view.case.id) if "CAP" in e.text]


def test_a_message_sent_elsewhere_first_refuses_the_stale_preview(
    em: EmergencyDesk, db_url: str, clock: Clock, resources: EmergencyResources
) -> None:
    view = em.create(spill())
    mine = em.draft_cap(view.case.id, "Alert")
    other = second_desk(db_url, clock, "leader")
    try:
        theirs = EmergencyDesk(other, resources)
        d = theirs.draft_cap(view.case.id, "Alert")
        sent = theirs.send_cap(view.case.id, "Alert", recipients=d.preselected, based_on=None)
    finally:
        other.close()
    with pytest.raises(CapConflict) as err:
        em.send_cap(view.case.id, "Alert", recipients=mine.preselected, based_on=mine.based_on)
    assert sent.identifier in err.value.message("zh")
    assert len(em.cap_messages(view.case.id)) == 1


def test_drill_polygon_and_public_messages_validate(em: EmergencyDesk) -> None:
    poly = make_polygon([[119.95, 31.78], [119.97, 31.78], [119.97, 31.80]])
    view = em.create(
        spill(
            title="【演练】化工园区储罐泄漏",
            type=EmergencyType.CHEMICAL_RELEASE,
            area=poly,
            exercise=True,
        )
    )
    draft = em.draft_cap(view.case.id, "Alert")
    assert draft.message.status is cap.Status.EXERCISE
    public = em.send_cap(
        view.case.id, "Alert", recipients=draft.preselected, based_on=None, scope="Public"
    )
    assert "<status>Exercise</status>" in public.xml and "<polygon>" in public.xml
    assert "<scope>Public</scope>" in public.xml and "<addresses>" in public.xml
    assert_valid(public.xml)
    # An emergency with no area yet: the city's geocode stands for it.
    plain = em.create(spill(area=None, lon=None, lat=None, title="钟楼区某河道异味"))
    d = em.draft_cap(plain.case.id, "Alert")
    xml = em.send_cap(plain.case.id, "Alert", recipients=("city-emergency",), based_on=None).xml
    assert "<geocode>" in xml and d.message.infos[0].areas[0].geocodes
    assert_valid(xml)


def test_export_writes_the_sent_xml(em: EmergencyDesk, tmp_path: Path) -> None:
    view = em.create(spill())
    d = em.draft_cap(view.case.id, "Alert")
    record = em.send_cap(view.case.id, "Alert", recipients=d.preselected, based_on=None)
    path = em.save_cap_xml(record.id, tmp_path / "警报.xml")
    text = path.read_text(encoding="utf-8")
    assert text == record.xml and not (tmp_path / "警报.xml.part").exists()
    assert_valid(text)
    with pytest.raises(ValidationError) as err:
        em.save_cap_xml(record.id, tmp_path / "missing-dir" / "x.xml")
    assert err.value.key == "error.cap_export"


def test_a_viewer_cannot_send(em: EmergencyDesk) -> None:
    view = em.create(spill())
    d = em.draft_cap(view.case.id, "Alert")
    em.desk.logout()
    em.desk.login("viewer", PASSWORD)
    with pytest.raises(PermissionDenied):
        em.draft_cap(view.case.id, "Alert")
    with pytest.raises(PermissionDenied):
        em.send_cap(view.case.id, "Alert", recipients=d.preselected, based_on=None)
    assert stored_count(em) == 0


def test_alert_changes_go_to_the_chosen_recipients(em: EmergencyDesk) -> None:
    em.desk.logout()
    em.desk.login("leader", PASSWORD)
    draft = em.draft_alert_cap("yellow", "未来两天AQI>200")
    assert draft.message.msg_type is cap.MsgType.ALERT and draft.scope == "Public"
    assert "city-warning-centre" in draft.preselected and draft.problems == ()
    assert "黄色预警" in draft.message.infos[0].headline
    issued = em.change_alert(
        "yellow",
        "未来两天AQI>200",
        expected_seq=0,
        cap_recipients=("city-warning-centre", "city-meteorology"),
    )
    up = em.draft_alert_cap("orange", "持续三天")
    assert up.message.msg_type is cap.MsgType.UPDATE and len(up.message.references) == 1
    em.change_alert("orange", "持续三天", expected_seq=1, cap_note="升级")
    lift = em.draft_alert_cap(None, "空气质量好转")
    assert lift.message.msg_type is cap.MsgType.CANCEL and len(lift.message.references) == 2
    em.change_alert(None, "空气质量好转", expected_seq=2, cap_recipients=("city-emergency",))
    assert issued.case_id is not None
    history = em.cap_messages(issued.case_id)  # the alert's case shows the alert's messages
    assert [h.msg_type for h in history] == ["Alert", "Update", "Cancel"]
    assert [r.id for r in history[0].recipients] == ["city-warning-centre", "city-meteorology"]
    assert [r.id for r in history[2].recipients] == ["city-emergency"]
    for h in history:
        assert_valid(h.xml)
    with pytest.raises(ValidationError):
        em.change_alert("red", "x", expected_seq=3, cap_recipients=())
