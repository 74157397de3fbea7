"""Tables of the alarms part: one row per alarm (rule@station), its append-only history and
the saved revisions of the alarm rules.

They sit on the desk's one ``metadata`` and are created by the Alembic revision ``alarm_0001``.
An alarm row holds the indexed columns the panel and the status bar filter on, and ``record``:
the whole domain record (``dispatch_app.domain.alarms.alarm_to_dict``) including the data that
triggered it, so a restart or another workstation rebuilds exactly the same ``Alarm``.
``key`` is unique: two workstations evaluating the same feed can never create the alarm twice.
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
)

from dispatch_app.store.models import metadata
from dispatch_app.store.timestamps import UTCDateTime

alarms = Table(
    "alarms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(160), nullable=False, unique=True),  # "rule@station"
    Column("rule_id", String(64), nullable=False),
    Column("station_id", String(64), nullable=False),
    Column("priority", String(8), nullable=False),
    Column("state", String(32), nullable=False),
    Column("count", Integer, nullable=False),
    Column("first_raised", UTCDateTime, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("cleared_at", UTCDateTime, nullable=True),
    Column("acknowledged_by", String(64), nullable=True),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("ack_note", Text, nullable=False, default=""),
    Column("shelved_until", UTCDateTime, nullable=True),
    Column("shelve_reason", Text, nullable=False, default=""),
    Column("chattering", Boolean, nullable=False, default=False),
    Column("stale", Boolean, nullable=False, default=False),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=True),
    # The full domain record (alarm_to_dict): value, threshold, messages, evidence, toggles.
    Column("record", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)
Index("ix_alarms_state", alarms.c.state, alarms.c.priority)
Index("ix_alarms_case", alarms.c.case_id)

alarm_history = Table(
    "alarm_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alarm_id", Integer, ForeignKey("alarms.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # raised | updated | cleared | acknowledged | shelved | unshelved | flagged | linked
    Column("kind", String(16), nullable=False),
    Column("actor", String(64), nullable=True),  # None: the alarm system itself
    Column("note", Text, nullable=False, default=""),
    Column("state", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("value", JSON, nullable=True),
    Column("origin", String(64), nullable=False),  # the workstation session that wrote it
)
Index("ix_alarm_history_alarm", alarm_history.c.alarm_id, alarm_history.c.id)

alarm_rule_revisions = Table(
    "alarm_rule_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # RuleSet.revision: unique, so two administrators saving over the same revision at once
    # cannot both succeed.
    Column("revision", Integer, nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("saved_by", String(64), nullable=False),
    Column("note", Text, nullable=False, default=""),
)
