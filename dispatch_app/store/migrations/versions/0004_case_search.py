"""SQLite: a trigram full-text index over the title and description of cases.

A search of three characters or more is answered from the index instead of scanning every
case (100 000 cases: a few milliseconds instead of ~80 ms). The store writes it together
with the case (``dispatch_app.store.case_records``); ``rebuild_case_search`` refills it in
one statement, which the desk runs when the row counts disagree. Title and description only:
references share most of their trigrams and have their own index. PostgreSQL keeps ILIKE (a
parallel sequential scan); a SQLite without FTS5's trigram tokenizer keeps LIKE.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    try:
        with bind.begin_nested():
            op.execute("CREATE VIRTUAL TABLE case_search USING fts5(text, tokenize = 'trigram')")
    except sa.exc.OperationalError:
        # This SQLite has no FTS5 or no trigram tokenizer (before 3.34): search scans.
        return
    op.execute(
        "INSERT INTO case_search (rowid, text) SELECT id, "
        "coalesce(title, '') || ' ' || coalesce(description, '') FROM cases"
    )


def downgrade() -> None:
    # The desk never drops data: downgrades are not supported.
    raise NotImplementedError("downgrade is not supported")
