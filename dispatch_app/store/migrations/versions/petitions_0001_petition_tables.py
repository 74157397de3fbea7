"""Petitions: merges, follow-up links, raised reminders.

Revision ID: petitions_0001
Revises: 0001
Create Date: 2026-11-28 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "petitions_0001"
down_revision = "0001"
branch_labels = ("petitions",)
depends_on = None


def upgrade() -> None:
    # Times are UTC without zone (see dispatch_app/store/timestamps.py).
    op.create_table(
        "petition_merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("master_case_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("merged_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("unmerged_at", sa.DateTime(), nullable=True),
        sa.Column("unmerged_by", sa.String(length=64), nullable=True),
        sa.Column("unmerge_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_petition_merges_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["master_case_id"],
            ["cases.id"],
            name=op.f("fk_petition_merges_master_case_id_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_merges")),
    )
    op.create_index(
        "ix_petition_merges_active_case",
        "petition_merges",
        ["case_id"],
        unique=True,
        sqlite_where=sa.text("unmerged_at IS NULL"),
        postgresql_where=sa.text("unmerged_at IS NULL"),
    )
    op.create_index("ix_petition_merges_master", "petition_merges", ["master_case_id"])
    op.create_table(
        "petition_follow_ups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_petition_follow_ups_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_case_id"],
            ["cases.id"],
            name=op.f("fk_petition_follow_ups_follow_up_case_id_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_follow_ups")),
        sa.UniqueConstraint("case_id", name=op.f("uq_petition_follow_ups_case_id")),
        sa.UniqueConstraint(
            "follow_up_case_id", name=op.f("uq_petition_follow_ups_follow_up_case_id")
        ),
    )
    op.create_table(
        "petition_reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ident", sa.String(length=120), nullable=False),
        sa.Column("deadline_key", sa.String(length=40), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_petition_reminders_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_reminders")),
    )
    op.create_index(
        "ix_petition_reminders_case_ident",
        "petition_reminders",
        ["case_id", "ident"],
        unique=True,
    )


def downgrade() -> None:
    raise RuntimeError("downgrades are refused: the desk never drops data")
