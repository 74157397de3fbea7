"""Opening a case: the one way every module writes a new case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from dispatch_app.desk.audit_values import jsonable
from dispatch_app.desk.cases.base import DeskBase, case_view
from dispatch_app.desk.events import Changed
from dispatch_app.desk.views import CaseView
from dispatch_app.domain.case_details import (
    FOREIGN_DETAIL_KEYS,
    OWNER_NAMES_ZH,
)
from dispatch_app.domain.cases import (
    CaseDraft,
    CaseKind,
    Status,
    validate_draft,
)
from dispatch_app.domain.deadlines import due_times, sort_key
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.reference import format_reference, reference_year, sequence_name
from dispatch_app.domain.roles import Permission
from dispatch_app.store import case_records
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import record_change

# What a module's case.create audit entry names of the row beside its own facts.
_AUDIT_SUMMARY = ("reference", "kind", "title", "district", "priority")


class CaseOpening(DeskBase):
    """Opening cases (mixed into ``Desk``)."""

    def create_case(self, draft: CaseDraft) -> CaseView:
        """Validate and open a case; it gets the next reference number of the year."""
        uow = self.context.unit_of_work(Permission.WORK_CASES)
        clean = validate_draft(draft)
        foreign = next((k for k in FOREIGN_DETAIL_KEYS if k in clean.details), None)
        if foreign is not None:
            # Those modules open their cases themselves, with their own records beside them.
            raise foreign_key_error(foreign)
        if (
            clean.details.get("emergency_level") is not None
            and clean.kind is not CaseKind.EMERGENCY
        ):
            raise ValidationError(
                "emergency_level",
                "error.level_not_emergency",
                "only emergencies have a level",
                "只有突发环境事件有事件级别",
            )
        with uow:
            case_id, _ = self.insert_case(uow.conn, clean, uow.actor.username, uow.now)
            view = case_view(case_records.get_case(uow.conn, case_id))
            # insert_case wrote the audit entry and the change row (its callers in the other
            # modules share it); the unit of work announces the case after commit.
            uow.publish_after_commit(Changed("case", case_id, 1, "create", local=True))
        return view

    def insert_case(
        self,
        conn: Connection,
        draft: CaseDraft,
        actor_name: str,
        now: datetime,
        *,
        clock_started_at: datetime | None = None,
        due: Mapping[str, datetime] | None = None,
        timeline_text: str | None = None,
        timeline_data: Mapping[str, Any] | None = None,
        audit_extra: Mapping[str, Any] | None = None,
    ) -> tuple[int, str]:
        """Write a new case from a validated ``draft`` on the caller's connection, inside its
        transaction, and return its id and reference: the one way every module opens a case.

        The row (status new, version 1, the next reference of the year), its 'created'
        timeline entry, its ``case.create`` audit entry and its change-feed row are written
        together; the caller writes what is its own beside them and publishes after commit.
        ``clock_started_at`` defaults to ``now``; ``due`` (response_due_at, resolution_due_at,
        due_at) to the kind's rules. The audit entry records every column but the times, or,
        when the module gives ``audit_extra``, the reference, kind, title, district and
        priority with those facts of its own.
        """
        if due is None:
            response_due, resolution_due = due_times(self.rules, draft.kind, draft.priority, now)
            due = {
                "response_due_at": response_due,
                "resolution_due_at": resolution_due,
                "due_at": sort_key(Status.NEW, response_due, resolution_due),
            }
        year = reference_year(now)
        reference = format_reference(
            year, case_records.next_sequence_value(conn, sequence_name(year))
        )
        values: dict[str, Any] = {
            "reference": reference,
            "kind": draft.kind.value,
            "status": Status.NEW.value,
            "priority": draft.priority.value,
            "title": draft.title,
            "description": draft.description,
            "district": draft.district.value,
            "address": draft.address,
            "lon": draft.lon,
            "lat": draft.lat,
            "source": draft.source.value,
            "enterprise_name": draft.enterprise_name,
            "credit_code": draft.credit_code,
            "details": draft.details,
            "unit_id": None,
            "closure_code": None,
            "created_at": now,
            "created_by": actor_name,
            "clock_started_at": now if clock_started_at is None else clock_started_at,
            "updated_at": now,
            "updated_by": actor_name,
            "response_due_at": due["response_due_at"],
            "resolution_due_at": due["resolution_due_at"],
            "due_at": due["due_at"],
        }
        case_id = case_records.insert_case(conn, values)
        case_records.append_timeline(
            conn,
            case_id,
            {
                "at": now,
                "actor": actor_name,
                "entry_kind": "created",
                "to_status": Status.NEW.value,
                "text": timeline_text,
                "data": None if timeline_data is None else dict(timeline_data),
            },
        )
        if audit_extra is None:
            audit = {k: v for k, v in values.items() if not k.endswith("_at")}
        else:
            audit = {k: values[k] for k in _AUDIT_SUMMARY} | dict(audit_extra)
        append_audit(conn, now, actor_name, "case.create", "case", case_id, jsonable(audit))
        record_change(conn, now, "case", case_id, 1, "create", self.origin)
        return case_id, reference


def foreign_key_error(key: str) -> ValidationError:
    owner = FOREIGN_DETAIL_KEYS[key]
    return ValidationError(
        f"details.{key}",
        "error.details_key_owned",
        f"details.{key} is kept by the {owner} module and cannot be set or changed by a "
        "generic case write; use that module's own actions",
        f"详情字段“{key}”由{OWNER_NAMES_ZH[owner]}模块维护，不能在通用事项操作中填写或修改，"
        "请使用该模块的操作",
        owner=owner,
    )
