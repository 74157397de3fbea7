"""Tables of the emergencies part: level decisions, plan activations and their steps, the
coordination log, heavy-pollution alert transitions and CAP messages.

On the desk's one ``metadata``; created by the Alembic revision ``emergency_0001``. The
emergency's type, area, figures and affected stations live in the case's ``details`` (they
change with the case's version); what must never be rewritten has its own append-only table:
level decisions, log entries, alert transitions, CAP messages. Plan steps are mutable rows
with a version, like cases.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dispatch_app.store.models import metadata
from dispatch_app.store.timestamps import UTCDateTime

emergency_level_decisions = Table(
    "emergency_level_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("level", String(4), nullable=False),
    Column("proposed", String(4), nullable=False),
    Column("previous", String(4), nullable=True),
    Column("reason", Text, nullable=False),
    Column("figures", JSON, nullable=False),  # the figures the proposal was made from
)
Index("ix_emergency_level_decisions_case", emergency_level_decisions.c.case_id)

emergency_plan_activations = Table(
    "emergency_plan_activations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("plan_id", String(40), nullable=False),
    Column("plan_title", String(200), nullable=False),
    Column("activated_at", UTCDateTime, nullable=False),
    Column("activated_by", String(64), nullable=False),
    # A plan is activated once per case: two officers pressing the button at once get one
    # checklist, the database refuses the second.
    UniqueConstraint("case_id", "plan_id"),
)

emergency_plan_steps = Table(
    "emergency_plan_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "activation_id",
        Integer,
        ForeignKey("emergency_plan_activations.id", name="fk_emergency_plan_steps_activation"),
        nullable=False,
    ),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("step_key", String(40), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("title_en", String(200), nullable=False),
    Column("owner_unit", String(40), nullable=True),
    Column("target_min", Integer, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("state", String(8), nullable=False),  # open | done | skipped
    Column("finished_at", UTCDateTime, nullable=True),
    Column("finished_by", String(64), nullable=True),
    Column("skip_reason", Text, nullable=True),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("activation_id", "step_key"),
)
Index("ix_emergency_plan_steps_case", emergency_plan_steps.c.case_id)

emergency_log_entries = Table(
    "emergency_log_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),  # when it happened (may precede entry)
    Column("recorded_at", UTCDateTime, nullable=False),  # when it was typed in
    Column("author", String(64), nullable=False),
    Column("entry_kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=True),
)
Index("ix_emergency_log_entries_case", emergency_log_entries.c.case_id, emergency_log_entries.c.id)

pollution_alert_transitions = Table(
    "pollution_alert_transitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # 1, 2, 3 … city-wide: a transition is written as "the one after seq N"; the unique
    # index makes two desks changing the alert at once end with one winner, never two alerts.
    Column("seq", Integer, nullable=False, unique=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("transition", String(12), nullable=False),  # issue | upgrade | downgrade | lift
    Column("from_level", String(8), nullable=True),
    Column("to_level", String(8), nullable=True),
    Column("reason", Text, nullable=False),
    Column("forecast", JSON, nullable=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=True),  # the alert's emergency
    Column("exercise", Boolean, nullable=False, default=False),
)

cap_messages = Table(
    "cap_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("direction", String(8), nullable=False),  # sent | received
    Column("identifier", String(200), nullable=False),
    Column("sender", String(200), nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    Column("msg_type", String(8), nullable=False),
    Column("status", String(10), nullable=False),
    Column("reference_key", String(500), nullable=False),
    Column("refs", Text, nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=True),
    Column("alert_seq", Integer, nullable=True),
    Column("xml", Text, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    # Revision cap_0001: who a sent message went to ([{id, name, address, channel}], kept as
    # they were, so the history stays right after the recipient list changes) and its scope.
    Column("recipients", JSON, nullable=True),
    Column("scope", String(10), nullable=True),
    # CAP: sender + identifier is unique; a message received twice is stored once.
    UniqueConstraint("sender", "identifier"),
)
Index("ix_cap_messages_case", cap_messages.c.case_id, cap_messages.c.id)

# Drills (revision emergency_0002): a drill and the cases it produced, so the whole drill can be
# reported on and removed at once without touching real cases.
emergency_drills = Table(
    "emergency_drills",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scenario", String(80), nullable=False),
    Column("title", String(200), nullable=False),
    Column("speed", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("started_by", String(64), nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("removed_at", UTCDateTime, nullable=True),
    Column("removed_by", String(64), nullable=True),
    Column("stations", JSON, nullable=False),  # the sections the scenario's plumes reach
    Column("events", JSON, nullable=False),  # what the drill saw, in order (for the report)
    Column("version", Integer, nullable=False, default=1),
)

emergency_drill_cases = Table(
    "emergency_drill_cases",
    metadata,
    Column("drill_id", Integer, ForeignKey("emergency_drills.id"), primary_key=True),
    # No foreign key to cases: removing a drill deletes its cases and keeps this link as the
    # record of which case numbers the drill used.
    Column("case_id", Integer, primary_key=True),
    Column("reference", String(24), nullable=False),
    Column("station", String(40), nullable=True),
)

# Emergency monitoring tasks (revision emergency_0003): mutable rows with a version.
emergency_monitoring_tasks = Table(
    "emergency_monitoring_tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("station", String(40), nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("interval_min", Integer, nullable=False),
    Column("unit_id", String(40), nullable=False),
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("assigned_by", String(64), nullable=False),
    Column("last_sample_at", UTCDateTime, nullable=True),
    Column("samples", Integer, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("ended_by", String(64), nullable=True),
    Column("end_reason", Text, nullable=True),
    Column("version", Integer, nullable=False, default=1),
)
Index("ix_emergency_monitoring_tasks_case", emergency_monitoring_tasks.c.case_id)
