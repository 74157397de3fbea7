"""Users and login: the first administrator, login and lockout, user administration."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from dispatch_app.desk import passwords
from dispatch_app.desk.audit_values import jsonable
from dispatch_app.desk.cases.base import DeskBase
from dispatch_app.desk.errors import AuthError, LockedOut
from dispatch_app.desk.views import UserView
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Permission, Role
from dispatch_app.store import user_records

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


class AccountSteps(DeskBase):
    """The user and login use cases of ``Desk`` (mixed into it)."""

    def needs_first_administrator(self) -> bool:
        """True on a database without users: the UI asks for the first administrator."""
        with self.store.read() as conn:
            return user_records.count_users(conn) == 0

    def create_first_administrator(
        self, username: str, display_name: str, password: str
    ) -> UserView:
        """Create the first administrator and log in as them. Refused once any user exists."""
        uow = self.context.unit_of_work(None)  # nobody is logged in yet
        values = self._new_user_values(
            username, display_name, Role.ADMINISTRATOR, password, uow.now
        )
        with uow:
            conn = uow.conn
            if user_records.count_users(conn) > 0:
                raise AuthError(
                    "error.first_admin_exists",
                    "the first administrator already exists; log in instead",
                    "首个管理员账号已存在，请直接登录",
                )
            user_id = user_records.insert_user(conn, values)
            uow.audit(
                "user.create_first_admin",
                "user",
                user_id,
                {"username": values["username"], "role": "administrator"},
                actor_name=values["username"],
            )
            uow.changed("user", user_id, 1, "create")
            user = UserView.from_row(user_records.get_user(conn, user_id))

            def log_in() -> None:
                self.context.user = user

            uow.after_commit(log_in)  # logged in before the others hear of the new user
        return user

    def login(self, username: str, password: str) -> UserView:
        """Check the password; 5 failures lock the account for 15 minutes.

        Raises AuthError (wrong name or password, without saying which) or LockedOut. The
        password is checked outside any transaction (scrypt takes a tenth of a second, and a
        SQLite write transaction would hold up the other workstations meanwhile); the failure
        count is then increased atomically, so two wrong attempts at once both count.
        """
        now = self.clock()
        username = (username or "").strip()
        with self.store.read() as conn:
            row = user_records.user_by_name(conn, username)
        if row is None or not row["active"]:
            with self.context.unit_of_work(None, now=now) as uow:
                uow.audit(
                    "login.failed",
                    "user",
                    username or "(empty)",
                    {"reason": "unknown_or_inactive"},
                    actor_name=username or "(empty)",
                )
            raise self._bad_login()
        user_id = int(row["id"])
        if row["locked_until"] is not None and row["locked_until"] > now:
            with self.context.unit_of_work(None, now=now) as uow:
                uow.audit("login.refused_locked", "user", user_id, {}, actor_name=username)
            raise LockedOut(username, row["locked_until"])
        ok = passwords.verify_password(
            password or "", row["password_hash"], row["password_salt"], row["password_params"]
        )
        failure: AuthError
        with self.context.unit_of_work(None, now=now) as uow:
            conn = uow.conn
            if ok:
                user_records.record_login_success(conn, user_id)
                uow.audit("login", "user", user_id, {}, actor_name=username)
                user = UserView.from_row(user_records.get_user(conn, user_id))
                self.context.user = user
                return user
            failed = user_records.record_login_failure(conn, user_id)
            if failed >= MAX_FAILED_LOGINS:
                until = now + LOCKOUT
                user_records.lock_user(conn, user_id, until)
                uow.audit(
                    "login.locked_out",
                    "user",
                    user_id,
                    {"until": until.isoformat()},
                    actor_name=username,
                )
                failure = LockedOut(username, until)
            else:
                uow.audit(
                    "login.failed",
                    "user",
                    user_id,
                    {"failed_logins": failed},
                    actor_name=username,
                )
                failure = self._bad_login()
        # Raised after commit so the failure count and the audit entry are kept.
        raise failure

    @staticmethod
    def _bad_login() -> AuthError:
        return AuthError("error.bad_login", "wrong user name or password", "用户名或密码错误")

    def logout(self) -> None:
        user = self.context.user
        if user is not None:
            # Anyone logged in may log out: the actor is the user, whatever their rights.
            with self.context.unit_of_work(None) as uow:
                uow.audit("logout", "user", user.id, {}, actor_name=user.username)
        self.context.user = None

    def _new_user_values(
        self, username: str, display_name: str, role: Role | str, password: str, now: datetime
    ) -> dict[str, Any]:
        username = (username or "").strip()
        if not _USERNAME.match(username):
            raise ValidationError(
                "username",
                "error.username_invalid",
                "user name must be 2–64 letters, digits, '_', '.' or '-'",
                "用户名须为2–64位字母、数字或 _ . -",
            )
        display_name = (display_name or "").strip() or username
        if len(display_name) > 100:
            raise ValidationError(
                "display_name",
                "error.field_too_long",
                "display name is longer than 100",
                "姓名超过100字",
            )
        try:
            role = Role(role)
        except ValueError:
            raise ValidationError(
                "role", "error.field_choice", f"unknown role {role!r}", f"角色“{role}”无效"
            ) from None
        self._check_password(password)
        digest, salt, params = passwords.hash_password(password, n=self.scrypt_n)
        return {
            "username": username,
            "display_name": display_name,
            "role": role.value,
            "password_hash": digest,
            "password_salt": salt,
            "password_params": params,
            "failed_logins": 0,
            "locked_until": None,
            "active": True,
            "created_at": now,
            "updated_at": now,
        }

    @staticmethod
    def _check_password(password: str) -> None:
        if not isinstance(password, str) or len(password) < passwords.MIN_LENGTH:
            raise ValidationError(
                "password",
                "error.password_too_short",
                f"password must have at least {passwords.MIN_LENGTH} characters",
                f"密码至少{passwords.MIN_LENGTH}位",
            )
        if len(password) > passwords.MAX_LENGTH:
            raise ValidationError(
                "password", "error.field_too_long", "password is too long", "密码过长"
            )

    def list_users(self) -> list[UserView]:
        self.context.actor(Permission.MANAGE_USERS)
        with self.store.read() as conn:
            return [UserView.from_row(r) for r in user_records.list_users(conn)]

    def create_user(
        self, username: str, display_name: str, role: Role | str, password: str
    ) -> UserView:
        uow = self.context.unit_of_work(Permission.MANAGE_USERS)
        values = self._new_user_values(username, display_name, role, password, uow.now)
        with uow:
            user_id = user_records.insert_user(uow.conn, values)
            uow.audit(
                "user.create",
                "user",
                user_id,
                {"username": values["username"], "role": values["role"]},
            )
            uow.changed("user", user_id, 1, "create")
            user = UserView.from_row(user_records.get_user(uow.conn, user_id))
        return user

    def update_user(
        self,
        user_id: int,
        expected_version: int,
        *,
        display_name: str | None = None,
        role: Role | str | None = None,
        active: bool | None = None,
        unlock: bool = False,
    ) -> UserView:
        """Change a user's name, role or active flag, or lift a lockout (administrator)."""
        uow = self.context.unit_of_work(Permission.MANAGE_USERS)
        values: dict[str, Any] = {"updated_at": uow.now}
        if display_name is not None:
            name = display_name.strip()
            if not name or len(name) > 100:
                raise ValidationError(
                    "display_name",
                    "error.field_empty",
                    "display name must be 1–100 characters",
                    "姓名须为1–100字",
                )
            values["display_name"] = name
        if role is not None:
            try:
                values["role"] = Role(role).value
            except ValueError:
                raise ValidationError(
                    "role", "error.field_choice", f"unknown role {role!r}", f"角色“{role}”无效"
                ) from None
        if active is not None:
            values["active"] = bool(active)
        if unlock:
            values["locked_until"] = None
            values["failed_logins"] = 0
        with uow:
            conn = uow.conn
            current = user_records.get_user(conn, user_id)
            demoting = current["role"] == Role.ADMINISTRATOR.value and (
                values.get("role", Role.ADMINISTRATOR.value) != Role.ADMINISTRATOR.value
                or values.get("active") is False
            )
            if demoting and self._active_admins(conn) <= 1:
                raise ValidationError(
                    "role",
                    "error.last_administrator",
                    "the last active administrator cannot be demoted or deactivated",
                    "不能降级或停用最后一个管理员",
                )
            version = user_records.update_user(conn, user_id, expected_version, values)
            audit_values = {k: v for k, v in values.items() if k != "updated_at"}
            uow.audit("user.update", "user", user_id, jsonable(audit_values))
            uow.changed("user", user_id, version, "update")
            user = UserView.from_row(user_records.get_user(conn, user_id))
        return user

    @staticmethod
    def _active_admins(conn: Connection) -> int:
        return sum(
            1
            for u in user_records.list_users(conn)
            if u["role"] == Role.ADMINISTRATOR.value and u["active"]
        )

    def set_password(self, user_id: int, new_password: str) -> None:
        """An administrator sets a user's password (and lifts any lockout)."""
        self.context.actor(Permission.MANAGE_USERS)
        self._write_password(Permission.MANAGE_USERS, user_id, new_password)

    def change_own_password(self, old_password: str, new_password: str) -> None:
        actor = self.context.actor(Permission.READ)
        with self.store.read() as conn:
            row = user_records.get_user(conn, actor.id)
        if not passwords.verify_password(
            old_password or "", row["password_hash"], row["password_salt"], row["password_params"]
        ):
            raise AuthError("error.bad_password", "the current password is wrong", "原密码错误")
        self._write_password(Permission.READ, actor.id, new_password)

    def _write_password(self, permission: Permission, user_id: int, new_password: str) -> None:
        self._check_password(new_password)
        digest, salt, params = passwords.hash_password(new_password, n=self.scrypt_n)
        # The unit of work after the hash (a tenth of a second), as the write's time.
        with self.context.unit_of_work(permission) as uow:
            version = user_records.update_user(
                uow.conn,
                user_id,
                None,
                {
                    "password_hash": digest,
                    "password_salt": salt,
                    "password_params": params,
                    "failed_logins": 0,
                    "locked_until": None,
                    "updated_at": uow.now,
                },
            )
            uow.audit("user.set_password", "user", user_id, {})
            # Not announced on this desk (as before): no view shows a password.
            uow.changed("user", user_id, version, "password", publish=False)
