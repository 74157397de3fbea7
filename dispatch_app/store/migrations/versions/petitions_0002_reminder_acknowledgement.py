"""Petitions: who acknowledged a raised reminder, and when (seen on every workstation).

Revision ID: petitions_0002
Revises: petitions_0001
Create Date: 2026-11-28 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "petitions_0002"
down_revision = "petitions_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Times are UTC without zone (see dispatch_app/store/timestamps.py).
    with op.batch_alter_table("petition_reminders") as batch:
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("acknowledged_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # The desk never drops data: downgrades are not supported.
    raise NotImplementedError("downgrade is not supported")
