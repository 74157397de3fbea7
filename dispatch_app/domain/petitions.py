"""The petition (环境信访) detail: who complained, how, about what, where, and when.

A petition is a case of kind ``petition``. The fields every case has (description, address,
location, enterprise and credit code) stay on the case; what only a petition has (channel,
receiving time, petitioner, subject, attachments, stage and the progress of its statutory
steps) lives in the case's ``details`` JSON under the keys written by `PetitionDetail.to_details`
and `PetitionProgress.to_details`. Both sides of that mapping are here, once, so the desk, the
Open311 interchange and the UI read the same shape.

Validation collects every problem (an intake form wants to mark all bad fields at once) and
raises `PetitionInvalid`, a ValidationError naming the first bad field and carrying them all.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from dispatch_app.domain.cases import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_ENTERPRISE,
    validate_coordinates,
    validate_credit_code,
)
from dispatch_app.domain.errors import ValidationError

DETAILS_KEY = "petition"  # details["petition"] holds the petition detail; nothing else is ours
MAX_NAME = 50
MAX_ATTACHMENTS = 50
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
EARLIEST_RECEIPT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# A workstation clock a little behind the 12345 platform's must not refuse a fresh record.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


class Channel(StrEnum):
    """How the petition reached the center (信访渠道)."""

    HOTLINE_12345 = "hotline_12345"
    HOTLINE_12369 = "hotline_12369"
    LETTER = "letter"
    VISIT = "visit"
    ONLINE = "online"

    @property
    def name_zh(self) -> str:
        return _CHANNEL_ZH[self]

    @property
    def name_en(self) -> str:
        return _CHANNEL_EN[self]

    @property
    def is_hotline(self) -> bool:
        return self in (Channel.HOTLINE_12345, Channel.HOTLINE_12369)


_CHANNEL_ZH = {
    Channel.HOTLINE_12345: "12345政务服务热线",
    Channel.HOTLINE_12369: "12369环保举报热线",
    Channel.LETTER: "来信",
    Channel.VISIT: "来访",
    Channel.ONLINE: "网上信访",
}
_CHANNEL_EN = {
    Channel.HOTLINE_12345: "12345 hotline",
    Channel.HOTLINE_12369: "12369 hotline",
    Channel.LETTER: "Letter",
    Channel.VISIT: "Visit",
    Channel.ONLINE: "Online",
}


class Subject(StrEnum):
    """What the petition is about (信访事项类别)."""

    AIR = "air"
    WATER = "water"
    NOISE = "noise"
    ODOUR = "odour"
    SOLID_WASTE = "solid_waste"
    SOIL = "soil"
    RADIATION = "radiation"
    OTHER = "other"

    @property
    def name_zh(self) -> str:
        return _SUBJECT_ZH[self]

    @property
    def name_en(self) -> str:
        return _SUBJECT_EN[self]


_SUBJECT_ZH = {
    Subject.AIR: "大气污染",
    Subject.WATER: "水污染",
    Subject.NOISE: "噪声污染",
    Subject.ODOUR: "恶臭异味",
    Subject.SOLID_WASTE: "固体废物",
    Subject.SOIL: "土壤污染",
    Subject.RADIATION: "辐射",
    Subject.OTHER: "其他",
}
_SUBJECT_EN = {
    Subject.AIR: "Air pollution",
    Subject.WATER: "Water pollution",
    Subject.NOISE: "Noise",
    Subject.ODOUR: "Odour",
    Subject.SOLID_WASTE: "Solid waste",
    Subject.SOIL: "Soil pollution",
    Subject.RADIATION: "Radiation",
    Subject.OTHER: "Other",
}


class Stage(StrEnum):
    """Where the matter stands in the regulation's sequence (信访工作条例 Art. 34–36).

    A review (复查) or second review (复核) is a linked follow-up case of its own stage; after the
    second review the same matter is not accepted again.
    """

    ORIGINAL = "original"
    REVIEW = "review"
    SECOND_REVIEW = "second_review"

    @property
    def name_zh(self) -> str:
        return {"original": "初次办理", "review": "复查", "second_review": "复核"}[self.value]


class Decision(StrEnum):
    """The decision due within 15 days of receipt (Art. 22/23)."""

    ACCEPT = "accept"  # 受理: this body handles it; the 60-day clock starts
    TRANSFER = "transfer"  # 转送: sent to the competent body
    ASSIGN = "assign"  # 交办: assigned to a lower body to handle
    NOT_ACCEPTED = "not_accepted"  # 不予受理 (with the reason told to the petitioner)

    @property
    def name_zh(self) -> str:
        return {"accept": "受理", "transfer": "转送", "assign": "交办", "not_accepted": "不予受理"}[
            self.value
        ]


class Satisfaction(StrEnum):
    """The result of the satisfaction callback (满意度回访)."""

    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    DISSATISFIED = "dissatisfied"

    @property
    def name_zh(self) -> str:
        return {
            "satisfied": "满意",
            "basically_satisfied": "基本满意",
            "dissatisfied": "不满意",
        }[self.value]


@dataclass(frozen=True)
class Petitioner:
    """The person who petitioned. Phone and ID are stored in full and masked on display."""

    name: str = ""
    phone: str = ""
    id_number: str = ""
    anonymous: bool = False
    contact_address: str = ""  # for letters from people without a phone


@dataclass(frozen=True)
class Attachment:
    """A photo or document that came with the petition; the file itself is kept by the store."""

    name: str
    media_type: str
    size_bytes: int
    sha256: str
    uri: str = ""  # where the store keeps it (relative to the attachments directory)


@dataclass(frozen=True)
class PetitionDetail:
    """Everything taken at intake."""

    channel: Channel
    received_at: dt.datetime
    subject: Subject
    description: str
    petitioner: Petitioner = field(default_factory=Petitioner)
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    enterprise_name: str | None = None
    credit_code: str | None = None
    attachments: tuple[Attachment, ...] = ()
    stage: Stage = Stage.ORIGINAL
    external_ref: str = ""  # the 12345 work-order number or Open311 service_request_id

    def to_details(self) -> dict[str, Any]:
        """The JSON written under details["petition"] (case-level fields are not repeated)."""
        p = self.petitioner
        return {
            "channel": self.channel.value,
            "received_at": self.received_at.astimezone(dt.UTC).isoformat(),
            "subject": self.subject.value,
            "stage": self.stage.value,
            "external_ref": self.external_ref,
            "petitioner": {
                "name": p.name,
                "phone": p.phone,
                "id_number": p.id_number,
                "anonymous": p.anonymous,
                "contact_address": p.contact_address,
            },
            "attachments": [
                {
                    "name": a.name,
                    "media_type": a.media_type,
                    "size_bytes": a.size_bytes,
                    "sha256": a.sha256,
                    "uri": a.uri,
                }
                for a in self.attachments
            ],
        }


@dataclass(frozen=True)
class Extension:
    """The one extension of the handling period (Art. 34): at most 30 days, approved, reasoned."""

    days: int
    reason: str
    approved_by: str
    approved_at: dt.datetime


@dataclass(frozen=True)
class Reply:
    """The reply (答复意见) sent to the petitioner."""

    text: str
    sent_at: dt.datetime
    channel: str  # how it was sent: phone, letter, sms, online, in person


@dataclass(frozen=True)
class Callback:
    """The satisfaction callback after the reply."""

    result: Satisfaction
    at: dt.datetime
    notes: str = ""
    by: str = ""


@dataclass(frozen=True)
class PetitionProgress:
    """The statutory steps taken so far; the deadlines are computed from these dates."""

    decision: Decision | None = None
    decided_at: dt.datetime | None = None
    notified_at: dt.datetime | None = None  # written notice to the petitioner (书面告知)
    contacted_at: dt.datetime | None = None  # first contact with the petitioner
    extension: Extension | None = None
    reply: Reply | None = None
    callbacks: tuple[Callback, ...] = ()
    # A reply the petitioner was dissatisfied with, set aside when the case was reopened: the
    # handling deadline runs again (the statutory clock never stopped), the history stays.
    earlier_replies: tuple[Reply, ...] = ()
    # When the petitioner asked for the next stage (复查/复核); closes the request window.
    follow_up_requested_at: dt.datetime | None = None

    @property
    def accepted_at(self) -> dt.datetime | None:
        """Acceptance starts the 60-day handling clock; transfer or assignment does not."""
        return self.decided_at if self.decision is Decision.ACCEPT else None

    @property
    def replied_at(self) -> dt.datetime | None:
        return self.reply.sent_at if self.reply else None

    @property
    def last_callback(self) -> Callback | None:
        return self.callbacks[-1] if self.callbacks else None

    def to_details(self) -> dict[str, Any]:
        def iso(t: dt.datetime | None) -> str | None:
            return t.astimezone(dt.UTC).isoformat() if t else None

        ext = self.extension
        return {
            "decision": self.decision.value if self.decision else None,
            "decided_at": iso(self.decided_at),
            "notified_at": iso(self.notified_at),
            "contacted_at": iso(self.contacted_at),
            "extension": None
            if ext is None
            else {
                "days": ext.days,
                "reason": ext.reason,
                "approved_by": ext.approved_by,
                "approved_at": iso(ext.approved_at),
            },
            "reply": None
            if self.reply is None
            else {
                "text": self.reply.text,
                "sent_at": iso(self.reply.sent_at),
                "channel": self.reply.channel,
            },
            "callbacks": [
                {"result": c.result.value, "at": iso(c.at), "notes": c.notes, "by": c.by}
                for c in self.callbacks
            ],
            "earlier_replies": [
                {"text": r.text, "sent_at": iso(r.sent_at), "channel": r.channel}
                for r in self.earlier_replies
            ],
            "follow_up_requested_at": iso(self.follow_up_requested_at),
        }


class PetitionInvalid(ValidationError):
    """One or more fields of a petition are unacceptable.

    Behaves as a ValidationError for its first problem (so generic handlers mark that field);
    ``problems`` holds every problem, in form order, for an intake form to mark them all.
    """

    def __init__(self, problems: list[ValidationError]) -> None:
        first = problems[0]
        super().__init__(
            first.field,
            first.key,
            "; ".join(f"{p.field}: {p.message_en}" for p in problems),
            "；".join(p.message_zh for p in problems),
            **{k: v for k, v in first.params.items() if k != "field"},
        )
        self.problems = list(problems)

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]


def _problem(field_name: str, key: str, en: str, zh: str, **params: Any) -> ValidationError:
    return ValidationError(field_name, key, en, zh, **params)


# --- phone numbers and resident ID numbers -------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")  # area code (3–4 digits incl. 0) + 7–8 digit number
_PHONE_JUNK = re.compile(r"[\s\-()（）]")


def normalize_phone(raw: str) -> str:
    """Digits only, without the +86/0086 country prefix: '+86 138-1234-5678' → '13812345678'."""
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _PHONE_JUNK.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def phone_problem(phone: str) -> str | None:
    """Why a normalised phone number is not a mainland mobile or landline number, or None."""
    if not phone.isdigit():
        return "may contain only digits, spaces, dashes, brackets and a +86 prefix"
    if _MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone):
        return None
    if phone.startswith("1"):
        return f"a mobile number has 11 digits starting 13–19, got {len(phone)} digits"
    return "expected an 11-digit mobile number or a landline with its area code (0519…)"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """The GB 11643—1999 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_problem(id_number: str, today: dt.date | None = None) -> str | None:
    """Why ``id_number`` is not a valid 18-digit resident ID (GB 11643), or None when it is."""
    if len(id_number) == 15 and id_number.isdigit():
        return "15-digit numbers were replaced in 2004; ask for the 18-digit number"
    if len(id_number) != 18:
        return f"must be 18 characters, got {len(id_number)}"
    if not id_number[:17].isdigit() or not (id_number[17].isdigit() or id_number[17] == "X"):
        return "must be 17 digits followed by a digit or X"
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return f"characters 7–14 are not a valid birth date ({id_number[6:14]})"
    if born.year < 1880 or (today is not None and born > today):
        return f"birth date {born.isoformat()} is not plausible"
    expected = id_check_character(id_number[:17])
    if id_number[17] != expected:
        return f"check character is {id_number[17]}, expected {expected}"
    return None


def normalize_id_number(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


# --- validation ----------------------------------------------------------------------------

_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _text(
    problems: list[ValidationError],
    field_name: str,
    label_zh: str,
    value: Any,
    maximum: int,
    required: bool,
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(
            _problem(
                field_name,
                "error.field_type",
                f"{field_name} must be text",
                f"{label_zh}必须是文本",
            )
        )
        return ""
    value = value.strip()
    if required and not value:
        problems.append(
            _problem(
                field_name,
                "error.field_empty",
                f"{field_name} must not be empty",
                f"{label_zh}不能为空",
            )
        )
    elif len(value) > maximum:
        problems.append(
            _problem(
                field_name,
                "error.field_too_long",
                f"{field_name} is {len(value)} characters; at most {maximum} are allowed",
                f"{label_zh}长度为{len(value)}字，最多允许{maximum}字",
                length=len(value),
                maximum=maximum,
            )
        )
    return value


def _choice(
    problems: list[ValidationError], enum_type: Any, field_name: str, label_zh: str, value: Any
) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        problems.append(
            _problem(
                field_name,
                "error.field_choice",
                f"{field_name} {value!r} is not one of: {allowed}",
                f"{label_zh}“{value}”无效，可选：{allowed}",
                allowed=allowed,
            )
        )
        return None


def _received_at(
    problems: list[ValidationError], value: Any, now: dt.datetime | None
) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        problems.append(
            _problem(
                "received_at",
                "error.field_type",
                "received_at must be a date and time",
                "收件时间必须是日期时间",
            )
        )
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        problems.append(
            _problem(
                "received_at",
                "error.time_naive",
                "received_at needs a time zone (the center works in Asia/Shanghai)",
                "收件时间缺少时区（本中心使用北京时间）",
            )
        )
        return None
    if value < EARLIEST_RECEIPT:
        problems.append(
            _problem(
                "received_at",
                "error.time_implausible",
                f"received_at {value.isoformat()} is before 2000",
                f"收件时间{value.isoformat()}早于2000年，请核对",
            )
        )
    elif now is not None and value > now + FUTURE_TOLERANCE:
        problems.append(
            _problem(
                "received_at",
                "error.time_future",
                f"received_at {value.isoformat()} is in the future",
                f"收件时间{value.isoformat()}晚于当前时间",
            )
        )
    return value


def _petitioner(
    problems: list[ValidationError], p: Petitioner, channel: Channel | None, now: dt.datetime | None
) -> Petitioner:
    name = _text(problems, "petitioner.name", "信访人姓名", p.name, MAX_NAME, required=False)
    contact = _text(
        problems, "petitioner.contact_address", "通信地址", p.contact_address, MAX_ADDRESS, False
    )
    phone = ""
    if p.phone is not None and not isinstance(p.phone, str):
        problems.append(
            _problem("petitioner.phone", "error.field_type", "phone must be text", "电话必须是文本")
        )
    elif p.phone and p.phone.strip():
        phone = normalize_phone(p.phone)
        why = phone_problem(phone)
        if why is not None:
            problems.append(
                _problem(
                    "petitioner.phone",
                    "error.phone_invalid",
                    f"phone {p.phone!r} is invalid: {why}",
                    f"联系电话“{p.phone}”无效：应为11位手机号或带区号的固定电话",
                    problem=why,
                )
            )
    id_number = ""
    if p.id_number is not None and not isinstance(p.id_number, str):
        problems.append(
            _problem(
                "petitioner.id_number", "error.field_type", "ID must be text", "身份证号必须是文本"
            )
        )
    elif p.id_number and p.id_number.strip():
        id_number = normalize_id_number(p.id_number)
        why = id_number_problem(id_number, now.date() if now else None)
        if why is not None:
            problems.append(
                _problem(
                    "petitioner.id_number",
                    "error.id_number_invalid",
                    f"resident ID is invalid: {why}",
                    f"身份证号无效：{_id_problem_zh(why)}",
                    problem=why,
                )
            )
    if not isinstance(p.anonymous, bool):
        problems.append(
            _problem(
                "petitioner.anonymous",
                "error.field_type",
                "anonymous must be true or false",
                "匿名标志必须为是或否",
            )
        )
    elif p.anonymous:
        # An anonymous petitioner may leave a number for the reply, but no identity.
        if name:
            problems.append(
                _problem(
                    "petitioner.name",
                    "error.anonymous_named",
                    "an anonymous petition records no name: clear the name or untick anonymous",
                    "匿名信访不登记姓名：请清空姓名或取消匿名",
                )
            )
        if id_number or (p.id_number and p.id_number.strip()):
            problems.append(
                _problem(
                    "petitioner.id_number",
                    "error.anonymous_named",
                    "an anonymous petition records no ID number",
                    "匿名信访不登记身份证号",
                )
            )
    else:
        if not name:
            problems.append(
                _problem(
                    "petitioner.name",
                    "error.field_empty",
                    "petitioner.name is required unless the petition is anonymous",
                    "非匿名信访须填写信访人姓名",
                )
            )
        if not phone and not contact and not (p.phone and p.phone.strip()):
            problems.append(
                _problem(
                    "petitioner.phone",
                    "error.contact_missing",
                    "give a phone number or a postal address so the reply can reach the petitioner",
                    "须填写联系电话或通信地址，以便答复信访人",
                )
            )
    # Hotline calls always come with a number; the callback target needs it.
    if (
        channel is not None
        and channel.is_hotline
        and not phone
        and not p.anonymous
        and not any(x.field == "petitioner.phone" for x in problems)
    ):
        problems.append(
            _problem(
                "petitioner.phone",
                "error.field_empty",
                "a hotline petition needs the caller's number for the callback",
                "热线信访须登记来电号码以便回访",
            )
        )
    return Petitioner(
        name=name,
        phone=phone,
        id_number=id_number,
        anonymous=bool(p.anonymous),
        contact_address=contact,
    )


def _id_problem_zh(problem: str) -> str:
    if problem.startswith("15-digit"):
        return "15位旧号码已停用，请登记18位号码"
    if problem.startswith("must be 18"):
        return "应为18位"
    if problem.startswith("must be 17"):
        return "应为17位数字加1位数字或X"
    if "birth date" in problem:
        return "出生日期无效"
    return "校验码错误"


def _attachments(problems: list[ValidationError], attachments: Any) -> tuple[Attachment, ...]:
    items = tuple(attachments or ())
    if len(items) > MAX_ATTACHMENTS:
        problems.append(
            _problem(
                "attachments",
                "error.too_many",
                f"{len(items)} attachments; at most {MAX_ATTACHMENTS}",
                f"附件{len(items)}个，最多{MAX_ATTACHMENTS}个",
            )
        )
        return ()
    out: list[Attachment] = []
    for i, a in enumerate(items):
        where = f"attachments[{i}]"
        if not isinstance(a, Attachment):
            problems.append(
                _problem(where, "error.field_type", f"{where} is not an attachment", "附件格式错误")
            )
            continue
        name = a.name.strip() if isinstance(a.name, str) else ""
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            problems.append(
                _problem(
                    f"{where}.name",
                    "error.attachment_name",
                    f"{where}.name {a.name!r} must be a plain file name",
                    f"附件名“{a.name}”无效",
                )
            )
        media = a.media_type.strip().lower() if isinstance(a.media_type, str) else ""
        if not _MEDIA_TYPE.fullmatch(media):
            problems.append(
                _problem(
                    f"{where}.media_type",
                    "error.attachment_type",
                    f"{where}.media_type {a.media_type!r} is not a media type like image/jpeg",
                    f"附件类型“{a.media_type}”无效",
                )
            )
        size = a.size_bytes
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            problems.append(
                _problem(
                    f"{where}.size_bytes",
                    "error.attachment_size",
                    f"{where}.size_bytes must be a whole number ≥ 0",
                    "附件大小无效",
                )
            )
        elif size > MAX_ATTACHMENT_BYTES:
            problems.append(
                _problem(
                    f"{where}.size_bytes",
                    "error.attachment_size",
                    f"{where} is {size} bytes; at most {MAX_ATTACHMENT_BYTES}",
                    f"附件过大（最大{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB）",
                )
            )
        digest = a.sha256.strip().lower() if isinstance(a.sha256, str) else ""
        if not _SHA256.fullmatch(digest):
            problems.append(
                _problem(
                    f"{where}.sha256",
                    "error.attachment_digest",
                    f"{where}.sha256 must be 64 hexadecimal characters",
                    "附件校验值（SHA-256）无效",
                )
            )
        out.append(replace(a, name=name, media_type=media, sha256=digest))
    return tuple(out)


def _collect(problems: list[ValidationError], call: Any, *args: Any) -> Any:
    """Run a cases.py validator (which raises on its first problem) and collect its error."""
    try:
        return call(*args)
    except ValidationError as exc:
        problems.append(exc)
        return None


def validate_petition(detail: PetitionDetail, now: dt.datetime | None = None) -> PetitionDetail:
    """Check every field; return the detail normalised (trimmed, digits-only phone, upper-case
    ID and credit code, enums). Raises PetitionInvalid listing every problem.

    ``now`` (aware) enables the "not in the future" and birth-date checks; intake passes it.
    """
    problems: list[ValidationError] = []
    channel = _choice(problems, Channel, "channel", "信访渠道", detail.channel)
    received_at = _received_at(problems, detail.received_at, now)
    subject = _choice(problems, Subject, "subject", "信访事项类别", detail.subject)
    stage = _choice(problems, Stage, "stage", "办理阶段", detail.stage)
    description = _text(
        problems, "description", "信访内容", detail.description, MAX_DESCRIPTION, required=True
    )
    petitioner = _petitioner(problems, detail.petitioner, channel, now)
    address = _text(problems, "address", "地址", detail.address, MAX_ADDRESS, required=False)
    coords = _collect(problems, validate_coordinates, detail.lon, detail.lat)
    lon, lat = coords if coords else (None, None)
    enterprise_name: str | None = None
    if detail.enterprise_name:
        enterprise_name = _text(
            problems, "enterprise_name", "被投诉企业", detail.enterprise_name, MAX_ENTERPRISE, False
        )
    credit_code: str | None = None
    if detail.credit_code and str(detail.credit_code).strip():
        credit_code = _collect(problems, validate_credit_code, detail.credit_code)
    attachments = _attachments(problems, detail.attachments)
    external_ref = _text(problems, "external_ref", "外部编号", detail.external_ref, 100, False)
    if problems:
        raise PetitionInvalid(problems)
    return PetitionDetail(
        channel=channel,
        received_at=received_at,  # type: ignore[arg-type]  # checked above
        subject=subject,
        description=description,
        petitioner=petitioner,
        address=address,
        lon=lon,
        lat=lat,
        enterprise_name=enterprise_name or None,
        credit_code=credit_code,
        attachments=attachments,
        stage=stage,
        external_ref=external_ref,
    )


# --- reading details back ------------------------------------------------------------------


def _parse_time(value: Any, where: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        t = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise _problem(
            where,
            "error.details_corrupt",
            f"{where} is not a time: {value!r}",
            "信访详情时间格式错误",
        ) from None
    if t.tzinfo is None:
        raise _problem(
            where, "error.details_corrupt", f"{where} has no time zone", "信访详情时间缺少时区"
        )
    return t


def _require_time(value: Any, where: str) -> dt.datetime:
    t = _parse_time(value, where)
    if t is None:
        raise _problem(where, "error.details_corrupt", f"{where} is missing", "信访详情缺少时间")
    return t


def detail_from_case(
    details: Mapping[str, Any],
    *,
    description: str = "",
    address: str = "",
    lon: float | None = None,
    lat: float | None = None,
    enterprise_name: str | None = None,
    credit_code: str | None = None,
) -> PetitionDetail:
    """Rebuild the detail from a stored case (its details JSON plus its case-level fields).

    Raises ValidationError (field ``details.petition…``) when the stored JSON is not a petition,
    so a corrupt row is reported instead of shown as an empty petition.
    """
    raw = details.get(DETAILS_KEY)
    if not isinstance(raw, Mapping):
        raise _problem(
            "details.petition",
            "error.not_a_petition",
            "the case has no petition detail",
            "该事项没有信访详情",
        )
    try:
        p = raw.get("petitioner") or {}
        received = _require_time(raw.get("received_at"), "details.petition.received_at")
        return PetitionDetail(
            channel=Channel(raw["channel"]),
            received_at=received,
            subject=Subject(raw["subject"]),
            description=description,
            petitioner=Petitioner(
                name=str(p.get("name", "")),
                phone=str(p.get("phone", "")),
                id_number=str(p.get("id_number", "")),
                anonymous=bool(p.get("anonymous", False)),
                contact_address=str(p.get("contact_address", "")),
            ),
            address=address,
            lon=lon,
            lat=lat,
            enterprise_name=enterprise_name,
            credit_code=credit_code,
            attachments=tuple(
                Attachment(
                    name=str(a["name"]),
                    media_type=str(a["media_type"]),
                    size_bytes=int(a["size_bytes"]),
                    sha256=str(a["sha256"]),
                    uri=str(a.get("uri", "")),
                )
                for a in raw.get("attachments", [])
            ),
            stage=Stage(raw.get("stage", Stage.ORIGINAL.value)),
            external_ref=str(raw.get("external_ref", "")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise _problem(
            "details.petition",
            "error.details_corrupt",
            f"stored petition detail is incomplete or corrupt: {exc!r}",
            "信访详情数据不完整或已损坏",
        ) from None


PROGRESS_KEY = "petition_progress"


def progress_from_details(details: Mapping[str, Any]) -> PetitionProgress:
    """The statutory progress stored under details["petition_progress"] (empty when absent)."""
    raw = details.get(PROGRESS_KEY)
    if raw is None:
        return PetitionProgress()
    where = "details.petition_progress"
    try:
        ext = raw.get("extension")
        reply = raw.get("reply")
        return PetitionProgress(
            decision=Decision(raw["decision"]) if raw.get("decision") else None,
            decided_at=_parse_time(raw.get("decided_at"), f"{where}.decided_at"),
            notified_at=_parse_time(raw.get("notified_at"), f"{where}.notified_at"),
            contacted_at=_parse_time(raw.get("contacted_at"), f"{where}.contacted_at"),
            extension=None
            if not ext
            else Extension(
                days=int(ext["days"]),
                reason=str(ext["reason"]),
                approved_by=str(ext["approved_by"]),
                approved_at=_require_time(ext["approved_at"], f"{where}.extension.approved_at"),
            ),
            reply=None
            if not reply
            else Reply(
                text=str(reply["text"]),
                sent_at=_require_time(reply["sent_at"], f"{where}.reply.sent_at"),
                channel=str(reply.get("channel", "")),
            ),
            callbacks=tuple(
                Callback(
                    result=Satisfaction(c["result"]),
                    at=_require_time(c["at"], f"{where}.callbacks.at"),
                    notes=str(c.get("notes", "")),
                    by=str(c.get("by", "")),
                )
                for c in raw.get("callbacks", [])
            ),
            earlier_replies=tuple(
                Reply(
                    text=str(r["text"]),
                    sent_at=_require_time(r["sent_at"], f"{where}.earlier_replies.sent_at"),
                    channel=str(r.get("channel", "")),
                )
                for r in raw.get("earlier_replies", [])
            ),
            follow_up_requested_at=_parse_time(
                raw.get("follow_up_requested_at"), f"{where}.follow_up_requested_at"
            ),
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _problem(
            where,
            "error.details_corrupt",
            f"stored petition progress is corrupt: {exc!r}",
            "信访办理进度数据已损坏",
        ) from None


def petition_title(detail: PetitionDetail) -> str:
    """The queue title: subject and place, e.g. "恶臭异味 · 新北区某路" (no personal data)."""
    place = detail.address or detail.enterprise_name or ""
    title = f"{detail.subject.name_zh} · {place}" if place else detail.subject.name_zh
    return title[:200]
