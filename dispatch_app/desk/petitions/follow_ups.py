"""Follow-up requests and a petition's attachments."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.conflicts import update_case
from dispatch_app.desk.events import Changed
from dispatch_app.desk.petitions.intake import PetitionIntake
from dispatch_app.desk.petitions.steps import StatutorySteps
from dispatch_app.desk.petitions.values import (
    PetitionView,
    _Change,
)
from dispatch_app.desk.views import UserView
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.masking import (
    mask_free_text,
)
from dispatch_app.domain.petition_deadlines import (
    PetitionClock,
    check_follow_up,
)
from dispatch_app.domain.petitions import (
    PROGRESS_KEY,
    Attachment,
    PetitionDetail,
    PetitionProgress,
    validate_petition,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records, petition_records


class FollowUps(PetitionIntake, StatutorySteps):
    """Follow-ups and attachments of ``PetitionDesk`` (mixed into it)."""

    def request_follow_up(
        self, case_id: int, *, requested_at: datetime | None = None, note: str = ""
    ) -> PetitionView:
        """Open the 复查 (after the reply) or 复核 (after the review opinion) the petitioner
        asked for, as a linked case with its own 30-day deadline. Refused after 复核 (Art.
        36), before the reply, after the 30-day window, or when one was already opened."""
        uow = self.desk.context.unit_of_work(Permission.WORK_CASES)
        actor, now = uow.actor, uow.now
        when = self._when(requested_at, now, "requested_at")
        with uow:
            conn = uow.conn
            petition_records.lock_cases(conn, (case_id,))
            row = case_records.get_case(conn, case_id)
            self._require_petition(row)
            detail, progress = self._read(row)
            clock = PetitionClock(detail.channel, detail.stage, detail.received_at, progress)
            stage = check_follow_up(clock, when, self.rules.deadlines)
            follow = replace(detail, stage=stage, received_at=when, attachments=(), external_ref="")
            new_id = self._insert_case(
                conn,
                follow,
                PetitionProgress(),
                row["district"],
                row["priority"],
                f"{stage.name_zh}：{row['title']}"[:200],
                actor,
                now,
            )
            # Desk.insert_case wrote its audit entry and change row; announced first.
            uow.publish_after_commit(Changed("case", new_id, 1, "create", local=True))
            try:
                with conn.begin_nested():
                    petition_records.insert_follow_up(
                        conn,
                        {
                            "case_id": case_id,
                            "follow_up_case_id": new_id,
                            "stage": stage.value,
                            "requested_at": when,
                            "created_at": now,
                            "created_by": actor.username,
                        },
                    )
            except IntegrityError:
                raise IllegalTransition(
                    "error.follow_up_exists",
                    "a follow-up was opened from this case at the same moment by another desk",
                    "其他席位刚为该事项登记了复查/复核",
                ) from None
            details = dict(row["details"] or {})
            details[PROGRESS_KEY] = replace(progress, follow_up_requested_at=when).to_details()
            version = update_case(
                conn,
                case_id,
                int(row["version"]),
                {"details": details, "updated_at": now, "updated_by": actor.username},
                {"follow_up": stage.value},
            )
            new_ref = case_records.get_case(conn, new_id)["reference"]
            clean = mask_free_text(note.strip())
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "petition",
                    "action": "follow_up",
                    "text": f"信访人申请{stage.name_zh}，已登记为{new_ref}"
                    + (f"：{clean}" if clean else ""),
                    "data": {"follow_up_case_id": new_id, "stage": stage.value},
                },
            )
            uow.audit(
                "petition.follow_up",
                "case",
                case_id,
                {
                    "follow_up_case_id": new_id,
                    "reference": new_ref,
                    "stage": stage.value,
                    "requested_at": iso(when),
                    "note": clean,
                },
            )
            uow.changed("case", case_id, version, "follow_up")
            view = self._view(conn, new_id, now)
        return view

    # ------------------------------------------------------------------ attachments

    def store_attachment(self, path: Path, name: str | None = None) -> Attachment:
        """Copy a photo or document into the attachment store; include the returned metadata
        in the detail given to `intake` (files are stored before the case exists)."""
        self.desk.context.actor(Permission.WORK_CASES)
        return self.attachments.add(path, name)

    def add_attachment(
        self,
        case_id: int,
        path: Path,
        *,
        name: str | None = None,
        expected_version: int | None = None,
    ) -> PetitionView:
        """Attach a file to a registered petition (stored, hashed, listed on the case)."""
        stored = self.store_attachment(path, name)

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            updated = validate_petition(replace(d, attachments=(*d.attachments, stored)))
            return _Change(
                p,
                "attachment",
                f"添加附件：{stored.name}",
                {"name": stored.name, "sha256": stored.sha256, "size_bytes": stored.size_bytes},
                detail=updated,
            )

        return self._apply(case_id, expected_version, change)

    def attachment_path(self, case_id: int, index: int) -> Path:
        """The stored file of the case's ``index``-th attachment, verified against its hash."""
        self.desk.context.actor(Permission.READ)
        with self.desk.store.read() as conn:
            row = case_records.get_case(conn, case_id)
            self._require_petition(row)
            detail, _ = self._read(row)
        if not 0 <= index < len(detail.attachments):
            raise ValidationError(
                "attachment",
                "error.attachment_index",
                f"the case has {len(detail.attachments)} attachments; no number {index}",
                "附件不存在",
            )
        return self.attachments.open_path(detail.attachments[index])
