"""Saved queue filters, per user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from dispatch_app.store.errors import ConflictError, NotFound
from dispatch_app.store.models import saved_filters


def list_filters(conn: Connection, user_id: int) -> list[RowMapping]:
    stmt = (
        select(saved_filters)
        .where(saved_filters.c.user_id == user_id)
        .order_by(saved_filters.c.name)
    )
    return list(conn.execute(stmt).mappings())


def filter_by_name(conn: Connection, user_id: int, name: str) -> RowMapping | None:
    stmt = select(saved_filters).where(
        saved_filters.c.user_id == user_id, saved_filters.c.name == name
    )
    return conn.execute(stmt).mappings().first()


def insert_filter(conn: Connection, values: Mapping[str, Any]) -> int:
    result = conn.execute(
        insert(saved_filters).values(**values, version=1).returning(saved_filters.c.id)
    )
    return int(result.scalar_one())


def update_filter(
    conn: Connection, filter_id: int, expected_version: int, values: Mapping[str, Any]
) -> int:
    new_version = conn.execute(
        update(saved_filters)
        .where(saved_filters.c.id == filter_id, saved_filters.c.version == expected_version)
        .values(**values, version=saved_filters.c.version + 1)
        .returning(saved_filters.c.version)
    ).scalar()
    if new_version is not None:
        return int(new_version)
    current = (
        conn.execute(select(saved_filters).where(saved_filters.c.id == filter_id))
        .mappings()
        .first()
    )
    if current is None:
        raise NotFound("filter", filter_id)
    raise ConflictError(
        "filter", filter_id, expected_version, int(current["version"]), dict(current), dict(values)
    )


def delete_filter(conn: Connection, filter_id: int, user_id: int) -> None:
    """Saved filters are a user's own preferences, not records: they may be deleted."""
    result = conn.execute(
        delete(saved_filters).where(
            saved_filters.c.id == filter_id, saved_filters.c.user_id == user_id
        )
    )
    if result.rowcount == 0:
        raise NotFound("filter", filter_id)
