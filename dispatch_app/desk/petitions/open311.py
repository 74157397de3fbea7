"""Open311 interchange with the city's service-request platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from dispatch_app.desk.events import Changed
from dispatch_app.desk.petitions.intake import PetitionIntake
from dispatch_app.desk.petitions.values import (
    Open311Result,
)
from dispatch_app.domain.cases import (
    Priority,
    Status,
    validate_note,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.open311 import (
    ExportItem,
    export_service_requests,
    import_service_requests,
)
from dispatch_app.domain.petitions import (
    PetitionDetail,
    PetitionProgress,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records, petition_records


class Open311Exchange(PetitionIntake):
    """Open311 import and export of ``PetitionDesk`` (mixed into it)."""

    def import_open311(
        self,
        payload: Any,
        *,
        default_district: District | str,
        district_for: Callable[[PetitionDetail], District | None] | None = None,
        include_closed: bool = False,
    ) -> Open311Result:
        """Import GeoReport v2 service requests: each good record becomes a petition in its own
        transaction; bad ones are listed with their reasons; a service_request_id already in
        the desk is skipped, so feeding the same document twice creates nothing new.

        Open311 carries no district: ``district_for`` may locate one from the detail; else
        ``default_district`` is used and the case says so in details["open311"].
        """
        actor = self.desk.context.actor(Permission.WORK_CASES)
        now = self._now()
        parsed = import_service_requests(payload, self.rules.open311, now)
        result = Open311Result(rejected=list(parsed.rejected))
        with self.desk.store.read() as conn:
            known = petition_records.external_refs(conn)
        for item in parsed.accepted:
            rid = item.service_request_id
            if rid in known:
                result.already_present.append(rid)
                continue
            if item.status == "closed" and not include_closed:
                result.skipped_closed.append(rid)
                continue
            located = district_for(item.detail) if district_for else None
            extra = {
                "open311": {
                    "service_request_id": rid,
                    "status": item.status,
                    "status_notes": item.status_notes,
                    "service_name": item.service_name,
                    "agency_responsible": item.agency_responsible,
                    "media_url": item.media_url,
                    "district_assumed": located is None,
                }
            }
            try:
                # One transaction per record: a bad one does not hold back the others.
                with self.desk.context.unit_of_work(Permission.WORK_CASES, now=now) as uow:
                    conn = uow.conn
                    case_id = self._insert_case(
                        conn,
                        item.detail,
                        PetitionProgress(),
                        located or default_district,
                        Priority.P3,
                        None,
                        actor,
                        now,
                        extra,
                    )
                    # Desk.insert_case wrote the audit entry and the change row.
                    uow.publish_after_commit(Changed("case", case_id, 1, "create", local=True))
                    result.created.append(self._view(conn, case_id, now))
                known.add(rid)
            except ValidationError as exc:
                result.failed[rid] = exc
        return result

    def export_open311(
        self, case_ids: Iterable[int], *, unmasked: bool = False, reason: str = ""
    ) -> list[dict[str, Any]]:
        """GeoReport v2 records of the given petitions, masked unless ``unmasked`` (a role
        allowed to unmask, with a reason; audited)."""
        actor = self.desk.context.actor(Permission.READ)
        ids = list(dict.fromkeys(case_ids))
        now = self._now()
        if unmasked:
            self.rules.privacy.require_unmask(actor.role)
            reason = validate_note(reason, "reason", "导出理由")
        items: list[ExportItem] = []
        with self.desk.store.read() as conn:
            for case_id in ids:
                row = case_records.get_case(conn, case_id)
                self._require_petition(row)
                detail, progress = self._read(row)
                handling = next(
                    (d for d in self.deadlines_for(detail, progress) if d.key == "handling"), None
                )
                items.append(
                    ExportItem(
                        service_request_id=(row["details"] or {})
                        .get("open311", {})
                        .get("service_request_id")
                        or row["reference"],
                        detail=detail,
                        status="open" if Status(row["status"]).is_open else "closed",
                        status_notes=progress.reply.text if progress.reply else "",
                        updated_at=row["updated_at"],
                        expected_at=handling.due_at if handling else None,
                    )
                )
        records = export_service_requests(items, self.rules.open311, unmasked=unmasked)
        if unmasked:
            with self.desk.context.unit_of_work(Permission.READ, now=now) as uow:
                uow.audit(
                    "petition.export_unmasked",
                    "case",
                    ",".join(str(i) for i in ids)[:64],
                    {"case_ids": ids, "reason": reason},
                )
        return records
