"""Alarms, their history and rule revisions in the database.

All functions run inside the caller's transaction (``Store.write()`` or ``Store.read()``), so an
alarm's new state, its history row, its audit entry and its change-feed row commit together.

Versioned writes: ``insert_alarm`` refuses a key that exists (another workstation created the
alarm first) and ``update_alarm`` refuses a row whose version is no longer the one the change
was computed from. Both report the refusal by returning None instead of raising, because the
evaluation round that hits one is normal multi-workstation traffic, not an error: the caller
reloads the stored alarm and carries on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from dispatch_app.domain.alarms import Alarm, alarm_to_dict
from dispatch_app.store.alarm_models import alarm_history, alarm_rule_revisions, alarms
from dispatch_app.store.change_feed import CHANNEL
from dispatch_app.store.models import changes

_UPDATE = (
    update(alarms)
    .where(alarms.c.key == bindparam("_key"), alarms.c.version == bindparam("_expected"))
    .returning(alarms.c.id)
)
_INSERT_HISTORY = insert(alarm_history)


def alarm_columns(alarm: Alarm, case_id: int | None, now: datetime) -> dict[str, Any]:
    """The row for ``alarm``: indexed columns plus the whole record."""
    return {
        "key": alarm.key,
        "rule_id": alarm.rule_id,
        "station_id": alarm.station_id,
        "priority": alarm.priority.value,
        "state": alarm.state.value,
        "count": alarm.count,
        "first_raised": alarm.first_raised,
        "raised_at": alarm.raised_at,
        "last_seen": alarm.last_seen,
        "cleared_at": alarm.cleared_at,
        "acknowledged_by": alarm.acknowledged_by,
        "acknowledged_at": alarm.acknowledged_at,
        "ack_note": alarm.ack_note,
        "shelved_until": alarm.shelved_until,
        "shelve_reason": alarm.shelve_reason,
        "chattering": alarm.chattering,
        "stale": alarm.stale,
        "case_id": case_id,
        "record": alarm_to_dict(alarm),
        "updated_at": now,
        "version": alarm.version,
    }


# Built once per dialect: the values travel as execution parameters, so SQLAlchemy compiles
# the statement once instead of for every alarm (building ``.values(...)`` per call cost
# several milliseconds an alarm in a flood).
_INSERT_IGNORING: dict[str, Any] = {
    "postgresql": postgresql.insert(alarms).on_conflict_do_nothing().returning(alarms.c.id),
    "sqlite": sqlite.insert(alarms).on_conflict_do_nothing().returning(alarms.c.id),
}


def insert_alarm(conn: Connection, alarm: Alarm, case_id: int | None, now: datetime) -> int | None:
    """Create the alarm's row; None when a row with its key exists already (nothing written)."""
    stmt = _INSERT_IGNORING.get(conn.dialect.name)
    if stmt is None:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {conn.dialect.name}")
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT.
    found = conn.execute(stmt, alarm_columns(alarm, case_id, now)).scalar()
    return None if found is None else int(found)


def update_alarm(
    conn: Connection,
    alarm: Alarm,
    expected_version: int,
    case_id: int | None,
    now: datetime,
) -> int | None:
    """Write ``alarm`` over the row still at ``expected_version``; its id, or None when the
    row moved on (another workstation wrote first) and nothing was written."""
    values = alarm_columns(alarm, case_id, now)
    found = conn.execute(
        _UPDATE, {**values, "_key": alarm.key, "_expected": expected_version}
    ).scalar()
    return None if found is None else int(found)


_UPDATE_BY_ID = update(alarms).where(alarms.c.id == bindparam("_id"))
_INSERT_CHANGE = insert(changes)


def update_alarms_batch(
    conn: Connection, items: list[tuple[Alarm, int, int | None]], now: datetime
) -> tuple[dict[str, int], set[str]]:
    """Version-checked writes of many alarms in three round trips instead of one per alarm
    (the last-seen refreshes of every active alarm, each minute): lock the rows and read
    their versions, then write those still at the expected version in one executemany.
    ``items`` are (alarm, expected version, case id). Returns ({key: id} written, refused
    keys)."""
    if not items:
        return {}, set()
    stmt = select(alarms.c.id, alarms.c.key, alarms.c.version).where(
        alarms.c.key.in_([a.key for a, _, _ in items])
    )
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    stored = {str(r.key): (int(r.id), int(r.version)) for r in conn.execute(stmt)}
    written: dict[str, int] = {}
    refused: set[str] = set()
    params = []
    for alarm, expected, case_id in items:
        found = stored.get(alarm.key)
        if found is None or found[1] != expected:
            refused.add(alarm.key)
            continue
        written[alarm.key] = found[0]
        params.append({**alarm_columns(alarm, case_id, now), "_id": found[0]})
    if params:
        conn.execute(_UPDATE_BY_ID, params)
    return written, refused


def record_changes(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Change-feed rows for many alarms in one executemany, and one NOTIFY for all of them:
    the feed reads every row after its cursor on any wake-up, so one hint is enough."""
    if not rows:
        return
    conn.execute(_INSERT_CHANGE, rows)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": "alarm:batch"})


def append_history(
    conn: Connection,
    alarm_id: int,
    at: datetime,
    kind: str,
    actor: str | None,
    note: str,
    alarm: Alarm,
    origin: str,
) -> None:
    conn.execute(
        _INSERT_HISTORY,
        {
            "alarm_id": alarm_id,
            "at": at,
            "kind": kind,
            "actor": actor,
            "note": note,
            "state": alarm.state.value,
            "version": alarm.version,
            "value": alarm.value,
            "origin": origin,
        },
    )


def alarm_row_by_id(conn: Connection, alarm_id: int) -> RowMapping | None:
    return conn.execute(select(alarms).where(alarms.c.id == alarm_id)).mappings().first()


def lock_alarm(conn: Connection, key: str) -> RowMapping | None:
    """The row, locked until the transaction ends (PostgreSQL ``FOR UPDATE``; SQLite's
    ``BEGIN IMMEDIATE`` write transaction already serialises)."""
    stmt = select(alarms).where(alarms.c.key == key)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return conn.execute(stmt).mappings().first()


def all_alarms(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(alarms).order_by(alarms.c.id)).mappings())


def alarms_by_keys(conn: Connection, keys: Iterable[str]) -> list[RowMapping]:
    wanted = list(set(keys))
    if not wanted:
        return []
    return list(conn.execute(select(alarms).where(alarms.c.key.in_(wanted))).mappings())


def alarms_of_case(conn: Connection, case_id: int) -> list[RowMapping]:
    return list(conn.execute(select(alarms).where(alarms.c.case_id == case_id)).mappings())


def exercise_alarms(conn: Connection, exercise: str) -> list[RowMapping]:
    """The alarms a drill raised (their keys start with the drill's tag)."""
    stmt = select(alarms).where(alarms.c.key.startswith(f"{exercise}/", autoescape=True))
    return list(conn.execute(stmt.order_by(alarms.c.id)).mappings())


def delete_alarms(conn: Connection, alarm_ids: Iterable[int]) -> None:
    """Delete alarms with their history: only a drill's removal does this."""
    ids = list(alarm_ids)
    if ids:
        conn.execute(delete(alarm_history).where(alarm_history.c.alarm_id.in_(ids)))
        conn.execute(delete(alarms).where(alarms.c.id.in_(ids)))


def history_of(conn: Connection, alarm_id: int) -> list[RowMapping]:
    stmt = (
        select(alarm_history)
        .where(alarm_history.c.alarm_id == alarm_id)
        .order_by(alarm_history.c.id)
    )
    return list(conn.execute(stmt).mappings())


def latest_rule_revision(conn: Connection) -> RowMapping | None:
    stmt = select(alarm_rule_revisions).order_by(alarm_rule_revisions.c.revision.desc()).limit(1)
    return conn.execute(stmt).mappings().first()


def insert_rule_revision(conn: Connection, values: Mapping[str, Any]) -> bool:
    """Record a saved rule set; False when that revision number is taken (a concurrent save
    won), nothing written."""
    dialect = conn.dialect.name
    ins: Any
    if dialect == "postgresql":
        ins = postgresql.insert(alarm_rule_revisions).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        ins = sqlite.insert(alarm_rule_revisions).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover
        raise RuntimeError(f"unsupported database {dialect}")
    return conn.execute(ins.returning(alarm_rule_revisions.c.id)).scalar() is not None
