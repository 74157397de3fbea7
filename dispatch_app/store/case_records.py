"""Cases, their timeline and reference-number sequences in the database.

The timeline is append-only: this module offers insert and read for it, nothing else.
Writes to a case go through ``update_case``, which refuses a stale version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dispatch_app.store.errors import ConflictError, NotFound
from dispatch_app.store.models import cases, sequences, timeline


def next_sequence_value(conn: Connection, name: str) -> int:
    """Increment and return the named counter inside the caller's write transaction.

    The row is locked by the UPDATE (PostgreSQL) or the whole database by BEGIN IMMEDIATE
    (SQLite), so two workstations creating cases at once get different numbers.
    """
    dialect = conn.dialect.name
    ins: Any
    if dialect == "postgresql":
        ins = postgresql.insert(sequences).values(name=name, value=0).on_conflict_do_nothing()
    elif dialect == "sqlite":
        ins = sqlite.insert(sequences).values(name=name, value=0).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    conn.execute(ins)
    stmt = (
        update(sequences)
        .where(sequences.c.name == name)
        .values(value=sequences.c.value + 1)
        .returning(sequences.c.value)
    )
    return int(conn.execute(stmt).scalar_one())


def set_sequence_at_least(conn: Connection, name: str, value: int) -> None:
    """Raise a counter to ``value`` (bulk seeding writes numbers itself)."""
    current = next_sequence_value(conn, name) - 1
    conn.execute(
        update(sequences).where(sequences.c.name == name).values(value=max(current, value))
    )


# Statements built once: the values travel as execution parameters, so SQLAlchemy reuses the
# compiled SQL instead of rebuilding the statement for every write (a third of a write's cost).
_INSERT_CASE = insert(cases).returning(cases.c.id)
_GET_CASE = select(cases).where(cases.c.id == bindparam("case_id"))
_UPDATE_CASE = (
    update(cases)
    .where(cases.c.id == bindparam("_case_id"), cases.c.version == bindparam("_expected"))
    .values(version=cases.c.version + 1)
    .returning(*cases.c)
)
_INSERT_TIMELINE = insert(timeline).returning(timeline.c.id)
_TIMELINE_COLUMNS = (
    "at",
    "actor",
    "entry_kind",
    "action",
    "from_status",
    "to_status",
    "unit_id",
    "text",
    "data",
)


def insert_case(conn: Connection, values: Mapping[str, Any]) -> int:
    result = conn.execute(_INSERT_CASE, {**values, "version": 1})
    case_id = int(result.scalar_one())
    _index_text(conn, case_id, values.get("title"), values.get("description"), replace=False)
    return case_id


# The SQLite trigram index of revision 0004 (absent on PostgreSQL and on SQLite builds without
# FTS5): written with the case in the same transaction.
def has_case_search(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    # Remembered per connection once found (a migration may create it later, never drop it).
    if conn.info.get("dispatch_has_case_search"):
        return True
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_search'"
    ).first()
    if found is not None:
        conn.info["dispatch_has_case_search"] = True
    return found is not None


def _index_text(
    conn: Connection, case_id: int, title: Any, description: Any, *, replace: bool
) -> None:
    if not has_case_search(conn):
        return
    if replace:
        conn.exec_driver_sql("DELETE FROM case_search WHERE rowid = ?", (case_id,))
    conn.exec_driver_sql(
        "INSERT INTO case_search (rowid, text) VALUES (?, ?)",
        (case_id, f"{title or ''} {description or ''}"),
    )


def rebuild_case_search(conn: Connection) -> None:
    """Refill the search index from ``cases`` in one statement (after bulk loads)."""
    if not has_case_search(conn):
        return
    conn.exec_driver_sql("DELETE FROM case_search")
    conn.exec_driver_sql(
        "INSERT INTO case_search (rowid, text) SELECT id, "
        "coalesce(title, '') || ' ' || coalesce(description, '') FROM cases"
    )


def case_search_is_complete(conn: Connection) -> bool:
    """Whether the index has one row per case (a cheap check the desk runs on open)."""
    if not has_case_search(conn):
        return True
    indexed = conn.exec_driver_sql("SELECT count(*) FROM case_search").scalar_one()
    total = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar_one()
    return bool(indexed == total)


def get_case(conn: Connection, case_id: int) -> RowMapping:
    row = conn.execute(_GET_CASE, {"case_id": case_id}).mappings().first()
    if row is None:
        raise NotFound("case", case_id)
    return row


def find_case_id(conn: Connection, reference: str) -> int | None:
    found = conn.execute(select(cases.c.id).where(cases.c.reference == reference)).scalar()
    return None if found is None else int(found)


def update_case(
    conn: Connection,
    case_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    yours: Mapping[str, Any] | None = None,
) -> int:
    """Write ``values`` if the case is still at ``expected_version``; return the new version.

    A stale version raises ConflictError carrying the row as it is now and ``yours`` (what
    the caller meant to write, defaulting to ``values``), and writes nothing.
    """
    return int(update_case_returning(conn, case_id, expected_version, values, yours)["version"])


def update_case_returning(
    conn: Connection,
    case_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    yours: Mapping[str, Any] | None = None,
) -> RowMapping:
    """``update_case`` returning the whole row as written (saves reading it again)."""
    if "version" in values:
        raise ValueError("the version is managed by the store")
    if values.get("status", "resolved") != "resolved" and "closure_requested_at" not in values:
        # A closure request waits only on a resolved case: whichever module moves the case on
        # (closed, reopened, a petition's callback), the request no longer waits.
        values = {**values, "closure_requested_at": None}
    row = (
        conn.execute(_UPDATE_CASE, {**values, "_case_id": case_id, "_expected": expected_version})
        .mappings()
        .first()
    )
    if row is not None:
        if "title" in values or "description" in values:
            _index_text(conn, case_id, row["title"], row["description"], replace=True)
        return row
    current = get_case(conn, case_id)  # raises NotFound when it is gone
    raise ConflictError(
        "case",
        case_id,
        your_version=expected_version,
        their_version=int(current["version"]),
        theirs=dict(current),
        yours=dict(yours if yours is not None else values),
    )


def append_timeline(conn: Connection, case_id: int, values: Mapping[str, Any]) -> int:
    # Every column given (None when absent) so one compiled INSERT serves all entries.
    params = {name: values.get(name) for name in _TIMELINE_COLUMNS}
    params["case_id"] = case_id
    return int(conn.execute(_INSERT_TIMELINE, params).scalar_one())


def timeline_for(conn: Connection, case_id: int) -> list[RowMapping]:
    stmt = select(timeline).where(timeline.c.case_id == case_id).order_by(timeline.c.id)
    return list(conn.execute(stmt).mappings())
