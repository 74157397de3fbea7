"""What the petitions desk hands out, its constants, and the bookkeeping of one step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dispatch_app.desk.views import CaseView
from dispatch_app.domain.cases import (
    CaseSource,
    Status,
)
from dispatch_app.domain.duplicates import (
    MatchReason,
)
from dispatch_app.domain.masking import (
    PetitionerView,
    mask_free_text,
    mask_id_number,
    mask_phone,
)
from dispatch_app.domain.open311 import (
    RejectedRecord,
)
from dispatch_app.domain.petition_deadlines import (
    Deadline,
    DeadlineState,
)
from dispatch_app.domain.petitions import (
    DETAILS_KEY,
    Channel,
    PetitionDetail,
    PetitionProgress,
)

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
