"""Heavy-pollution weather alert levels from forecast AQI, the rules file, transitions;
and the downstream/downwind proposal of affected stations on the real registry."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

import pytest

from dispatch_app.domain.emergency_stations import (
    StationPoint,
    downstream_stations,
    downwind_stations,
)
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.heavy_pollution import (
    AlertLevel,
    AlertRules,
    AlertRulesError,
    Transition,
    alert_rules_from_toml,
    assess_forecast,
    transition,
)
from dispatch_app.resources import resources_dir

RESOURCES = resources_dir()
D0 = date(2026, 12, 1)


def fc(*values: int) -> list[tuple[date, int]]:
    return [(D0 + timedelta(days=i), v) for i, v in enumerate(values)]


@pytest.fixture(scope="module")
def rules() -> AlertRules:
    return alert_rules_from_toml((RESOURCES / "rules" / "heavy_pollution.toml").read_text("utf-8"))


def test_rules_file_holds_the_reference_defaults(rules: AlertRules) -> None:
    assert rules == AlertRules()


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ((150, 200, 200, 180), None),  # 200 is not "above 200"
        ((201, 150, 201, 150), None),  # never two days in a row
        ((201, 201, 150), AlertLevel.YELLOW),
        ((150, 250, 260, 150), AlertLevel.YELLOW),
        ((201, 201, 201), AlertLevel.ORANGE),
        ((201, 201, 201, 201), AlertLevel.ORANGE),  # 4 days but never above 300
        ((201, 301, 290, 301, 201), AlertLevel.ORANGE),  # 300+ days not consecutive
        ((201, 301, 301, 201), AlertLevel.RED),
        ((301, 301, 210, 205), AlertLevel.RED),
        ((301, 300, 210, 205), AlertLevel.ORANGE),  # 300 is not above 300
        ((120, 500), AlertLevel.RED),  # reaching 500 alone
        ((120, 499), None),
    ],
)
def test_levels(values: tuple[int, ...], level: AlertLevel | None, rules: AlertRules) -> None:
    assert assess_forecast(fc(*values), rules).level is level


@pytest.mark.parametrize(
    "days",
    [
        [],
        [(D0, -1)],
        [(D0, 2000)],
        [(D0, "250")],
        [(D0, 250.5)],
        [(D0, 250), (D0 + timedelta(days=2), 250)],
        [("2026-12-01", 250)],
        fc(*([250] * 16)),
    ],
)
def test_bad_forecasts_are_refused(days: list) -> None:
    with pytest.raises(ValidationError) as err:
        assess_forecast(days)
    assert err.value.field == "forecast"


def test_rules_file_errors() -> None:
    good = (RESOURCES / "rules" / "heavy_pollution.toml").read_text("utf-8")
    for text, fragment in (
        ("[yellow", "TOML"),
        (good.replace("[orange]", "[amber]"), "[orange]"),
        (good.replace("min_days = 3", "min_days = -3"), "min_days"),
        (good.replace("min_days = 3", "min_days = 1"), "decrease"),
        (good.replace("extreme_at = 500", ""), "extreme_at"),
    ):
        with pytest.raises(AlertRulesError) as err:
            alert_rules_from_toml(text)
        assert fragment in str(err.value)


def test_transitions() -> None:
    y, o, r = AlertLevel.YELLOW, AlertLevel.ORANGE, AlertLevel.RED
    assert transition(None, y) is Transition.ISSUE
    assert transition(y, r) is Transition.UPGRADE
    assert transition(r, o) is Transition.DOWNGRADE
    assert transition(o, None) is Transition.LIFT
    assert transition(o, o) is None and transition(None, None) is None


@pytest.fixture(scope="module")
def registry() -> list[StationPoint]:
    data = json.loads((RESOURCES / "stations.json").read_text("utf-8"))
    return [
        StationPoint(s["id"], s["kind"], s["lon"], s["lat"], tuple(s.get("downstream") or ()))
        for s in data["stations"]
    ]


def test_downstream_follows_links_in_arrival_order(registry: list[StationPoint]) -> None:
    benniu = next(s for s in registry if s.id == "WQ-B-01")
    found = downstream_stations(registry, benniu.lon, benniu.lat, near_km=0.5)
    ids = [a.id for a in found]
    assert ids[:3] == ["WQ-B-01", "WQ-P-01", "WQ-N-01"]
    assert [a.hops for a in found[:3]] == [0, 1, 2]
    # Nothing upstream of Benniu is proposed: every station is reachable by links.
    by_id = {s.id: s for s in registry}
    for prev, nxt in itertools.pairwise(found):
        assert nxt.hops is not None and prev.hops is not None and nxt.hops >= prev.hops
    assert all(by_id[i].is_water for i in ids)


def test_downwind_sector(registry: list[StationPoint]) -> None:
    lon, lat = 119.95, 31.78
    north_wind = downwind_stations(registry, lon, lat, wind_from_deg=0.0, max_km=15)
    assert north_wind, "some air station lies south of the city centre"
    for a in north_wind:
        assert a.distance_km <= 1.0 or 150.0 <= a.bearing_deg <= 210.0
    south_wind = {a.id for a in downwind_stations(registry, lon, lat, 180.0, max_km=15)}
    far_north = {a.id for a in north_wind if a.distance_km > 1.0}
    assert not (far_north & south_wind)
    assert [a.distance_km for a in north_wind] == sorted(a.distance_km for a in north_wind)
