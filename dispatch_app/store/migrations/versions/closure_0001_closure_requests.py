"""Closure by role: a duty officer's request to close a case, the shift leader's decision, and
on each case the time of the request that waits (NULL when none does).

Revision ID: closure_0001
Revises: 0004
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "closure_0001"
down_revision = "0004"
branch_labels = ("closure",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("closure_requested_at", sa.DateTime(), nullable=True))
    op.create_index(
        "ix_cases_closure_requested", "cases", ["closure_requested_at", "id"], unique=False
    )
    op.create_table(
        "closure_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("closure_code", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_closure_requests_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_requests")),
    )
    op.create_index(
        "ix_closure_requests_case", "closure_requests", ["case_id", "id"], unique=False
    )


def downgrade() -> None:
    # The desk never drops data: downgrades are not supported.
    raise NotImplementedError("downgrade is not supported")
