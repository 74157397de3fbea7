"""A station's current state for the wall: AQI level (from 1-hour averages) or water class.

Qt-free; the numbers come from dispatch_app.standards. Shared by the network overview (ranking,
colors) and the map (marker look), so both always say the same thing about a station.

Only readings flagged N count (HJ 212: other flags are not valid data). An air station is indexed
on the mean of each pollutant's valid values in the trailing 60 minutes the desk has received
(`Reading.hour_mean`), as HJ 633—2026 indexes the real-time report on 1-hour averages: a single
spiky minute value no longer decides the rank, and the figure follows the published hourly AQI a
duty officer compares it with. It is a sliding hour, not the clock hour the report publishes. An
average resting on fewer than 45 minutes (GB 3095's minimum for an hourly value; in the first
hour after the desk starts, or after a gap or invalid data) is marked provisional in the status
text. A reading without an hour mean (not from a `NetworkState`) is indexed on its latest value,
and the text says so. Water stays on the latest sample: sections are sampled every 4 hours.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from dispatch_app.feed.network_state import Reading
from dispatch_app.feed.records import Station
from dispatch_app.standards import aqi, aqi_batch, aqi_tables, water
from dispatch_app.standards.validity import HOUR_MIN_VALID_MINUTES

RGB = tuple[int, int, int]
NO_DATA_RANK = -1.0
# GB 3095 Table 4: an hourly value needs at least 45 minutes of valid data in the hour.


@dataclass(frozen=True, slots=True)
class StationStatus:
    station: Station
    rank_value: float  # larger is worse; NO_DATA_RANK without data
    label: str  # inside the marker and in the level column: "86", "Ⅲ", "—"
    color: RGB | None
    level_zh: str  # "良", "Ⅳ类 轻度污染"
    level_en: str
    detail_zh: str  # "首要污染物 PM2.5", "NH3-N 超标 0.2 倍"
    detail_en: str
    headline: str  # parameter of the sparkline
    headline_value: float | None
    time: datetime | None
    partial: bool = False  # AQI from fewer than six pollutants (not publishable, HJ 633 5.3.1)
    basis_zh: str = ""  # what the AQI rests on: "小时均值（12分钟，暂定）"
    basis_en: str = ""
    provisional: bool = False  # an hour average of fewer than 45 minutes

    def status_text(self, english: bool = False) -> str:
        level = self.level_en if english else self.level_zh
        detail = self.detail_en if english else self.detail_zh
        basis = self.basis_en if english else self.basis_zh
        return " · ".join(p for p in (level, detail, basis) if p)


def is_water(station: Station) -> bool:
    return station.kind.startswith("water")


def headline_parameter(station: Station) -> str:
    keys = [p.key for p in station.parameters]
    for key in ("PM2.5", "NH3-N", "TP", "CODMn", "PM10"):
        if key in keys:
            return key
    return keys[0] if keys else ""


def _valid(readings: Mapping[str, Reading]) -> dict[str, float]:
    return {k: r.value for k, r in readings.items() if r.flag == "N" and r.value is not None}


_CACHE: dict[str, tuple[tuple[object, ...], StationStatus]] = {}


def status_of(station: Station, readings: Mapping[str, Reading]) -> StationStatus:
    """The station's status; memoised per station on its readings, so the overview and the map
    evaluating the same update pay for it once."""
    key = (
        station,
        *sorted(
            (k, r.time, r.value, r.flag, r.hour_mean, r.hour_count) for k, r in readings.items()
        ),
    )
    cached = _CACHE.get(station.id)
    if cached is not None and cached[0] == key:
        return cached[1]
    status = _status_of(station, readings)
    _CACHE[station.id] = (key, status)
    return status


def _status_of(station: Station, readings: Mapping[str, Reading]) -> StationStatus:
    headline = headline_parameter(station)
    valid = _valid(readings)
    time = max((r.time for r in readings.values()), default=None)
    value = valid.get(headline)
    if is_water(station):
        return _water_status(station, valid, headline, value, time)
    return _air_status(station, readings, valid, headline, value, time)


def _no_data(station: Station, headline: str, time: datetime | None) -> StationStatus:
    return StationStatus(
        station,
        NO_DATA_RANK,
        "—",
        None,
        "无有效数据",
        "no valid data",
        "",
        "",
        headline,
        None,
        time,
    )


def _air_values(
    readings: Mapping[str, Reading], valid: Mapping[str, float]
) -> tuple[dict[str, float], int | None]:
    """The concentration to index per pollutant (hour mean, else the latest valid value) and the
    fewest values an hour mean rests on (None when any pollutant has no hour mean)."""
    values: dict[str, float] = {}
    fewest: int | None = None
    latest_used = False
    for p in aqi_tables.POLLUTANTS:
        r = readings.get(p)
        if r is None:
            continue
        if r.hour_count > 0 and r.hour_mean is not None:
            # Averaged before indexing: hourly_aqi_row rounds the mean per GB/T 8170.
            values[p] = r.hour_mean
            fewest = r.hour_count if fewest is None else min(fewest, r.hour_count)
        elif p in valid:
            values[p] = valid[p]
            latest_used = True
    return values, None if latest_used else fewest


def _basis(station: Station, fewest: int | None) -> tuple[str, str, bool]:
    """(basis zh, basis en, provisional) of an air status."""
    if fewest is None:
        return "最新值", "latest values", False
    minutes = math.floor(fewest * station.interval_s / 60)
    if minutes >= HOUR_MIN_VALID_MINUTES:
        return "小时均值", "1 h average", False
    return (
        f"小时均值（{minutes}分钟，暂定）",
        f"1 h average of {minutes} min (provisional)",
        True,
    )


def _air_status(
    station: Station,
    readings: Mapping[str, Reading],
    valid: Mapping[str, float],
    headline: str,
    value: float | None,
    time: datetime | None,
) -> StationStatus:
    values, fewest = _air_values(readings, valid)
    if not values:
        return _no_data(station, headline, time)
    # The integer row path of the standards (equal to aqi.hourly_report, tested there): the
    # wall re-evaluates hundreds of stations a second and the exact Fraction path is ~10× slower.
    published, computed, primary_row, sub_index = aqi_batch.hourly_aqi_row(
        values, standard=aqi.HJ633_2026
    )
    index = published if published != aqi_batch.MISSING else computed
    if index == aqi_batch.MISSING:
        return _no_data(station, headline, time)
    partial = published == aqi_batch.MISSING
    primary = primary_row or (
        tuple(p for p, i in sub_index.items() if i == index) if partial and index > 50 else ()
    )
    level = aqi_tables.aqi_level(index)
    detail_zh = f"首要污染物 {'、'.join(primary)}" if primary else ""
    detail_en = f"primary pollutant {', '.join(primary)}" if primary else ""
    if partial:
        detail_zh = (
            detail_zh + " · " if detail_zh else ""
        ) + f"仅 {'、'.join(values)}（不发布 AQI）"
        detail_en = (
            detail_en + " · " if detail_en else ""
        ) + f"only {', '.join(values)} (AQI not publishable)"
    basis_zh, basis_en, provisional = _basis(station, fewest)
    return StationStatus(
        station,
        float(index),
        f"{index}",
        level.color,
        f"AQI {index} {level.category_zh}",
        f"AQI {index} {level.category_en}",
        detail_zh,
        detail_en,
        headline,
        value,
        time,
        partial,
        basis_zh,
        basis_en,
        provisional,
    )


def _water_status(
    station: Station,
    valid: Mapping[str, float],
    headline: str,
    value: float | None,
    time: datetime | None,
) -> StationStatus:
    values = {k: v for k, v in valid.items() if k in water.CLASSIFIED}
    waterbody = station.waterbody or "river"
    if not values:
        return _no_data(station, headline, time)
    try:
        result = water.classify(values, waterbody, station.target_class)
    except ValueError as exc:  # a reading the standard refuses (pH 15 ...): say so, do not guess
        return StationStatus(
            station,
            NO_DATA_RANK,
            "?",
            None,
            f"无法评价：{exc}",
            f"cannot classify: {exc}",
            "",
            "",
            headline,
            value,
            time,
        )
    worst_multiple = max((float(e.multiple or 0) for e in result.exceedances), default=0.0)
    exceed_zh = "、".join(
        f"{e.parameter} 超标 {e.multiple} 倍"
        if e.multiple is not None
        else f"{e.parameter} 未达目标"
        for e in result.exceedances[:3]
    )
    exceed_en = ", ".join(
        f"{e.parameter} {e.multiple}× over"
        if e.multiple is not None
        else f"{e.parameter} off target"
        for e in result.exceedances[:3]
    )
    target = f"目标 {water.label(station.target_class)}" if station.target_class else ""
    target_en = f"target {water.label(station.target_class)}" if station.target_class else ""
    return StationStatus(
        station,
        result.grade * 1000.0 + min(worst_multiple, 999.0),
        result.label,
        result.color,
        f"{result.label}类 {result.status_zh}",
        f"Class {result.label} {result.status_en}",
        " · ".join(p for p in (target, exceed_zh) if p),
        " · ".join(p for p in (target_en, exceed_en) if p),
        headline,
        value,
        time,
    )
