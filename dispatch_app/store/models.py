"""The tables of the desk (SQLAlchemy 2 Core tables; the Alembic revisions create them).

Every mutable row carries ``version``; the timeline, the audit log and the change log are
append-only (the store has no update or delete for them). A unit's open load is not stored:
it is counted from ``cases`` by query.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dispatch_app.store.timestamps import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(24), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("priority", String(2), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("district", String(16), nullable=False),
    Column("address", String(300), nullable=False, default=""),
    Column("lon", Float, nullable=True),
    Column("lat", Float, nullable=True),
    Column("source", String(32), nullable=False),
    Column("enterprise_name", String(200), nullable=True),
    Column("credit_code", String(18), nullable=True),
    Column("details", JSON, nullable=False),
    Column("unit_id", String(40), nullable=True),
    Column("closure_code", String(32), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("triaged_at", UTCDateTime, nullable=True),
    Column("dispatched_at", UTCDateTime, nullable=True),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("arrived_at", UTCDateTime, nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("cancelled_at", UTCDateTime, nullable=True),
    # When the deadline clock started: creation, or the last reopening (revision 0002).
    Column("clock_started_at", UTCDateTime, nullable=True),
    Column("response_due_at", UTCDateTime, nullable=False),
    Column("resolution_due_at", UTCDateTime, nullable=False),
    # The deadline that governs the case now (or a far-future sentinel): the urgency sort key
    # and the overdue filter, kept NOT NULL so one index serves both databases.
    Column("due_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    # When the pending closure request was made (revision closure_0001); NULL when none waits.
    # Kept beside the request row so the queue shows and filters the pending state without a
    # join; the store clears it whenever the case leaves "resolved".
    Column("closure_requested_at", UTCDateTime, nullable=True),
)
Index("ix_cases_queue_urgency", cases.c.due_at, cases.c.priority, cases.c.id)
Index("ix_cases_queue_priority", cases.c.priority, cases.c.due_at, cases.c.id)
Index("ix_cases_queue_created", cases.c.created_at, cases.c.id)
Index("ix_cases_status_due", cases.c.status, cases.c.due_at, cases.c.id)
Index("ix_cases_kind_due", cases.c.kind, cases.c.due_at, cases.c.id)
Index("ix_cases_district_due", cases.c.district, cases.c.due_at, cases.c.id)
Index("ix_cases_unit_status", cases.c.unit_id, cases.c.status)
Index("ix_cases_unit_due", cases.c.unit_id, cases.c.due_at, cases.c.id)  # revision 0003
Index("ix_cases_closure_requested", cases.c.closure_requested_at, cases.c.id)  # closure_0001

timeline = Table(
    "timeline_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    # created | transition | note | edit
    Column("entry_kind", String(16), nullable=False),
    Column("action", String(16), nullable=True),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=True),
    Column("unit_id", String(40), nullable=True),
    Column("text", Text, nullable=True),
    Column("data", JSON, nullable=True),
)
Index("ix_timeline_entries_case", timeline.c.case_id, timeline.c.id)

# A duty officer's request to close a resolved case (申请办结), and the shift leader's decision.
# ``state``: pending, approved, refused; a pending row whose case no longer carries
# ``closure_requested_at`` (the case was reopened around it) is read as superseded.
closure_requests = Table(
    "closure_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("closure_code", String(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("reason", Text, nullable=True),  # why a request was refused
    Column("version", Integer, nullable=False, default=1),
)
Index("ix_closure_requests_case", closure_requests.c.case_id, closure_requests.c.id)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(128), nullable=False),
    Column("password_salt", String(64), nullable=False),
    Column("password_params", String(64), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

audit_log = Table(
    "audit_log",
    metadata,
    # The chain position, assigned under a lock (not an autoincrement: a gap must be visible).
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(64), nullable=False),
    # Canonical JSON text, hashed as stored.
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

saved_filters = Table(
    "saved_filters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("query", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("user_id", "name"),
)

sequences = Table(
    "sequences",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

# What changed, for desks on other workstations: the change feed reads this table (after a
# PostgreSQL NOTIFY or on a SQLite poll). Append-only.
changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("topic", String(16), nullable=False),  # case | user | filter
    Column("entity_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(32), nullable=False),
    Column("origin", String(64), nullable=False),  # the workstation session that wrote it
)
