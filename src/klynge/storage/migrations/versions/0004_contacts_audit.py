"""Contact persons (personal data) and the audit log of who read or changed them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_contact_organisation_id_organisation"),
            nullable=False,
        ),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("role", sa.String(100), nullable=True),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("newsletter", sa.Boolean(), nullable=False),
        sa.Column("matchmaking", sa.Boolean(), nullable=False),
        sa.Column("last_active_on", sa.Date(), nullable=True),
        sa.Column("added_on", sa.Date(), server_default=sa.text("CURRENT_DATE"), nullable=False),
        sa.UniqueConstraint("organisation_id", "email", name="uq_contact_key"),
    )
    op.create_index("ix_contact_email", "contact", ["email"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(254), nullable=True),
        sa.Column("detail", sa.String(300), nullable=True),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_subject", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_contact_email", table_name="contact")
    op.drop_table("contact")
