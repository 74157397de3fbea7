"""An emergency's level has one path: EmergencyDesk.decide_level, with a reason and the level
history. The generic paths refuse to change it and say where it is done."""

from __future__ import annotations

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.emergencies import EmergencyDesk, EmergencyDraft, load_emergency_resources
from dispatch_app.desk.errors import ValidationError
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.emergencies import EmergencyType
from dispatch_app.resources import resources_dir
from tests.desk.conftest import PASSWORD, draft


def _as(desk: Desk, username: str) -> None:
    desk.logout()
    desk.login(username, PASSWORD)


def test_generic_level_changes_are_refused_and_point_to_the_emergency_desk(desk: Desk) -> None:
    _as(desk, "leader")
    em = EmergencyDesk(desk, load_emergency_resources(resources_dir()))
    view = em.create(
        EmergencyDraft(
            title="京杭大运河奔牛段柴油泄漏",
            district="xinbei",  # type: ignore[arg-type]
            type=EmergencyType.WATER_POLLUTION,
            description="运输船碰撞，柴油入河",
        )
    )
    decided = em.decide_level(view.case.id, view.case.version, "III", "下游水厂取水口受威胁")
    case = desk.get_case(view.case.id)
    assert case.details["emergency_level"] == "III"

    with pytest.raises(ValidationError) as info:
        desk.set_emergency_level(case.id, "II", case.version)
    assert info.value.key == "error.level_via_emergency_desk"
    assert info.value.field == "emergency_level"
    assert "EmergencyDesk.decide_level" in info.value.message("en")
    details = dict(case.details, emergency_level="II")
    with pytest.raises(ValidationError) as info:
        desk.edit_case(case.id, case.version, {"details": details})
    assert info.value.key == "error.level_via_emergency_desk"
    after = desk.get_case(case.id)
    assert after.version == case.version and after.details["emergency_level"] == "III"
    assert [d.level.value for d in em.get(case.id).decisions] == [
        d.level.value for d in decided.decisions
    ]

    # Sending the level back unchanged is no level change: other fields still edit.
    edited = desk.edit_case(
        case.id, case.version, {"title": "奔牛段柴油泄漏", "details": case.details}
    )
    assert edited.title == "奔牛段柴油泄漏" and edited.details["emergency_level"] == "III"

    # The one path works and keeps the history, with the reason.
    again = em.decide_level(case.id, edited.version, "II", "影响扩大至跨界断面")
    assert again.level is not None and again.level.value == "II"
    assert [d.reason for d in again.decisions][-1] == "影响扩大至跨界断面"


def test_a_level_on_a_case_of_another_kind_is_still_a_field_error(desk: Desk) -> None:
    _as(desk, "leader")
    quality = desk.create_case(draft(CaseKind.QUALITY))
    with pytest.raises(ValidationError) as info:
        desk.set_emergency_level(quality.id, "I", quality.version)
    assert info.value.key == "error.level_not_emergency"
