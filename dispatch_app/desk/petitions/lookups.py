"""Reading petitions, the phone-call lookup, fresh deadlines and the audited reveal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.conflicts import update_case
from dispatch_app.desk.petitions.base import PetitionDeskBase
from dispatch_app.desk.petitions.values import (
    MERGE_KEY,
    DeadlineView,
    PetitionSummary,
    PetitionView,
)
from dispatch_app.domain.cases import (
    Status,
    validate_note,
)
from dispatch_app.domain.errors import PermissionDenied, ValidationError
from dispatch_app.domain.masking import (
    PetitionerView,
    petitioner_view,
)
from dispatch_app.domain.petitions import (
    normalize_phone,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records, petition_records


class PetitionLookups(PetitionDeskBase):
    """Reads of ``PetitionDesk`` (mixed into it)."""

    def get(self, case_id: int) -> PetitionView:
        """The petition with its deadlines at the desk's clock (petitioner masked)."""
        self.desk.context.actor(Permission.READ)
        with self.desk.store.read() as conn:
            return self._view(conn, case_id, self._now())

    def queue_deadlines(
        self, case_ids: Iterable[int], now: datetime | None = None
    ) -> dict[int, DeadlineView | None]:
        """The governing petition deadline (label, state, countdown) of each petition on a
        queue page, in one query; ids of other kinds are left out. None: nothing open."""
        self.desk.context.actor(Permission.READ)
        now = now or self._now()
        out: dict[int, DeadlineView | None] = {}
        with self.desk.store.read() as conn:
            rows = petition_records.petitions_by_ids(conn, case_ids)
        for row in rows:
            if (row["details"] or {}).get(MERGE_KEY, {}).get("merged_into") is not None:
                out[row["id"]] = None  # carried by its master
                continue
            try:
                detail, progress = self._read(row)
            except ValidationError:
                out[row["id"]] = None
                continue
            _, worst = self._deadline_views(self.deadlines_for(detail, progress), now)
            out[row["id"]] = worst
        return out

    def earlier_from_phone(self, phone: str, limit: int = 20) -> list[PetitionSummary]:
        """Earlier petitions from the same number, newest first, whatever their age: what the
        phone-call form shows while the caller is still on the line (no personal data)."""
        self.desk.context.actor(Permission.READ)
        number = normalize_phone(phone or "")
        if not number.isdigit() or len(number) < 7:
            return []
        with self.desk.store.read() as conn:
            rows = petition_records.petitions_by_phone(conn, number, limit)
        return [
            PetitionSummary(
                case_id=r["id"],
                reference=r["reference"],
                title=r["title"],
                status=Status(r["status"]),
                subject=r["subject"] or "",
                received_at=datetime.fromisoformat(r["received_at"]),
            )
            for r in rows
        ]

    def refresh_deadlines(self, case_id: int) -> PetitionView:
        """Write the petition's deadlines into the case row again.

        Needed after a generic `Desk` operation that recomputes a case's due times from
        deadlines.toml (reopen, a priority edit) until the desk asks this module for them.
        """
        uow = self.desk.context.unit_of_work(Permission.WORK_CASES)
        now = uow.now
        with uow:
            conn = uow.conn
            row = case_records.get_case(conn, case_id)
            self._require_petition(row)
            detail, progress = self._read(row)
            merged = petition_records.merged_into(conn, case_id) is not None
            due = self._due_columns(
                Status(row["status"]), self.deadlines_for(detail, progress), merged
            )
            if all(row[k] == v for k, v in due.items()):
                return self._view(conn, case_id, now)
            values = {**due, "clock_started_at": detail.received_at}
            version = update_case(
                conn, case_id, int(row["version"]), values, {"refresh": "deadlines"}
            )
            uow.audit(
                "petition.refresh_deadlines",
                "case",
                case_id,
                {k: iso(v) for k, v in due.items()},
            )
            uow.changed("case", case_id, version, "deadlines")
            view = self._view(conn, case_id, now)
        return view

    # ------------------------------------------------------------------ privacy

    def reveal_petitioner(self, case_id: int, reason: str) -> PetitionerView:
        """The petitioner unmasked, for a role the rules allow; written to the audit log with
        the reason. A refused attempt is audited too, then raises PermissionDenied."""
        uow = self.desk.context.unit_of_work(Permission.READ)
        actor = uow.actor
        reason = validate_note(reason, "reason", "查看理由")
        allowed = self.rules.privacy.may_unmask(actor.role)
        with uow:
            conn = uow.conn
            row = case_records.get_case(conn, case_id)
            self._require_petition(row)
            detail, _ = self._read(row)
            uow.audit(
                "petition.unmask" if allowed else "petition.unmask_refused",
                "case",
                case_id,
                {"reason": reason, "role": actor.role.value, "fields": ["phone", "id_number"]},
            )
        if not allowed:
            raise PermissionDenied(
                "error.unmask_denied",
                f"role {actor.role.value} may not see petitioners' personal data unmasked",
                "当前角色无权查看信访人完整个人信息",
                role=actor.role.value,
            )
        return petitioner_view(detail.petitioner, actor.role, self.rules.privacy, unmask=True)
