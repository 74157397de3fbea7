"""The center's headline indicators: figures, comparisons, formulas and bad configuration."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from dispatch_app.domain.indicators import (
    DrinkingSource,
    IndicatorRules,
    IndicatorRulesError,
    SectionMeans,
    change_percent,
    city_daily,
    drinking_water_compliance,
    good_days_share,
    lake_tp_yoy,
    o3_daily_max_8h,
    parse_indicator_rules,
    pm25_ytd,
    same_period_last_year,
    section_share,
    ytd_mean,
)

AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def rules(resources_dir: Path) -> IndicatorRules:
    return parse_indicator_rules((resources_dir / "rules" / "indicators.toml").read_text("utf-8"))


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def test_shipped_rules_parse(rules: IndicatorRules) -> None:
    assert rules.national.kinds == ("water_national",)
    assert rules.provincial.kinds == ("water_national", "water_provincial")
    assert rules.lakes == ("竺山湖", "滆湖", "长荡湖")
    assert rules.lake_names_en["滆湖"] == "Ge Lake"
    assert len(rules.drinking_water) == 4
    assert rules.min_station_share == Decimal("0.75")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t + "\n[[[", "not valid TOML"),
        (lambda t: t.replace("[good_days]", "[good_dayz]"), r"\[good_days\]"),
        (lambda t: t.replace("target_percent = 82.0", "target_percent = 182.0"), "0–100"),
        (lambda t: t.replace("target_percent = 82.0", 'target_percent = "high"'), "number"),
        (lambda t: t.replace("min_station_share = 0.75", "min_station_share = 0"), r"\(0, 1\]"),
        (lambda t: t.replace('kinds = ["water_national"]\n', "kinds = []\n"), "kinds"),
        (lambda t: t.replace("target_class = 2", "target_class = 6", 1), "1–5"),
        (lambda t: t.replace('station = "WQ-N-20"', "station = 20"), "station id"),
        (lambda t: t.replace('"滆湖" = "Ge Lake"', '"滆湖" = 3'), "lakes.english"),
    ],
)
def test_bad_rules_are_refused_with_a_clear_error(
    resources_dir: Path, mutate: object, message: str
) -> None:
    text = (resources_dir / "rules" / "indicators.toml").read_text("utf-8")
    with pytest.raises(IndicatorRulesError, match=message):
        parse_indicator_rules(mutate(text))  # type: ignore[operator]


def test_pm25_ytd_against_the_limit_and_last_year(rules: IndicatorRules) -> None:
    this_year = _days(date(2026, 1, 1), AS_OF)
    last_year = _days(date(2025, 1, 1), date(2025, 10, 31))
    after = _days(date(2025, 11, 1), date(2025, 12, 31))  # outside the comparison period
    stations = {
        "AQ-N-01": {
            **{d: 33.3 for d in this_year},
            **{d: 36.4 for d in last_year},
            **{d: 90.0 for d in after},
        },
        "AQ-N-02": {
            **{d: 33.3 for d in this_year},
            **{d: 36.4 for d in last_year},
            **{d: 90.0 for d in after},
        },
    }
    result = pm25_ytd(stations, AS_OF, rules)
    assert result.value == Decimal("33.3")
    assert result.status == "bad"  # above the 30 µg/m³ transition limit
    assert "−8.5 %" in result.comparison_zh  # (33.3 − 36.4) / 36.4
    assert "30" in result.comparison_en and "25" in result.comparison_en
    assert result.inputs["valid days"].startswith("304 ")
    hover = result.hover()
    assert "mean over YTD days" in hover and "GB 3095—2026 annual limit (transition) = 30" in hover
    # At 27 it meets the transition limit but not the final one; at 24 both.
    for level, status in ((27.0, "warning"), (24.0, "good")):
        s = {
            k: {d: (level if d.year == 2026 else v) for d, v in vals.items()}
            for k, vals in stations.items()
        }
        assert pm25_ytd(s, AS_OF, rules).status == status
    assert pm25_ytd({}, AS_OF, rules).status == "no_data"


def test_city_daily_needs_enough_stations() -> None:
    day, other = date(2026, 5, 1), date(2026, 5, 2)
    stations = {
        "a": {day: 10.0, other: 10.0},
        "b": {day: 20.0, other: None},
        "c": {day: 30.0},
        "d": {day: None},
    }
    # 3 of 4 stations on the first day (75 %): counted; 1 of 4 on the second: left out.
    assert city_daily(stations, Decimal("0.75")) == {day: 20.0}


def test_same_period_last_year_and_change() -> None:
    assert same_period_last_year(date(2028, 2, 29)) == (date(2027, 1, 1), date(2027, 2, 28))
    assert change_percent(Decimal("33.3"), Decimal("36.4")) == Decimal("-8.5")
    assert change_percent(Decimal("1"), Decimal("0")) is None
    assert (
        ytd_mean({date(2026, 1, 2): 1.0, date(2026, 3, 1): 3.0, date(2025, 6, 1): 99.0}, AS_OF)
        == 2.0
    )
    assert ytd_mean({}, AS_OF) is None


def _six(pm25: float) -> dict[str, float | None]:
    return {"SO2": 8.0, "NO2": 30.0, "CO": 0.8, "O3": 90.0, "PM10": 50.0, "PM2.5": pm25}


def test_good_days_follow_the_hj633_version_of_each_day(rules: IndicatorRules) -> None:
    days = {
        date(2026, 2, 10): _six(70.0),  # HJ 633—2012: PM2.5 70 < 75 → IAQI ≤ 100: good
        date(2026, 3, 10): _six(70.0),  # HJ 633—2026: 70 > 60 → IAQI > 100: not good
        date(2026, 3, 11): _six(60.0),  # exactly 60: IAQI 100, good
        date(2026, 3, 12): {**_six(20.0), "CO": None},  # missing CO, AQI ≤ 100 → NA: unrated
        date(2026, 11, 5): _six(200.0),  # after as_of: not counted
    }
    result = good_days_share(days, AS_OF, rules)
    assert result.value == Decimal("66.7")  # 2 good of 3 rated
    assert result.inputs["days without a published AQI"] == "1"
    assert result.status == "bad"  # target 82 %
    assert "≤ 100" in result.formula


def test_o3_daily_max_8h() -> None:
    hours: list[float | None] = [50.0] * 24
    hours[12:20] = [150.0] * 8
    assert o3_daily_max_8h(hours) == 150.0
    sparse: list[float | None] = [None] * 24
    sparse[:10] = [80.0] * 10
    assert o3_daily_max_8h(sparse) is None  # fewer than 14 valid 8-hour means
    with pytest.raises(ValueError, match="24 hourly"):
        o3_daily_max_8h([1.0] * 23)


def _section(sid: str, kind: str, nh3n: float, waterbody: str = "river") -> SectionMeans:
    return SectionMeans(
        sid, sid, kind, waterbody, 3, {"NH3-N": nh3n, "DO": 6.5, "TP": 0.1, "pH": 7.5}
    )


def test_section_shares_against_targets(rules: IndicatorRules) -> None:
    sections = [
        _section("N1", "water_national", 0.4),  # Ⅱ
        _section("N2", "water_national", 1.0),  # Ⅲ at the limit (equality belongs to Ⅲ)
        _section("N3", "water_national", 1.2),  # Ⅳ
        _section("N4", "water_national", 0.2),  # Ⅱ
        _section("P1", "water_provincial", 0.9),  # Ⅲ
        SectionMeans("P2", "P2", "water_provincial", "river", 3, {"NH3-N": None}),  # no data
        _section("B1", "water_boundary", 5.0),  # boundary sections are in neither set
    ]
    national = section_share(sections, "national", rules)
    assert national.value == Decimal("75.0") and national.status == "good"  # target 75 %
    assert national.inputs["worse than Ⅲ"] == "N3 Ⅳ"
    provincial = section_share(sections, "provincial", rules)
    assert provincial.value == Decimal("80.0") and provincial.status == "bad"  # target 90 %
    assert provincial.inputs["without data"] == "P2"
    empty = section_share([], "national", rules)
    assert empty.value is None and empty.status == "no_data"


def test_lake_tp_year_on_year() -> None:
    this_year = _days(date(2026, 1, 1), AS_OF)
    last_year = _days(date(2025, 1, 1), date(2025, 10, 31))
    sections = {
        "L1": {**{d: 0.045 for d in this_year}, **{d: 0.070 for d in last_year}},
        "L2": {**{d: 0.045 for d in this_year}, **{d: 0.070 for d in last_year}},
    }
    result = lake_tp_yoy("竺山湖", sections, AS_OF)
    assert result.value == Decimal("-35.7") and result.status == "good"
    assert "0.045" in result.comparison_zh and "0.070" in result.comparison_zh
    worse = {"L1": {**{d: 0.08 for d in this_year}, **{d: 0.070 for d in last_year}}}
    assert lake_tp_yoy("滆湖", worse, AS_OF).status == "bad"
    assert lake_tp_yoy("长荡湖", {}, AS_OF).status == "no_data"
    named = lake_tp_yoy("长荡湖", {}, AS_OF, "Changdang Lake")
    assert named.title_en.startswith("Changdang Lake") and named.title_zh.startswith("长荡湖")


def test_drinking_water_compliance(rules: IndicatorRules) -> None:
    s1, s2, s3, s4 = rules.drinking_water
    result = drinking_water_compliance(
        [
            (
                s1,
                SectionMeans(
                    s1.station,
                    s1.name,
                    "water_national",
                    "reservoir",
                    2,
                    {"NH3-N": 0.3, "TP": 0.02},
                ),
            ),
            (
                s2,
                SectionMeans(
                    s2.station, s2.name, "water_provincial", "reservoir", 2, {"NH3-N": 0.8}
                ),
            ),
            (s3, SectionMeans(s3.station, s3.name, "water_national", "river", 2, {"NH3-N": 0.1})),
            (s4, None),
        ]
    )
    assert result.value == Decimal("66.7")  # 2 of 3 rated sources
    assert result.status == "bad"
    assert "大溪水库 Ⅲ (target Ⅱ)" in result.inputs["not compliant"]
    assert s4.name in result.inputs["without data"]
    only_good = drinking_water_compliance(
        [(DrinkingSource("X", "X", 3), _section("X", "water_national", 0.5))]
    )
    assert only_good.value == Decimal("100.0") and only_good.status == "good"
