"""Matchmaking: an event's slots can be cancelled after the event is made (issue 11).

Availability, locks and published schedules refer to a slot by its index (``position``), so a
cancelled slot is kept and marked instead of deleted: no other slot is renumbered and every
stored reference keeps its meaning. Existing slots are not cancelled.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_slot") as batch:
        batch.add_column(
            sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    # Going back keeps every slot row (deleting cancelled ones would renumber the rest) and
    # forgets the mark: a cancelled slot becomes an ordinary slot again.
    with op.batch_alter_table("match_slot") as batch:
        batch.drop_column("cancelled")
