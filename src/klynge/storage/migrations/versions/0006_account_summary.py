"""The account summary (participations and outcomes per cluster, organisation and year), and an
index on outcome report dates.

Derived data, filled from the registry's rows by revision 0009 (which adds two columns); see
``klynge.storage.account_summary``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_presence",
        sa.Column("cluster", sa.String(64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("cluster", "organisation_id", "year", name="pk_account_presence"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_account_presence_organisation", "account_presence", ["organisation_id"])
    op.create_table(
        "account_outcome",
        sa.Column("cluster", sa.String(64), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint(
            "cluster", "type", "organisation_id", "year", name="pk_account_outcome"
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_account_outcome_organisation", "account_outcome", ["organisation_id"])
    op.create_index("ix_outcome_reported_on", "outcome", ["reported_on"])
    # Filled by revision 0009, which adds the columns today's summary code writes.


def downgrade() -> None:
    op.drop_index("ix_outcome_reported_on", table_name="outcome")
    op.drop_index("ix_account_outcome_organisation", table_name="account_outcome")
    op.drop_table("account_outcome")
    op.drop_index("ix_account_presence_organisation", table_name="account_presence")
    op.drop_table("account_presence")
