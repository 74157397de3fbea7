"""Surface water classes per GB 3838—2002 (Table 1), section evaluation and section-set shares.

Source: REFERENCE.md §4. Single-factor evaluation: a section's class is the worst class over
its evaluated parameters. A value equal to a limit belongs to that class (≤; DO ≥). pH has no
graded limits: 6–9 is within every class, outside it the water is worse than Ⅴ (劣Ⅴ).

Which parameters are evaluated by default: the items of Table 1 except water temperature,
TN and fecal coliform (routine section evaluation); TN is added for lakes and reservoirs,
where it is assessed. Pass ``parameters`` to choose otherwise. Exceedance multiples
(C − limit) / limit against the target class are given for upper-bound items; pH and DO get
none (the national evaluation method computes no multiple for them).

Values are compared exactly as decimals (a float is read through its shortest form), without
rounding: monitoring values arrive at the precision the method reports.

Colors for the classes follow common practice of Chinese water-quality displays (Ⅰ/Ⅱ blue
shades, Ⅲ green, Ⅳ yellow, Ⅴ orange, 劣Ⅴ red); GB 3838 itself prescribes none, so they are a
display convention, not a standard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final

from dispatch_app.standards.rounding import Number, to_decimal

WATERBODIES: Final[tuple[str, ...]] = ("river", "lake", "reservoir")
LABELS: Final[tuple[str, ...]] = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")
STATUS_ZH: Final[tuple[str, ...]] = ("优", "优", "良好", "轻度污染", "中度污染", "重度污染")
STATUS_EN: Final[tuple[str, ...]] = (
    "Excellent",
    "Excellent",
    "Good",
    "Lightly polluted",
    "Moderately polluted",
    "Heavily polluted",
)
#: Display colors by grade 1–6 (common practice, see module notes).
COLORS: Final[tuple[tuple[int, int, int], ...]] = (
    (204, 255, 255),  # Ⅰ light blue
    (0, 204, 255),  # Ⅱ blue
    (0, 255, 0),  # Ⅲ green
    (255, 255, 0),  # Ⅳ yellow
    (255, 155, 0),  # Ⅴ orange
    (255, 0, 0),  # 劣Ⅴ red
)
WORSE_THAN_V: Final = 6


def _limits(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


#: Upper limits for classes Ⅰ–Ⅴ (mg/L; fecal coliform 个/L). TP depends on the water body.
UPPER_LIMITS: Final[dict[str, tuple[Decimal, ...]]] = {
    "CODMn": _limits("2", "4", "6", "10", "15"),
    "COD": _limits("15", "15", "20", "30", "40"),
    "BOD5": _limits("3", "3", "4", "6", "10"),
    "NH3-N": _limits("0.15", "0.5", "1.0", "1.5", "2.0"),
    "TN": _limits("0.2", "0.5", "1.0", "1.5", "2.0"),
    "Cu": _limits("0.01", "1.0", "1.0", "1.0", "1.0"),
    "Zn": _limits("0.05", "1.0", "1.0", "2.0", "2.0"),
    "F": _limits("1.0", "1.0", "1.0", "1.5", "1.5"),
    "Se": _limits("0.01", "0.01", "0.01", "0.02", "0.02"),
    "As": _limits("0.05", "0.05", "0.05", "0.1", "0.1"),
    "Hg": _limits("0.00005", "0.00005", "0.0001", "0.001", "0.001"),
    "Cd": _limits("0.001", "0.005", "0.005", "0.005", "0.01"),
    "Cr6": _limits("0.01", "0.05", "0.05", "0.05", "0.1"),
    "Pb": _limits("0.01", "0.01", "0.05", "0.05", "0.1"),
    "CN": _limits("0.005", "0.05", "0.2", "0.2", "0.2"),
    "phenol": _limits("0.002", "0.002", "0.005", "0.01", "0.1"),
    "petroleum": _limits("0.05", "0.05", "0.05", "0.5", "1.0"),
    "LAS": _limits("0.2", "0.2", "0.2", "0.3", "0.3"),
    "sulfide": _limits("0.05", "0.1", "0.2", "0.5", "1.0"),
    "fecal_coliform": _limits("200", "2000", "10000", "20000", "40000"),
}
TP_RIVER: Final = _limits("0.02", "0.1", "0.2", "0.3", "0.4")
TP_LAKE: Final = _limits("0.01", "0.025", "0.05", "0.1", "0.2")
#: Lower limits of dissolved oxygen for classes Ⅰ–Ⅴ (mg/L).
DO_LIMITS: Final = _limits("7.5", "6", "5", "3", "2")
PH_RANGE: Final = (Decimal(6), Decimal(9))

#: Every parameter key GB 3838 classifies.
CLASSIFIED: Final[frozenset[str]] = frozenset({"pH", "DO", "TP", *UPPER_LIMITS})
#: Keys a water station may carry that GB 3838 does not grade; accepted and ignored.
NOT_GRADED: Final[frozenset[str]] = frozenset({"water_temp", "conductivity", "turbidity"})
#: Default evaluation set: Table 1 without water temperature, TN and fecal coliform.
ROUTINE: Final[frozenset[str]] = CLASSIFIED - {"TN", "fecal_coliform"}


def default_parameters(waterbody: str) -> frozenset[str]:
    """Parameters evaluated by default: routine set, plus TN for lakes and reservoirs."""
    _check_waterbody(waterbody)
    return ROUTINE if waterbody == "river" else ROUTINE | {"TN"}


def _check_waterbody(waterbody: str) -> None:
    if waterbody not in WATERBODIES:
        raise ValueError(f"unknown water body {waterbody!r}; expected one of {WATERBODIES}")


def label(grade: int) -> str:
    """ "Ⅰ"…"Ⅴ", "劣Ⅴ" for grades 1–6."""
    return LABELS[check_grade(grade) - 1]


def check_grade(grade: int, what: str = "grade") -> int:
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 6:
        raise ValueError(f"{what} must be an integer 1–6 (6 = 劣Ⅴ), got {grade!r}")
    return grade


def limit_for(parameter: str, grade: int, waterbody: str = "river") -> Decimal:
    """The class limit of an upper-bound parameter or DO (lower bound) for classes Ⅰ–Ⅴ."""
    _check_waterbody(waterbody)
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 5:
        raise ValueError(f"class limits exist for grades 1–5, got {grade!r}")
    if parameter == "DO":
        return DO_LIMITS[grade - 1]
    if parameter == "TP":
        return (TP_RIVER if waterbody == "river" else TP_LAKE)[grade - 1]
    if parameter in UPPER_LIMITS:
        return UPPER_LIMITS[parameter][grade - 1]
    raise ValueError(f"GB 3838 sets no graded limit for {parameter!r}")


def class_limits(parameter: str, waterbody: str = "river") -> tuple[Decimal, ...]:
    """Limits of classes Ⅰ–Ⅴ for a graded parameter (DO: lower bounds); empty for pH (one range
    for all classes) and for parameters GB 3838 does not grade."""
    _check_waterbody(waterbody)
    if parameter == "DO":
        return DO_LIMITS
    if parameter == "TP":
        return TP_RIVER if waterbody == "river" else TP_LAKE
    return UPPER_LIMITS.get(parameter, ())


def is_lower_bound(parameter: str) -> bool:
    """True for DO, whose limits are minimums: lower values are worse."""
    return parameter == "DO"


def parameter_grade(parameter: str, value: Number, waterbody: str = "river") -> int:
    """The class (1–6) of one parameter's value."""
    _check_waterbody(waterbody)
    if parameter not in CLASSIFIED:
        raise ValueError(f"GB 3838 does not classify {parameter!r}; known: {sorted(CLASSIFIED)}")
    if parameter == "pH":
        ph = _ph(value)
        return 1 if PH_RANGE[0] <= ph <= PH_RANGE[1] else WORSE_THAN_V
    v = to_decimal(value, parameter)
    if parameter == "DO":
        for grade, lower in enumerate(DO_LIMITS, start=1):
            if v >= lower:
                return grade
        return WORSE_THAN_V
    limits = (
        (TP_RIVER if waterbody == "river" else TP_LAKE)
        if parameter == "TP"
        else UPPER_LIMITS[parameter]
    )
    for grade, upper in enumerate(limits, start=1):
        if v <= upper:
            return grade
    return WORSE_THAN_V


def _ph(value: Number) -> Decimal:
    ph = to_decimal(value, "pH")
    if ph > 14:
        raise ValueError(f"pH must be within 0–14, got {value!r}")
    return ph


@dataclass(frozen=True)
class WaterExceedance:
    """A parameter worse than the target class."""

    parameter: str
    value: Decimal
    grade: int
    #: The target class limit (DO: its lower bound; pH: None, the 6–9 range applies).
    limit: Decimal | None
    #: (C − limit) / limit to two decimals; None for pH and DO.
    multiple: Decimal | None


@dataclass(frozen=True)
class WaterClass:
    """The GB 3838 class of one section's sample."""

    grade: int
    label: str
    status_zh: str
    status_en: str
    color: tuple[int, int, int]
    waterbody: str
    #: Parameters whose class equals the section's class (what decides it), in input order.
    deciding: tuple[str, ...]
    grades: Mapping[str, int]
    target: int | None
    #: Parameters worse than ``target`` (empty when no target or when it is met).
    exceedances: tuple[WaterExceedance, ...]
    #: Keys present but not part of the evaluation (e.g. TN in a river, water temperature).
    not_evaluated: tuple[str, ...]

    @property
    def meets_target(self) -> bool | None:
        return None if self.target is None else self.grade <= self.target


_HUNDREDTH = Decimal("0.01")


def classify(
    values: Mapping[str, Number | None],
    waterbody: str = "river",
    target: int | None = None,
    *,
    parameters: Iterable[str] | None = None,
) -> WaterClass:
    """Classify one sample of a section; ``None`` values are missing and skipped.

    ``target`` (1–5) is the section's target class: parameters worse than it are listed in
    ``exceedances`` with their multiples. Raises ValueError for unknown keys, negative or NaN
    values, or when no evaluated parameter has a value.
    """
    _check_waterbody(waterbody)
    if target is not None:
        check_grade(target, "target class")
        if target == WORSE_THAN_V:
            raise ValueError("a target class is Ⅰ–Ⅴ (1–5), not 劣Ⅴ")
    unknown = sorted(set(values) - CLASSIFIED - NOT_GRADED)
    if unknown:
        raise ValueError(
            f"unknown water parameter(s) {unknown}; GB 3838 keys: {sorted(CLASSIFIED)}"
        )
    evaluated = default_parameters(waterbody) if parameters is None else frozenset(parameters)
    bad = sorted(evaluated - CLASSIFIED)
    if bad:
        raise ValueError(f"cannot evaluate {bad}: GB 3838 does not classify them")
    grades: dict[str, int] = {}
    decimals: dict[str, Decimal] = {}
    not_evaluated: list[str] = []
    for key, value in values.items():
        if value is None:
            continue
        if key not in evaluated:
            # Still refuse nonsense values: they point at a broken feed.
            if key in CLASSIFIED:
                to_decimal(value, key)
            not_evaluated.append(key)
            continue
        grades[key] = parameter_grade(key, value, waterbody)
        decimals[key] = _ph(value) if key == "pH" else to_decimal(value, key)
    if not grades:
        raise ValueError(f"no evaluated parameter has a value (evaluated: {sorted(evaluated)})")
    grade = max(grades.values())
    deciding = tuple(k for k, g in grades.items() if g == grade)
    exceedances: tuple[WaterExceedance, ...] = ()
    if target is not None:
        exceedances = tuple(
            _exceedance(k, decimals[k], g, target, waterbody)
            for k, g in grades.items()
            if g > target
        )
    return WaterClass(
        grade=grade,
        label=LABELS[grade - 1],
        status_zh=STATUS_ZH[grade - 1],
        status_en=STATUS_EN[grade - 1],
        color=COLORS[grade - 1],
        waterbody=waterbody,
        deciding=deciding,
        grades=grades,
        target=target,
        exceedances=exceedances,
        not_evaluated=tuple(not_evaluated),
    )


def _exceedance(
    parameter: str, value: Decimal, grade: int, target: int, waterbody: str
) -> WaterExceedance:
    if parameter == "pH":
        return WaterExceedance(parameter, value, grade, None, None)
    lim = limit_for(parameter, target, waterbody)
    if parameter == "DO":
        return WaterExceedance(parameter, value, grade, lim, None)
    multiple = ((value - lim) / lim).quantize(_HUNDREDTH, rounding=ROUND_HALF_EVEN)
    return WaterExceedance(parameter, value, grade, lim, multiple)


@dataclass(frozen=True)
class SectionShares:
    """Shares over a set of sections (优Ⅲ比例 and 劣Ⅴ比例) as percentages to 0.1."""

    sections: int
    by_grade: Mapping[int, int]
    good: int
    worse_than_v: int
    good_percent: Decimal
    worse_than_v_percent: Decimal


_TENTH = Decimal("0.1")


def shares(grades: Iterable[int]) -> SectionShares:
    """优Ⅲ share (classes Ⅰ–Ⅲ) and 劣Ⅴ share of a set of sections' grades."""
    counted = [check_grade(g, "section grade") for g in grades]
    if not counted:
        raise ValueError("a share needs at least one section")
    by_grade = {g: counted.count(g) for g in range(1, 7)}
    good = sum(by_grade[g] for g in (1, 2, 3))
    worse = by_grade[WORSE_THAN_V]
    n = len(counted)

    def percent(count: int) -> Decimal:
        return (Decimal(count) * 100 / n).quantize(_TENTH, rounding=ROUND_HALF_EVEN)

    return SectionShares(n, by_grade, good, worse, percent(good), percent(worse))
