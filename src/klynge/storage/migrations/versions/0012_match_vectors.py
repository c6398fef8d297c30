"""Matchmaking: each profile's e5 vectors are stored with it (issue 11).

Embedding every profile in a fresh process cost about 23 s before the first recommendation among
300 profiles. The vectors are computed when a profile is saved or imported and read back when
the recommender's index is built. A row holds one raw float32 vector of one text of a profile,
the text's SHA-256 and the model's name, so a changed text or model never uses a stale vector;
the rows go with their profile (cascade), so erasing a profile erases its vectors. Profiles
written before this revision have none: the first recommendation embeds them and writes them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_vector",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "profile_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_profile.id",
                name="fk_match_vector_profile_id_match_profile",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("profile_id", "side", "text_hash", name="uq_match_vector_key"),
        sa.CheckConstraint("side IN ('query', 'passage')", name="ck_match_vector_side"),
    )
    op.create_index("ix_match_vector_text_hash", "match_vector", ["text_hash"])


def downgrade() -> None:
    # The vectors are derived data: going back drops them, and nothing else is lost.
    op.drop_table("match_vector")
