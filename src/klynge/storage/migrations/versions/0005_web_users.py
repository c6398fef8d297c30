"""People who sign in to the web pages: e-mail, argon2 password hash, role and scope.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("cluster", sa.String(64), nullable=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_web_user_organisation_id_organisation"),
            nullable=True,
        ),
        sa.Column("generation", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("email", name="uq_web_user_email"),
        sa.CheckConstraint(
            "role IN ('member', 'staff', 'analyst', 'admin')", name="ck_web_user_role"
        ),
        sa.CheckConstraint("(role = 'staff') = (cluster IS NOT NULL)", name="ck_web_user_cluster"),
        sa.CheckConstraint(
            "(role = 'member') = (organisation_id IS NOT NULL)", name="ck_web_user_organisation"
        ),
    )


def downgrade() -> None:
    op.drop_table("web_user")
