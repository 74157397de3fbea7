"""Open311 GeoReport v2 interchange (REFERENCE.md §8): import from and export to a city
12345 platform.

Import is forgiving per record and strict per field: each record becomes a validated
`PetitionDetail` or a `RejectedRecord` naming its position, its id, the field and the reason; the
good records are kept whatever the bad ones do. Export writes GeoReport v2 service requests
with personal data masked unless the caller asks (and is allowed, and audited, by the desk) for
it unmasked; resident ID numbers are never exported.

Pure: works on parsed JSON or JSON text, never on files or sockets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.masking import mask_free_text, mask_name, mask_phone
from dispatch_app.domain.petitions import (
    Channel,
    PetitionDetail,
    Petitioner,
    PetitionInvalid,
    Subject,
    validate_petition,
)
from dispatch_app.standards.center_time import CENTER_TZ

STATUSES = ("open", "closed")


@dataclass(frozen=True)
class Open311Settings:
    """The [open311] section of resources/rules/petitions.toml."""

    service_codes: Mapping[Subject, str]
    default_channel: Channel = Channel.HOTLINE_12345
    jurisdiction_id: str = ""
    agency_responsible: str = ""

    def __post_init__(self) -> None:
        missing = [s.value for s in Subject if s not in self.service_codes]
        if missing:
            raise ValueError(f"open311.service_codes: no code for {', '.join(missing)}")
        codes = list(self.service_codes.values())
        if len(set(codes)) != len(codes):
            raise ValueError("open311.service_codes: two subjects share one service_code")

    def subject_for(self, code: str) -> Subject | None:
        for subject, c in self.service_codes.items():
            if c == code:
                return subject
        return None


def open311_settings_from_toml(data: Mapping[str, Any]) -> Open311Settings:
    section = data.get("open311", {})
    raw = section.get("service_codes", {})
    codes: dict[Subject, str] = {}
    for key, code in raw.items():
        try:
            subject = Subject(key)
        except ValueError:
            raise ValueError(f"open311.service_codes: {key!r} is not a subject") from None
        if not isinstance(code, str) or not code.strip():
            raise ValueError(f"open311.service_codes.{key}: expected a non-empty code")
        codes[subject] = code.strip()
    try:
        channel = Channel(section.get("default_channel", Channel.HOTLINE_12345.value))
    except ValueError:
        raise ValueError("open311.default_channel: not a channel") from None
    return Open311Settings(
        service_codes=codes,
        default_channel=channel,
        jurisdiction_id=str(section.get("jurisdiction_id", "")),
        agency_responsible=str(section.get("agency_responsible", "")),
    )


@dataclass(frozen=True)
class ImportedRequest:
    """One accepted record: the petition and the Open311 fields the petition does not hold."""

    index: int
    service_request_id: str
    status: str  # open | closed
    detail: PetitionDetail
    status_notes: str = ""
    service_name: str = ""
    agency_responsible: str = ""
    updated_at: dt.datetime | None = None
    expected_at: dt.datetime | None = None
    media_url: str = ""


@dataclass(frozen=True)
class RejectedRecord:
    """One refused record: where it was, its id if readable, the field and why."""

    index: int
    service_request_id: str | None
    field: str
    reason_en: str
    reason_zh: str


@dataclass(frozen=True)
class Open311Import:
    accepted: tuple[ImportedRequest, ...]
    rejected: tuple[RejectedRecord, ...]


class _Reject(Exception):
    def __init__(self, field: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.field, self.en, self.zh = field, en, zh


def _str(record: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise _Reject(key, f"{key} is missing", f"缺少字段{key}")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Reject(key, f"{key} must be text, got {type(value).__name__}", f"字段{key}应为文本")
    return str(value).strip()


def _time(record: Mapping[str, Any], key: str, *, required: bool = False) -> dt.datetime | None:
    text = _str(record, key, required=required)
    if not text:
        return None
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _Reject(
            key,
            f"{key} {text!r} is not an ISO 8601 time",
            f"字段{key}“{text}”不是ISO 8601时间",
        ) from None
    if t.tzinfo is None:
        raise _Reject(
            key,
            f"{key} {text!r} has no UTC offset (GeoReport v2 requires one)",
            f"字段{key}“{text}”缺少时区偏移",
        )
    return t


def _coordinate(record: Mapping[str, Any], key: str) -> float | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Reject(key, f"{key} must be a number", f"字段{key}应为数字")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Reject(
            key, f"{key} {value!r} is not a number", f"字段{key}“{value}”不是数字"
        ) from None
    if not math.isfinite(number):
        raise _Reject(key, f"{key} must be finite", f"字段{key}应为有限数字")
    return number


def _records(payload: Any) -> list[Any]:
    if isinstance(payload, bytes | str):
        try:
            payload = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValidationError(
                "payload",
                "error.open311_not_json",
                f"the Open311 document is not JSON: {exc}",
                "Open311 文件不是有效的 JSON",
            ) from None
    if isinstance(payload, Mapping) and isinstance(payload.get("service_requests"), list):
        payload = payload["service_requests"]
    if not isinstance(payload, list):
        raise ValidationError(
            "payload",
            "error.open311_shape",
            "an Open311 GeoReport v2 document is a JSON array of service requests",
            "Open311 文件应为服务请求的 JSON 数组",
        )
    return payload


def _import_one(
    index: int, record: Any, settings: Open311Settings, now: dt.datetime | None
) -> ImportedRequest:
    if not isinstance(record, Mapping):
        raise _Reject("record", "the record is not a JSON object", "该记录不是JSON对象")
    request_id = _str(record, "service_request_id", required=True)
    status = _str(record, "status", required=True).lower()
    if status not in STATUSES:
        raise _Reject(
            "status",
            f"status {status!r} is not open or closed",
            f"状态“{status}”应为open或closed",
        )
    code = _str(record, "service_code", required=True)
    subject = settings.subject_for(code)
    if subject is None:
        raise _Reject(
            "service_code",
            f"service_code {code!r} is not in the table of petitions.toml [open311.service_codes]",
            f"服务代码“{code}”未在对照表中",
        )
    requested = _time(record, "requested_datetime", required=True)
    updated = _time(record, "updated_datetime")
    expected = _time(record, "expected_datetime")
    lat = _coordinate(record, "lat")
    lon = _coordinate(record, "long")
    # A platform that masks personal data in its own exports (as ours does) sends 138****1234
    # and 张*: that is data withheld, not data to store, so it is read as absent.
    first = _unmasked(_str(record, "first_name"))
    last = _unmasked(_str(record, "last_name"))
    name = f"{last}{first}" if _is_cjk(last + first) else " ".join(x for x in (first, last) if x)
    phone = _unmasked(_str(record, "phone"))
    detail = PetitionDetail(
        channel=settings.default_channel,
        received_at=requested,  # type: ignore[arg-type]  # required above
        subject=subject,
        description=_str(record, "description"),
        petitioner=Petitioner(name=name, phone=phone, anonymous=not name),
        address=_str(record, "address"),
        lon=lon,
        lat=lat,
        external_ref=request_id,
    )
    try:
        detail = validate_petition(detail, now)
    except PetitionInvalid as exc:
        p = exc.problems[0]
        raise _Reject(
            _OPEN311_FIELD.get(p.field, p.field),
            "; ".join(
                f"{_OPEN311_FIELD.get(x.field, x.field)}: {x.message_en}" for x in exc.problems
            ),
            "；".join(x.message_zh for x in exc.problems),
        ) from None
    return ImportedRequest(
        index=index,
        service_request_id=request_id,
        status=status,
        detail=detail,
        status_notes=_str(record, "status_notes"),
        service_name=_str(record, "service_name"),
        agency_responsible=_str(record, "agency_responsible"),
        updated_at=updated,
        expected_at=expected,
        media_url=_str(record, "media_url"),
    )


# Our field names in validation errors → the Open311 field the record author knows.
_OPEN311_FIELD = {
    "received_at": "requested_datetime",
    "lon": "long",
    "lat": "lat",
    "petitioner.phone": "phone",
    "petitioner.name": "first_name",
    "subject": "service_code",
    "external_ref": "service_request_id",
}


def _unmasked(value: str) -> str:
    return "" if "*" in value else value


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def import_service_requests(
    payload: Any, settings: Open311Settings, now: dt.datetime | None = None
) -> Open311Import:
    """Read a GeoReport v2 array (parsed, or JSON text) into petitions.

    Raises ValidationError only when the document as a whole is unreadable (not JSON, not an
    array); otherwise every record is either accepted or rejected with its reason. A repeated
    service_request_id within the document is rejected at its second occurrence.
    """
    accepted: list[ImportedRequest] = []
    rejected: list[RejectedRecord] = []
    seen: set[str] = set()
    for index, record in enumerate(_records(payload)):
        rid: str | None = None
        if isinstance(record, Mapping):
            raw_id = record.get("service_request_id")
            rid = str(raw_id).strip() if isinstance(raw_id, str | int) and raw_id != "" else None
        try:
            if rid is not None and rid in seen:
                raise _Reject(
                    "service_request_id",
                    f"service_request_id {rid!r} appears twice in the document",
                    f"服务请求编号“{rid}”在文件中重复",
                )
            item = _import_one(index, record, settings, now)
        except _Reject as exc:
            rejected.append(RejectedRecord(index, rid, exc.field, exc.en, exc.zh))
            continue
        seen.add(item.service_request_id)
        accepted.append(item)
    return Open311Import(tuple(accepted), tuple(rejected))


@dataclass(frozen=True)
class ExportItem:
    """One petition to export, with what the case knows beyond the detail."""

    service_request_id: str
    detail: PetitionDetail
    status: str  # open | closed
    status_notes: str = ""
    updated_at: dt.datetime | None = None
    expected_at: dt.datetime | None = None  # the handling deadline, when accepted
    agency_responsible: str = ""
    media_url: str = ""


def _iso(t: dt.datetime | None) -> str | None:
    return t.astimezone(CENTER_TZ).isoformat(timespec="seconds") if t else None


def export_service_requests(
    items: Iterable[ExportItem], settings: Open311Settings, *, unmasked: bool = False
) -> list[dict[str, Any]]:
    """GeoReport v2 service requests. Personal data is masked unless ``unmasked`` is True.

    The phone and name (GeoReport v2 request fields) are included masked so a receiving
    platform can still recognise a repeat caller; phone and ID numbers written inside the
    description are masked too. ID numbers are never exported.
    """
    out: list[dict[str, Any]] = []
    for item in items:
        if item.status not in STATUSES:
            raise ValueError(f"status {item.status!r} is not open or closed")
        d = item.detail
        p = d.petitioner
        record: dict[str, Any] = {
            "service_request_id": item.service_request_id,
            "status": item.status,
            "status_notes": item.status_notes if unmasked else mask_free_text(item.status_notes),
            "service_name": d.subject.name_zh,
            "service_code": settings.service_codes[d.subject],
            "description": d.description if unmasked else mask_free_text(d.description),
            "agency_responsible": item.agency_responsible or settings.agency_responsible,
            "service_notice": "",
            "requested_datetime": _iso(d.received_at),
            "updated_datetime": _iso(item.updated_at),
            "expected_datetime": _iso(item.expected_at),
            "address": d.address,
            "address_id": "",
            "zipcode": "",
            "lat": d.lat,
            "long": d.lon,
            "media_url": item.media_url,
        }
        if not p.anonymous:
            record["first_name"] = p.name if unmasked else mask_name(p.name)
        if p.phone:
            record["phone"] = p.phone if unmasked else mask_phone(p.phone)
        out.append(record)
    return out
