"""A stale write to a case, as the desk hands it to the UI: one wrapping for every feature.

``theirs`` and ``theirs_case`` are masked like any generic view of the case (a petitioner's
numbers never travel in an error), so the refusal shows nothing the views would not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping

from dispatch_app.desk.errors import CaseConflict
from dispatch_app.desk.views import CaseView
from dispatch_app.domain.case_details import masked_case_values
from dispatch_app.store import case_records
from dispatch_app.store.errors import ConflictError


def case_conflict(base: ConflictError) -> CaseConflict:
    """A stale-version refusal whose ``theirs`` (row and case) is masked like any view."""
    theirs = masked_case_values(base.theirs)
    masked = ConflictError(
        base.entity, base.entity_id, base.your_version, base.their_version, theirs, base.yours
    )
    return CaseConflict(masked, CaseView.from_row(theirs))


def stale_case(
    conn: Connection, case_id: int, expected_version: int, yours: Mapping[str, Any]
) -> CaseConflict:
    """The refusal of a write based on ``expected_version`` when the case is at another."""
    current = case_records.get_case(conn, case_id)
    return case_conflict(
        ConflictError(
            "case", case_id, expected_version, int(current["version"]), dict(current), dict(yours)
        )
    )


def update_case(
    conn: Connection,
    case_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    yours: Mapping[str, Any],
) -> int:
    """Version-checked write of a case; returns the new version, or raises CaseConflict."""
    try:
        return case_records.update_case(conn, case_id, expected_version, values, yours)
    except ConflictError as exc:
        raise case_conflict(exc) from None


def update_case_returning(
    conn: Connection,
    case_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    yours: Mapping[str, Any],
) -> RowMapping:
    """Version-checked write of a case returning the row as written, or CaseConflict."""
    try:
        return case_records.update_case_returning(conn, case_id, expected_version, values, yours)
    except ConflictError as exc:
        raise case_conflict(exc) from None
