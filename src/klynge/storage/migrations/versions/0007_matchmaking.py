"""Matchmaking: profiles, meeting requests and brokerage events (issue 11).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_match_profile_organisation_id_organisation"),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey(
                "contact.id", name="fk_match_profile_contact_id_contact", ondelete="SET NULL"
            ),
            nullable=True,
        ),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("offers", sa.Text(), nullable=False),
        sa.Column("seeks", sa.Text(), nullable=False),
        sa.Column("areas", sa.String(500), nullable=False),
        sa.Column("technologies", sa.String(500), nullable=False),
        sa.Column("partner_kinds", sa.String(200), nullable=False),
        sa.Column("countries", sa.String(200), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", name="uq_match_profile_organisation_id"),
    )
    op.create_index("ix_match_profile_contact_id", "match_profile", ["contact_id"])
    op.create_table(
        "match_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cluster", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("request_days", sa.Integer(), nullable=False),
        sa.UniqueConstraint("cluster", "ref", name="uq_match_event_key"),
        sa.CheckConstraint("tables >= 1", name="ck_match_event_tables"),
        sa.CheckConstraint("request_days >= 1", name="ck_match_event_request_days"),
    )
    op.create_table(
        "match_slot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_event.id", name="fk_match_slot_event_id_match_event", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("session", sa.String(100), nullable=True),
        sa.UniqueConstraint("event_id", "position", name="uq_match_slot_key"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_match_slot_times"),
    )
    op.create_table(
        "match_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_event.id",
                name="fk_match_participant_event_id_match_event",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.Integer(),
            sa.ForeignKey(
                "contact.id", name="fk_match_participant_contact_id_contact", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("available", sa.String(500), nullable=True),
        sa.Column("quota", sa.Integer(), nullable=True),
        sa.Column("booth", sa.String(100), nullable=True),
        sa.UniqueConstraint("event_id", "contact_id", name="uq_match_participant_key"),
    )
    op.create_index("ix_match_participant_contact_id", "match_participant", ["contact_id"])
    op.create_table(
        "meeting_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey(
                "match_event.id",
                name="fk_meeting_request_event_id_match_event",
                ondelete="CASCADE",
            ),
            nullable=True,
        ),
        sa.Column(
            "sender_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_meeting_request_sender_id_organisation"),
            nullable=False,
        ),
        sa.Column(
            "receiver_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", name="fk_meeting_request_receiver_id_organisation"),
            nullable=False,
        ),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("message", sa.String(1000), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "state IN ('requested', 'accepted', 'declined', 'expired')",
            name="ck_meeting_request_state",
        ),
        sa.CheckConstraint("priority IN ('must', 'normal')", name="ck_meeting_request_priority"),
        sa.CheckConstraint("sender_id <> receiver_id", name="ck_meeting_request_not_self"),
    )
    op.create_index("ix_meeting_request_event_id", "meeting_request", ["event_id"])
    op.create_index("ix_meeting_request_receiver", "meeting_request", ["receiver_id", "state"])
    op.create_index("ix_meeting_request_sender", "meeting_request", ["sender_id", "receiver_id"])


def downgrade() -> None:
    op.drop_table("meeting_request")
    op.drop_table("match_participant")
    op.drop_table("match_slot")
    op.drop_table("match_event")
    op.drop_table("match_profile")
