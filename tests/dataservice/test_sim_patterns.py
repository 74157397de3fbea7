"""The simulated network looks like a real one: diurnal shapes, pollutant ratios, spatial
correlation, water values around their target class."""

from __future__ import annotations

import itertools
import math
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_app.dataservice.sim_air import AirModel, local_hour
from dispatch_app.dataservice.sim_noise import gauss, smooth, substream, uniform
from dispatch_app.dataservice.sim_water import WaterModel
from dispatch_app.network.registry import Registry, Station, load_registry

# Local midnight, 2 November 2026 (16:00 UTC the day before).
START = datetime(2026, 11, 1, 16, 0, tzinfo=UTC).timestamp()
HOUR = 3600.0


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def air(registry: Registry) -> AirModel:
    return AirModel([s for s in registry if not s.is_water], seed=0)


def _by_local_hour(model: AirModel, station: Station, key: str, days: int) -> list[float]:
    sums = [0.0] * 24
    counts = [0] * 24
    for i in range(days * 24):
        t = START + i * HOUR + 1800
        h = int(local_hour(t))
        sums[h] += model.values(station, t)[key]
        counts[h] += 1
    return [s / c for s, c in zip(sums, counts, strict=True)]


def test_pm25_is_highest_at_night_and_lowest_in_the_afternoon(
    registry: Registry, air: AirModel
) -> None:
    station = registry.by_id("AQ-N-02")  # 行政中心
    assert station is not None
    pm = _by_local_hour(air, station, "PM2.5", days=21)
    night = statistics.mean(pm[0:8])
    afternoon = statistics.mean(pm[13:18])
    assert night > 1.3 * afternoon
    # A November level in the range Changzhou sees (the seed's annual mean is 33 µg/m³).
    assert 25 < statistics.mean(pm) < 80


def test_no2_peaks_at_rush_hours_and_o3_in_the_afternoon(registry: Registry, air: AirModel) -> None:
    station = registry.by_id("AQ-N-03")
    assert station is not None
    no2 = _by_local_hour(air, station, "NO2", days=14)
    o3 = _by_local_hour(air, station, "O3", days=14)
    assert no2[8] > 1.8 * no2[3] and no2[8] > 1.8 * no2[13]
    assert no2[18] > 1.5 * no2[13]
    assert max(range(24), key=lambda h: o3[h]) in (13, 14, 15, 16)
    assert o3[15] > 2.5 * o3[4]


def test_pm25_to_pm10_ratio_and_met_ranges(registry: Registry, air: AirModel) -> None:
    ratios = []
    for s in registry.by_kind("air_national"):
        for i in range(0, 24 * 7, 5):
            v = air.values(s, START + i * HOUR)
            ratios.append(v["PM2.5"] / v["PM10"])
            assert 0 <= v["wind_dir"] < 360 and v["wind_speed"] > 0
            assert 10 <= v["humidity"] <= 100 and -10 < v["temp"] < 30
            assert 0.1 < v["CO"] < 5 and v["SO2"] > 0 and v["O3"] > 0
    assert 0.5 < statistics.mean(ratios) < 0.75
    assert all(0.3 < r < 0.95 for r in ratios)


def _km(a: Station, b: Station) -> float:
    return math.hypot((a.lon - b.lon) * 94.6, (a.lat - b.lat) * 111.0)


def test_near_stations_correlate_more_than_far_ones(registry: Registry, air: AirModel) -> None:
    candidates = registry.by_kind("air_township") + registry.by_kind("air_national")
    pairs = [(a, b, _km(a, b)) for a, b in itertools.combinations(candidates, 2)]
    near = sorted((p for p in pairs if p[2] < 4), key=lambda p: p[2])[:6]
    far = [p for p in pairs if p[2] > 60][:6]
    assert len(near) == 6 and len(far) == 6

    def log_series(s: Station) -> list[float]:
        return [math.log(air.values(s, START + i * HOUR)["PM2.5"]) for i in range(24 * 10)]

    def corr(a: Station, b: Station) -> float:
        return statistics.correlation(log_series(a), log_series(b))

    near_r = statistics.mean(corr(a, b) for a, b, _ in near)
    far_r = statistics.mean(corr(a, b) for a, b, _ in far)
    assert near_r > far_r + 0.05, (near_r, far_r)
    # One city, one weather: even far stations go up and down together.
    assert far_r > 0.5


def test_water_values_wander_around_the_target_class(registry: Registry) -> None:
    model = WaterModel(seed=0)
    limits = {2: {"CODMn": 4.0, "NH3-N": 0.5}, 3: {"CODMn": 6.0, "NH3-N": 1.0}}
    river_tp = {2: 0.1, 3: 0.2}
    sections = [s for s in registry if s.is_water and s.target_class in (2, 3)]
    above = total = 0
    for s in sections[::3]:
        assert s.target_class is not None
        samples = [model.values(s, START + i * 4 * HOUR) for i in range(6 * 20)]
        for key, limit in limits[s.target_class].items():
            values = [v[key] for v in samples]
            assert statistics.median(values) < limit, (s.id, key)
            assert statistics.median(values) > 0.3 * limit, (s.id, key)
            above += sum(1 for v in values if v > limit)
            total += len(values)
        if s.waterbody == "river":
            assert statistics.median(v["TP"] for v in samples) < river_tp[s.target_class]
        do = [v["DO"] for v in samples]
        ph = [v["pH"] for v in samples]
        assert min(do) > 5.0 and min(ph) > 6.5 and max(ph) < 9.0
        assert len({round(x, 3) for x in do}) > 50  # it moves
    # Now and then a section drifts above its target class, as real ones do; rarely.
    assert 0 < above / total < 0.1


def test_lake_sections_carry_tn_and_sit_close_to_their_tp_limit(registry: Registry) -> None:
    model = WaterModel(seed=0)
    lake = [s for s in registry if s.waterbody == "lake"]
    assert {s.river for s in lake} == {"竺山湖", "滆湖", "长荡湖"}
    for s in lake:
        samples = [model.values(s, START + i * 4 * HOUR) for i in range(60)]
        assert all("TN" in v for v in samples)
        tp = statistics.median(v["TP"] for v in samples)
        assert 0.025 < tp < 0.1  # Class Ⅲ lake limit 0.05: TP is the lakes' problem


def test_the_noise_is_what_its_names_say() -> None:
    """Uniform on [0, 1), standard normal, smooth with unit variance, independent streams."""
    u = [uniform(1, 7, i) for i in range(20000)]
    assert min(u) >= 0 and max(u) < 1 and abs(statistics.mean(u) - 0.5) < 0.01
    g = [gauss(1, 7, i) for i in range(20000)]
    assert abs(statistics.mean(g)) < 0.03 and abs(statistics.pstdev(g) - 1) < 0.03
    s = [smooth(1, 9, i * 600.0, 3 * HOUR) for i in range(20000)]
    assert abs(statistics.pstdev(s) - 1) < 0.1
    # Smooth: ten minutes apart the signal has barely moved.
    assert statistics.mean(abs(a - b) for a, b in itertools.pairwise(s)) < 0.2
    a = [smooth(1, substream(5, 1), i * 600.0, 2 * HOUR) for i in range(3000)]
    b = [smooth(1, substream(5, 2), i * 600.0, 2 * HOUR) for i in range(3000)]
    assert abs(statistics.correlation(a, b)) < 0.1


def test_runs_are_identical_across_processes_and_hash_seeds() -> None:
    """Nothing depends on Python's per-process hash randomisation or on the global random."""
    code = (
        "import hashlib, random\n"
        "from dispatch_app.network.registry import load_registry\n"
        "from dispatch_app.dataservice.simulator import generate_packets\n"
        "random.seed(None)\n"
        "r = load_registry()\n"
        "st = r.by_kind('air_national') + r.by_kind('water_national')[:3]\n"
        "h = hashlib.sha256()\n"
        "for p in generate_packets(r, 1795881600, 1795881600 + 1800, seed=42, stations=st):\n"
        "    h.update(p.data)\n"
        "print(h.hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
            cwd=str(Path(__file__).resolve().parents[2]),
        ).stdout.strip()
        for seed in (1, 2)
    }
    assert len(digests) == 1 and len(next(iter(digests))) == 64
