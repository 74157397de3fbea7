"""The statutory steps of a petition: decision, notice, contact, extension, reply, callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.conflicts import stale_case, update_case
from dispatch_app.desk.petitions.base import PetitionDeskBase
from dispatch_app.desk.petitions.values import (
    REPLY_CHANNELS,
    PetitionView,
    _Change,
)
from dispatch_app.desk.views import UserView
from dispatch_app.domain.cases import (
    Status,
    validate_note,
)
from dispatch_app.domain.errors import IllegalTransition, ValidationError
from dispatch_app.domain.masking import (
    mask_free_text,
)
from dispatch_app.domain.petition_deadlines import (
    PetitionClock,
    check_extension,
)
from dispatch_app.domain.petitions import (
    DETAILS_KEY,
    PROGRESS_KEY,
    Callback,
    Decision,
    Extension,
    PetitionDetail,
    PetitionProgress,
    Reply,
    Satisfaction,
    Stage,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.domain.workflow import Action, check_transition
from dispatch_app.store import case_records, petition_records


class StatutorySteps(PetitionDeskBase):
    """The statutory steps of ``PetitionDesk`` (mixed into it)."""

    def _apply(
        self,
        case_id: int,
        expected_version: int | None,
        change: Callable[
            [RowMapping, PetitionDetail, PetitionProgress, UserView, datetime], _Change
        ],
        permission: Permission = Permission.WORK_CASES,
    ) -> PetitionView:
        uow = self.desk.context.unit_of_work(permission)
        actor, now = uow.actor, uow.now
        with uow:
            conn = uow.conn
            row = case_records.get_case(conn, case_id)
            self._require_petition(row)
            if expected_version is not None and expected_version != row["version"]:
                raise stale_case(conn, case_id, expected_version, {"petition": "step"})
            detail, progress = self._read(row)
            ch = change(row, detail, progress, actor, now)
            details = dict(row["details"] or {})
            details[PROGRESS_KEY] = ch.progress.to_details()
            if ch.detail is not None:
                details[DETAILS_KEY] = ch.detail.to_details()
            values: dict[str, Any] = {
                "details": details,
                "updated_at": now,
                "updated_by": actor.username,
                **ch.values,
            }
            status = Status(values.get("status", row["status"]))
            merged = petition_records.merged_into(conn, case_id) is not None
            values.update(
                self._due_columns(status, self.deadlines_for(detail, ch.progress), merged)
            )
            version = update_case(conn, case_id, int(row["version"]), values, ch.audit)
            if ch.transition is not None:
                t_action, from_status, note = ch.transition
                case_records.append_timeline(
                    conn,
                    case_id,
                    {
                        "at": now,
                        "actor": actor.username,
                        "entry_kind": "transition",
                        "action": t_action,
                        "from_status": from_status,
                        "to_status": status.value,
                        "text": note,
                        "data": None,
                    },
                )
            case_records.append_timeline(
                conn,
                case_id,
                {
                    "at": now,
                    "actor": actor.username,
                    "entry_kind": "petition",
                    "action": ch.action,
                    "text": ch.text,
                    "data": ch.audit,
                },
            )
            uow.audit(
                f"petition.{ch.action}",
                "case",
                case_id,
                {**ch.audit, "version": version},
            )
            uow.changed("case", case_id, version, ch.action)
            view = self._view(conn, case_id, now)
        return view

    def _when(self, at: datetime | None, now: datetime, field_name: str) -> datetime:
        """An officer may record a step done earlier (a letter posted yesterday), never later."""
        if at is None:
            return now
        if at.tzinfo is None:
            raise ValidationError(
                field_name, "error.time_naive", f"{field_name} needs a time zone", "时间缺少时区"
            )
        if at > now + timedelta(minutes=10):
            raise ValidationError(
                field_name,
                "error.time_future",
                f"{field_name} is in the future",
                "时间晚于当前时间",
            )
        return at

    def record_decision(
        self,
        case_id: int,
        decision: Decision | str,
        *,
        note: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> PetitionView:
        """Accept, transfer, assign or not accept (Art. 22/23). Acceptance starts the 60 days."""
        try:
            choice = Decision(decision)
        except ValueError:
            raise ValidationError(
                "decision",
                "error.field_choice",
                f"decision {decision!r} is not one of accept, transfer, assign, not_accepted",
                "办理决定无效",
            ) from None
        if choice is Decision.NOT_ACCEPTED and not note.strip():
            raise ValidationError(
                "note",
                "error.field_empty",
                "a petition not accepted needs the reason told to the petitioner",
                "不予受理须说明理由",
            )

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            if d.stage is not Stage.ORIGINAL:
                raise IllegalTransition(
                    "error.decision_stage",
                    "a review or second review has no acceptance decision",
                    "复查/复核事项无需受理决定",
                )
            if p.decision is not None:
                raise IllegalTransition(
                    "error.decision_made",
                    f"the decision ({p.decision.value}) has already been recorded",
                    f"已作出办理决定（{p.decision.name_zh}）",
                )
            when = self._when(at, now, "at")
            if when < d.received_at:
                raise ValidationError(
                    "at",
                    "error.time_order",
                    "the decision cannot precede the receipt",
                    "决定时间早于收件时间",
                )
            clean = mask_free_text(note.strip())
            return _Change(
                replace(p, decision=choice, decided_at=when),
                "decision",
                f"办理决定：{choice.name_zh}" + (f"（{clean}）" if clean else ""),
                {"decision": choice.value, "at": iso(when), "note": clean},
            )

        return self._apply(case_id, expected_version, change)

    def record_notice(
        self, case_id: int, *, at: datetime | None = None, expected_version: int | None = None
    ) -> PetitionView:
        """The written notice to the petitioner (书面告知, within 15 days of receipt)."""

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            if p.notified_at is not None:
                raise IllegalTransition(
                    "error.notice_sent",
                    "the written notice has already been recorded",
                    "已登记书面告知",
                )
            when = self._when(at, now, "at")
            return _Change(
                replace(p, notified_at=when), "notice", "已书面告知信访人", {"at": iso(when)}
            )

        return self._apply(case_id, expected_version, change)

    def record_contact(
        self,
        case_id: int,
        *,
        note: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> PetitionView:
        """First contact with the petitioner (meets the hotline callback target)."""

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            when = self._when(at, now, "at")
            first = p.contacted_at or when
            clean = mask_free_text(note.strip())
            return _Change(
                replace(p, contacted_at=first),
                "contact",
                "已联系信访人" + (f"：{clean}" if clean else ""),
                {"at": iso(when), "note": clean},
            )

        return self._apply(case_id, expected_version, change)

    def approve_extension(
        self, case_id: int, days: int, reason: str, *, expected_version: int | None = None
    ) -> PetitionView:
        """The one extension of the handling period (≤ 30 days), approved by the logged-in
        shift leader with a reason (Art. 34)."""

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            clock = PetitionClock(d.channel, d.stage, d.received_at, p)
            ext = check_extension(
                clock,
                Extension(days, reason, u.display_name or u.username, now),
                self.rules.deadlines,
                u.role.value,
                now,
            )
            return _Change(
                replace(p, extension=ext),
                "extension",
                f"办理期限延长{ext.days}日（{ext.approved_by}批准）：{mask_free_text(ext.reason)}",
                {"days": ext.days, "reason": mask_free_text(ext.reason), "approved_by": u.username},
            )

        return self._apply(case_id, expected_version, change)

    def record_reply(
        self,
        case_id: int,
        text: str,
        channel: str,
        *,
        sent_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> PetitionView:
        """The reply (答复意见) sent to the petitioner: text, time sent and channel."""
        body = validate_note(text, "text", "答复内容")
        if channel not in REPLY_CHANNELS:
            raise ValidationError(
                "channel",
                "error.field_choice",
                f"reply channel {channel!r} is not one of: {', '.join(REPLY_CHANNELS)}",
                "答复方式无效",
            )

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            if p.reply is not None:
                raise IllegalTransition(
                    "error.reply_sent",
                    "a reply has already been recorded; a dissatisfied callback reopens it",
                    "已登记答复意见",
                )
            if d.stage is Stage.ORIGINAL and p.decision not in (Decision.ACCEPT, None):
                raise IllegalTransition(
                    "error.reply_not_accepted",
                    "a petition transferred, assigned or not accepted is not replied to here",
                    "已转送、交办或不予受理的事项不在此答复",
                )
            when = self._when(sent_at, now, "sent_at")
            return _Change(
                replace(p, reply=Reply(body, when, channel)),
                "reply",
                f"答复意见已发送（{channel}）：{mask_free_text(body)}",
                {"sent_at": iso(when), "channel": channel, "text": mask_free_text(body)},
            )

        return self._apply(case_id, expected_version, change)

    def record_callback(
        self,
        case_id: int,
        result: Satisfaction | str,
        *,
        notes: str = "",
        reopen: bool = False,
        expected_version: int | None = None,
    ) -> PetitionView:
        """The satisfaction callback after the reply. A dissatisfied result with ``reopen``
        sets the reply aside (its handling deadline runs again) and, when the case was
        resolved or closed, reopens it: shift leader, in the same transaction."""
        try:
            outcome = Satisfaction(result)
        except ValueError:
            raise ValidationError(
                "result",
                "error.field_choice",
                f"callback result {result!r} is not satisfied, basically_satisfied or dissatisfied",
                "回访结果无效",
            ) from None
        if reopen and outcome is not Satisfaction.DISSATISFIED:
            raise ValidationError(
                "reopen",
                "error.reopen_satisfied",
                "only a dissatisfied callback reopens a petition",
                "仅不满意的回访可重新办理",
            )
        if reopen and not notes.strip():
            raise ValidationError(
                "notes",
                "error.field_empty",
                "say why the petitioner is dissatisfied before reopening",
                "重新办理须填写不满意原因",
            )
        permission = Permission.REOPEN if reopen else Permission.WORK_CASES

        def change(
            row: RowMapping, d: PetitionDetail, p: PetitionProgress, u: UserView, now: datetime
        ) -> _Change:
            if p.reply is None:
                raise IllegalTransition(
                    "error.callback_no_reply",
                    "a satisfaction callback follows the reply; no reply is recorded",
                    "尚未答复，无法回访",
                )
            clean = mask_free_text(notes.strip())
            progress = replace(
                p,
                callbacks=(*p.callbacks, Callback(outcome, now, notes.strip(), u.username)),
            )
            values: dict[str, Any] = {}
            transition: tuple[str, str, str | None] | None = None
            text = f"满意度回访：{outcome.name_zh}" + (f"（{clean}）" if clean else "")
            if reopen:
                progress = replace(
                    progress, reply=None, earlier_replies=(*p.earlier_replies, p.reply)
                )
                status = Status(row["status"])
                if status in (Status.RESOLVED, Status.CLOSED):
                    t = check_transition(status, Action.REOPEN, u.role, note=notes)
                    values = {"status": t.to_status.value, "closure_code": None}
                    transition = (Action.REOPEN.value, status.value, t.note)
                text += "；重新办理"
            return _Change(
                progress,
                "callback",
                text,
                {"result": outcome.value, "notes": clean, "reopen": reopen},
                values,
                transition,
            )

        return self._apply(case_id, expected_version, change, permission)
