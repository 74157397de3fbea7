"""Reading and writing the emergencies tables inside the caller's transaction.

Level decisions, log entries, alert transitions and CAP messages are append-only: this
module offers insert and read for them, nothing else. Plan steps change only through
``update_step``, which refuses a stale version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, or_, select, update

from dispatch_app.store.emergency_models import (
    cap_messages,
    emergency_level_decisions,
    emergency_log_entries,
    emergency_monitoring_tasks,
    emergency_plan_activations,
    emergency_plan_steps,
    pollution_alert_transitions,
)
from dispatch_app.store.errors import ConflictError, NotFound


def add_level_decision(conn: Connection, values: Mapping[str, Any]) -> int:
    stmt = insert(emergency_level_decisions).returning(emergency_level_decisions.c.id)
    return int(conn.execute(stmt, dict(values)).scalar_one())


def level_decisions(conn: Connection, case_id: int) -> list[RowMapping]:
    t = emergency_level_decisions
    return list(conn.execute(select(t).where(t.c.case_id == case_id).order_by(t.c.id)).mappings())


def add_activation(conn: Connection, values: Mapping[str, Any]) -> int:
    stmt = insert(emergency_plan_activations).returning(emergency_plan_activations.c.id)
    return int(conn.execute(stmt, dict(values)).scalar_one())


def activations(conn: Connection, case_id: int) -> list[RowMapping]:
    t = emergency_plan_activations
    return list(conn.execute(select(t).where(t.c.case_id == case_id).order_by(t.c.id)).mappings())


def add_steps(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(emergency_plan_steps), [{**r, "version": 1} for r in rows])


def steps_for_case(conn: Connection, case_id: int) -> list[RowMapping]:
    t = emergency_plan_steps
    stmt = select(t).where(t.c.case_id == case_id).order_by(t.c.activation_id, t.c.position)
    return list(conn.execute(stmt).mappings())


def get_step(conn: Connection, step_id: int) -> RowMapping:
    t = emergency_plan_steps
    row = conn.execute(select(t).where(t.c.id == step_id)).mappings().first()
    if row is None:
        raise NotFound("plan_step", step_id)
    return row


def update_step(
    conn: Connection, step_id: int, expected_version: int, values: Mapping[str, Any]
) -> RowMapping:
    """Write ``values`` if the step is still at ``expected_version``."""
    t = emergency_plan_steps
    row = (
        conn.execute(
            update(t)
            .where(t.c.id == step_id, t.c.version == expected_version)
            .values(**values, version=t.c.version + 1)
            .returning(*t.c)
        )
        .mappings()
        .first()
    )
    if row is not None:
        return row
    current = get_step(conn, step_id)
    raise ConflictError(
        "plan_step",
        step_id,
        your_version=expected_version,
        their_version=int(current["version"]),
        theirs=dict(current),
        yours=dict(values),
    )


def add_log_entry(conn: Connection, values: Mapping[str, Any]) -> RowMapping:
    t = emergency_log_entries
    return conn.execute(insert(t).returning(*t.c), dict(values)).mappings().one()


def log_entries(conn: Connection, case_id: int) -> list[RowMapping]:
    t = emergency_log_entries
    stmt = select(t).where(t.c.case_id == case_id).order_by(t.c.at, t.c.id)
    return list(conn.execute(stmt).mappings())


def last_alert_transition(conn: Connection) -> RowMapping | None:
    t = pollution_alert_transitions
    return conn.execute(select(t).order_by(t.c.seq.desc()).limit(1)).mappings().first()


def add_alert_transition(conn: Connection, values: Mapping[str, Any]) -> RowMapping:
    t = pollution_alert_transitions
    return conn.execute(insert(t).returning(*t.c), dict(values)).mappings().one()


def alert_transitions(conn: Connection, limit: int = 200) -> list[RowMapping]:
    t = pollution_alert_transitions
    return list(conn.execute(select(t).order_by(t.c.seq.desc()).limit(limit)).mappings())


def add_cap_message(conn: Connection, values: Mapping[str, Any]) -> RowMapping:
    t = cap_messages
    return conn.execute(insert(t).returning(*t.c), dict(values)).mappings().one()


def cap_message_by_key(conn: Connection, sender: str, identifier: str) -> RowMapping | None:
    t = cap_messages
    stmt = select(t).where(t.c.sender == sender, t.c.identifier == identifier)
    return conn.execute(stmt).mappings().first()


def cap_messages_for_case(conn: Connection, case_id: int) -> list[RowMapping]:
    """The case's own messages and, for a heavy-pollution alert's case, the alert's."""
    t = cap_messages
    a = pollution_alert_transitions
    alert_seqs = select(a.c.seq).where(a.c.case_id == case_id)
    stmt = select(t).where(or_(t.c.case_id == case_id, t.c.alert_seq.in_(alert_seqs)))
    return list(conn.execute(stmt.order_by(t.c.id)).mappings())


def cap_message(conn: Connection, message_id: int) -> RowMapping:
    t = cap_messages
    row = conn.execute(select(t).where(t.c.id == message_id)).mappings().first()
    if row is None:
        raise NotFound("cap_message", message_id)
    return row


def sent_cap_chain(
    conn: Connection, *, case_id: int | None = None, alert: bool = False
) -> list[RowMapping]:
    """The sent messages of the current chain, oldest first: the last Alert and everything
    sent after it (what an Update or Cancel references)."""
    t = cap_messages
    stmt = select(t).where(t.c.direction == "sent")
    stmt = stmt.where(t.c.alert_seq.is_not(None)) if alert else stmt.where(t.c.case_id == case_id)
    rows = list(conn.execute(stmt.order_by(t.c.id)).mappings())
    start = max((i for i, r in enumerate(rows) if r["msg_type"] == "Alert"), default=0)
    return rows[start:]


def count_cap_for_case(conn: Connection, case_id: int) -> int:
    t = cap_messages
    return int(
        conn.execute(select(func.count()).select_from(t).where(t.c.case_id == case_id)).scalar_one()
    )


def add_task(conn: Connection, values: Mapping[str, Any]) -> RowMapping:
    t = emergency_monitoring_tasks
    return conn.execute(insert(t).returning(*t.c), dict(values)).mappings().one()


def get_task(conn: Connection, task_id: int) -> RowMapping:
    t = emergency_monitoring_tasks
    row = conn.execute(select(t).where(t.c.id == task_id)).mappings().first()
    if row is None:
        raise NotFound("monitoring_task", task_id)
    return row


def tasks_for_case(conn: Connection, case_id: int) -> list[RowMapping]:
    t = emergency_monitoring_tasks
    return list(conn.execute(select(t).where(t.c.case_id == case_id).order_by(t.c.id)).mappings())


def update_task(
    conn: Connection, task_id: int, expected_version: int, values: Mapping[str, Any]
) -> RowMapping:
    """Write ``values`` if the task is still at ``expected_version``."""
    t = emergency_monitoring_tasks
    row = (
        conn.execute(
            update(t)
            .where(t.c.id == task_id, t.c.version == expected_version)
            .values(**values, version=t.c.version + 1)
            .returning(*t.c)
        )
        .mappings()
        .first()
    )
    if row is not None:
        return row
    current = get_task(conn, task_id)
    raise ConflictError(
        "monitoring_task",
        task_id,
        your_version=expected_version,
        their_version=int(current["version"]),
        theirs=dict(current),
        yours=dict(values),
    )
