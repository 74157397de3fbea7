"""Environmental emergencies (突发环境事件): type, affected area, reported figures, the level
they call for under the 2014 national plan, who leads the response, level decisions and the
coordination log.

Pure rules: no I/O. The desk keeps an emergency's detail in the case's ``details`` under
``"emergency"`` (``EmergencyDetail.to_json``) and the current level in
``details["emergency_level"]`` (the foundation's key), so the queue and every other part see
the level without knowing this module.

Boundary convention of the level thresholds (国家突发环境事件应急预案 2014, 附件1 last
paragraph: "上述分级标准有关数量的表述中，'以上'含本数，'以下'不含本数"): a lower bound is
inclusive, an upper bound exclusive. So 30 deaths is level Ⅰ, 29 is Ⅱ; 10 deaths is Ⅱ, 9 is Ⅲ;
3 is Ⅲ, 2 is Ⅳ. The same for every figure (100/50/10 poisoned or seriously injured; 50 000 /
10 000 / 5 000 evacuated; ¥100 M / 20 M / 5 M direct loss).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from dispatch_app.domain.cases import EmergencyLevel
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Permission, Role, require

DETAIL_KEY = "emergency"  # details["emergency"]: EmergencyDetail.to_json()
LEVEL_KEY = "emergency_level"  # the foundation's key for the current level


class EmergencyType(StrEnum):
    WATER_POLLUTION = "water_pollution"
    AIR_POLLUTION = "air_pollution"
    CHEMICAL_RELEASE = "chemical_release"
    ALGAE_BLOOM = "algae_bloom"  # 蓝藻水华 or 湖泛
    DRINKING_WATER_THREAT = "drinking_water_threat"
    OTHER = "other"

    @property
    def name_zh(self) -> str:
        return _TYPE_ZH[self]

    @property
    def name_en(self) -> str:
        return _TYPE_EN[self]


_TYPE_ZH = {
    EmergencyType.WATER_POLLUTION: "水污染事件",
    EmergencyType.AIR_POLLUTION: "大气污染事件",
    EmergencyType.CHEMICAL_RELEASE: "危险化学品泄漏",
    EmergencyType.ALGAE_BLOOM: "蓝藻水华/湖泛",
    EmergencyType.DRINKING_WATER_THREAT: "饮用水水源地威胁",
    EmergencyType.OTHER: "其他",
}
_TYPE_EN = {
    EmergencyType.WATER_POLLUTION: "Water pollution",
    EmergencyType.AIR_POLLUTION: "Air pollution",
    EmergencyType.CHEMICAL_RELEASE: "Chemical / hazardous-material release",
    EmergencyType.ALGAE_BLOOM: "Algae bloom / 湖泛",
    EmergencyType.DRINKING_WATER_THREAT: "Drinking-water source threat",
    EmergencyType.OTHER: "Other",
}

LEVEL_ZH = {
    EmergencyLevel.I: "Ⅰ级（特别重大）",
    EmergencyLevel.II: "Ⅱ级（重大）",
    EmergencyLevel.III: "Ⅲ级（较大）",
    EmergencyLevel.IV: "Ⅳ级（一般）",
}
LEVEL_EN = {
    EmergencyLevel.I: "Level I (especially grave)",
    EmergencyLevel.II: "Level II (grave)",
    EmergencyLevel.III: "Level III (major)",
    EmergencyLevel.IV: "Level IV (general)",
}
# Ⅰ is the most severe; a smaller rank is more severe.
_RANK = {EmergencyLevel.I: 1, EmergencyLevel.II: 2, EmergencyLevel.III: 3, EmergencyLevel.IV: 4}


def level_rank(level: EmergencyLevel) -> int:
    return _RANK[level]


class IntakeCut(StrEnum):
    """Which centralised drinking-water intake was cut off (集中式饮用水水源地取水中断)."""

    NONE = "none"
    TOWNSHIP = "township"  # 乡镇
    COUNTY = "county"  # 县级城市
    PREFECTURE = "prefecture"  # 设区的市级以上城市


class ResponseLead(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"

    @property
    def name_zh(self) -> str:
        return {"province": "省级", "city": "市级", "county": "县级"}[self.value]


def response_lead(level: EmergencyLevel) -> ResponseLead:
    """Who leads the response: Ⅰ–Ⅱ the province, Ⅲ the city, Ⅳ the county (REFERENCE §7)."""
    if level in (EmergencyLevel.I, EmergencyLevel.II):
        return ResponseLead.PROVINCE
    if level is EmergencyLevel.III:
        return ResponseLead.CITY
    return ResponseLead.COUNTY


# (figure, lower bounds for Ⅰ, Ⅱ, Ⅲ; inclusive). Below the Ⅲ bound a non-zero figure is Ⅳ.
THRESHOLDS: dict[str, tuple[int, int, int]] = {
    "deaths": (30, 10, 3),
    "poisoned_or_injured": (100, 50, 10),
    "evacuated": (50_000, 10_000, 5_000),
    "direct_loss_yuan": (100_000_000, 20_000_000, 5_000_000),
}
_FIGURE_ZH = {
    "deaths": ("死亡", "人"),
    "poisoned_or_injured": ("中毒或重伤", "人"),
    "evacuated": ("疏散转移", "人"),
    "direct_loss_yuan": ("直接经济损失", "元"),
}
_FIGURE_EN = {
    "deaths": ("deaths", ""),
    "poisoned_or_injured": ("poisoned or seriously injured", ""),
    "evacuated": ("evacuated", ""),
    "direct_loss_yuan": ("direct loss", " yuan"),
}
_INTAKE_LEVEL = {
    IntakeCut.PREFECTURE: EmergencyLevel.I,
    IntakeCut.COUNTY: EmergencyLevel.II,
    IntakeCut.TOWNSHIP: EmergencyLevel.III,
}
# Upper bound on any count: guards against a slipped key (a phone number typed as deaths).
MAX_COUNT = 10_000_000
MAX_LOSS_YUAN = 10**13


@dataclass(frozen=True)
class Figures:
    """What has been reported so far (figures only ever describe the whole event)."""

    deaths: int = 0
    poisoned_or_injured: int = 0
    evacuated: int = 0
    direct_loss_yuan: int = 0
    intake_cut: IntakeCut = IntakeCut.NONE

    def to_json(self) -> dict[str, Any]:
        return {
            "deaths": self.deaths,
            "poisoned_or_injured": self.poisoned_or_injured,
            "evacuated": self.evacuated,
            "direct_loss_yuan": self.direct_loss_yuan,
            "intake_cut": self.intake_cut.value,
        }


def _invalid(field_name: str, key: str, en: str, zh: str, **params: Any) -> ValidationError:
    return ValidationError(field_name, key, en, zh, **params)


def validate_figures(raw: Figures | dict[str, Any]) -> Figures:
    """Check every figure (whole, not negative, plausible) and return them as Figures."""
    data = raw.to_json() if isinstance(raw, Figures) else dict(raw)
    unknown = sorted(set(data) - set(THRESHOLDS) - {"intake_cut"})
    if unknown:
        raise _invalid(
            unknown[0],
            "error.unknown_figure",
            f"unknown figure {unknown[0]!r}",
            f"未知的数字项“{unknown[0]}”",
        )
    values: dict[str, int] = {}
    for name in THRESHOLDS:
        value = data.get(name, 0)
        limit = MAX_LOSS_YUAN if name == "direct_loss_yuan" else MAX_COUNT
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(
                name,
                "error.figure_not_whole",
                f"{name} must be a whole number, got {value!r}",
                f"“{_FIGURE_ZH[name][0]}”须为整数",
            )
        if value < 0 or value > limit:
            raise _invalid(
                name,
                "error.figure_out_of_range",
                f"{name} must be between 0 and {limit}, got {value}",
                f"“{_FIGURE_ZH[name][0]}”须在0到{limit}之间",
                value=value,
            )
        values[name] = value
    try:
        intake = IntakeCut(data.get("intake_cut", IntakeCut.NONE))
    except ValueError:
        raise _invalid(
            "intake_cut",
            "error.bad_intake_cut",
            f"intake_cut must be one of {[c.value for c in IntakeCut]}",
            "取水中断范围无效",
        ) from None
    return Figures(intake_cut=intake, **values)


@dataclass(frozen=True)
class LevelReason:
    """One figure that reaches a level, with its text for the officer."""

    figure: str
    value: int | str
    level: EmergencyLevel
    zh: str
    en: str


@dataclass(frozen=True)
class LevelProposal:
    level: EmergencyLevel
    reasons: tuple[LevelReason, ...]  # the figures that reach ``level`` (the decisive ones)
    all_reasons: tuple[LevelReason, ...]  # every non-zero figure and the level it alone calls for

    @property
    def lead(self) -> ResponseLead:
        return response_lead(self.level)


def _count_level(name: str, value: int) -> EmergencyLevel | None:
    i, ii, iii = THRESHOLDS[name]
    if value >= i:
        return EmergencyLevel.I
    if value >= ii:
        return EmergencyLevel.II
    if value >= iii:
        return EmergencyLevel.III
    if value > 0:
        return EmergencyLevel.IV
    return None


def propose_level(figures: Figures) -> LevelProposal:
    """The level the figures call for: the highest level any one figure reaches, with the
    figures that reach it. With nothing reported the event is Ⅳ (一般: it has an effect on
    the environment but reaches no higher level)."""
    figures = validate_figures(figures)
    reasons: list[LevelReason] = []
    for name in THRESHOLDS:
        value = getattr(figures, name)
        level = _count_level(name, value)
        if level is None:
            continue
        zh_name, zh_unit = _FIGURE_ZH[name]
        en_name, en_unit = _FIGURE_EN[name]
        reasons.append(
            LevelReason(
                name,
                value,
                level,
                f"{zh_name}{value}{zh_unit} → {LEVEL_ZH[level]}",
                f"{value}{en_unit} {en_name} → {LEVEL_EN[level]}",
            )
        )
    intake_level = _INTAKE_LEVEL.get(figures.intake_cut)
    if intake_level is not None:
        zh_scope = {"prefecture": "设区的市级城市", "county": "县级城市", "township": "乡镇"}
        reasons.append(
            LevelReason(
                "intake_cut",
                figures.intake_cut.value,
                intake_level,
                f"{zh_scope[figures.intake_cut.value]}集中式饮用水水源地取水中断 → "
                f"{LEVEL_ZH[intake_level]}",
                f"drinking-water intake cut off ({figures.intake_cut.value}) → "
                f"{LEVEL_EN[intake_level]}",
            )
        )
    if not reasons:
        return LevelProposal(EmergencyLevel.IV, (), ())
    top = min(reasons, key=lambda r: level_rank(r.level)).level
    return LevelProposal(top, tuple(r for r in reasons if r.level is top), tuple(reasons))


def figures_text_zh(figures: Figures) -> str:
    """The figures as an officer reads them aloud (zero figures left out)."""
    parts = []
    for name in THRESHOLDS:
        value = getattr(figures, name)
        if value:
            label, unit = _FIGURE_ZH[name]
            parts.append(f"{label}{value:,}{unit}")
    if figures.intake_cut is not IntakeCut.NONE:
        scope = {"prefecture": "设区的市级城市", "county": "县级城市", "township": "乡镇"}
        parts.append(f"{scope[figures.intake_cut.value]}饮用水水源地取水中断")
    return "，".join(parts) or "无人员伤亡及损失报告"


# --- the affected area --------------------------------------------------------------------

MAX_RADIUS_M = 200_000.0
MAX_POLYGON_POINTS = 2_000


def _check_point(lon: Any, lat: Any, where: str) -> tuple[float, float]:
    for name, value, low, high in (("lon", lon, -180.0, 180.0), ("lat", lat, -90.0, 90.0)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _invalid(
                "area",
                "error.area_point",
                f"{where}: {name} must be a number, got {value!r}",
                f"{where}：{'经度' if name == 'lon' else '纬度'}须为数字",
            )
        if not math.isfinite(value) or not low <= value <= high:
            raise _invalid(
                "area",
                "error.area_point",
                f"{where}: {name} {value} is outside {low}..{high}",
                f"{where}：{'经度' if name == 'lon' else '纬度'}{value}超出范围",
            )
    return float(lon), float(lat)


@dataclass(frozen=True)
class Circle:
    lon: float
    lat: float
    radius_m: float

    def to_json(self) -> dict[str, Any]:
        return {"shape": "circle", "lon": self.lon, "lat": self.lat, "radius_m": self.radius_m}

    def centre(self) -> tuple[float, float]:
        return self.lon, self.lat


@dataclass(frozen=True)
class Polygon:
    """A closed ring of (lon, lat) points; the first point is repeated at the end."""

    points: tuple[tuple[float, float], ...]

    def to_json(self) -> dict[str, Any]:
        return {"shape": "polygon", "points": [list(p) for p in self.points]}

    def centre(self) -> tuple[float, float]:
        ring = self.points[:-1]
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)

    def contains(self, lon: float, lat: float) -> bool:
        """Ray casting; good enough at city scale where the ring is small."""
        inside = False
        pts = self.points
        for (x1, y1), (x2, y2) in itertools.pairwise(pts):
            if (y1 > lat) != (y2 > lat):
                x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
                if lon < x:
                    inside = not inside
        return inside


Area = Circle | Polygon


def make_circle(lon: Any, lat: Any, radius_m: Any) -> Circle:
    lon_f, lat_f = _check_point(lon, lat, "circle centre")
    if (
        isinstance(radius_m, bool)
        or not isinstance(radius_m, int | float)
        or not math.isfinite(radius_m)
        or not 0 < radius_m <= MAX_RADIUS_M
    ):
        raise _invalid(
            "area",
            "error.area_radius",
            f"radius must be more than 0 and at most {MAX_RADIUS_M:.0f} m, got {radius_m!r}",
            f"半径须大于0且不超过{MAX_RADIUS_M / 1000:.0f}公里",
        )
    return Circle(lon_f, lat_f, float(radius_m))


def make_polygon(points: Any) -> Polygon:
    """Validate a ring; an open ring is closed. At least three distinct points."""
    if not isinstance(points, list | tuple):
        raise _invalid(
            "area", "error.area_polygon", "polygon points must be a list", "多边形格式错误"
        )
    if len(points) > MAX_POLYGON_POINTS:
        raise _invalid(
            "area",
            "error.area_polygon",
            f"polygon has {len(points)} points; at most {MAX_POLYGON_POINTS}",
            f"多边形顶点过多（最多{MAX_POLYGON_POINTS}个）",
        )
    ring: list[tuple[float, float]] = []
    for i, p in enumerate(points):
        if not isinstance(p, list | tuple) or len(p) != 2:
            raise _invalid(
                "area",
                "error.area_point",
                f"polygon point {i + 1} must be [lon, lat]",
                f"多边形第{i + 1}个点格式错误",
            )
        ring.append(_check_point(p[0], p[1], f"polygon point {i + 1}"))
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(set(ring)) < 3:
        raise _invalid(
            "area",
            "error.area_polygon",
            "a polygon needs at least three distinct points",
            "多边形至少需要三个不同的点",
        )
    return Polygon(tuple(ring))


def area_from_json(raw: Any) -> Area:
    if not isinstance(raw, dict):
        raise _invalid("area", "error.area_shape", "area must be an object", "影响范围格式错误")
    shape = raw.get("shape")
    if shape == "circle":
        return make_circle(raw.get("lon"), raw.get("lat"), raw.get("radius_m"))
    if shape == "polygon":
        return make_polygon(raw.get("points"))
    raise _invalid(
        "area",
        "error.area_shape",
        f"area shape must be 'circle' or 'polygon', got {shape!r}",
        "影响范围须为圆形或多边形",
    )


# --- level decisions ----------------------------------------------------------------------

MAX_REASON = 2_000


@dataclass(frozen=True)
class LevelDecision:
    """A level set by a shift leader: what the figures proposed, what was decided, and why."""

    level: EmergencyLevel
    proposed: EmergencyLevel
    previous: EmergencyLevel | None
    decided_by: str
    reason: str
    at: datetime

    @property
    def follows_proposal(self) -> bool:
        return self.level is self.proposed


def decide_level(
    *,
    level: EmergencyLevel | str,
    proposal: LevelProposal,
    previous: EmergencyLevel | None,
    role: Role,
    username: str,
    reason: str,
    at: datetime,
) -> LevelDecision:
    """Check a level decision. Only a shift leader (or higher) decides; a reason is required
    unless the leader confirms the proposal for an emergency that has no level yet: departing
    from the figures, or changing a level already set, must say why."""
    require(role, Permission.SET_EMERGENCY_LEVEL)
    try:
        chosen = EmergencyLevel(level)
    except ValueError:
        raise _invalid(
            "level", "error.bad_level", f"unknown level {level!r}", "事件级别无效"
        ) from None
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise _invalid(
            "reason",
            "error.field_too_long",
            f"reason is {len(text)} characters; at most {MAX_REASON}",
            f"理由过长（最多{MAX_REASON}字）",
        )
    if chosen is previous:
        raise _invalid(
            "level",
            "error.level_unchanged",
            f"the emergency is already {LEVEL_EN[chosen]}",
            f"事件已是{LEVEL_ZH[chosen]}",
        )
    needs_reason = chosen is not proposal.level or previous is not None
    if needs_reason and not text:
        raise _invalid(
            "reason",
            "error.level_reason_required",
            "a reason is required to change the level or depart from the proposed level",
            "调整级别或不采用建议级别须填写理由",
        )
    if at.tzinfo is None:
        raise ValueError("decision time must be aware")
    return LevelDecision(chosen, proposal.level, previous, username, text, at.astimezone(UTC))


# --- the emergency's detail on the case -----------------------------------------------------


@dataclass(frozen=True)
class EmergencyDetail:
    type: EmergencyType
    area: Area | None = None
    figures: Figures = field(default_factory=Figures)
    affected_stations: tuple[str, ...] = ()
    exercise: bool = False  # a drill: kept apart from real figures, CAP status Exercise
    wind_from_deg: float | None = None  # for air events: where the wind comes from

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "area": None if self.area is None else self.area.to_json(),
            "figures": self.figures.to_json(),
            "affected_stations": list(self.affected_stations),
            "exercise": self.exercise,
            "wind_from_deg": self.wind_from_deg,
        }


def validate_wind(value: Any) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= 360
    ):
        raise _invalid(
            "wind_from_deg",
            "error.bad_wind",
            f"wind direction must be 0..360 degrees, got {value!r}",
            "风向须在0到360度之间",
        )
    return float(value) % 360.0


def validate_station_ids(ids: Any, known: set[str] | None = None) -> tuple[str, ...]:
    if not isinstance(ids, list | tuple) or not all(isinstance(i, str) for i in ids):
        raise _invalid(
            "affected_stations",
            "error.station_ids",
            "affected stations must be a list of station ids",
            "受影响站点格式错误",
        )
    if known is not None:
        missing = [i for i in ids if i not in known]
        if missing:
            raise _invalid(
                "affected_stations",
                "error.unknown_station",
                f"unknown station {missing[0]!r}",
                f"未知站点“{missing[0]}”",
            )
    return tuple(dict.fromkeys(ids))


def emergency_type(value: Any) -> EmergencyType:
    try:
        return EmergencyType(value)
    except ValueError:
        raise _invalid(
            "type",
            "error.bad_emergency_type",
            f"unknown emergency type {value!r}; one of {[t.value for t in EmergencyType]}",
            "事件类型无效",
        ) from None


def detail_from_json(raw: Any) -> EmergencyDetail:
    """Read (and re-validate) the detail stored on a case."""
    if not isinstance(raw, dict):
        raise _invalid("details", "error.not_an_emergency", "no emergency detail", "缺少事件详情")
    area_raw = raw.get("area")
    return EmergencyDetail(
        type=emergency_type(raw.get("type")),
        area=None if area_raw is None else area_from_json(area_raw),
        figures=validate_figures(raw.get("figures") or {}),
        affected_stations=validate_station_ids(raw.get("affected_stations") or []),
        exercise=bool(raw.get("exercise", False)),
        wind_from_deg=validate_wind(raw.get("wind_from_deg")),
    )


# --- the coordination log (ICS-214 activity log) ---------------------------------------------


class LogKind(StrEnum):
    CALL = "call"
    DECISION = "decision"
    DISPATCH = "dispatch"
    READING = "reading"  # a data reading
    NOTE = "note"
    SYSTEM = "system"  # written by the desk itself: level set, plan activated, step done

    @property
    def name_zh(self) -> str:
        return {
            "call": "电话",
            "decision": "决策",
            "dispatch": "调度",
            "reading": "数据",
            "note": "记录",
            "system": "系统",
        }[self.value]


# Keyboard-fast entry: a line typed as "/c 市政府来电…" is a call, "/d" a decision, and so on.
LOG_PREFIXES = {
    "/c": LogKind.CALL,
    "/d": LogKind.DECISION,
    "/s": LogKind.DISPATCH,
    "/r": LogKind.READING,
    "/n": LogKind.NOTE,
}
MAX_LOG_TEXT = 4_000


def parse_log_line(line: str, default: LogKind = LogKind.NOTE) -> tuple[LogKind, str]:
    """Split a typed log line into its kind and text ("/d 启动预案" → decision)."""
    text = line.strip()
    head, _, rest = text.partition(" ")
    kind = LOG_PREFIXES.get(head.lower())
    if kind is not None:
        text = rest.strip()
        return kind, validate_log_text(text)
    return default, validate_log_text(text)


def validate_log_text(text: str) -> str:
    clean = (text or "").strip()
    if not clean:
        raise _invalid(
            "text", "error.log_text_required", "the log entry is empty", "记录内容不能为空"
        )
    if len(clean) > MAX_LOG_TEXT:
        raise _invalid(
            "text",
            "error.field_too_long",
            f"log entry is {len(clean)} characters; at most {MAX_LOG_TEXT}",
            f"记录过长（最多{MAX_LOG_TEXT}字）",
        )
    return clean
