"""SQLAlchemy tables for matchmaking: profiles, meeting requests and brokerage events.

A profile belongs to one organisation (one profile each: the organisation is its natural key in
files) and may name the contact person who keeps it. A meeting request goes from one organisation
to another, inside an event or not. An event belongs to the cluster that runs it; its
participants are contact persons. Deleting a contact (an erasure) takes the person out of every
event (cascade) and out of the profiles they kept (set null), so no personal data stays behind.
A profile's embedding vectors (revision 0012) go with the profile (cascade).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from klynge.storage.models import Base


class MatchProfile(Base):
    """What an organisation offers and seeks, in Danish or English free text."""

    __tablename__ = "match_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    offers: Mapped[str] = mapped_column(Text)
    seeks: Mapped[str] = mapped_column(Text)
    # Lists are kept ';'-joined and sorted: they are read with the profile, never queried apart.
    areas: Mapped[str] = mapped_column(String(500), default="")
    technologies: Mapped[str] = mapped_column(String(500), default="")
    partner_kinds: Mapped[str] = mapped_column(String(200), default="")
    countries: Mapped[str] = mapped_column(String(200), default="")
    expires_on: Mapped[date | None] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatchVector(Base):
    """One e5 vector of a profile's text (revision 0012), stored so that a new process ranks by
    meaning without embedding every profile again. The vector is float32 bytes of the RAW unit
    e5 vector; ``side`` is e5's ``query`` (what is sought) or ``passage`` (what is offered, and
    each sentence of it); ``text_hash`` (SHA-256 of the exact text) and ``model`` make a vector
    of a changed text or another model unusable rather than wrong. Deleted with the profile."""

    __tablename__ = "match_vector"
    __table_args__ = (
        UniqueConstraint("profile_id", "side", "text_hash", name="uq_match_vector_key"),
        CheckConstraint("side IN ('query', 'passage')", name="side"),
        Index("ix_match_vector_text_hash", "text_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("match_profile.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(8))
    text_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(100))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class MatchEvent(Base):
    """A brokerage event a cluster runs: its slots, tables and participants."""

    __tablename__ = "match_event"
    __table_args__ = (
        UniqueConstraint("cluster", "ref", name="uq_match_event_key"),
        CheckConstraint("tables >= 1", name="tables"),
        CheckConstraint("request_days >= 1", name="request_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    tables: Mapped[int] = mapped_column(Integer)
    request_days: Mapped[int] = mapped_column(Integer, default=14)


class MatchSlot(Base):
    """One slot of an event. ``position`` is the slot's index, by which availability, locks and
    published schedules refer to it: it never changes. A new slot takes the next position, and
    a cancelled slot stays as a row marked ``cancelled`` (revision 0011) instead of being
    deleted, so no other slot is renumbered."""

    __tablename__ = "match_slot"
    __table_args__ = (
        UniqueConstraint("event_id", "position", name="uq_match_slot_key"),
        CheckConstraint("ends_at > starts_at", name="times"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("match_event.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    session: Mapped[str | None] = mapped_column(String(100))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class MatchParticipant(Base):
    """A contact person taking part in an event, with the slots they can meet in."""

    __tablename__ = "match_participant"
    __table_args__ = (UniqueConstraint("event_id", "contact_id", name="uq_match_participant_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("match_event.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    # Slot positions, ';'-joined; null means every slot.
    available: Mapped[str | None] = mapped_column(String(500))
    quota: Mapped[int | None] = mapped_column(Integer)
    booth: Mapped[str | None] = mapped_column(String(100))


class MeetingRequest(Base):
    """A request from one organisation to meet another, with its state."""

    __tablename__ = "meeting_request"
    __table_args__ = (
        CheckConstraint("state IN ('requested', 'accepted', 'declined', 'expired')", name="state"),
        CheckConstraint("priority IN ('must', 'normal')", name="priority"),
        CheckConstraint("sender_id <> receiver_id", name="not_self"),
        Index("ix_meeting_request_receiver", "receiver_id", "state"),
        Index("ix_meeting_request_sender", "sender_id", "receiver_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_event.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    # At an event: which of each organisation's participants asks and is asked (revision 0010).
    sender_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_participant.id", ondelete="SET NULL")
    )
    receiver_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_participant.id", ondelete="SET NULL")
    )
    state: Mapped[str] = mapped_column(String(10), default="requested")
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    message: Mapped[str | None] = mapped_column(String(1000))
    sent_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    reminded_on: Mapped[date | None] = mapped_column(Date)


class MatchLock(Base):
    """A meeting the organiser fixed by hand in a slot (and optionally at a table): the
    scheduler keeps it there. Goes with either participant (an erasure, a withdrawal)."""

    __tablename__ = "match_lock"
    __table_args__ = (
        UniqueConstraint("event_id", "a_id", "b_id", name="uq_match_lock_key"),
        CheckConstraint("a_id <> b_id", name="two_people"),
        CheckConstraint("slot >= 0", name="slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("match_event.id", ondelete="CASCADE"))
    a_id: Mapped[int] = mapped_column(
        ForeignKey("match_participant.id", ondelete="CASCADE"), index=True
    )
    b_id: Mapped[int] = mapped_column(
        ForeignKey("match_participant.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[int] = mapped_column(Integer)
    # 0-based, as the scheduler counts; null: any table.
    table_index: Mapped[int | None] = mapped_column(Integer)


class MatchSchedule(Base):
    """The published schedule of an event: the scheduler's result as JSON (meetings by
    participant id, slot and table, with its bound), kept so that agendas stay put until the
    organiser schedules again."""

    __tablename__ = "match_schedule"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("match_event.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
