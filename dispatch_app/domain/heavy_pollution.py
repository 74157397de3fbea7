"""Heavy-pollution weather alerts (重污染天气预警): yellow, orange, red from a forecast daily
AQI series, and the transitions between them (issue, upgrade, downgrade, lift).

One alert is current city-wide. Thresholds come from resources/rules/heavy_pollution.toml
(defaults REFERENCE.md §7); a forecast day stands for 24 hours, so "AQI > 200 for ≥ 48 h" is
two consecutive forecast days above 200. "Above" is strict (> 200), "reaching 500" inclusive.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from dispatch_app.domain.errors import ValidationError

MAX_FORECAST_DAYS = 15
MAX_AQI = 1_000  # HJ 633 caps IAQI at 500; a forecast may be written higher: accept, do not cap


class AlertLevel(StrEnum):
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def rank(self) -> int:
        return {"yellow": 1, "orange": 2, "red": 3}[self.value]

    @property
    def name_zh(self) -> str:
        return {"yellow": "黄色预警", "orange": "橙色预警", "red": "红色预警"}[self.value]

    @property
    def name_en(self) -> str:
        return {"yellow": "Yellow alert", "orange": "Orange alert", "red": "Red alert"}[self.value]


class Transition(StrEnum):
    ISSUE = "issue"
    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    LIFT = "lift"

    @property
    def name_zh(self) -> str:
        return {"issue": "发布", "upgrade": "升级", "downgrade": "降级", "lift": "解除"}[self.value]


class AlertRulesError(ValueError):
    """heavy_pollution.toml is malformed; the message names the table and key."""


@dataclass(frozen=True)
class AlertRules:
    yellow_above: int = 200
    yellow_days: int = 2
    orange_above: int = 200
    orange_days: int = 3
    red_above: int = 200
    red_days: int = 4
    red_severe_above: int = 300
    red_severe_days: int = 2
    red_extreme_at: int = 500


def _int(table: Mapping[str, Any], key: str, where: str) -> int:
    if key not in table:
        raise AlertRulesError(f"[{where}] '{key}' is missing")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AlertRulesError(f"[{where}] '{key}' must be a whole number ≥ 0, got {value!r}")
    return value


def alert_rules_from_toml(text: str) -> AlertRules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AlertRulesError(f"not valid TOML: {exc}") from None
    tables: dict[str, Mapping[str, Any]] = {}
    for name in ("yellow", "orange", "red"):
        t = data.get(name)
        if not isinstance(t, dict):
            raise AlertRulesError(f"table [{name}] is missing")
        tables[name] = t
    rules = AlertRules(
        yellow_above=_int(tables["yellow"], "above", "yellow"),
        yellow_days=_int(tables["yellow"], "min_days", "yellow"),
        orange_above=_int(tables["orange"], "above", "orange"),
        orange_days=_int(tables["orange"], "min_days", "orange"),
        red_above=_int(tables["red"], "above", "red"),
        red_days=_int(tables["red"], "min_days", "red"),
        red_severe_above=_int(tables["red"], "severe_above", "red"),
        red_severe_days=_int(tables["red"], "severe_min_days", "red"),
        red_extreme_at=_int(tables["red"], "extreme_at", "red"),
    )
    for name, days in (
        ("yellow", rules.yellow_days),
        ("orange", rules.orange_days),
        ("red", rules.red_days),
    ):
        if days < 1:
            raise AlertRulesError(f"[{name}] 'min_days' must be at least 1")
    if not rules.yellow_days <= rules.orange_days <= rules.red_days:
        raise AlertRulesError("min_days must not decrease from yellow to orange to red")
    return rules


@dataclass(frozen=True)
class ForecastDay:
    day: date
    aqi: int


def validate_forecast(days: Iterable[ForecastDay | tuple[date, Any]]) -> tuple[ForecastDay, ...]:
    """Consecutive days, each AQI a whole number 0..1000. Gaps would make "48 h" meaningless,
    so a gap is an error, not a silent break in the run."""
    out: list[ForecastDay] = []
    for i, item in enumerate(days, start=1):
        d, aqi = (item.day, item.aqi) if isinstance(item, ForecastDay) else item
        if not isinstance(d, date):
            raise ValidationError(
                "forecast", "error.forecast_day", f"day {i}: not a date", f"第{i}天：日期无效"
            )
        if isinstance(aqi, float) and aqi.is_integer():
            aqi = int(aqi)
        if isinstance(aqi, bool) or not isinstance(aqi, int) or not 0 <= aqi <= MAX_AQI:
            raise ValidationError(
                "forecast",
                "error.forecast_aqi",
                f"day {i} ({d}): AQI must be a whole number 0..{MAX_AQI}, got {aqi!r}",
                f"第{i}天（{d}）：AQI须为0到{MAX_AQI}的整数",
            )
        if out and d != out[-1].day + timedelta(days=1):
            raise ValidationError(
                "forecast",
                "error.forecast_gap",
                f"day {i} ({d}) does not follow {out[-1].day}",
                f"第{i}天（{d}）与前一天（{out[-1].day}）不连续",
            )
        out.append(ForecastDay(d, aqi))
    if not out:
        raise ValidationError(
            "forecast", "error.forecast_empty", "the forecast is empty", "预报为空"
        )
    if len(out) > MAX_FORECAST_DAYS:
        raise ValidationError(
            "forecast",
            "error.forecast_long",
            f"the forecast has {len(out)} days; at most {MAX_FORECAST_DAYS}",
            f"预报天数过多（最多{MAX_FORECAST_DAYS}天）",
        )
    return tuple(out)


def _runs(values: list[int], above: int) -> list[tuple[int, int]]:
    """(start, length) of every run of consecutive values strictly above ``above``."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, v in enumerate([*values, -1]):
        if v > above and start is None:
            start = i
        elif v <= above and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


@dataclass(frozen=True)
class AlertAssessment:
    level: AlertLevel | None
    reason_zh: str
    reason_en: str


def assess_forecast(
    forecast: Iterable[ForecastDay | tuple[date, Any]], rules: AlertRules = AlertRules()
) -> AlertAssessment:
    """The alert level the forecast calls for, with the reason."""
    days = validate_forecast(forecast)
    values = [d.aqi for d in days]
    peak = max(values)
    if peak >= rules.red_extreme_at:
        day = days[values.index(peak)].day
        return AlertAssessment(
            AlertLevel.RED,
            f"{day}预报AQI达到{peak}（≥{rules.red_extreme_at}）",
            f"forecast AQI {peak} on {day} reaches {rules.red_extreme_at}",
        )
    for start, length in _runs(values, rules.red_above):
        if length < rules.red_days:
            continue
        severe = _runs(values[start : start + length], rules.red_severe_above)
        if any(n >= rules.red_severe_days for _, n in severe):
            return AlertAssessment(
                AlertLevel.RED,
                f"AQI>{rules.red_above}持续{length}天，其中>{rules.red_severe_above}"
                f"至少{rules.red_severe_days}天",
                f"AQI > {rules.red_above} for {length} days, > {rules.red_severe_above} "
                f"for at least {rules.red_severe_days}",
            )
    for level, above, need in (
        (AlertLevel.ORANGE, rules.orange_above, rules.orange_days),
        (AlertLevel.YELLOW, rules.yellow_above, rules.yellow_days),
    ):
        longest = max((n for _, n in _runs(values, above)), default=0)
        if longest >= need:
            return AlertAssessment(
                level,
                f"AQI>{above}持续{longest}天（≥{need}天）",
                f"AQI > {above} for {longest} days (≥ {need})",
            )
    return AlertAssessment(None, "预报未达到预警条件", "the forecast reaches no alert level")


def transition(current: AlertLevel | None, new: AlertLevel | None) -> Transition | None:
    """What moving from ``current`` to ``new`` is called (None when nothing changes)."""
    if current == new:
        return None
    if current is None:
        return Transition.ISSUE
    if new is None:
        return Transition.LIFT
    return Transition.UPGRADE if new.rank > current.rank else Transition.DOWNGRADE
