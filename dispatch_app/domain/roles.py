"""Roles and what each may do.

Roles are ranked: each role may do everything the roles below it may do. The administrator is
at the top so that a small night shift with one administrator on duty is never blocked.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from dispatch_app.domain.errors import PermissionDenied


class Role(StrEnum):
    VIEWER = "viewer"
    DUTY_OFFICER = "duty_officer"
    SHIFT_LEADER = "shift_leader"
    ADMINISTRATOR = "administrator"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def name_en(self) -> str:
        return _EN[self]


_RANK = {Role.VIEWER: 0, Role.DUTY_OFFICER: 1, Role.SHIFT_LEADER: 2, Role.ADMINISTRATOR: 3}
_ZH = {
    Role.VIEWER: "只读",
    Role.DUTY_OFFICER: "值班员",
    Role.SHIFT_LEADER: "带班领导",
    Role.ADMINISTRATOR: "管理员",
}
_EN = {
    Role.VIEWER: "Viewer",
    Role.DUTY_OFFICER: "Duty officer",
    Role.SHIFT_LEADER: "Shift leader",
    Role.ADMINISTRATOR: "Administrator",
}


class Permission(IntEnum):
    READ = 0
    WORK_CASES = 1  # create, triage, dispatch, acknowledge, arrive, resolve, cancel, note, edit
    CLOSE = 2
    REOPEN = 3
    MERGE = 4
    SET_EMERGENCY_LEVEL = 5
    MANAGE_USERS = 6
    MANAGE_RULES = 7


MINIMUM_ROLE: dict[Permission, Role] = {
    Permission.READ: Role.VIEWER,
    Permission.WORK_CASES: Role.DUTY_OFFICER,
    Permission.CLOSE: Role.SHIFT_LEADER,
    Permission.REOPEN: Role.SHIFT_LEADER,
    Permission.MERGE: Role.SHIFT_LEADER,
    Permission.SET_EMERGENCY_LEVEL: Role.SHIFT_LEADER,
    Permission.MANAGE_USERS: Role.ADMINISTRATOR,
    Permission.MANAGE_RULES: Role.ADMINISTRATOR,
}


def allows(role: Role, permission: Permission) -> bool:
    return role.rank >= MINIMUM_ROLE[permission].rank


def require(role: Role, permission: Permission) -> None:
    """Raise PermissionDenied naming the role needed when ``role`` is not enough."""
    if allows(role, permission):
        return
    needed = MINIMUM_ROLE[permission]
    raise PermissionDenied(
        "error.permission_denied",
        f"{role.name_en} may not do this ({permission.name.lower()}); "
        f"it needs the role {needed.name_en} or higher",
        f"{role.name_zh}无权执行此操作，需要{needed.name_zh}及以上角色",
        role=role.value,
        needed=needed.value,
        permission=permission.name.lower(),
    )
