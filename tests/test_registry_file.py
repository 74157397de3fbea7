"""The committed sample registry (resources/stations.json) against docs/contracts.md and the seed."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_registry.py"

KINDS = {
    "air_national": 8,
    "air_provincial": 4,
    "air_township": 62,
    "air_grid": 208,
    "water_national": 20,
    "water_provincial": 31,
    "water_boundary": 27,
}
DISTRICTS = {"liyang", "jintan", "wujin", "xinbei", "tianning", "zhonglou", "jingkai"}
CODES = {
    "PM2.5": "a34004",
    "PM10": "a34002",
    "SO2": "a21026",
    "NO2": "a21004",
    "CO": "a21005",
    "O3": "a05024",
    "temp": "a01001",
    "humidity": "a01002",
    "wind_speed": "a01007",
    "wind_dir": "a01008",
    "pH": "w01001",
    "DO": "w01009",
    "water_temp": "w01010",
    "conductivity": "w01014",
    "CODMn": "w01019",
    "COD": "w01018",
    "NH3-N": "w21003",
    "TP": "w21011",
    "TN": "w21001",
}


@pytest.fixture(scope="module")
def registry(resources_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((resources_dir / "stations.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def stations(registry: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = registry["stations"]
    return result


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_registry", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_registry"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_counts_per_kind_match_the_seed(stations: list[dict[str, Any]]) -> None:
    assert Counter(s["kind"] for s in stations) == KINDS


def test_ids_and_mns_are_unique_and_mns_have_24_characters(
    stations: list[dict[str, Any]],
) -> None:
    ids = [s["id"] for s in stations]
    mns = [s["mn"] for s in stations]
    assert len(set(ids)) == len(ids)
    assert len(set(mns)) == len(mns)
    for mn in mns:
        assert len(mn) == 24 and mn.isascii() and mn.isalnum(), mn


def test_every_entry_has_the_contract_fields(stations: list[dict[str, Any]]) -> None:
    fields = {
        "id", "mn", "name", "name_en", "kind", "district", "lon", "lat", "interval_s",
        "sample", "parameters", "target_class", "waterbody", "river", "downstream",
    }  # fmt: skip
    for s in stations:
        assert fields <= set(s), (s["id"], fields - set(s))
        assert s["district"] in DISTRICTS
        assert s["name"] and s["name_en"]
        assert isinstance(s["sample"], bool)


def test_coordinates_inside_changzhou_and_inside_their_district(
    stations: list[dict[str, Any]], script: ModuleType
) -> None:
    polygons = script._load_polygons()
    for s in stations:
        assert 119.13 <= s["lon"] <= 120.21 and 31.15 <= s["lat"] <= 32.06, s["id"]
        assert script.in_district(s["lon"], s["lat"], s["district"], polygons), (
            s["id"],
            s["name"],
            s["district"],
        )


def test_districts_are_weighted_plausibly(stations: list[dict[str, Any]]) -> None:
    # 溧阳 and 金坛 are southwest of the city centre, 新北 north of it.
    def mean_lat(district: str) -> float:
        lats = [s["lat"] for s in stations if s["district"] == district]
        return sum(lats) / len(lats)

    def mean_lon(district: str) -> float:
        lons = [s["lon"] for s in stations if s["district"] == district]
        return sum(lons) / len(lons)

    assert mean_lat("liyang") < mean_lat("wujin") < mean_lat("tianning") < mean_lat("xinbei")
    assert mean_lon("jintan") < mean_lon("zhonglou") < mean_lon("jingkai")
    per_district = Counter(s["district"] for s in stations)
    assert all(per_district[d] >= 10 for d in DISTRICTS), per_district


def test_parameters_carry_contract_codes_and_units(stations: list[dict[str, Any]]) -> None:
    for s in stations:
        keys = [p["key"] for p in s["parameters"]]
        assert len(keys) == len(set(keys)), s["id"]
        for p in s["parameters"]:
            assert CODES[p["key"]] == p["code"], (s["id"], p)
            assert isinstance(p["unit"], str) and p["unit"].strip(), (s["id"], p)
        if s["kind"].startswith("air"):
            assert s["interval_s"] == 60
            assert {"PM2.5", "PM10"} <= set(keys)
            if s["kind"] in ("air_national", "air_provincial"):
                assert {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3", "temp", "wind_speed"} <= set(
                    keys
                )
        else:
            assert s["interval_s"] == 14400
            assert {"pH", "DO", "CODMn", "NH3-N", "TP", "water_temp", "conductivity"} <= set(keys)
            # TN is assessed for lakes and reservoirs only (GB 3838—2002, "湖、库").
            assert ("TN" in keys) == (s["waterbody"] in ("lake", "reservoir")), s["id"]
    co = {p["unit"] for s in stations for p in s["parameters"] if p["key"] == "CO"}
    assert co == {"mg/m³"}


def test_water_sections_have_class_body_and_resolving_downstream_chains(
    stations: list[dict[str, Any]],
) -> None:
    by_id = {s["id"]: s for s in stations}
    for s in stations:
        if s["kind"].startswith("water"):
            assert s["target_class"] in (1, 2, 3, 4, 5)
            assert s["waterbody"] in ("river", "lake", "reservoir")
            assert s["river"]
            for d in s["downstream"]:
                assert d in by_id and by_id[d]["kind"].startswith("water"), (s["id"], d)
                assert d != s["id"]
        else:
            assert s["target_class"] is None and s["waterbody"] is None
            assert s["downstream"] == []
    # No loops: following downstream links always ends.
    for start in by_id:
        seen: set[str] = set()
        frontier = [start]
        while frontier:
            node = frontier.pop()
            assert node not in seen, f"downstream loop through {start}"
            seen.add(node)
            frontier.extend(by_id[node]["downstream"])
    # The Grand Canal is a chain of several sections ending at 五牧, the exit to Wuxi.
    wumu = next(s for s in stations if s["name"] == "五牧")
    upstream_of_wumu = [s for s in stations if wumu["id"] in s["downstream"]]
    assert upstream_of_wumu and upstream_of_wumu[0]["river"] == "京杭大运河"


def test_seed_names_are_present_and_everything_else_is_marked_sample(
    registry: dict[str, Any], stations: list[dict[str, Any]]
) -> None:
    real = {(s["name"], s["kind"]) for s in stations if not s["sample"]}
    assert real == {
        ("安家", "air_national"),
        ("行政中心", "air_national"),
        ("五牧", "water_national"),
    }
    lakes = {s["river"] for s in stations if s["waterbody"] == "lake"}
    assert {"竺山湖", "滆湖", "长荡湖"} <= lakes
    assert "sample" in registry["attribution"]


def test_committed_file_is_what_the_seeded_script_generates(
    resources_dir: Path, script: ModuleType
) -> None:
    committed = (resources_dir / "stations.json").read_text(encoding="utf-8")
    assert script.render() == committed, "run scripts/make_registry.py and commit the result"
