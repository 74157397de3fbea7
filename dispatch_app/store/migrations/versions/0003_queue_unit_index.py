"""Cases: index for the queue filtered by unit in urgency order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_unit_due", "cases", ["unit_id", "due_at", "id"], unique=False)


def downgrade() -> None:
    # The desk never drops data: downgrades are not supported.
    raise NotImplementedError("downgrade is not supported")
