"""CAP messages: the recipients and scope each sent message went to.

Revision ID: cap_0001
Revises: emergency_0003
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cap_0001"
down_revision = "emergency_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: messages recorded before this revision (and received ones) name no recipients.
    with op.batch_alter_table("cap_messages") as batch:
        batch.add_column(sa.Column("recipients", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("scope", sa.String(length=10), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("the desk never drops data; downgrades are not supported")
