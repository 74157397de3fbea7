"""Users in the database (the desk hashes passwords; the store only keeps them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dispatch_app.store.errors import ConflictError, NotFound, StoreError
from dispatch_app.store.models import users


class DuplicateUsername(StoreError):
    def __init__(self, username: str) -> None:
        super().__init__(
            "error.username_taken",
            f"the user name {username!r} is already taken",
            f"用户名“{username}”已存在",
            field="username",
        )
        self.field = "username"


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def insert_user(conn: Connection, values: Mapping[str, Any]) -> int:
    try:
        with conn.begin_nested():
            result = conn.execute(insert(users).values(**values, version=1).returning(users.c.id))
            return int(result.scalar_one())
    except IntegrityError:
        raise DuplicateUsername(str(values.get("username"))) from None


def user_by_name(conn: Connection, username: str) -> RowMapping | None:
    return conn.execute(select(users).where(users.c.username == username)).mappings().first()


def get_user(conn: Connection, user_id: int) -> RowMapping:
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    if row is None:
        raise NotFound("user", user_id)
    return row


def list_users(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(users).order_by(users.c.username)).mappings())


def update_user(
    conn: Connection, user_id: int, expected_version: int | None, values: Mapping[str, Any]
) -> int:
    """Write ``values``; with ``expected_version`` a stale write raises ConflictError.

    Login bookkeeping (failed attempts, lockout) passes None: it must never be refused
    because an administrator edited the user's display name a moment before.
    """
    stmt = update(users).where(users.c.id == user_id)
    if expected_version is not None:
        stmt = stmt.where(users.c.version == expected_version)
    new_version = conn.execute(
        stmt.values(**values, version=users.c.version + 1).returning(users.c.version)
    ).scalar()
    if new_version is not None:
        return int(new_version)
    current = get_user(conn, user_id)
    theirs = {k: v for k, v in current.items() if not k.startswith("password")}
    raise ConflictError(
        "user",
        user_id,
        your_version=int(expected_version or 0),
        their_version=int(current["version"]),
        theirs=theirs,
        yours={k: v for k, v in values.items() if not k.startswith("password")},
    )


# Login bookkeeping changes no data an administrator edits, so it leaves ``version`` alone:
# an administrator's open edit of a user is not made stale by that user logging in.


def record_login_success(conn: Connection, user_id: int) -> None:
    conn.execute(
        update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=None)
    )


def record_login_failure(conn: Connection, user_id: int) -> int:
    """Count one more failed attempt, atomically; return the new count."""
    return int(
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=users.c.failed_logins + 1)
            .returning(users.c.failed_logins)
        ).scalar_one()
    )


def lock_user(conn: Connection, user_id: int, until: datetime) -> None:
    """Lock the account until ``until`` and start counting afresh after it."""
    conn.execute(
        update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=until)
    )
