"""GB 3838—2002 classes: limits at equality, DO lower bound, pH, river/lake TP, TN for lakes,
deciding parameters, exceedances with multiples, section shares, refused input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dispatch_app.standards import water

# REFERENCE.md §4, transcribed independently (upper bounds, classes Ⅰ–Ⅴ).
UPPER = {
    "CODMn": ("2", "4", "6", "10", "15"),
    "COD": ("15", "15", "20", "30", "40"),
    "BOD5": ("3", "3", "4", "6", "10"),
    "NH3-N": ("0.15", "0.5", "1.0", "1.5", "2.0"),
    "Cu": ("0.01", "1.0", "1.0", "1.0", "1.0"),
    "Zn": ("0.05", "1.0", "1.0", "2.0", "2.0"),
    "F": ("1.0", "1.0", "1.0", "1.5", "1.5"),
    "Se": ("0.01", "0.01", "0.01", "0.02", "0.02"),
    "As": ("0.05", "0.05", "0.05", "0.1", "0.1"),
    "Hg": ("0.00005", "0.00005", "0.0001", "0.001", "0.001"),
    "Cd": ("0.001", "0.005", "0.005", "0.005", "0.01"),
    "Cr6": ("0.01", "0.05", "0.05", "0.05", "0.1"),
    "Pb": ("0.01", "0.01", "0.05", "0.05", "0.1"),
    "CN": ("0.005", "0.05", "0.2", "0.2", "0.2"),
    "phenol": ("0.002", "0.002", "0.005", "0.01", "0.1"),
    "petroleum": ("0.05", "0.05", "0.05", "0.5", "1.0"),
    "LAS": ("0.2", "0.2", "0.2", "0.3", "0.3"),
    "sulfide": ("0.05", "0.1", "0.2", "0.5", "1.0"),
    "fecal_coliform": ("200", "2000", "10000", "20000", "40000"),
    "TN": ("0.2", "0.5", "1.0", "1.5", "2.0"),
}
TP_RIVER = ("0.02", "0.1", "0.2", "0.3", "0.4")
TP_LAKE = ("0.01", "0.025", "0.05", "0.1", "0.2")
DO = ("7.5", "6", "5", "3", "2")


def best_class(limits: tuple[str, ...], k: int) -> int:
    """Class a value equal to limit k (0-based) falls in: the first class with that limit."""
    return limits.index(limits[k]) + 1


@pytest.mark.parametrize(("parameter", "limits"), UPPER.items())
def test_upper_limits_at_equality_and_just_above(parameter: str, limits: tuple[str, ...]) -> None:
    for k, text in enumerate(limits):
        at = Decimal(text)
        assert water.parameter_grade(parameter, at, "lake") == best_class(limits, k)
        above = at * Decimal("1.0001")
        expected_above = next((i + 1 for i, t in enumerate(limits) if Decimal(t) >= above), 6)
        assert water.parameter_grade(parameter, above, "lake") == expected_above
    assert water.parameter_grade(parameter, Decimal(limits[-1]) * 2, "lake") == 6
    assert water.class_limits(parameter) == tuple(Decimal(t) for t in limits)


def test_floats_at_limits_compare_as_decimals() -> None:
    # 0.1 + 0.2 style noise must not move a value equal to a limit: 0.15 is Ⅰ for NH3-N.
    assert water.parameter_grade("NH3-N", 0.15) == 1
    assert water.parameter_grade("NH3-N", 0.151) == 2
    assert water.parameter_grade("Hg", 0.00005) == 1
    assert water.parameter_grade("Hg", 0.0001) == 3


def test_tp_river_and_lake() -> None:
    for k, text in enumerate(TP_RIVER):
        assert water.parameter_grade("TP", Decimal(text), "river") == k + 1
    for k, text in enumerate(TP_LAKE):
        assert water.parameter_grade("TP", Decimal(text), "lake") == k + 1
        assert water.parameter_grade("TP", Decimal(text), "reservoir") == k + 1
    # 0.08 mg/L: Ⅱ in a river, Ⅳ in a lake.
    assert water.parameter_grade("TP", 0.08, "river") == 2
    assert water.parameter_grade("TP", 0.08, "lake") == 4
    assert water.parameter_grade("TP", 0.41, "river") == 6
    assert water.parameter_grade("TP", 0.21, "lake") == 6


def test_do_is_a_lower_bound() -> None:
    for k, text in enumerate(DO):
        assert water.parameter_grade("DO", Decimal(text)) == k + 1
        assert water.parameter_grade("DO", Decimal(text) - Decimal("0.01")) == k + 2
    assert water.parameter_grade("DO", 12) == 1
    assert water.parameter_grade("DO", 1.99) == 6
    assert water.is_lower_bound("DO") and not water.is_lower_bound("TP")


def test_ph_inside_and_outside_6_to_9() -> None:
    for ph in (6, 6.0, 7.5, 9):
        assert water.parameter_grade("pH", ph) == 1
    for ph in (5.99, 9.01, 3):
        assert water.parameter_grade("pH", ph) == 6
    result = water.classify({"pH": 9.5, "DO": 8, "CODMn": 1}, target=3)
    assert result.grade == 6 and result.deciding == ("pH",)
    assert result.exceedances[0].parameter == "pH" and result.exceedances[0].multiple is None
    with pytest.raises(ValueError, match="0–14"):
        water.parameter_grade("pH", 15)


def test_classify_section_against_target() -> None:
    sample = {
        "pH": 7.6,
        "DO": 4.2,
        "CODMn": 6.0,
        "NH3-N": 1.8,
        "TP": 0.25,
        "TN": 3.1,
        "water_temp": 18.2,
        "conductivity": 420,
    }
    result = water.classify(sample, "river", target=3)
    assert result.grade == 5 and result.label == "Ⅴ"
    assert (result.status_zh, result.status_en) == ("中度污染", "Moderately polluted")
    assert result.deciding == ("NH3-N",)
    assert result.grades == {"pH": 1, "DO": 4, "CODMn": 3, "NH3-N": 5, "TP": 4}
    assert [e.parameter for e in result.exceedances] == ["DO", "NH3-N", "TP"]
    by = {e.parameter: e for e in result.exceedances}
    assert by["NH3-N"].limit == Decimal("1.0") and by["NH3-N"].multiple == Decimal("0.80")
    assert by["TP"].limit == Decimal("0.2") and by["TP"].multiple == Decimal("0.25")
    assert by["DO"].limit == Decimal("5") and by["DO"].multiple is None
    # TN is not part of a river's routine evaluation; temperature and conductivity are not graded.
    assert set(result.not_evaluated) == {"TN", "water_temp", "conductivity"}
    assert result.meets_target is False
    assert result.color == (255, 155, 0)


def test_tn_counts_for_lakes_by_default() -> None:
    sample = {"DO": 8, "CODMn": 3, "NH3-N": 0.3, "TP": 0.04, "TN": 3.1}
    lake = water.classify(sample, "lake", target=3)
    assert lake.grade == 6 and lake.label == "劣Ⅴ" and lake.deciding == ("TN",)
    assert lake.exceedances[-1].multiple == Decimal("2.10")
    river = water.classify(sample, "river", target=3)
    assert river.grade == 2 and river.meets_target and river.exceedances == ()
    chosen = water.classify(sample, "river", parameters={"TN", "DO"})
    assert chosen.grade == 6 and "CODMn" in chosen.not_evaluated


def test_ties_list_every_deciding_parameter() -> None:
    result = water.classify({"CODMn": 8, "NH3-N": 1.2, "TP": 0.1, "DO": 7.5})
    assert result.grade == 4 and result.deciding == ("CODMn", "NH3-N")
    assert result.target is None and result.exceedances == () and result.meets_target is None


def test_missing_values_are_skipped() -> None:
    result = water.classify({"DO": None, "CODMn": 3, "NH3-N": None})
    assert result.grades == {"CODMn": 2}
    with pytest.raises(ValueError, match="no evaluated parameter"):
        water.classify({"DO": None, "water_temp": 20})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": {"CODMn": -1}}, "negative"),
        ({"values": {"CODMn": float("nan")}}, "finite"),
        ({"values": {"TN": float("nan")}}, "finite"),
        ({"values": {"COD ": 3}}, "unknown water parameter"),
        ({"values": {"CODMn": "3"}}, "number"),
        ({"values": {"CODMn": 3}, "waterbody": "sea"}, "unknown water body"),
        ({"values": {"CODMn": 3}, "target": 6}, "target class"),
        ({"values": {"CODMn": 3}, "target": 0}, "target class"),
        ({"values": {"CODMn": 3}, "parameters": {"salinity"}}, "does not classify"),
    ],
)
def test_invalid_input_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        water.classify(**kwargs)


def test_labels_and_limits_lookup() -> None:
    assert [water.label(g) for g in range(1, 7)] == ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"]
    assert water.limit_for("TP", 3, "lake") == Decimal("0.05")
    assert water.limit_for("DO", 2) == Decimal("6")
    assert water.class_limits("pH") == ()
    with pytest.raises(ValueError):
        water.label(7)
    with pytest.raises(ValueError, match="grades 1–5"):
        water.limit_for("TP", 6)
    with pytest.raises(ValueError, match="no graded limit"):
        water.limit_for("pH", 3)


def test_section_shares() -> None:
    # 20 national sections, 15 at Ⅰ–Ⅲ: 75.0 %; one 劣Ⅴ: 5.0 %.
    grades = [2] * 5 + [3] * 10 + [4] * 3 + [5] + [6]
    result = water.shares(grades)
    assert result.sections == 20 and result.good == 15 and result.worse_than_v == 1
    assert result.good_percent == Decimal("75.0")
    assert result.worse_than_v_percent == Decimal("5.0")
    assert result.by_grade == {1: 0, 2: 5, 3: 10, 4: 3, 5: 1, 6: 1}
    # 51 provincial-assessed sections, 46 good: 90.196 → 90.2 %.
    assert water.shares([3] * 46 + [4] * 5).good_percent == Decimal("90.2")
    with pytest.raises(ValueError, match="at least one section"):
        water.shares([])
    with pytest.raises(ValueError, match="section grade"):
        water.shares([3, 7])
