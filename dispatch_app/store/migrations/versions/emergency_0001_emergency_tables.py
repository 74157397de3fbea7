"""Emergencies: level decisions, plan activations and steps, coordination log, heavy-pollution
alert transitions, CAP messages.

Revision ID: emergency_0001
Revises: 0001
Create Date: 2026-11-28 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "emergency_0001"
down_revision = "0001"
branch_labels = ("emergencies",)
depends_on = None


def upgrade() -> None:
    # Times are UTC without zone (see dispatch_app/store/timestamps.py).
    op.create_table(
        "emergency_level_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("proposed", sa.String(length=4), nullable=False),
        sa.Column("previous", sa.String(length=4), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_emergency_level_decisions_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_level_decisions")),
    )
    op.create_index(
        "ix_emergency_level_decisions_case", "emergency_level_decisions", ["case_id"], unique=False
    )
    op.create_table(
        "emergency_plan_activations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.String(length=40), nullable=False),
        sa.Column("plan_title", sa.String(length=200), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=False),
        sa.Column("activated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_emergency_plan_activations_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_plan_activations")),
        sa.UniqueConstraint(
            "case_id", "plan_id", name=op.f("uq_emergency_plan_activations_case_id_plan_id")
        ),
    )
    op.create_table(
        "emergency_plan_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("owner_unit", sa.String(length=40), nullable=True),
        sa.Column("target_min", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("finished_by", sa.String(length=64), nullable=True),
        sa.Column("skip_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activation_id"],
            ["emergency_plan_activations.id"],
            name="fk_emergency_plan_steps_activation",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_emergency_plan_steps_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_plan_steps")),
        sa.UniqueConstraint(
            "activation_id", "step_key", name=op.f("uq_emergency_plan_steps_activation_id_step_key")
        ),
    )
    op.create_index(
        "ix_emergency_plan_steps_case", "emergency_plan_steps", ["case_id"], unique=False
    )
    op.create_table(
        "emergency_log_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("entry_kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_emergency_log_entries_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_log_entries")),
    )
    op.create_index(
        "ix_emergency_log_entries_case", "emergency_log_entries", ["case_id", "id"], unique=False
    )
    op.create_table(
        "pollution_alert_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("transition", sa.String(length=12), nullable=False),
        sa.Column("from_level", sa.String(length=8), nullable=True),
        sa.Column("to_level", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("forecast", sa.JSON(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("exercise", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_pollution_alert_transitions_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pollution_alert_transitions")),
        sa.UniqueConstraint("seq", name=op.f("uq_pollution_alert_transitions_seq")),
    )
    op.create_table(
        "cap_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("msg_type", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reference_key", sa.String(length=500), nullable=False),
        sa.Column("refs", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("alert_seq", sa.Integer(), nullable=True),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_cap_messages_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_messages")),
        sa.UniqueConstraint("sender", "identifier", name=op.f("uq_cap_messages_sender_identifier")),
    )
    op.create_index("ix_cap_messages_case", "cap_messages", ["case_id", "id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("the desk never drops data; downgrades are not supported")
