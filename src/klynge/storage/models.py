"""SQLAlchemy tables for the registry.

Ownership (tenancy): an activity and a membership belong to the cluster they name; a
participation and an outcome belong to the cluster of their activity. Organisations are shared: one
company can be a member of several clusters and take part in several clusters' activities, so an
organisation has no single owner; a cluster sees the organisations that are its members or took
part in its activities. ``klynge.services.auth`` applies these rules.

Surrogate integer keys keep joins cheap; every table also has a natural key with a unique
constraint, which is what files use and what re-imports match on. Cluster slugs are stored as
text because clusters live in the landscape data, not in the database.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Organisation(Base):
    """A company, knowledge institution, public actor, investor or other organisation.

    ``key`` is the natural key: the CVR number when there is one, else a reference the
    registry's owner chooses (for example for a foreign university).
    """

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("employees IS NULL OR employees >= 0", name="employees"),
        UniqueConstraint("cvr", name="uq_organisation_cvr"),
        # Keys of organisations without a CVR number are case-insensitive: "acme-se" is "ACME-SE".
        Index("uq_organisation_key_lower", func.lower(text("key")), unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    cvr: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    employees: Mapped[int | None] = mapped_column(Integer)
    employees_on: Mapped[date | None] = mapped_column(Date)
    municipality: Mapped[str | None] = mapped_column(String(100))
    nuts2: Mapped[str | None] = mapped_column(String(4))
    nace: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2), default="DK")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Headcount(Base):
    """One dated head count of an organisation. The history is kept so that an account for a
    past period uses the count valid then, and an import of an older count cannot overwrite a
    newer one. ``counted_on`` is null for a count a file gave without a date (at most one per
    organisation; a dated count is preferred to it)."""

    __tablename__ = "headcount"
    __table_args__ = (
        CheckConstraint("employees >= 0", name="employees"),
        Index("uq_headcount_key", "organisation_id", "counted_on", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    employees: Mapped[int] = mapped_column(Integer)
    counted_on: Mapped[date | None] = mapped_column(Date)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("organisation_id", "cluster", "from_date", name="uq_membership_key"),
        CheckConstraint("to_date IS NULL OR to_date >= from_date", name="dates"),
        # A cluster's own rows, and the organisations it may see, without a scan.
        Index("ix_membership_cluster", "cluster", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    cluster: Mapped[str] = mapped_column(String(64))
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship()


class Activity(Base):
    """Something a cluster organisation ran. Amounts are whole DKK; private co-financing apart."""

    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("cluster", "ref", name="uq_activity_key"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint("funding_dkk >= 0 AND private_cofinancing_dkk >= 0", name="amounts"),
        Index("ix_activity_period", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    nuts2: Mapped[str | None] = mapped_column(String(4))
    funding_source: Mapped[str | None] = mapped_column(String(200))
    funding_dkk: Mapped[int] = mapped_column(BigInteger, default=0)
    private_cofinancing_dkk: Mapped[int] = mapped_column(BigInteger, default=0)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Participation(Base):
    __tablename__ = "participation"
    __table_args__ = (
        UniqueConstraint("organisation_id", "activity_id", "role", name="uq_participation_key"),
        # Covers the account's join from activities to organisations without touching the table.
        Index("ix_participation_activity", "activity_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    role: Mapped[str] = mapped_column(String(20))

    organisation: Mapped[Organisation] = relationship()
    activity: Mapped[Activity] = relationship()


class Outcome(Base):
    __tablename__ = "outcome"
    __table_args__ = (
        UniqueConstraint(
            "organisation_id", "activity_id", "type", "reported_on", name="uq_outcome_key"
        ),
        Index("ix_outcome_activity", "activity_id", "type", "organisation_id", "reported_on"),
        # The default account period ends at the last report; outcomes reported after a period.
        Index("ix_outcome_reported_on", "reported_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    type: Mapped[str] = mapped_column(String(20))
    reported_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()
    activity: Mapped[Activity] = relationship()


class AccountPresence(Base):
    """The account summary of participations (see :mod:`klynge.storage.account_summary`): per
    cluster (``''`` nationally), organisation and calendar year, the first start and the last
    end of the activities the organisation took part in that overlap the year. Derived data,
    kept true by every write to participations and activities."""

    __tablename__ = "account_presence"
    __table_args__ = (
        Index("ix_account_presence_organisation", "organisation_id"),
        {"sqlite_with_rowid": False},
    )

    cluster: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    # The same key's previous year and its last day: with them an account counts each
    # (cluster, organisation) once without a GROUP BY (see klynge.storage.account_sql).
    prev_year: Mapped[int | None] = mapped_column(Integer)
    prev_last_day: Mapped[date | None] = mapped_column(Date)


class AccountOutcome(Base):
    """The account summary of outcomes: per cluster (``''`` nationally), outcome type,
    organisation and calendar year, the first and the last day the organisation reported it."""

    __tablename__ = "account_outcome"
    __table_args__ = (
        Index("ix_account_outcome_organisation", "organisation_id"),
        {"sqlite_with_rowid": False},
    )

    cluster: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(20), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    # The same key's previous year and its last day: with them an account counts each
    # (cluster, organisation) once without a GROUP BY (see klynge.storage.account_sql).
    prev_year: Mapped[int | None] = mapped_column(Integer)
    prev_last_day: Mapped[date | None] = mapped_column(Date)


class ApiToken(Base):
    """A program's key to the API. Only the SHA-256 of the secret is kept: the secret itself is
    shown once, when the token is made, and cannot be read back.

    ``role`` is ``staff`` (then ``cluster`` names the one cluster it may read and write),
    ``analyst`` (every account, read only) or ``admin``. A revoked token keeps its row, so that
    the list shows when it stopped working.
    """

    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint("role IN ('staff', 'analyst', 'admin')", name="role"),
        CheckConstraint("(role = 'staff') = (cluster IS NOT NULL)", name="cluster"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    cluster: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Contact(Base):
    """A person an organisation works with: personal data (GDPR).

    ``email`` is kept lower-cased, so that it is unique within an organisation whatever its case;
    one person (one e-mail) may be a contact of several organisations. ``last_active_on`` is the
    last day the person took part in anything, which the retention rule reads (with ``added_on``
    when it is empty).
    """

    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint("organisation_id", "email", name="uq_contact_key"),
        Index("ix_contact_email", "email"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(2))
    newsletter: Mapped[bool] = mapped_column(Boolean, default=False)
    matchmaking: Mapped[bool] = mapped_column(Boolean, default=False)
    last_active_on: Mapped[date | None] = mapped_column(Date)
    added_on: Mapped[date] = mapped_column(Date, server_default=text("CURRENT_DATE"))


class AuditEntry(Base):
    """Who read or changed personal data, when, and through which face.

    ``subject`` is the e-mail of the person concerned, where one is; an erasure removes every
    entry about the person and leaves one entry that says only that an erasure happened.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(254))
    detail: Mapped[str | None] = mapped_column(String(300))


class WebUser(Base):
    """A person who signs in to the web pages with an e-mail and a password.

    Only an argon2 hash of the password is kept. ``role`` is ``member`` (the contact of one
    member organisation: ``organisation_id``), ``staff`` (of one ``cluster``), ``analyst`` or
    ``admin``, as for API tokens. ``generation`` goes up whenever the person's rights change
    (disabled, new role, new password): a session made under an older generation is void at
    once. A disabled person keeps the row, so that the list shows when they stopped.
    """

    __tablename__ = "web_user"
    __table_args__ = (
        UniqueConstraint("email", name="uq_web_user_email"),
        CheckConstraint("role IN ('member', 'staff', 'analyst', 'admin')", name="role"),
        CheckConstraint("(role = 'staff') = (cluster IS NOT NULL)", name="cluster"),
        CheckConstraint("(role = 'member') = (organisation_id IS NOT NULL)", name="organisation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    cluster: Mapped[str | None] = mapped_column(String(64))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# Matchmaking's tables live in their own module and join this metadata on import.
from klynge.storage import match_tables as _match_tables  # noqa: E402, F401
