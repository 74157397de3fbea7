"""Cases (事项): kinds, statuses, priorities, sources and the validation of their fields.

A case's kind-specific detail (petition, emergency) lives in ``details`` (a JSON object) so
later issues can add it without a schema migration for each field.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from dispatch_app.domain.credit_code import credit_code_problem, normalize_credit_code
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import ValidationError


class CaseKind(StrEnum):
    QUALITY = "quality"
    VIOLATION = "violation"
    EMERGENCY = "emergency"
    PETITION = "petition"

    @property
    def name_zh(self) -> str:
        return _KIND_ZH[self]

    @property
    def name_en(self) -> str:
        return _KIND_EN[self]


_KIND_ZH = {
    CaseKind.QUALITY: "环境质量问题",
    CaseKind.VIOLATION: "环境违法案件",
    CaseKind.EMERGENCY: "突发环境事件",
    CaseKind.PETITION: "环境信访",
}
_KIND_EN = {
    CaseKind.QUALITY: "Environmental quality problem",
    CaseKind.VIOLATION: "Violation case",
    CaseKind.EMERGENCY: "Environmental emergency",
    CaseKind.PETITION: "Petition",
}


class Status(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    DISPATCHED = "dispatched"
    ACKNOWLEDGED = "acknowledged"
    ON_SCENE = "on_scene"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def name_zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def name_en(self) -> str:
        return _STATUS_EN[self]

    @property
    def is_open(self) -> bool:
        """Still work to do (counts toward a unit's load and toward deadlines)."""
        return self not in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)


_STATUS_ZH = {
    Status.NEW: "新建",
    Status.TRIAGED: "已研判",
    Status.DISPATCHED: "已派发",
    Status.ACKNOWLEDGED: "已签收",
    Status.ON_SCENE: "已到场",
    Status.RESOLVED: "已处置",
    Status.CLOSED: "已办结",
    Status.CANCELLED: "已撤销",
}
_STATUS_EN = {
    Status.NEW: "New",
    Status.TRIAGED: "Triaged",
    Status.DISPATCHED: "Dispatched",
    Status.ACKNOWLEDGED: "Acknowledged",
    Status.ON_SCENE: "On scene",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
    Status.CANCELLED: "Cancelled",
}

# Statuses in which a unit holds the case: they make up the unit's open load.
UNIT_LOAD_STATUSES = (Status.DISPATCHED, Status.ACKNOWLEDGED, Status.ON_SCENE)


class Priority(StrEnum):
    """P1 is the most urgent. String values sort in urgency order."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def name_zh(self) -> str:
        return {"P1": "特急", "P2": "紧急", "P3": "一般", "P4": "较缓"}[self.value]


class CaseSource(StrEnum):
    """Where a case came from."""

    HOTLINE_12345 = "hotline_12345"
    HOTLINE_12369 = "hotline_12369"
    MONITORING = "monitoring"
    PATROL = "patrol"
    SUPERIOR = "superior"
    MEDIA = "media"
    ENTERPRISE_REPORT = "enterprise_report"
    OTHER = "other"

    @property
    def name_zh(self) -> str:
        return _SOURCE_ZH[self]


_SOURCE_ZH = {
    CaseSource.HOTLINE_12345: "12345政务热线",
    CaseSource.HOTLINE_12369: "12369环保举报热线",
    CaseSource.MONITORING: "在线监测报警",
    CaseSource.PATROL: "巡查发现",
    CaseSource.SUPERIOR: "上级交办",
    CaseSource.MEDIA: "媒体曝光",
    CaseSource.ENTERPRISE_REPORT: "企业报告",
    CaseSource.OTHER: "其他",
}


class EmergencyLevel(StrEnum):
    """突发环境事件分级 Ⅰ (特别重大) … Ⅳ (一般); kept in ``details['emergency_level']``."""

    I = "I"  # noqa: E741 - the official level names
    II = "II"
    III = "III"
    IV = "IV"


# Changzhou spans about 119.13–120.20 °E and 31.15–32.07 °N; a margin of about 10 km keeps
# points on the boundary (and slightly off geocoded addresses) acceptable while catching
# swapped or mistyped coordinates.
CHANGZHOU_BBOX = (119.0, 31.0, 120.35, 32.2)  # lon_min, lat_min, lon_max, lat_max

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_ADDRESS = 300
MAX_ENTERPRISE = 200
MAX_DETAILS_JSON = 64_000
MAX_NOTE = 10_000


@dataclass(frozen=True)
class CaseDraft:
    """The fields an officer fills in to open or edit a case."""

    kind: CaseKind
    title: str
    district: District
    priority: Priority = Priority.P3
    source: CaseSource = CaseSource.OTHER
    description: str = ""
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    enterprise_name: str | None = None
    credit_code: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


# Fields an edit may change (kind is fixed at creation: a different kind is a different case).
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "district",
        "address",
        "lon",
        "lat",
        "source",
        "priority",
        "enterprise_name",
        "credit_code",
        "details",
    }
)


def _invalid(field_name: str, key: str, en: str, zh: str, **params: Any) -> ValidationError:
    return ValidationError(field_name, key, en, zh, **params)


def _text(field_name: str, label_zh: str, value: Any, maximum: int, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(
            field_name,
            "error.field_type",
            f"{field_name} must be text",
            f"{label_zh}必须是文本",
        )
    value = value.strip()
    if required and not value:
        raise _invalid(
            field_name,
            "error.field_empty",
            f"{field_name} must not be empty",
            f"{label_zh}不能为空",
        )
    if len(value) > maximum:
        raise _invalid(
            field_name,
            "error.field_too_long",
            f"{field_name} is {len(value)} characters; at most {maximum} are allowed",
            f"{label_zh}长度为{len(value)}字，最多允许{maximum}字",
            length=len(value),
            maximum=maximum,
        )
    return value


def _enum(enum_type: Any, field_name: str, label_zh: str, value: Any) -> Any:
    if value is None or value == "":
        # Nothing chosen (a form's empty "choose…" entry): say so, not "None is invalid".
        raise _invalid(
            field_name,
            "error.choice_required",
            f"choose the {field_name.replace('_', ' ')}",
            f"请选择{label_zh}",
        )
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise _invalid(
            field_name,
            "error.field_choice",
            f"{field_name} {value!r} is not one of: {allowed}",
            f"{label_zh}“{value}”无效，可选：{allowed}",
            allowed=allowed,
        ) from None


def validate_coordinates(lon: Any, lat: Any) -> tuple[float | None, float | None]:
    """Both or neither; finite numbers inside the Changzhou box (with margin)."""
    if lon is None and lat is None:
        return None, None
    if lon is None or lat is None:
        missing = "lat" if lat is None else "lon"
        raise _invalid(
            missing,
            "error.coordinates_incomplete",
            "give both longitude and latitude, or neither",
            "经度和纬度须同时填写或同时留空",
        )
    values: list[float] = []
    for name, v in (("lon", lon), ("lat", lat)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise _invalid(
                name,
                "error.coordinate_not_number",
                f"{name} must be a finite number, got {v!r}",
                f"{'经度' if name == 'lon' else '纬度'}必须是有效数字",
            )
        values.append(float(v))
    lon_f, lat_f = values
    lon_min, lat_min, lon_max, lat_max = CHANGZHOU_BBOX
    if not lon_min <= lon_f <= lon_max:
        raise _invalid(
            "lon",
            "error.coordinate_outside",
            f"longitude {lon_f} is outside Changzhou ({lon_min}–{lon_max} °E); "
            "were longitude and latitude swapped?",
            f"经度{lon_f}不在常州范围内（{lon_min}–{lon_max}°E），是否填反了经纬度？",
        )
    if not lat_min <= lat_f <= lat_max:
        raise _invalid(
            "lat",
            "error.coordinate_outside",
            f"latitude {lat_f} is outside Changzhou ({lat_min}–{lat_max} °N)",
            f"纬度{lat_f}不在常州范围内（{lat_min}–{lat_max}°N）",
        )
    return lon_f, lat_f


def validate_credit_code(value: Any, field_name: str = "credit_code") -> str:
    if not isinstance(value, str):
        raise _invalid(
            field_name, "error.field_type", "credit code must be text", "统一社会信用代码必须是文本"
        )
    code = normalize_credit_code(value)
    problem = credit_code_problem(code)
    if problem is not None:
        raise _invalid(
            field_name,
            "error.credit_code_invalid",
            f"unified social credit code {code!r} is invalid: {problem}",
            f"统一社会信用代码“{code}”无效：{_credit_problem_zh(problem)}",
            problem=problem,
        )
    return code


def _credit_problem_zh(problem: str) -> str:
    if problem.startswith("must be 18"):
        return "应为18位"
    if problem.startswith("contains"):
        return "含有不允许的字符（不使用I、O、Z、S、V）"
    if problem.startswith("characters 3"):
        return "第3–8位登记管理机关行政区划码应为数字"
    return "校验码错误"


def validate_details(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _invalid("details", "error.field_type", "details must be an object", "详情格式错误")
    try:
        encoded = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise _invalid(
            "details",
            "error.details_not_json",
            f"details cannot be stored as JSON: {exc}",
            "详情包含无法保存的数据",
        ) from None
    if len(encoded) > MAX_DETAILS_JSON:
        raise _invalid(
            "details",
            "error.field_too_long",
            f"details are {len(encoded)} characters of JSON; at most {MAX_DETAILS_JSON}",
            f"详情过大（{len(encoded)}字符，最多{MAX_DETAILS_JSON}）",
            length=len(encoded),
            maximum=MAX_DETAILS_JSON,
        )
    level = value.get("emergency_level")
    if level is not None:
        _enum(EmergencyLevel, "emergency_level", "事件级别", level)
    return dict(value)


def validate_draft(draft: CaseDraft) -> CaseDraft:
    """Check every field and return the draft normalised (trimmed text, enums, upper-case
    credit code). Raises ValidationError naming the first bad field."""
    kind = _enum(CaseKind, "kind", "事项类型", draft.kind)
    title = _text("title", "标题", draft.title, MAX_TITLE, required=True)
    description = _text("description", "描述", draft.description, MAX_DESCRIPTION, False)
    district = _enum(District, "district", "所属辖区", draft.district)
    priority = _enum(Priority, "priority", "优先级", draft.priority)
    source = _enum(CaseSource, "source", "来源", draft.source)
    address = _text("address", "地址", draft.address, MAX_ADDRESS, required=False)
    lon, lat = validate_coordinates(draft.lon, draft.lat)
    details = validate_details(draft.details)
    enterprise_name: str | None = None
    credit_code: str | None = None
    if kind is CaseKind.VIOLATION:
        enterprise_name = _text(
            "enterprise_name", "企业名称", draft.enterprise_name, MAX_ENTERPRISE, required=True
        )
        if not draft.credit_code or not str(draft.credit_code).strip():
            raise _invalid(
                "credit_code",
                "error.field_empty",
                "credit_code must not be empty for a violation case",
                "环境违法案件须填写统一社会信用代码",
            )
        credit_code = validate_credit_code(draft.credit_code)
    else:
        # Other kinds may name an enterprise (a petition about a factory) but need not.
        if draft.enterprise_name:
            enterprise_name = _text(
                "enterprise_name", "企业名称", draft.enterprise_name, MAX_ENTERPRISE, False
            )
        if draft.credit_code and str(draft.credit_code).strip():
            credit_code = validate_credit_code(draft.credit_code)
    return replace(
        draft,
        kind=kind,
        title=title,
        description=description,
        district=district,
        priority=priority,
        source=source,
        address=address,
        lon=lon,
        lat=lat,
        enterprise_name=enterprise_name or None,
        credit_code=credit_code,
        details=details,
    )


def validate_note(note: Any, field_name: str = "note", label_zh: str = "备注") -> str:
    return _text(field_name, label_zh, note, MAX_NOTE, required=True)
