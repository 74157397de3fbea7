"""Emergencies: drills and the cases they produced.

Revision ID: emergency_0002
Revises: emergency_0001
Create Date: 2026-11-28 16:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "emergency_0002"
down_revision = "emergency_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Times are UTC without zone (see dispatch_app/store/timestamps.py).
    op.create_table(
        "emergency_drills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scenario", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("speed", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by", sa.String(length=64), nullable=True),
        sa.Column("stations", sa.JSON(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_drills")),
    )
    op.create_table(
        "emergency_drill_cases",
        sa.Column("drill_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["drill_id"],
            ["emergency_drills.id"],
            name=op.f("fk_emergency_drill_cases_drill_id_emergency_drills"),
        ),
        sa.PrimaryKeyConstraint("drill_id", "case_id", name=op.f("pk_emergency_drill_cases")),
    )


def downgrade() -> None:
    raise NotImplementedError("the desk never drops data; downgrades are not supported")
