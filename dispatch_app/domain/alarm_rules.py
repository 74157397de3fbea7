"""Alarm rules: what fires an alarm on monitoring data, read from and written to TOML.

The rules live in resources/rules/alarms.toml and an administrator edits them in the desk, so
they are data, validated here with errors that name the rule and the field
(``AlarmRuleError``). This module is pure: ``parse_rules`` takes the file's text and
``dump_rules`` returns it; reading and writing the file (atomically, checking ``revision``
against concurrent edits) is the desk's job.

Six rule types (``RuleType``) and their ``params``:

``aqi_level``    ``level`` 1–6: the hourly (real-time) AQI of a station is at or above the
                 lowest AQI of that level. Measure: AQI. Deadband in AQI points.
``limit``        ``pollutant``, ``period`` ("1h", "8h" O3 only, "day"): the rolling average
                 is above its GB 3095—2026 class 2 limit. Measure: concentration. Deadband in
                 the pollutant's unit.
``water_class``  ``max_age_minutes`` (default 480): a section's class (GB 3838, single factor
                 over its latest valid values) is worse than its target class. Measure: grade.
                 Deadband in whole classes.
``sudden_rise``  ``parameter``, ``rise`` (fraction: 0.5 = +50 %), ``window_minutes``
                 (default 60), ``min_increase`` (absolute, default 0): the latest value is
                 ``rise`` above the lowest value of the window. Measure: the rise fraction.
``silent``       ``minutes``: no data from the station for longer than that. Measure: minutes.
``fault_flag``   ``flags`` (default ["D"]), ``minutes``: a parameter's latest flag is one of
                 ``flags`` and has been for at least ``minutes``. Measure: minutes.

Common fields: ``id``, ``name_zh``, ``name_en``, ``type``, ``station_kinds``, ``priority``
(high/medium/low), ``count`` (delay filter: the condition must hold for that many consecutive
samples before the alarm fires), ``deadband`` (hysteresis: an active alarm clears only when the
measure falls past the threshold by more than this), ``open_case`` (an activation opens a
quality case automatically; defaults to true for high priority), ``enabled``.

Evaluation (``AlarmEngine``): the feed pushes observations (``observe``/``observe_many``), the
desk calls ``evaluate(now)`` and passes the ``AlarmCondition`` list to the lifecycle in
``alarms``. How the data is read:

* Only values flagged "N" enter averages and classifications; other flags (M, C, D …) still
  show the station is alive and feed the fault rule.
* The hourly average is the mean of the valid samples of the 60 minutes ending at the
  station's latest sample, with at least 75 % of the expected samples (HJ 663: 45 minutes;
  from the station's ``interval_s``). 8-hour and 24-hour averages are means of clock-hour
  means with at least 6 of 8 and 20 of 24 valid hours. A desk that starts cold can backfill the
  last day from the data service so these windows fill at once.
* The hourly AQI follows the HJ 633 version of ``now``'s date; under HJ 633—2012 the PM IAQI
  uses the 24-hour average, as that version prescribes.
* Late data (a logger's buffer after an outage) is placed at its time; a sample sent twice
  counts once. ``now`` must be on the data's clock.
* The delay filter counts samples: a pair takes a new sample when its data changed (or, for
  the time-driven silent and fault rules, at every evaluation), never merely because
  ``evaluate`` ran again.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, NamedTuple

from dispatch_app.domain.errors import ValidationError
from dispatch_app.network.registry import STATION_KINDS, WATERBODIES, Station
from dispatch_app.standards import gb3095, water
from dispatch_app.standards.aqi import standard_for
from dispatch_app.standards.aqi_batch import MISSING, hourly_aqi_row
from dispatch_app.standards.aqi_tables import HJ633_2012, POLLUTANTS, aqi_level, level_by_number
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.standards.rounding import resolution, round_concentration, round_units
from dispatch_app.standards.validity import (
    DAY_MIN_VALID_HOURS,
    EIGHT_HOUR_MIN_VALID_HOURS,
    HOUR_COVERAGE,
)


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for high: sorts the most urgent first."""
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


class RuleType(StrEnum):
    AQI_LEVEL = "aqi_level"
    LIMIT = "limit"
    WATER_CLASS = "water_class"
    SUDDEN_RISE = "sudden_rise"
    SILENT = "silent"
    FAULT_FLAG = "fault_flag"


class AlarmRuleError(ValidationError, ValueError):
    """A rule (or the rules file) is invalid; ``rule_id`` and ``field`` say where."""

    def __init__(self, rule_id: str | None, field: str | None, problem_en: str, problem_zh: str):
        where_en = f"rule {rule_id!r}" if rule_id else "rules file"
        where_zh = f"规则 {rule_id}" if rule_id else "规则文件"
        if field:
            where_en += f", field {field!r}"
            where_zh += f" 字段 {field}"
        super().__init__(
            field or "",
            "alarm_rule.invalid",
            f"{where_en}: {problem_en}",
            f"{where_zh}：{problem_zh}",
            rule_id=rule_id,
        )
        self.rule_id = rule_id


@dataclass(frozen=True)
class AlarmRule:
    """One validated rule. ``params`` holds the type's parameters with defaults filled in."""

    id: str
    name_zh: str
    name_en: str
    type: RuleType
    station_kinds: tuple[str, ...]
    priority: Priority
    params: Mapping[str, Any] = field(default_factory=dict)
    count: int = 1
    deadband: float = 0.0
    open_case: bool = False
    enabled: bool = True

    def applies_to(self, kind: str) -> bool:
        return self.enabled and kind in self.station_kinds


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file. ``revision`` grows with every saved edit, so the desk can refuse
    to save over a file another workstation changed meanwhile."""

    rules: tuple[AlarmRule, ...]
    revision: int = 1

    def by_id(self, rule_id: str) -> AlarmRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_COMMON_FIELDS = (
    "id",
    "name_zh",
    "name_en",
    "type",
    "station_kinds",
    "priority",
    "count",
    "deadband",
    "open_case",
    "enabled",
    "params",
)
#: Parameters per type: name → (default or _REQUIRED).
_REQUIRED: Final = object()
_PARAMS: Final[dict[RuleType, dict[str, Any]]] = {
    RuleType.AQI_LEVEL: {"level": _REQUIRED},
    RuleType.LIMIT: {"pollutant": _REQUIRED, "period": _REQUIRED},
    RuleType.WATER_CLASS: {"max_age_minutes": 480},
    RuleType.SUDDEN_RISE: {
        "parameter": _REQUIRED,
        "rise": _REQUIRED,
        "window_minutes": 60,
        "min_increase": 0.0,
    },
    RuleType.SILENT: {"minutes": _REQUIRED},
    RuleType.FAULT_FLAG: {"flags": ["D"], "minutes": _REQUIRED},
}
_FLAGS = frozenset("NFMSDCTB")  # HJ 212—2017 data flags


def validate_rule(raw: Mapping[str, Any]) -> AlarmRule:
    """Build one rule from its TOML table, refusing anything unclear."""
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        shown = rule_id if isinstance(rule_id, str) else None
        raise AlarmRuleError(
            shown,
            "id",
            f"must be lower-case letters, digits, '-', '_' or '.' (≤ 64), got {rule_id!r}",
            f"须为小写字母、数字、-、_ 或 .（不超过 64 个），实际为 {rule_id!r}",
        )

    def fail(field_name: str, en: str, zh: str) -> AlarmRuleError:
        return AlarmRuleError(rule_id, field_name, en, zh)

    unknown = sorted(set(raw) - set(_COMMON_FIELDS))
    if unknown:
        raise fail(unknown[0], f"unknown field (known: {', '.join(_COMMON_FIELDS)})", "未知字段")
    names = {}
    for key in ("name_zh", "name_en"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(key, "a non-empty name is required", "名称不能为空")
        names[key] = value.strip()
    try:
        rule_type = RuleType(str(raw.get("type")))
    except ValueError:
        raise fail(
            "type",
            f"unknown type {raw.get('type')!r}; expected one of {[t.value for t in RuleType]}",
            f"未知规则类型 {raw.get('type')!r}",
        ) from None
    kinds = raw.get("station_kinds")
    if (
        not isinstance(kinds, list)
        or not kinds
        or not all(isinstance(k, str) and k in STATION_KINDS for k in kinds)
    ):
        raise fail(
            "station_kinds",
            f"a non-empty list of station kinds {STATION_KINDS}, got {kinds!r}",
            f"须为站点类型列表 {STATION_KINDS}",
        )
    if len(set(kinds)) != len(kinds):
        raise fail("station_kinds", "a station kind is listed twice", "站点类型重复")
    try:
        priority = Priority(str(raw.get("priority")))
    except ValueError:
        raise fail(
            "priority",
            f"must be high, medium or low, got {raw.get('priority')!r}",
            "须为 high、medium 或 low",
        ) from None
    count = raw.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
        raise fail("count", f"an integer 1–1000, got {count!r}", "须为 1–1000 的整数")
    deadband = raw.get("deadband", 0.0)
    if (
        isinstance(deadband, bool)
        or not isinstance(deadband, int | float)
        or not math.isfinite(deadband)
        or deadband < 0
    ):
        raise fail("deadband", f"a number ≥ 0, got {deadband!r}", "须为不小于 0 的数")
    open_case = raw.get("open_case", priority is Priority.HIGH)
    enabled = raw.get("enabled", True)
    for key, value in (("open_case", open_case), ("enabled", enabled)):
        if not isinstance(value, bool):
            raise fail(key, f"true or false, got {value!r}", "须为 true 或 false")
    params = _validate_params(rule_id, rule_type, raw.get("params", {}), kinds)
    return AlarmRule(
        id=rule_id,
        name_zh=names["name_zh"],
        name_en=names["name_en"],
        type=rule_type,
        station_kinds=tuple(kinds),
        priority=priority,
        params=params,
        count=count,
        deadband=float(deadband),
        open_case=open_case,
        enabled=enabled,
    )


def _validate_params(
    rule_id: str, rule_type: RuleType, raw: Any, kinds: list[str]
) -> dict[str, Any]:
    def fail(name: str, en: str, zh: str) -> AlarmRuleError:
        return AlarmRuleError(rule_id, f"params.{name}", en, zh)

    if not isinstance(raw, Mapping):
        raise AlarmRuleError(rule_id, "params", "must be a table", "须为表")
    spec = _PARAMS[rule_type]
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        raise fail(
            unknown[0], f"not a parameter of {rule_type.value} (known: {sorted(spec)})", "未知参数"
        )
    params: dict[str, Any] = {}
    for name, default in spec.items():
        if name in raw:
            params[name] = raw[name]
        elif default is _REQUIRED:
            raise fail(name, f"required for {rule_type.value}", "必填")
        else:
            params[name] = list(default) if isinstance(default, list) else default

    def number(name: str, low: float, high: float, *, integer: bool = False) -> None:
        value = params[name]
        ok = not isinstance(value, bool) and isinstance(value, int if integer else int | float)
        if not ok or not math.isfinite(value) or not low <= value <= high:
            kind = "an integer" if integer else "a number"
            raise fail(name, f"{kind} in {low}–{high}, got {value!r}", f"须在 {low}–{high} 之间")
        if not integer:
            params[name] = float(value)

    air_only = all(k.startswith("air_") for k in kinds)
    water_only = all(k.startswith("water_") for k in kinds)
    if rule_type is RuleType.AQI_LEVEL:
        number("level", 1, 6, integer=True)
        if not air_only:
            raise AlarmRuleError(
                rule_id, "station_kinds", "AQI applies to air stations only", "AQI 仅适用于空气站"
            )
    elif rule_type is RuleType.LIMIT:
        pollutant, period = params["pollutant"], params["period"]
        if pollutant not in POLLUTANTS:
            raise fail("pollutant", f"one of {POLLUTANTS}, got {pollutant!r}", "未知污染物")
        if period not in ("1h", "8h", "day"):
            raise fail("period", f"'1h', '8h' or 'day', got {period!r}", "须为 1h、8h 或 day")
        if not gb3095.has_limit(pollutant, period):
            raise fail(
                "period",
                f"GB 3095—2026 sets no {period} limit for {pollutant}",
                f"GB 3095—2026 未规定 {pollutant} 的 {period} 限值",
            )
        if not air_only:
            raise AlarmRuleError(
                rule_id,
                "station_kinds",
                "GB 3095 applies to air stations only",
                "GB 3095 仅适用于空气站",
            )
    elif rule_type is RuleType.WATER_CLASS:
        number("max_age_minutes", 1, 10080, integer=True)
        if not water_only:
            raise AlarmRuleError(
                rule_id,
                "station_kinds",
                "water classes apply to water sections only",
                "水质类别仅适用于水质断面",
            )
    elif rule_type is RuleType.SUDDEN_RISE:
        if not isinstance(params["parameter"], str) or not params["parameter"]:
            raise fail("parameter", "a parameter key such as 'PM2.5'", "须为监测项目代码")
        number("rise", 0.01, 100)
        number("window_minutes", 1, 1440, integer=True)
        number("min_increase", 0, 1e9)
    elif rule_type is RuleType.SILENT:
        number("minutes", 1, 10080, integer=True)
    elif rule_type is RuleType.FAULT_FLAG:
        flags = params["flags"]
        if (
            not isinstance(flags, list)
            or not flags
            or not all(isinstance(f, str) and f in _FLAGS - {"N"} for f in flags)
        ):
            raise fail(
                "flags",
                f"a non-empty list of HJ 212 flags from {sorted(_FLAGS - {'N'})}, got {flags!r}",
                "须为 HJ 212 数据标记列表",
            )
        params["flags"] = list(dict.fromkeys(flags))
        number("minutes", 0, 10080, integer=True)
    return params


def parse_rules(text: str, source: str = "alarms.toml") -> RuleSet:
    """Read a rules file's text. Raises ``AlarmRuleError`` naming the rule and field."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AlarmRuleError(
            None, None, f"{source} is not valid TOML: {exc}", f"{source} 不是有效的 TOML：{exc}"
        ) from None
    unknown = sorted(set(doc) - {"revision", "rule"})
    if unknown:
        raise AlarmRuleError(
            None,
            unknown[0],
            "unknown top-level key (expected 'revision' and [[rule]] tables)",
            "未知的顶层键",
        )
    revision = doc.get("revision", 1)
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise AlarmRuleError(
            None, "revision", f"a positive integer, got {revision!r}", "须为正整数"
        )
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list):
        raise AlarmRuleError(None, "rule", "rules are [[rule]] tables", "规则须写成 [[rule]] 表")
    rules: list[AlarmRule] = []
    seen: set[str] = set()
    for raw in raw_rules:
        rule = validate_rule(raw)
        if rule.id in seen:
            raise AlarmRuleError(rule.id, "id", "the same id is used by two rules", "规则编号重复")
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(tuple(rules), revision)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} to TOML")


HEADER: Final = """\
# Alarm rules of the dispatch desk (see dispatch_app/domain/alarm_rules.py for every field).
# Edited in the desk by an administrator; `revision` grows with each saved edit.
"""


def dump_rules(rule_set: RuleSet, header: str = HEADER) -> str:
    """The TOML text of a rule set; ``parse_rules(dump_rules(s)) == s``."""
    lines = [header.rstrip("\n"), "", f"revision = {rule_set.revision}"]
    for rule in rule_set.rules:
        lines += [
            "",
            "[[rule]]",
            f"id = {_toml_value(rule.id)}",
            f"name_zh = {_toml_value(rule.name_zh)}",
            f"name_en = {_toml_value(rule.name_en)}",
            f"type = {_toml_value(rule.type.value)}",
            f"station_kinds = {_toml_value(list(rule.station_kinds))}",
            f"priority = {_toml_value(rule.priority.value)}",
            f"count = {rule.count}",
            f"deadband = {_toml_value(rule.deadband)}",
            f"open_case = {_toml_value(rule.open_case)}",
            f"enabled = {_toml_value(rule.enabled)}",
            f"params = {_toml_value(dict(rule.params))}",
        ]
    return "\n".join(lines) + "\n"


# --- evaluation ---------------------------------------------------------------------------
#
# The engine keeps, per station and parameter, the small windows the rules need: the valid
# samples of the last hour (or of the longest rise window), hourly buckets for 8 h and 24 h
# averages, the latest value and flag, and since when that flag has been set. Samples with a
# flag other than "N" or without a value never enter an average: they still count as the
# station being alive. Times are handled as POSIX seconds internally.

HOUR_S: Final = 3600.0
_BUCKETS_KEPT: Final = 26
_RESYNC: Final = 256


class Observation(NamedTuple):
    """One value as the feed delivers it (contracts: /latest and /updates items)."""

    station_id: str
    parameter: str
    time: datetime
    value: float | None
    flag: str = "N"


@dataclass(frozen=True)
class StationInfo:
    """What the rules need to know about a station (network.registry.Station): a narrower view
    on purpose, since the engine keeps one per station for as long as it runs and the rules
    may depend on nothing else; drills and tests give it entries with only these fields."""

    id: str
    kind: str
    district: str | None = None
    target_class: int | None = None
    waterbody: str | None = None
    interval_s: int = 60
    name: str = ""

    @classmethod
    def of(cls, station: Station) -> StationInfo:
        return cls(
            id=station.id,
            kind=station.kind,
            district=station.district,
            target_class=station.target_class,
            waterbody=station.waterbody,
            interval_s=station.interval_s,
            name=station.name,
        ).checked()

    @classmethod
    def from_registry(cls, entry: Mapping[str, Any]) -> StationInfo:
        """From one entry of resources/stations.json or GET /api/v1/stations."""
        try:
            station = cls(
                id=str(entry["id"]),
                kind=str(entry["kind"]),
                district=entry.get("district"),
                target_class=entry.get("target_class"),
                waterbody=entry.get("waterbody"),
                interval_s=int(entry.get("interval_s") or 60),
                name=str(entry.get("name") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"station registry entry {entry.get('id')!r} is incomplete: {exc}"
            ) from None
        return station.checked()

    def checked(self) -> StationInfo:
        if self.kind not in STATION_KINDS:
            raise ValueError(f"station {self.id!r}: unknown kind {self.kind!r}")
        if self.interval_s <= 0:
            raise ValueError(f"station {self.id!r}: interval_s must be positive")
        if self.kind.startswith("water_"):
            if self.target_class is not None and self.target_class not in (1, 2, 3, 4, 5):
                raise ValueError(f"station {self.id!r}: target_class must be 1–5")
            if self.waterbody is not None and self.waterbody not in WATERBODIES:
                raise ValueError(f"station {self.id!r}: unknown waterbody {self.waterbody!r}")
        return self


def stations_from_registry(doc: Mapping[str, Any]) -> tuple[StationInfo, ...]:
    """All stations of a registry document ({"stations": [...]})."""
    entries = doc.get("stations")
    if not isinstance(entries, list):
        raise ValueError("a station registry is an object with a 'stations' list")
    return tuple(StationInfo.from_registry(e) for e in entries)


class Evidence(NamedTuple):
    """A datum behind a condition, as the case will show it ("the data that triggered it")."""

    parameter: str
    time: datetime
    value: float | None
    flag: str
    basis: str  # "latest", "1h average", "8h average", "24h average", "window minimum", "IAQI"…


@dataclass(frozen=True)
class AlarmCondition:
    """A rule's verdict on one station: in alarm (``active``) or, once, back to normal.

    ``value`` is the rule's measure (AQI, concentration, grade, rise fraction, minutes) and
    ``threshold`` what it is compared with; ``time`` is the time of the data it rests on.
    """

    rule_id: str
    station_id: str
    active: bool
    priority: Priority
    open_case: bool
    value: float | None
    threshold: float
    time: datetime
    evidence: tuple[Evidence, ...]
    message_zh: str
    message_en: str
    exercise: str = ""  # the drill's tag when a drill raised it ("" for the real network)

    @property
    def key(self) -> str:
        return alarm_key(self.rule_id, self.station_id, self.exercise)


def alarm_key(rule_id: str, station_id: str, exercise: str = "") -> str:
    """The one identity of an alarm: one per rule and station, and apart for each drill (a
    drill's alarm on a station never merges with that station's real alarm)."""
    return f"{exercise}/{rule_id}@{station_id}" if exercise else f"{rule_id}@{station_id}"


def _ts(time: datetime, what: str = "time") -> float:
    if not isinstance(time, datetime):
        raise ValueError(f"{what} must be a datetime, got {time!r}")
    if time.tzinfo is None or time.utcoffset() is None:
        raise ValueError(f"{what} must carry its UTC offset, got naive {time.isoformat()}")
    return time.timestamp()


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class _Series:
    """Windows of one station parameter."""

    __slots__ = (
        "buckets",
        "flag_since",
        "h_adds",
        "h_comp",
        "h_dirty",
        "h_start",
        "h_sum",
        "inserts",
        "last_flag",
        "last_time",
        "last_value",
        "m_cache",
        "revision",
        "times",
        "valid_time",
        "valid_value",
        "values",
    )

    def __init__(self) -> None:
        self.times: list[float] = []
        self.values: list[float] = []
        self.buckets: dict[int, list[float]] = {}
        self.last_time = -math.inf
        self.last_value: float | None = None
        self.last_flag = "N"
        self.flag_since = -math.inf
        self.valid_time = -math.inf  # time of the latest valid (flag N) value
        self.valid_value: float | None = None
        self.revision = 0  # grows with every change to the windows
        # Running (Neumaier-compensated) sum of the hour window values[h_start:], so the hourly
        # average costs O(1) per new sample; re-summed exactly (fsum) after late data, list
        # trims and every _RESYNC additions, so rounding error cannot build up.
        self.h_start = 0
        self.h_sum = 0.0
        self.h_comp = 0.0
        self.h_dirty = True
        self.h_adds = 0
        self.inserts = 0  # late samples placed before the end: invalidates running results
        self.m_cache: tuple[float, int, float, float, float] | None = None

    def add(self, ts: float, value: float | None, flag: str, keep_s: float) -> None:
        if ts >= self.last_time:
            if flag != self.last_flag or self.last_time == -math.inf:
                self.flag_since = ts
            self.last_time, self.last_value, self.last_flag = ts, value, flag
        if value is None or flag != "N":
            return
        if ts >= self.valid_time:
            self.valid_time, self.valid_value = ts, value
        if self.times and ts <= self.times[-1]:
            i = bisect.bisect_left(self.times, ts)
            if i < len(self.times) and self.times[i] == ts:
                return  # the same sample again (a resend): counted once
            self.times.insert(i, ts)
            self.values.insert(i, value)
            self.h_dirty = True
            self.inserts += 1
        else:
            self.times.append(ts)
            self.values.append(value)
            if not self.h_dirty:
                self._accumulate(value)
                self.h_adds += 1
                start, times, low = self.h_start, self.times, ts - HOUR_S
                while times[start] <= low:
                    self._accumulate(-self.values[start])
                    start += 1
                self.h_start = start
                if self.h_adds >= _RESYNC:
                    self.h_dirty = True
        self.revision += 1
        cut = bisect.bisect_right(self.times, self.times[-1] - keep_s)
        if cut:
            del self.times[:cut]
            del self.values[:cut]
            self.h_start = max(0, self.h_start - cut)
        hour = int(ts // HOUR_S)
        bucket = self.buckets.get(hour)
        if bucket is None:
            self.buckets[hour] = [value, 1.0]
            if len(self.buckets) > _BUCKETS_KEPT:
                for old in sorted(self.buckets)[: len(self.buckets) - _BUCKETS_KEPT]:
                    del self.buckets[old]
        else:
            bucket[0] += value
            bucket[1] += 1.0

    def _accumulate(self, x: float) -> None:
        total = self.h_sum + x
        if abs(self.h_sum) >= abs(x):
            self.h_comp += (self.h_sum - total) + x
        else:
            self.h_comp += (x - total) + self.h_sum
        self.h_sum = total

    def hour_average(self, needed: int) -> tuple[float, float] | None:
        """(mean of the valid samples of the 60 minutes ending at the latest one, its time);
        None below ``needed`` samples."""
        if not self.times:
            return None
        end = self.times[-1]
        if self.h_dirty:
            self.h_start = bisect.bisect_right(self.times, end - HOUR_S)
            self.h_sum = math.fsum(self.values[self.h_start :])
            self.h_comp = 0.0
            self.h_adds = 0
            self.h_dirty = False
        n = len(self.times) - self.h_start
        if n < needed:
            return None
        return (self.h_sum + self.h_comp) / n, end

    def hours_average(
        self, hours: int, needed_hours: int, per_hour: int
    ) -> tuple[float, float] | None:
        """Mean of the hourly means of the last ``hours`` clock hours (current one included)."""
        if not self.times:
            return None
        end = self.times[-1]
        current = int(end // HOUR_S)
        means = [
            b[0] / b[1]
            for h in range(current - hours + 1, current + 1)
            if (b := self.buckets.get(h)) is not None and b[1] >= per_hour
        ]
        if len(means) < needed_hours:
            return None
        return math.fsum(means) / len(means), end

    def window_minimum(self, window_s: float) -> tuple[float, float] | None:
        """(lowest valid value of the window ending at the latest sample, its time).

        Kept from one call to the next: new samples at the end only lower it, so a full scan is
        needed only when the minimum leaves the window or late data arrived."""
        times = self.times
        if not times:
            return None
        start = bisect.bisect_right(times, times[-1] - window_s)  # (end − window, end]
        cache = self.m_cache
        if (
            cache is not None
            and cache[0] == window_s
            and cache[1] == self.inserts
            and cache[3] >= times[start]
        ):
            low, low_time = cache[2], cache[3]
            j = bisect.bisect_right(times, cache[4])
            if j < len(times):
                tail = self.values[j:]
                tail_low = min(tail)
                if tail_low < low:
                    low, low_time = tail_low, times[j + tail.index(tail_low)]
        else:
            window = self.values[start:]
            low = min(window)
            low_time = times[start + window.index(low)]
        self.m_cache = (window_s, self.inserts, low, low_time, times[-1])
        return low, low_time


class _Station:
    __slots__ = ("faults", "info", "last_seen", "per_hour", "revision", "series", "watched_from")

    def __init__(self, info: StationInfo, watched_from: float | None = None) -> None:
        self.info = info
        self.series: dict[str, _Series] = {}
        self.last_seen = -math.inf
        # Silence of a station never heard counts from here (None: the engine's start).
        self.watched_from = watched_from
        self.revision = 0
        self.per_hour = max(1, math.ceil(HOUR_COVERAGE * HOUR_S / info.interval_s))
        self.faults: dict[str, tuple[str, float]] = {}  # parameter → (flag, since)


class _Pair:
    """Filter state of one rule at one station."""

    __slots__ = ("condition", "consecutive", "last_key", "on")

    def __init__(self, on: bool = False) -> None:
        self.on = on
        self.consecutive = 0
        self.last_key = -math.inf
        self.condition: AlarmCondition | None = None


_Explain = Callable[[], tuple[tuple[Evidence, ...], str, str]]
#: (measure, time of the data it rests on, explanation built only when a condition is made)
_Measure = tuple[float, float, _Explain]


class AlarmEngine:
    """Evaluates the rules over the latest data of the network; pure and single-threaded.

    Feed it with ``observe``/``observe_many`` in any order (late data is placed in time), then
    call ``evaluate(now)``. ``now`` must be on the data's clock (the data service's simulated
    time when it runs a drill at speed). ``active`` restores which (rule, station) pairs were
    in alarm when the desk last stopped, so their clearing is reported after a restart.
    """

    def __init__(
        self,
        rules: RuleSet | Iterable[AlarmRule],
        stations: Iterable[StationInfo],
        *,
        active: Iterable[tuple[str, str]] = (),
        started: datetime | None = None,
    ) -> None:
        self._stations: dict[str, _Station] = {}
        for info in stations:
            if info.id in self._stations:
                raise ValueError(f"station {info.id!r} is listed twice")
            self._stations[info.id] = _Station(info.checked())
        self._pairs: dict[tuple[str, str], _Pair] = {
            (rule_id, station_id): _Pair(on=True) for rule_id, station_id in active
        }
        self._now_date = _dt(0.0)  # the date limits are chosen by; set by each evaluate(now)
        self._started = _ts(started, "started") if started is not None else None
        self._aqi_cache: dict[str, tuple[int, tuple[int, float, _Explain] | None]] = {}
        self._aqi_standard = ""
        self.set_rules(rules)

    # configuration --------------------------------------------------------------------------

    def set_rules(self, rules: RuleSet | Iterable[AlarmRule]) -> None:
        """Replace the rule set (an administrator saved an edit). Filter state of rules that
        keep their id is kept, so an active alarm is not re-raised by the edit; an edited rule
        re-judges the current data at the next evaluation (it may clear or hold)."""
        rule_list = tuple(rules.rules if isinstance(rules, RuleSet) else rules)
        ids = [r.id for r in rule_list]
        if len(set(ids)) != len(ids):
            raise ValueError("two rules share an id")
        before = {r.id: r for r in getattr(self, "_rules", ())}
        self._rules = rule_list
        old, self._pairs = self._pairs, {}
        self._targets: list[tuple[AlarmRule, list[tuple[_Station, _Pair]]]] = []
        for rule in rule_list:
            if not rule.enabled:
                continue
            targets = []
            for s in self._stations.values():
                if rule.applies_to(s.info.kind):
                    key = (rule.id, s.info.id)
                    pair = self._pairs[key] = old.get(key) or _Pair()
                    if rule.id in before and before[rule.id] != rule:
                        # Edited rule: judge the current data again under its new terms.
                        pair.last_key = -math.inf
                        pair.consecutive = 0
                    targets.append((s, pair))
            self._targets.append((rule, targets))
        self._aqi_cache.clear()
        keep_s = HOUR_S
        for rule in rule_list:
            if rule.type is RuleType.SUDDEN_RISE:
                keep_s = max(keep_s, rule.params["window_minutes"] * 60.0)
        self._keep_s = keep_s

    def set_stations(
        self,
        stations: Iterable[StationInfo],
        *,
        active: Iterable[tuple[str, str]] = (),
        now: datetime | None = None,
    ) -> None:
        """Replace the registry (the feed reloaded it). A station whose entry is unchanged
        keeps what was heard from it (series, last data, flags) and its pairs their filter
        state: a registry refresh must not make the engine forget that a station is fresh,
        nor re-raise what is already raised. A changed or new entry starts afresh (``active``
        restores pairs stored in alarm for it, and one never heard is watched from ``now``);
        a removed one is dropped. Raises ValueError for an entry listed twice or invalid,
        changing nothing."""
        now_ts = _ts(now, "now") if now is not None else None
        stations_now: dict[str, _Station] = {}
        for info in stations:
            checked = info.checked()
            if checked.id in stations_now:
                raise ValueError(f"station {checked.id!r} is listed twice")
            kept = self._stations.get(checked.id)
            same = kept is not None and kept.info == checked
            stations_now[checked.id] = (
                kept if same and kept is not None else _Station(checked, now_ts)
            )
        self._stations = stations_now
        for key in active:
            if key[1] in stations_now and key not in self._pairs:
                self._pairs[key] = _Pair(on=True)
        self.set_rules(self._rules)

    @property
    def rules(self) -> tuple[AlarmRule, ...]:
        return self._rules

    @property
    def stations(self) -> tuple[StationInfo, ...]:
        return tuple(s.info for s in self._stations.values())

    # input ----------------------------------------------------------------------------------

    def observe(
        self, station_id: str, parameter: str, time: datetime, value: float | None, flag: str = "N"
    ) -> None:
        """Take one value. Raises ValueError for an unknown station, a naive time, a value
        that is not a finite number, or an empty flag."""
        station = self._stations.get(station_id)
        if station is None:
            raise ValueError(f"unknown station {station_id!r} (not in the registry the engine has)")
        if not isinstance(parameter, str) or not parameter:
            raise ValueError(f"station {station_id}: parameter must be a non-empty key")
        ts = _ts(time)
        if value is not None:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise ValueError(
                    f"{station_id} {parameter}: value must be a finite number or None, got {value!r}"
                )
            value = float(value)
        if not isinstance(flag, str) or not flag:
            raise ValueError(f"{station_id} {parameter}: flag must be a non-empty string")
        series = station.series.get(parameter)
        if series is None:
            series = station.series[parameter] = _Series()
        series.add(ts, value, flag, self._keep_s)
        station.revision += 1
        if ts > station.last_seen:
            station.last_seen = ts
        if series.last_time == ts:
            if series.last_flag == "N":
                station.faults.pop(parameter, None)
            else:
                station.faults[parameter] = (series.last_flag, series.flag_since)

    def observe_many(
        self, observations: Iterable[Observation | tuple[Any, ...]]
    ) -> list[tuple[Any, str]]:
        """Take many values; a bad one is skipped and returned with the reason, the rest are
        taken (one broken item never loses the batch)."""
        rejected: list[tuple[Any, str]] = []
        for obs in observations:
            try:
                self.observe(*obs)
            except (ValueError, TypeError) as exc:
                rejected.append((obs, str(exc)))
        return rejected

    # evaluation -----------------------------------------------------------------------------

    def evaluate(
        self,
        now: datetime,
        *,
        caught_up: bool = True,
        listening_since: datetime | None = None,
    ) -> list[AlarmCondition]:
        """Every (rule, station) in alarm now, plus those that cleared in this evaluation
        (``active`` False, reported once). A pair whose data is missing keeps its state.

        A pair takes a new sample only when its data changed since the last evaluation (or, for
        the time-driven silent and fault rules, at every evaluation): evaluating twice without
        new data never counts twice towards the delay filter.

        The time-driven rules compare the data with ``now``, so they are judged only when the
        engine's picture is current: ``caught_up`` False (the feed is still replaying a backlog,
        or is cut off from the data service) holds them, every pair keeping its state, neither
        raised nor cleared. ``listening_since`` is when the data service began receiving (its
        start): a station whose last data is older than that cannot be called silent, nor a
        flag set before it persisting, until the service has listened longer than the rule's
        minutes (nobody was listening before, and a data logger may still be re-sending its
        buffer); until then the pair keeps its state too.
        """
        now_ts = _ts(now, "now")
        if self._started is None:
            self._started = now_ts
        listening_ts = _ts(listening_since, "listening_since") if listening_since else None
        self._now_date = _dt(now_ts)
        aqi_by_station = self._aqi_snapshot()
        out: list[AlarmCondition] = []
        for rule, targets in self._targets:
            key_of, measure = self._measurer(rule, now_ts, aqi_by_station)
            fires, clears = self._tests(rule)
            count = rule.count
            quiet = self._quiet(rule, now_ts)
            timed = rule.type in (RuleType.SILENT, RuleType.FAULT_FLAG)
            if timed and not caught_up:
                # Held: the data is not yet what the data service holds (see above).
                out.extend(p.condition for _, p in targets if p.on and p.condition is not None)
                continue
            if timed and listening_ts is not None:
                measure = self._listening(rule, measure, now_ts, listening_ts)
            for station, pair in targets:
                if quiet is not None and not pair.on and quiet(station):
                    pair.consecutive = 0  # cheap exit for the common case: nothing wrong
                    continue
                key = key_of(station)
                if key is None or key == pair.last_key:
                    if pair.on and pair.condition is not None:
                        out.append(pair.condition)
                    continue
                pair.last_key = key
                result = measure(station)
                if result is None:
                    if pair.on and pair.condition is not None:
                        out.append(pair.condition)
                    continue
                value = result[0]
                if pair.on:
                    if clears(station, value):
                        pair.on = False
                        pair.consecutive = 0
                        pair.condition = None
                        out.append(self._condition(rule, station, False, result))
                        continue
                    if pair.condition is None or pair.condition.value != value:
                        pair.condition = self._condition(rule, station, True, result)
                    out.append(pair.condition)
                elif fires(station, value):
                    pair.consecutive += 1
                    if pair.consecutive >= count:
                        pair.on = True
                        pair.condition = self._condition(rule, station, True, result)
                        out.append(pair.condition)
                else:
                    pair.consecutive = 0
        return out

    def active_pairs(self) -> list[tuple[str, str]]:
        """(rule id, station id) of every pair the filters hold in alarm (for a restart)."""
        return [k for k, p in self._pairs.items() if p.on]

    @property
    def pair_count(self) -> int:
        """How many (rule, station) pairs an evaluation covers."""
        return sum(len(targets) for _, targets in self._targets)

    # rule types -----------------------------------------------------------------------------

    def _threshold(self, rule: AlarmRule, station: _Station | None) -> float:
        p = rule.params
        t = rule.type
        if t is RuleType.AQI_LEVEL:
            return float(level_by_number(p["level"]).lowest)
        if t is RuleType.LIMIT:
            return float(self._limit(rule))
        if t is RuleType.WATER_CLASS:
            return float(station.info.target_class or 0) if station is not None else 0.0
        if t is RuleType.SUDDEN_RISE:
            return float(p["rise"])
        return float(p["minutes"])

    def _limit(self, rule: AlarmRule) -> Decimal:
        return gb3095.limit(rule.params["pollutant"], rule.params["period"], self._now_date)

    def _tests(
        self, rule: AlarmRule
    ) -> tuple[Callable[[_Station, float], bool], Callable[[_Station, float], bool]]:
        """(fires, clears) of a rule: the condition, and its end with the deadband applied."""
        t = rule.type
        band = rule.deadband
        if t is RuleType.FAULT_FLAG:
            minutes = rule.params["minutes"]
            return (lambda _s, v: v >= 0 and v >= minutes), (lambda _s, v: v < 0)
        if t is RuleType.LIMIT:
            pollutant = rule.params["pollutant"]
            limit = self._limit(rule)
            limit_units = int(limit / resolution(pollutant))
            low = float(limit) - band

            def fires_limit(_s: _Station, v: float) -> bool:
                return round_units(pollutant, v) > limit_units

            if band == 0:
                return fires_limit, (lambda s, v: not fires_limit(s, v))
            return fires_limit, (lambda _s, v: v <= low)
        if t is RuleType.WATER_CLASS:
            return (
                (lambda s, v: v > (s.info.target_class or 0)),
                (lambda s, v: v <= (s.info.target_class or 0) - band),
            )
        threshold = self._threshold(rule, None)
        if t in (RuleType.AQI_LEVEL, RuleType.SUDDEN_RISE):
            return (lambda _s, v: v >= threshold), (lambda _s, v: v < threshold - band)
        # silent: minutes since the last data
        return (lambda _s, v: v > threshold), (lambda _s, v: v <= threshold - band)

    def _quiet(self, rule: AlarmRule, now_ts: float) -> Callable[[_Station], bool] | None:
        """For the time-driven rules, which every evaluation visits at every station: a quick
        test that the station is certainly not in that condition (saves the full measure)."""
        if rule.type is RuleType.FAULT_FLAG:
            return lambda s: not s.faults
        if rule.type is RuleType.SILENT:
            latest_ok = now_ts - rule.params["minutes"] * 60.0
            return lambda s: s.last_seen >= latest_ok
        return None

    def _measurer(
        self,
        rule: AlarmRule,
        now_ts: float,
        aqi_by_station: dict[str, tuple[int, float, _Explain]],
    ) -> tuple[Callable[[_Station], float | None], Callable[[_Station], _Measure | None]]:
        """(sample key, measure) of a rule: a pair is measured only when its key changed."""
        p = rule.params
        t = rule.type
        if t is RuleType.AQI_LEVEL:
            return (
                lambda s: float(s.revision),
                lambda s: (
                    (float(r[0]), r[1], r[2]) if (r := aqi_by_station.get(s.info.id)) else None
                ),
            )
        if t in (RuleType.LIMIT, RuleType.SUDDEN_RISE):
            parameter = p["pollutant"] if t is RuleType.LIMIT else p["parameter"]

            def series_key(s: _Station) -> float | None:
                series = s.series.get(parameter)
                return None if series is None else float(series.revision)

            if t is RuleType.LIMIT:
                return series_key, self._limit_measurer(rule)
            return series_key, lambda s: self._measure_rise(rule, s)
        if t is RuleType.WATER_CLASS:
            return lambda s: float(s.revision), lambda s: self._measure_water(rule, s, now_ts)
        if t is RuleType.SILENT:
            started = self._started if self._started is not None else now_ts
            return lambda s: now_ts, lambda s: self._measure_silent(s, now_ts, started)
        flags = frozenset(p["flags"])
        return lambda s: now_ts, lambda s: self._measure_fault(s, flags, now_ts)

    def _aqi_snapshot(self) -> dict[str, tuple[int, float, _Explain]]:
        """Hourly AQI of every station an AQI rule watches. Stations with new data since the
        last evaluation are indexed together in one batch (``aqi_batch``); the rest are kept."""
        standard = standard_for(self._now_date)
        if standard != self._aqi_standard:
            self._aqi_cache.clear()
            self._aqi_standard = standard
        changed: list[_Station] = []
        for rule, targets in self._targets:
            if rule.type is RuleType.AQI_LEVEL:
                for s, _ in targets:
                    cached = self._aqi_cache.get(s.info.id)
                    if cached is None or cached[0] != s.revision:
                        self._aqi_cache[s.info.id] = (s.revision, None)
                        changed.append(s)
        if changed:
            for station, entry in zip(changed, self._index(changed, standard), strict=True):
                self._aqi_cache[station.info.id] = (station.revision, entry)
        return {sid: entry for sid, (_, entry) in self._aqi_cache.items() if entry is not None}

    def _index(
        self, stations: list[_Station], standard: str
    ) -> list[tuple[int, float, _Explain] | None]:
        """Hourly AQI of each station from its rolling hour averages (exact integer path)."""
        result: list[tuple[int, float, _Explain] | None] = []
        moving_keys = ("SO2", "PM10", "PM2.5") if standard == HJ633_2012 else ()
        for station in stations:
            latest = -math.inf
            averages: dict[str, float | None] = {}
            for p in POLLUTANTS:
                series = station.series.get(p)
                avg = series.hour_average(station.per_hour) if series is not None else None
                if avg is None:
                    averages[p] = None
                else:
                    averages[p] = avg[0]
                    if avg[1] > latest:
                        latest = avg[1]
            moving: dict[str, float | None] = {}
            for p in moving_keys:
                series = station.series.get(p)
                day = (
                    series.hours_average(24, DAY_MIN_VALID_HOURS, station.per_hour)
                    if series is not None
                    else None
                )
                moving[p] = day[0] if day else None
            value, _, primary, sub = hourly_aqi_row(averages, standard=standard, moving_24h=moving)
            if value == MISSING:
                result.append(None)
                continue
            result.append(
                (value, latest, _aqi_explainer(value, primary, averages, sub, latest, moving))
            )
        return result

    def _limit_measurer(self, rule: AlarmRule) -> Callable[[_Station], _Measure | None]:
        """The measure of a limit rule: its rolling average (what is fixed per evaluation, the
        limit and the words, is worked out once here, not per station)."""
        pollutant, period = rule.params["pollutant"], rule.params["period"]
        basis = {"1h": "1h average", "8h": "8h average", "day": "24h average"}[period]
        limit = self._limit(rule)
        hours, needed = (
            (8, EIGHT_HOUR_MIN_VALID_HOURS) if period == "8h" else (24, DAY_MIN_VALID_HOURS)
        )

        def measure(station: _Station) -> _Measure | None:
            series = station.series.get(pollutant)
            if series is None:
                return None
            if period == "1h":
                avg = series.hour_average(station.per_hour)
            else:
                avg = series.hours_average(hours, needed, station.per_hour)
            if avg is None:
                return None
            value, when = avg

            def explain() -> tuple[tuple[Evidence, ...], str, str]:
                shown = round_concentration(pollutant, value)
                ev = (Evidence(pollutant, _dt(when), value, "N", basis),)
                return (
                    ev,
                    f"{pollutant} {_basis_zh(basis)} {shown}，超过 GB 3095 限值 {limit}",
                    f"{pollutant} {basis} {shown} above the GB 3095 limit {limit}",
                )

            return value, when, explain

        return measure

    def _measure_water(self, rule: AlarmRule, station: _Station, now_ts: float) -> _Measure | None:
        info = station.info
        if info.target_class is None or info.waterbody is None:
            return None
        oldest = now_ts - rule.params["max_age_minutes"] * 60.0
        values: dict[str, float] = {}
        latest = -math.inf
        for p, series in station.series.items():
            if (
                p in water.CLASSIFIED
                and series.valid_value is not None
                and series.valid_time >= oldest
            ):
                values[p] = series.valid_value
                latest = max(latest, series.valid_time)
        if not values:
            return None
        try:
            result = water.classify(values, info.waterbody, info.target_class)
        except ValueError:
            return None  # nothing GB 3838 evaluates for this water body (e.g. only TN in a river)

        def explain() -> tuple[tuple[Evidence, ...], str, str]:
            ev = tuple(
                Evidence(
                    e.parameter,
                    _dt(station.series[e.parameter].valid_time),
                    float(e.value),
                    "N",
                    "latest",
                )
                for e in result.exceedances
            )
            worst = "、".join(
                f"{e.parameter} {e.value}"
                + (f"（超标 {e.multiple} 倍）" if e.multiple is not None else "")
                for e in result.exceedances
            )
            worst_en = ", ".join(
                f"{e.parameter} {e.value}"
                + (f" ({e.multiple}× over)" if e.multiple is not None else "")
                for e in result.exceedances
            )
            target = water.label(info.target_class or 1)
            return (
                ev,
                f"水质 {result.label} 类，劣于目标 {target} 类：{worst}",
                f"class {result.label}, worse than target {target}: {worst_en}",
            )

        return float(result.grade), latest, explain

    def _measure_rise(self, rule: AlarmRule, station: _Station) -> _Measure | None:
        parameter = rule.params["parameter"]
        series = station.series.get(parameter)
        if series is None or not series.times:
            return None
        window_s = rule.params["window_minutes"] * 60.0
        low = series.window_minimum(window_s)
        if low is None or low[0] <= 0:
            return None
        latest_value, latest_time = series.values[-1], series.times[-1]
        rise = (latest_value - low[0]) / low[0]
        if latest_value - low[0] < rule.params["min_increase"]:
            rise = min(rise, 0.0)  # too small in absolute terms to count as a rise

        def explain() -> tuple[tuple[Evidence, ...], str, str]:
            ev = (
                Evidence(parameter, _dt(low[1]), low[0], "N", "window minimum"),
                Evidence(parameter, _dt(latest_time), latest_value, "N", "latest"),
            )
            pct = round(rise * 100)
            minutes = rule.params["window_minutes"]
            return (
                ev,
                f"{parameter} {minutes} 分钟内由 {low[0]:g} 升至 {latest_value:g}（+{pct}%）",
                f"{parameter} rose from {low[0]:g} to {latest_value:g} within {minutes} min (+{pct} %)",
            )

        return rise, latest_time, explain

    def _listening(
        self,
        rule: AlarmRule,
        measure: Callable[[_Station], _Measure | None],
        now_ts: float,
        listening_ts: float,
    ) -> Callable[[_Station], _Measure | None]:
        """A time-driven measure under a data service listening since ``listening_ts``: until
        the service has listened for longer than the rule's minutes, a station not heard since
        then (silent), or a flag set before then (fault: the samples that ended it may still be
        on their way, a logger re-sending its buffer), is not judged (None: the pair keeps its
        state)."""
        if now_ts - listening_ts > rule.params["minutes"] * 60.0:
            return measure  # listened long enough: what started before is real
        if rule.type is RuleType.FAULT_FLAG:
            flags = frozenset(rule.params["flags"])

            def judged_fault(station: _Station) -> _Measure | None:
                for flag, since in station.faults.values():
                    if flag in flags and since < listening_ts:
                        return None
                return measure(station)

            return judged_fault
        started = self._started if self._started is not None else now_ts

        def judged(station: _Station) -> _Measure | None:
            since = station.last_seen if station.last_seen > -math.inf else started
            if station.last_seen == -math.inf and station.watched_from is not None:
                since = station.watched_from
            return measure(station) if since >= listening_ts else None

        return judged

    def _measure_silent(self, station: _Station, now_ts: float, started: float) -> _Measure:
        if station.watched_from is not None:
            started = station.watched_from  # added to the registry after the engine started
        since = station.last_seen if station.last_seen > -math.inf else started
        minutes = max(0.0, (now_ts - since) / 60.0)
        heard = station.last_seen > -math.inf

        def explain() -> tuple[tuple[Evidence, ...], str, str]:
            ev = (Evidence("*", _dt(since), None, "", "last data" if heard else "watching since"),)
            when = _dt(since).astimezone(CENTER_TZ).strftime("%m-%d %H:%M")
            return (
                ev,
                f"{int(minutes)} 分钟无数据（最后数据 {when}）"
                if heard
                else f"启动以来 {int(minutes)} 分钟无数据",
                f"no data for {int(minutes)} min (last at {when})"
                if heard
                else f"no data for {int(minutes)} min since start",
            )

        return minutes, since if heard else now_ts, explain

    def _measure_fault(self, station: _Station, flags: frozenset[str], now_ts: float) -> _Measure:
        longest = -1.0
        which: tuple[str, str, float] | None = None
        for parameter, (flag, since) in station.faults.items():
            if flag in flags:
                minutes = (now_ts - since) / 60.0
                if minutes > longest:
                    longest, which = minutes, (parameter, flag, since)

        def explain() -> tuple[tuple[Evidence, ...], str, str]:
            if which is None:
                return (), "仪器标记恢复正常", "instrument flag back to normal"
            parameter, flag, since = which
            series = station.series[parameter]
            ev = (Evidence(parameter, _dt(since), series.last_value, flag, "flag since"),)
            return (
                ev,
                f"{parameter} 标记 {flag} 已持续 {int(longest)} 分钟",
                f"{parameter} flagged {flag} for {int(longest)} min",
            )

        return longest, now_ts, explain

    def _condition(
        self,
        rule: AlarmRule,
        station: _Station,
        active: bool,
        result: _Measure,
    ) -> AlarmCondition:
        value, data_time, explain = result
        evidence, zh, en = explain()
        return AlarmCondition(
            rule_id=rule.id,
            station_id=station.info.id,
            active=active,
            priority=rule.priority,
            open_case=rule.open_case,
            value=value,
            threshold=self._threshold(rule, station),
            time=_dt(data_time),
            evidence=evidence,
            message_zh=f"{rule.name_zh}：{zh}",
            message_en=f"{rule.name_en}: {en}",
        )


def _basis_zh(basis: str) -> str:
    return {
        "1h average": "小时均值",
        "8h average": "8 小时均值",
        "24h average": "24 小时均值",
        "latest": "最新值",
    }.get(basis, basis)


def _aqi_explainer(
    value: int,
    primary: tuple[str, ...],
    averages: dict[str, float | None],
    sub: dict[str, int],
    when: float,
    moving: dict[str, float | None],
) -> _Explain:
    def explain() -> tuple[tuple[Evidence, ...], str, str]:
        level = aqi_level(value)
        ev = tuple(
            Evidence(p, _dt(when), moving[p], "N", f"24h average, IAQI {sub[p]}")
            if p in moving
            else Evidence(p, _dt(when), averages[p], "N", f"1h average, IAQI {sub[p]}")
            for p in POLLUTANTS
            if p in sub
        )
        first = "、".join(primary) or "—"
        return (
            ev,
            f"小时 AQI {value}（{level.category_zh}），首要污染物 {first}",
            f"hourly AQI {value} ({level.category_en}), primary pollutant {', '.join(primary) or '—'}",
        )

    return explain
