"""Reading cases: a case, its detail and deadline, the queue, the units."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from dispatch_app.desk.cases import closure
from dispatch_app.desk.cases.base import DeskBase, case_view
from dispatch_app.desk.context import not_logged_in
from dispatch_app.desk.views import (
    CaseDetail,
    CaseView,
    TimelineEntryView,
    UnitLoad,
)
from dispatch_app.domain.case_details import masked_timeline_values
from dispatch_app.domain.cases import (
    UNIT_LOAD_STATUSES,
    CaseKind,
    Status,
)
from dispatch_app.domain.deadlines import DeadlineState, assess
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import DomainError, ValidationError
from dispatch_app.domain.queue_views import backlog_before
from dispatch_app.domain.roles import Permission
from dispatch_app.domain.units import Unit
from dispatch_app.domain.workflow import (
    Action,
    allowed_actions,
    edit_refusal,
    refusal,
)
from dispatch_app.store import case_records
from dispatch_app.store.queue import (
    QueueCounts,
    QueueQuery,
    QueueRow,
    QueueSort,
    QueueView,
    ViewTimes,
    has_text_index,
    queue_count,
    queue_counts,
    queue_page,
    unit_loads,
)

MAX_PAGE = 1000


class CaseQueries(DeskBase):
    """The read use cases of ``Desk`` (mixed into it)."""

    def get_case(self, case_id: int) -> CaseView:
        """The case as any role may see it: a petitioner's phone and ID number masked (the
        petitions module reveals them, audited, to the roles its rules allow)."""
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            return case_view(case_records.get_case(conn, case_id))

    def find_case(self, reference: str) -> CaseView | None:
        """The case with this reference number (CZ-2026-000123), or None."""
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            case_id = case_records.find_case_id(conn, reference.strip().upper())
            if case_id is None:
                return None
            return case_view(case_records.get_case(conn, case_id))

    def case_detail(self, case_id: int) -> CaseDetail:
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            case = case_view(case_records.get_case(conn, case_id))
            entries = [
                TimelineEntryView.from_row(masked_timeline_values(case.kind.value, r))
                for r in case_records.timeline_for(conn, case_id)
            ]
            request = closure.closure_request_view(
                conn, {"id": case_id, "closure_requested_at": case.closure_requested_at}
            )
        unit = self.unit_registry.get(case.unit_id) if case.unit_id else None
        return CaseDetail(case, entries, self.deadline(case), unit, request)

    def deadline(self, case: CaseView | QueueRow, now: datetime | None = None) -> DeadlineState:
        """Countdown and colour of a case at ``now`` (pure; the UI calls it every second)."""
        return assess(
            self.rules,
            Status(case.status),
            case.clock_started_at or case.created_at,
            case.response_due_at,
            case.resolution_due_at,
            now or self.clock(),
        )

    def allowed_actions(self, case: CaseView | QueueRow) -> list[Action]:
        """The workflow actions the logged-in user may take on ``case`` now."""
        if self.context.user is None:
            return []
        return allowed_actions(
            Status(case.status),
            self.context.user.role,
            closure_pending=case.closure_requested_at is not None,
        )

    def refusal(self, case: CaseView | QueueRow, action: Action | str) -> DomainError | None:
        """Why the logged-in user may not take ``action`` on ``case`` now (None: they may):
        the rule the action itself is checked against, for the UI's disabled actions."""
        if self.context.user is None:
            return not_logged_in()
        return refusal(
            case.status,
            action,
            self.context.user.role,
            closure_pending=case.closure_requested_at is not None,
        )

    def edit_refusal(self, case: CaseView) -> DomainError | None:
        """Why the logged-in user may not edit ``case`` (closed, cancelled, or the role)."""
        if self.context.user is None:
            return not_logged_in()
        return edit_refusal(case.status, self.context.user.role)

    # ------------------------------------------------------------------ queue

    def queue_page(
        self, query: QueueQuery | None = None, offset: int = 0, limit: int = 100
    ) -> list[QueueRow]:
        """One page of the queue, filtered and sorted by the database."""
        self.context.actor(Permission.READ)
        query = self._check_query(query or QueueQuery())
        if not 0 <= limit <= MAX_PAGE or offset < 0:
            raise ValidationError(
                "limit",
                "error.page",
                f"page must be 0–{MAX_PAGE} rows from offset ≥ 0",
                "分页参数无效",
            )
        now = self.clock()
        with self.store.read() as conn:
            return queue_page(
                conn, query, now, offset, limit, self._text_index(conn), self.view_times(now)
            )

    def queue_count(self, query: QueueQuery | None = None) -> int:
        self.context.actor(Permission.READ)
        query = self._check_query(query or QueueQuery())
        now = self.clock()
        with self.store.read() as conn:
            return queue_count(conn, query, now, self._text_index(conn), self.view_times(now))

    def queue_counts(self, query: QueueQuery | None = None) -> QueueCounts:
        """How many cases each view (needs action, backlog, all) holds under the query's
        other filters: the numbers on the queue's view switch."""
        self.context.actor(Permission.READ)
        query = self._check_query(query or QueueQuery())
        now = self.clock()
        with self.store.read() as conn:
            return queue_counts(conn, query, now, self.view_times(now), self._text_index(conn))

    def view_times(self, now: datetime | None = None) -> ViewTimes:
        """Where the queue's views are cut at ``now``: the backlog threshold and the end of
        the current shift (``shift_end``)."""
        now = now or self.clock()
        return ViewTimes(backlog_before(now, self.queue_rules), self.shift_end(now))

    def _text_index(self, conn: Connection) -> bool:
        # Looked up once: the index comes with a schema revision, which is fixed after open.
        if self._has_text_index is None:
            self._has_text_index = has_text_index(conn)
        return self._has_text_index

    def _check_query(self, query: QueueQuery) -> QueueQuery:
        from dispatch_app.domain.cases import Priority

        checks: list[tuple[str, tuple[str, ...], Any]] = [
            ("kinds", query.kinds, CaseKind),
            ("statuses", query.statuses, Status),
            ("priorities", query.priorities, Priority),
            ("districts", query.districts, District),
        ]
        for field_name, values, enum_type in checks:
            for v in values:
                try:
                    enum_type(v)
                except ValueError:
                    raise ValidationError(
                        field_name,
                        "error.field_choice",
                        f"unknown {field_name} value {v!r}",
                        f"筛选条件“{v}”无效",
                    ) from None
        for unit_id in query.unit_ids:
            self._check_unit(unit_id)
        if len(query.text) > 200:
            raise ValidationError(
                "text",
                "error.field_too_long",
                "search text is longer than 200 characters",
                "搜索内容超过200字",
            )
        try:
            query = replace(query, view=QueueView(query.view), sort=QueueSort(query.sort))
        except ValueError:
            raise ValidationError(
                "view",
                "error.field_choice",
                f"unknown queue view {query.view!r} or sort {query.sort!r}",
                "队列视图或排序方式无效",
            ) from None
        return query

    # ------------------------------------------------------------------ units

    def units(self, district: District | str | None = None) -> list[UnitLoad]:
        """Every unit with its open load; with ``district``, that district's branch is marked
        ``suggested`` and listed first."""
        self.context.actor(Permission.READ)
        with self.store.read() as conn:
            loads = unit_loads(conn, tuple(s.value for s in UNIT_LOAD_STATUSES))
        suggested = self.unit_registry.branch_for(district) if district else None
        result = [
            UnitLoad(u, loads.get(u.id, 0), suggested is not None and u.id == suggested.id)
            for u in self.unit_registry.units
        ]
        result.sort(key=lambda ul: not ul.suggested)
        return result

    def suggested_unit(self, district: District | str) -> Unit | None:
        return self.unit_registry.branch_for(district)
