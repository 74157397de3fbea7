"""The station registry: lookups, and refusal of inconsistent files with a clear message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.network.registry import RegistryError, load_registry
from dispatch_app.network.reporting import DEFAULT_REPORTING, Reporting
from tests.dataservice.conftest import registry_document, station_entry


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "reg.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_lookups_by_id_mn_kind_and_code(registry_path: Path) -> None:
    reg = load_registry(registry_path)
    assert len(reg) == 4
    s = reg.by_mn("32040000TEST000000000001")
    assert s is not None and s is reg.by_id("AQ-T-01")
    assert [x.id for x in reg.by_kind("water_national")] == ["WQ-T-101"]
    pm = s.parameter_by_code("a34004")
    assert pm is not None and (pm.key, pm.unit) == ("PM2.5", "µg/m³")
    assert s.parameter_by_code("w21011") is None
    assert reg.by_mn("nope") is None and reg.by_id("nope") is None
    water = reg.by_id("WQ-T-101")
    assert water is not None and water.is_water and water.target_class == 3


def test_to_json_round_trips_the_contract_shape(registry_path: Path) -> None:
    doc = json.loads(registry_path.read_text(encoding="utf-8"))
    reg = load_registry(registry_path)
    # Each entry as written, plus its resolved reporting rules (here: its kind's defaults).
    assert [s.to_json() for s in reg] == [
        {**entry, "reporting": DEFAULT_REPORTING[entry["kind"]].to_json()}
        for entry in doc["stations"]
    ]


def test_reporting_per_kind_overridden_per_station(tmp_path: Path) -> None:
    doc = registry_document(3, 1)
    doc["reporting"] = {
        "air_national": {
            "interval_s": 300,
            "time_basis": "period_start",
            "delay_s": 60,
            "offline_after_missed": 4,
        }
    }
    del doc["stations"][0]["interval_s"]  # the kind's interval
    doc["stations"][1]["interval_s"] = 3600  # an hourly station: its own interval
    doc["stations"][2]["reporting"] = {"delay_s": 600}  # its own delay, the rest its kind's
    reg = load_registry(write(tmp_path, doc))
    first, hourly, slow, water = reg.stations
    assert first.interval_s == 300 and first.schedule == Reporting(300, "period_start", 60, 4)
    assert hourly.schedule == Reporting(3600, "period_start", 60, 4)
    assert slow.schedule.delay_s == 600 and slow.schedule.interval_s == 60
    # A kind the block leaves out keeps the defaults.
    assert water.schedule == DEFAULT_REPORTING["water_national"]
    assert first.to_json()["reporting"] == {
        "interval_s": 300,
        "time_basis": "period_start",
        "delay_s": 60,
        "offline_after_missed": 4,
    }


def test_the_shipped_registry_says_how_each_kind_reports(resources_dir: Path) -> None:
    """What the simulator sends: air stations minute averages (CN 2051, stamped with the
    minute's start), water sections a sample every four hours (stamped with its time)."""
    reg = load_registry(resources_dir / "stations.json")
    for s in reg:
        if s.is_water:
            assert (s.interval_s, s.schedule.time_basis) == (14400, "sample"), s.id
        else:
            assert (s.interval_s, s.schedule.time_basis) == (60, "period_start"), s.id
    assert set(reg.reporting) == {s.kind for s in reg}


def test_the_shipped_registry_loads(resources_dir: Path) -> None:
    path = resources_dir / "stations.json"
    if not path.exists():
        pytest.skip("resources/stations.json is not there yet")
    reg = load_registry(path)
    assert len(reg) > 0
    assert all(s.parameters for s in reg)


def bad(**over: Any) -> dict[str, Any]:
    doc = registry_document(2, 0)
    doc["stations"][1] = station_entry(2, **over)
    return doc


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "stations"),
        ({"stations": {}}, "stations"),
        (bad(id="AQ-T-01"), "appears twice"),
        (bad(mn="32040000TEST000000000001"), "already used"),
        (bad(kind="air_secret"), "unknown kind"),
        (bad(mn="M;N"), "not a valid HJ 212 MN"),
        (bad(mn="M" * 25), "not a valid HJ 212 MN"),
        (bad(lon="east"), "wrong type"),
        (bad(lat=200), "not a place"),
        (bad(interval_s=0), "positive"),
        (bad(interval_s=True), "boolean"),
        (bad(target_class=7), "target_class"),
        (bad(waterbody="sea"), "waterbody"),
        (bad(downstream=["WQ-NOWHERE"]), "downstream"),
        (bad(parameters=[{"key": "PM2.5", "code": "a34004"}]), "missing 'unit'"),
        (
            bad(
                parameters=[
                    {"key": "PM2.5", "code": "a34004", "unit": "x"},
                    {"key": "PM25", "code": "a34004", "unit": "x"},
                ]
            ),
            "appears twice",
        ),
        (bad(parameters=[{"key": "X", "code": "a-1", "unit": "x"}]), "cannot appear"),
        (bad(reporting={"delay_s": -1}), "delay_s"),
        (bad(reporting={"time_basis": "whenever"}), "time_basis"),
        (bad(reporting={"offline_after_missed": 0}), "offline_after_missed"),
        (bad(reporting={"delay": 60}), "unknown reporting field"),
        (bad(reporting={"interval_s": 120}), "differs from interval_s"),
        (dict(registry_document(1, 0), reporting={"air_secret": {}}), "unknown station kind"),
        (
            dict(registry_document(1, 0), reporting={"air_national": {"interval_s": 60}}),
            "reporting.time_basis is missing",
        ),
    ],
)
def test_inconsistent_registry_is_refused(tmp_path: Path, document: Any, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        load_registry(write(tmp_path, document))


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "absent.json")
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid JSON"):
        load_registry(path)
