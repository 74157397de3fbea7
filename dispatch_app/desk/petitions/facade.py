"""Petition use cases (环境信访): intake, statutory steps, duplicates and merging, reply and
callback, follow-ups, audited unmasking, reminders, Open311 interchange.

Built beside the foundation's `Desk` on the same store: every write is one transaction that
holds the case update, its timeline entry, its audit entry and its change-feed row (the same
discipline as `Desk`), and is published on ``desk.events`` after commit.

A petition's statutory and local deadlines (dispatch_app.domain.petition_deadlines) are written
into the case row's ``response_due_at``/``resolution_due_at``/``due_at`` as the earliest unmet
obligation, so the one queue sorts petitions by their real next deadline and its overdue
filter catches an overdue hotline callback as surely as an overdue handling period.

Personal data: every view this module returns carries the petitioner masked; the only way to
the full phone and ID is `reveal_petitioner`, which writes an audit entry (also when refused).
Audit payloads and timeline entries never contain the full phone or ID.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.conflicts import stale_case, update_case
from dispatch_app.desk.desk import Desk
from dispatch_app.desk.events import Changed
from dispatch_app.desk.registry import default_resources_dir
from dispatch_app.desk.views import CaseView, UserView
from dispatch_app.domain.cases import (
    CaseDraft,
    CaseKind,
    CaseSource,
    Priority,
    Status,
    validate_draft,
    validate_note,
)
from dispatch_app.domain.deadlines import NO_DEADLINE, sort_key
from dispatch_app.domain.districts import District
from dispatch_app.domain.duplicates import (
    DuplicateCandidate,
    DuplicateSettings,
    MatchReason,
    duplicate_settings_from_toml,
    find_duplicates,
)
from dispatch_app.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from dispatch_app.domain.masking import (
    PetitionerView,
    PrivacyPolicy,
    mask_free_text,
    mask_id_number,
    mask_phone,
    petitioner_view,
    privacy_policy_from_toml,
)
from dispatch_app.domain.open311 import (
    ExportItem,
    Open311Settings,
    RejectedRecord,
    export_service_requests,
    import_service_requests,
    open311_settings_from_toml,
)
from dispatch_app.domain.petition_deadlines import (
    Deadline,
    DeadlineRules,
    DeadlineState,
    PetitionClock,
    RulesError,
    check_extension,
    check_follow_up,
    deadline_rules_from_toml,
    deadline_state,
    most_urgent,
    petition_deadlines,
    reminders_due,
)
from dispatch_app.domain.petitions import (
    DETAILS_KEY,
    PROGRESS_KEY,
    Attachment,
    Callback,
    Channel,
    Decision,
    Extension,
    PetitionDetail,
    Petitioner,
    PetitionProgress,
    Reply,
    Satisfaction,
    Stage,
    detail_from_case,
    normalize_phone,
    petition_title,
    progress_from_details,
    validate_petition,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.domain.workcalendar import CalendarError, WorkCalendar, parse_holidays_toml
from dispatch_app.domain.workflow import Action, check_transition
from dispatch_app.store import case_records, petition_records
from dispatch_app.store.audit_records import append_audit
from dispatch_app.store.change_feed import record_change
from dispatch_app.store.petition_attachments import AttachmentStore, default_attachments_dir
from dispatch_app.store.queue import OPEN_STATUSES

MERGE_KEY = "petition_merge"  # details["petition_merge"]: merged_into / repeat_count
# Records imported from a platform reach the desk some time after they were received; the
# duplicate search widens its creation-time scan by this much.
IMPORT_LAG = timedelta(days=7)
# Change-feed topic of a raised reminder: Changed("reminder", case_id, reminder_id, "raise"),
# so every other workstation lists it within the feed's latency, not at its next minute tick.
REMINDER_TOPIC = "reminder"
REPLY_CHANNELS = ("phone", "sms", "letter", "online", "in_person")

_CHANNEL_SOURCE = {
    Channel.HOTLINE_12345: CaseSource.HOTLINE_12345,
    Channel.HOTLINE_12369: CaseSource.HOTLINE_12369,
}


class PetitionRulesError(ValueError):
    """petitions.toml or holidays.toml is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class PetitionRules:
    deadlines: DeadlineRules
    privacy: PrivacyPolicy
    duplicates: DuplicateSettings
    open311: Open311Settings
    calendar: WorkCalendar


def load_petition_rules(resources_dir: Path | None = None) -> PetitionRules:
    """Read resources/rules/petitions.toml and holidays.toml, with errors naming the file."""
    rules_dir = (resources_dir or default_resources_dir()) / "rules"
    petitions_path = rules_dir / "petitions.toml"
    holidays_path = rules_dir / "holidays.toml"
    try:
        data = tomllib.loads(petitions_path.read_text(encoding="utf-8"))
        calendar = parse_holidays_toml(holidays_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PetitionRulesError(f"petition rules file {exc.filename} not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PetitionRulesError(f"{petitions_path} is not valid TOML: {exc}") from None
    except CalendarError as exc:
        raise PetitionRulesError(f"{holidays_path}: {exc}") from None
    try:
        return PetitionRules(
            deadlines=deadline_rules_from_toml(data),
            privacy=privacy_policy_from_toml(data),
            duplicates=duplicate_settings_from_toml(data),
            open311=open311_settings_from_toml(data),
            calendar=calendar,
        )
    except (RulesError, ValueError) as exc:
        raise PetitionRulesError(f"{petitions_path}: {exc}") from None


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as the case view and the queue show it at ``at``."""

    deadline: Deadline
    state: DeadlineState
    remaining: timedelta  # negative when overdue
    at: datetime


@dataclass(frozen=True)
class PetitionView:
    """A petition case for the UI. The petitioner is masked (``petitioner.masked``); the
    ``detail`` holds no petitioner data at all, and its description has numbers masked."""

    case: CaseView
    detail: PetitionDetail
    petitioner: PetitionerView
    progress: PetitionProgress
    deadlines: tuple[DeadlineView, ...]
    most_urgent: DeadlineView | None
    merged_into: int | None
    duplicates: tuple[int, ...]  # repeat petitions merged into this one
    follow_up_of: int | None  # the case this 复查/复核 follows up
    follow_up_case_id: int | None  # the 复查/复核 opened from this case

    @property
    def repeat_count(self) -> int:
        return len(self.duplicates)


@dataclass(frozen=True)
class DuplicateHit:
    """A likely duplicate among stored petitions, with its reasons (no personal data)."""

    case_id: int
    reference: str
    title: str
    status: Status
    received_at: datetime
    score: float
    reasons: tuple[MatchReason, ...]
    merged_into: int | None

    def reasons_text(self, lang: str = "zh") -> str:
        sep = "；" if lang.startswith("zh") else "; "
        return sep.join(r.zh if lang.startswith("zh") else r.en for r in self.reasons)


@dataclass(frozen=True)
class PetitionSummary:
    """An earlier petition listed in the phone-call form (no personal data)."""

    case_id: int
    reference: str
    title: str
    status: Status
    subject: str
    received_at: datetime


@dataclass(frozen=True)
class RaisedReminder:
    """A reminder for the assigned unit and the duty officer: raised once across desks by
    `PetitionDesk.collect_reminders`, listed on every desk by `PetitionDesk.open_reminders`
    for as long as its deadline is unmet and the case open."""

    case_id: int
    reference: str
    title: str
    unit_id: str | None
    deadline_key: str
    label_zh: str
    label_en: str
    days_before: int
    due_at: datetime
    raised_at: datetime | None = None  # when the first desk raised it
    acknowledged_at: datetime | None = None  # when an officer acknowledged it for everyone
    acknowledged_by: str | None = None  # that officer's username

    @property
    def key(self) -> tuple[int, str, datetime]:
        """The reminded obligation: the same on every desk, whichever raised it."""
        return (self.case_id, self.deadline_key, self.due_at)


@dataclass
class Open311Result:
    created: list[PetitionView] = field(default_factory=list)
    rejected: list[RejectedRecord] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)  # service_request_ids
    skipped_closed: list[str] = field(default_factory=list)
    failed: dict[str, Exception] = field(default_factory=dict)  # valid record, refused by the desk


@dataclass(frozen=True)
class _Change:
    """What one petition operation changes, computed inside the write transaction."""

    progress: PetitionProgress
    action: str
    text: str  # timeline text (no personal data)
    audit: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)  # other case columns (status …)
    transition: tuple[str, str, str | None] | None = None  # (action, from, note) when status moves
    detail: PetitionDetail | None = None  # a changed detail (attachments added)


class PetitionDesk:
    """Petition use cases on a logged-in `Desk`. Synchronous; run calls in an executor."""

    def __init__(
        self, desk: Desk, rules: PetitionRules, attachments: AttachmentStore | None = None
    ) -> None:
        self.desk = desk
        self.rules = rules
        self.attachments = attachments or AttachmentStore(default_attachments_dir())

    @classmethod
    def open(
        cls,
        desk: Desk,
        resources_dir: Path | None = None,
        attachments_dir: Path | None = None,
    ) -> PetitionDesk:
        """Petition use cases on ``desk``; attachments under ``attachments_dir`` (default
        $DISPATCH_ATTACHMENTS_DIR or the user data directory; shared on PostgreSQL)."""
        store = AttachmentStore(attachments_dir) if attachments_dir else None
        return cls(desk, load_petition_rules(resources_dir), store)

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

    def _publish(self, case_id: int, version: int, action: str) -> None:
        self.desk.events.publish(Changed("case", case_id, version, action, local=True))

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

    # ------------------------------------------------------------------ intake

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
        actor = self.desk.context.actor(Permission.WORK_CASES)
        now = self._now()
        clean = validate_petition(detail, now)
        if clean.stage is not Stage.ORIGINAL:
            raise ValidationError(
                "stage",
                "error.follow_up_via_request",
                "a review or second review is opened from the earlier case (request_follow_up)",
                "复查/复核须从原信访事项登记",
            )
        with self.desk.store.write() as conn:
            case_id = self._insert_case(
                conn, clean, PetitionProgress(), district, priority, title, actor, now
            )
            view = self._view(conn, case_id, now)
        self._publish(case_id, 1, "create")
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

    # ------------------------------------------------------------------ merge

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
        actor = self.desk.context.actor(Permission.MERGE)
        reason = validate_note(reason, "reason", "并案理由")
        if case_id == into_case_id:
            raise ValidationError(
                "into_case_id",
                "error.merge_self",
                "a petition cannot be merged into itself",
                "不能将信访事项并入其自身",
            )
        now = self._now()
        with self.desk.store.write() as conn:
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
            dup_version = self._write_merge_state(
                conn,
                dup,
                {"merged_into": into_case_id, "master_reference": master["reference"]},
                merged=True,
                actor=actor,
                now=now,
                action="merge",
                text=f"并入{master['reference']}：{reason}",
            )
            master_version = self._write_merge_state(
                conn,
                master,
                {"repeat_count": repeats},
                merged=False,
                actor=actor,
                now=now,
                action="merge",
                text=f"{dup['reference']}作为重复信访并入本件（重复{repeats}次）：{reason}",
            )
            append_audit(
                conn,
                now,
                actor.username,
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
        self._publish(case_id, dup_version, "merge")
        self._publish(into_case_id, master_version, "merge")
        return view

    def unmerge(self, case_id: int, reason: str) -> PetitionView:
        """Undo the merge of ``case_id`` (with a reason); its own deadlines govern again."""
        actor = self.desk.context.actor(Permission.MERGE)
        reason = validate_note(reason, "reason", "撤销并案理由")
        now = self._now()
        with self.desk.store.write() as conn:
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
            dup_version = self._write_merge_state(
                conn,
                dup,
                None,
                merged=False,
                actor=actor,
                now=now,
                action="unmerge",
                text=f"撤销并入{master['reference']}：{reason}",
            )
            master_version = self._write_merge_state(
                conn,
                master,
                {"repeat_count": repeats} if repeats else None,
                merged=False,
                actor=actor,
                now=now,
                action="unmerge",
                text=f"{dup['reference']}撤销并案（重复{repeats}次）：{reason}",
            )
            append_audit(
                conn,
                now,
                actor.username,
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
        self._publish(case_id, dup_version, "unmerge")
        self._publish(master_id, master_version, "unmerge")
        return view

    def _write_merge_state(
        self,
        conn: Connection,
        row: RowMapping,
        state: Mapping[str, Any] | None,
        *,
        merged: bool,
        actor: UserView,
        now: datetime,
        action: str,
        text: str,
    ) -> int:
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
        record_change(conn, now, "case", int(row["id"]), version, action, self.desk.origin)
        return version

    # ------------------------------------------------------------------ statutory steps

    def _apply(
        self,
        case_id: int,
        expected_version: int | None,
        change: Callable[
            [RowMapping, PetitionDetail, PetitionProgress, UserView, datetime], _Change
        ],
        permission: Permission = Permission.WORK_CASES,
    ) -> PetitionView:
        actor = self.desk.context.actor(permission)
        now = self._now()
        with self.desk.store.write() as conn:
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
            append_audit(
                conn,
                now,
                actor.username,
                f"petition.{ch.action}",
                "case",
                case_id,
                {**ch.audit, "version": version},
            )
            record_change(conn, now, "case", case_id, version, ch.action, self.desk.origin)
            view = self._view(conn, case_id, now)
        self._publish(case_id, version, ch.action)
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

    # ------------------------------------------------------------------ follow-ups

    def request_follow_up(
        self, case_id: int, *, requested_at: datetime | None = None, note: str = ""
    ) -> PetitionView:
        """Open the 复查 (after the reply) or 复核 (after the review opinion) the petitioner
        asked for, as a linked case with its own 30-day deadline. Refused after 复核 (Art.
        36), before the reply, after the 30-day window, or when one was already opened."""
        actor = self.desk.context.actor(Permission.WORK_CASES)
        now = self._now()
        when = self._when(requested_at, now, "requested_at")
        with self.desk.store.write() as conn:
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
            append_audit(
                conn,
                now,
                actor.username,
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
            record_change(conn, now, "case", case_id, version, "follow_up", self.desk.origin)
            view = self._view(conn, new_id, now)
        self._publish(new_id, 1, "create")
        self._publish(case_id, version, "follow_up")
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

    # ------------------------------------------------------------------ phone-call mode

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
        actor = self.desk.context.actor(Permission.WORK_CASES)
        now = self._now()
        with self.desk.store.write() as conn:
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
            append_audit(
                conn,
                now,
                actor.username,
                "petition.refresh_deadlines",
                "case",
                case_id,
                {k: iso(v) for k, v in due.items()},
            )
            record_change(conn, now, "case", case_id, version, "deadlines", self.desk.origin)
            view = self._view(conn, case_id, now)
        self._publish(case_id, version, "deadlines")
        return view

    # ------------------------------------------------------------------ privacy

    def reveal_petitioner(self, case_id: int, reason: str) -> PetitionerView:
        """The petitioner unmasked, for a role the rules allow; written to the audit log with
        the reason. A refused attempt is audited too, then raises PermissionDenied."""
        actor = self.desk.context.actor(Permission.READ)
        reason = validate_note(reason, "reason", "查看理由")
        allowed = self.rules.privacy.may_unmask(actor.role)
        now = self._now()
        with self.desk.store.write() as conn:
            row = case_records.get_case(conn, case_id)
            self._require_petition(row)
            detail, _ = self._read(row)
            append_audit(
                conn,
                now,
                actor.username,
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

    # ------------------------------------------------------------------ reminders

    def collect_reminders(self, now: datetime | None = None) -> list[RaisedReminder]:
        """Raise the reminders (3 days, 1 day before) whose time has come, each once across
        every desk on the database; returns those this call raised. Call it every minute.

        Each raised reminder is written to the change feed and published as
        ``Changed(REMINDER_TOPIC, case_id, reminder_id, "raise")``, so every workstation
        refreshes its `open_reminders` list promptly, whichever desk raised it.
        """
        self.desk.context.actor(Permission.READ)
        now = now or self._now()
        raised: list[tuple[int, RaisedReminder]] = []
        with self.desk.store.write() as conn:
            for row in petition_records.open_petitions(conn, OPEN_STATUSES):
                if (row["details"] or {}).get(MERGE_KEY, {}).get("merged_into") is not None:
                    continue
                try:
                    detail, progress = self._read(row)
                except ValidationError:
                    continue  # corrupt details are reported when the case is opened
                deadlines = {d.key: d for d in self.deadlines_for(detail, progress)}
                for r in reminders_due(deadlines.values(), now, self.rules.deadlines.reminder_days):
                    reminder_id = petition_records.insert_reminder_once(
                        conn,
                        {
                            "case_id": row["id"],
                            "ident": r.ident,
                            "deadline_key": r.deadline_key,
                            "days_before": r.days_before,
                            "due_at": r.due_at,
                            "raised_at": now,
                        },
                    )
                    if reminder_id is None:
                        continue  # another desk raised it first
                    d = deadlines[r.deadline_key]
                    raised.append(
                        (
                            reminder_id,
                            RaisedReminder(
                                row["id"],
                                row["reference"],
                                row["title"],
                                row["unit_id"],
                                r.deadline_key,
                                d.label_zh,
                                d.label_en,
                                r.days_before,
                                r.due_at,
                                now,
                            ),
                        )
                    )
                    record_change(
                        conn,
                        now,
                        REMINDER_TOPIC,
                        row["id"],
                        reminder_id,
                        "raise",
                        self.desk.origin,
                    )
        for reminder_id, reminder in raised:
            self.desk.events.publish(
                Changed(REMINDER_TOPIC, reminder.case_id, reminder_id, "raise", local=True)
            )
        return [reminder for _, reminder in raised]

    def open_reminders(self, now: datetime | None = None) -> list[RaisedReminder]:
        """The raised reminders still standing, as every desk's reminder strip lists them.

        Read from the shared reminders table, so two workstations on one database list the
        same reminders whichever raised them. A reminder stands while its case is open, not
        merged into another, and its deadline unmet and not yet passed; a met deadline, a
        closed case or an extension that moved the deadline drops it (an extension earns
        fresh reminders for the new time), and a passed deadline is no longer a reminder but
        an overdue petition, which the overdue list shows. Of a deadline's 3-day and 1-day
        reminders only the most urgent is listed. Most urgent deadline first.
        """
        self.desk.context.actor(Permission.READ)
        now = now or self._now()
        with self.desk.store.read() as conn:
            rows = petition_records.reminders_of_open_petitions(conn, OPEN_STATUSES)
        deadlines_of: dict[int, dict[str, Deadline] | None] = {}
        standing: dict[tuple[int, str, datetime], RaisedReminder] = {}
        for row in rows:
            case_id = int(row["id"])
            if case_id not in deadlines_of:
                deadlines_of[case_id] = self._reminder_deadlines(row)
            deadlines = deadlines_of[case_id]
            if deadlines is None:
                continue
            d = deadlines.get(row["reminder_deadline_key"])
            due_at = row["reminder_due_at"]
            if d is None or d.done_at is not None or d.due_at != due_at or now >= due_at:
                continue
            reminder = RaisedReminder(
                case_id,
                row["reference"],
                row["title"],
                row["unit_id"],
                d.key,
                d.label_zh,
                d.label_en,
                int(row["reminder_days_before"]),
                due_at,
                row["reminder_raised_at"],
                row["reminder_acknowledged_at"],
                row["reminder_acknowledged_by"],
            )
            held = standing.get(reminder.key)
            if held is None or reminder.days_before < held.days_before:
                standing[reminder.key] = reminder
        return sorted(standing.values(), key=lambda r: (r.due_at, r.case_id, r.deadline_key))

    def acknowledge_reminder(self, reminder: RaisedReminder) -> list[int]:
        """Acknowledge a standing reminder for every workstation: its obligation's reminders
        raised so far are stamped with who and when, audited, and published as
        ``Changed(REMINDER_TOPIC, case_id, reminder_id, "acknowledge")``. The strips keep
        listing it (the deadline still stands) with the acknowledgement; a reminder raised
        later for the same deadline (the 1-day one) comes unacknowledged.

        Returns the reminder ids stamped: none when another officer acknowledged it first
        (their name stays) or no such reminder was raised.
        """
        actor = self.desk.context.actor(Permission.WORK_CASES)
        now = self._now()
        with self.desk.store.write() as conn:
            ids = petition_records.acknowledge_reminders(
                conn,
                reminder.case_id,
                reminder.deadline_key,
                reminder.due_at,
                now,
                actor.username,
            )
            if ids:
                append_audit(
                    conn,
                    now,
                    actor.username,
                    "petition.reminder_acknowledge",
                    "case",
                    reminder.case_id,
                    {
                        "reminder_ids": ids,
                        "deadline_key": reminder.deadline_key,
                        "due_at": iso(reminder.due_at),
                    },
                )
                record_change(
                    conn,
                    now,
                    REMINDER_TOPIC,
                    reminder.case_id,
                    ids[-1],
                    "acknowledge",
                    self.desk.origin,
                )
        if ids:
            self.desk.events.publish(
                Changed(REMINDER_TOPIC, reminder.case_id, ids[-1], "acknowledge", local=True)
            )
        return ids

    def _reminder_deadlines(self, row: Mapping[Any, Any]) -> dict[str, Deadline] | None:
        """The case's deadlines by key, or None when its reminders no longer apply (merged
        into a master, which carries them; or details that cannot be read)."""
        if (row["details"] or {}).get(MERGE_KEY, {}).get("merged_into") is not None:
            return None
        try:
            detail, progress = self._read(row)
        except ValidationError:
            return None  # corrupt details are reported when the case is opened
        return {d.key: d for d in self.deadlines_for(detail, progress)}

    # ------------------------------------------------------------------ Open311

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
                with self.desk.store.write() as conn:
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
                    result.created.append(self._view(conn, case_id, now))
                known.add(rid)
                self._publish(case_id, 1, "create")
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
            with self.desk.store.write() as conn:
                append_audit(
                    conn,
                    now,
                    actor.username,
                    "petition.export_unmasked",
                    "case",
                    ",".join(str(i) for i in ids)[:64],
                    {"case_ids": ids, "reason": reason},
                )
        return records


def _masked_case(row: Mapping[Any, Any]) -> CaseView:
    """The case with the petitioner's phone and ID masked inside its details and numbers in
    its description masked, so nothing reachable from a PetitionView shows them in full."""
    values = dict(row)
    details = dict(values.get("details") or {})
    petition = dict(details.get(DETAILS_KEY) or {})
    person = dict(petition.get("petitioner") or {})
    if person:
        person["phone"] = mask_phone(str(person.get("phone", "")))
        person["id_number"] = mask_id_number(str(person.get("id_number", "")))
        person["contact_address"] = mask_free_text(str(person.get("contact_address", "")))
        petition["petitioner"] = person
        details[DETAILS_KEY] = petition
    values["details"] = details
    values["description"] = mask_free_text(str(values.get("description") or ""))
    return CaseView.from_row(values)
