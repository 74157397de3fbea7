"""Taking a petition in, and finding the ones it may repeat."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.events import Changed
from dispatch_app.desk.petitions.base import PetitionDeskBase
from dispatch_app.desk.petitions.values import (
    _CHANNEL_SOURCE,
    IMPORT_LAG,
    DuplicateHit,
    PetitionView,
)
from dispatch_app.desk.views import UserView
from dispatch_app.domain.cases import (
    CaseDraft,
    CaseKind,
    CaseSource,
    Priority,
    Status,
    validate_draft,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.duplicates import (
    DuplicateCandidate,
    find_duplicates,
)
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.petitions import (
    DETAILS_KEY,
    PROGRESS_KEY,
    PetitionDetail,
    PetitionProgress,
    Stage,
    petition_title,
    validate_petition,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records, petition_records


class PetitionIntake(PetitionDeskBase):
    """Intake and duplicates of ``PetitionDesk`` (mixed into it)."""

    def intake(
        self,
        detail: PetitionDetail,
        *,
        district: District | str,
        priority: Priority | str = Priority.P3,
        title: str | None = None,
    ) -> PetitionView:
        """Register a petition as a case of kind petition. Raises PetitionInvalid (all bad
        fields) or ValidationError (case-level fields such as the district)."""
        uow = self.desk.context.unit_of_work(Permission.WORK_CASES)
        actor, now = uow.actor, uow.now
        clean = validate_petition(detail, now)
        if clean.stage is not Stage.ORIGINAL:
            raise ValidationError(
                "stage",
                "error.follow_up_via_request",
                "a review or second review is opened from the earlier case (request_follow_up)",
                "复查/复核须从原信访事项登记",
            )
        with uow:
            conn = uow.conn
            case_id = self._insert_case(
                conn, clean, PetitionProgress(), district, priority, title, actor, now
            )
            # Desk.insert_case wrote the audit entry and the change row.
            uow.publish_after_commit(Changed("case", case_id, 1, "create", local=True))
            view = self._view(conn, case_id, now)
        return view

    def _insert_case(
        self,
        conn: Connection,
        detail: PetitionDetail,
        progress: PetitionProgress,
        district: District | str,
        priority: Priority | str,
        title: str | None,
        actor: UserView,
        now: datetime,
        extra_details: Mapping[str, Any] | None = None,
    ) -> int:
        details: dict[str, Any] = {
            DETAILS_KEY: detail.to_details(),
            PROGRESS_KEY: progress.to_details(),
            **(extra_details or {}),
        }
        draft = validate_draft(
            CaseDraft(
                kind=CaseKind.PETITION,
                title=title or petition_title(detail),
                district=district,  # type: ignore[arg-type]  # validated by validate_draft
                priority=priority,  # type: ignore[arg-type]
                source=_CHANNEL_SOURCE.get(detail.channel, CaseSource.OTHER),
                description=detail.description,
                address=detail.address,
                lon=detail.lon,
                lat=detail.lat,
                enterprise_name=detail.enterprise_name,
                credit_code=detail.credit_code,
                details=details,
            )
        )
        case_id, _ = self.desk.insert_case(
            conn,
            draft,
            actor.username,
            now,
            # The statutory clock runs from receipt, which may precede registration.
            clock_started_at=detail.received_at,
            due=self._due_columns(Status.NEW, self.deadlines_for(detail, progress), merged=False),
            timeline_data={"stage": detail.stage.value, "channel": detail.channel.value},
            audit_extra={
                "channel": detail.channel.value,
                "subject": detail.subject.value,
                "stage": detail.stage.value,
                "received_at": iso(detail.received_at),
                "anonymous": detail.petitioner.anonymous,
                "external_ref": detail.external_ref,
            },
        )
        return case_id

    # ------------------------------------------------------------------ duplicates

    def find_duplicates(self, probe: PetitionDetail | int) -> list[DuplicateHit]:
        """Likely duplicates among stored petitions, best first, with reasons.

        ``probe`` is a detail being taken (the phone-call form calls this before saving; it
        need not be valid yet) or a stored case's id.
        """
        self.desk.context.actor(Permission.READ)
        s = self.rules.duplicates
        with self.desk.store.read() as conn:
            if isinstance(probe, int):
                row = case_records.get_case(conn, probe)
                self._require_petition(row)
                detail, _ = self._read(row)
                probe_id: int | None = probe
            else:
                detail, probe_id = probe, None
            received = detail.received_at
            if received.tzinfo is None:
                raise ValidationError(
                    "received_at",
                    "error.time_naive",
                    "received_at needs a time zone",
                    "收件时间缺少时区",
                )
            rows = petition_records.duplicate_candidates_between(
                conn, received - s.window - IMPORT_LAG, received + s.window + IMPORT_LAG
            )
        candidates: list[DuplicateCandidate] = []
        by_id: dict[int, RowMapping] = {}
        for r in rows:
            try:
                at = datetime.fromisoformat(r["received_at"])
            except (TypeError, ValueError):
                continue  # a corrupt row is reported when opened; it cannot be compared
            if at.tzinfo is None:
                continue
            by_id[r["id"]] = r
            candidates.append(
                DuplicateCandidate(
                    case_id=r["id"],
                    received_at=at,
                    subject=r["subject"] or "",
                    text=r["description"] or "",
                    lon=r["lon"],
                    lat=r["lat"],
                    credit_code=r["credit_code"],
                    enterprise_name=r["enterprise_name"],
                    phone=r["phone"] or "",
                )
            )
        probe_candidate = DuplicateCandidate(
            case_id=probe_id,
            received_at=received,
            subject=str(detail.subject),
            text=detail.description or "",
            lon=detail.lon,
            lat=detail.lat,
            credit_code=(detail.credit_code or "").strip().upper() or None,
            enterprise_name=detail.enterprise_name,
            phone=detail.petitioner.phone or "",
        )
        matches = find_duplicates(probe_candidate, candidates, s)
        with self.desk.store.read() as conn:
            merged = {
                m.case_id: petition_records.merged_into(conn, m.case_id)
                for m in matches
                if m.case_id is not None
            }
        hits: list[DuplicateHit] = []
        for m in matches:
            assert m.case_id is not None
            r = by_id[m.case_id]
            hits.append(
                DuplicateHit(
                    case_id=m.case_id,
                    reference=r["reference"],
                    title=r["title"],
                    status=Status(r["status"]),
                    received_at=m.candidate.received_at,
                    score=m.score,
                    reasons=m.reasons,
                    merged_into=merged.get(m.case_id),
                )
            )
        return hits
