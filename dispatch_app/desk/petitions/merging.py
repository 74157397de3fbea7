"""Merging a repeated petition into its master, and undoing it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError

from dispatch_app.desk.conflicts import update_case
from dispatch_app.desk.petitions.base import PetitionDeskBase
from dispatch_app.desk.petitions.values import (
    MERGE_KEY,
    PetitionView,
)
from dispatch_app.desk.unit_of_work import UnitOfWork
from dispatch_app.desk.views import UserView
from dispatch_app.domain.cases import (
    Status,
    validate_note,
)
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records, petition_records


class PetitionMerging(PetitionDeskBase):
    """Merging of ``PetitionDesk`` (mixed into it)."""

    def merge(self, case_id: int, into_case_id: int, reason: str) -> PetitionView:
        """Merge the repeat petition ``case_id`` into the master ``into_case_id``.

        One transaction: the link, both cases' details and deadline columns, a timeline entry
        on each, one audit entry, change rows for both. Refused when the master is itself
        merged, when the repeat is already merged or is a master of others, or when either is
        not a petition. Two desks merging the same two cases in opposite directions cannot
        both succeed: the rows are locked in id order before the checks (PostgreSQL) or the
        write transaction is exclusive (SQLite), and the database allows one active merge per
        case.
        """
        uow = self.desk.context.unit_of_work(Permission.MERGE)
        actor = uow.actor
        reason = validate_note(reason, "reason", "并案理由")
        if case_id == into_case_id:
            raise ValidationError(
                "into_case_id",
                "error.merge_self",
                "a petition cannot be merged into itself",
                "不能将信访事项并入其自身",
            )
        now = uow.now
        with uow:
            conn = uow.conn
            petition_records.lock_cases(conn, (case_id, into_case_id))
            dup = case_records.get_case(conn, case_id)
            master = case_records.get_case(conn, into_case_id)
            self._require_petition(dup)
            self._require_petition(master)
            if petition_records.merged_into(conn, into_case_id) is not None:
                raise IllegalTransition(
                    "error.merge_target_merged",
                    f"{master['reference']} is itself merged into another petition; "
                    "merge into that master instead",
                    f"{master['reference']}本身已并入其他信访事项，请并入其主件",
                    target=into_case_id,
                )
            already = petition_records.merged_into(conn, case_id)
            if already is not None:
                raise IllegalTransition(
                    "error.merge_already",
                    f"{dup['reference']} is already merged; unmerge it first",
                    f"{dup['reference']}已并案，请先撤销并案",
                    master=already,
                )
            own = petition_records.duplicates_of(conn, case_id)
            if own:
                raise IllegalTransition(
                    "error.merge_master_has_repeats",
                    f"{dup['reference']} is the master of {len(own)} merged petitions; "
                    "merge the other way round or unmerge them first",
                    f"{dup['reference']}已是{len(own)}件重复信访的主件，请反向并案或先撤销",
                    repeats=len(own),
                )
            try:
                with conn.begin_nested():
                    merge_id = petition_records.insert_merge(
                        conn,
                        {
                            "case_id": case_id,
                            "master_case_id": into_case_id,
                            "merged_at": now,
                            "merged_by": actor.username,
                            "reason": reason,
                        },
                    )
            except IntegrityError:
                raise IllegalTransition(
                    "error.merge_race",
                    f"{dup['reference']} was merged by another desk at the same moment",
                    f"{dup['reference']}刚被其他席位并案",
                ) from None
            repeats = len(petition_records.duplicates_of(conn, into_case_id))
            self._write_merge_state(
                uow,
                dup,
                {"merged_into": into_case_id, "master_reference": master["reference"]},
                merged=True,
                actor=actor,
                now=now,
                action="merge",
                text=f"并入{master['reference']}：{reason}",
            )
            self._write_merge_state(
                uow,
                master,
                {"repeat_count": repeats},
                merged=False,
                actor=actor,
                now=now,
                action="merge",
                text=f"{dup['reference']}作为重复信访并入本件（重复{repeats}次）：{reason}",
            )
            uow.audit(
                "petition.merge",
                "case",
                into_case_id,
                {
                    "merge_id": merge_id,
                    "case_id": case_id,
                    "reference": dup["reference"],
                    "master_case_id": into_case_id,
                    "master_reference": master["reference"],
                    "reason": reason,
                    "repeat_count": repeats,
                },
            )
            view = self._view(conn, into_case_id, now)
        return view

    def unmerge(self, case_id: int, reason: str) -> PetitionView:
        """Undo the merge of ``case_id`` (with a reason); its own deadlines govern again."""
        uow = self.desk.context.unit_of_work(Permission.MERGE)
        actor = uow.actor
        reason = validate_note(reason, "reason", "撤销并案理由")
        now = uow.now
        with uow:
            conn = uow.conn
            link = petition_records.active_merge_of(conn, case_id)
            if link is None:
                row = case_records.get_case(conn, case_id)
                raise IllegalTransition(
                    "error.unmerge_not_merged",
                    f"{row['reference']} is not merged",
                    f"{row['reference']}未并案",
                )
            master_id = int(link["master_case_id"])
            petition_records.lock_cases(conn, (case_id, master_id))
            # Read again under the lock: another desk may have unmerged it meanwhile.
            locked = petition_records.active_merge_of(conn, case_id)
            if locked is None or int(locked["id"]) != int(link["id"]):
                raise IllegalTransition(
                    "error.unmerge_race",
                    "the merge was changed by another desk at the same moment; look again",
                    "并案状态刚被其他席位修改，请刷新后重试",
                )
            petition_records.end_merge(conn, int(link["id"]), now, actor.username, reason)
            dup = case_records.get_case(conn, case_id)
            master = case_records.get_case(conn, master_id)
            repeats = len(petition_records.duplicates_of(conn, master_id))
            self._write_merge_state(
                uow,
                dup,
                None,
                merged=False,
                actor=actor,
                now=now,
                action="unmerge",
                text=f"撤销并入{master['reference']}：{reason}",
            )
            self._write_merge_state(
                uow,
                master,
                {"repeat_count": repeats} if repeats else None,
                merged=False,
                actor=actor,
                now=now,
                action="unmerge",
                text=f"{dup['reference']}撤销并案（重复{repeats}次）：{reason}",
            )
            uow.audit(
                "petition.unmerge",
                "case",
                case_id,
                {
                    "merge_id": int(link["id"]),
                    "case_id": case_id,
                    "master_case_id": master_id,
                    "reason": reason,
                    "repeat_count": repeats,
                },
            )
            view = self._view(conn, case_id, now)
        return view

    def _write_merge_state(
        self,
        uow: UnitOfWork,
        row: RowMapping,
        state: Mapping[str, Any] | None,
        *,
        merged: bool,
        actor: UserView,
        now: datetime,
        action: str,
        text: str,
    ) -> int:
        conn = uow.conn
        details = dict(row["details"] or {})
        if state is None:
            details.pop(MERGE_KEY, None)
        else:
            details[MERGE_KEY] = dict(state)
        detail, progress = self._read(row)
        values: dict[str, Any] = {
            "details": details,
            "updated_at": now,
            "updated_by": actor.username,
            **self._due_columns(
                Status(row["status"]), self.deadlines_for(detail, progress), merged
            ),
        }
        version = update_case(conn, int(row["id"]), int(row["version"]), values, {"action": action})
        case_records.append_timeline(
            conn,
            int(row["id"]),
            {
                "at": now,
                "actor": actor.username,
                "entry_kind": "petition",
                "action": action,
                "text": text,
                "data": {MERGE_KEY: state},
            },
        )
        uow.changed("case", int(row["id"]), version, action)
        return version
