"""The simulated atmosphere over Changzhou: what every air station would measure at an instant.

The model is built so that the patterns a duty officer knows are there, and the analyses the
desk runs on them (AQI, exceedance alarms, correlation between neighbours) behave as on real data:

- a **regional field** shared by the whole city: a seasonal PM2.5 level (winter about twice the
  summer one), multiplied by a weather "stagnation" signal that wanders over days (still, humid
  days accumulate pollution; windy days clear it), and a boundary-layer diurnal cycle (highest
  before dawn, lowest mid-afternoon);
- a **spatial field**: 25 anchor signals on a grid over the city, each station seeing a
  distance-weighted mix of them (12 km length scale), so neighbouring stations rise and fall
  together more than distant ones;
- **local terms**: a fixed offset per station (a site near a road or a plant reads higher) and
  short-lived noise;
- pollutant relations: PM10 ≈ PM2.5 / 0.6–0.7 plus wind-blown dust, NO2 with morning and evening
  rush-hour peaks, O3 photochemical with an afternoon peak, strongest on warm days and titrated
  by NO2 at night, CO loosely following PM2.5;
- meteorology at national and provincial stations (temperature, humidity, wind).

All of it is a pure function of (seed, station, time): see sim_noise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from dispatch_app.dataservice.sim_noise import gauss, key_of, smooth, substream
from dispatch_app.network.registry import Station
from dispatch_app.network.scenarios import ScenarioTimeline
from dispatch_app.standards.center_time import CENTER_UTC_OFFSET_S

LOCAL_OFFSET_HOURS: Final = CENTER_UTC_OFFSET_S / 3600
_DAY: Final = 86400.0
_HOUR: Final = 3600.0
_TWO_PI: Final = 2.0 * math.pi
_LENGTH_SCALE_DEG: Final = 0.12  # about 12 km
_ANCHOR_LONS: Final = tuple(119.15 + 0.26 * i for i in range(5))
_ANCHOR_LATS: Final = tuple(31.17 + 0.22 * j for j in range(5))

# Stream numbers of the regional signals (any distinct integers).
_S_STAGNATION_SLOW, _S_STAGNATION_FAST, _S_TEMP, _S_WIND_DIR, _S_HUMIDITY = 11, 12, 13, 14, 15
_S_ANCHOR = 1000
# Per-station streams are key_of(station id) mixed with these.
_L_OFFSET, _L_NOISE, _L_WHITE, _L_DUST, _L_NO2, _L_O3, _L_GAS = 1, 2, 3, 4, 5, 6, 7


def local_hour(t: float) -> float:
    """Hour of day (0–24, fractional) in Asia/Shanghai."""
    return ((t / _HOUR) + LOCAL_OFFSET_HOURS) % 24.0


def day_of_year(t: float) -> float:
    return (((t / _HOUR) + LOCAL_OFFSET_HOURS) / 24.0) % 365.2425


@dataclass(frozen=True)
class Regional:
    """The city-wide state at one instant (shared by all stations)."""

    hour: float
    stagnation: float  # ~N(0, 1); > 0 is still, humid, polluting weather
    pm25: float  # regional PM2.5 before spatial and local terms, µg/m³
    temp: float
    humidity: float
    wind_speed: float
    wind_dir: float
    blh: float  # boundary-layer diurnal factor on ground-level concentrations
    no2_shape: float  # rush-hour shape, 1 on an average hour
    o3_amplitude: float  # afternoon O3 build-up, µg/m³
    anchors: tuple[float, ...]


class AirModel:
    """Air quality and meteorology for a set of stations; deterministic per seed."""

    def __init__(
        self, stations: Sequence[Station], seed: int, timeline: ScenarioTimeline | None = None
    ) -> None:
        self.seed = seed
        self.timeline = timeline
        self._terms: dict[str, tuple[tuple[tuple[int, float], ...], float, float, float]] = {}
        for s in stations:
            self._station_terms(s)
        self._cache: dict[float, Regional] = {}

    def station_terms(
        self, s: Station
    ) -> tuple[tuple[tuple[int, float], ...], float, float, float]:
        """The station's fixed terms (also read by the vectorised history)."""
        return self._station_terms(s)

    def _station_terms(
        self, s: Station
    ) -> tuple[tuple[tuple[int, float], ...], float, float, float]:
        """Fixed per-station terms: anchor weights and offsets of PM, NO2 and O3."""
        terms = self._terms.get(s.id)
        if terms is not None:
            return terms
        anchors = [(lon, lat) for lat in _ANCHOR_LATS for lon in _ANCHOR_LONS]
        w = [
            math.exp(-((s.lon - lon) ** 2 + (s.lat - lat) ** 2) / (2 * _LENGTH_SCALE_DEG**2))
            for lon, lat in anchors
        ]
        # Anchors more than ~3 length scales away contribute nothing measurable: drop them so
        # the per-minute sum runs over a handful of anchors, not all 25.
        w = [x if x > 0.01 else 0.0 for x in w]
        norm = math.sqrt(sum(x * x for x in w)) or 1.0
        k = key_of(s.id)
        # Grid points sit at hotspots (sites, roads, yards): larger and higher offsets.
        spread = 0.25 if s.kind == "air_grid" else 0.15
        bias = 0.08 if s.kind == "air_grid" else 0.0
        terms = (
            tuple((i, x / norm) for i, x in enumerate(w) if x > 0.0),
            bias + spread * gauss(self.seed, k, _L_OFFSET),
            0.2 * gauss(self.seed, k, _L_NO2),
            0.1 * gauss(self.seed, k, _L_O3),
        )
        self._terms[s.id] = terms
        return terms

    # regional -----------------------------------------------------------------------------

    def regional(self, t: float) -> Regional:
        cached = self._cache.get(t)
        if cached is not None:
            return cached
        if len(self._cache) > 4096:
            self._cache.clear()
        seed = self.seed
        h = local_hour(t)
        doy = day_of_year(t)
        winter = math.cos(_TWO_PI * (doy - 15.0) / 365.2425)  # +1 mid-January, −1 mid-July
        stag = (
            0.8 * smooth(seed, _S_STAGNATION_SLOW, t, 40 * _HOUR)
            + 0.6 * smooth(seed, _S_STAGNATION_FAST, t, 9 * _HOUR)
        ) / 1.0
        blh = 1.0 + 0.22 * math.cos(_TWO_PI * (h - 4.0) / 24.0)  # shallow mixing before dawn
        pm = (36.0 + 16.0 * winter) * math.exp(0.45 * stag) * blh
        temp = (
            16.5
            - 11.5 * winter
            + 4.0 * math.cos(_TWO_PI * (h - 14.5) / 24.0)
            + 2.0 * smooth(seed, _S_TEMP, t, 30 * _HOUR)
        )
        humidity = (
            74.0
            - 14.0 * math.cos(_TWO_PI * (h - 14.0) / 24.0)
            + 7.0 * stag
            + 4.0 * smooth(seed, _S_HUMIDITY, t, 12 * _HOUR)
        )
        wind = 2.6 - 0.9 * stag + 0.8 * math.cos(_TWO_PI * (h - 14.0) / 24.0)
        # Winter monsoon from the north-west, summer from the south-east.
        wind_dir = 225.0 + 90.0 * winter + 50.0 * smooth(seed, _S_WIND_DIR, t, 20 * _HOUR)
        rush = 1.6 * math.exp(-(((h - 8.0) / 1.5) ** 2)) + 1.3 * math.exp(
            -(((h - 18.5) / 2.0) ** 2)
        )
        no2_shape = (0.75 + rush) * (1.0 + 0.15 * math.cos(_TWO_PI * (h - 2.0) / 24.0))
        sunny = 1.0 - 0.25 * max(0.0, stag)
        o3_amp = (45.0 + 4.2 * max(0.0, temp - 5.0)) * sunny
        anchors = tuple(
            smooth(seed, _S_ANCHOR + i, t, 3 * _HOUR)
            for i in range(len(_ANCHOR_LONS) * len(_ANCHOR_LATS))
        )
        state = Regional(
            hour=h,
            stagnation=stag,
            pm25=pm,
            temp=temp,
            humidity=min(99.0, max(20.0, humidity)),
            wind_speed=max(0.3, wind),
            wind_dir=wind_dir % 360.0,
            blh=blh,
            no2_shape=no2_shape,
            o3_amplitude=o3_amp,
            anchors=anchors,
        )
        self._cache[t] = state
        return state

    # station ------------------------------------------------------------------------------

    def values(self, station: Station, t: float) -> dict[str, float]:
        """Every parameter of ``station`` at simulated time ``t`` (POSIX seconds), in its unit."""
        r = self.regional(t)
        seed = self.seed
        k = key_of(station.id)
        weights, offset, no2_offset, o3_offset = self._station_terms(station)
        anchors = r.anchors
        spatial = sum(w * anchors[i] for i, w in weights)
        local = 0.10 * smooth(seed, substream(k, 1), t, 25 * 60.0) + 0.05 * gauss(
            seed, k, _L_WHITE, int(t // 60)
        )
        pm_regional = r.pm25
        wind = r.wind_speed
        humidity = r.humidity
        episode_w = 0.0
        if self.timeline is not None:
            episode_w, peak = self.timeline.episode_weight(station, t)
            if episode_w > 0:
                # Blend the regional level towards the episode's peak; the diurnal cycle and
                # the spatial pattern stay, so the city still looks like itself, only worse.
                pm_regional = pm_regional * (1.0 - episode_w) + peak * r.blh * episode_w
                wind = max(0.3, wind * (1.0 - 0.6 * episode_w))
                humidity = min(99.0, humidity + 12.0 * episode_w)
        pm25 = pm_regional * math.exp(0.22 * spatial + offset + local)
        ratio = 0.62 + 0.05 * smooth(seed, substream(k, 2), t, 6 * _HOUR)
        dust = (
            1.0 + 0.12 * max(0.0, wind - 3.0) + 0.05 * smooth(seed, substream(k, 3), t, 2 * _HOUR)
        )
        pm10 = pm25 / ratio * dust
        ventilation = math.exp(0.35 * r.stagnation + 0.5 * episode_w)
        no2 = (
            22.0
            * r.no2_shape
            * ventilation
            * math.exp(
                no2_offset + 0.15 * spatial + 0.08 * smooth(seed, substream(k, 4), t, 40 * 60.0)
            )
        )
        photo = math.exp(-(((r.hour - 15.0) / 3.2) ** 2))
        o3 = max(
            2.0,
            (28.0 - 0.25 * no2)
            + r.o3_amplitude * photo * math.exp(o3_offset) * (1.0 - 0.5 * episode_w)
            + 6.0 * smooth(seed, substream(k, 5), t, 2 * _HOUR),
        )
        so2 = (
            7.0
            * ventilation
            * math.exp(0.2 * smooth(seed, substream(k, 6), t, 4 * _HOUR) + 0.3 * offset)
        )
        co = 0.45 + 0.007 * pm25 + 0.05 * smooth(seed, substream(k, 7), t, 3 * _HOUR)
        out: dict[str, float] = {}
        for p in station.parameters:
            key = p.key
            if key == "PM2.5":
                v = pm25
            elif key == "PM10":
                v = pm10
            elif key == "NO2":
                v = no2
            elif key == "O3":
                v = o3
            elif key == "SO2":
                v = so2
            elif key == "CO":
                v = co
            elif key == "temp":
                v = r.temp + 0.4 * smooth(seed, substream(k, 8), t, 2 * _HOUR)
            elif key == "humidity":
                v = min(
                    100.0, max(10.0, humidity + 2.0 * smooth(seed, substream(k, 9), t, 2 * _HOUR))
                )
            elif key == "wind_speed":
                v = max(0.1, wind * math.exp(0.2 * smooth(seed, substream(k, 10), t, 20 * 60.0)))
            elif key == "wind_dir":
                v = (r.wind_dir + 25.0 * smooth(seed, substream(k, 11), t, 15 * 60.0)) % 360.0
            else:
                continue
            out[key] = _in_unit(key, v, p.unit)
        return out

    def hourly(self, station: Station, hour_start: float) -> dict[str, float]:
        """The hour's average of each parameter (mean of 12 five-minute samples)."""
        sums: dict[str, float] = {}
        n = 12
        for i in range(n):
            for key, v in self.values(station, hour_start + (i + 0.5) * 300.0).items():
                sums[key] = sums.get(key, 0.0) + v
        # Wind direction is circular; its arithmetic mean is wrong across north, but a
        # station's hourly direction only wanders ±25°, so the sample mid-hour stands for it.
        out = {key: total / n for key, total in sums.items()}
        if "wind_dir" in out:
            out["wind_dir"] = self.values(station, hour_start + 1800.0)["wind_dir"]
        return out


def _in_unit(key: str, value: float, unit: str) -> float:
    """Convert from the model's ambient unit to the unit the registry declares for the station."""
    if key in ("PM2.5", "PM10", "SO2", "NO2", "O3"):
        if unit == "mg/m³":
            return value / 1000.0
        if unit == "ng/m³":
            return value * 1000.0
    if key == "CO" and unit == "µg/m³":
        return value * 1000.0
    return value
