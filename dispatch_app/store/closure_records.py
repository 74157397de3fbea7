"""Closure requests in the database: a duty officer's 申请办结 and the shift leader's decision.

Rows are written inside the desk's write transaction, beside the case's own change, its
timeline entry, its audit entry and its change row. A decided request is never changed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from dispatch_app.store.models import closure_requests

PENDING = "pending"
APPROVED = "approved"
REFUSED = "refused"


def insert_request(conn: Connection, values: Mapping[str, Any]) -> int:
    stmt = insert(closure_requests).returning(closure_requests.c.id)
    return int(conn.execute(stmt, {**values, "state": PENDING, "version": 1}).scalar_one())


def latest_request(conn: Connection, case_id: int) -> RowMapping | None:
    """The case's newest request (pending or decided), or None."""
    stmt = (
        select(closure_requests)
        .where(closure_requests.c.case_id == case_id)
        .order_by(closure_requests.c.id.desc())
        .limit(1)
    )
    return conn.execute(stmt).mappings().first()


def decide(
    conn: Connection,
    request_id: int,
    state: str,
    at: datetime,
    by: str,
    reason: str | None = None,
) -> bool:
    """Record the decision on a pending request; False when it was no longer pending."""
    stmt = (
        update(closure_requests)
        .where(closure_requests.c.id == request_id, closure_requests.c.state == PENDING)
        .values(
            state=state,
            decided_at=at,
            decided_by=by,
            reason=reason,
            version=closure_requests.c.version + 1,
        )
    )
    return conn.execute(stmt).rowcount == 1


def supersede_pending(conn: Connection, case_id: int, at: datetime, by: str) -> None:
    """Before a new request: an older one still marked pending (its case was reopened around
    it and resolved again) is closed as superseded, so one request at most waits per case."""
    conn.execute(
        update(closure_requests)
        .where(closure_requests.c.case_id == case_id, closure_requests.c.state == PENDING)
        .values(
            state="superseded",
            decided_at=at,
            decided_by=by,
            version=closure_requests.c.version + 1,
        )
    )
