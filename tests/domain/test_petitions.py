"""The petition detail: validation with clear errors naming the field, and the details JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from dispatch_app.domain.credit_code import make_credit_code
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.petitions import (
    DETAILS_KEY,
    PROGRESS_KEY,
    Attachment,
    Callback,
    Channel,
    Decision,
    Extension,
    PetitionDetail,
    Petitioner,
    PetitionInvalid,
    PetitionProgress,
    Reply,
    Satisfaction,
    Stage,
    Subject,
    detail_from_case,
    id_check_character,
    id_number_problem,
    normalize_phone,
    petition_title,
    progress_from_details,
    validate_petition,
)

SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 28, 22, 0, tzinfo=SH)
CREDIT = make_credit_code("91320400MA1ABCDE0")
PHOTO = Attachment("现场.jpg", "image/jpeg", 123_456, hashlib.sha256(b"photo").hexdigest())


def detail(**kw: object) -> PetitionDetail:
    base: dict[str, object] = {
        "channel": Channel.HOTLINE_12369,
        "received_at": dt.datetime(2026, 11, 28, 21, 40, tzinfo=SH),
        "subject": Subject.ODOUR,
        "description": "夜间化工厂方向有刺鼻气味，持续两小时",
        "petitioner": Petitioner(name="张三", phone="13812345678"),
        "address": "新北区春江镇某路18号",
        "lon": 119.95,
        "lat": 31.92,
        "enterprise_name": "常州某某化工有限公司",
        "credit_code": CREDIT,
        "attachments": (PHOTO,),
    }
    base.update(kw)
    return PetitionDetail(**base)  # type: ignore[arg-type]


def problems_of(d: PetitionDetail) -> dict[str, str]:
    with pytest.raises(PetitionInvalid) as exc:
        validate_petition(d, NOW)
    return {p.field: p.message_en for p in exc.value.problems}


def test_a_good_petition_comes_back_normalised() -> None:
    d = validate_petition(
        detail(
            petitioner=Petitioner(
                name=" 张三 ", phone="+86 138-1234-5678", id_number="11010519491231002x"
            ),
            credit_code=CREDIT.lower(),
            channel="hotline_12369",
            subject="odour",
        ),
        NOW,
    )
    assert d.petitioner.name == "张三"
    assert d.petitioner.phone == "13812345678"
    assert d.petitioner.id_number == "11010519491231002X"
    assert d.credit_code == CREDIT
    assert d.channel is Channel.HOTLINE_12369
    assert d.subject is Subject.ODOUR
    assert d.stage is Stage.ORIGINAL


def test_resident_id_check_digit_gb_11643() -> None:
    # The worked examples of GB 11643—1999.
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character("44052418800101001") == "4"
    assert id_number_problem("11010519491231002X") is None
    assert "expected X" in (id_number_problem("110105194912310021") or "")
    assert "birth date" in (id_number_problem("110105194902310020") or "")
    assert "15-digit" in (id_number_problem("110105491231002") or "")
    assert "18 characters" in (id_number_problem("1101051949123100") or "")
    assert "17 digits" in (id_number_problem("1101051949123100AX") or "")
    assert "not plausible" in (id_number_problem("110105202712310027", dt.date(2026, 11, 28)) or "")


@pytest.mark.parametrize(
    ("raw", "normal", "ok"),
    [
        ("13812345678", "13812345678", True),
        ("+86 138 1234 5678", "13812345678", True),
        ("0086-13812345678", "13812345678", True),
        ("0519-86661234", "051986661234", True),
        ("(0519)8666 1234", "051986661234", True),
        ("１３８１２３４５６７８", "13812345678", True),  # full-width digits from a pasted form
        ("12812345678", "12812345678", False),
        ("1381234567", "1381234567", False),
        ("12345", "12345", False),
        ("138-1234-567a", "1381234567a", False),
    ],
)
def test_phone_numbers(raw: str, normal: str, ok: bool) -> None:
    assert normalize_phone(raw) == normal
    d = detail(petitioner=Petitioner(name="李四", phone=raw))
    if ok:
        assert validate_petition(d, NOW).petitioner.phone == normal
    else:
        assert "petitioner.phone" in problems_of(d)


def test_every_problem_is_reported_with_its_field() -> None:
    bad = detail(
        channel="fax",
        subject="smell",
        description="   ",
        petitioner=Petitioner(name="", phone="12345", id_number="110105194912310021"),
        lon=31.92,
        lat=119.95,
        credit_code="91320400MA1ABCDE00",
        attachments=(Attachment("../x.jpg", "jpeg", -1, "abc"),),
    )
    problems = problems_of(bad)
    assert set(problems) >= {
        "channel",
        "subject",
        "description",
        "petitioner.name",
        "petitioner.phone",
        "petitioner.id_number",
        "lon",
        "credit_code",
        "attachments[0].name",
        "attachments[0].media_type",
        "attachments[0].size_bytes",
        "attachments[0].sha256",
    }
    assert "swapped" in problems["lon"]
    with pytest.raises(ValidationError) as exc:
        validate_petition(bad, NOW)
    assert exc.value.field == "channel"  # generic handlers see the first field
    assert "信访渠道" in exc.value.message_zh


def test_anonymous_petitions() -> None:
    anon = validate_petition(detail(petitioner=Petitioner(anonymous=True)), NOW)
    assert anon.petitioner.anonymous and anon.petitioner.name == ""
    # An anonymous caller may leave a number for the reply.
    with_phone = validate_petition(
        detail(petitioner=Petitioner(anonymous=True, phone="13812345678")), NOW
    )
    assert with_phone.petitioner.phone == "13812345678"
    named = problems_of(detail(petitioner=Petitioner(name="王五", anonymous=True)))
    assert "clear the name" in named["petitioner.name"]
    with_id = problems_of(
        detail(petitioner=Petitioner(anonymous=True, id_number="11010519491231002X"))
    )
    assert "petitioner.id_number" in with_id


def test_contact_rules() -> None:
    # A letter from someone without a phone: a postal address is enough.
    letter = detail(
        channel=Channel.LETTER, petitioner=Petitioner(name="赵六", contact_address="钟楼区某小区")
    )
    assert validate_petition(letter, NOW).petitioner.contact_address == "钟楼区某小区"
    no_contact = problems_of(detail(channel=Channel.LETTER, petitioner=Petitioner(name="赵六")))
    assert "postal address" in no_contact["petitioner.phone"]
    hotline = problems_of(
        detail(petitioner=Petitioner(name="赵六", contact_address="钟楼区某小区"))
    )
    assert "hotline" in hotline["petitioner.phone"]


def test_receiving_time() -> None:
    naive = problems_of(detail(received_at=dt.datetime(2026, 11, 28, 21, 40)))
    assert "time zone" in naive["received_at"]
    future = problems_of(detail(received_at=NOW + dt.timedelta(hours=1)))
    assert "future" in future["received_at"]
    old = problems_of(detail(received_at=dt.datetime(1999, 12, 31, tzinfo=SH)))
    assert "before 2000" in old["received_at"]
    assert "received_at" in problems_of(detail(received_at="2026-11-28"))
    # A few minutes of clock skew between workstation and platform is tolerated.
    validate_petition(detail(received_at=NOW + dt.timedelta(minutes=5)), NOW)


def test_text_limits_and_attachment_limits() -> None:
    assert "at most" in problems_of(detail(description="臭" * 10_001))["description"]
    too_big = Attachment("a.mp4", "video/mp4", 300 * 1024 * 1024, "0" * 64)
    assert "attachments[0].size_bytes" in problems_of(detail(attachments=(too_big,)))
    many = tuple(PHOTO for _ in range(51))
    assert "attachments" in problems_of(detail(attachments=many))


def test_details_round_trip_through_json() -> None:
    d = validate_petition(
        detail(
            petitioner=Petitioner(name="张三", phone="13812345678", id_number="11010519491231002X")
        ),
        NOW,
    )
    stored = json.loads(json.dumps({DETAILS_KEY: d.to_details()}, ensure_ascii=False))
    back = detail_from_case(
        stored,
        description=d.description,
        address=d.address,
        lon=d.lon,
        lat=d.lat,
        enterprise_name=d.enterprise_name,
        credit_code=d.credit_code,
    )
    assert back == d
    # Stored in UTC, the same instant.
    assert stored[DETAILS_KEY]["received_at"] == "2026-11-28T13:40:00+00:00"


def test_progress_round_trip_through_json() -> None:
    t = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    progress = PetitionProgress(
        decision=Decision.ACCEPT,
        decided_at=t,
        notified_at=t,
        contacted_at=t,
        extension=Extension(20, "等待检测报告", "王班长", t),
        reply=Reply("已整改", t, "phone"),
        callbacks=(Callback(Satisfaction.DISSATISFIED, t, "仍有异味", "李"),),
        earlier_replies=(Reply("首次答复", t, "sms"),),
        follow_up_requested_at=t,
    )
    stored = json.loads(json.dumps({PROGRESS_KEY: progress.to_details()}))
    assert progress_from_details(stored) == progress
    assert progress.accepted_at == t
    assert progress_from_details({}) == PetitionProgress()


@pytest.mark.parametrize(
    "details",
    [
        {},
        {DETAILS_KEY: "x"},
        {
            DETAILS_KEY: {
                "channel": "fax",
                "received_at": "2026-11-28T00:00:00+00:00",
                "subject": "air",
            }
        },
        {DETAILS_KEY: {"channel": "letter", "subject": "air"}},
        {DETAILS_KEY: {"channel": "letter", "received_at": "2026-11-28", "subject": "air"}},
        {DETAILS_KEY: {"channel": "letter", "received_at": "yesterday", "subject": "air"}},
    ],
)
def test_corrupt_stored_details_are_reported(details: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as exc:
        detail_from_case(details)
    assert exc.value.field.startswith("details.petition")


def test_corrupt_progress_is_reported() -> None:
    with pytest.raises(ValidationError, match="corrupt"):
        progress_from_details({PROGRESS_KEY: {"decision": "maybe"}})
    with pytest.raises(ValidationError, match="missing"):
        progress_from_details({PROGRESS_KEY: {"reply": {"text": "x", "sent_at": None}}})


def test_title_has_no_personal_data() -> None:
    d = validate_petition(detail(), NOW)
    title = petition_title(d)
    assert title == "恶臭异味 · 新北区春江镇某路18号"
    assert "张三" not in title and "138" not in title
