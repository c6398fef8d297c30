"""The registry: organisations, memberships, activities, participations and outcomes.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("cvr", sa.String(8), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("employees_on", sa.Date(), nullable=True),
        sa.Column("municipality", sa.String(100), nullable=True),
        sa.Column("nuts2", sa.String(4), nullable=True),
        sa.Column("nace", sa.String(8), nullable=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="ck_organisation_employees"),
        sa.UniqueConstraint("key", name="uq_organisation_key"),
        sa.UniqueConstraint("cvr", name="uq_organisation_cvr"),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_membership_organisation_id_organisation"),
            nullable=False,
        ),
        sa.Column("cluster", sa.String(64), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.CheckConstraint("to_date IS NULL OR to_date >= from_date", name="ck_membership_dates"),
        sa.UniqueConstraint("organisation_id", "cluster", "from_date", name="uq_membership_key"),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cluster", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("nuts2", sa.String(4), nullable=True),
        sa.Column("funding_source", sa.String(200), nullable=True),
        sa.Column("funding_dkk", sa.BigInteger(), nullable=False),
        sa.Column("private_cofinancing_dkk", sa.BigInteger(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.CheckConstraint("end_date >= start_date", name="ck_activity_dates"),
        sa.CheckConstraint(
            "funding_dkk >= 0 AND private_cofinancing_dkk >= 0", name="ck_activity_amounts"
        ),
        sa.UniqueConstraint("cluster", "ref", name="uq_activity_key"),
    )
    op.create_index("ix_activity_period", "activity", ["start_date", "end_date"])
    op.create_table(
        "participation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_participation_organisation_id_organisation"),
            nullable=False,
        ),
        sa.Column(
            "activity_id",
            sa.Integer(),
            sa.ForeignKey("activity.id", name="fk_participation_activity_id_activity"),
            nullable=False,
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.UniqueConstraint("organisation_id", "activity_id", "role", name="uq_participation_key"),
    )
    op.create_index(
        "ix_participation_activity", "participation", ["activity_id", "organisation_id"]
    )
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_outcome_organisation_id_organisation"),
            nullable=False,
        ),
        sa.Column(
            "activity_id",
            sa.Integer(),
            sa.ForeignKey("activity.id", name="fk_outcome_activity_id_activity"),
            nullable=False,
        ),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.UniqueConstraint(
            "organisation_id", "activity_id", "type", "reported_on", name="uq_outcome_key"
        ),
    )
    op.create_index(
        "ix_outcome_activity",
        "outcome",
        ["activity_id", "type", "organisation_id", "reported_on"],
    )


def downgrade() -> None:
    op.drop_table("outcome")
    op.drop_table("participation")
    op.drop_table("activity")
    op.drop_table("membership")
    op.drop_table("organisation")
