"""The command center's headline indicators (REFERENCE.md §1), computed from daily averages.

Pure: the caller fetches the daily (and, for ozone, hourly) averages from the data service and
passes them in; every number that a standard defines comes from dispatch_app.standards. Each
result carries the formula and the inputs it was computed from, so the wall can show on hover
exactly how a figure came about — a figure reported upward must be explainable.

Conventions (stated here because they decide the numbers):
- A city's daily concentration is the mean of its stations' daily averages, counted only when at
  least `min_station_share` of the stations have one (HJ 663 evaluates a city on the arithmetic
  mean of its valid stations; the share is our configurable guard against a half-empty day).
- Year to date (YTD) runs from 1 January to `as_of` inclusive; "the same period last year" runs
  from 1 January to the same month and day a year earlier (29 February maps to 28 February).
- Averages are rounded to one decimal per GB/T 8170 (half to even) for display; percentages of
  change are computed from the rounded figures, as published.
- A section's class is that of its YTD mean concentrations (single-factor evaluation, GB 3838).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

from dispatch_app.standards import aqi, gb3095, water
from dispatch_app.standards.validity import EIGHT_HOUR_MIN_VALID_HOURS, O3_8H_MIN_VALID_WINDOWS

Status = Literal["good", "warning", "bad", "no_data"]
DailyValues = Mapping[date, float | None]
_TENTH = Decimal("0.1")
AIR_DAILY_POLLUTANTS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")


class IndicatorRulesError(ValueError):
    """resources/rules/indicators.toml is missing a value or holds a wrong one."""


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    title_zh: str
    title_en: str
    value: Decimal | None
    unit: str
    status: Status
    comparison_zh: str  # e.g. "限值 30（过渡）；同比 −8.5 %"
    comparison_en: str
    formula: str
    inputs: Mapping[str, str] = field(default_factory=dict)

    def display(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value}{(' ' + self.unit) if self.unit and self.unit != '%' else self.unit}"

    def hover(self, english: bool = False) -> str:
        """The formula and its inputs, one per line: what the wall shows on hover."""
        lines = [self.title_en if english else self.title_zh, self.formula]
        lines += [f"{k} = {v}" for k, v in self.inputs.items()]
        return "\n".join(lines)


# --- configuration ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionSet:
    kinds: tuple[str, ...]
    target_percent: Decimal


@dataclass(frozen=True, slots=True)
class DrinkingSource:
    station: str
    name: str
    target_class: int


@dataclass(frozen=True, slots=True)
class IndicatorRules:
    min_station_share: Decimal
    good_days_target_percent: Decimal
    national: SectionSet
    provincial: SectionSet
    lakes: tuple[str, ...]
    drinking_water: tuple[DrinkingSource, ...]
    lake_names_en: Mapping[str, str] = field(default_factory=dict)
    """A lake's name on the English desk (the Chinese name when none is given)."""


def parse_indicator_rules(text: str) -> IndicatorRules:
    """Rules from the text of resources/rules/indicators.toml; a clear error names what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IndicatorRulesError(f"indicators.toml is not valid TOML: {exc}") from None

    def section(name: str) -> dict[str, object]:
        value = raw.get(name)
        if not isinstance(value, dict):
            raise IndicatorRulesError(f"indicators.toml: missing table [{name}]")
        return value

    def percent(table: Mapping[str, object], key: str, where: str) -> Decimal:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise IndicatorRulesError(f"indicators.toml: {where}.{key} must be a number")
        d = Decimal(str(value))
        if not Decimal(0) <= d <= Decimal(100):
            raise IndicatorRulesError(f"indicators.toml: {where}.{key} must be 0–100, got {value}")
        return d

    def section_set(name: str) -> SectionSet:
        table = section("sections").get(name)
        if not isinstance(table, dict):
            raise IndicatorRulesError(f"indicators.toml: missing table [sections.{name}]")
        kinds = table.get("kinds")
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
            raise IndicatorRulesError(f"indicators.toml: sections.{name}.kinds must list kinds")
        return SectionSet(tuple(kinds), percent(table, "target_percent", f"sections.{name}"))

    air = section("air")
    share = air.get("min_station_share")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise IndicatorRulesError("indicators.toml: air.min_station_share must be in (0, 1]")
    lakes = section("lakes").get("names")
    if not isinstance(lakes, list) or not all(isinstance(n, str) for n in lakes):
        raise IndicatorRulesError("indicators.toml: lakes.names must list lake names")
    english = section("lakes").get("english", {})
    if not isinstance(english, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in english.items()
    ):
        raise IndicatorRulesError("indicators.toml: lakes.english must map names to names")
    sources = []
    for i, entry in enumerate(raw.get("drinking_water", [])):
        if not isinstance(entry, dict):
            raise IndicatorRulesError(f"indicators.toml: drinking_water[{i}] must be a table")
        station, name, target = entry.get("station"), entry.get("name"), entry.get("target_class")
        if not isinstance(station, str) or not isinstance(name, str):
            raise IndicatorRulesError(
                f"indicators.toml: drinking_water[{i}] needs a station id and a name"
            )
        if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= 5:
            raise IndicatorRulesError(
                f"indicators.toml: drinking_water[{i}].target_class must be 1–5"
            )
        sources.append(DrinkingSource(station, name, target))
    return IndicatorRules(
        min_station_share=Decimal(str(share)),
        good_days_target_percent=percent(section("good_days"), "target_percent", "good_days"),
        national=section_set("national"),
        provincial=section_set("provincial"),
        lakes=tuple(lakes),
        drinking_water=tuple(sources),
        lake_names_en=dict(english),
    )


# --- periods and averages --------------------------------------------------------------------


def ytd_days(as_of: date) -> tuple[date, date]:
    return date(as_of.year, 1, 1), as_of


def same_period_last_year(as_of: date) -> tuple[date, date]:
    try:
        end = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        end = date(as_of.year - 1, 2, 28)
    return date(end.year, 1, 1), end


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def city_daily(
    stations: Mapping[str, DailyValues], min_station_share: Decimal
) -> dict[date, float]:
    """The city's daily mean over its stations; days with too few stations are left out."""
    if not stations:
        return {}
    needed = float(min_station_share) * len(stations)
    days = sorted({d for values in stations.values() for d in values})
    result: dict[date, float] = {}
    for day in days:
        present = [v[day] for v in stations.values() if v.get(day) is not None]
        if present and len(present) >= needed:
            result[day] = sum(present) / len(present)  # type: ignore[arg-type]
    return result


def _round1(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(_TENTH, rounding=ROUND_HALF_EVEN)


def _mean_over(daily: Mapping[date, float], start: date, end: date) -> tuple[Decimal | None, int]:
    values = [daily[d] for d in _days(start, end) if d in daily]
    if not values:
        return None, 0
    return _round1(sum(values) / len(values)), len(values)


def ytd_mean(values: DailyValues, as_of: date) -> float | None:
    """One station's mean of its daily values from 1 January to `as_of` (None: no data)."""
    start, end = ytd_days(as_of)
    present = [v for d, v in values.items() if start <= d <= end and v is not None]
    return sum(present) / len(present) if present else None


def change_percent(current: Decimal, previous: Decimal) -> Decimal | None:
    """(current − previous) / previous × 100, to 0.1 %; None when previous is zero."""
    if previous == 0:
        return None
    return ((current - previous) / previous * 100).quantize(_TENTH, rounding=ROUND_HALF_EVEN)


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{abs(value)} %"


def o3_daily_max_8h(hourly: Sequence[float | None]) -> float | None:
    """Daily maximum 8-hour moving average of O3 from the day's 24 hourly values (hour 0–23).

    The 8-hour means end at 08:00 … 24:00 (17 windows, GB 3095 convention); a mean needs at
    least 6 hourly values, and the day needs at least 14 valid means, else None.
    """
    if len(hourly) != 24:
        raise ValueError(f"expected 24 hourly values, got {len(hourly)}")
    means = []
    for start in range(0, 17):
        window = [v for v in hourly[start : start + 8] if v is not None]
        if len(window) >= EIGHT_HOUR_MIN_VALID_HOURS:
            means.append(sum(window) / len(window))
    return max(means) if len(means) >= O3_8H_MIN_VALID_WINDOWS else None


# --- the indicators ----------------------------------------------------------------------------


def pm25_ytd(stations: Mapping[str, DailyValues], as_of: date, rules: IndicatorRules) -> Indicator:
    """PM2.5 YTD city average against the GB 3095—2026 class-2 annual limit and last year."""
    daily = city_daily(stations, rules.min_station_share)
    start, end = ytd_days(as_of)
    current, days = _mean_over(daily, start, end)
    prev_start, prev_end = same_period_last_year(as_of)
    previous, prev_days = _mean_over(daily, prev_start, prev_end)
    limit = gb3095.limit("PM2.5", "year", as_of)
    final = gb3095.limit("PM2.5", "year", phase="final")
    phase = gb3095.phase_for(as_of)
    change = change_percent(current, previous) if current is not None and previous else None
    inputs = {
        "stations": str(len(stations)),
        "valid days": f"{days} ({start.isoformat()} … {end.isoformat()})",
        "last year": f"{previous if previous is not None else '—'} µg/m³ over {prev_days} days "
        f"({prev_start.isoformat()} … {prev_end.isoformat()})",
        f"GB 3095—2026 annual limit ({phase})": f"{limit} µg/m³",
        "GB 3095—2026 annual limit (final, 2031)": f"{final} µg/m³",
    }
    if current is None:
        status: Status = "no_data"
    elif current > limit:
        status = "bad"
    elif current > final:
        status = "warning"  # meets the transition limit, not yet the final one
    else:
        status = "good"
    return Indicator(
        key="pm25_ytd",
        title_zh="PM2.5 年均浓度（累计）",
        title_en="PM2.5 year-to-date mean",
        value=current,
        unit="µg/m³",
        status=status,
        comparison_zh=f"限值 {limit}（{'过渡' if phase == 'transition' else '最终'}）/ {final}；同比 {_signed(change)}",
        comparison_en=f"limit {limit} ({phase}) / {final}; year on year {_signed(change)}",
        formula="mean over YTD days of the city daily mean (mean of national stations' daily PM2.5)",
        inputs=inputs,
    )


def good_days_share(
    city_days: Mapping[date, Mapping[str, float | None]], as_of: date, rules: IndicatorRules
) -> Indicator:
    """Share of days with daily AQI ≤ 100 (优良天数比例) YTD.

    `city_days` holds per day the city's daily values of the six pollutants, with O3 as its daily
    maximum 8-hour mean. A day whose AQI cannot be published (HJ 633 missing-pollutant rule) is
    not counted either way; how many were left out is among the inputs.
    """
    start, end = ytd_days(as_of)
    good = counted = unrated = 0
    for day in _days(start, end):
        values = city_days.get(day)
        if not values or all(v is None for v in values.values()):
            continue
        report = aqi.daily_report({p: values.get(p) for p in AIR_DAILY_POLLUTANTS}, day)
        if report.aqi is None:
            unrated += 1
            continue
        counted += 1
        good += report.aqi <= 100
    target = rules.good_days_target_percent
    value = (Decimal(good) * 100 / counted).quantize(_TENTH, ROUND_HALF_EVEN) if counted else None
    status: Status = "no_data" if value is None else "good" if value >= target else "bad"
    return Indicator(
        key="good_days",
        title_zh="优良天数比例（累计）",
        title_en="Share of good days (AQI ≤ 100), year to date",
        value=value,
        unit="%",
        status=status,
        comparison_zh=f"目标 {target} %；优良 {good} 天 / 有效 {counted} 天",
        comparison_en=f"target {target} %; {good} good of {counted} rated days",
        formula="good days / rated days × 100; a day is good when its daily AQI (HJ 633, "
        "version by date) is ≤ 100",
        inputs={
            "period": f"{start.isoformat()} … {end.isoformat()}",
            "good days": str(good),
            "rated days": str(counted),
            "days without a published AQI": str(unrated),
            "target": f"{target} %",
        },
    )


@dataclass(frozen=True, slots=True)
class SectionMeans:
    """A water section and the YTD means of its parameters (None: no data)."""

    station: str
    name: str
    kind: str
    waterbody: str
    target_class: int | None
    means: Mapping[str, float | None]


def _grade(section: SectionMeans) -> water.WaterClass | None:
    values = {k: v for k, v in section.means.items() if v is not None and k in water.CLASSIFIED}
    if not values:
        return None
    return water.classify(values, section.waterbody, section.target_class)


def section_share(
    sections: Iterable[SectionMeans],
    which: Literal["national", "provincial"],
    rules: IndicatorRules,
) -> Indicator:
    """优Ⅲ share (classes Ⅰ–Ⅲ) of the national or provincial-assessed sections vs the target."""
    chosen = rules.national if which == "national" else rules.provincial
    included = [s for s in sections if s.kind in chosen.kinds]
    grades: dict[str, int] = {}
    missing: list[str] = []
    for s in included:
        result = _grade(s)
        if result is None:
            missing.append(s.station)
        else:
            grades[s.station] = result.grade
    shares = water.shares(grades.values()) if grades else None
    value = shares.good_percent if shares else None
    target = chosen.target_percent
    status: Status = "no_data" if value is None else "good" if value >= target else "bad"
    worse = sorted(f"{k} {water.label(g)}" for k, g in grades.items() if g > 3)
    title = (
        ("国考断面优Ⅲ比例", "National sections at class Ⅲ or better")
        if which == "national"
        else (
            "省考断面优Ⅲ比例",
            "Provincial-assessed sections at class Ⅲ or better",
        )
    )
    return Indicator(
        key=f"sections_{which}",
        title_zh=title[0],
        title_en=title[1],
        value=value,
        unit="%",
        status=status,
        comparison_zh=f"目标 {target} %；{shares.good if shares else 0}/{len(grades)} 个断面",
        comparison_en=f"target {target} %; {shares.good if shares else 0} of {len(grades)} sections",
        formula="sections of class Ⅰ–Ⅲ / evaluated sections × 100; a section's class is the "
        "worst single-factor class (GB 3838—2002) of its YTD means",
        inputs={
            "kinds": ", ".join(chosen.kinds),
            "evaluated sections": str(len(grades)),
            "without data": ", ".join(missing) or "none",
            "worse than Ⅲ": ", ".join(worse) or "none",
            "target": f"{target} %",
        },
    )


def lake_tp_yoy(
    lake: str,
    sections: Mapping[str, DailyValues],
    as_of: date,
    lake_en: str | None = None,
) -> Indicator:
    """A lake's YTD mean TP (mean of its sections' daily TP) against the same period last year;
    ``lake_en`` names it on the English desk."""
    daily = city_daily(sections, Decimal("0.5")) if sections else {}
    start, end = ytd_days(as_of)
    prev_start, prev_end = same_period_last_year(as_of)
    current = _mean_tp(daily, start, end)
    previous = _mean_tp(daily, prev_start, prev_end)
    change = change_percent(current, previous) if current is not None and previous else None
    status: Status = (
        "no_data"
        if change is None
        else "good"
        if change < 0
        else "warning"
        if change == 0
        else "bad"
    )
    return Indicator(
        key=f"lake_tp:{lake}",
        title_zh=f"{lake} 总磷同比",
        title_en=f"{lake_en or lake} total phosphorus, year on year",
        value=change,
        unit="%",
        status=status,
        comparison_zh=f"今年 {current if current is not None else '—'} / 去年同期 {previous if previous is not None else '—'} mg/L",
        comparison_en=f"this year {current if current is not None else '—'} / last year {previous if previous is not None else '—'} mg/L",
        formula="(YTD mean TP − same period last year) / same period last year × 100; "
        "the lake's daily TP is the mean of its sections",
        inputs={
            "sections": ", ".join(sorted(sections)) or "none",
            "this year": f"{current if current is not None else '—'} mg/L ({start.isoformat()} … {end.isoformat()})",
            "last year": f"{previous if previous is not None else '—'} mg/L ({prev_start.isoformat()} … {prev_end.isoformat()})",
        },
    )


def _mean_tp(daily: Mapping[date, float], start: date, end: date) -> Decimal | None:
    values = [daily[d] for d in _days(start, end) if d in daily]
    if not values:
        return None
    # TP is reported to 0.001 mg/L; one decimal would erase the lake's whole range.
    return Decimal(str(sum(values) / len(values))).quantize(Decimal("0.001"), ROUND_HALF_EVEN)


def drinking_water_compliance(
    sources: Sequence[tuple[DrinkingSource, SectionMeans | None]],
) -> Indicator:
    """How many drinking-water sources meet their target class on their YTD means."""
    compliant: list[str] = []
    failing: list[str] = []
    missing: list[str] = []
    for source, means in sources:
        result = _grade(means) if means is not None else None
        if result is None:
            missing.append(source.name)
        elif result.grade <= source.target_class:
            compliant.append(f"{source.name} {result.label}")
        else:
            failing.append(
                f"{source.name} {result.label} (target {water.label(source.target_class)})"
            )
    rated = len(compliant) + len(failing)
    value = (
        (Decimal(len(compliant)) * 100 / rated).quantize(_TENTH, ROUND_HALF_EVEN) if rated else None
    )
    status: Status = "no_data" if value is None else "good" if not failing else "bad"
    return Indicator(
        key="drinking_water",
        title_zh="集中式饮用水水源地达标率",
        title_en="Drinking-water sources meeting their target",
        value=value,
        unit="%",
        status=status,
        comparison_zh=f"达标 {len(compliant)}/{rated} 个"
        + (f"；无数据 {len(missing)} 个" if missing else ""),
        comparison_en=f"{len(compliant)} of {rated} compliant"
        + (f"; {len(missing)} without data" if missing else ""),
        formula="sources whose YTD class (GB 3838—2002, single factor) meets their target / "
        "rated sources × 100",
        inputs={
            "compliant": ", ".join(compliant) or "none",
            "not compliant": ", ".join(failing) or "none",
            "without data": ", ".join(missing) or "none",
        },
    )
