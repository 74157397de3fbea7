"""Cases: the moment their deadline clock started (creation, or the last reopening).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("clock_started_at", sa.DateTime(), nullable=True))
    # Existing cases: their clock started when they were created.
    op.execute("UPDATE cases SET clock_started_at = created_at WHERE clock_started_at IS NULL")


def downgrade() -> None:
    # The desk never drops data: downgrades are not supported.
    raise NotImplementedError("downgrade is not supported")
