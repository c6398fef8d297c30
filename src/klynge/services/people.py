"""Contact persons and what GDPR asks of them: access, erasure, retention and the audit log.

Contacts are imported and exported like the registry's other tables (``klynge import contacts``,
see :mod:`klynge.services.registry`); this module holds the use cases about one person:

- **access** (``person_export``): everything held on a person, as one document; free text that
  names the person (outcome texts) is included and flagged as possible personal data;
- **erasure** (``person_erase``): the person's contact rows go, their name and e-mail are taken
  out of free text, the audit entries about them go, and one entry records only that an erasure
  happened. Outcomes and participations stay: they belong to organisations, and the accounts
  count them;
- **retention** (``retention``): contacts without activity for N years, listed or erased;
- **audit log**: every read or change of personal data, by whom and when, through any face.

Only administrators handle one person's data; staff read their own cluster's members' contacts
through the table listing (:func:`klynge.services.registry.list_rows`), which is logged too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from klynge.errors import InvalidInput, NotFound
from klynge.i18n import Text
from klynge.registry.tables import email_problem
from klynge.services.auth import Principal, require_admin, require_token

if TYPE_CHECKING:
    from sqlalchemy import Connection

MAX_RETENTION_YEARS = 100

Face = Literal["cli", "api", "web"]
"""Through which face a use case was called; each face passes its own, and the audit log records
it (the web signs in with the same tokens as the API, so the principal alone cannot tell)."""


def actor(principal: Principal, face: Face | None = None) -> str:
    """Who acted, and through which face, as the audit log names them. Without ``face`` a
    signed-in user is the web, a token the API, and neither the command line."""
    scope = principal.cluster or principal.organisation
    detail = f"({principal.role}, {scope})" if scope else f"({principal.role})"
    if principal.user_id is not None:
        return f"{face or 'web'}: user {principal.user_id} {detail}"
    if principal.token_id is None:
        return f"{face or 'cli'}: local administrator"
    return f"{face or 'api'}: token {principal.token_id} {detail}"


def log(
    principal: Principal,
    action: str,
    subject: str | None = None,
    detail: str | None = None,
    face: Face | None = None,
) -> None:
    """Write one audit entry in its own transaction."""
    from klynge.services.registry import with_database
    from klynge.storage.people import audit

    def run(engine: Any) -> None:
        with engine.begin() as conn:
            audit(conn, actor(principal, face), action, subject, detail)

    with_database(run)


class ContactFields(BaseModel):
    """What the registry holds on a contact person."""

    organisation: str = Field(description="The organisation's key.")
    name: str
    email: str = Field(description="Lower-cased.")
    phone: str | None
    role: str | None
    language: str | None
    newsletter: bool = Field(description="Consents to newsletters.")
    matchmaking: bool = Field(description="Consents to matchmaking.")
    last_active_on: date | None


class PersonContact(ContactFields):
    organisation_name: str
    added_on: date


class FlaggedText(BaseModel):
    """Free text that names the person: possible personal data."""

    table: str
    id: int
    column: str
    text: str
    possible_personal_data: bool = True


class AuditItem(BaseModel):
    at: datetime
    actor: str
    action: str
    subject: str | None
    detail: str | None


class PersonExport(BaseModel):
    """Everything the registry holds on one person (right of access, GDPR article 15)."""

    email: str
    contacts: list[PersonContact]
    free_text: list[FlaggedText] = Field(
        description="Outcome texts that name the person or their e-mail: possible personal data."
    )
    audit: list[AuditItem] = Field(description="Who read or changed the person's data, when.")
    matchmaking: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Matchmaking profiles the person keeps and events they take part in.",
    )


class ErasureResult(BaseModel):
    """What an erasure removed. The e-mail itself is not repeated in the audit log."""

    email: str
    contacts_removed: int
    texts_scrubbed: int = Field(description="Outcome texts the name or e-mail was taken out of.")
    audit_entries_removed: int


class RetentionResult(BaseModel):
    years: int
    inactive_since: date = Field(description="Contacts with no activity since this day.")
    contacts: list[PersonContact]
    erased: int = Field(description="Contact rows erased (0 when only listing).")


class AuditLog(BaseModel):
    entries: list[AuditItem]


def _email(email: str) -> str:
    email = email.strip().lower()
    problem = email_problem(email)
    if problem is not None:
        raise InvalidInput(problem, code="bad-email")
    return email


def _items(conn: Connection, subject: str | None = None, limit: int = 1000) -> list[AuditItem]:
    from klynge.storage.people import audit_entries

    return [
        AuditItem(at=e.at, actor=e.actor, action=e.action, subject=e.subject, detail=e.detail)
        for e in audit_entries(conn, subject, limit)
    ]


def person_export(
    email: str, *, principal: Principal | None, face: Face | None = None
) -> PersonExport:
    """Everything held on the person with ``email``; admins only; the read is logged."""
    from klynge.services.registry import with_database
    from klynge.storage.matchmaking import person_matchmaking
    from klynge.storage.people import audit, person_rows, texts_naming

    p = require_admin(principal)
    address = _email(email)

    def run(engine: Any) -> PersonExport:
        with engine.begin() as conn:
            rows = person_rows(conn, address)
            if not rows:
                raise NotFound(
                    Text(
                        da=f"registret har ingen kontaktperson med e-mailen {address}",
                        en=f"the registry holds no contact with the e-mail {address}",
                    ),
                    code="no-such-person",
                )
            names = sorted({r["name"] for r in rows})
            texts = texts_naming(conn, [*names, address])
            audit(conn, actor(p, face), "access-export", address, f"{len(rows)} contact row(s)")
            return PersonExport(
                email=address,
                contacts=[PersonContact(**r) for r in rows],
                free_text=[
                    FlaggedText(table="outcomes", id=i, column="text", text=t) for i, t in texts
                ],
                audit=_items(conn, address),
                matchmaking=person_matchmaking(conn, address),
            )

    return with_database(run)


def person_erase(
    email: str, *, principal: Principal | None, face: Face | None = None
) -> ErasureResult:
    """Remove the person everywhere (right to erasure, GDPR article 17); admins only."""
    from klynge.services.registry import with_database
    from klynge.storage.people import audit, erase_person

    p = require_admin(principal)
    address = _email(email)

    def run(engine: Any) -> ErasureResult:
        with engine.begin() as conn:
            removed, scrubbed, forgotten = erase_person(conn, address)
            if removed == 0:
                raise NotFound(
                    Text(
                        da=f"registret har ingen kontaktperson med e-mailen {address}",
                        en=f"the registry holds no contact with the e-mail {address}",
                    ),
                    code="no-such-person",
                )
            # Only that an erasure happened: no e-mail, no name.
            audit(conn, actor(p, face), "erasure", None, "one person erased")
        return ErasureResult(
            email=address,
            contacts_removed=removed,
            texts_scrubbed=scrubbed,
            audit_entries_removed=forgotten,
        )

    return with_database(run)


def retention(
    years: int,
    *,
    erase: bool = False,
    today: date | None = None,
    principal: Principal | None,
    face: Face | None = None,
) -> RetentionResult:
    """Contacts without activity for ``years`` years; with ``erase`` they are erased at once."""
    from klynge.services.registry import with_database
    from klynge.storage.people import audit, erase_inactive, inactive_contacts

    p = require_admin(principal)
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise InvalidInput(
            Text(
                da=f"antal år skal være mellem 1 og {MAX_RETENTION_YEARS}",
                en=f"the number of years must be between 1 and {MAX_RETENTION_YEARS}",
            ),
            code="bad-years",
        )
    day = today or date.today()
    try:
        cutoff = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        cutoff = day.replace(year=day.year - years, day=28)

    def run(engine: Any) -> RetentionResult:
        with engine.begin() as conn:
            rows = inactive_contacts(conn, cutoff)
            erased = erase_inactive(conn, cutoff) if erase else 0
            action = "retention-erasure" if erase else "retention-list"
            audit(conn, actor(p, face), action, None, f"{len(rows)} contact(s) before {cutoff}")
        return RetentionResult(
            years=years,
            inactive_since=cutoff,
            contacts=[PersonContact(**r) for r in rows] if not erase else [],
            erased=erased,
        )

    return with_database(run)


def audit_log(*, principal: Principal | None, limit: int = 1000) -> AuditLog:
    """The newest entries of the audit log; admins only."""
    from klynge.services.registry import with_database

    require_admin(principal)

    def run(engine: Any) -> AuditLog:
        with engine.connect() as conn:
            return AuditLog(entries=_items(conn, None, limit))

    return with_database(run)


def log_table_access(
    principal: Principal | None, table: str, action: str, rows: int, face: Face | None = None
) -> None:
    """Log a read or change of a table that holds personal data (contacts), with the face it
    came through."""
    if table != "contacts":
        return
    p = require_token(principal)
    log(p, action, None, f"contacts: {rows} row(s)", face)
