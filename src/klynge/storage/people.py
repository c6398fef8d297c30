"""Personal data in the registry: contact persons, the audit log, access, erasure, retention."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, or_, select, update

from klynge.storage.models import AuditEntry, Contact, Organisation, Outcome

ERASED = "[slettet/erased]"
"""What replaces an erased person's name or e-mail in free text (outcome texts)."""


def audit(
    conn: Connection, actor: str, action: str, subject: str | None, detail: str | None
) -> None:
    """Record that ``actor`` did ``action`` to the personal data of ``subject`` (an e-mail)."""
    conn.execute(
        insert(AuditEntry).values(
            at=datetime.now(UTC),
            actor=actor[:200],
            action=action,
            subject=subject,
            detail=None if detail is None else detail[:300],
        )
    )


def audit_entries(conn: Connection, subject: str | None = None, limit: int = 1000) -> list[Any]:
    table = AuditEntry.__table__
    q = select(table).order_by(table.c.id.desc()).limit(limit)
    if subject is not None:
        q = q.where(table.c.subject == subject)
    return list(conn.execute(q))


def _columns() -> list[Any]:
    c = Contact
    return [
        Organisation.key.label("organisation"),
        Organisation.name.label("organisation_name"),
        c.name,
        c.email,
        c.phone,
        c.role,
        c.language,
        c.newsletter,
        c.matchmaking,
        c.last_active_on,
        c.added_on,
    ]


def person_rows(conn: Connection, email: str) -> list[dict[str, Any]]:
    """Every contact row of the person with ``email`` (any organisation)."""
    q = (
        select(*_columns())
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(Contact.email == email.lower())
        .order_by(Organisation.key)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def _pattern(needles: list[str]) -> re.Pattern[str]:
    """The needles as whole words, in any case: "Ole" names Ole, not Olesen."""
    alternatives = "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def texts_naming(conn: Connection, needles: list[str]) -> list[tuple[int, str]]:
    """Outcome texts (free text) that name any of ``needles`` (a name, an e-mail) as a whole."""
    needles = [n for n in needles if n]
    if not needles:
        return []
    cond = or_(*(func.lower(Outcome.text).contains(n.lower(), autoescape=True) for n in needles))
    found = _pattern(needles)
    return [
        (i, t)
        for i, t in conn.execute(select(Outcome.id, Outcome.text).where(cond))
        if t and found.search(t)
    ]


def erase_person(conn: Connection, email: str) -> tuple[int, int, int]:
    """Remove the person everywhere; returns (contact rows, outcome texts scrubbed, audit
    entries removed). Outcomes themselves stay (the accounts count them); only the person's
    name and e-mail are taken out of their free text."""
    email = email.lower()
    names = sorted({n for (n,) in conn.execute(select(Contact.name).where(Contact.email == email))})
    pattern = _pattern([*names, email])
    changes = [
        {"oid": oid, "new": pattern.sub(ERASED, text)}
        for oid, text in texts_naming(conn, [*names, email])
    ]
    if changes:  # one statement for all of them
        stmt = update(Outcome).where(Outcome.id == bindparam("oid")).values(text=bindparam("new"))
        conn.execute(stmt, changes)
    scrubbed = len(changes)
    removed = conn.execute(delete(Contact).where(Contact.email == email)).rowcount or 0
    forgotten = conn.execute(delete(AuditEntry).where(AuditEntry.subject == email)).rowcount or 0
    return int(removed), scrubbed, int(forgotten)


def inactive_contacts(conn: Connection, before: date) -> list[dict[str, Any]]:
    """Contacts with no activity since ``before`` (by ``last_active_on``, else ``added_on``)."""
    last = func.coalesce(Contact.last_active_on, Contact.added_on)
    q = (
        select(*_columns())
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(last < before)
        .order_by(Contact.email, Organisation.key)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def erase_inactive(conn: Connection, before: date) -> int:
    last = func.coalesce(Contact.last_active_on, Contact.added_on)
    emails = [e for (e,) in conn.execute(select(Contact.email).where(last < before).distinct())]
    n = 0
    for email in emails:
        # A person still active for another organisation keeps that contact row.
        rows = conn.execute(delete(Contact).where(Contact.email == email, last < before))
        n += int(rows.rowcount or 0)
        if conn.execute(select(Contact.id).where(Contact.email == email).limit(1)).first() is None:
            erase_person(conn, email)
    return n


def count_contacts(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Contact)).scalar_one())
