"""Stateless, seeded noise for the network simulator.

Every random quantity of the simulation is a pure function of (seed, stream, time slot): the
value a station reports for 14:07 is the same whether the simulation started at 14:00 or at
midnight, whether the backfill or the live loop computes it, and whichever order stations are
visited in. That is what makes a run reproducible for a given seed, lets the hourly backfill
agree with the minute stream, and lets tests ask for any window without replaying history.

The mixing function is SplitMix64's finaliser (Steele, Lea & Flood 2014), which passes BigCrush
on sequential keys; a `random.Random` instance per value would be equally good but ~20× slower.
"""

from __future__ import annotations

import math
import zlib
from typing import Final

_MASK: Final = (1 << 64) - 1
_GOLDEN: Final = 0x9E3779B97F4A7C15
_TWO_PI: Final = 2.0 * math.pi
_INV_2_53: Final = 1.0 / (1 << 53)


def mix64(x: int) -> int:
    """SplitMix64 finaliser: a bijection on 64-bit integers with full avalanche."""
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def key_of(text: str) -> int:
    """A stable integer for a name (station id, parameter key): CRC-32, not Python's hash()."""
    return zlib.crc32(text.encode("utf-8"))


def substream(key: int, j: int) -> int:
    """The j-th signal of one source (a station's PM noise, its NO2 noise, ...): distinct
    streams, so that two quantities of one station never wander in lockstep."""
    return (j << 32) | (key & 0xFFFFFFFF)


def hash_of(seed: int, *parts: int) -> int:
    h = mix64(seed & _MASK)
    for p in parts:
        h = mix64(h ^ (p & _MASK))
    return h


def uniform(seed: int, *parts: int) -> float:
    """Uniform on [0, 1)."""
    return (hash_of(seed, *parts) >> 11) * _INV_2_53


def gauss(seed: int, *parts: int) -> float:
    """Standard normal (Box–Muller on two independent uniforms)."""
    h = hash_of(seed, *parts)
    u1 = ((h >> 11) + 1) * _INV_2_53  # (0, 1]: log is finite
    u2 = (mix64(h) >> 11) * _INV_2_53
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(_TWO_PI * u2)


def smooth(seed: int, stream: int, t: float, period_s: float) -> float:
    """A smooth, roughly standard-normal signal of time with features every ``period_s``.

    Gaussian values at knots ``k * period_s`` joined by cosine interpolation and rescaled so
    the variance stays 1 between knots (otherwise the signal would sag towards zero mid-way).
    """
    x = t / period_s
    k = math.floor(x)
    f = x - k
    w = 0.5 - 0.5 * math.cos(math.pi * f)
    a = _knot(seed, stream, k)
    b = _knot(seed, stream, k + 1)
    return ((1.0 - w) * a + w * b) / math.sqrt((1.0 - w) ** 2 + w * w)


_KNOTS: dict[tuple[int, int, int], float] = {}
_MAX_KNOTS: Final = 400_000


def _knot(seed: int, stream: int, k: int) -> float:
    """Knot values, cached: a station asks for the same two knots for many minutes running."""
    key = (seed, stream, k)
    value = _KNOTS.get(key)
    if value is None:
        if len(_KNOTS) >= _MAX_KNOTS:
            _KNOTS.clear()
        value = _KNOTS[key] = gauss(seed, stream, k)
    return value
