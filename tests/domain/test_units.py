"""The unit registry file and its validation."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dispatch_app.domain.districts import District
from dispatch_app.domain.units import UnitKind, UnitRegistryError, parse_unit_registry


@pytest.fixture(scope="module")
def data(resources_dir: Path) -> dict[str, Any]:
    return tomllib.loads((resources_dir / "units.toml").read_text(encoding="utf-8"))


def test_shipped_registry(data: dict[str, Any]) -> None:
    reg = parse_unit_registry(data)
    assert len(reg.of_kind(UnitKind.BRANCH)) == 7
    assert len(reg.of_kind(UnitKind.FIELD_STATION)) == 26
    assert len(reg.of_kind(UnitKind.MONITORING)) == 1
    for district in District:
        branch = reg.branch_for(district)
        assert branch is not None and branch.district is district
        assert district.name_zh in branch.name
    # Every field station reports to its own district's branch; contacts are marked sample.
    for st in reg.of_kind(UnitKind.FIELD_STATION):
        parent = reg.get(st.parent or "")
        assert parent is not None and parent.district is st.district
        assert st.sample
    assert reg.get("station-hutang") is not None
    assert "nowhere" not in reg


def _one(**overrides: Any) -> dict[str, Any]:
    unit = {
        "id": "branch-wujin",
        "name": "武进执法分局",
        "name_en": "Wujin",
        "kind": "branch",
        "district": "wujin",
        "phone": "0519-1",
    }
    unit.update(overrides)
    return unit


@pytest.mark.parametrize(
    ("units", "fragment"),
    [
        ([], "no [[unit]]"),
        ([_one(id="Bad Id")], "id"),
        ([_one(), _one()], "duplicate id"),
        ([_one(name="")], "name is missing"),
        ([_one(kind="police")], "unknown kind"),
        ([_one(district="nanjing")], "unknown district"),
        ([_one(district=None)], "needs a district"),
        ([_one(phone="call me")], "not a phone number"),
        ([_one(), _one(id="branch-wujin-2")], "already has branch"),
        ([_one(id="station-x", kind="field_station", parent="nope")], "is not a branch"),
    ],
)
def test_bad_registry_is_refused_naming_the_entry(units: list[Any], fragment: str) -> None:
    with pytest.raises(UnitRegistryError) as info:
        parse_unit_registry({"unit": units})
    assert fragment in str(info.value)
