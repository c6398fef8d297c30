"""Matchmaking: the published schedule of an event (issue 11).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_schedule",
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_event.id", name="fk_match_schedule_event_id_match_event", ondelete="CASCADE"
            ),
            primary_key=True,
        ),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("match_schedule")
