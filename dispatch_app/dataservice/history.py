"""The simulated network's history: a year and more of hourly values, computed at once with numpy.

A fresh embedded data service would otherwise know only the last two days (the simulator's HJ 212
backfill) and a desk's year-to-date and same-period-last-year indicators, its 30-day and 1-year
trends would have nothing to show for a year. Sending that much history through HJ 212 takes
hours; computing it value by value with the simulator's scalar models takes minutes. Here the
same models (sim_air, sim_water, sim_noise) are written over numpy arrays of time: one pass per
station computes every hour of the span, bit for bit the functions the scalar models evaluate
(to floating-point rounding), and the storage takes them as one row per station, parameter and
day (`Storage.write_history`).

What it covers: the national and provincial air stations (hourly averages of every parameter,
the mean of twelve five-minute samples as `AirModel.hourly`) and every water section (one sample
per reporting interval, as the sections send them). Township stations and grid points are left
out: 270 of them would multiply the work and the storage for curves no indicator reads.

Faults: an air station's maintenance hours and a section's maintenance, calibration and lost
samples are decided by the same hashes as the live simulator's (`FaultRates`), and are missing
values in the history. Late data and per-parameter analyser faults are left out: the history is
an archive, not a replay of the links.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import numpy as np
from numpy.typing import NDArray

from dispatch_app.dataservice.sim_air import AirModel, _in_unit
from dispatch_app.dataservice.sim_noise import key_of, substream
from dispatch_app.dataservice.sim_water import _LEVEL, _LIMITS, _WANDER
from dispatch_app.dataservice.simulator import (
    _F_CAL,
    _F_DROP,
    _F_MAINT,
    DECIMALS,
    FaultRates,
)
from dispatch_app.dataservice.storage import HistoryRange, Storage
from dispatch_app.network.registry import Station
from dispatch_app.standards.center_time import CENTER_TZ, CENTER_UTC_OFFSET_S

log = logging.getLogger(__name__)

DAY_S: Final = 86400
HOUR_S: Final = 3600
HISTORY_KINDS: Final = frozenset(
    {"air_national", "air_provincial", "water_national", "water_provincial", "water_boundary"}
)

F64 = NDArray[np.float64]
U64 = NDArray[np.uint64]

_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)
_M1: Final = np.uint64(0xBF58476D1CE4E5B9)
_M2: Final = np.uint64(0x94D049BB133111EB)
_INV_2_53: Final = 1.0 / (1 << 53)
_TWO_PI: Final = 2.0 * math.pi


# --- sim_noise over arrays ---------------------------------------------------------------------


def _u64(part: int | NDArray[np.int64]) -> U64 | np.uint64:
    if isinstance(part, np.ndarray):
        return part.astype(np.int64).view(np.uint64)  # two's complement: part & MASK
    return np.uint64(part & 0xFFFFFFFFFFFFFFFF)


def mix64(x: U64) -> U64:
    """sim_noise.mix64 on uint64 arrays (numpy's uint64 arithmetic wraps modulo 2**64)."""
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def hash_of(seed: int, *parts: int | NDArray[np.int64]) -> U64:
    h: U64 = mix64(np.atleast_1d(np.uint64(seed & 0xFFFFFFFFFFFFFFFF)))
    for p in parts:
        h = mix64(h ^ _u64(p))
    return h


def uniform(seed: int, *parts: int | NDArray[np.int64]) -> F64:
    return (hash_of(seed, *parts) >> np.uint64(11)).astype(np.float64) * _INV_2_53


def gauss(seed: int, *parts: int | NDArray[np.int64]) -> F64:
    h = hash_of(seed, *parts)
    u1 = ((h >> np.uint64(11)) + np.uint64(1)).astype(np.float64) * _INV_2_53
    u2 = (mix64(h) >> np.uint64(11)).astype(np.float64) * _INV_2_53
    out: F64 = np.sqrt(-2.0 * np.log(u1)) * np.cos(_TWO_PI * u2)
    return out


def smooth(seed: int, stream: int, t: F64, period_s: float) -> F64:
    """sim_noise.smooth over an array of times: knots computed once for the span."""
    x = t / period_s
    k = np.floor(x)
    f = x - k
    w = 0.5 - 0.5 * np.cos(np.pi * f)
    ki = k.astype(np.int64)
    low = int(ki.min())
    knots = gauss(seed, stream, np.arange(low, int(ki.max()) + 2, dtype=np.int64))
    a = knots[ki - low]
    b = knots[ki - low + 1]
    out: F64 = ((1.0 - w) * a + w * b) / np.sqrt((1.0 - w) ** 2 + w * w)
    return out


def _minutes(t: F64) -> NDArray[np.int64]:
    return np.floor(t / 60.0).astype(np.int64)


# --- sim_air over arrays -----------------------------------------------------------------------


@dataclass
class _Regional:
    hour: F64
    stagnation: F64
    pm25: F64
    temp: F64
    humidity: F64
    wind_speed: F64
    wind_dir: F64
    no2_shape: F64
    o3_amplitude: F64
    anchors: list[F64]


def _local_hour(t: F64) -> F64:
    out: F64 = ((t / HOUR_S) + 8.0) % 24.0
    return out


def _day_of_year(t: F64) -> F64:
    out: F64 = (((t / HOUR_S) + 8.0) / 24.0) % 365.2425
    return out


def _regional(seed: int, t: F64) -> _Regional:
    """AirModel.regional for every time of ``t`` (no scenario)."""
    h = _local_hour(t)
    winter = np.cos(_TWO_PI * (_day_of_year(t) - 15.0) / 365.2425)
    stag = 0.8 * smooth(seed, 11, t, 40 * HOUR_S) + 0.6 * smooth(seed, 12, t, 9 * HOUR_S)
    blh = 1.0 + 0.22 * np.cos(_TWO_PI * (h - 4.0) / 24.0)
    pm = (36.0 + 16.0 * winter) * np.exp(0.45 * stag) * blh
    temp = (
        16.5
        - 11.5 * winter
        + 4.0 * np.cos(_TWO_PI * (h - 14.5) / 24.0)
        + 2.0 * smooth(seed, 13, t, 30 * HOUR_S)
    )
    humidity = (
        74.0
        - 14.0 * np.cos(_TWO_PI * (h - 14.0) / 24.0)
        + 7.0 * stag
        + 4.0 * smooth(seed, 15, t, 12 * HOUR_S)
    )
    wind = 2.6 - 0.9 * stag + 0.8 * np.cos(_TWO_PI * (h - 14.0) / 24.0)
    wind_dir = 225.0 + 90.0 * winter + 50.0 * smooth(seed, 14, t, 20 * HOUR_S)
    rush = 1.6 * np.exp(-(((h - 8.0) / 1.5) ** 2)) + 1.3 * np.exp(-(((h - 18.5) / 2.0) ** 2))
    no2_shape = (0.75 + rush) * (1.0 + 0.15 * np.cos(_TWO_PI * (h - 2.0) / 24.0))
    sunny = 1.0 - 0.25 * np.maximum(0.0, stag)
    o3_amp = (45.0 + 4.2 * np.maximum(0.0, temp - 5.0)) * sunny
    return _Regional(
        hour=h,
        stagnation=stag,
        pm25=pm,
        temp=temp,
        humidity=np.minimum(99.0, np.maximum(20.0, humidity)),
        wind_speed=np.maximum(0.3, wind),
        wind_dir=wind_dir % 360.0,
        no2_shape=no2_shape,
        o3_amplitude=o3_amp,
        anchors=[smooth(seed, 1000 + i, t, 3 * HOUR_S) for i in range(25)],
    )


def air_values(
    model: AirModel, station: Station, t: F64, regional: _Regional | None = None
) -> dict[str, F64]:
    """AirModel.values for every time of ``t``: parameter key → values, in the station's unit."""
    seed = model.seed
    r = regional if regional is not None else _regional(seed, t)
    k = key_of(station.id)
    weights, offset, no2_offset, o3_offset = model.station_terms(station)
    spatial = np.zeros_like(t)
    for i, w in weights:
        spatial = spatial + w * r.anchors[i]
    local = 0.10 * smooth(seed, substream(k, 1), t, 25 * 60.0) + 0.05 * gauss(
        seed, k, 3, _minutes(t)
    )
    wind, humidity = r.wind_speed, r.humidity
    pm25 = r.pm25 * np.exp(0.22 * spatial + offset + local)
    ratio = 0.62 + 0.05 * smooth(seed, substream(k, 2), t, 6 * HOUR_S)
    dust = (
        1.0
        + 0.12 * np.maximum(0.0, wind - 3.0)
        + 0.05 * smooth(seed, substream(k, 3), t, 2 * HOUR_S)
    )
    ventilation = np.exp(0.35 * r.stagnation)
    no2 = (
        22.0
        * r.no2_shape
        * ventilation
        * np.exp(no2_offset + 0.15 * spatial + 0.08 * smooth(seed, substream(k, 4), t, 40 * 60.0))
    )
    photo = np.exp(-(((r.hour - 15.0) / 3.2) ** 2))
    o3 = np.maximum(
        2.0,
        (28.0 - 0.25 * no2)
        + r.o3_amplitude * photo * math.exp(o3_offset)
        + 6.0 * smooth(seed, substream(k, 5), t, 2 * HOUR_S),
    )
    makers: dict[str, Callable[[], F64]] = {
        "PM2.5": lambda: pm25,
        "PM10": lambda: pm25 / ratio * dust,
        "NO2": lambda: no2,
        "O3": lambda: o3,
        "SO2": lambda: (
            7.0
            * ventilation
            * np.exp(0.2 * smooth(seed, substream(k, 6), t, 4 * HOUR_S) + 0.3 * offset)
        ),
        "CO": lambda: 0.45 + 0.007 * pm25 + 0.05 * smooth(seed, substream(k, 7), t, 3 * HOUR_S),
        "temp": lambda: r.temp + 0.4 * smooth(seed, substream(k, 8), t, 2 * HOUR_S),
        "humidity": lambda: np.minimum(
            100.0,
            np.maximum(10.0, humidity + 2.0 * smooth(seed, substream(k, 9), t, 2 * HOUR_S)),
        ),
        "wind_speed": lambda: np.maximum(
            0.1, wind * np.exp(0.2 * smooth(seed, substream(k, 10), t, 20 * 60.0))
        ),
        "wind_dir": lambda: (
            (r.wind_dir + 25.0 * smooth(seed, substream(k, 11), t, 15 * 60.0)) % 360.0
        ),
    }
    out: dict[str, F64] = {}
    for p in station.parameters:
        make = makers.get(p.key)
        if make is not None:
            out[p.key] = np.asarray(_in_unit(p.key, make(), p.unit))  # type: ignore[arg-type]
    return out


# --- sim_water over arrays ---------------------------------------------------------------------


def _daylight(h: F64) -> F64:
    out: F64 = np.where(
        (h >= 6.0) & (h <= 20.0), np.maximum(0.0, np.sin(np.pi * (h - 6.0) / 14.0)), 0.0
    )
    return out


def _do_saturation(temp_c: F64) -> F64:
    t = np.clip(temp_c, 0.0, 40.0)
    out: F64 = 14.62 - 0.3898 * t + 0.006969 * t * t - 0.00005897 * t**3
    return out


def water_values(seed: int, station: Station, t: F64) -> dict[str, F64]:
    """WaterModel.values for every time of ``t`` (no scenario)."""
    k = key_of(station.id)
    target = station.target_class or 3
    lake = station.waterbody in ("lake", "reservoir")
    h = _local_hour(t)
    winter = np.cos(_TWO_PI * (_day_of_year(t) - 20.0) / 365.2425)
    sun = _daylight(h)
    water_temp = (
        17.5
        - 12.0 * winter
        + 0.8 * np.cos(_TWO_PI * (h - 16.0) / 24.0)
        + 0.6 * smooth(seed, substream(k, 21), t, 2 * DAY_S)
    )

    def wander(stream: int) -> F64:
        out: F64 = (
            0.16 * smooth(seed, substream(k, stream), t, 3 * DAY_S)
            + 0.10 * smooth(seed, substream(k, stream + 1), t, 10 * HOUR_S)
            + 0.04 * gauss(seed, k, stream, 103, _minutes(t))
        )
        return out

    out: dict[str, F64] = {}
    for p in station.parameters:
        key = p.key
        if key in ("CODMn", "COD", "NH3-N", "TN", "TP"):
            table = ("TP_lake" if lake else "TP_river") if key == "TP" else key
            v = _LIMITS[table][target - 1] * _LEVEL[table] * np.exp(wander(_WANDER[key]))
        elif key == "DO":
            v = np.maximum(
                0.1,
                _do_saturation(water_temp)
                * (
                    0.84
                    + (0.10 if lake else 0.06) * (sun - 0.4)
                    + 0.04 * smooth(seed, substream(k, 22), t, DAY_S)
                ),
            )
        elif key == "pH":
            v = np.clip(
                (7.9 if lake else 7.5)
                + 0.25 * (sun - 0.4)
                + 0.12 * smooth(seed, substream(k, 23), t, DAY_S),
                0.0,
                14.0,
            )
        elif key == "water_temp":
            v = water_temp
        elif key == "conductivity":
            v = (440.0 if lake else 560.0) * np.exp(
                0.12 * smooth(seed, substream(k, 24), t, 2 * DAY_S)
            )
        else:
            continue
        out[key] = np.maximum(0.0, v) if key not in ("pH", "DO") else v
    return out


# --- the history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryBlock:
    """One station's parameter over whole China Standard Time days: ``values[d, i]`` is slot i
    of day d, covering [first_day + d·86400 + i·step_s, … + step_s); NaN when missing."""

    station: str
    parameter: str
    first_day: int  # the first day's start, UTC seconds (00:00 CST)
    step_s: int
    values: F64  # shape (days, 86400 // step_s)

    @property
    def days(self) -> int:
        return int(self.values.shape[0])

    def day_rows(self) -> Iterator[tuple[str, str, int, int, bytes]]:
        """(station, parameter, day start, step, little-endian float64 values) per day."""
        data = np.ascontiguousarray(self.values, dtype="<f8")
        for d in range(data.shape[0]):
            yield (
                self.station,
                self.parameter,
                self.first_day + d * DAY_S,
                self.step_s,
                data[d].tobytes(),
            )


def day_start(t: float) -> int:
    return int((t + CENTER_UTC_OFFSET_S) // DAY_S * DAY_S - CENTER_UTC_OFFSET_S)


def history_start(now_s: float, days: int) -> int:
    """Where a history of at least ``days`` days starts: also never later than 1 January of last
    year (CST), so that this year and the same period of last year are both whole."""
    local = datetime.fromtimestamp(now_s, CENTER_TZ)
    january = datetime(local.year - 1, 1, 1, tzinfo=CENTER_TZ).timestamp()
    return min(day_start(now_s) - days * DAY_S, int(january))


def history_stations(stations: Sequence[Station]) -> list[Station]:
    return [s for s in stations if s.kind in HISTORY_KINDS]


def _rounded(key: str, values: F64) -> F64:
    out: F64 = np.round(values, DECIMALS.get(key, 3))
    return out


def _blocks(
    station: Station, step_s: int, first_day: int, n_days: int, values: dict[str, F64]
) -> Iterator[HistoryBlock]:
    per_day = DAY_S // step_s
    for key, series in values.items():
        yield HistoryBlock(station.id, key, first_day, step_s, series.reshape(n_days, per_day))


def air_history(
    model: AirModel,
    station: Station,
    first_day: int,
    n_days: int,
    end_s: int,
    rates: FaultRates,
    regional: tuple[_Regional, _Regional] | None = None,
) -> Iterator[HistoryBlock]:
    """Hourly averages (AirModel.hourly) of every hour of ``n_days`` days from ``first_day``;
    hours from ``end_s`` on are left missing (the live stream brings them)."""
    hours = first_day + HOUR_S * np.arange(n_days * 24, dtype=np.float64)
    samples = (hours[:, None] + (np.arange(12) + 0.5) * 300.0).ravel()
    reg_samples, reg_mid = regional or (
        _regional(model.seed, samples),
        _regional(model.seed, hours + 1800.0),
    )
    means = {
        key: v.reshape(-1, 12).mean(axis=1)
        for key, v in air_values(model, station, samples, reg_samples).items()
    }
    if "wind_dir" in means:  # as AirModel.hourly: the sample mid-hour, the mean being circular
        means["wind_dir"] = air_values(model, station, hours + 1800.0, reg_mid)["wind_dir"]
    hour_index = (hours // HOUR_S).astype(np.int64)
    missing = hours >= end_s
    if rates.maintenance:
        missing |= uniform(model.seed, key_of(station.id), _F_MAINT, hour_index) < rates.maintenance
    for key in means:
        means[key] = np.where(missing, np.nan, _rounded(key, means[key]))
    yield from _blocks(station, HOUR_S, first_day, n_days, means)


def water_history(
    seed: int, station: Station, first_day: int, n_days: int, end_s: int, rates: FaultRates
) -> Iterator[HistoryBlock]:
    """The samples of ``n_days`` days, one per reporting interval, aligned in local time as the
    simulator takes them; lost, maintenance and calibration samples missing."""
    step = int(station.interval_s)
    if step < HOUR_S or DAY_S % step:
        step = HOUR_S  # an interval that does not divide the day: keep hourly slots
    times = first_day + step * np.arange(n_days * (DAY_S // step), dtype=np.float64)
    values = water_values(seed, station, times)
    slot = _minutes(times)
    k = key_of(station.id)
    missing = times >= end_s
    if rates.dropout:
        missing |= uniform(seed, k, _F_DROP, slot) < rates.dropout
    if rates.maintenance:
        missing |= uniform(seed, k, _F_MAINT, slot) < rates.maintenance
    if rates.calibration:
        missing |= uniform(seed, k, _F_CAL, slot) < rates.calibration
    for key in values:
        values[key] = np.where(missing, np.nan, _rounded(key, values[key]))
    yield from _blocks(station, step, first_day, n_days, values)


def generate_history(
    stations: Sequence[Station],
    start_s: int,
    end_s: int,
    *,
    seed: int = 0,
    rates: FaultRates | None = None,
) -> Iterator[HistoryBlock]:
    """The history of ``stations`` (those of HISTORY_KINDS) over [start_s, end_s): whole CST
    days from the day of ``start_s``, slots at or after ``end_s`` missing. Station by station,
    so a caller can write as it goes and memory stays bounded."""
    rates = rates or FaultRates()
    first_day = day_start(start_s)
    n_days = max(0, (day_start(end_s - 1) - first_day) // DAY_S + 1) if end_s > start_s else 0
    if n_days == 0:
        return
    chosen = history_stations(stations)
    air = [s for s in chosen if not s.is_water]
    model = AirModel(air, seed)
    regional: tuple[_Regional, _Regional] | None = None
    if air:
        # The city-wide state is shared by every air station: computed once for the span.
        hours = first_day + HOUR_S * np.arange(n_days * 24, dtype=np.float64)
        samples = (hours[:, None] + (np.arange(12) + 0.5) * 300.0).ravel()
        regional = (_regional(seed, samples), _regional(seed, hours + 1800.0))
    for station in air:
        yield from air_history(model, station, first_day, n_days, end_s, rates, regional)
    for station in chosen:
        if station.is_water:
            yield from water_history(seed, station, first_day, n_days, end_s, rates)


def ensure_history(
    storage: Storage,
    stations: Sequence[Station],
    days: int,
    *,
    seed: int = 0,
    now_s: float | None = None,
) -> int:
    """Give ``storage`` a history of at least ``days`` days up to the current hour. Done once
    per storage: a later start only adds the days since (or everything again for another seed,
    or when the wanted start moved back, as at a new year). Returns the number of day rows
    written.

    It reaches the current hour although the simulator's HJ 212 backfill re-sends the last
    hours: that takes a while to arrive, and a desk connecting at once must already see its
    24 hours. Where an hour has observations they win (`Storage.series_hourly`)."""
    if days <= 0:
        return 0
    now = time.time() if now_s is None else now_s
    end = int(now // HOUR_S * HOUR_S)
    start = history_start(now, days)
    have = storage.history_range()
    if have is not None and have.seed == seed and have.start_s <= start:
        if have.end_s >= end:
            return 0
        start = have.start_s
        generate_from = have.end_s  # its day is regenerated whole: the same values, and the rest
    else:
        generate_from = start
    began = time.monotonic()
    rows = (
        row
        for block in generate_history(stations, generate_from, end, seed=seed)
        for row in block.day_rows()
    )
    written = storage.write_history(rows, HistoryRange(start, end, seed))
    log.info(
        "history: %d day rows from %s to %s in %.1f s",
        written,
        datetime.fromtimestamp(generate_from, CENTER_TZ).isoformat(),
        datetime.fromtimestamp(end, CENTER_TZ).isoformat(),
        time.monotonic() - began,
    )
    return written
