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

from pathlib import Path

from dispatch_app.desk.desk import Desk
from dispatch_app.desk.petitions.follow_ups import FollowUps
from dispatch_app.desk.petitions.lookups import PetitionLookups
from dispatch_app.desk.petitions.merging import PetitionMerging
from dispatch_app.desk.petitions.open311 import Open311Exchange
from dispatch_app.desk.petitions.reminders import PetitionReminders
from dispatch_app.desk.petitions.rules import load_petition_rules
from dispatch_app.store.petition_attachments import AttachmentStore


class PetitionDesk(FollowUps, PetitionMerging, PetitionLookups, PetitionReminders, Open311Exchange):
    """Petition use cases on a logged-in `Desk`. Synchronous; run calls in an executor."""

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
