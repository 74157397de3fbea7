"""Petition deadlines: the statutory ones of 信访工作条例 and the center's stricter local targets.

Semantics, stated once because a duty officer's "15 days" must mean what the regulation means:

- Statutory periods are counted in calendar days. The day of the event that starts the clock
  (receipt, acceptance, reply, request) is not counted (民法典 Art. 201): received on
  2026-12-20, 15 days → the last day is 2027-01-04.
- A deadline is met if the step is done by the end of its last day in Asia/Shanghai. ``due_at``
  is the first instant after that day (00:00 of the next day, Asia/Shanghai, held in UTC): done
  strictly before ``due_at`` is on time.
- By default a last day falling on a weekend or holiday is not moved (the desk works every day
  and should not plan on the grace of 民法典 Art. 203); `DeadlineRules.roll_past_non_working_days`
  moves it to the next working day where local practice wants that.
- Local targets run in working days on the `WorkCalendar` (holidays and make-up days): 1 working
  day after a Friday-evening call is the Monday, or the first working day after a holiday week.
- Reminders fire when 3 days and 1 day remain before ``due_at``; after ``due_at`` an unmet
  deadline is overdue. Petitioner windows (the 30 days to ask for a review) never go overdue:
  they lapse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dispatch_app.domain.errors import DomainError, IllegalTransition, ValidationError
from dispatch_app.domain.petitions import (
    Channel,
    Extension,
    PetitionProgress,
    Stage,
)
from dispatch_app.domain.workcalendar import WorkCalendar
from dispatch_app.standards.center_time import CENTER_TZ


class RulesError(ValueError):
    """The petitions rules file is malformed; the message names the entry."""


class Basis(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


class Anchor(StrEnum):
    """The event whose date starts a clock."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REPLIED = "replied"


class DoneBy(StrEnum):
    """The event that meets a deadline."""

    DECIDED = "decided"
    NOTIFIED = "notified"
    CONTACTED = "contacted"
    REPLIED = "replied"
    CALLBACK = "callback"


class DeadlineState(StrEnum):
    """Where a deadline stands at a moment. Ordered from calm to alarming for sorting."""

    MET = "met"
    LAPSED = "lapsed"  # a petitioner's window that closed unused
    RUNNING = "running"
    DUE_3D = "due_3d"  # 3 days or less left
    DUE_1D = "due_1d"  # 1 day or less left
    MET_LATE = "met_late"  # done, but after the deadline: a breach to report
    OVERDUE = "overdue"

    @property
    def name_zh(self) -> str:
        return _STATE_ZH[self]

    @property
    def name_en(self) -> str:
        return _STATE_EN[self]

    @property
    def severity(self) -> int:
        return _STATE_ORDER.index(self)


_STATE_ORDER = list(DeadlineState)
_STATE_ZH = {
    DeadlineState.MET: "按期完成",
    DeadlineState.LAPSED: "期限已过（信访人未申请）",
    DeadlineState.RUNNING: "进行中",
    DeadlineState.DUE_3D: "3日内到期",
    DeadlineState.DUE_1D: "1日内到期",
    DeadlineState.MET_LATE: "逾期完成",
    DeadlineState.OVERDUE: "已超期",
}
_STATE_EN = {
    DeadlineState.MET: "Met",
    DeadlineState.LAPSED: "Lapsed (no request)",
    DeadlineState.RUNNING: "Running",
    DeadlineState.DUE_3D: "Due within 3 days",
    DeadlineState.DUE_1D: "Due within 1 day",
    DeadlineState.MET_LATE: "Met late",
    DeadlineState.OVERDUE: "Overdue",
}


@dataclass(frozen=True)
class LocalTarget:
    """A stricter target of the center, e.g. "call a hotline petitioner back within 1 working day"."""

    key: str
    label_zh: str
    label_en: str
    anchor: Anchor
    done_by: DoneBy
    days: int
    basis: Basis = Basis.WORKING_DAYS
    channels: frozenset[Channel] = frozenset()  # empty: every channel
    stages: frozenset[Stage] = frozenset({Stage.ORIGINAL})


@dataclass(frozen=True)
class DeadlineRules:
    """The periods, in calendar days, of 信访工作条例 (REFERENCE.md §6), plus local targets."""

    decision_days: int = 15  # Art. 22/23: accept, transfer or assign
    notice_days: int = 15  # Art. 22: written notice to the petitioner
    handling_days: int = 60  # Art. 34: from acceptance
    max_extension_days: int = 30  # Art. 34: once, approved, reason told to the petitioner
    review_request_days: int = 30  # Art. 35: petitioner may ask for 复查 after the reply
    review_opinion_days: int = 30  # Art. 35
    second_review_request_days: int = 30  # Art. 36
    second_review_opinion_days: int = 30  # Art. 36
    reminder_days: tuple[int, ...] = (3, 1)
    roll_past_non_working_days: bool = False
    extension_approver_roles: frozenset[str] = frozenset({"shift_leader", "administrator"})
    local_targets: tuple[LocalTarget, ...] = ()


@dataclass(frozen=True)
class Deadline:
    """One deadline of one petition, with everything the queue and the case view show."""

    key: str
    label_zh: str
    label_en: str
    basis: Basis
    days: int
    statutory: bool
    obligation: bool  # False: a window for the petitioner, not a duty of the center
    anchor_at: dt.datetime
    last_day: dt.date  # inclusive, Asia/Shanghai
    due_at: dt.datetime  # exclusive bound, UTC: 00:00 Asia/Shanghai after last_day
    done_at: dt.datetime | None = None
    extended_by_days: int = 0
    provisional_calendar: bool = False  # working days counted on an estimated holiday schedule

    def state(self, now: dt.datetime) -> DeadlineState:
        return deadline_state(self, now)

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        """Time left (negative when overdue): the countdown the queue shows."""
        return self.due_at - now


# --- the rules file ------------------------------------------------------------------------


def _positive(data: Mapping[str, Any], key: str, default: int, where: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RulesError(f"{where}.{key}: expected a whole number of days ≥ 1, got {value!r}")
    return value


def deadline_rules_from_toml(data: Mapping[str, Any]) -> DeadlineRules:
    """Read [statutory], [extension] and [[local_target]] of resources/rules/petitions.toml."""
    st = data.get("statutory", {})
    if not isinstance(st, Mapping):
        raise RulesError("[statutory] must be a table")
    reminders = st.get("reminder_days", [3, 1])
    if not isinstance(reminders, list) or not all(
        isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in reminders
    ):
        raise RulesError(f"statutory.reminder_days: expected whole days ≥ 1, got {reminders!r}")
    roll = st.get("roll_past_non_working_days", False)
    if not isinstance(roll, bool):
        raise RulesError("statutory.roll_past_non_working_days: expected true or false")
    ext = data.get("extension", {})
    roles = ext.get("approver_roles", ["shift_leader", "administrator"])
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
        raise RulesError("extension.approver_roles: expected a non-empty list of role names")
    targets: list[LocalTarget] = []
    seen: set[str] = set()
    for i, t in enumerate(data.get("local_target", [])):
        where = f"local_target[{i}]"
        key = t.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            raise RulesError(f"{where}.key: expected an identifier like hotline_callback")
        if key in seen or key in _STATUTORY_KEYS:
            raise RulesError(f"{where}.key: {key!r} is already used")
        seen.add(key)
        if ("working_days" in t) == ("calendar_days" in t):
            raise RulesError(f"{where}: give exactly one of working_days or calendar_days")
        basis = Basis.WORKING_DAYS if "working_days" in t else Basis.CALENDAR_DAYS
        days = _positive(t, basis.value, 1, where)
        try:
            anchor = Anchor(t.get("anchor", "received"))
            done_by = DoneBy(t["done_by"])
            channels = frozenset(Channel(c) for c in t.get("channels", []))
            stages = frozenset(Stage(s) for s in t.get("stages", ["original"]))
        except (KeyError, ValueError) as exc:
            raise RulesError(f"{where}: {exc}") from None
        targets.append(
            LocalTarget(
                key=key,
                label_zh=str(t.get("label_zh", key)),
                label_en=str(t.get("label_en", key)),
                anchor=anchor,
                done_by=done_by,
                days=days,
                basis=basis,
                channels=channels,
                stages=stages,
            )
        )
    return DeadlineRules(
        decision_days=_positive(st, "decision_days", 15, "statutory"),
        notice_days=_positive(st, "notice_days", 15, "statutory"),
        handling_days=_positive(st, "handling_days", 60, "statutory"),
        max_extension_days=_positive(st, "max_extension_days", 30, "statutory"),
        review_request_days=_positive(st, "review_request_days", 30, "statutory"),
        review_opinion_days=_positive(st, "review_opinion_days", 30, "statutory"),
        second_review_request_days=_positive(st, "second_review_request_days", 30, "statutory"),
        second_review_opinion_days=_positive(st, "second_review_opinion_days", 30, "statutory"),
        reminder_days=tuple(sorted(set(reminders), reverse=True)),
        roll_past_non_working_days=roll,
        extension_approver_roles=frozenset(roles),
        local_targets=tuple(targets),
    )


# --- arithmetic ----------------------------------------------------------------------------


def local_day(t: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar date of an aware instant."""
    if t.tzinfo is None:
        raise ValueError("deadline arithmetic needs aware datetimes (UTC or with an offset)")
    return t.astimezone(CENTER_TZ).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in Asia/Shanghai, as UTC: the exclusive deadline bound."""
    nxt = day + dt.timedelta(days=1)
    return dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=CENTER_TZ).astimezone(dt.UTC)


def calendar_last_day(
    anchor: dt.datetime, days: int, calendar: WorkCalendar | None = None, roll: bool = False
) -> dt.date:
    """Last day of a period of ``days`` calendar days starting the day after ``anchor``."""
    day = local_day(anchor) + dt.timedelta(days=days)
    if roll and calendar is not None and not calendar.is_working_day(day):
        day = calendar.add_working_days(day, 1)
    return day


def working_last_day(anchor: dt.datetime, days: int, calendar: WorkCalendar) -> dt.date:
    """Last day of a period of ``days`` working days after the anchor's day."""
    return calendar.add_working_days(local_day(anchor), days)


def _deadline(
    key: str,
    zh: str,
    en: str,
    anchor_at: dt.datetime,
    last_day: dt.date,
    days: int,
    *,
    done_at: dt.datetime | None,
    basis: Basis = Basis.CALENDAR_DAYS,
    statutory: bool = True,
    obligation: bool = True,
    extended_by_days: int = 0,
    provisional: bool = False,
) -> Deadline:
    return Deadline(
        key=key,
        label_zh=zh,
        label_en=en,
        basis=basis,
        days=days,
        statutory=statutory,
        obligation=obligation,
        anchor_at=anchor_at,
        last_day=last_day,
        due_at=end_of_day(last_day),
        done_at=done_at,
        extended_by_days=extended_by_days,
        provisional_calendar=provisional,
    )


_STATUTORY_KEYS = frozenset(
    {
        "decision",
        "notice",
        "handling",
        "review_request",
        "review_opinion",
        "second_review_request",
        "second_review_opinion",
    }
)


@dataclass(frozen=True)
class PetitionClock:
    """The dates a petition's deadlines are computed from."""

    channel: Channel
    stage: Stage
    received_at: dt.datetime
    progress: PetitionProgress = field(default_factory=PetitionProgress)
    # Set on the case of the previous stage once the petitioner has asked for the next one
    # (defaults to the progress's record of it).
    follow_up_requested_at: dt.datetime | None = None

    @property
    def follow_up_at(self) -> dt.datetime | None:
        return self.follow_up_requested_at or self.progress.follow_up_requested_at


def petition_deadlines(
    clock: PetitionClock, rules: DeadlineRules, calendar: WorkCalendar
) -> list[Deadline]:
    """Every deadline that applies to the petition now, in the order the steps come.

    A deadline whose anchor has not happened yet (handling before acceptance) is not listed: its
    date is unknown, and showing a guess would mislead.
    """
    p = clock.progress
    roll = rules.roll_past_non_working_days
    out: list[Deadline] = []

    def cal(anchor: dt.datetime, days: int) -> dt.date:
        return calendar_last_day(anchor, days, calendar, roll)

    if clock.stage is Stage.ORIGINAL:
        out.append(
            _deadline(
                "decision",
                "受理/转送/交办决定",
                "Decision: accept, transfer or assign",
                clock.received_at,
                cal(clock.received_at, rules.decision_days),
                rules.decision_days,
                done_at=p.decided_at,
            )
        )
        out.append(
            _deadline(
                "notice",
                "书面告知信访人",
                "Written notice to the petitioner",
                clock.received_at,
                cal(clock.received_at, rules.notice_days),
                rules.notice_days,
                done_at=p.notified_at,
            )
        )
        accepted = p.accepted_at
        if accepted is not None:
            ext = p.extension.days if p.extension else 0
            days = rules.handling_days + ext
            out.append(
                _deadline(
                    "handling",
                    "办理答复" + (f"（已延期{ext}日）" if ext else ""),
                    "Handling and reply" + (f" (extended by {ext} days)" if ext else ""),
                    accepted,
                    cal(accepted, days),
                    days,
                    done_at=p.replied_at,
                    extended_by_days=ext,
                )
            )
        window = ("review_request", "复查申请期限", "Window to request a review (复查)")
        window_days = rules.review_request_days
    else:
        review = clock.stage is Stage.REVIEW
        days = rules.review_opinion_days if review else rules.second_review_opinion_days
        out.append(
            _deadline(
                "review_opinion" if review else "second_review_opinion",
                "复查意见" if review else "复核意见",
                "Review opinion (复查)" if review else "Second review opinion (复核)",
                clock.received_at,
                cal(clock.received_at, days),
                days,
                done_at=p.replied_at,
            )
        )
        window = (
            ("second_review_request", "复核申请期限", "Window to request a second review (复核)")
            if review
            else None  # type: ignore[assignment]
        )
        window_days = rules.second_review_request_days
    if window is not None and p.replied_at is not None:
        out.append(
            _deadline(
                window[0],
                window[1],
                window[2],
                p.replied_at,
                cal(p.replied_at, window_days),
                window_days,
                done_at=clock.follow_up_at,
                obligation=False,
            )
        )
    for target in rules.local_targets:
        if target.channels and clock.channel not in target.channels:
            continue
        if clock.stage not in target.stages:
            continue
        anchor_at = {
            Anchor.RECEIVED: clock.received_at,
            Anchor.ACCEPTED: p.accepted_at,
            Anchor.REPLIED: p.replied_at,
        }[target.anchor]
        if anchor_at is None:
            continue
        done_at = {
            DoneBy.DECIDED: p.decided_at,
            DoneBy.NOTIFIED: p.notified_at,
            DoneBy.CONTACTED: p.contacted_at,
            DoneBy.REPLIED: p.replied_at,
            DoneBy.CALLBACK: p.callbacks[0].at if p.callbacks else None,
        }[target.done_by]
        if target.basis is Basis.WORKING_DAYS:
            last = working_last_day(anchor_at, target.days, calendar)
            provisional = calendar.is_provisional(last)
        else:
            last = cal(anchor_at, target.days)
            provisional = False
        out.append(
            _deadline(
                target.key,
                target.label_zh,
                target.label_en,
                anchor_at,
                last,
                target.days,
                done_at=done_at,
                basis=target.basis,
                statutory=False,
                provisional=provisional,
            )
        )
    return out


def deadline_state(
    deadline: Deadline, now: dt.datetime, reminder_days: Sequence[int] = (3, 1)
) -> DeadlineState:
    """The state of ``deadline`` at ``now`` (aware)."""
    if deadline.done_at is not None:
        return DeadlineState.MET if deadline.done_at < deadline.due_at else DeadlineState.MET_LATE
    left = deadline.due_at - now
    if left <= dt.timedelta(0):
        return DeadlineState.OVERDUE if deadline.obligation else DeadlineState.LAPSED
    if not deadline.obligation:
        return DeadlineState.RUNNING
    # The nearest threshold (1 day by default) is DUE_1D, the farthest (3 days) DUE_3D.
    if reminder_days and left <= dt.timedelta(days=min(reminder_days)):
        return DeadlineState.DUE_1D
    if reminder_days and left <= dt.timedelta(days=max(reminder_days)):
        return DeadlineState.DUE_3D
    return DeadlineState.RUNNING


@dataclass(frozen=True)
class Reminder:
    """A reminder to raise once: `days_before` days before `deadline_key` falls due."""

    deadline_key: str
    days_before: int
    at: dt.datetime
    due_at: dt.datetime

    @property
    def ident(self) -> str:
        """Stable identity so the desk raises each reminder once, even after a restart."""
        return f"{self.deadline_key}@{self.due_at.isoformat()}-{self.days_before}d"


def reminders_due(
    deadlines: Iterable[Deadline], now: dt.datetime, reminder_days: Sequence[int] = (3, 1)
) -> list[Reminder]:
    """Reminders whose time has come for unmet obligations that are not yet overdue.

    Overdue deadlines are not reminders: their state (OVERDUE) is the alarm. The identity
    includes ``due_at``, so an extension that moves the deadline earns fresh reminders.
    """
    out: list[Reminder] = []
    for d in deadlines:
        if d.done_at is not None or not d.obligation or now >= d.due_at:
            continue
        for days in sorted(reminder_days, reverse=True):
            at = d.due_at - dt.timedelta(days=days)
            if now >= at:
                out.append(Reminder(d.key, days, at, d.due_at))
    return out


def most_urgent(deadlines: Iterable[Deadline], now: dt.datetime) -> Deadline | None:
    """The deadline the queue should show for the case: the worst state, then the earliest."""
    open_ones = [d for d in deadlines if d.obligation and d.done_at is None]
    if not open_ones:
        return None
    return min(open_ones, key=lambda d: (-deadline_state(d, now).severity, d.due_at))


# --- extension and follow-ups --------------------------------------------------------------


def check_extension(
    clock: PetitionClock,
    extension: Extension,
    rules: DeadlineRules,
    approver_role: str,
    now: dt.datetime,
) -> Extension:
    """Refuse an extension the regulation does not allow; return it trimmed when allowed.

    One extension only, of 1 to 30 days, approved by a shift leader (or a role the rules file
    names) with a reason, while the handling period is still running and before the reply.
    """
    p = clock.progress
    if approver_role not in rules.extension_approver_roles:
        raise DomainError(
            "error.extension_approver",
            f"an extension must be approved by one of: {', '.join(sorted(rules.extension_approver_roles))}",
            "延长办理期限须经带班领导批准",
            role=approver_role,
        )
    if isinstance(extension.days, bool) or not isinstance(extension.days, int):
        raise ValidationError(
            "extension.days",
            "error.field_type",
            "days must be a whole number",
            "延期天数必须为整数",
        )
    if not 1 <= extension.days <= rules.max_extension_days:
        raise ValidationError(
            "extension.days",
            "error.extension_days",
            f"an extension is 1 to {rules.max_extension_days} days, got {extension.days}",
            f"延期天数须为1至{rules.max_extension_days}日，当前为{extension.days}日",
            maximum=rules.max_extension_days,
        )
    reason = extension.reason.strip() if isinstance(extension.reason, str) else ""
    if not reason:
        raise ValidationError(
            "extension.reason",
            "error.field_empty",
            "an extension needs a reason (it is told to the petitioner)",
            "延期须说明理由（理由须告知信访人）",
        )
    if not extension.approved_by.strip():
        raise ValidationError(
            "extension.approved_by",
            "error.field_empty",
            "an extension names who approved it",
            "延期须注明批准人",
        )
    if clock.stage is not Stage.ORIGINAL or p.accepted_at is None:
        raise IllegalTransition(
            "error.extension_not_accepted",
            "only an accepted petition's handling period can be extended",
            "仅已受理信访事项的办理期限可以延长",
        )
    if p.extension is not None:
        raise IllegalTransition(
            "error.extension_twice",
            "the handling period has already been extended once; the regulation allows one",
            "办理期限已延长过一次，不得再次延长",
        )
    if p.replied_at is not None:
        raise IllegalTransition(
            "error.extension_after_reply",
            "the petition has been replied to; there is nothing left to extend",
            "已答复的信访事项无需延期",
        )
    due = end_of_day(calendar_last_day(p.accepted_at, rules.handling_days))
    if now >= due:
        raise IllegalTransition(
            "error.extension_after_deadline",
            "the handling period has already run out; an extension must be approved before it does",
            "办理期限已届满，须在届满前批准延期",
        )
    return Extension(extension.days, reason, extension.approved_by.strip(), extension.approved_at)


def check_follow_up(clock: PetitionClock, requested_at: dt.datetime, rules: DeadlineRules) -> Stage:
    """The stage of the follow-up a petitioner asks for (复查 after the reply, 复核 after the
    review), or a refusal saying why: no reply yet, the 30-day window has lapsed, or the matter
    has had its second review and is not accepted again (Art. 36)."""
    if clock.stage is Stage.SECOND_REVIEW:
        raise IllegalTransition(
            "error.follow_up_final",
            "after the second review (复核) the same matter is not accepted again (Art. 36)",
            "复核后信访人以同一事实和理由提出的信访事项不再受理（第三十六条）",
        )
    replied = clock.progress.replied_at
    if replied is None:
        raise IllegalTransition(
            "error.follow_up_no_reply",
            "a review can be requested only after the reply",
            "答复意见出具后方可申请复查/复核",
        )
    if clock.follow_up_at is not None:
        raise IllegalTransition(
            "error.follow_up_exists",
            "a follow-up has already been requested for this case",
            "该事项已申请过复查/复核",
        )
    days = (
        rules.review_request_days
        if clock.stage is Stage.ORIGINAL
        else rules.second_review_request_days
    )
    due = end_of_day(calendar_last_day(replied, days))
    if requested_at >= due:
        raise IllegalTransition(
            "error.follow_up_late",
            f"the request came after the {days}-day window that closed {local_day(due - dt.timedelta(seconds=1))}",
            f"申请已超过{days}日期限（截止{local_day(due - dt.timedelta(seconds=1))}）",
        )
    if requested_at < replied:
        raise ValidationError(
            "requested_at",
            "error.time_order",
            "the request cannot be earlier than the reply",
            "申请时间不能早于答复时间",
        )
    return Stage.REVIEW if clock.stage is Stage.ORIGINAL else Stage.SECOND_REVIEW
