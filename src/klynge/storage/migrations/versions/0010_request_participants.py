"""Matchmaking: a meeting request at an event names the participant on each side (issue 11).

An organisation may send several people to an event; the request says which of them asks and
which is asked. Both are optional (requests outside events have none) and are set to null when
the participant leaves the event or is erased. ``match_lock`` holds the meetings an organiser
fixed by hand in a slot (and optionally at a table).

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
    op.create_table(
        "match_lock",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_event.id", name="fk_match_lock_event_id_match_event", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column(
            "a_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_participant.id",
                name="fk_match_lock_a_id_match_participant",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column(
            "b_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_participant.id",
                name="fk_match_lock_b_id_match_participant",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_index", sa.Integer(), nullable=True),
        sa.UniqueConstraint("event_id", "a_id", "b_id", name="uq_match_lock_key"),
        sa.CheckConstraint("a_id <> b_id", name="ck_match_lock_two_people"),
        sa.CheckConstraint("slot >= 0", name="ck_match_lock_slot"),
    )
    op.create_index("ix_match_lock_a_id", "match_lock", ["a_id"])
    op.create_index("ix_match_lock_b_id", "match_lock", ["b_id"])
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
    op.drop_index("ix_match_lock_b_id", table_name="match_lock")
    op.drop_index("ix_match_lock_a_id", table_name="match_lock")
    op.drop_table("match_lock")
    with op.batch_alter_table("meeting_request") as batch:
        for side in ("sender", "receiver"):
            batch.drop_constraint(
                f"fk_meeting_request_{side}_participant_id_match_participant", type_="foreignkey"
            )
            batch.drop_column(f"{side}_participant_id")
