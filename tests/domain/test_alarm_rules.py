"""Alarm rules from TOML: the shipped file, validation errors naming rule and field, saving."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch_app.domain.alarm_rules import (
    AlarmRuleError,
    Priority,
    RuleSet,
    RuleType,
    dump_rules,
    parse_rules,
    validate_rule,
)
from dispatch_app.domain.errors import ValidationError

GOOD = dict(
    id="aqi-heavy",
    name_zh="重度污染",
    name_en="Heavy pollution",
    type="aqi_level",
    station_kinds=["air_national"],
    priority="high",
    params={"level": 5},
)


def test_shipped_rules_file_is_valid_and_round_trips(resources_dir: Path) -> None:
    text = (resources_dir / "rules" / "alarms.toml").read_text(encoding="utf-8")
    rules = parse_rules(text)
    types = {r.type for r in rules.rules}
    assert types == set(RuleType)  # every rule type is exercised by the shipped file
    assert parse_rules(dump_rules(rules)) == rules
    high = [r for r in rules.rules if r.priority is Priority.HIGH]
    assert high and all(r.open_case for r in high)
    rise = rules.by_id("grid-pm25-rise")
    assert rise.station_kinds == ("air_grid",) and rise.params["rise"] == 0.5


def test_defaults_are_filled() -> None:
    rule = validate_rule(GOOD)
    assert rule.count == 1 and rule.deadband == 0.0 and rule.enabled
    assert rule.open_case  # high priority opens a case unless told otherwise
    low = validate_rule({**GOOD, "priority": "low"})
    assert not low.open_case
    fault = validate_rule(
        {
            **GOOD,
            "id": "f",
            "type": "fault_flag",
            "params": {"minutes": 30},
            "station_kinds": ["water_national"],
        }
    )
    assert fault.params == {"flags": ["D"], "minutes": 30}
    rise = validate_rule(
        {**GOOD, "type": "sudden_rise", "params": {"parameter": "PM2.5", "rise": 0.5}}
    )
    assert rise.params["window_minutes"] == 60 and rise.params["min_increase"] == 0.0


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"id": "Bad Id"}, "id", "lower-case"),
        ({"priorty": "high"}, "priorty", "unknown field"),
        ({"name_zh": " "}, "name_zh", "non-empty"),
        ({"type": "aqi"}, "type", "unknown type"),
        ({"station_kinds": ["air_city"]}, "station_kinds", "station kinds"),
        ({"station_kinds": []}, "station_kinds", "station kinds"),
        ({"station_kinds": ["air_national", "air_national"]}, "station_kinds", "twice"),
        ({"station_kinds": ["water_national"]}, "station_kinds", "air stations only"),
        ({"priority": "urgent"}, "priority", "high, medium or low"),
        ({"count": 0}, "count", "1–1000"),
        ({"count": 2.5}, "count", "1–1000"),
        ({"deadband": -1}, "deadband", "≥ 0"),
        ({"deadband": float("nan")}, "deadband", "≥ 0"),
        ({"open_case": "yes"}, "open_case", "true or false"),
        ({"params": {}}, "params.level", "required"),
        ({"params": {"level": 7}}, "params.level", "1–6"),
        ({"params": {"level": 5, "lvl": 1}}, "params.lvl", "not a parameter"),
        ({"params": "level=5"}, "params", "table"),
        (
            {"type": "limit", "params": {"pollutant": "PM2.5", "period": "1h"}},
            "params.period",
            "no 1h limit",
        ),
        (
            {"type": "limit", "params": {"pollutant": "PM1", "period": "day"}},
            "params.pollutant",
            "one of",
        ),
        (
            {"type": "sudden_rise", "params": {"parameter": "PM2.5", "rise": 0}},
            "params.rise",
            "0.01–100",
        ),
        ({"type": "silent", "params": {"minutes": 0}}, "params.minutes", "1–10080"),
        (
            {"type": "fault_flag", "params": {"minutes": 5, "flags": ["N"]}},
            "params.flags",
            "HJ 212 flags",
        ),
        ({"type": "water_class", "params": {}}, "station_kinds", "water sections only"),
    ],
)
def test_invalid_rules_name_rule_and_field(change: dict, field: str, words: str) -> None:
    raw = {**GOOD, **change}
    if "priorty" in change:
        raw.pop("priority")
    with pytest.raises(AlarmRuleError) as info:
        validate_rule(raw)
    error = info.value
    assert error.field == field
    assert words in str(error)
    if change.get("id") != "Bad Id":
        assert error.rule_id == "aqi-heavy" and "rule 'aqi-heavy'" in str(error)
    # It is both a ValueError and the domain's ValidationError (the UI marks the field).
    assert isinstance(error, ValueError) and isinstance(error, ValidationError)
    assert error.message("zh")


def test_file_level_errors() -> None:
    with pytest.raises(AlarmRuleError, match="not valid TOML"):
        parse_rules("[[rule]\nid = 1")
    with pytest.raises(AlarmRuleError, match="unknown top-level key"):
        parse_rules("version = 3\n")
    with pytest.raises(AlarmRuleError, match="positive integer"):
        parse_rules("revision = 0\n")
    twice = dump_rules(RuleSet((validate_rule(GOOD), validate_rule(GOOD))))
    with pytest.raises(AlarmRuleError, match="same id") as info:
        parse_rules(twice)
    assert info.value.rule_id == "aqi-heavy"
    assert parse_rules("revision = 4\n") == RuleSet((), 4)


def test_saving_an_edit_round_trips_with_odd_text() -> None:
    edited = validate_rule(
        {
            **GOOD,
            "name_zh": '含"引号"与\\反斜杠',
            "name_en": "Line\nbreak",
            "deadband": 7.5,
            "count": 3,
            "enabled": False,
        }
    )
    text = dump_rules(RuleSet((edited,), revision=8))
    again = parse_rules(text)
    assert again.revision == 8 and again.rules == (edited,)
    with pytest.raises(KeyError):
        again.by_id("missing")
