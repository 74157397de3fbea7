"""Alarms: one row per rule@station, append-only history, rule set revisions.

Revision ID: alarm_0001
Revises: 0001
Create Date: 2026-11-28 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "alarm_0001"
down_revision = "0001"
branch_labels = ("alarms",)
depends_on = None


def upgrade() -> None:
    # Times are UTC without zone (see dispatch_app/store/timestamps.py).
    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_raised", sa.DateTime(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("ack_note", sa.Text(), nullable=False),
        sa.Column("shelved_until", sa.DateTime(), nullable=True),
        sa.Column("shelve_reason", sa.Text(), nullable=False),
        sa.Column("chattering", sa.Boolean(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_alarms_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
        sa.UniqueConstraint("key", name=op.f("uq_alarms_key")),
    )
    op.create_index("ix_alarms_state", "alarms", ["state", "priority"])
    op.create_index("ix_alarms_case", "alarms", ["case_id"])
    op.create_table(
        "alarm_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["alarm_id"], ["alarms.id"], name=op.f("fk_alarm_history_alarm_id_alarms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_history")),
    )
    op.create_index("ix_alarm_history_alarm", "alarm_history", ["alarm_id", "id"])
    op.create_table(
        "alarm_rule_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_rule_revisions")),
        sa.UniqueConstraint("revision", name=op.f("uq_alarm_rule_revisions_revision")),
    )


def downgrade() -> None:
    raise RuntimeError("downgrades are refused: the desk never drops data")
