"""A case's workflow: each action is one transition through ``_transition``."""

from __future__ import annotations

from typing import Any

from dispatch_app.desk.audit_values import jsonable
from dispatch_app.desk.cases import closure
from dispatch_app.desk.cases.base import DeskBase, case_view
from dispatch_app.desk.conflicts import stale_case, update_case_returning
from dispatch_app.desk.views import CaseView
from dispatch_app.domain.case_details import owns_due_times
from dispatch_app.domain.cases import CaseKind
from dispatch_app.domain.deadlines import due_times, sort_key
from dispatch_app.domain.roles import Permission
from dispatch_app.domain.workflow import (
    CLOSURE_STEPS,
    Action,
    ClosureCode,
    check_transition,
)
from dispatch_app.store import case_records

# Which timestamp column each action sets.
_ACTION_STAMP = {
    Action.TRIAGE: "triaged_at",
    Action.DISPATCH: "dispatched_at",
    Action.ACKNOWLEDGE: "acknowledged_at",
    Action.ARRIVE: "arrived_at",
    Action.RESOLVE: "resolved_at",
    Action.CLOSE: "closed_at",
    Action.APPROVE_CLOSE: "closed_at",
    Action.CANCEL: "cancelled_at",
}


class WorkflowSteps(DeskBase):
    """The workflow actions of ``Desk`` (mixed into it)."""

    def triage(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.TRIAGE, expected_version, note=note)

    def acknowledge(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.ACKNOWLEDGE, expected_version, note=note)

    def arrive(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.ARRIVE, expected_version, note=note)

    def resolve(
        self, case_id: int, *, note: str | None = None, expected_version: int | None = None
    ) -> CaseView:
        return self._transition(case_id, Action.RESOLVE, expected_version, note=note)

    def close_case(
        self,
        case_id: int,
        closure_code: ClosureCode | str,
        note: str,
        *,
        expected_version: int | None = None,
    ) -> CaseView:
        """Close a resolved case (shift leader): needs a closure code and a note."""
        return self._transition(
            case_id, Action.CLOSE, expected_version, note=note, closure_code=closure_code
        )

    def cancel(self, case_id: int, reason: str, *, expected_version: int | None = None) -> CaseView:
        return self._transition(case_id, Action.CANCEL, expected_version, note=reason)

    def reopen(self, case_id: int, reason: str, *, expected_version: int | None = None) -> CaseView:
        """Reopen a resolved, closed or cancelled case (shift leader, with a reason). The
        deadlines start again from the moment of reopening, except a petition's statutory
        ones, which run from receipt and are kept (see ``owns_due_times``)."""
        return self._transition(case_id, Action.REOPEN, expected_version, note=reason)

    def _transition(
        self,
        case_id: int,
        action: Action,
        expected_version: int | None,
        *,
        note: str | None = None,
        closure_code: ClosureCode | str | None = None,
        unit_id: str | None = None,
    ) -> CaseView:
        # READ: the workflow itself says which role may take which action (check_transition).
        uow = self.context.unit_of_work(Permission.READ)
        actor, now = uow.actor, uow.now
        with uow:
            conn = uow.conn
            row = case_records.get_case(conn, case_id)
            if expected_version is not None and expected_version != row["version"]:
                raise stale_case(conn, case_id, expected_version, {"action": action.value})
            request = closure.pending_request(conn, row)
            if action is Action.APPROVE_CLOSE and request is not None:
                # Approval closes with what the officer asked for, nothing of the leader's.
                closure_code, note = request["closure_code"], request["note"]
            outcome = check_transition(
                row["status"],
                action,
                actor.role,
                note=note,
                closure_code=closure_code,
                has_unit=unit_id is not None,
                closure_pending=row["closure_requested_at"] is not None,
            )
            values: dict[str, Any] = {
                "status": outcome.to_status.value,
                "updated_at": now,
                "updated_by": actor.username,
                **closure.case_values(action, now),
            }
            stamp = _ACTION_STAMP.get(action)
            if stamp:
                values[stamp] = now
            response_due, resolution_due = row["response_due_at"], row["resolution_due_at"]
            if action is Action.DISPATCH:
                values["unit_id"] = unit_id
            elif action in (Action.CLOSE, Action.APPROVE_CLOSE):
                values["closure_code"] = (
                    outcome.closure_code.value if outcome.closure_code else None
                )
            elif action is Action.REOPEN:
                values["closure_code"] = None
                if not owns_due_times(row["kind"], row["details"] or {}):
                    response_due, resolution_due = due_times(
                        self.rules, CaseKind(row["kind"]), row["priority"], now
                    )
                    values["response_due_at"] = response_due
                    values["resolution_due_at"] = resolution_due
                    values["clock_started_at"] = now
            values["due_at"] = sort_key(outcome.to_status, response_due, resolution_due)
            written = update_case_returning(
                conn, case_id, int(row["version"]), values, {"action": action.value}
            )
            version = int(written["version"])
            data: dict[str, Any] | None = None
            if action is Action.CLOSE:
                data = {"closure_code": values["closure_code"]}
            elif action in CLOSURE_STEPS:
                data = closure.record_step(conn, case_id, outcome, actor, now, request)
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "transition",
                    "action": action.value,
                    "from_status": outcome.from_status.value,
                    "to_status": outcome.to_status.value,
                    "unit_id": unit_id,
                    "text": outcome.note,
                    "data": data,
                },
            )
            uow.audit(
                f"case.{action.value}",
                "case",
                case_id,
                jsonable(
                    {
                        "from": outcome.from_status.value,
                        "to": outcome.to_status.value,
                        "unit_id": unit_id,
                        "note": outcome.note,
                        "closure_code": values.get("closure_code"),
                        "version": version,
                        **(data if action in CLOSURE_STEPS and data else {}),
                    }
                ),
            )
            uow.changed("case", case_id, version, action.value)
            view = case_view(written)
        return view
