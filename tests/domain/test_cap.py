"""CAP 1.2: messages built from emergencies and alerts validate against the schema authored
from the OASIS data dictionary; broken ones fail against the schema itself; round trips."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import xmlschema

from dispatch_app.domain.cap import (
    CapError,
    MsgType,
    Status,
    alert_message,
    emergency_message,
    from_xml,
    imported_emergency,
    to_xml,
)
from dispatch_app.domain.cases import EmergencyLevel
from dispatch_app.domain.emergencies import (
    EmergencyDetail,
    EmergencyType,
    Figures,
    make_circle,
    make_polygon,
)
from dispatch_app.domain.heavy_pollution import AlertLevel, Transition
from dispatch_app.resources import resources_dir

XSD = resources_dir() / "cap" / "CAP-v1.2.xsd"
T = datetime(2026, 11, 28, 2, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(XSD))


def _spill(exercise: bool = False, area=None) -> EmergencyDetail:  # type: ignore[no-untyped-def]
    return EmergencyDetail(
        EmergencyType.CHEMICAL_RELEASE,
        area or make_polygon([[119.95, 31.78], [119.97, 31.78], [119.97, 31.80]]),
        Figures(evacuated=1200),
        exercise=exercise,
    )


def _message(msg_type: MsgType = MsgType.ALERT, refs: tuple[str, ...] = (), **kw):  # type: ignore[no-untyped-def]
    return emergency_message(
        identifier="CZ-2026-000042-1",
        sent=T,
        msg_type=msg_type,
        case_reference="CZ-2026-000042",
        title="新北区化工园区储罐泄漏",
        description="苯乙烯储罐泄漏，已疏散周边居民1200人。",
        address="新北区春江镇",
        detail=kw.pop("detail", _spill()),
        level=EmergencyLevel.III,
        references=refs,
    )


def test_emergency_message_is_valid_and_round_trips(schema: xmlschema.XMLSchema11) -> None:
    msg = _message()
    xml = to_xml(msg)
    schema.validate(xml)
    assert "<sent>2026-11-28T10:30:15+08:00</sent>" in xml
    assert "<category>Env</category>" in xml and "<status>Actual</status>" in xml
    back = from_xml(xml)
    assert back.identifier == msg.identifier and back.sent == T.replace(microsecond=0)
    assert back.infos[0].areas[0].polygons == msg.infos[0].areas[0].polygons
    imported = imported_emergency(back)
    assert imported.detail.type is EmergencyType.CHEMICAL_RELEASE
    assert imported.level is EmergencyLevel.III
    assert imported.detail.area == msg.infos[0].areas[0].polygons[0]
    assert not imported.detail.exercise


def test_drill_is_exercise_and_circle_area(schema: xmlschema.XMLSchema11) -> None:
    msg = _message(detail=_spill(True, make_circle(119.95, 31.78, 2500)))
    xml = to_xml(msg)
    schema.validate(xml)
    assert "<status>Exercise</status>" in xml and "<circle>31.78,119.95 2.5</circle>" in xml
    imported = imported_emergency(from_xml(xml))
    assert imported.detail.exercise and imported.detail.area == make_circle(119.95, 31.78, 2500)


def test_update_and_cancel_reference_the_earlier_message(schema: xmlschema.XMLSchema11) -> None:
    first = _message()
    update = _message(MsgType.UPDATE, (first.reference_key,))
    schema.validate(to_xml(update))
    assert from_xml(to_xml(update)).referenced_identifiers() == [first.identifier]
    cancel = _message(MsgType.CANCEL, (first.reference_key,))
    schema.validate(to_xml(cancel))
    with pytest.raises(ValueError):
        _message(MsgType.UPDATE, ())


def test_alert_transitions_validate(schema: xmlschema.XMLSchema11) -> None:
    issue = alert_message(
        identifier="HPW-1", sent=T, level=AlertLevel.ORANGE, change=Transition.ISSUE, reason="r"
    )
    schema.validate(to_xml(issue))
    lift = alert_message(
        identifier="HPW-2",
        sent=T,
        level=None,
        change=Transition.LIFT,
        reason="空气质量好转",
        references=(issue.reference_key,),
    )
    schema.validate(to_xml(lift))
    assert from_xml(to_xml(lift)).msg_type is MsgType.CANCEL
    with pytest.raises(ValueError):
        alert_message(identifier="x", sent=T, level=None, change=Transition.LIFT, reason="r")


def _edit(xml: str, old: str, new: str) -> str:
    assert old in xml
    return xml.replace(old, new, 1)


BREAKS = [
    ("<identifier>CZ-2026-000042-1</identifier>", ""),  # missing required element
    ("<status>Actual</status>", "<status>Real</status>"),  # bad enumeration
    ("<msgType>Alert</msgType>", "<msgType>Update</msgType>"),  # Update without references
    ("<msgType>Alert</msgType>", "<msgType>Cancel</msgType>"),  # Cancel without references
    ("<category>Env</category>", "<category>Environment</category>"),
    ("<urgency>Immediate</urgency>", "<urgency>Now</urgency>"),
    ("<severity>Moderate</severity>", ""),
    ("+08:00</sent>", "Z</sent>"),  # CAP forbids Z
    ("<scope>Public</scope>", "<scope>Private</scope>"),  # Private without addresses
    ("<areaDesc>新北区春江镇</areaDesc>", ""),
    ("<event>", "<foo>x</foo><event>"),  # unknown element
]


@pytest.mark.parametrize(("old", "new"), BREAKS)
def test_invalid_messages_fail_against_the_schema(
    schema: xmlschema.XMLSchema11, old: str, new: str
) -> None:
    xml = to_xml(_message())
    assert schema.is_valid(xml)
    assert not schema.is_valid(_edit(xml, old, new))


def test_wrong_order_fails(schema: xmlschema.XMLSchema11) -> None:
    xml = to_xml(_message())
    scope = "<scope>Public</scope>"
    broken = _edit(xml, scope, "").replace("<sender>", scope + "<sender>", 1)
    assert not schema.is_valid(broken)


def test_open_polygon_fails(schema: xmlschema.XMLSchema11) -> None:
    xml = to_xml(_message())
    start = xml.index("<polygon>") + len("<polygon>")
    end = xml.index("</polygon>")
    ring = xml[start:end].split()
    broken = xml[:start] + " ".join([*ring[:-1], "31.9,119.9"]) + xml[end:]
    assert not schema.is_valid(broken)
    with pytest.raises(CapError):
        from_xml(broken)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not xml", "well-formed"),
        ("<alert/>", "not {urn:oasis"),
        ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a/>', "DOCTYPE"),
    ],
)
def test_unreadable_messages(text: str, fragment: str) -> None:
    with pytest.raises(CapError) as err:
        from_xml(text)
    assert fragment in str(err.value)


def test_reader_lists_every_problem() -> None:
    xml = to_xml(_message())
    xml = _edit(xml, "<status>Actual</status>", "<status>Real</status>")
    xml = _edit(xml, "<msgType>Alert</msgType>", "<msgType>Update</msgType>")
    xml = _edit(xml, "<event>", "<x/><event>").replace(
        "<event>突发环境事件：危险化学品泄漏</event>", ""
    )
    with pytest.raises(CapError) as err:
        from_xml(xml)
    text = str(err.value)
    assert "status 'Real'" in text and "needs references" in text and "event is missing" in text


def test_import_refuses_tests_and_updates() -> None:
    msg = from_xml(to_xml(_message()))
    from dataclasses import replace

    with pytest.raises(CapError):
        imported_emergency(replace(msg, status=Status.TEST))
    with pytest.raises(CapError):
        imported_emergency(replace(msg, msg_type=MsgType.UPDATE, references=("a,b,c",)))


def test_foreign_message_guesses_type_from_event(schema: xmlschema.XMLSchema11) -> None:
    foreign = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>WX-2026-1128-07</identifier><sender>sthj.wuxi@example.cn</sender>
  <sent>2026-11-28T09:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType>
  <scope>Public</scope>
  <info><category>Env</category><event>太湖蓝藻水华</event><urgency>Expected</urgency>
    <severity>Severe</severity><certainty>Likely</certainty>
    <headline>竺山湖蓝藻聚集</headline><description>湖区出现大面积蓝藻聚集。</description>
    <area><areaDesc>竺山湖</areaDesc><circle>31.40,120.05 5</circle></area></info>
</alert>"""
    schema.validate(foreign)
    imported = imported_emergency(from_xml(foreign))
    assert imported.detail.type is EmergencyType.ALGAE_BLOOM
    assert imported.level is EmergencyLevel.II  # Severe, the sender's view
    assert imported.title == "竺山湖蓝藻聚集" and "竺山湖" in imported.description
