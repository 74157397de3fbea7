"""The numpy path equals the exact scalar path, element by element, including every
breakpoint, its neighbours, rounding ties and many random values."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from dispatch_app.standards import aqi, aqi_batch
from dispatch_app.standards.aqi_tables import BREAKPOINTS, POLLUTANTS
from dispatch_app.standards.rounding import round_concentration

RNG_SEED = 20261128


def probe_values(pollutant: str, table: tuple[tuple[Decimal, int], ...]) -> list[float]:
    """Breakpoints, their neighbours on and off the grid, rounding ties and random values."""
    rng = np.random.default_rng(RNG_SEED)
    top = float(table[-1][0])
    values: set[float] = {0.0}
    for bp, _ in table:
        b = float(bp)
        for d in (0.0, 0.04, 0.05, 0.06, 0.1, 0.15, 0.25, 0.45, 0.49, 0.5, 0.51, 1.0, 1.5):
            values.update({b + d, max(b - d, 0.0)})
        values.update({math.nextafter(b, math.inf), math.nextafter(b, 0.0)})
    if pollutant == "CO":
        values.update((np.arange(0, int(top * 10) + 20) / 10 + 0.05).tolist())  # tenth ties
    values.update((np.arange(0, min(int(top), 1000) + 20) + 0.5).tolist())  # unit ties
    values.update(np.round(rng.uniform(0, top * 1.2, 1500), 1).tolist())
    values.update(np.round(rng.uniform(0, top * 1.2, 1500), 2).tolist())
    values.update(np.round(rng.uniform(0, top * 1.2, 1500), 3).tolist())
    values.update(rng.uniform(0, top * 1.2, 1500).tolist())
    values.update(rng.uniform(0, 3, 800).tolist())
    values.update([top * 5, 1e12, 1e300])
    return sorted(values)


CASES = [
    (std, pollutant, period)
    for std, tables in BREAKPOINTS.items()
    for (pollutant, period) in tables
]


@pytest.mark.parametrize(("std", "pollutant", "period"), CASES)
def test_iaqi_array_equals_scalar(std: str, pollutant: str, period: str) -> None:
    values = probe_values(pollutant, BREAKPOINTS[std][(pollutant, period)])
    batch = aqi_batch.iaqi_array(pollutant, np.array(values), period, std)
    for v, got in zip(values, batch.tolist(), strict=True):
        if v > 1e20:
            continue  # beyond the decimal context of the scalar path (it refuses these)
        expected = aqi.iaqi(pollutant, v, period, std)
        assert got == (aqi_batch.SUBSTITUTE if expected is None else expected), (v, got)


@pytest.mark.parametrize("pollutant", POLLUTANTS)
def test_rounding_equals_scalar(pollutant: str) -> None:
    values = probe_values(
        pollutant,
        BREAKPOINTS["HJ633-2026"][
            (pollutant, "1h" if pollutant != "PM10" and pollutant != "PM2.5" else "day")
        ],
    )
    values = [v for v in values if v < 1e6]
    units = aqi_batch.rounded_units(pollutant, values)
    scale = 10 if pollutant == "CO" else 1
    for v, u in zip(values, units.tolist(), strict=True):
        assert Decimal(u) / scale == round_concentration(pollutant, v), v


def test_rounding_ties_half_to_even() -> None:
    assert aqi_batch.rounded_units("PM2.5", [34.5, 35.5, 0.5, 1.5, 34.49]).tolist() == [
        34,
        36,
        0,
        2,
        34,
    ]
    # 0.15 is 0.1499999… in binary but the decimal 0.15: tie → 0.2; 0.25 → 0.2; 0.35 → 0.4.
    assert aqi_batch.rounded_units("CO", [0.15, 0.25, 0.35, 0.45, 2.25, 2.35]).tolist() == [
        2,
        2,
        4,
        4,
        22,
        24,
    ]
    assert aqi_batch.rounded_units("CO", [np.nan]).tolist() == [aqi_batch.MISSING]


def random_rows(n: int, seed: int, missing_share: float = 0.05) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    scale = {"SO2": 60, "NO2": 120, "CO": 3, "O3": 260, "PM10": 200, "PM2.5": 140}
    rows = {}
    for p, s in scale.items():
        v = rng.gamma(2.0, s / 2.0, n)
        v = np.round(v, 1) if p != "CO" else np.round(v, 2)
        v[rng.random(n) < missing_share] = np.nan
        rows[p] = v
    return rows


def _scalar_row(rows: dict[str, np.ndarray], i: int) -> dict[str, float | None]:
    return {p: (None if np.isnan(a[i]) else float(a[i])) for p, a in rows.items()}


@pytest.mark.parametrize("standard", ["HJ633-2026", "HJ633-2012"])
def test_hourly_arrays_equal_hourly_reports(standard: str) -> None:
    n = 3000
    hour = random_rows(n, 1)
    moving = random_rows(n, 2)
    moving["SO2"] = np.where(np.isnan(moving["SO2"]), 50.0, moving["SO2"])
    hour["SO2"][::97] = 950.0  # SO2 1 h above 800: 200 (2026) or the 24 h IAQI (2012)
    moving_arg = {p: moving[p] for p in ("SO2", "PM10", "PM2.5")}
    batch = aqi_batch.hourly_aqi_arrays(hour, standard=standard, moving_24h=moving_arg)
    for i in range(n):
        report = aqi.hourly_report(
            _scalar_row(hour, i), standard=standard, moving_24h=_scalar_row(moving_arg, i)
        )
        _assert_same(batch, i, report)


@pytest.mark.parametrize("standard", ["HJ633-2026", "HJ633-2012"])
def test_daily_arrays_equal_daily_reports(standard: str) -> None:
    n = 3000
    day = random_rows(n, 3)
    day["O3"][::89] = 880.0  # O3 8 h above 800: 300 (2026) or the 1 h IAQI (2012)
    o3_1h = np.round(np.random.default_rng(4).uniform(0, 1300, n), 1)
    batch = aqi_batch.daily_aqi_arrays(day, standard=standard, o3_1h_max=o3_1h)
    for i in range(n):
        report = aqi.daily_report(_scalar_row(day, i), standard=standard, o3_1h_max=o3_1h[i])
        _assert_same(batch, i, report)


def _assert_same(batch: aqi_batch.AqiArrays, i: int, report: aqi.AqiReport) -> None:
    for p in POLLUTANTS:
        assert batch.iaqi[p][i] == report.iaqi.get(p, aqi_batch.MISSING), (i, p)
    assert batch.aqi[i] == (report.aqi if report.aqi is not None else aqi_batch.MISSING), i
    assert batch.computed_aqi[i] == (
        report.computed_aqi or 0 if report.computed_aqi is not None else aqi_batch.MISSING
    )
    assert batch.level[i] == (report.level.number if report.level else 0), i
    assert batch.primary_pollutants(i) == report.primary_pollutants, i


def test_batch_missing_rule_and_ties() -> None:
    batch = aqi_batch.daily_aqi_arrays(
        {
            "SO2": [10, 10, 10],
            "NO2": [80, 40, 40],
            "CO": [1, 1, 1],
            "O3": [100, 100, 100],
            "PM10": [120, 50, 121],
            "PM2.5": [60, np.nan, np.nan],
        },
        standard="HJ633-2026",
    )
    assert batch.aqi.tolist() == [100, aqi_batch.MISSING, 101]
    assert batch.primary_pollutants(0) == ("NO2", "PM10", "PM2.5")
    assert batch.primary_pollutants(1) == ()
    assert batch.primary_pollutants(2) == ("PM10",)
    assert batch.level.tolist() == [2, 0, 3]


def test_batch_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="index 1"):
        aqi_batch.iaqi_array("PM2.5", [1.0, -2.0], "day")
    with pytest.raises(ValueError, match="finite"):
        aqi_batch.iaqi_array("PM2.5", [np.inf], "day")
    with pytest.raises(ValueError, match="1-D"):
        aqi_batch.iaqi_array("PM2.5", [[1.0]], "day")
    with pytest.raises(ValueError, match="unknown pollutant"):
        aqi_batch.iaqi_array("PM1", [1.0], "day")
    with pytest.raises(ValueError, match="same length"):
        aqi_batch.daily_aqi_arrays({"SO2": [1, 2], "NO2": [1]}, standard="HJ633-2026")
    with pytest.raises(ValueError, match="unknown pollutant"):
        aqi_batch.daily_aqi_arrays({"PM25": [1]}, standard="HJ633-2026")
    with pytest.raises(ValueError, match="o3_1h_max"):
        aqi_batch.daily_aqi_arrays({"O3": [900.0]}, standard="HJ633-2012")
    with pytest.raises(ValueError, match="moving_24h"):
        aqi_batch.hourly_aqi_arrays({"PM2.5": [30.0]}, standard="HJ633-2012")
    with pytest.raises(ValueError, match="unknown AQI standard"):
        aqi_batch.hourly_aqi_arrays({"PM2.5": [30.0]}, standard="HJ633")


@pytest.mark.parametrize("pollutant", ["CO", "PM2.5"])
def test_scalar_fast_rounding_equals_decimal_rounding(pollutant: str) -> None:
    from dispatch_app.standards.rounding import round_units

    values = probe_values(pollutant, BREAKPOINTS["HJ633-2026"][(pollutant, "day")])
    scale = 10 if pollutant == "CO" else 1
    for v in values:
        if v < 1e15:
            assert Decimal(round_units(pollutant, v)) / scale == round_concentration(
                pollutant, v
            ), v
    with pytest.raises(ValueError, match="≥ 0"):
        round_units(pollutant, -1.0)
    with pytest.raises(ValueError, match="finite"):
        round_units(pollutant, float("nan"))


@pytest.mark.parametrize(("std", "pollutant", "period"), CASES)
def test_integer_row_path_equals_scalar(std: str, pollutant: str, period: str) -> None:
    from dispatch_app.standards.rounding import round_units

    values = probe_values(pollutant, BREAKPOINTS[std][(pollutant, period)])
    for v in values[::3]:
        if v > 1e15:
            continue
        expected = aqi.iaqi(pollutant, v, period, std)
        got = aqi_batch.iaqi_units(pollutant, round_units(pollutant, v), period, std)
        assert got == (aqi_batch.SUBSTITUTE if expected is None else expected), v


@pytest.mark.parametrize("standard", ["HJ633-2026", "HJ633-2012"])
def test_hourly_row_equals_hourly_report(standard: str) -> None:
    n = 1500
    hour = random_rows(n, 5)
    moving = random_rows(n, 6)
    moving["SO2"] = np.where(np.isnan(moving["SO2"]), 50.0, moving["SO2"])
    hour["SO2"][::53] = 950.0
    moving_arg = {p: moving[p] for p in ("SO2", "PM10", "PM2.5")}
    for i in range(n):
        row, mov = _scalar_row(hour, i), _scalar_row(moving_arg, i)
        report = aqi.hourly_report(row, standard=standard, moving_24h=mov)
        published, computed, primary, sub = aqi_batch.hourly_aqi_row(
            row, standard=standard, moving_24h=mov
        )
        assert published == (report.aqi if report.aqi is not None else aqi_batch.MISSING)
        assert computed == report.computed_aqi
        assert primary == report.primary_pollutants
        assert sub == dict(report.iaqi)
    # Without the SO2 24 h average a 2012 row above 800 counts SO2 as missing, not an error.
    published, _, _, sub = aqi_batch.hourly_aqi_row(
        {"SO2": 900.0, "NO2": 20.0}, standard="HJ633-2012", moving_24h={}
    )
    assert "SO2" not in sub and published == aqi_batch.MISSING
