"""Closure by role: a duty officer requests closure (申请办结), a shift leader approves or
refuses the request (批准办结 / 退回办结申请).

The three steps are workflow actions (``dispatch_app.domain.workflow``): each runs through
``Desk._transition``, the desk's one write path for a case's workflow, so each is one
transaction holding the case's change, its timeline entry, one audit entry and one change
row, and is published after commit. This module adds what is the request's own: its row in
``closure_requests`` and the case's ``closure_requested_at`` flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, RowMapping

from dispatch_app.desk.views import CaseView, ClosureRequestView, UserView
from dispatch_app.domain.roles import Permission
from dispatch_app.domain.workflow import Action, ClosureCode, TransitionOutcome
from dispatch_app.store import case_records, closure_records

if TYPE_CHECKING:
    from dispatch_app.desk.context import DeskContext


class ClosureSteps:
    """The closure-request use cases of ``Desk`` (mixed into it)."""

    if TYPE_CHECKING:
        context: DeskContext

        def _transition(
            self,
            case_id: int,
            action: Action,
            expected_version: int | None,
            *,
            note: str | None = None,
            closure_code: ClosureCode | str | None = None,
            unit_id: str | None = None,
        ) -> CaseView: ...

    def request_closure(
        self,
        case_id: int,
        closure_code: ClosureCode | str,
        note: str,
        *,
        expected_version: int | None = None,
    ) -> CaseView:
        """A duty officer asks for a resolved case to be closed, with the closure code and the
        closing note the shift leader will approve. The case stays resolved, marked pending."""
        return self._transition(
            case_id,
            Action.REQUEST_CLOSE,
            expected_version,
            note=note,
            closure_code=closure_code,
        )

    def approve_closure(self, case_id: int, *, expected_version: int | None = None) -> CaseView:
        """A shift leader approves the pending request: the case closes with the requested
        closure code and the officer's note. A stale ``expected_version`` (the case changed
        since the leader saw it) is refused with CaseConflict, nothing written."""
        return self._transition(case_id, Action.APPROVE_CLOSE, expected_version)

    def refuse_closure(
        self, case_id: int, reason: str, *, expected_version: int | None = None
    ) -> CaseView:
        """A shift leader sends the request back with a reason; the case stays resolved and
        open for the officer to act on (and to request again)."""
        return self._transition(case_id, Action.REFUSE_CLOSE, expected_version, note=reason)

    def closure_request(self, case_id: int) -> ClosureRequestView | None:
        """The case's newest closure request (pending or decided), or None."""
        self.context.actor(Permission.READ)
        with self.context.store.read() as conn:
            return closure_request_view(conn, case_records.get_case(conn, case_id))


def closure_request_view(conn: Connection, case: Mapping[Any, Any]) -> ClosureRequestView | None:
    """The case row's newest closure request (pending or decided), or None."""
    row = closure_records.latest_request(conn, int(case["id"]))
    if row is None:
        return None
    return ClosureRequestView.from_row(row, case["closure_requested_at"] is not None)


def pending_request(conn: Connection, row: Mapping[Any, Any]) -> RowMapping | None:
    """The request waiting on this case row, or None."""
    if row["closure_requested_at"] is None:
        return None
    found = closure_records.latest_request(conn, int(row["id"]))
    return found if found is not None and found["state"] == closure_records.PENDING else None


def case_values(action: Action, now: datetime) -> dict[str, Any]:
    """What a closure step sets on the case row beside the status."""
    if action is Action.REQUEST_CLOSE:
        return {"closure_requested_at": now}
    if action in (Action.APPROVE_CLOSE, Action.REFUSE_CLOSE):
        return {"closure_requested_at": None}
    return {}


def record_step(
    conn: Connection,
    case_id: int,
    outcome: TransitionOutcome,
    actor: UserView,
    now: datetime,
    request: Mapping[Any, Any] | None,
) -> dict[str, Any]:
    """Write the request's own row for a closure step (after the case row was written, so a
    stale version is refused before anything else); returns the timeline and audit data."""
    action = outcome.action
    code = outcome.closure_code.value if outcome.closure_code else None
    if action is Action.REQUEST_CLOSE:
        closure_records.supersede_pending(conn, case_id, now, actor.username)
        request_id = closure_records.insert_request(
            conn,
            {
                "case_id": case_id,
                "requested_at": now,
                "requested_by": actor.username,
                "closure_code": code,
                "note": outcome.note,
            },
        )
        return {"closure_code": code, "request_id": request_id}
    assert request is not None  # refusal() let the step through only with a request waiting
    request_id = int(request["id"])
    if action is Action.APPROVE_CLOSE:
        closure_records.decide(conn, request_id, closure_records.APPROVED, now, actor.username)
        return {
            "closure_code": code,
            "request_id": request_id,
            "requested_by": request["requested_by"],
        }
    closure_records.decide(
        conn, request_id, closure_records.REFUSED, now, actor.username, outcome.note
    )
    return {
        "closure_code": request["closure_code"],
        "request_id": request_id,
        "requested_by": request["requested_by"],
    }
