"""Tables of the petitions part: merges, follow-up links and raised reminders.

They sit on the desk's one ``metadata`` (same naming convention) and are created by the
Alembic revisions ``petitions_0001`` and ``petitions_0002`` (reminder acknowledgements).
Merges are never deleted: an unmerge stamps the row, so the history of who linked what,
when and why stays readable.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from dispatch_app.store.models import metadata
from dispatch_app.store.timestamps import UTCDateTime

petition_merges = Table(
    "petition_merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The repeat petition, linked to its master.
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("master_case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("merged_at", UTCDateTime, nullable=False),
    Column("merged_by", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("unmerged_at", UTCDateTime, nullable=True),
    Column("unmerged_by", String(64), nullable=True),
    Column("unmerge_reason", Text, nullable=True),
)
# A case is merged into at most one master at a time: the database refuses a second active
# merge even if two desks pass their checks at the same instant.
Index(
    "ix_petition_merges_active_case",
    petition_merges.c.case_id,
    unique=True,
    sqlite_where=petition_merges.c.unmerged_at.is_(None),
    postgresql_where=petition_merges.c.unmerged_at.is_(None),
)
Index("ix_petition_merges_master", petition_merges.c.master_case_id)

petition_follow_ups = Table(
    "petition_follow_ups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The earlier case (original or review) and the follow-up opened from it: one each.
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, unique=True),
    Column("follow_up_case_id", Integer, ForeignKey("cases.id"), nullable=False, unique=True),
    Column("stage", String(16), nullable=False),  # review | second_review
    Column("requested_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
)

petition_reminders = Table(
    "petition_reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    # Reminder.ident: deadline key, due time and days before; raised once across all desks.
    Column("ident", String(120), nullable=False),
    Column("deadline_key", String(40), nullable=False),
    Column("days_before", Integer, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
    # The officer who acknowledged it for everyone, and when (revision petitions_0002).
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("acknowledged_by", String(64), nullable=True),
)
Index(
    "ix_petition_reminders_case_ident",
    petition_reminders.c.case_id,
    petition_reminders.c.ident,
    unique=True,
)
