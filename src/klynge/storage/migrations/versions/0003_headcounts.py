"""Dated head counts, and case-insensitive organisation keys.

``headcount`` keeps every dated count of an organisation (the account uses the one valid in its
period); the existing counts are copied into it. A unique index on ``lower(key)`` makes keys of
organisations without a CVR number case-insensitive.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "headcount",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_headcount_organisation_id_organisation"),
            nullable=False,
        ),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("counted_on", sa.Date(), nullable=True),
        sa.CheckConstraint("employees >= 0", name="ck_headcount_employees"),
    )
    op.create_index("uq_headcount_key", "headcount", ["organisation_id", "counted_on"], unique=True)
    op.execute(
        "INSERT INTO headcount (organisation_id, employees, counted_on) "
        "SELECT id, employees, employees_on FROM organisation WHERE employees IS NOT NULL"
    )
    op.create_index(
        "uq_organisation_key_lower", "organisation", [sa.text("lower(key)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_organisation_key_lower", table_name="organisation")
    op.drop_index("uq_headcount_key", table_name="headcount")
    op.drop_table("headcount")
