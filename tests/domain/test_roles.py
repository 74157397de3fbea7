from __future__ import annotations

import pytest

from dispatch_app.domain.errors import PermissionDenied
from dispatch_app.domain.roles import Permission, Role, allows, require

EXPECTED = {
    Role.VIEWER: {Permission.READ},
    Role.DUTY_OFFICER: {Permission.READ, Permission.WORK_CASES},
    Role.SHIFT_LEADER: {
        Permission.READ,
        Permission.WORK_CASES,
        Permission.CLOSE,
        Permission.REOPEN,
        Permission.MERGE,
        Permission.SET_EMERGENCY_LEVEL,
    },
    Role.ADMINISTRATOR: set(Permission),
}


@pytest.mark.parametrize("role", list(Role))
def test_permissions_per_role(role: Role) -> None:
    assert {p for p in Permission if allows(role, p)} == EXPECTED[role]


def test_require_names_the_needed_role() -> None:
    with pytest.raises(PermissionDenied) as info:
        require(Role.SHIFT_LEADER, Permission.MANAGE_USERS)
    assert info.value.params == {
        "role": "shift_leader",
        "needed": "administrator",
        "permission": "manage_users",
    }
    assert "Administrator" in str(info.value)
    require(Role.ADMINISTRATOR, Permission.MANAGE_USERS)
