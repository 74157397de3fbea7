"""The case queue's query types: what the officer asks of the queue and what each line holds.

Pure values shared by the store (which turns a query into SQL, store/queue.py), the desk and the
UI (which builds queries from its filters and shows rows): the UI never imports the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

# Open means a deadline still runs (same statuses as dispatch_app.domain.cases.Status.is_open).
OPEN_STATUSES = ("new", "triaged", "dispatched", "acknowledged", "on_scene")
# Waiting for a unit to acknowledge (the response deadline runs): part of "needs action".
AWAITING_ACKNOWLEDGEMENT = ("new", "triaged", "dispatched")
# Cases the monitoring alarms open carry this source (CaseSource.MONITORING).
ALARM_SOURCE = "monitoring"


class QueueView(StrEnum):
    ALL = "all"  # the other filters only
    NEEDS_ACTION = "needs_action"  # 需处置
    BACKLOG = "backlog"  # 积压


@dataclass(frozen=True)
class ViewTimes:
    """The two moments the views are cut at, from the desk's clock and rules."""

    backlog_before: datetime  # open cases due before this are the long-overdue backlog
    shift_end: datetime  # the end of the shift running now


@dataclass(frozen=True)
class QueueCounts:
    """How many cases of a query each view holds (the view switch shows them)."""

    needs_action: int
    backlog: int
    all: int  # every case the other filters match


class QueueSort(StrEnum):
    URGENCY = "urgency"  # most urgent deadline first, then priority
    CREATED = "created"  # newest first
    PRIORITY = "priority"  # P1 first, then urgency
    REFERENCE = "reference"  # CZ-2026-000001 first


@dataclass(frozen=True)
class QueueQuery:
    """A queue view: what to show and in which order. Empty tuples mean "any"."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    unit_ids: tuple[str, ...] = ()
    overdue: bool = False  # only cases whose governing deadline has passed
    text: str = ""  # over reference, title and description
    closure_pending: bool = False  # only cases whose closure request waits for approval
    sort: QueueSort = QueueSort.URGENCY
    descending: bool = False  # reverse the chosen order
    view: QueueView = QueueView.ALL

    def to_json(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "statuses": list(self.statuses),
            "priorities": list(self.priorities),
            "districts": list(self.districts),
            "unit_ids": list(self.unit_ids),
            "overdue": self.overdue,
            "text": self.text,
            "closure_pending": self.closure_pending,
            "sort": self.sort.value,
            "descending": self.descending,
            "view": self.view.value,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueQuery:
        def strings(key: str) -> tuple[str, ...]:
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"saved filter field {key!r} must be a list of strings")
            return tuple(value)

        return cls(
            kinds=strings("kinds"),
            statuses=strings("statuses"),
            priorities=strings("priorities"),
            districts=strings("districts"),
            unit_ids=strings("unit_ids"),
            overdue=bool(data.get("overdue", False)),
            text=str(data.get("text", "")),
            closure_pending=bool(data.get("closure_pending", False)),
            sort=QueueSort(data.get("sort", QueueSort.URGENCY.value)),
            descending=bool(data.get("descending", False)),
            view=QueueView(data.get("view", QueueView.ALL.value)),
        )


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue: only what the list shows (the detail pane loads the rest)."""

    id: int
    reference: str
    kind: str
    status: str
    priority: str
    title: str
    district: str
    unit_id: str | None
    created_at: datetime
    clock_started_at: datetime | None
    response_due_at: datetime
    resolution_due_at: datetime
    due_at: datetime
    version: int
    lon: float | None = None  # where the case is, for the map beside the queue
    lat: float | None = None
    closure_requested_at: datetime | None = None  # a closure request waits for approval
    extra: dict[str, Any] = field(default_factory=dict)
