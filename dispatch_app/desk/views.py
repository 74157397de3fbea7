"""What the desk hands to the UI: plain, immutable values (no database rows, no sessions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dispatch_app.domain.cases import CaseKind, CaseSource, Priority, Status
from dispatch_app.domain.deadlines import DeadlineState
from dispatch_app.domain.districts import District
from dispatch_app.domain.roles import Role
from dispatch_app.domain.units import Unit


@dataclass(frozen=True)
class CaseView:
    id: int
    reference: str
    kind: CaseKind
    status: Status
    priority: Priority
    title: str
    description: str
    district: District
    address: str
    lon: float | None
    lat: float | None
    source: CaseSource
    enterprise_name: str | None
    credit_code: str | None
    details: dict[str, Any]
    unit_id: str | None
    closure_code: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    triaged_at: datetime | None
    dispatched_at: datetime | None
    acknowledged_at: datetime | None
    arrived_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    clock_started_at: datetime | None
    response_due_at: datetime
    resolution_due_at: datetime
    due_at: datetime
    version: int
    closure_requested_at: datetime | None = None  # a closure request waits for approval

    @property
    def closure_pending(self) -> bool:
        return self.closure_requested_at is not None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> CaseView:
        values = dict(row)
        values["kind"] = CaseKind(values["kind"])
        values["status"] = Status(values["status"])
        values["priority"] = Priority(values["priority"])
        values["district"] = District(values["district"])
        values["source"] = CaseSource(values["source"])
        values["details"] = dict(values.get("details") or {})
        return cls(**values)


@dataclass(frozen=True)
class TimelineEntryView:
    id: int
    case_id: int
    at: datetime
    actor: str
    entry_kind: str  # created | transition | note | edit
    action: str | None
    from_status: str | None
    to_status: str | None
    unit_id: str | None
    text: str | None
    data: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> TimelineEntryView:
        return cls(**dict(row))


@dataclass(frozen=True)
class ClosureRequestView:
    """A duty officer's request to close a case (申请办结) and the decision on it.

    ``state`` is ``pending``, ``approved``, ``refused`` or ``superseded`` (the case was
    reopened or closed otherwise while it waited)."""

    id: int
    case_id: int
    requested_at: datetime
    requested_by: str
    closure_code: str
    note: str
    state: str
    decided_at: datetime | None
    decided_by: str | None
    reason: str | None
    version: int

    @property
    def pending(self) -> bool:
        return self.state == "pending"

    @classmethod
    def from_row(cls, row: Mapping[Any, Any], case_pending: bool) -> ClosureRequestView:
        values = dict(row)
        if values["state"] == "pending" and not case_pending:
            values["state"] = "superseded"
        return cls(**values)


@dataclass(frozen=True)
class CaseDetail:
    case: CaseView
    timeline: list[TimelineEntryView]
    deadline: DeadlineState
    unit: Unit | None
    closure_request: ClosureRequestView | None = None  # the newest, pending or decided


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    version: int

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> UserView:
        return cls(
            id=int(row["id"]),
            username=row["username"],
            display_name=row["display_name"],
            role=Role(row["role"]),
            active=bool(row["active"]),
            locked_until=row["locked_until"],
            version=int(row["version"]),
        )


@dataclass(frozen=True)
class UnitLoad:
    unit: Unit
    open_load: int  # cases dispatched to the unit and not yet resolved
    suggested: bool = False  # the branch of the case's district


@dataclass(frozen=True)
class SavedFilterView:
    id: int
    name: str
    query: Any  # a QueueQuery
    version: int


@dataclass(frozen=True)
class BulkResult:
    """Outcome of a bulk dispatch: each case succeeds or fails on its own."""

    done: list[CaseView] = field(default_factory=list)
    failed: dict[int, Exception] = field(default_factory=dict)
