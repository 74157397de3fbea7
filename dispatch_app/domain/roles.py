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

    @property
    def name_zh(self) -> str:
        return _PERMISSION_ZH[self]

    @property
    def name_en(self) -> str:
        return _PERMISSION_EN[self]


_PERMISSION_ZH = {
    Permission.READ: "查看事项",
    Permission.WORK_CASES: "办理事项",
    Permission.CLOSE: "办结事项（审批办结）",
    Permission.REOPEN: "重新打开事项",
    Permission.MERGE: "合并事项",
    Permission.SET_EMERGENCY_LEVEL: "确定事件级别",
    Permission.MANAGE_USERS: "管理用户和角色",
    Permission.MANAGE_RULES: "管理报警规则",
}
_PERMISSION_EN = {
    Permission.READ: "view cases",
    Permission.WORK_CASES: "work cases",
    Permission.CLOSE: "close cases (approve closure)",
    Permission.REOPEN: "reopen cases",
    Permission.MERGE: "merge cases",
    Permission.SET_EMERGENCY_LEVEL: "decide emergency levels",
    Permission.MANAGE_USERS: "manage users and roles",
    Permission.MANAGE_RULES: "manage alarm rules",
}


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
    raise permission_denied(role, permission)


def permission_denied(role: Role, permission: Permission) -> PermissionDenied:
    """The refusal for ``role`` lacking ``permission``, naming the permission and the least
    role that has it (from ``MINIMUM_ROLE``, so the text cannot drift from the rule)."""
    needed = MINIMUM_ROLE[permission]
    return PermissionDenied(
        "error.permission_denied",
        f"needs the permission “{permission.name_en}” (role: {needed.name_en} or higher; "
        f"you are {role.name_en})",
        f"需要权限：{permission.name_zh}（角色：{needed.name_zh}及以上）",
        role=role.value,
        needed=needed.value,
        permission=permission.name.lower(),
    )
