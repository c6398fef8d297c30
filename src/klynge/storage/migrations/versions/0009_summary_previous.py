"""The account summary keeps, on each row, the previous year under the same key and its last
day, so that PostgreSQL counts each (cluster, organisation) of a period without hashing them.

Derived data, recomputed here; see ``klynge.storage.account_sql``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = ("account_presence", "account_outcome")


def upgrade() -> None:
    from klynge.storage.account_summary import rebuild_account_summary

    for table in _TABLES:
        op.add_column(table, sa.Column("prev_year", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("prev_last_day", sa.Date(), nullable=True))
    rebuild_account_summary(op.get_bind())


def downgrade() -> None:
    # Plain ALTER TABLE on both engines (SQLite 3.35+): a batch copy would lose WITHOUT ROWID.
    for table in _TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN prev_last_day")
        op.execute(f"ALTER TABLE {table} DROP COLUMN prev_year")
