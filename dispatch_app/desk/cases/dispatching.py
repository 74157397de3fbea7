"""Dispatching cases to units, one or many."""

from __future__ import annotations

from collections.abc import Iterable

from dispatch_app.desk.cases.workflow import WorkflowSteps
from dispatch_app.desk.views import (
    BulkResult,
    CaseView,
)
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.roles import Permission
from dispatch_app.domain.workflow import Action
from dispatch_app.store.errors import ConflictError, NotFound


class DispatchSteps(WorkflowSteps):
    """Dispatch use cases of ``Desk`` (mixed into it)."""

    def dispatch(
        self,
        case_id: int,
        unit_id: str,
        *,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> CaseView:
        """Dispatch (or re-dispatch) a case to a unit of the registry."""
        self._check_unit(unit_id)
        return self._transition(
            case_id, Action.DISPATCH, expected_version, note=note, unit_id=unit_id
        )

    def dispatch_many(
        self, case_ids: Iterable[int], unit_id: str, *, note: str | None = None
    ) -> BulkResult:
        """Bulk assign: each case is dispatched in its own transaction, so one case that
        cannot be dispatched (closed, changed meanwhile) does not hold back the others; the
        result lists the failures with their reasons."""
        self.context.actor(Permission.WORK_CASES)
        self._check_unit(unit_id)
        result = BulkResult()
        for case_id in dict.fromkeys(case_ids):
            try:
                result.done.append(self.dispatch(case_id, unit_id, note=note))
            except (IllegalTransition, NotFound, ConflictError, ValidationError) as exc:
                result.failed[case_id] = exc
        return result
