"""CAP recipients, scope and the officer's choices; every kind of message the desk produces
validates against the OASIS schema and the desk's own; what breaks the OASIS schema is
refused by the desk's checks before it could be confirmed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dispatch_app.domain.cap import (
    MsgType,
    addresses_text,
    alert_message,
    emergency_message,
    from_xml,
    parse_addresses,
    to_xml,
)
from dispatch_app.domain.cap_distribution import (
    CapChoices,
    CapSettingsError,
    Recipient,
    apply_choices,
    message_problems,
    parse_cap_settings,
)
from dispatch_app.domain.cases import EmergencyLevel
from dispatch_app.domain.districts import District
from dispatch_app.domain.emergencies import (
    EmergencyDetail,
    EmergencyType,
    make_circle,
    make_polygon,
)
from dispatch_app.domain.heavy_pollution import AlertLevel, Transition
from dispatch_app.resources import resources_dir
from tests.cap_schemas import assert_valid, official_schema, own_schema

RULES = resources_dir() / "rules" / "cap.toml"
T = datetime(2026, 11, 28, 2, 30, 15, tzinfo=UTC)
DISTRICTS = frozenset(d.value for d in District)
CITY = Recipient("city", "常州市应急管理局", "EMB", "yjglj@changzhou.gov.cn", "平台", "platform")
BRANCH = Recipient("b", "武进生态环境分局", "Wujin", "Wujin branch duty", "电话", "phone")


def settings():  # type: ignore[no-untyped-def]
    return parse_cap_settings(RULES.read_text(encoding="utf-8"), DISTRICTS)


def test_shipped_settings() -> None:
    s = settings()
    ids = {r.id for r in s.recipients}
    assert {"city-emergency", "bureau-wujin", "province-duty"} <= ids
    assert "bureau-wujin" in s.preselected("emergency", "wujin")
    assert "bureau-wujin" not in s.preselected("emergency", "xinbei")
    assert "bureau-xinbei" in s.preselected("alert")  # an alert covers the whole city
    assert s.emergency_instruction("algae_bloom", MsgType.ALERT)
    assert s.emergency_instruction("algae_bloom", MsgType.CANCEL) == s.instructions["cancel"]
    assert s.alert_instruction(None) == s.alert_instructions["lift"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "at least one [[recipient]]"),
        ("[[recipient]]\nid = 'A B'\n", "recipient 'A B': id must be"),
        (
            "[[recipient]]\nid='a'\nname='n'\naddress='x\"y'\nchannel='c'\n",
            "recipient 'a': address must not contain a double quote",
        ),
        (
            "[[recipient]]\nid='a'\nname='n'\naddress='x'\nchannel='c'\npreselect=['all']\n",
            "preselect 'all'",
        ),
        (
            "[[recipient]]\nid='a'\nname='n'\naddress='x'\nchannel='c'\ndistricts=['moon']\n",
            "district 'moon' is unknown",
        ),
        (
            "[scope]\nemergency='Secret'\n[[recipient]]\nid='a'\nname='n'\naddress='x'\n"
            "channel='c'\n",
            "[scope] emergency: 'Secret'",
        ),
        (
            "[[recipient]]\nid='a'\nname='n'\naddress='x'\nchannel='c'\n"
            "[[recipient]]\nid='a'\nname='m'\naddress='y'\nchannel='c'\n",
            "id is used twice",
        ),
        ("[[recipient]\n", "not valid TOML"),
    ],
)
def test_settings_errors_name_the_entry(text: str, fragment: str) -> None:
    with pytest.raises(CapSettingsError) as err:
        parse_cap_settings(text, DISTRICTS)
    assert fragment in str(err.value)


def test_addresses_quote_an_address_with_spaces() -> None:
    text = addresses_text(("yjglj@changzhou.gov.cn", "Wujin branch duty"))
    assert text == 'yjglj@changzhou.gov.cn "Wujin branch duty"'
    assert parse_addresses(text) == ("yjglj@changzhou.gov.cn", "Wujin branch duty")


def _emergency(msg_type: MsgType, detail: EmergencyDetail, refs: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return emergency_message(
        identifier=f"CZ-2026-000042-{len(refs) + 1}",
        sent=T,
        msg_type=msg_type,
        case_reference="CZ-2026-000042",
        title="新北区化工园区储罐泄漏",
        description="苯乙烯储罐泄漏，已疏散周边居民1200人。",
        address="新北区春江镇",
        detail=detail,
        level=EmergencyLevel.III,
        references=refs,
        instruction="周边人员向上风向撤离",
    )


AREAS = {
    "circle": make_circle(119.95, 31.78, 2500),
    "polygon": make_polygon([[119.95, 31.78], [119.97, 31.78], [119.97, 31.80]]),
    "none": None,
}
CHOICES = {
    "private": CapChoices((CITY, BRANCH), "Private", "撤离至上风向", "请各单位协同"),
    "restricted": CapChoices((CITY,), "Restricted", "撤离至上风向"),
    "public-no-addresses": CapChoices((), "Public", ""),
}


@pytest.mark.parametrize("exercise", [False, True], ids=["actual", "exercise"])
@pytest.mark.parametrize("area", list(AREAS))
@pytest.mark.parametrize("choice", list(CHOICES))
def test_every_emergency_message_validates_against_both_schemas(
    exercise: bool, area: str, choice: str
) -> None:
    detail = EmergencyDetail(EmergencyType.CHEMICAL_RELEASE, AREAS[area], exercise=exercise)
    first = _emergency(MsgType.ALERT, detail)
    update = _emergency(MsgType.UPDATE, detail, (first.reference_key,))
    cancel = _emergency(MsgType.CANCEL, detail, (first.reference_key, update.reference_key))
    for msg in (first, update, cancel):
        sent = apply_choices(msg, CHOICES[choice], "仅限应急联动单位")
        assert message_problems(sent) == []
        xml = to_xml(sent)
        assert_valid(xml)
        back = from_xml(xml)
        assert back.addresses == tuple(r.address for r in CHOICES[choice].recipients)
        assert back.status.value == ("Exercise" if exercise else "Actual")
        assert back.references == msg.references


@pytest.mark.parametrize("exercise", [False, True])
def test_every_alert_message_validates_against_both_schemas(exercise: bool) -> None:
    s = settings()
    issue = alert_message(
        identifier="HPW-1",
        sent=T,
        level=AlertLevel.RED,
        change=Transition.ISSUE,
        reason="未来四天AQI>200，其中两天>300",
        exercise=exercise,
        instruction=s.alert_instruction("red"),
    )
    lift = alert_message(
        identifier="HPW-2",
        sent=T,
        level=None,
        change=Transition.LIFT,
        reason="空气质量好转",
        references=(issue.reference_key,),
        exercise=exercise,
        instruction=s.alert_instruction(None),
    )
    chosen = tuple(r for r in s.recipients if r.id in s.preselected("alert"))
    for msg in (issue, lift):
        for choice in (CapChoices(chosen, "Public", msg.infos[0].instruction), CHOICES["private"]):
            assert_valid(to_xml(apply_choices(msg, choice, s.restriction)))


def test_problems_stop_what_the_schemas_refuse() -> None:
    detail = EmergencyDetail(EmergencyType.WATER_POLLUTION, AREAS["circle"])
    base = _emergency(MsgType.ALERT, detail)
    # Nobody to send a Private message to: the desk says so; the desk's schema refuses it.
    nobody = apply_choices(base, CapChoices((), "Private", "x"), "r")
    assert [p.where for p in message_problems(nobody)] == ["addresses"]
    assert not own_schema().is_valid(to_xml(nobody))
    # A control character in officer text makes XML no parser (the OASIS schema's included)
    # accepts: refused up front, naming the field and the character.
    bell = apply_choices(base, CapChoices((CITY,), "Private", "停止取水\x07"), "r")
    problem = message_problems(bell)[0]
    assert problem.where == "instruction" and "U+0007" in problem.text("zh")
    with pytest.raises(Exception):  # noqa: B017 - any parse error: not XML at all
        official_schema().validate(to_xml(bell))
    spaced = apply_choices(base, CapChoices((CITY,), "Private", "x"), "r")
    from dataclasses import replace

    bad_id = replace(spaced, identifier="CZ 2026,1")
    assert [p.where for p in message_problems(bad_id)] == ["identifier"]
    assert not own_schema().is_valid(to_xml(bad_id))
    bad_scope = replace(spaced, scope="Everyone")
    assert [p.where for p in message_problems(bad_scope)] == ["scope"]
    assert not official_schema().is_valid(to_xml(bad_scope))
