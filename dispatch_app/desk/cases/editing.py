"""Editing a case's fields, and the refusals around the fields other modules own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dispatch_app.desk.audit_values import jsonable
from dispatch_app.desk.cases.base import case_view
from dispatch_app.desk.cases.opening import foreign_key_error
from dispatch_app.desk.cases.queries import CaseQueries
from dispatch_app.desk.conflicts import stale_case, update_case_returning
from dispatch_app.desk.views import CaseView
from dispatch_app.domain.case_details import (
    carry_foreign_keys,
    foreign_key_changed,
    mask_personal_data,
    masked_case_values,
    owns_due_times,
    unmask_text_edits,
)
from dispatch_app.domain.cases import (
    EDITABLE_FIELDS,
    CaseDraft,
    CaseKind,
    EmergencyLevel,
    validate_draft,
)
from dispatch_app.domain.deadlines import due_times, sort_key
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Permission, require
from dispatch_app.domain.workflow import edit_refusal
from dispatch_app.store import case_records


class CaseEditing(CaseQueries):
    """The edit use cases of ``Desk`` (mixed into it)."""

    def edit_case(
        self, case_id: int, expected_version: int, changes: Mapping[str, Any]
    ) -> CaseView:
        """Change fields of a case edited from ``expected_version``.

        A stale version raises CaseConflict with the case as it is now (``theirs_case``) and
        ``changes`` (``yours``), and writes nothing. Changing the priority recomputes the
        deadlines (not a petition's statutory ones); changing an emergency's level needs a shift leader.
        """
        uow = self.context.unit_of_work(Permission.WORK_CASES)
        actor, now = uow.actor, uow.now
        unknown = sorted(set(changes) - EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(
                unknown[0],
                "error.field_not_editable",
                f"field {unknown[0]!r} cannot be edited",
                f"字段“{unknown[0]}”不可修改",
            )
        with uow:
            conn = uow.conn
            row = case_records.get_case(conn, case_id)
            finished = edit_refusal(row["status"], actor.role)
            if finished is not None:
                raise finished
            if expected_version != row["version"]:
                raise stale_case(conn, case_id, expected_version, changes)
            current = CaseView.from_row(row)
            edits = self._keep_foreign_details(row, unmask_text_edits(row, changes))
            draft = CaseDraft(
                kind=current.kind,
                title=current.title,
                district=current.district,
                priority=current.priority,
                source=current.source,
                description=current.description,
                address=current.address,
                lon=current.lon,
                lat=current.lat,
                enterprise_name=current.enterprise_name,
                credit_code=current.credit_code,
                details=current.details,
            )
            clean = validate_draft(replace(draft, **edits))
            old_level = current.details.get("emergency_level")
            new_level = clean.details.get("emergency_level")
            if old_level != new_level:
                if current.kind is not CaseKind.EMERGENCY:
                    raise ValidationError(
                        "emergency_level",
                        "error.level_not_emergency",
                        "only emergencies have a level",
                        "只有突发环境事件有事件级别",
                    )
                require(actor.role, Permission.SET_EMERGENCY_LEVEL)
                raise _level_elsewhere()
            diff: dict[str, Any] = {}
            for name in EDITABLE_FIELDS:
                old = getattr(current, name)
                new = getattr(clean, name)
                if old != new:
                    diff[name] = new.value if hasattr(new, "value") else new
            if not diff:
                return case_view(row)
            values: dict[str, Any] = dict(diff, updated_at=now, updated_by=actor.username)
            if "priority" in diff and not owns_due_times(current.kind.value, current.details):
                response_due, resolution_due = due_times(
                    self.rules,
                    current.kind,
                    clean.priority,
                    current.clock_started_at or current.created_at,
                )
                values["response_due_at"] = response_due
                values["resolution_due_at"] = resolution_due
                values["due_at"] = sort_key(current.status, response_due, resolution_due)
            written = update_case_returning(conn, case_id, expected_version, values, changes)
            version = int(written["version"])
            before = {
                k: (
                    getattr(current, k).value
                    if hasattr(getattr(current, k), "value")
                    else getattr(current, k)
                )
                for k in diff
            }
            after = diff
            if current.kind is CaseKind.PETITION:
                # The timeline and the audit log keep no petitioner's number in full.
                before, after = mask_personal_data(before), mask_personal_data(diff)
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "edit",
                    "text": None,
                    "data": jsonable({"before": before, "after": after}),
                },
            )
            uow.audit(
                "case.edit",
                "case",
                case_id,
                jsonable({"before": before, "after": after, "version": version}),
            )
            uow.changed("case", case_id, version, "edit")
            view = case_view(written)
        return view

    @staticmethod
    def _keep_foreign_details(row: Mapping[Any, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
        """``changes`` with the details keys other modules own carried over from the database.

        Changing one of them here would bypass that module's rules and records (a petition's
        statutory progress, an emergency's detail, an alarm's link), so it is refused, naming
        the key; leaving one out, or sending back the masked value a view showed, keeps it.
        """
        edits = dict(changes)
        submitted = edits.get("details")
        if not isinstance(submitted, Mapping):
            return edits  # validate_draft refuses a non-object with its own message
        stored = dict(row["details"] or {})
        shown = masked_case_values(row)["details"]
        key = foreign_key_changed(submitted, stored, shown)
        if key is not None:
            raise foreign_key_error(key)
        edits["details"] = carry_foreign_keys(submitted, stored)
        return edits

    def set_emergency_level(
        self, case_id: int, level: EmergencyLevel | str, expected_version: int
    ) -> CaseView:
        """Refused: an emergency's level is decided with a reason through
        ``EmergencyDesk.decide_level``, which keeps the level history (who, when, the figures,
        the proposal it followed or departed from). One place for that rule; a generic path
        beside it would change the level with no reason and no history.

        Raises PermissionDenied below a shift leader, ValidationError(``emergency_level``)
        for a case that is not an emergency, and otherwise ValidationError
        (``error.level_via_emergency_desk``) naming the place to do it.
        """
        self.context.actor(Permission.SET_EMERGENCY_LEVEL)
        case = self.get_case(case_id)
        if case.kind is not CaseKind.EMERGENCY:
            raise ValidationError(
                "emergency_level",
                "error.level_not_emergency",
                "only emergencies have a level",
                "只有突发环境事件有事件级别",
            )
        raise _level_elsewhere()


def _level_elsewhere() -> ValidationError:
    return ValidationError(
        "emergency_level",
        "error.level_via_emergency_desk",
        "an emergency's level is decided with a reason in the emergency panel "
        "(EmergencyDesk.decide_level), which keeps the level history",
        "事件级别须在突发环境事件面板中定级并填写理由（保留定级记录）",
    )
