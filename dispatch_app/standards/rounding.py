"""Rounding of concentrations per GB/T 8170 (数值修约规则: round half to even, 四舍六入五成双).

HJ 633 and HJ 663 both ask for concentrations rounded per GB/T 8170 before an index or a
compliance judgement is computed: µg/m³ pollutants to an integer, CO (mg/m³) to one decimal.
Every function of this package that turns a concentration into an index or a verdict
(``aqi.iaqi``, the reports, ``gb3095.exceedance``) applies this rounding first, so callers pass
raw averages. Rounding is idempotent, so passing an already rounded value is harmless.

A float is read through its shortest decimal representation (``repr``): 0.15 means the
decimal 0.15 a person typed or a station sent, not the binary 0.1499999… behind it.
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

#: Pollutants whose concentrations are in mg/m³ and kept to 0.1; all others µg/m³ to 1.
_TENTHS = frozenset({"CO"})
_ONE = Decimal(1)
_TENTH = Decimal("0.1")

Number = int | float | Decimal


def to_decimal(value: Number, what: str = "value") -> Decimal:
    """The exact decimal a caller meant; refuses NaN, infinities, negatives and non-numbers."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, float):  # numpy float64 included: its own repr would not parse
        if not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number, got {value!r}")
        dec = Decimal(float.__repr__(float(value)))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be a finite number, got {value!r}")
        dec = value
    elif isinstance(value, numbers.Integral):
        dec = Decimal(int(value))
    else:
        raise ValueError(f"{what} must be an int, float or Decimal, got {value!r}")
    if dec < 0:
        raise ValueError(f"{what} must not be negative, got {value!r}")
    return dec


def resolution(pollutant: str) -> Decimal:
    """The reporting resolution of a pollutant: 0.1 mg/m³ for CO, 1 µg/m³ for the rest."""
    return _TENTH if pollutant in _TENTHS else _ONE


def round_concentration(pollutant: str, value: Number) -> Decimal:
    """The concentration rounded per GB/T 8170 to the pollutant's reporting resolution."""
    dec = to_decimal(value, f"{pollutant} concentration")
    try:
        return dec.quantize(resolution(pollutant), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # more digits than the decimal context holds: not a concentration
        raise ValueError(f"{pollutant} concentration is implausibly large: {value!r}") from None


def round_units(pollutant: str, value: float) -> int:
    """``round_concentration`` for a float, as an integer count of the reporting resolution
    (µg/m³, or 0.1 mg/m³ for CO), without decimals: for the hot paths (alarm evaluation).

    Exactly equal to ``round_concentration`` (tests compare them): Python's ``round`` is half
    to even on the binary value, which decides like the decimal rule for integers (k + ½ is a
    binary number); for tenths the tie (2n ± 1)/20 is compared as the nearest float, which a
    float's shortest decimal compares to exactly as the float does (see ``aqi_batch``).
    """
    # The common case first (a plain float in range; NaN fails the comparison): this runs for
    # every station and pollutant at every alarm evaluation.
    if not (type(value) is float and 0.0 <= value < 1e15) and (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{pollutant} concentration must be a finite number ≥ 0, got {value!r}")
    if pollutant not in _TENTHS:
        return round(value)
    n = round(value * 10.0)
    tie_hi, tie_lo = (2 * n + 1) / 20, (2 * n - 1) / 20
    if value > tie_hi or (value == tie_hi and n % 2):
        return n + 1
    if value < tie_lo or (value == tie_lo and n % 2):
        return n - 1
    return n
