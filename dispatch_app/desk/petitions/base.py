"""The petitions desk's state and the helpers every use case shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.petitions.rules import PetitionRules
from dispatch_app.desk.petitions.values import (
    DeadlineView,
    PetitionView,
    _masked_case,
)
from dispatch_app.domain.cases import (
    CaseKind,
    Status,
)
from dispatch_app.domain.deadlines import NO_DEADLINE, sort_key
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.masking import (
    mask_free_text,
    petitioner_view,
)
from dispatch_app.domain.petition_deadlines import (
    Deadline,
    PetitionClock,
    deadline_state,
    most_urgent,
    petition_deadlines,
)
from dispatch_app.domain.petitions import (
    PetitionDetail,
    Petitioner,
    PetitionProgress,
    detail_from_case,
    progress_from_details,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records, petition_records
from dispatch_app.store.petition_attachments import AttachmentStore, default_attachments_dir


class PetitionDeskBase:
    """Petition use cases on a logged-in `Desk`. Synchronous; run calls in an executor."""

    def __init__(
        self, desk: Desk, rules: PetitionRules, attachments: AttachmentStore | None = None
    ) -> None:
        self.desk = desk
        self.rules = rules
        self.attachments = attachments or AttachmentStore(default_attachments_dir())

    # ------------------------------------------------------------------ helpers

    def _now(self) -> datetime:
        return self.desk.clock()

    @staticmethod
    def _require_petition(row: Mapping[Any, Any]) -> None:
        if row["kind"] != CaseKind.PETITION.value:
            raise ValidationError(
                "case",
                "error.not_a_petition",
                f"case {row['reference']} is not a petition",
                f"事项{row['reference']}不是信访事项",
            )

    @staticmethod
    def _read(row: Mapping[Any, Any]) -> tuple[PetitionDetail, PetitionProgress]:
        details = row["details"] or {}
        detail = detail_from_case(
            details,
            description=row["description"],
            address=row.get("address", ""),
            lon=row["lon"],
            lat=row["lat"],
            enterprise_name=row["enterprise_name"],
            credit_code=row["credit_code"],
        )
        return detail, progress_from_details(details)

    def deadlines_for(self, detail: PetitionDetail, progress: PetitionProgress) -> list[Deadline]:
        """Every deadline of a petition (pure; the UI may call it every second)."""
        clock = PetitionClock(detail.channel, detail.stage, detail.received_at, progress)
        return petition_deadlines(clock, self.rules.deadlines, self.rules.calendar)

    def _deadline_views(
        self, deadlines: Iterable[Deadline], now: datetime
    ) -> tuple[tuple[DeadlineView, ...], DeadlineView | None]:
        reminder_days = self.rules.deadlines.reminder_days
        views = tuple(
            DeadlineView(d, deadline_state(d, now, reminder_days), d.remaining(now), now)
            for d in deadlines
        )
        worst = most_urgent([v.deadline for v in views], now)
        worst_view = next((v for v in views if worst is not None and v.deadline is worst), None)
        return views, worst_view

    @staticmethod
    def _due_columns(status: Status, deadlines: list[Deadline], merged: bool) -> dict[str, Any]:
        """The case row's deadline columns: the earliest unmet obligation governs."""
        if merged:  # a merged repeat is carried by its master's deadlines
            return {
                "response_due_at": NO_DEADLINE,
                "resolution_due_at": NO_DEADLINE,
                "due_at": NO_DEADLINE,
            }
        open_ones = [d.due_at for d in deadlines if d.obligation and d.done_at is None]
        if open_ones:
            due = min(open_ones)
        else:
            due = max((d.due_at for d in deadlines if d.obligation), default=NO_DEADLINE)
        return {
            "response_due_at": due,
            "resolution_due_at": due,
            "due_at": sort_key(status, due, due),
        }

    def _view(self, conn: Connection, case_id: int, now: datetime) -> PetitionView:
        row = case_records.get_case(conn, case_id)
        self._require_petition(row)
        detail, progress = self._read(row)
        views, worst = self._deadline_views(self.deadlines_for(detail, progress), now)
        before, after = petition_records.follow_up_links(conn, case_id)
        p = detail.petitioner
        return PetitionView(
            case=_masked_case(row),
            detail=replace(
                detail,
                petitioner=Petitioner(anonymous=p.anonymous),
                description=mask_free_text(detail.description),
            ),
            petitioner=petitioner_view(
                p, self.desk.context.actor(Permission.READ).role, self.rules.privacy
            ),
            progress=progress,
            deadlines=views,
            most_urgent=worst,
            merged_into=petition_records.merged_into(conn, case_id),
            duplicates=tuple(petition_records.duplicates_of(conn, case_id)),
            follow_up_of=before,
            follow_up_case_id=after,
        )
