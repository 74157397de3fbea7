"""Emergencies: emergency monitoring tasks.

Revision ID: emergency_0003
Revises: emergency_0002
Create Date: 2026-11-28 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "emergency_0003"
down_revision = "emergency_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Times are UTC without zone (see dispatch_app/store/timestamps.py).
    op.create_table(
        "emergency_monitoring_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("interval_min", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=40), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("last_sample_at", sa.DateTime(), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_emergency_monitoring_tasks_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_monitoring_tasks")),
    )
    op.create_index("ix_emergency_monitoring_tasks_case", "emergency_monitoring_tasks", ["case_id"])


def downgrade() -> None:
    raise NotImplementedError("the desk never drops data; downgrades are not supported")
