"""The numpy path of HJ 633 for long series: results equal ``aqi`` exactly, element by element.

Why it is exact and not merely close:

* Rounding (GB/T 8170, half to even on the value's shortest decimal form, as ``rounding``
  does). To an integer: a float equals k + ½ exactly iff its shortest decimal is "k.5", and no
  float lies strictly between a value and its shortest decimal across k + ½, so ``np.rint``
  (half to even on the binary value) decides exactly like the decimal rule. To 0.1 (CO): the
  tie t = (2n + 1)/20 is not a binary number, but ``(2n + 1) / 20`` in IEEE division is the
  float nearest t, and a float compares to that float exactly as its shortest decimal
  compares to t; equality is a decimal tie, resolved to the even tenth.
* Interpolation in integers: after rounding, a concentration is an integer number of
  resolution units (µg/m³ or 0.1 mg/m³) and every breakpoint is too, so the IAQI is
  I_lo + ⌈(I_hi − I_lo)(C − BP_lo) / (BP_hi − BP_lo)⌉ with an integer ceiling division.

Tests compare the two paths over every breakpoint, its neighbours and random values.

Arrays use two sentinels: ``MISSING`` (-1) where the input is NaN or the AQI is NA, and
``SUBSTITUTE`` (-2) where HJ 633—2012 gives SO2 1 h / O3 8 h above 800 no IAQI of its own. The
version must be named: split a series that crosses 2026-03-01 with ``aqi.standard_for``.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from dispatch_app.standards.aqi import breakpoints, check_standard
from dispatch_app.standards.aqi_tables import HJ633_2012, HJ633_2026, LEVELS, POLLUTANTS
from dispatch_app.standards.rounding import round_units

MISSING: Final = -1
SUBSTITUTE: Final = -2

#: Larger values all index to the top of the scale (or a special rule), and clipping keeps the
#: integer arithmetic far from int64 overflow.
_CLIP: Final = 1e9
_PM = frozenset({"PM10", "PM2.5"})

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _as_float_array(pollutant: str, values: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{pollutant} values must be a 1-D array, got shape {arr.shape}")
    bad = np.isinf(arr) | (arr < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{pollutant} concentration at index {i} is {arr[i]!r}: must be finite and not "
            "negative (NaN marks a missing value)"
        )
    return arr


def rounded_units(pollutant: str, values: npt.ArrayLike) -> IntArray:
    """Concentrations rounded per GB/T 8170, as integers of the reporting resolution
    (µg/m³, or 0.1 mg/m³ for CO); ``MISSING`` where the input is NaN."""
    arr = _as_float_array(pollutant, values)
    missing = np.isnan(arr)
    v = np.minimum(np.where(missing, 0.0, arr), _CLIP)
    if pollutant == "CO":
        n = np.rint(v * 10.0)
        tie_hi = (2.0 * n + 1.0) / 20.0
        tie_lo = (2.0 * n - 1.0) / 20.0
        even = np.fmod(n, 2.0) == 0.0
        n = np.where(v > tie_hi, n + 1.0, n)
        n = np.where(v < tie_lo, n - 1.0, n)
        n = np.where((v == tie_hi) & ~even, n + 1.0, n)
        n = np.where((v == tie_lo) & ~even, n - 1.0, n)
        units = n.astype(np.int64)
    else:
        units = np.rint(v).astype(np.int64)
    units[missing] = MISSING
    return units


def _table_units(pollutant: str, period: str, standard: str) -> tuple[IntArray, IntArray]:
    table = breakpoints(pollutant, period, standard)
    scale = 10 if pollutant == "CO" else 1
    bps = np.array([int(bp * scale) for bp, _ in table], dtype=np.int64)
    idx = np.array([i for _, i in table], dtype=np.int64)
    return bps, idx


def iaqi_array(
    pollutant: str, values: npt.ArrayLike, period: str, standard: str = HJ633_2026
) -> IntArray:
    """``aqi.iaqi`` over an array: ``MISSING`` for NaN, ``SUBSTITUTE`` where 2012 has none."""
    check_standard(standard)
    bps, steps = _table_units(pollutant, period, standard)
    c = rounded_units(pollutant, values)
    missing = c == MISSING
    cc = np.where(missing, 0, c)
    seg = np.clip(np.searchsorted(bps, cc, side="left"), 1, len(bps) - 1)
    bp_lo, bp_hi = bps[seg - 1], bps[seg]
    i_lo, i_hi = steps[seg - 1], steps[seg]
    num = (i_hi - i_lo) * (np.minimum(cc, bps[-1]) - bp_lo)
    den = bp_hi - bp_lo
    result = i_lo + (num + den - 1) // den
    above = cc > bps[-1]
    special = (pollutant == "SO2" and period == "1h") or (pollutant == "O3" and period == "8h")
    if special:
        fixed = 200 if pollutant == "SO2" else 300
        result = np.where(above, fixed if standard == HJ633_2026 else SUBSTITUTE, result)
    else:
        result = np.where(above, steps[-1], result)
    result[missing] = MISSING
    return result.astype(np.int64)


@dataclass(frozen=True)
class AqiArrays:
    """Reports for many station-hours (or days) at once; element i matches ``AqiReport``.

    ``aqi`` is ``MISSING`` where the report publishes NA; ``primary`` is a bit mask over
    ``POLLUTANTS`` (bit k set: ``POLLUTANTS[k]`` is a primary pollutant); ``level`` is 0 where
    ``aqi`` is NA.
    """

    standard: str
    iaqi: Mapping[str, IntArray]
    computed_aqi: IntArray
    aqi: IntArray
    level: IntArray
    primary: IntArray

    def primary_pollutants(self, i: int) -> tuple[str, ...]:
        mask = int(self.primary[i])
        return tuple(p for k, p in enumerate(POLLUTANTS) if mask & (1 << k))


_LEVEL_TOPS: Final = np.array([lv.highest for lv in LEVELS[:-1]], dtype=np.int64)


def _length(arrays: Mapping[str, npt.ArrayLike | None]) -> int:
    lengths = {len(np.asarray(a)) for a in arrays.values() if a is not None}
    if len(lengths) > 1:
        raise ValueError(f"all arrays must have the same length, got lengths {sorted(lengths)}")
    if not lengths:
        raise ValueError("no pollutant arrays given")
    return lengths.pop()


def _check_keys(values: Mapping[str, object], what: str) -> None:
    unknown = sorted(set(values) - set(POLLUTANTS))
    if unknown:
        raise ValueError(f"unknown pollutant(s) in {what}: {unknown}; expected {POLLUTANTS}")


def _combine(standard: str, sub: dict[str, IntArray], n: int) -> AqiArrays:
    full = {p: sub.get(p, np.full(n, MISSING, dtype=np.int64)) for p in POLLUTANTS}
    stack = np.stack([full[p] for p in POLLUTANTS])
    computed = stack.max(axis=0)
    any_missing = (stack == MISSING).any(axis=0)
    aqi = np.where(any_missing & (computed <= 100), MISSING, computed)
    level = np.where(aqi == MISSING, 0, np.searchsorted(_LEVEL_TOPS, aqi, side="left") + 1)
    weights = (1 << np.arange(len(POLLUTANTS), dtype=np.int64))[:, None]
    is_primary = (stack == aqi) & (aqi > 50)
    primary = (is_primary * weights).sum(axis=0)
    return AqiArrays(standard, full, computed, aqi, level.astype(np.int64), primary)


def _substitute(base: IntArray, replacement: IntArray | None, message: str) -> IntArray:
    need = base == SUBSTITUTE
    if not need.any():
        return base
    if replacement is None or (replacement[need] == MISSING).any():
        raise ValueError(message)
    return np.where(need, replacement, base)


def hourly_aqi_arrays(
    hour_values: Mapping[str, npt.ArrayLike | None],
    *,
    standard: str,
    moving_24h: Mapping[str, npt.ArrayLike | None] | None = None,
) -> AqiArrays:
    """``aqi.hourly_report`` for many station-hours; arguments mean the same, as arrays."""
    check_standard(standard)
    _check_keys(hour_values, "hour_values")
    _check_keys(moving_24h or {}, "moving_24h")
    n = _length({**hour_values, **(moving_24h or {})})
    hour = {p: v for p, v in hour_values.items() if v is not None}
    moving = {p: v for p, v in (moving_24h or {}).items() if v is not None}
    sub: dict[str, IntArray] = {}
    for p in POLLUTANTS:
        if p in _PM and standard == HJ633_2012:
            if moving_24h is None and p in hour:
                raise ValueError(
                    f"HJ 633—2012 indexes real-time {p} on its 24-hour moving average: "
                    "pass it in moving_24h"
                )
            if p in moving:
                sub[p] = iaqi_array(p, moving[p], "24h", standard)
            continue
        if p not in hour:
            continue
        result = iaqi_array(p, hour[p], "1h", standard)
        if p == "SO2":
            day = iaqi_array("SO2", moving["SO2"], "24h", standard) if "SO2" in moving else None
            result = _substitute(
                result,
                day,
                "HJ 633—2012: SO2 1-hour above 800 µg/m³ needs the SO2 24-hour moving average "
                "in moving_24h",
            )
        sub[p] = result
    return _combine(standard, sub, n)


def daily_aqi_arrays(
    day_values: Mapping[str, npt.ArrayLike | None],
    *,
    standard: str,
    o3_1h_max: npt.ArrayLike | None = None,
) -> AqiArrays:
    """``aqi.daily_report`` for many station-days; "O3" is the daily maximum 8-hour average."""
    check_standard(standard)
    _check_keys(day_values, "day_values")
    n = _length({**day_values, "o3_1h_max": o3_1h_max})
    sub: dict[str, IntArray] = {}
    for p in POLLUTANTS:
        values = day_values.get(p)
        if values is None:
            continue
        result = iaqi_array(p, values, "8h" if p == "O3" else "day", standard)
        if p == "O3":
            one_hour = (
                iaqi_array("O3", o3_1h_max, "1h", standard) if o3_1h_max is not None else None
            )
            result = _substitute(
                result,
                one_hour,
                "HJ 633—2012: O3 8-hour above 800 µg/m³ needs the daily maximum 1-hour O3 "
                "(o3_1h_max)",
            )
        sub[p] = result
    return _combine(standard, sub, n)


# --- one row at a time, in integers ---------------------------------------------------------
#
# For a few dozen stations at once (the live alarm evaluation) numpy's per-call overhead costs
# more than the arithmetic. These functions do the same integer arithmetic as the array path,
# one station at a time; tests hold them equal to ``aqi.hourly_report``.


@functools.cache
def _int_table(
    pollutant: str, period: str, standard: str
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    bps, steps = _table_units(pollutant, period, standard)
    return tuple(bps.tolist()), tuple(steps.tolist())


def iaqi_units(pollutant: str, units: int, period: str, standard: str = HJ633_2026) -> int:
    """IAQI of a concentration already rounded to resolution units (``rounding.round_units``);
    ``SUBSTITUTE`` where HJ 633—2012 gives SO2 1 h / O3 8 h above 800 none of its own."""
    bps, steps = _int_table(pollutant, period, standard)
    if units > bps[-1]:
        if (pollutant == "SO2" and period == "1h") or (pollutant == "O3" and period == "8h"):
            if standard != HJ633_2026:
                return SUBSTITUTE
            return 200 if pollutant == "SO2" else 300
        return steps[-1]
    k = max(1, bisect.bisect_left(bps, units))
    lo, hi = bps[k - 1], bps[k]
    return steps[k - 1] + -(-(steps[k] - steps[k - 1]) * (units - lo) // (hi - lo))


@functools.cache
def _row_tables(standard: str) -> dict[str, tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """Per pollutant: (period, breakpoints, IAQI steps) indexing the real-time report."""
    tables = {}
    for p in POLLUTANTS:
        period = "24h" if p in _PM and standard == HJ633_2012 else "1h"
        tables[p] = (period, *_int_table(p, period, standard))
    return tables


def hourly_aqi_row(
    hour_values: Mapping[str, float | None],
    *,
    standard: str,
    moving_24h: Mapping[str, float | None] | None = None,
) -> tuple[int, int, tuple[str, ...], dict[str, int]]:
    """(published AQI or ``MISSING``, computed AQI or ``MISSING``, primary pollutants, IAQI by
    pollutant) of one station-hour, as ``aqi.hourly_report`` gives them. Where HJ 633—2012
    needs an SO2 24-hour average that is not given, SO2 counts as missing instead of failing:
    a live evaluation must go on."""
    check_standard(standard)
    tables = _row_tables(standard)
    sub: dict[str, int] = {}
    moving = moving_24h or {}
    for p in POLLUTANTS:
        period, bps, steps = tables[p]
        v = moving.get(p) if period == "24h" else hour_values.get(p)
        if v is None:
            continue
        units = round_units(p, v)
        if units > bps[-1]:
            index = iaqi_units(p, units, period, standard)  # past the table: special rules
            if index == SUBSTITUTE:
                day = moving.get("SO2")
                if day is None:
                    continue
                index = iaqi_units("SO2", round_units("SO2", day), "24h", standard)
        else:
            k = bisect.bisect_left(bps, units) or 1
            lo, hi = bps[k - 1], bps[k]
            index = steps[k - 1] + -(-(steps[k] - steps[k - 1]) * (units - lo) // (hi - lo))
        sub[p] = index
    if not sub:
        return MISSING, MISSING, (), sub
    computed = max(sub.values())
    published = MISSING if len(sub) < len(POLLUTANTS) and computed <= 100 else computed
    primary: tuple[str, ...] = ()
    if published > 50:
        primary = tuple(p for p in POLLUTANTS if sub.get(p) == published)
    return published, computed, primary, sub
