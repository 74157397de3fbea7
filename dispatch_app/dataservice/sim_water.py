"""Simulated surface water at the sections: values that wander around each section's target class.

Automatic water stations analyse a sample every few hours (4 h by default) and report it as
hourly data (CN 2061). The model keeps each upper-bounded parameter (CODMn, NH3-N, TP, TN) at
about two thirds of its target-class limit (GB 3838—2002 Table 1, REFERENCE.md §4), wandering over
days and hours so that a section now and then drifts above its target class, as real ones do.
DO follows the saturation concentration at the water temperature with a daylight swing from
photosynthesis; pH and conductivity wander in their usual ranges; water temperature follows the
season. Drill scenarios add spills and blooms on top (see scenarios.py).
"""

from __future__ import annotations

import math
from typing import Final

from dispatch_app.dataservice.sim_air import day_of_year, local_hour
from dispatch_app.dataservice.sim_noise import gauss, key_of, smooth, substream
from dispatch_app.network.registry import Station
from dispatch_app.network.scenarios import ScenarioTimeline

_HOUR: Final = 3600.0
_DAY: Final = 86400.0
_TWO_PI: Final = 2.0 * math.pi

# Upper limits by class Ⅰ–Ⅴ (GB 3838—2002 Table 1, mg/L). These set where the simulated values
# sit; evaluating a section against the standard is standards/'s job, not the simulator's.
_LIMITS: Final[dict[str, tuple[float, float, float, float, float]]] = {
    "CODMn": (2.0, 4.0, 6.0, 10.0, 15.0),
    "COD": (15.0, 15.0, 20.0, 30.0, 40.0),
    "NH3-N": (0.15, 0.5, 1.0, 1.5, 2.0),
    "TP_river": (0.02, 0.1, 0.2, 0.3, 0.4),
    "TP_lake": (0.01, 0.025, 0.05, 0.1, 0.2),
    "TN": (0.2, 0.5, 1.0, 1.5, 2.0),
}
# Where the value sits relative to its limit. Taihu's lakes are phosphorus- and nitrogen-rich:
# their TP and TN sit close to the limit (REFERENCE.md §1: TP is the key lake indicator).
_LEVEL: Final[dict[str, float]] = {
    "CODMn": 0.66,
    "COD": 0.66,
    "NH3-N": 0.55,
    "TP_river": 0.62,
    "TP_lake": 0.85,
    "TN": 0.9,
}
_L_WHITE = 103
# Stream numbers of each wandering parameter (two each: slow and fast).
_WANDER: Final = {"CODMn": 30, "COD": 32, "NH3-N": 34, "TP": 36, "TN": 38}


def do_saturation(temp_c: float) -> float:
    """Dissolved-oxygen saturation in fresh water at sea level, mg/L (APHA 4500-O polynomial)."""
    t = max(0.0, min(40.0, temp_c))
    return 14.62 - 0.3898 * t + 0.006969 * t * t - 0.00005897 * t**3


def daylight(hour: float) -> float:
    """0 at night, rising to 1 at 13:00: drives photosynthesis (DO and pH swing)."""
    return max(0.0, math.sin(math.pi * (hour - 6.0) / 14.0)) if 6.0 <= hour <= 20.0 else 0.0


class WaterModel:
    """Water quality at the sections; deterministic per seed."""

    def __init__(self, seed: int, timeline: ScenarioTimeline | None = None) -> None:
        self.seed = seed
        self.timeline = timeline

    def _wander(self, k: int, stream: int, t: float) -> float:
        """A log-scale wander: slow (days), faster (hours) and a little analytical noise."""
        seed = self.seed
        return (
            0.16 * smooth(seed, substream(k, stream), t, 3 * _DAY)
            + 0.10 * smooth(seed, substream(k, stream + 1), t, 10 * _HOUR)
            + 0.04 * gauss(seed, k, stream, _L_WHITE, int(t // 60))
        )

    def values(self, station: Station, t: float) -> dict[str, float]:
        """Every parameter of ``station`` at simulated time ``t`` (POSIX seconds)."""
        seed = self.seed
        k = key_of(station.id)
        target = station.target_class or 3
        lake = station.waterbody in ("lake", "reservoir")
        h = local_hour(t)
        doy = day_of_year(t)
        winter = math.cos(_TWO_PI * (doy - 20.0) / 365.2425)
        sun = daylight(h)
        water_temp = (
            17.5
            - 12.0 * winter
            + 0.8 * math.cos(_TWO_PI * (h - 16.0) / 24.0)
            + 0.6 * smooth(seed, substream(k, 21), t, 2 * _DAY)
        )
        delta: dict[str, float] = {}
        bloom = 0.0
        if self.timeline is not None:
            delta, bloom = self.timeline.water_effect(station, t)
        do = do_saturation(water_temp) * (
            0.84
            + (0.10 if lake else 0.06) * (sun - 0.4)
            + 0.04 * smooth(seed, substream(k, 22), t, _DAY)
        )
        # A bloom supersaturates the water by day and strips it of oxygen by night (湖泛 risk).
        do += bloom * (4.0 * sun - 4.5 * (1.0 - sun))
        ph = (
            (7.9 if lake else 7.5)
            + 0.25 * (sun - 0.4)
            + 0.12 * smooth(seed, substream(k, 23), t, _DAY)
            + 0.8 * bloom * sun
        )
        conductivity = (440.0 if lake else 560.0) * math.exp(
            0.12 * smooth(seed, substream(k, 24), t, 2 * _DAY)
        )
        out: dict[str, float] = {}
        for p in station.parameters:
            key = p.key
            if key in ("CODMn", "COD", "NH3-N", "TN", "TP"):
                table = ("TP_lake" if lake else "TP_river") if key == "TP" else key
                limit = _LIMITS[table][target - 1]
                v = limit * _LEVEL[table] * math.exp(self._wander(k, _WANDER[key], t))
            elif key == "DO":
                v = do
            elif key == "pH":
                v = ph
            elif key == "water_temp":
                v = water_temp
            elif key == "conductivity":
                v = conductivity
            else:
                continue
            v += delta.get(key, 0.0)
            if key == "conductivity":
                v += 40.0 * delta.get("NH3-N", 0.0)  # a spill of salts raises conductivity too
            out[key] = _clamp(key, v)
        return out


def _clamp(key: str, value: float) -> float:
    if key == "pH":
        return min(14.0, max(0.0, value))
    if key == "DO":
        return max(0.1, value)
    if key == "water_temp":
        return max(0.0, value)
    return max(0.0, value)
