"""Matchmaking: a meeting request at an event names the participant on each side (issue 11).

An organisation may send several people to an event; the request says which of them asks and
which is asked. Both are optional (requests outside events have none) and are set to null when
the participant leaves the event or is erased.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_request") as batch:
        for side in ("sender", "receiver"):
            batch.add_column(sa.Column(f"{side}_participant_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_meeting_request_{side}_participant_id_match_participant",
                "match_participant",
                [f"{side}_participant_id"],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    with op.batch_alter_table("meeting_request") as batch:
        for side in ("sender", "receiver"):
            batch.drop_constraint(
                f"fk_meeting_request_{side}_participant_id_match_participant", type_="foreignkey"
            )
            batch.drop_column(f"{side}_participant_id")
