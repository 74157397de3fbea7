"""Petition merges, follow-up links, reminders and candidate reads in the database.

All functions run inside the caller's transaction (``Store.write()`` or ``Store.read()``), so a
merge, its case updates, its timeline entries and its audit entry commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dispatch_app.store.models import cases
from dispatch_app.store.petition_models import (
    petition_follow_ups,
    petition_merges,
    petition_reminders,
)


def lock_cases(conn: Connection, case_ids: Iterable[int]) -> None:
    """Lock the case rows, in id order, until the transaction ends.

    PostgreSQL: SELECT … FOR UPDATE in ascending id order, so two desks merging the same two
    cases in opposite directions queue up instead of both passing their checks (and never
    deadlock). SQLite: the write transaction is BEGIN IMMEDIATE, which already serialises.
    """
    ids = sorted(set(case_ids))
    if conn.dialect.name == "postgresql" and ids:
        conn.execute(
            select(cases.c.id).where(cases.c.id.in_(ids)).order_by(cases.c.id).with_for_update()
        )


def active_merge_of(conn: Connection, case_id: int) -> RowMapping | None:
    """The merge linking ``case_id`` to its master, if it is merged now."""
    stmt = select(petition_merges).where(
        petition_merges.c.case_id == case_id, petition_merges.c.unmerged_at.is_(None)
    )
    return conn.execute(stmt).mappings().first()


def merged_into(conn: Connection, case_id: int) -> int | None:
    row = active_merge_of(conn, case_id)
    return None if row is None else int(row["master_case_id"])


def duplicates_of(conn: Connection, master_case_id: int) -> list[int]:
    """Cases merged into ``master_case_id`` now, oldest merge first."""
    stmt = (
        select(petition_merges.c.case_id)
        .where(
            petition_merges.c.master_case_id == master_case_id,
            petition_merges.c.unmerged_at.is_(None),
        )
        .order_by(petition_merges.c.id)
    )
    return [int(v) for v in conn.execute(stmt).scalars()]


def insert_merge(conn: Connection, values: Mapping[str, Any]) -> int:
    result = conn.execute(insert(petition_merges).values(**values).returning(petition_merges.c.id))
    return int(result.scalar_one())


def end_merge(conn: Connection, merge_id: int, at: datetime, by: str, reason: str) -> None:
    conn.execute(
        update(petition_merges)
        .where(petition_merges.c.id == merge_id, petition_merges.c.unmerged_at.is_(None))
        .values(unmerged_at=at, unmerged_by=by, unmerge_reason=reason)
    )


def insert_follow_up(conn: Connection, values: Mapping[str, Any]) -> int:
    result = conn.execute(
        insert(petition_follow_ups).values(**values).returning(petition_follow_ups.c.id)
    )
    return int(result.scalar_one())


def follow_up_links(conn: Connection, case_id: int) -> tuple[int | None, int | None]:
    """(the case this one follows up, the follow-up opened from this one)."""
    before = conn.execute(
        select(petition_follow_ups.c.case_id).where(
            petition_follow_ups.c.follow_up_case_id == case_id
        )
    ).scalar()
    after = conn.execute(
        select(petition_follow_ups.c.follow_up_case_id).where(
            petition_follow_ups.c.case_id == case_id
        )
    ).scalar()
    return (None if before is None else int(before), None if after is None else int(after))


def insert_reminder_once(conn: Connection, values: Mapping[str, Any]) -> int | None:
    """Record a raised reminder; its row id, or None when some desk has raised it already."""
    dialect = conn.dialect.name
    ins: Any
    if dialect == "postgresql":
        ins = postgresql.insert(petition_reminders).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        ins = sqlite.insert(petition_reminders).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT here.
    rid = conn.execute(ins.returning(petition_reminders.c.id)).scalar()
    return None if rid is None else int(rid)


def reminders_of_open_petitions(conn: Connection, statuses: Iterable[str]) -> list[RowMapping]:
    """Every raised reminder of a petition whose status is in ``statuses``, with the case
    columns needed to judge whether its deadline is still unmet (newest raised first).

    Reminder columns are labelled ``reminder_*`` so they do not shadow the case's ``id``.
    """
    stmt = (
        select(
            *_CANDIDATE_COLUMNS,
            petition_reminders.c.id.label("reminder_id"),
            petition_reminders.c.deadline_key.label("reminder_deadline_key"),
            petition_reminders.c.days_before.label("reminder_days_before"),
            petition_reminders.c.due_at.label("reminder_due_at"),
            petition_reminders.c.raised_at.label("reminder_raised_at"),
            petition_reminders.c.acknowledged_at.label("reminder_acknowledged_at"),
            petition_reminders.c.acknowledged_by.label("reminder_acknowledged_by"),
        )
        .join(cases, cases.c.id == petition_reminders.c.case_id)
        .where(cases.c.kind == "petition", cases.c.status.in_(tuple(statuses)))
        .order_by(petition_reminders.c.raised_at.desc(), petition_reminders.c.id.desc())
    )
    return list(conn.execute(stmt).mappings())


def acknowledge_reminders(
    conn: Connection, case_id: int, deadline_key: str, due_at: datetime, at: datetime, by: str
) -> list[int]:
    """Stamp the not yet acknowledged reminders of one obligation (its 3-day and 1-day ones
    raised so far); the ids stamped, none when someone acknowledged them first."""
    stmt = (
        update(petition_reminders)
        .where(
            petition_reminders.c.case_id == case_id,
            petition_reminders.c.deadline_key == deadline_key,
            petition_reminders.c.due_at == due_at,
            petition_reminders.c.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=at, acknowledged_by=by)
        .returning(petition_reminders.c.id)
    )
    return sorted(int(v) for v in conn.execute(stmt).scalars())


_CANDIDATE_COLUMNS = (
    cases.c.id,
    cases.c.reference,
    cases.c.title,
    cases.c.status,
    cases.c.description,
    cases.c.lon,
    cases.c.lat,
    cases.c.credit_code,
    cases.c.enterprise_name,
    cases.c.details,
    cases.c.created_at,
    cases.c.unit_id,
    cases.c.version,
)


def _json_text(*path: str) -> Any:
    """One text value inside ``details``, extracted by the database (json_extract on SQLite,
    #>> on PostgreSQL), so a search over thousands of petitions parses no JSON in Python."""
    return cases.c.details[path].as_string()


def duplicate_candidates_between(
    conn: Connection, start: datetime, end: datetime
) -> list[RowMapping]:
    """Petition cases created in [start, end] with just what the duplicate finder compares:
    the creation index bounds the scan; the receiving time is checked by the caller."""
    stmt = (
        select(
            cases.c.id,
            cases.c.reference,
            cases.c.title,
            cases.c.status,
            cases.c.description,
            cases.c.lon,
            cases.c.lat,
            cases.c.credit_code,
            cases.c.enterprise_name,
            _json_text("petition", "received_at").label("received_at"),
            _json_text("petition", "subject").label("subject"),
            _json_text("petition", "petitioner", "phone").label("phone"),
        )
        .where(cases.c.kind == "petition", cases.c.created_at.between(start, end))
        .order_by(cases.c.id)
    )
    return list(conn.execute(stmt).mappings())


def petitions_by_phone(conn: Connection, phone: str, limit: int) -> list[RowMapping]:
    """Petitions whose petitioner phone (stored normalised) is ``phone``, newest first."""
    phone_col = _json_text("petition", "petitioner", "phone")
    stmt = (
        select(
            cases.c.id,
            cases.c.reference,
            cases.c.title,
            cases.c.status,
            _json_text("petition", "subject").label("subject"),
            _json_text("petition", "received_at").label("received_at"),
        )
        .where(cases.c.kind == "petition", phone_col == phone)
        .order_by(cases.c.created_at.desc(), cases.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(stmt).mappings())


def external_refs(conn: Connection) -> set[str]:
    """Work-order numbers / Open311 ids of every registered petition (idempotent imports)."""
    stmt = select(_json_text("petition", "external_ref")).where(cases.c.kind == "petition")
    return {str(v) for v in conn.execute(stmt).scalars() if v}


def petitions_by_ids(conn: Connection, case_ids: Iterable[int]) -> list[RowMapping]:
    """Petition cases among ``case_ids`` (for the deadline column of a queue page)."""
    ids = list(set(case_ids))
    if not ids:
        return []
    stmt = select(*_CANDIDATE_COLUMNS).where(cases.c.kind == "petition", cases.c.id.in_(ids))
    return list(conn.execute(stmt).mappings())


def open_petitions(conn: Connection, statuses: Iterable[str]) -> list[RowMapping]:
    """Open petition cases (for reminders)."""
    stmt = (
        select(*_CANDIDATE_COLUMNS)
        .where(cases.c.kind == "petition", cases.c.status.in_(tuple(statuses)))
        .order_by(cases.c.id)
    )
    return list(conn.execute(stmt).mappings())
