"""Gathering the inputs of the center's indicators from a series source, then computing them.

Runs on a worker thread (many series requests); the arithmetic is dispatch_app.domain.indicators.
A series that cannot be fetched counts as missing data, and the failures are reported with the
result so the wall can say which figure rests on incomplete data.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from dispatch_app.domain.indicators import (
    AIR_DAILY_POLLUTANTS,
    DailyValues,
    Indicator,
    IndicatorRules,
    SectionMeans,
    city_daily,
    drinking_water_compliance,
    good_days_share,
    lake_tp_yoy,
    o3_daily_max_8h,
    pm25_ytd,
    section_share,
    ytd_mean,
)
from dispatch_app.feed.records import Station
from dispatch_app.standards import water
from dispatch_app.standards.center_time import CENTER_TZ
from ui.wall.charts.series import SeriesArrays, SeriesSource

SECTION_PARAMETERS = ("pH", "DO", "CODMn", "COD", "NH3-N", "TP")


@dataclass
class IndicatorResult:
    indicators: list[Indicator]
    as_of: date
    failures: list[str] = field(default_factory=list)
    requests: int = 0


def _daily(series: SeriesArrays) -> dict[date, float | None]:
    out: dict[date, float | None] = {}
    for t, v, f in zip(series.times, series.values, series.flags, strict=True):
        day = datetime.fromtimestamp(float(t), CENTER_TZ).date()
        out[day] = float(v) if f == "N" and np.isfinite(v) else None
    return out


def _o3_daily_max_8h(series: SeriesArrays) -> dict[date, float | None]:
    hours: dict[date, list[float | None]] = defaultdict(lambda: [None] * 24)
    for t, v, f in zip(series.times, series.values, series.flags, strict=True):
        moment = datetime.fromtimestamp(float(t), CENTER_TZ)
        hours[moment.date()][moment.hour] = float(v) if f == "N" and np.isfinite(v) else None
    return {day: o3_daily_max_8h(values) for day, values in hours.items()}


class _Fetcher:
    def __init__(
        self,
        source: SeriesSource,
        start: datetime,
        end: datetime,
        stop: threading.Event | None = None,
    ) -> None:
        self.source, self.start, self.end = source, start, end
        self.stop = stop
        self.failures: list[str] = []
        self.requests = 0

    def get(self, station: str, parameter: str, resolution: str) -> SeriesArrays | None:
        if self.stop is not None and self.stop.is_set():
            return None  # the wall is closing: a hundred more fetches would only wait on retries
        self.requests += 1
        try:
            return self.source.fetch_series(station, parameter, self.start, self.end, resolution)
        except Exception as exc:  # missing data, reported; never a crash of the wall
            self.failures.append(f"{station} {parameter}: {type(exc).__name__}: {exc}")
            return None


def compute_indicators(
    source: SeriesSource,
    stations: Iterable[Station],
    rules: IndicatorRules,
    as_of: date,
    stop: threading.Event | None = None,
) -> IndicatorResult:
    """Every indicator of REFERENCE.md §1 as of `as_of` (a Beijing date), this year and last."""
    start = datetime.combine(date(as_of.year - 1, 1, 1), time(0), CENTER_TZ)
    end = datetime.combine(as_of + timedelta(days=1), time(0), CENTER_TZ)
    fetch = _Fetcher(source, start, end, stop)
    registry = list(stations)
    national_air = [s for s in registry if s.kind == "air_national"]

    # Air: daily means of five pollutants, O3 as daily max 8 h from hourly means.
    per_pollutant: dict[str, dict[str, DailyValues]] = defaultdict(dict)
    for station in national_air:
        keys = {p.key for p in station.parameters}
        for pollutant in AIR_DAILY_POLLUTANTS:
            if pollutant not in keys:
                continue
            if pollutant == "O3":
                series = fetch.get(station.id, "O3", "hour")
                if series is not None:
                    per_pollutant["O3"][station.id] = _o3_daily_max_8h(series)
            else:
                series = fetch.get(station.id, pollutant, "day")
                if series is not None:
                    per_pollutant[pollutant][station.id] = _daily(series)
    city = {p: city_daily(v, rules.min_station_share) for p, v in per_pollutant.items()}
    days = sorted({d for values in city.values() for d in values})
    city_days = {d: {p: city.get(p, {}).get(d) for p in AIR_DAILY_POLLUTANTS} for d in days}
    indicators = [
        pm25_ytd(per_pollutant.get("PM2.5", {}), as_of, rules),
        good_days_share(city_days, as_of, rules),
    ]

    # Water: YTD means of the routine parameters per section.
    wanted_kinds = set(rules.national.kinds) | set(rules.provincial.kinds)
    drinking = {d.station for d in rules.drinking_water}
    sections: dict[str, SectionMeans] = {}
    lake_tp: dict[str, dict[str, DailyValues]] = defaultdict(dict)
    for station in registry:
        on_lake = station.waterbody in ("lake", "reservoir") and station.river in rules.lakes
        if station.kind not in wanted_kinds and station.id not in drinking and not on_lake:
            continue
        keys = {p.key for p in station.parameters}
        means: dict[str, float | None] = {}
        for parameter in SECTION_PARAMETERS:
            if parameter not in keys or parameter not in water.CLASSIFIED:
                continue
            series = fetch.get(station.id, parameter, "day")
            if series is None:
                means[parameter] = None
                continue
            daily = _daily(series)
            means[parameter] = ytd_mean(daily, as_of)
            if parameter == "TP" and on_lake and station.river:
                lake_tp[station.river][station.id] = daily
        sections[station.id] = SectionMeans(
            station.id,
            station.name,
            station.kind,
            station.waterbody or "river",
            station.target_class,
            means,
        )
    indicators.append(section_share(sections.values(), "national", rules))
    indicators.append(section_share(sections.values(), "provincial", rules))
    for lake in rules.lakes:
        indicators.append(
            lake_tp_yoy(lake, lake_tp.get(lake, {}), as_of, rules.lake_names_en.get(lake))
        )
    indicators.append(
        drinking_water_compliance([(d, sections.get(d.station)) for d in rules.drinking_water])
    )
    return IndicatorResult(indicators, as_of, fetch.failures, fetch.requests)


def by_key(result: IndicatorResult) -> Mapping[str, Indicator]:
    return {i.key: i for i in result.indicators}
