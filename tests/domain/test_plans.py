"""Response plans: every shipped plan file loads against the real unit registry; activation
turns steps into a checklist with timers (open, overdue, done, skipped with a reason)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_app.desk.registry import load_units
from dispatch_app.domain.emergencies import EmergencyType
from dispatch_app.domain.emergency_plans import (
    PlanError,
    StepState,
    StepStatus,
    activate,
    check_finish,
    parse_plan,
    plans_for,
)
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.resources import resources_dir as shipped_resources_dir

T = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def units(resources_dir: Path) -> list[tuple[str, str, str | None]]:
    reg = load_units(resources_dir / "units.toml")
    return [(u.id, u.kind.value, u.district.value if u.district else None) for u in reg.units]


@pytest.fixture(scope="module")
def resources_dir() -> Path:
    return shipped_resources_dir()


def _load_all(resources_dir: Path, unit_ids: list[str]) -> dict[str, object]:
    return {
        p.stem: parse_plan(p.read_text(encoding="utf-8"), str(p), unit_ids)
        for p in sorted((resources_dir / "plans").glob("*.toml"))
    }


def test_shipped_plans_load(resources_dir: Path, units: list) -> None:
    plans = _load_all(resources_dir, [u[0] for u in units])
    assert {
        "water_pollution",
        "heavy_pollution_weather",
        "algae_bloom",
        "flood_season_water_quality",
        "chemical_release",
    } <= set(plans)
    flood = plans["flood_season_water_quality"]
    assert flood.scope == {  # type: ignore[attr-defined]
        "tributaries": 61,
        "drainage_pump_stations": 20,
        "farmland_drainage_outlets": 3,
    }
    assert plans["heavy_pollution_weather"].alert  # type: ignore[attr-defined]
    water = [p for p in plans.values() if p.id == "water_pollution"]  # type: ignore[attr-defined]
    assert plans_for(plans.values(), EmergencyType.WATER_POLLUTION)[0] in [  # type: ignore[arg-type]
        *water,
        plans["flood_season_water_quality"],
    ]


def test_activation_checklist_and_timers(resources_dir: Path, units: list) -> None:
    plan = _load_all(resources_dir, [u[0] for u in units])["water_pollution"]
    steps = activate(plan, T, "wujin", units)  # type: ignore[arg-type]
    verify = steps[0]
    assert verify.key == "verify" and verify.owner_unit == "branch-wujin"
    assert verify.due_at == T + timedelta(minutes=30)
    assert steps[1].owner_unit == "monitoring-center"
    assert steps[2].owner_unit is not None and steps[2].owner_unit.startswith("station-")
    # 29:59 in: open with one second left; 30:01 in: overdue by one second.
    at = T + timedelta(minutes=29, seconds=59)
    assert verify.status(at) is StepStatus.OPEN and verify.remaining(at) == timedelta(seconds=1)
    at = T + timedelta(minutes=30, seconds=1)
    assert verify.status(at) is StepStatus.OVERDUE
    assert verify.status(verify.due_at) is StepStatus.OPEN  # exactly at the target: still on time
    assert check_finish(verify, StepState.DONE, None) is None
    with pytest.raises(ValidationError):
        check_finish(verify, StepState.SKIPPED, "  ")
    assert check_finish(verify, StepState.SKIPPED, " 已由消防核实 ") == "已由消防核实"
    from dataclasses import replace

    done = replace(verify, state=StepState.DONE, finished_at=T + timedelta(minutes=40))
    assert done.status(T + timedelta(days=1)) is StepStatus.DONE and done.late()
    assert done.took(T) == timedelta(minutes=40)
    with pytest.raises(IllegalTransition):
        check_finish(done, StepState.SKIPPED, "x")


BASE = """
id = "p"
title = "t"
[[step]]
key = "a"
title = "A"
target_min = 30
owner = "monitoring-center"
"""


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("id = ", "not valid TOML"),
        (BASE.replace('id = "p"', 'id = "P Q"'), "id"),
        (BASE.replace("target_min = 30", "target_min = 0"), "target_min"),
        (BASE.replace("target_min = 30", 'target_min = "30"'), "target_min"),
        (BASE.replace('owner = "monitoring-center"', 'owner = "nobody"'), "owner"),
        (BASE.replace('owner = "monitoring-center"', ""), "exactly one"),
        (BASE.replace('owner = "monitoring-center"', 'owner_kind = "police"'), "owner_kind"),
        (BASE + BASE[BASE.index("[[step]]") :], "used twice"),
        ('id = "p"\ntitle = "t"\n', "at least one"),
        ('id = "p"\ntitle = "t"\ntypes = ["flood"]\n' + BASE[BASE.index("[[step]]") :], "flood"),
    ],
)
def test_bad_plan_files_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(PlanError) as err:
        parse_plan(text, "plans/p.toml", ["monitoring-center"])
    assert "plans/p.toml" in str(err.value) and fragment in str(err.value)
