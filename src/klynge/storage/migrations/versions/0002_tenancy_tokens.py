"""Tenancy and API tokens: hashed tokens with a role, and an index for a cluster's own rows.

Every registry row already names its owning cluster where it has one (activity.cluster,
membership.cluster; participations and outcomes through their activity), so tenancy needs no new
column: this revision adds the index the per-cluster filters use, and the token table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_membership_cluster", "membership", ["cluster", "organisation_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("cluster", sa.String(64), nullable=True),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('staff', 'analyst', 'admin')", name="ck_api_token_role"),
        sa.CheckConstraint("(role = 'staff') = (cluster IS NOT NULL)", name="ck_api_token_cluster"),
        sa.UniqueConstraint("token_hash", name="uq_api_token_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_token")
    op.drop_index("ix_membership_cluster", table_name="membership")
