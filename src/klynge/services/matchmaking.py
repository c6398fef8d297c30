"""Matchmaking's use cases: profiles, recommendations, meeting requests and brokerage events.

Who may do what (the roles of :mod:`klynge.services.auth`, plus the web's ``member``):

- **admin**: every profile, request and event, read and write.
- **staff** of a cluster: its members' profiles (read and write), recommendations for them,
  the requests that touch its members or its events (sending and answering for its members),
  and its own cluster's events.
- **analyst**: everything, read only.
- **member** (a member organisation's contact, from the web sign-in): its own profile,
  recommendations and requests; it sends and answers for itself.

A profile someone may not see answers "not found", as one that does not exist, so nobody can
probe which organisations have profiles. Recommendations range over every active profile (a
profile is published for matchmaking; ``hidden`` opts out, and an expired one is not shown),
across clusters: that is where partners a cluster does not already know are found. They show
what the profile says, never its contact person.
"""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from klynge.errors import Conflict, Forbidden, InvalidInput, Location, NotFound, field_problem
from klynge.i18n import Text
from klynge.registry.tables import escape_cell, organisation_ref, unescape_cell
from klynge.services import match_vectors
from klynge.services.auth import Principal, require_token

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

DEFAULT_REQUEST_DAYS = 14
"""A request unanswered for this many days expires (an event may set its own number)."""
REMIND_BEFORE_DAYS = 2
State = Literal["requested", "accepted", "declined", "expired"]


# -- who may do what ----------------------------------------------------------------------------
class Scope(BaseModel):
    """What a principal may see: everything, one cluster's members, or one organisation."""

    cluster: str | None = None
    organisation: str | None = None
    write: bool = True


def scope(principal: Principal | None) -> Scope:
    p = require_token(principal)
    if p.role == "admin":
        return Scope()
    if p.role == "analyst":
        return Scope(write=False)
    if p.role == "staff" and p.cluster:
        return Scope(cluster=p.cluster)
    organisation = getattr(p, "organisation", None)
    if p.role == "member" and organisation:
        return Scope(organisation=organisation_ref(organisation))
    raise Forbidden(
        Text(da="denne rolle har ingen adgang til matchmaking", en="this role has no matchmaking"),
        code="role-forbidden",
    )


def _read_only() -> Forbidden:
    return Forbidden(
        Text(da="en analytiker må kun læse", en="an analyst may only read"), code="read-only"
    )


def _no_profile(ref: str) -> NotFound:
    return NotFound(
        Text(
            da=f"der er ingen matchmaking-profil for {ref!r}",
            en=f"there is no matchmaking profile for {ref!r}",
        ),
        code="no-such-profile",
    )


def _no_organisation(ref: str) -> NotFound:
    return NotFound(
        Text(da=f"ukendt organisation {ref!r}", en=f"unknown organisation {ref!r}"),
        code="unknown-organisation",
    )


def _run(call: Callable[[Connection], Any], *, write: bool = False) -> Any:
    from klynge.services.registry import with_database

    def go(engine: Engine) -> Any:
        if write:
            with engine.begin() as conn:
                return call(conn)
        with engine.connect() as conn:
            return call(conn)

    return with_database(go)


def _may_see(conn: Connection, s: Scope, org: dict[str, Any]) -> bool:
    from klynge.storage.matchmaking import is_member

    if s.organisation is not None:
        return (
            organisation_ref(str(org["key"])) == s.organisation
            or str(org["key"]).lower() == s.organisation
        )
    if s.cluster is not None:
        return is_member(conn, int(org["id"]), s.cluster)
    return True


def _organisation(conn: Connection, ref: str, s: Scope) -> dict[str, Any]:
    """The organisation ``ref`` names, if the scope may see it (else "unknown", as if absent)."""
    from klynge.storage.matchmaking import organisation_by_ref

    org = organisation_by_ref(conn, organisation_ref(ref.strip()))
    if org is None or not _may_see(conn, s, org):
        raise _no_organisation(ref)
    return org


# -- profiles -----------------------------------------------------------------------------------
class Profile(BaseModel):
    id: int
    organisation: str = Field(description="The organisation's key.")
    organisation_name: str
    organisation_kind: str
    clusters: list[str] = Field(description="Clusters the organisation is a member of.")
    contact: str | None = Field(description="E-mail of the contact person who keeps it.")
    language: str
    offers: str
    seeks: str
    areas: list[str]
    technologies: list[str]
    partner_kinds: list[str]
    countries: list[str]
    expires_on: date | None
    hidden: bool
    active: bool = Field(description="Not hidden and not expired: shown to others.")
    updated_at: datetime


class ProfileList(BaseModel):
    items: list[Profile]
    total: int


class ProfileInput(BaseModel):
    """A profile as a form or the API sends it (the organisation comes from the path)."""

    model_config = ConfigDict(extra="forbid")

    offers: str = Field(max_length=5000)
    seeks: str = Field(max_length=5000)
    language: Literal["da", "en"] | None = None
    contact: str | None = Field(default=None, max_length=254)
    areas: list[str] = Field(default_factory=list, max_length=20)
    technologies: list[str] = Field(default_factory=list, max_length=20)
    partner_kinds: list[str] = Field(default_factory=list, max_length=6)
    countries: list[str] = Field(default_factory=list, max_length=50)
    expires_on: date | None = None
    hidden: bool = False


def _area_slugs() -> frozenset[str]:
    from klynge.landscape import get_landscape

    return frozenset(get_landscape().areas)


def _split(v: str) -> list[str]:
    return [x for x in v.split(";") if x]


def _profiles(conn: Connection, today: date, **where: Any) -> list[Profile]:
    from klynge.storage.matchmaking import clusters_of, profiles

    rows = profiles(conn, **where)
    clusters = clusters_of(conn, [r["organisation_id"] for r in rows])
    return [
        Profile(
            id=r["id"],
            organisation=r["organisation"],
            organisation_name=r["organisation_name"],
            organisation_kind=r["organisation_kind"],
            clusters=clusters.get(r["organisation_id"], []),
            contact=r["contact"],
            language=r["language"],
            offers=r["offers"],
            seeks=r["seeks"],
            areas=_split(r["areas"]),
            technologies=_split(r["technologies"]),
            partner_kinds=_split(r["partner_kinds"]),
            countries=_split(r["countries"]),
            expires_on=r["expires_on"],
            hidden=r["hidden"],
            active=not r["hidden"] and (r["expires_on"] is None or r["expires_on"] >= today),
            updated_at=r["updated_at"],
        )
        for r in rows
    ]


def list_profiles(*, principal: Principal | None, today: date | None = None) -> ProfileList:
    """The profiles the principal may see: staff their members', a member its own."""
    s = scope(principal)
    day = today or date.today()

    def run(conn: Connection) -> ProfileList:
        from klynge.storage.matchmaking import organisation_by_ref

        if s.organisation is not None:
            org = organisation_by_ref(conn, s.organisation)
            items = _profiles(conn, day, organisation_id=org["id"]) if org else []
        else:
            items = _profiles(conn, day, cluster=s.cluster)
        return ProfileList(items=items, total=len(items))

    return _run(run)


def get_profile(
    organisation: str, *, principal: Principal | None, today: date | None = None
) -> Profile:
    s = scope(principal)
    day = today or date.today()

    def run(conn: Connection) -> Profile:
        org = _organisation(conn, organisation, s)
        found = _profiles(conn, day, organisation_id=org["id"])
        if not found:
            raise _no_profile(organisation)
        return found[0]

    return _run(run)


def _problems_error(
    problems: list[tuple[Text, Location | None]], file: str | None = None
) -> InvalidInput:
    n = len(problems)
    where = f"{file}: " if file else ""
    return InvalidInput(
        Text(
            da=f"{where}{n} problem(er); intet er gemt",
            en=f"{where}{n} problem(s); nothing was saved",
        ),
        code="invalid-profile",
        details=problems,
    )


def _values(conn: Connection, fields: Any, org: dict[str, Any]) -> dict[str, Any]:
    """Database values of a checked profile; the contact must be one of the organisation's."""
    from klynge.matchmaking.profiles import join_list
    from klynge.storage.matchmaking import contact_id

    cid = None
    if fields.contact:
        cid = contact_id(conn, int(org["id"]), fields.contact)
        if cid is None:
            raise ValueError("contact")
    return {
        "organisation_id": int(org["id"]),
        "contact_id": cid,
        "language": fields.language,
        "offers": fields.offers,
        "seeks": fields.seeks,
        "areas": join_list(fields.areas),
        "technologies": join_list(fields.technologies),
        "partner_kinds": join_list(fields.partner_kinds),
        "countries": join_list(fields.countries),
        "expires_on": fields.expires_on,
        "hidden": fields.hidden,
    }


def _no_contact(email: str, org: str) -> Text:
    return Text(
        da=f"{email} er ikke kontaktperson for {org} i registret",
        en=f"{email} is not a contact person of {org} in the registry",
    )


def save_profile(
    organisation: str,
    data: ProfileInput,
    *,
    principal: Principal | None,
    today: date | None = None,
) -> Profile:
    """Create or replace an organisation's profile (staff: their members'; a member: its own)."""
    from klynge.matchmaking.profiles import check_profile
    from klynge.storage.matchmaking import upsert_profile

    s = scope(principal)
    if not s.write:
        raise _read_only()
    raw = {**data.model_dump(), "organisation": organisation}
    fields, problems = check_profile(raw, areas=_area_slugs())
    if fields is None:
        raise _problems_error([(p.text, Location(field=p.column)) for p in problems])
    day = today or date.today()
    # Embedded before the transaction: a failure writes nothing, and no lock is held meanwhile.
    vectors = match_vectors.for_saving([_fields_match(fields)], _stored_vectors)

    def run(conn: Connection) -> Profile:
        org = _organisation(conn, organisation, s)
        try:
            values = _values(conn, fields, org)
        except ValueError:
            raise _problems_error(
                [(_no_contact(str(fields.contact), org["key"]), Location(field="contact"))]
            ) from None
        pid, _ = upsert_profile(conn, values)
        if vectors is not None:
            match_vectors.store(conn, {pid: vectors[0]})
        else:
            match_vectors.prune(conn, {pid: match_vectors.keys(_fields_match(fields))})
        return _profiles(conn, day, organisation_id=org["id"])[0]

    return _run(run, write=True)


def _fields_match(fields: Any) -> Any:
    """The texts of a checked profile as the recommender reads them (for its vectors)."""
    from klynge.matchmaking.recommend import MatchProfile

    return MatchProfile(
        id=0,
        organisation=str(fields.organisation),
        offers=fields.offers,
        seeks=fields.seeks,
        technologies=tuple(fields.technologies),
    )


def _stored_vectors(model: str, hashes: list[str]) -> match_vectors.Rows:
    from klynge.storage.matchmaking import vectors_by_hash

    return _run(lambda conn: vectors_by_hash(conn, model, hashes))


class Deleted(BaseModel):
    organisation: str
    deleted: bool


def delete_profile(organisation: str, *, principal: Principal | None) -> Deleted:
    from klynge.storage.matchmaking import delete_profile as remove
    from klynge.storage.matchmaking import profiles

    s = scope(principal)
    if not s.write:
        raise _read_only()

    def run(conn: Connection) -> Deleted:
        org = _organisation(conn, organisation, s)
        rows = profiles(conn, organisation_id=org["id"])
        if not rows:
            raise _no_profile(organisation)
        remove(conn, rows[0]["id"])
        return Deleted(organisation=org["key"], deleted=True)

    return _run(run, write=True)


class ProfileImportResult(BaseModel):
    imported: bool
    dry_run: bool
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    notes: list[str]


def import_profiles(
    source: Path | bytes,
    *,
    name: str | None = None,
    dry_run: bool = False,
    principal: Principal | None,
    lang: str | None = None,
    progress: match_vectors.Progress | None = None,
) -> ProfileImportResult:
    """Import profiles from CSV or XLSX, all or nothing: every bad cell is reported with its
    row and column, and nothing is saved unless the whole file is clean. Staff import their
    own members' profiles only; a row for another organisation is "unknown", as if absent.
    With the embedding model, the profiles' vectors are computed (in batches, reported to
    ``progress``) before the transaction and written in it with the profiles."""
    from klynge.matchmaking.profiles import COLUMNS, REQUIRED, check_profile, row_keys
    from klynge.storage.matchmaking import contact_id, upsert_profile
    from klynge.tables import open_rows

    s = scope(principal)
    if not s.write or s.organisation is not None:
        raise Forbidden(
            Text(
                da="kun administratorer og klyngens medarbejdere indlæser profiler",
                en="only administrators and cluster staff import profiles",
            ),
            code="import-forbidden",
        )
    label = name or (str(source) if isinstance(source, Path) else "upload")
    areas = _area_slugs()
    with open_rows(source, name=label, sheets=("profiles", "profiler")) as rows:
        unknown = [c for c in rows.header if c not in COLUMNS]
        missing = [c for c in REQUIRED if c not in rows.header]
        if unknown or missing:
            raise InvalidInput(
                Text(
                    da=f"{label}: ukendte kolonner {unknown}, manglende {missing}; brug "
                    f"{', '.join(COLUMNS)}",
                    en=f"{label}: unknown columns {unknown}, missing {missing}; use "
                    f"{', '.join(COLUMNS)}",
                ),
                code="bad-header",
                location=Location(file=label, row=1),
            )
        parsed: list[tuple[int, Any]] = []
        problems: list[tuple[Text, Location | None]] = []
        # Every row's organisation and contact, in file order, also for rows with a bad cell:
        # they are checked against the registry in the same pass (every problem at once).
        keyed: list[tuple[int, Any, str | None, str | None]] = []
        for number, raw in rows:
            clean = {k: unescape_cell(v) if isinstance(v, str) else v for k, v in raw.items()}
            fields, found = check_profile(clean, areas=areas)
            problems += [(p.text, Location(file=label, row=number, column=p.column)) for p in found]
            if fields is not None:
                parsed.append((number, fields))
            keyed.append((number, fields, *row_keys(clean)))
        notes = [n.get(lang) for n in rows.notes] + [
            w.text.get(lang) if hasattr(w, "text") else str(w) for w in rows.warnings
        ]

    def resolve(conn: Connection) -> tuple[list[tuple[int, Any, Any]], list[Any]]:
        """Each parsed row's organisation and stored values, or its problem: one check for the
        read-only pass before embedding and for the writing transaction."""
        found: list[tuple[Text, Location | None]] = []
        resolved: list[tuple[int, Any, Any]] = []
        seen: dict[int, int] = {}
        for number, fields, organisation, contact in keyed:
            if organisation is None:
                continue  # reported as missing by the row's own check
            try:
                org = _organisation(conn, organisation, s)
            except NotFound as exc:
                found.append((exc.message, Location(file=label, row=number, column="organisation")))
                continue
            if org["id"] in seen:
                found.append(
                    (
                        Text(
                            da=f"{org['key']} har allerede en profil i række {seen[org['id']]}",
                            en=f"{org['key']} already has a profile in row {seen[org['id']]}",
                        ),
                        Location(file=label, row=number, column="organisation"),
                    )
                )
                continue
            seen[org["id"]] = number
            if fields is None:
                # A row with a bad cell: its contact is still checked, then it is left out.
                if contact and contact_id(conn, int(org["id"]), contact) is None:
                    found.append(
                        (
                            _no_contact(contact, org["key"]),
                            Location(file=label, row=number, column="contact"),
                        )
                    )
                continue
            try:
                values = _values(conn, fields, org)
            except ValueError:
                found.append(
                    (
                        _no_contact(str(fields.contact), org["key"]),
                        Location(file=label, row=number, column="contact"),
                    )
                )
                continue
            resolved.append((number, fields, values))
        return resolved, found

    vectors = None
    if not problems and not dry_run:
        # Organisations and contacts first: a file that names an unknown one is refused before
        # any text is embedded (about 30 ms a text), not after.
        early = _run(lambda conn: resolve(conn)[1])
        if early:
            raise _problems_error(early, label)
        embedded = match_vectors.for_saving(
            [_fields_match(f) for _, f in parsed], _stored_vectors, progress
        )
        vectors = dict(zip((n for n, _ in parsed), embedded, strict=True)) if embedded else None

    def run(conn: Connection) -> ProfileImportResult:
        counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        written: dict[int, match_vectors.Rows] = {}
        current: dict[int, set[tuple[str, str]]] = {}
        resolved, found = resolve(conn)
        problems.extend(found)
        if not problems:
            for number, fields, values in resolved:
                pid, what = upsert_profile(conn, values)
                counts[what] += 1
                if vectors is not None:
                    written[pid] = vectors[number]
                elif what == "updated":
                    current[pid] = match_vectors.keys(_fields_match(fields))
        if problems:
            # Row by row, as the file reads (the registry's checks came after the cells').
            problems.sort(key=lambda p: (p[1].row or 0) if p[1] else 0)
            raise _problems_error(problems, label)
        match_vectors.store(conn, written)
        match_vectors.prune(conn, current)
        if dry_run:
            conn.rollback()
        return ProfileImportResult(
            imported=not dry_run,
            dry_run=dry_run,
            file=label,
            rows=len(parsed),
            notes=notes,
            **counts,
        )

    return _run(run, write=True)


def _profile_csv(items: list[Profile]) -> str:
    from klynge.matchmaking.profiles import COLUMNS

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for p in items:
        w.writerow(
            [
                escape_cell(p.organisation),
                escape_cell(p.contact or ""),
                p.language,
                escape_cell(p.offers),
                escape_cell(p.seeks),
                ";".join(p.areas),
                escape_cell(";".join(p.technologies)),
                ";".join(p.partner_kinds),
                ";".join(p.countries),
                p.expires_on.isoformat() if p.expires_on else "",
                "yes" if p.hidden else "no",
            ]
        )
    return out.getvalue()


class ProfileExport(BaseModel):
    file: str
    rows: int
    possible_personal_data: list[str] = Field(
        default_factory=lambda: ["contact", "offers", "seeks"],
        description="Columns that hold (contact) or as free text may hold personal data.",
    )


def export_profiles_text(*, principal: Principal | None) -> tuple[str, int]:
    """The profiles the principal may see as CSV text in the form import reads."""
    items = list_profiles(principal=principal).items
    return _profile_csv(items), len(items)


def export_profiles(path: Path, *, principal: Principal | None) -> ProfileExport:
    from klynge.services.registry import cannot_write, check_target

    check_target(path, (".csv",))
    text, n = export_profiles_text(principal=principal)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise cannot_write(path, exc) from None
    return ProfileExport(file=str(path), rows=n)


# -- recommendations ----------------------------------------------------------------------------
class Partner(BaseModel):
    organisation: str
    organisation_name: str
    organisation_kind: str
    clusters: list[str]
    language: str
    offers: str
    areas: list[str]
    score: float
    reasons: list[str] = Field(description="Why, in the requested language, strongest first.")
    reason_codes: list[str]


class Recommendations(BaseModel):
    organisation: str
    organisation_name: str
    profile_active: bool
    partners: list[Partner]
    notes: list[str]


def _match_profile(p: Profile) -> Any:
    from klynge.matchmaking.recommend import MatchProfile

    return MatchProfile(
        id=p.id,
        organisation=p.organisation,
        offers=p.offers,
        seeks=p.seeks,
        organisation_kind=p.organisation_kind,
        organisation_name=p.organisation_name,
        clusters=frozenset(p.clusters),
        areas=frozenset(p.areas),
        technologies=tuple(p.technologies),
        partner_kinds=frozenset(p.partner_kinds),
        countries=frozenset(p.countries),
        hidden=p.hidden,
        expires_on=p.expires_on,
        language=p.language,
    )


def recommend(
    organisation: str,
    *,
    limit: int = 10,
    principal: Principal | None,
    lang: str | None = None,
    today: date | None = None,
) -> Recommendations:
    """Partners for an organisation's profile, best first, each with its reasons."""
    from klynge.landscape import get_landscape
    from klynge.matchmaking.recommend import Index

    s = scope(principal)
    if not 1 <= limit <= 100:
        raise InvalidInput(
            Text(da="limit skal være mellem 1 og 100", en="limit must be between 1 and 100"),
            code="bad-limit",
        )
    day = today or date.today()

    def run(conn: Connection) -> tuple[Profile, list[Profile], list[Any], list[int], Any]:
        org = _organisation(conn, organisation, s)
        mine = _profiles(conn, day, organisation_id=org["id"])
        if not mine:
            raise _no_profile(organisation)
        everyone = _profiles(conn, day)
        profiles = [_match_profile(p) for p in everyone]
        ids = match_vectors.to_read(profiles)
        return mine[0], everyone, profiles, ids, match_vectors.read(conn, ids)

    me, everyone, profiles, ids, stored = _run(run)
    by_id = {p.id: p for p in everyone}
    # The stored vectors spare this process embedding every profile (revision 0012); what it
    # had to embed (profiles stored without them) is written back for the next one.
    match_vectors.prime(profiles, stored, ids)
    index = Index.build(profiles)
    names = {slug: a.name for slug, a in get_landscape().areas.items()}
    recs = index.recommend(me.id, limit=limit, today=day, area_names=names)
    match_vectors.write_back(lambda call: _run(call, write=True), profiles)
    notes = []
    if not me.active:
        notes.append(
            Text(
                da="profilen er skjult eller udløbet: andre får den ikke anbefalet",
                en="the profile is hidden or expired: it is not recommended to others",
            ).get(lang)
        )
    if not recs:
        notes.append(
            Text(
                da="ingen aktiv profil tilbyder noget, der ligner det, profilen søger",
                en="no active profile offers anything like what this profile seeks",
            ).get(lang)
        )
    partners = []
    for r in recs:
        p = by_id[int(r.profile.id)]
        partners.append(
            Partner(
                organisation=p.organisation,
                organisation_name=p.organisation_name,
                organisation_kind=p.organisation_kind,
                clusters=p.clusters,
                language=p.language,
                offers=p.offers,
                areas=p.areas,
                score=r.score,
                reasons=[x.text.get(lang) for x in r.reasons],
                reason_codes=[x.code for x in r.reasons],
            )
        )
    return Recommendations(
        organisation=me.organisation,
        organisation_name=me.organisation_name,
        profile_active=me.active,
        partners=partners,
        notes=notes,
    )


# -- meeting requests ---------------------------------------------------------------------------
class MeetingRequestOut(BaseModel):
    id: int
    event: str | None = Field(description="The event's ref, for requests inside an event.")
    sender: str
    sender_name: str
    receiver: str
    receiver_name: str
    sender_participant: int | None = Field(
        default=None, description="At an event: the sender's participant who asks."
    )
    sender_person: str | None = Field(default=None, description="That participant's name.")
    receiver_participant: int | None = Field(
        default=None, description="At an event: the receiver's participant who is asked."
    )
    receiver_person: str | None = Field(default=None, description="That participant's name.")
    state: State
    priority: Literal["must", "normal"]
    message: str | None
    sent_on: date
    answered_on: date | None
    expires_on: date | None = Field(description="When an unanswered request expires.")
    mutual: bool = Field(description="The receiver has also asked to meet the sender.")


class RequestList(BaseModel):
    items: list[MeetingRequestOut]
    total: int


def _request_out(
    row: dict[str, Any], mutual: bool, days: int, events: dict[int, str]
) -> MeetingRequestOut:
    return MeetingRequestOut(
        id=row["id"],
        event=events.get(row["event_id"]) if row["event_id"] else None,
        sender=row["sender"],
        sender_name=row["sender_name"],
        receiver=row["receiver"],
        receiver_name=row["receiver_name"],
        sender_participant=row["sender_participant_id"],
        sender_person=row["sender_person"],
        receiver_participant=row["receiver_participant_id"],
        receiver_person=row["receiver_person"],
        state=row["state"],
        priority=row["priority"],
        message=row["message"],
        sent_on=row["sent_on"],
        answered_on=row["answered_on"],
        expires_on=row["sent_on"] + timedelta(days=days) if row["state"] == "requested" else None,
        mutual=mutual,
    )


def _decorate(conn: Connection, rows: list[dict[str, Any]]) -> list[MeetingRequestOut]:
    """Requests with their mutual flag, expiry day and event ref."""
    from klynge.storage.matchmaking import event_by_id, open_request, request_days

    event_ids = {r["event_id"] for r in rows if r["event_id"]}
    days = request_days(conn, event_ids)
    refs = {}
    for eid in event_ids:
        ev = event_by_id(conn, eid)
        if ev:
            refs[eid] = ev["ref"]
    out = []
    for r in rows:
        back = open_request(
            conn,
            r["receiver_id"],
            r["sender_id"],
            r["event_id"],
            (r["receiver_participant_id"], r["sender_participant_id"]),
        )
        mutual = back is not None and r["state"] in ("requested", "accepted")
        n = days.get(r["event_id"], DEFAULT_REQUEST_DAYS) if r["event_id"] else DEFAULT_REQUEST_DAYS
        out.append(_request_out(r, mutual, n, refs))
    return out


def _event(conn: Connection, ref: str, s: Scope) -> dict[str, Any]:
    from klynge.storage.matchmaking import event_by_key

    ev = event_by_key(conn, s.cluster, ref)
    if ev is None:
        raise NotFound(
            Text(da=f"ukendt arrangement {ref!r}", en=f"unknown event {ref!r}"),
            code="no-such-event",
        )
    return ev


def request_meeting(
    sender: str,
    receiver: str,
    *,
    event: str | None = None,
    message: str | None = None,
    priority: Literal["must", "normal"] = "normal",
    sender_participant: int | str | None = None,
    receiver_participant: int | str | None = None,
    principal: Principal | None,
    today: date | None = None,
) -> MeetingRequestOut:
    """Ask to meet another organisation. The sender must be within the principal's scope; the
    receiver needs an active profile (hidden profiles have opted out). ``mutual`` in the answer
    says the receiver has asked for the same meeting.

    At an event, the request names who meets whom: ``sender_participant`` and
    ``receiver_participant`` (a participant id or e-mail). An organisation with one participant
    needs no choice; one with several must be given one, else the request is refused with the
    choices listed (never sent to someone at random)."""
    from klynge.storage.matchmaking import add_request, open_request, requests

    s = scope(principal)
    if not s.write:
        raise _read_only()
    day = today or date.today()
    if message is not None and len(message) > 1000:
        raise InvalidInput(
            Text(da="beskeden er over 1000 tegn", en="the message is over 1000 characters"),
            code="message-too-long",
        )

    def run(conn: Connection) -> MeetingRequestOut:
        me = _organisation(conn, sender, s)
        other = _organisation(conn, receiver, Scope())
        if other["id"] == me["id"]:
            raise InvalidInput(
                Text(
                    da="en organisation kan ikke bede om et møde med sig selv",
                    en="an organisation cannot ask to meet itself",
                ),
                code="request-self",
            )
        theirs = _profiles(conn, day, organisation_id=other["id"])
        if not theirs or not theirs[0].active:
            raise _no_profile(receiver)  # hidden or expired: as if there were none
        event_id = None
        people: tuple[int | None, int | None] = (None, None)
        if event is not None:
            # An event of the sender's cluster (staff), or any event (admin, member).
            ev = _event(conn, event, Scope(cluster=s.cluster))
            event_id = ev["id"]
            people = _participants_for(
                conn, ev, me, other, sender_participant, receiver_participant
            )
        elif sender_participant is not None or receiver_participant is not None:
            field = (
                "sender_participant" if sender_participant is not None else "receiver_participant"
            )
            raise InvalidInput(
                Text(
                    da="deltagere vælges kun ved et arrangement: angiv også arrangementet",
                    en="participants are chosen only at an event: give the event too",
                ),
                code="participant-without-event",
                location=Location(field=field),
            )
        if open_request(conn, me["id"], other["id"], event_id, people) is not None:
            raise Conflict(
                Text(
                    da=f"{me['key']} har allerede en åben anmodning til {other['key']}",
                    en=f"{me['key']} already has an open request to {other['key']}",
                ),
                code="duplicate-request",
            )
        rid = add_request(
            conn,
            {
                "event_id": event_id,
                "sender_id": me["id"],
                "receiver_id": other["id"],
                "sender_participant_id": people[0],
                "receiver_participant_id": people[1],
                "state": "requested",
                "priority": priority,
                "message": message,
                "sent_on": day,
            },
        )
        return _decorate(conn, requests(conn, request_id=rid))[0]

    return _run(run, write=True)


class ParticipantChoice(BaseModel):
    id: int
    name: str
    organisation: str
    email: str | None = Field(default=None, description="Given for one's own people only.")


class RequestChoices(BaseModel):
    """Who may ask and who may be asked at an event, per side (for a form's select)."""

    event: str
    sender: list[ParticipantChoice]
    receiver: list[ParticipantChoice]


def _people_of(conn: Connection, event_id: int, organisation_id: int) -> list[dict[str, Any]]:
    from klynge.storage.matchmaking import event_participants

    return [
        p for p in event_participants(conn, event_id) if p["organisation_id"] == organisation_id
    ]


def _pick(
    people: list[dict[str, Any]],
    chosen: int | str | None,
    field: str,
    org: dict[str, Any],
    event_ref: str,
) -> int | None:
    """The participant a request names on one side: the chosen one (by id or e-mail), the only
    one, or none when the organisation has nobody at the event (the request is then left out
    of the schedule, and counted). Several and no choice is an error listing the choices."""
    listing = ", ".join(f"{p['id']} ({p['name']})" for p in people)
    if chosen is not None and str(chosen).strip() != "":
        key = str(chosen).strip().lower()
        for p in people:
            if str(p["id"]) == key or str(p["email"]).lower() == key:
                return int(p["id"])
        raise InvalidInput(
            Text(
                da=f"{chosen!r} er ikke deltager for {org['name']} ved {event_ref}"
                + (f"; vælg mellem {listing}" if people else "; organisationen har ingen"),
                en=f"{chosen!r} is not a participant of {org['name']} at {event_ref}"
                + (f"; choose from {listing}" if people else "; the organisation has none"),
            ),
            code="unknown-participant",
            location=Location(field=field),
        )
    if len(people) <= 1:
        return int(people[0]["id"]) if people else None
    raise InvalidInput(
        Text(
            da=f"{org['name']} har {len(people)} deltagere ved {event_ref}: vælg en i "
            f"{field}: {listing}",
            en=f"{org['name']} has {len(people)} participants at {event_ref}: choose one in "
            f"{field}: {listing}",
        ),
        code="participant-required",
        location=Location(field=field),
        details=[
            (
                Text(da=f"{p['id']}: {p['name']}", en=f"{p['id']}: {p['name']}"),
                Location(field=field),
            )
            for p in people
        ],
    )


def _participants_for(
    conn: Connection,
    ev: dict[str, Any],
    me: dict[str, Any],
    other: dict[str, Any],
    sender_participant: int | str | None,
    receiver_participant: int | str | None,
) -> tuple[int | None, int | None]:
    mine = _people_of(conn, ev["id"], int(me["id"]))
    theirs = _people_of(conn, ev["id"], int(other["id"]))
    return (
        _pick(mine, sender_participant, "sender_participant", me, ev["ref"]),
        _pick(theirs, receiver_participant, "receiver_participant", other, ev["ref"]),
    )


def request_choices(
    sender: str, receiver: str, event: str, *, principal: Principal | None
) -> RequestChoices:
    """The participants each side has at an event, for choosing who meets whom."""
    s = scope(principal)

    def run(conn: Connection) -> RequestChoices:
        me = _organisation(conn, sender, s)
        other = _organisation(conn, receiver, Scope())
        ev = _event(conn, event, Scope(cluster=s.cluster))

        def choices(org: dict[str, Any]) -> list[ParticipantChoice]:
            return [
                ParticipantChoice(id=p["id"], name=p["name"], organisation=p["organisation"])
                for p in _people_of(conn, ev["id"], int(org["id"]))
            ]

        return RequestChoices(event=ev["ref"], sender=choices(me), receiver=choices(other))

    return _run(run)


def answer_request(
    request_id: int,
    accept: bool,
    *,
    principal: Principal | None,
    today: date | None = None,
) -> MeetingRequestOut:
    """Accept or decline a request. Only the receiver's side answers (a member for itself,
    staff for their members, admins); an expired or answered request cannot be answered."""
    from klynge.storage.matchmaking import expire_requests, requests, set_request

    s = scope(principal)
    if not s.write:
        raise _read_only()
    day = today or date.today()

    def run(conn: Connection) -> MeetingRequestOut:
        expire_requests(conn, day, DEFAULT_REQUEST_DAYS)
        rows = requests(conn, request_id=request_id)
        visible = rows and _visible(conn, s, rows[0])
        if not visible:
            raise NotFound(
                Text(
                    da=f"der er ingen mødeanmodning nr. {request_id}",
                    en=f"there is no meeting request {request_id}",
                ),
                code="no-such-request",
            )
        row = rows[0]
        receiver = {"id": row["receiver_id"], "key": row["receiver"]}
        if not _may_see(conn, s, receiver):
            raise Forbidden(
                Text(
                    da="kun modtagerens side svarer på en anmodning",
                    en="only the receiving side answers a request",
                ),
                code="not-receiver",
            )
        if row["state"] != "requested":
            raise Conflict(
                Text(
                    da=f"anmodningen er allerede {_STATE_DA[row['state']]}",
                    en=f"the request is already {row['state']}",
                ),
                code="request-closed",
            )
        set_request(conn, request_id, state="accepted" if accept else "declined", answered_on=day)
        return _decorate(conn, requests(conn, request_id=request_id))[0]

    return _run(run, write=True)


_STATE_DA = {
    "requested": "sendt",
    "accepted": "accepteret",
    "declined": "afvist",
    "expired": "udløbet",
}


def _visible(conn: Connection, s: Scope, row: dict[str, Any]) -> bool:
    from klynge.storage.matchmaking import event_by_id

    sides = [
        {"id": row["sender_id"], "key": row["sender"]},
        {"id": row["receiver_id"], "key": row["receiver"]},
    ]
    if any(_may_see(conn, s, o) for o in sides):
        return True
    if s.cluster is not None and row["event_id"]:
        ev = event_by_id(conn, row["event_id"])
        return ev is not None and ev["cluster"] == s.cluster
    return False


def list_requests(
    *,
    principal: Principal | None,
    state: State | None = None,
    event: str | None = None,
    today: date | None = None,
) -> RequestList:
    """The requests the principal may see (expired ones marked as such first)."""
    from klynge.storage.matchmaking import expire_requests, requests

    if state is not None and state not in get_args(State):
        raise InvalidInput(
            Text(
                da=f"ukendt tilstand {state!r} (vælg {', '.join(get_args(State))})",
                en=f"unknown state {state!r} (choose {', '.join(get_args(State))})",
            ),
            code="unknown-state",
            location=Location(field="state"),
        )
    s = scope(principal)
    day = today or date.today()

    def run(conn: Connection) -> RequestList:
        if s.write:
            expire_requests(conn, day, DEFAULT_REQUEST_DAYS)
        # A reader cannot write the expiry, so it is applied to what the reader sees instead.
        where: dict[str, Any] = {"state": state if s.write else None}
        if event is not None:
            where["event_id"] = _event(conn, event, Scope(cluster=s.cluster))["id"]
        if s.organisation is not None:
            org = _organisation(conn, s.organisation, s)
            where["organisation_id"] = org["id"]
        elif s.cluster is not None:
            where["cluster"] = s.cluster
        items = _decorate(conn, requests(conn, **where))
        if not s.write:
            items = [_as_seen_on(i, day) for i in items]
            items = [i for i in items if state is None or i.state == state]
        return RequestList(items=items, total=len(items))

    return _run(run, write=s.write)


def _as_seen_on(item: MeetingRequestOut, day: date) -> MeetingRequestOut:
    """An unanswered request past its day is expired, whether or not a writer has said so yet."""
    if item.state == "requested" and item.expires_on is not None and item.expires_on <= day:
        return item.model_copy(update={"state": "expired", "expires_on": None})
    return item


def expire_due(*, principal: Principal | None, today: date | None = None) -> int:
    """Mark requests unanswered for N days as expired; returns how many (admins)."""
    from klynge.services.auth import require_admin
    from klynge.storage.matchmaking import expire_requests

    require_admin(principal)
    day = today or date.today()
    return _run(lambda conn: expire_requests(conn, day, DEFAULT_REQUEST_DAYS), write=True)


class Reminder(BaseModel):
    request: int
    receiver: str
    receiver_name: str
    sender_name: str
    expires_on: date
    to: list[str] = Field(description="E-mails of the receiver's contacts who consented.")
    message: str


class Reminders(BaseModel):
    items: list[Reminder]


def due_reminders(
    *,
    principal: Principal | None,
    today: date | None = None,
    before: int = REMIND_BEFORE_DAYS,
    mark: bool = False,
    lang: str | None = None,
) -> Reminders:
    """Unanswered requests that expire within ``before`` days and whose receiver was not
    reminded yet, with the receiver's contacts who consented to matchmaking. ``mark`` records
    the reminder as sent, so the next run does not repeat it."""
    from klynge.storage.matchmaking import contacts_of, requests, set_request

    s = scope(principal)
    if mark and not s.write:
        raise _read_only()
    day = today or date.today()

    def run(conn: Connection) -> Reminders:
        where: dict[str, Any] = {"state": "requested"}
        if s.cluster is not None:
            where["cluster"] = s.cluster
        rows = [r for r in requests(conn, **where) if r["reminded_on"] is None]
        if s.organisation is not None:
            rows = [r for r in rows if str(r["receiver"]).lower() == s.organisation]
        items = []
        decorated = {d.id: d for d in _decorate(conn, rows)}
        contacts = contacts_of(conn, [r["receiver_id"] for r in rows])
        for r in rows:
            d = decorated[r["id"]]
            if d.expires_on is None or not day < d.expires_on <= day + timedelta(days=before):
                continue
            text = Text(
                da=f"{r['sender_name']} vil gerne mødes med {r['receiver_name']}; svar senest "
                f"{d.expires_on - timedelta(days=1)}",
                en=f"{r['sender_name']} would like to meet {r['receiver_name']}; answer by "
                f"{d.expires_on - timedelta(days=1)}",
            )
            items.append(
                Reminder(
                    request=r["id"],
                    receiver=r["receiver"],
                    receiver_name=r["receiver_name"],
                    sender_name=r["sender_name"],
                    expires_on=d.expires_on,
                    to=[c["email"] for c in contacts.get(r["receiver_id"], [])],
                    message=text.get(lang),
                )
            )
            if mark:
                set_request(conn, r["id"], reminded_on=day)
        return Reminders(items=items)

    return _run(run, write=mark)


# -- events -------------------------------------------------------------------------------------
class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: datetime
    end: datetime
    session: str | None = Field(default=None, max_length=100)


class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    organisation: str | None = Field(
        default=None, description="Needed when the person is a contact of several organisations."
    )
    available: list[int] | None = None
    quota: int | None = Field(default=None, ge=0)
    booth: str | None = Field(default=None, max_length=100)


class EventIn(BaseModel):
    """A brokerage event as an organiser creates it (JSON)."""

    model_config = ConfigDict(extra="forbid")

    cluster: str = Field(max_length=200)
    ref: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    tables: int = Field(ge=1, le=100_000)
    request_days: int = Field(default=DEFAULT_REQUEST_DAYS, ge=1, le=365)
    slots: list[SlotIn] = Field(min_length=1, max_length=500)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=20_000)
    #: Problems :func:`event_input` found in a number it could still read (zero tables): they
    #: are reported by :func:`create_event` with the rest, and nothing is saved.
    _pending: list[tuple[Text, Location | None]] = PrivateAttr(default_factory=list)

    @property
    def pending(self) -> list[tuple[Text, Location | None]]:
        """The problems :func:`event_input` found and left for :func:`create_event` to report
        with the rest (a form that stops earlier shows them with its own)."""
        return list(self._pending)


class EventOut(BaseModel):
    id: int
    cluster: str
    ref: str
    name: str
    tables: int
    request_days: int
    slots: int = Field(description="The slots meetings can be placed in (not cancelled).")
    participants: int
    cancelled_slots: int = Field(
        default=0, description="Cancelled slots: they keep their number, and hold no meetings."
    )


def _invalid_event(problems: list[tuple[Text, Location | None]]) -> InvalidInput:
    """One refusal for a whole event, every problem listed: nothing of it is saved."""
    return InvalidInput(
        Text(
            da=f"arrangementet har {len(problems)} problem(er); intet er gemt",
            en=f"the event has {len(problems)} problem(s); nothing was saved",
        ),
        code="invalid-event",
        details=problems,
    )


def event_input(data: Any) -> EventIn:
    """Check an event as an organiser wrote it (JSON, a form) before :func:`create_event`:
    every field's problem at once, in both languages, with its field (``tables``,
    ``slots.2.end``), instead of the validator's English."""
    from pydantic import ValidationError

    try:
        return EventIn.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problems: list[tuple[Text, Location | None]] = [
            (field_problem(e), Location(field=".".join(str(x) for x in e["loc"]) or None))
            for e in errors
        ]
        # A number out of range (zero tables) does not stop the other checks: they need the
        # registry, so create_event reports this problem with theirs and saves nothing.
        ranged = ("greater_than_equal", "less_than_equal")
        if isinstance(data, dict) and all(
            e["type"] in ranged and tuple(e["loc"]) in (("tables",), ("request_days",))
            for e in errors
        ):
            patched = dict(data)
            for e in errors:
                ctx = e.get("ctx") or {}
                patched[e["loc"][0]] = ctx.get("ge", ctx.get("le"))
            try:
                body = EventIn.model_validate(patched)
            except ValidationError:
                raise _invalid_event(problems) from None
            body._pending = problems
            return body
        raise _invalid_event(problems) from None


def _wall_clock(slots: list[SlotIn]) -> list[SlotIn]:
    """The slots as the venue's wall clock, without a zone.

    PostgreSQL would shift a time with an offset to UTC and SQLite would drop the offset, so the
    same event showed different hours per database: keep the clock the organiser wrote, and
    refuse mixed offsets (which cannot even be compared, let alone stored as one clock)."""
    offsets = {t.utcoffset() for sl in slots for t in (sl.start, sl.end)}
    if len(offsets) > 1:
        raise InvalidInput(
            Text(
                da="tidsrummenes tidspunkter blander tidszoner; angiv alle i samme zone",
                en="the slot times mix time zones; give them all in the same zone",
            ),
            code="invalid-event",
            details=[
                (
                    Text(
                        da="alle tidsrum skal have samme UTC-forskydning (eller ingen)",
                        en="every slot needs the same UTC offset (or none)",
                    ),
                    Location(field="slots"),
                )
            ],
        )
    return [
        sl.model_copy(
            update={"start": sl.start.replace(tzinfo=None), "end": sl.end.replace(tzinfo=None)}
        )
        for sl in slots
    ]


def _slot_problems(
    slots: Sequence[SlotIn | None], focus: int | None = None
) -> list[tuple[Text, Location | None]]:
    """Each slot must end after it starts and overlap no other, in both languages and with its
    field (``slots.2``). ``None`` stands for a cancelled slot: it keeps its index and no longer
    takes up its time. An overlap is named on ``focus`` (the slot being changed) when it is one
    of the two, else on the later slot."""
    problems: list[tuple[Text, Location | None]] = []
    live = [(i, sl) for i, sl in enumerate(slots) if sl is not None]
    for i, sl in live:
        if sl.end <= sl.start:
            problems.append(
                (
                    Text(
                        da="tidsrummet slutter før det begynder",
                        en="the slot ends before it starts",
                    ),
                    Location(field=f"slots.{i}"),
                )
            )
    ordered = sorted(live, key=lambda x: x[1].start)
    for (i, a), (j, b) in itertools.pairwise(ordered):
        if b.start < a.end:
            this, other = (i, j) if focus == i else (j, i)
            problems.append(
                (
                    Text(
                        da=f"tidsrum {this} overlapper tidsrum {other}",
                        en=f"slot {this} overlaps slot {other}",
                    ),
                    Location(field=f"slots.{this}"),
                )
            )
    return problems


def _participant_row(
    conn: Connection,
    p: ParticipantIn,
    problems: list[tuple[Text, Location | None]],
    who: Location,
    when: Location,
    *,
    slots: int,
    cancelled: frozenset[int] = frozenset(),
) -> dict[str, Any] | None:
    """One participant as stored, or ``None`` when the person cannot be found; every problem
    goes to ``problems`` (the person's at ``who``, the availability's at ``when``). The one
    rule for creating an event and for adding someone to it later."""
    from klynge.storage.matchmaking import contact_by_email

    found = contact_by_email(conn, p.email)
    if p.organisation is not None:
        org = _organisation(conn, p.organisation, Scope())
        found = [c for c in found if c["organisation_id"] == org["id"]]
    if not found:
        problems.append(
            (
                Text(
                    da=f"{p.email} er ikke en kontaktperson i registret",
                    en=f"{p.email} is not a contact person in the registry",
                ),
                who,
            )
        )
        return None
    if len(found) > 1:
        problems.append(
            (
                Text(
                    da=f"{p.email} er kontakt for flere organisationer: angiv organisation",
                    en=f"{p.email} is a contact of several organisations: give organisation",
                ),
                who,
            )
        )
        return None
    problems.extend(_availability_problems(p.available, when, slots=slots, cancelled=cancelled))
    return {
        "contact_id": int(found[0]["id"]),
        "available": _stored_availability(p.available),
        "quota": p.quota,
        "booth": p.booth or None,
    }


def _availability_problems(
    available: list[int] | None, where: Location, *, slots: int, cancelled: frozenset[int]
) -> list[tuple[Text, Location | None]]:
    """Slots a participant cannot be available in: outside the event, or cancelled."""
    problems: list[tuple[Text, Location | None]] = []
    outside = [a for a in available or [] if not 0 <= a < slots]
    if outside:
        problems.append(
            (
                Text(
                    da=f"tilgængelighed uden for arrangementet: tidsrum {outside}",
                    en=f"availability outside the event: slots {outside}",
                ),
                where,
            )
        )
    off = sorted({a for a in available or [] if a in cancelled})
    if off:
        problems.append(
            (
                Text(
                    da=f"tilgængelighed i aflyste tidsrum: {off}",
                    en=f"availability in cancelled slots: {off}",
                ),
                where,
            )
        )
    return problems


def _stored_availability(available: list[int] | None) -> str | None:
    return None if available is None else ";".join(str(a) for a in sorted(set(available)))


def create_event(data: EventIn, *, principal: Principal | None) -> EventOut:
    """Create an event of a cluster (staff: their own). Participants are contact persons of
    the registry; every problem is reported at once."""
    from klynge.services.registry import resolve_cluster
    from klynge.storage.matchmaking import add_event, event_by_key

    s = scope(principal)
    if not s.write or s.organisation is not None:
        raise Forbidden(
            Text(
                da="kun klyngens medarbejdere og administratorer opretter arrangementer",
                en="only cluster staff and administrators create events",
            ),
            code="event-forbidden",
        )
    slug = resolve_cluster(data.cluster).slug
    if s.cluster is not None and slug != s.cluster:
        raise Forbidden(
            Text(
                da=f"du arbejder for {s.cluster}, ikke {slug}",
                en=f"you work for {s.cluster}, not {slug}",
            ),
            code="other-cluster",
        )
    slots = _wall_clock(data.slots)
    problems = [*data._pending, *_slot_problems(slots)]

    def run(conn: Connection) -> EventOut:
        if event_by_key(conn, slug, data.ref) is not None:
            raise Conflict(
                Text(
                    da=f"{slug} har allerede et arrangement {data.ref!r}",
                    en=f"{slug} already has an event {data.ref!r}",
                ),
                code="duplicate-event",
            )
        participants = []
        seen: set[int] = set()
        for i, p in enumerate(data.participants):
            where = Location(field=f"participants.{i}")
            row = _participant_row(conn, p, problems, where, where, slots=len(slots))
            if row is None:
                continue
            if row["contact_id"] in seen:
                problems.append(
                    (
                        Text(da=f"{p.email} står der to gange", en=f"{p.email} is listed twice"),
                        where,
                    )
                )
                continue
            seen.add(row["contact_id"])
            participants.append(row)
        if problems:
            raise _invalid_event(problems)
        eid = add_event(
            conn,
            {
                "cluster": slug,
                "ref": data.ref,
                "name": data.name,
                "tables": data.tables,
                "request_days": data.request_days,
            },
            [
                {"position": i, "starts_at": sl.start, "ends_at": sl.end, "session": sl.session}
                for i, sl in enumerate(slots)
            ],
            participants,
        )
        return EventOut(
            id=eid,
            cluster=slug,
            ref=data.ref,
            name=data.name,
            tables=data.tables,
            request_days=data.request_days,
            slots=len(slots),
            participants=len(participants),
        )

    return _run(run, write=True)


def event_document(
    ref: str, *, principal: Principal | None, lang: str | None = None
) -> dict[str, Any]:
    """The event in the scheduler's JSON form (``klynge.matchmaking.events``): slots with
    times, tables, participants (contact persons, by participant id) and the meeting requests
    between them: each between the participants it names, or the organisation's only
    participant. Requests of organisations without a participant, and requests that name none
    where an organisation has several, are left out, counted in ``left_out`` and ``notes`` (in
    ``lang``, Danish or English). Organisers only (staff of the event's cluster, analysts,
    admins)."""
    s = scope(principal)
    if s.organisation is not None:
        raise Forbidden(
            Text(da="kun arrangørerne ser hele arrangementet", en="only organisers see the event"),
            code="event-forbidden",
        )
    return _document(ref, s.cluster, lang)


def _document(ref: str, cluster: str | None, lang: str | None = None) -> dict[str, Any]:
    from klynge.storage.matchmaking import (
        event_locks,
        event_participants,
        event_request_pairs,
        event_slots,
    )

    s = Scope(cluster=cluster)

    def run(conn: Connection) -> dict[str, Any]:
        ev = _event(conn, ref, Scope(cluster=s.cluster))
        slots = event_slots(conn, ev["id"])
        people = event_participants(conn, ev["id"])
        of_org: dict[int, list[int]] = {}
        for p in people:
            of_org.setdefault(p["organisation_id"], []).append(p["id"])

        def who(org_id: int, pid: int | None) -> int | str:
            """The request's participant on one side; never a guess between several."""
            ids = of_org.get(org_id, [])
            if pid is not None and pid in ids:
                return pid
            if len(ids) == 1:
                return ids[0]
            return "ambiguous" if ids else "missing"

        # One request per pair: asking again after a decline or an expiry leaves the old
        # request behind, and the scheduler refuses duplicates. The live one (requested or
        # accepted; at most one per pair) wins, else the newest (rows come in id order).
        by_pair: dict[tuple[int, int], dict[str, Any]] = {}
        missing = ambiguous = 0
        for r in event_request_pairs(conn, ev["id"]):
            a = who(r["sender_id"], r["sender_participant_id"])
            b = who(r["receiver_id"], r["receiver_participant_id"])
            if not isinstance(a, int) or not isinstance(b, int):
                if r["state"] != "accepted":
                    continue  # never scheduled anyway: not "left out"
                if "missing" in (a, b):
                    missing += 1
                else:
                    ambiguous += 1
                continue
            old = by_pair.get((a, b))
            if old is not None and old["state"] in ("requested", "accepted"):
                continue
            by_pair[a, b] = {
                "from": a,
                "to": b,
                "state": r["state"],
                "priority": r["priority"],
                "sent": r["sent_on"].isoformat(),
            }
        reqs = list(by_pair.values())
        return {
            "name": ev["name"],
            "slots": [
                {
                    "start": sl["starts_at"].isoformat(),
                    "end": sl["ends_at"].isoformat(),
                    **({"session": sl["session"]} if sl["session"] else {}),
                    **({"cancelled": True} if sl["cancelled"] else {}),
                }
                for sl in slots
            ],
            "tables": ev["tables"],
            "participants": [
                {
                    "id": p["id"],
                    "name": p["name"],
                    "organisation": p["organisation"],
                    "available": None
                    if p["available"] is None
                    else [int(x) for x in p["available"].split(";") if x],
                    **({"quota": p["quota"]} if p["quota"] is not None else {}),
                    **({"booth": p["booth"]} if p["booth"] else {}),
                }
                for p in people
            ],
            "requests": reqs,
            "locked": [
                {
                    "a": lk["a_id"],
                    "b": lk["b_id"],
                    "slot": lk["slot"],
                    **({"table": lk["table_index"]} if lk["table_index"] is not None else {}),
                }
                for lk in event_locks(conn, ev["id"])
            ],
            "notes": (
                [
                    f"{missing} anmodning(er) mellem organisationer uden en deltager"
                    if lang == "da"
                    else f"{missing} request(s) between organisations without a participant"
                ]
                if missing
                else []
            )
            + (
                [
                    f"{ambiguous} anmodning(er) nævner ingen af de deltagere, en organisation "
                    "har flere af (vælg, hvem der mødes med hvem)"
                    if lang == "da"
                    else f"{ambiguous} request(s) name no participant of an organisation that "
                    "has several (choose who meets whom)"
                ]
                if ambiguous
                else []
            ),
            "left_out": missing + ambiguous,
        }

    return _run(run)


def scheduler_event(ref: str, *, principal: Principal | None) -> Any:
    """The event as the scheduler's model (``klynge.matchmaking.events.Event``), checked by its
    parser. The scheduler core is another part of matchmaking; until it is installed this
    raises :class:`~klynge.errors.Unavailable`."""
    return _parse(event_document(ref, principal=principal), ref)


def _parse(doc: dict[str, Any], ref: str) -> Any:
    import importlib

    from klynge.errors import Unavailable

    doc = {k: v for k, v in doc.items() if k not in ("notes", "left_out")}
    try:
        events = importlib.import_module("klynge.matchmaking.events")
    except ImportError:
        raise Unavailable(
            Text(da="planlæggeren er ikke installeret", en="the scheduler is not installed"),
            code="no-scheduler",
        ) from None
    return events.parse_event(doc, file=ref)


class LockOut(BaseModel):
    """A meeting the organiser fixed in a slot (and optionally at a table, counted from 1)."""

    event: str
    a: int
    a_name: str
    b: int
    b_name: str
    slot: int
    table: int | None


def _event_people(ref: str, s: Scope) -> list[dict[str, Any]]:
    from klynge.storage.matchmaking import event_participants

    def run(conn: Connection) -> list[dict[str, Any]]:
        return event_participants(conn, _event(conn, ref, Scope(cluster=s.cluster))["id"])

    result: list[dict[str, Any]] = _run(run)
    return result


def _one_of(people: list[dict[str, Any]], who: int | str, field: str) -> dict[str, Any]:
    key = str(who).strip().lower()
    for p in people:
        if str(p["id"]) == key or str(p["email"]).lower() == key:
            return p
    raise InvalidInput(
        Text(
            da=f"{who!r} er ikke deltager i arrangementet",
            en=f"{who!r} is not a participant of the event",
        ),
        code="unknown-participant",
        location=Location(field=field),
    )


def lock_meeting(
    ref: str,
    a: int | str,
    b: int | str,
    slot: int,
    table: int | None = None,
    *,
    principal: Principal | None,
) -> LockOut:
    """Fix the meeting of two participants (ids or e-mails) in a slot, and at a table (from 1)
    if given: the scheduler keeps it there, and re-planning never moves it. The lock is
    checked with the scheduler's own rules (the slot exists, both are available, no clash with
    another lock, the table exists and is free) before it is saved."""
    import importlib

    from klynge.storage.matchmaking import set_lock

    s = scope(principal)
    _organisers_only(s)
    if not s.write:
        raise _read_only()
    if table is not None and table < 1:
        raise InvalidInput(
            Text(da="bordene tælles fra 1", en="tables are counted from 1"),
            code="bad-table",
            location=Location(field="table"),
        )
    people = _event_people(ref, s)
    pa, pb = _one_of(people, a, "a"), _one_of(people, b, "b")
    if pa["id"] == pb["id"]:
        raise InvalidInput(
            Text(da="et møde kræver to deltagere", en="a meeting needs two participants"),
            code="request-self",
            location=Location(field="b"),
        )
    doc = _document(ref, s.cluster)
    pair = {pa["id"], pb["id"]}
    doc["locked"] = [m for m in doc["locked"] if {m["a"], m["b"]} != pair] + [
        {
            "a": pa["id"],
            "b": pb["id"],
            "slot": slot,
            **({"table": table - 1} if table is not None else {}),
        }
    ]
    try:
        event = _parse(doc, ref)
    except InvalidInput as exc:
        raise _lock_refused(exc, len(doc["locked"]) - 1, int(doc["tables"]), slot, table) from None
    importlib.import_module("klynge.matchmaking.schedule").compile_event(event)

    def run(conn: Connection) -> None:
        ev = _event(conn, ref, Scope(cluster=s.cluster))
        set_lock(conn, ev["id"], pa["id"], pb["id"], slot, None if table is None else table - 1)

    _run(run, write=True)
    return LockOut(
        event=ref,
        a=pa["id"],
        a_name=pa["name"],
        b=pb["id"],
        b_name=pb["name"],
        slot=slot,
        table=table,
    )


def _lock_refused(
    exc: InvalidInput, k: int, tables: int, slot: int, table: int | None
) -> InvalidInput:
    """The scheduler's check of the event with the new lock (``locked.k``), told in the lock's
    own fields (``slot``, ``table``) and with tables counted from 1, as the organiser gave them
    (the scheduler counts from 0)."""
    details: list[tuple[Text, Location | None]] = []
    mine = f"locked.{k}"
    for text, loc in exc.details:
        field = (loc.field if loc else None) or ""
        if field == f"{mine}.table" and table is not None:
            if table > tables:
                text = Text(
                    da=f"der er intet bord {table}: arrangementet har {tables} "
                    f"bord{'e' if tables != 1 else ''}",
                    en=f"there is no table {table}: the event has {tables} "
                    f"table{'s' if tables != 1 else ''}",
                )
            else:
                text = Text(
                    da=f"bord {table} er allerede optaget i tidsrum {slot}",
                    en=f"table {table} is already taken in slot {slot}",
                )
            details.append((text, Location(field="table")))
        elif field in (mine, f"{mine}.slot"):
            details.append((text, Location(field="slot")))
        else:
            details.append((text, loc))
    return InvalidInput(
        Text(
            da=f"låsen kan ikke bruges: {len(details)} problem(er)",
            en=f"the lock cannot be used: {len(details)} problem(s)",
        ),
        code=exc.error_code,
        details=details,
    )


def unlock_meeting(ref: str, a: int | str, b: int | str, *, principal: Principal | None) -> bool:
    """Release a locked meeting (it stays where it is until the organiser schedules again)."""
    from klynge.storage.matchmaking import remove_lock

    s = scope(principal)
    _organisers_only(s)
    if not s.write:
        raise _read_only()
    people = _event_people(ref, s)
    pa, pb = _one_of(people, a, "a"), _one_of(people, b, "b")

    def run(conn: Connection) -> int:
        ev = _event(conn, ref, Scope(cluster=s.cluster))
        return remove_lock(conn, ev["id"], pa["id"], pb["id"])

    if not _run(run, write=True):
        raise NotFound(
            Text(da="mødet er ikke låst", en="the meeting is not locked"),
            code="not-locked",
        )
    return True


def _organiser_writes(principal: Principal | None) -> Scope:
    s = scope(principal)
    _organisers_only(s)
    if not s.write:
        raise _read_only()
    return s


def withdraw_participant(ref: str, who: int | str, *, principal: Principal | None) -> str:
    """Take a participant (id or e-mail) out of an event; returns their name. Their locked
    meetings go with them; requests that named them keep the organisations. Scheduling
    again re-plans: only their meetings are dropped, nobody else's moves."""
    from klynge.storage.matchmaking import remove_participant

    s = _organiser_writes(principal)
    person = _one_of(_event_people(ref, s), who, "participant")

    def run(conn: Connection) -> None:
        ev = _event(conn, ref, Scope(cluster=s.cluster))
        remove_participant(conn, ev["id"], int(person["id"]))

    _run(run, write=True)
    return str(person["name"])


class ParticipantChange(BaseModel):
    """What changes for a participant; a field left out stays as it is. ``available`` given as
    null means every live slot, ``quota`` as null no limit, ``booth`` as null or "" none."""

    model_config = ConfigDict(extra="forbid")

    available: list[int] | None = Field(default=None, max_length=500)
    quota: int | None = Field(default=None, ge=0, le=10_000)
    booth: str | None = Field(default=None, max_length=100)


class ParticipantOut(BaseModel):
    """A participant after it was added or changed, with what that means for the schedule."""

    event: str
    id: int = Field(description="The participant id (requests, locks and agendas use it).")
    name: str
    email: str
    organisation: str
    available: list[int] | None = Field(description="Slot numbers; null means every live slot.")
    quota: int | None
    booth: str | None
    released_locks: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Locked meetings the change made impossible (a, b, slot): the lock is "
        "released, and scheduling again moves or drops the meeting and reports it.",
    )
    affected_meetings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Published meetings the change made impossible (a, b, slot, reason: "
        "unavailable or quota): scheduling again moves or drops exactly these, and keeps the "
        "others where they are.",
    )


def _participant_out(ref: str, person: dict[str, Any], **extra: Any) -> ParticipantOut:
    available = person["available"]
    return ParticipantOut(
        event=ref,
        id=int(person["id"]),
        name=str(person["name"]),
        email=str(person["email"]),
        organisation=str(person["organisation"]),
        available=None if available is None else [int(x) for x in available.split(";") if x],
        quota=person["quota"],
        booth=person["booth"] or None,
        **extra,
    )


def add_participant(
    ref: str, data: ParticipantIn, *, principal: Principal | None
) -> ParticipantOut:
    """Add a contact person to an event after it was made (a late registration), by the same
    rules as at creation: a contact of the registry (with the organisation when the person is
    a contact of several), availability inside the event and never in a cancelled slot
    (none given: every live slot). Someone already in the event is a conflict. Scheduling
    again places their accepted requests in the free places and moves nobody else."""
    from klynge.storage.matchmaking import add_participant as insert_participant
    from klynge.storage.matchmaking import event_participants

    s = _organiser_writes(principal)

    def run(conn: Connection) -> ParticipantOut:
        ev, rows = _slot_rows(conn, ref, s)
        problems: list[tuple[Text, Location | None]] = []
        cancelled = frozenset(i for i, r in enumerate(rows) if r["cancelled"])
        row = _participant_row(
            conn,
            data,
            problems,
            Location(field="email"),
            Location(field="available"),
            slots=len(rows),
            cancelled=cancelled,
        )
        people = event_participants(conn, ev["id"])
        if row is not None:
            for p in people:
                if p["contact_id"] == row["contact_id"]:
                    raise Conflict(
                        Text(
                            da=f"{p['name']} ({p['organisation']}) er allerede deltager i {ref}",
                            en=f"{p['name']} ({p['organisation']}) is already a participant "
                            f"of {ref}",
                        ),
                        code="duplicate-participant",
                        location=Location(field="email"),
                    )
        if problems or row is None:
            raise _invalid_participant(problems)
        pid = insert_participant(conn, ev["id"], row)
        person = next(p for p in event_participants(conn, ev["id"]) if p["id"] == pid)
        return _participant_out(ref, person)

    result: ParticipantOut = _run(run, write=True)
    return result


def _invalid_participant(problems: list[tuple[Text, Location | None]]) -> InvalidInput:
    return InvalidInput(
        Text(
            da=f"deltageren har {len(problems)} problem(er); intet er gemt",
            en=f"the participant has {len(problems)} problem(s); nothing was saved",
        ),
        code="invalid-participant",
        details=problems,
    )


def change_participant(
    ref: str, who: int | str, change: ParticipantChange, *, principal: Principal | None
) -> ParticipantOut:
    """Change a participant's availability, quota or booth (someone leaves at lunch).

    The availability is checked as at creation. Locks the change makes impossible (a slot the
    person no longer attends, more locks than the new quota) are released and listed, never
    lost silently; the published meetings it makes impossible are listed too. The published
    schedule stays until the organiser schedules again, which keeps every meeting that is
    still possible and moves or drops exactly those, with the reason."""
    import importlib
    import json

    from klynge.storage.matchmaking import (
        event_locks,
        event_participants,
        load_schedule,
        remove_lock,
        set_participant,
    )

    s = _organiser_writes(principal)
    given = change.model_fields_set
    person = _one_of(_event_people(ref, s), who, "participant")
    pid = int(person["id"])
    names: dict[int, str] = {}  # participant id → "name (organisation)", filled by run()

    def named(a: int, b: int, slot: int, **more: Any) -> dict[str, Any]:
        return {"a": names.get(a, str(a)), "b": names.get(b, str(b)), "slot": slot, **more}

    def run(conn: Connection) -> tuple[dict[str, Any], dict[str, Any], list[Any], list[Any]]:
        ev, rows = _slot_rows(conn, ref, s)
        values: dict[str, Any] = {}
        if "available" in given:
            cancelled = frozenset(i for i, r in enumerate(rows) if r["cancelled"])
            problems = _availability_problems(
                change.available, Location(field="available"), slots=len(rows), cancelled=cancelled
            )
            if problems:
                raise _invalid_participant(problems)
            values["available"] = _stored_availability(change.available)
        if "quota" in given:
            values["quota"] = change.quota
        if "booth" in given:
            values["booth"] = change.booth or None
        after = {**person, **values}
        live = {i for i, r in enumerate(rows) if not r["cancelled"]}
        attends = (
            live
            if after["available"] is None
            else {int(x) for x in after["available"].split(";") if x} & live
        )
        quota = after["quota"]
        names.update(
            (p["id"], f"{p['name']} ({p['organisation']})")
            for p in event_participants(conn, ev["id"])
        )
        # Locks first: one in a slot the person no longer attends, or beyond the new quota
        # (the latest go), is released and reported.
        mine = sorted(
            (lk for lk in event_locks(conn, ev["id"]) if pid in (lk["a_id"], lk["b_id"])),
            key=lambda lk: lk["slot"],
        )
        kept_locks = [lk for lk in mine if lk["slot"] in attends]
        if quota is not None:
            kept_locks = kept_locks[:quota]
        released = [lk for lk in mine if lk not in kept_locks]
        # Published meetings the change makes impossible, as the re-planning will see them.
        affected: list[dict[str, Any]] = []
        found = load_schedule(conn, ev["id"])
        if found is not None:
            meetings = [
                m
                for m in json.loads(found[0]).get("meetings", [])
                if pid in (m.get("a"), m.get("b"))
            ]
            meetings.sort(key=lambda m: m.get("slot", 0))
            # As the re-planning counts: the kept locks first, then the rest in slot order.
            fixed = {frozenset((lk["a_id"], lk["b_id"])) for lk in kept_locks}
            count = len(fixed)
            for m in meetings:
                if frozenset((m["a"], m["b"])) in fixed:
                    continue
                if m["slot"] not in attends:
                    affected.append(named(m["a"], m["b"], m["slot"], reason="unavailable"))
                elif quota is not None and count >= quota:
                    affected.append(named(m["a"], m["b"], m["slot"], reason="quota"))
                else:
                    count += 1
        return ev, values, released, affected

    ev, values, released, affected = _run(run)
    # The scheduler's own rules check what stays (a lock at a booth, a table), nothing saved.
    doc = _document(ref, s.cluster)
    gone = {(lk["a_id"], lk["b_id"]) for lk in released}
    doc["locked"] = [m for m in doc["locked"] if (m["a"], m["b"]) not in gone]
    for p in doc["participants"]:
        if p["id"] == pid:
            if "available" in values:
                p["available"] = (
                    None
                    if values["available"] is None
                    else [int(x) for x in values["available"].split(";") if x]
                )
            for key in ("quota", "booth"):
                if key in values:
                    p.pop(key, None)
                    if values[key] is not None:
                        p[key] = values[key]
    importlib.import_module("klynge.matchmaking.schedule").compile_event(_parse(doc, ref))

    def save(conn: Connection) -> ParticipantOut:
        if values:
            set_participant(conn, ev["id"], pid, **values)
        for lk in released:
            remove_lock(conn, ev["id"], lk["a_id"], lk["b_id"])
        now = next(p for p in event_participants(conn, ev["id"]) if p["id"] == pid)
        return _participant_out(
            ref,
            now,
            released_locks=[named(lk["a_id"], lk["b_id"], lk["slot"]) for lk in released],
            affected_meetings=affected,
        )

    result: ParticipantOut = _run(save, write=True)
    return result


def change_tables(ref: str, tables: int, *, principal: Principal | None) -> EventOut:
    """Change the number of tables (a room lost or added); scheduling again moves as few
    published meetings as it can. Locks at a table that would no longer exist are refused."""
    from klynge.storage.matchmaking import set_tables

    s = _organiser_writes(principal)
    if not 1 <= tables <= 100_000:
        raise InvalidInput(
            Text(
                da=f"antallet af borde skal være mindst 1, ikke {tables}",
                en=f"the number of tables must be at least 1, not {tables}",
            ),
            code="invalid-event",
            location=Location(field="tables"),
        )
    doc = _document(ref, s.cluster)
    names = {p["id"]: p.get("name") or str(p["id"]) for p in doc["participants"]}
    vanished = [
        (
            Text(
                da=f"{names.get(m['a'], m['a'])} – {names.get(m['b'], m['b'])} er låst ved bord "
                f"{m['table'] + 1} i tidsrum {m['slot']}: frigiv låsen eller behold mindst "
                f"{m['table'] + 1} borde",
                en=f"{names.get(m['a'], m['a'])} – {names.get(m['b'], m['b'])} are locked at "
                f"table {m['table'] + 1} in slot {m['slot']}: release the lock or keep at least "
                f"{m['table'] + 1} tables",
            ),
            Location(field="tables"),
        )
        for m in doc["locked"]
        if m.get("table") is not None and m["table"] >= tables
    ]
    if vanished:
        raise InvalidInput(
            Text(
                da=f"{len(vanished)} låst(e) møde(r) står ved et bord, der forsvinder",
                en=f"{len(vanished)} locked meeting(s) at a table that would go",
            ),
            code="invalid-event",
            location=Location(field="tables"),
            details=vanished,
        )
    _parse({**doc, "tables": tables}, ref)  # the scheduler's own check, as a safeguard

    def run(conn: Connection) -> None:
        set_tables(conn, _event(conn, ref, Scope(cluster=s.cluster))["id"], tables)

    _run(run, write=True)
    return next(e for e in list_events(principal=principal) if e.ref == ref)


class SlotChange(BaseModel):
    """What changes in a slot; a field left out stays as it is (a session given as "" is
    cleared)."""

    model_config = ConfigDict(extra="forbid")

    start: datetime | None = None
    end: datetime | None = None
    session: str | None = Field(default=None, max_length=100)


class SlotOut(BaseModel):
    """A slot after a change, with what the change means for the published schedule."""

    event: str
    slot: int = Field(description="The slot's number (index): it never changes.")
    start: datetime
    end: datetime
    session: str | None
    cancelled: bool
    published_meetings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The published meetings in this slot (a, b): after a change of time their "
        "agendas show the new time; after a cancellation scheduling again moves or drops them.",
    )
    released_locks: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Locked meetings of a cancelled slot (a, b): the lock is released, and "
        "scheduling again moves or drops the meeting and reports it.",
    )


_MAX_SLOTS = 500


def _no_slot(slot: int) -> NotFound:
    return NotFound(
        Text(da=f"tidsrum {slot} findes ikke", en=f"slot {slot} does not exist"),
        code="no-such-slot",
        location=Location(field="slot"),
    )


def _slot_rows(conn: Connection, ref: str, s: Scope) -> tuple[dict[str, Any], list[Any]]:
    from klynge.storage.matchmaking import event_slots

    ev = _event(conn, ref, Scope(cluster=s.cluster))
    return ev, event_slots(conn, ev["id"])


def _as_slots(rows: list[dict[str, Any]]) -> list[SlotIn | None]:
    """Stored slots as the checks read them; a cancelled one is ``None`` (its index stays)."""
    return [
        None
        if r["cancelled"]
        else SlotIn(start=r["starts_at"], end=r["ends_at"], session=r["session"])
        for r in rows
    ]


def _in_slot(conn: Connection, ev: dict[str, Any], slot: int) -> list[dict[str, Any]]:
    """The published meetings in a slot, by name."""
    import json

    from klynge.storage.matchmaking import event_participants, load_schedule

    found = load_schedule(conn, ev["id"])
    if found is None:
        return []
    names = {
        p["id"]: f"{p['name']} ({p['organisation']})" for p in event_participants(conn, ev["id"])
    }
    return [
        {"a": names.get(m["a"], str(m["a"])), "b": names.get(m["b"], str(m["b"]))}
        for m in json.loads(found[0]).get("meetings", [])
        if m.get("slot") == slot
    ]


def _slot_out(ref: str, slot: int, row: dict[str, Any], **extra: Any) -> SlotOut:
    return SlotOut(
        event=ref,
        slot=slot,
        start=row["starts_at"],
        end=row["ends_at"],
        session=row["session"],
        cancelled=bool(row["cancelled"]),
        **extra,
    )


def _live_slot(rows: list[dict[str, Any]], slot: int) -> dict[str, Any]:
    if not 0 <= slot < len(rows):
        raise _no_slot(slot)
    if rows[slot]["cancelled"]:
        raise Conflict(
            Text(da=f"tidsrum {slot} er aflyst", en=f"slot {slot} is cancelled"),
            code="slot-cancelled",
            location=Location(field="slot"),
        )
    return rows[slot]


def change_slot(ref: str, slot: int, change: SlotChange, *, principal: Principal | None) -> SlotOut:
    """Move a slot (a keynote ran over) or rename its session. The slot keeps its number, so
    availability, locks and published meetings stay in it; the new times are checked by the
    same rules as at creation (ends after it starts, overlaps no other slot)."""
    from klynge.storage.matchmaking import set_slot

    s = _organiser_writes(principal)

    def run(conn: Connection) -> SlotOut:
        ev, rows = _slot_rows(conn, ref, s)
        row = _live_slot(rows, slot)
        if change.start is not None and change.end is not None:
            _wall_clock([SlotIn(start=change.start, end=change.end)])  # one offset for both
        new = SlotIn(
            start=(change.start or row["starts_at"]).replace(tzinfo=None),
            end=(change.end or row["ends_at"]).replace(tzinfo=None),
            session=(change.session or None)
            if "session" in change.model_fields_set
            else row["session"],
        )
        slots = _as_slots(rows)
        slots[slot] = new
        problems = _slot_problems(slots, focus=slot)
        if problems:
            raise _invalid_event(problems)
        set_slot(conn, ev["id"], slot, starts_at=new.start, ends_at=new.end, session=new.session)
        values = {"starts_at": new.start, "ends_at": new.end, "session": new.session}
        return _slot_out(ref, slot, {**row, **values}, published_meetings=_in_slot(conn, ev, slot))

    result: SlotOut = _run(run, write=True)
    return result


def add_slot(
    ref: str, data: SlotIn, *, everyone: bool = False, principal: Principal | None
) -> SlotOut:
    """Add a slot; it takes the next number, whatever its time, so no other slot is renumbered.
    Participants who gave no availability can meet in it at once; those who listed their slots
    only if ``everyone`` (else the organiser asks them first)."""
    from klynge.storage.matchmaking import add_availability
    from klynge.storage.matchmaking import add_slot as append

    s = _organiser_writes(principal)
    new = _wall_clock([data])[0]

    def run(conn: Connection) -> SlotOut:
        ev, rows = _slot_rows(conn, ref, s)
        index = len(rows)
        if index >= _MAX_SLOTS:
            raise InvalidInput(
                Text(
                    da=f"et arrangement har højst {_MAX_SLOTS} tidsrum",
                    en=f"an event has at most {_MAX_SLOTS} slots",
                ),
                code="invalid-event",
                location=Location(field="slots"),
            )
        problems = _slot_problems([*_as_slots(rows), new], focus=index)
        if problems:
            raise _invalid_event(problems)
        position = append(conn, ev["id"], new.start, new.end, new.session)
        if everyone:
            add_availability(conn, ev["id"], position)
        row = {"starts_at": new.start, "ends_at": new.end, "session": new.session}
        return _slot_out(ref, position, {**row, "cancelled": False})

    result: SlotOut = _run(run, write=True)
    return result


def cancel_slot(ref: str, slot: int, *, principal: Principal | None) -> SlotOut:
    """Cancel a slot. It keeps its number (marked cancelled, never renumbered) and holds no
    meeting from now on; its time is free for another slot. Locks in it are released and
    listed; the published schedule stays until the organiser schedules again, which moves the
    slot's meetings to a slot free for both people or drops them, and reports each one."""
    from klynge.storage.matchmaking import (
        event_locks,
        event_participants,
        remove_locks_in_slot,
        set_slot,
    )

    s = _organiser_writes(principal)

    def run(conn: Connection) -> SlotOut:
        ev, rows = _slot_rows(conn, ref, s)
        row = _live_slot(rows, slot)
        if sum(not r["cancelled"] for r in rows) == 1:
            raise InvalidInput(
                Text(
                    da="det sidste tidsrum kan ikke aflyses: et arrangement har mindst ét",
                    en="the last slot cannot be cancelled: an event has at least one",
                ),
                code="invalid-event",
                location=Location(field="slot"),
            )
        names = {
            p["id"]: f"{p['name']} ({p['organisation']})"
            for p in event_participants(conn, ev["id"])
        }
        released = [
            {
                "a": names.get(lk["a_id"], str(lk["a_id"])),
                "b": names.get(lk["b_id"], str(lk["b_id"])),
            }
            for lk in event_locks(conn, ev["id"])
            if lk["slot"] == slot
        ]
        remove_locks_in_slot(conn, ev["id"], slot)
        set_slot(conn, ev["id"], slot, cancelled=True)
        return _slot_out(
            ref,
            slot,
            {**row, "cancelled": True},
            published_meetings=_in_slot(conn, ev, slot),
            released_locks=released,
        )

    result: SlotOut = _run(run, write=True)
    return result


def list_events(*, principal: Principal | None) -> list[EventOut]:
    from klynge.storage.matchmaking import event_participants, event_slots, events

    s = scope(principal)

    def run(conn: Connection) -> list[EventOut]:
        from klynge.storage.matchmaking import events_of_organisation, organisation_by_ref

        if s.organisation is not None:
            org = organisation_by_ref(conn, s.organisation)
            found = events_of_organisation(conn, int(org["id"])) if org else []
        else:
            found = events(conn, s.cluster)
        out = []
        for e in found:
            slots = event_slots(conn, e["id"])
            cancelled = sum(bool(sl["cancelled"]) for sl in slots)
            out.append(
                EventOut(
                    id=e["id"],
                    cluster=e["cluster"],
                    ref=e["ref"],
                    name=e["name"],
                    tables=e["tables"],
                    request_days=e["request_days"],
                    slots=len(slots) - cancelled,
                    participants=len(event_participants(conn, e["id"])),
                    cancelled_slots=cancelled,
                )
            )
        return out

    return _run(run)


def upload_profiles(
    data: bytes,
    filename: str | None,
    *,
    dry_run: bool,
    principal: Principal | None,
    lang: str | None = None,
) -> ProfileImportResult:
    """Import an uploaded profiles file (CSV or XLSX)."""
    from klynge.services.registry import upload_name

    name = upload_name(filename)
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="klynge-profiles-") as tmp:
        path = Path(tmp) / f"upload{suffix or '.csv'}"
        path.write_bytes(data)
        return import_profiles(path, name=name, dry_run=dry_run, principal=principal, lang=lang)


# -- schedules and agendas (the scheduler core lives in klynge.services.events) ----------------
class ScheduleSummary(BaseModel):
    """A published schedule of an event, as the organiser reads it."""

    event: str
    placed: int
    bound: int = Field(description="A proven upper bound on the meetings that can be placed.")
    bound_method: str
    percent_of_bound: float
    optimal: bool
    standby: int = Field(description="Accepted requests that found no slot (the standby list).")
    unplaceable: int = Field(description="Requests whose two sides share no free slot.")
    left_out: int = Field(
        default=0,
        description="Requests of the event whose sender or receiver has no participant (or "
        "several and none chosen): they cannot be scheduled and are in neither count above.",
    )
    made_at: datetime
    meetings: list[dict[str, Any]] = Field(
        description="Each meeting: slot, start, table (1-based) or booth, and both sides' names."
    )
    standby_list: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The standby list by name: accepted requests that found no slot (a, b).",
    )
    unplaceable_list: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Accepted requests whose two sides share no free slot (a, b).",
    )
    changes: dict[str, Any] | None = Field(
        default=None,
        description="When a published schedule was re-planned: how many meetings were kept, "
        "and those moved (from and to slot and table), dropped (with the reason) and added.",
    )


def _scheduler() -> Any:
    """The scheduler's services, or a clear refusal when that part is not installed."""
    import importlib

    from klynge.errors import Unavailable

    try:
        return importlib.import_module("klynge.services.events")
    except ImportError:
        raise Unavailable(
            Text(da="planlæggeren er ikke installeret", en="the scheduler is not installed"),
            code="no-scheduler",
        ) from None


def _organisers_only(s: Scope) -> None:
    if s.organisation is not None:
        raise Forbidden(
            Text(da="kun arrangørerne planlægger", en="only the organisers schedule"),
            code="event-forbidden",
        )


def _changes(event: Any, replan: Any) -> dict[str, Any]:
    people = {p.id: f"{p.name or p.id} ({p.organisation or '?'})" for p in event.participants}

    def name(pid: Any) -> str:
        return people.get(pid, str(pid))

    return {
        "kept": replan.kept,
        "moved": [
            {
                "a": name(m.a),
                "b": name(m.b),
                "from_slot": m.from_slot,
                "to_slot": m.to_slot,
                "from_table": None if m.from_table is None else m.from_table + 1,
                "to_table": None if m.to_table is None else m.to_table + 1,
                "locked": m.locked,
                "reason": m.reason,
            }
            for m in replan.moved
        ],
        "dropped": [
            {"a": name(d.a), "b": name(d.b), "slot": d.slot, "reason": d.reason, "locked": d.locked}
            for d in replan.dropped
        ],
        "added": [{"a": name(m.a), "b": name(m.b), "slot": m.slot} for m in replan.added],
    }


def _summary(
    ref: str, event: Any, sched: Any, made_at: datetime, left_out: int = 0
) -> ScheduleSummary:
    people = {p.id: f"{p.name or p.id} ({p.organisation or '?'})" for p in event.participants}
    meetings = [
        {
            "slot": m.slot,
            "start": event.slots[m.slot].start,
            "table": None if m.table is None else m.table + 1,
            "booth": m.booth,
            "a": people.get(m.a, str(m.a)),
            "b": people.get(m.b, str(m.b)),
            "locked": m.locked,
        }
        # In time order: a slot added later has a higher number but may come earlier.
        for m in sorted(
            sched.meetings,
            key=lambda m: (event.slots[m.slot].start or datetime.min, m.slot, m.table or 0),
        )
    ]
    return ScheduleSummary(
        event=ref,
        placed=sched.placed,
        bound=sched.bound,
        bound_method=sched.bound_method,
        percent_of_bound=sched.percent_of_bound,
        optimal=sched.optimal,
        standby=len(sched.standby),
        unplaceable=len(sched.unplaceable),
        left_out=left_out,
        made_at=made_at,
        meetings=meetings,
        standby_list=[
            {"a": people.get(p.a, str(p.a)), "b": people.get(p.b, str(p.b))} for p in sched.standby
        ],
        unplaceable_list=[
            {"a": people.get(p.a, str(p.a)), "b": people.get(p.b, str(p.b))}
            for p in sched.unplaceable
        ],
    )


def schedule_event(
    ref: str, *, principal: Principal | None, seconds: float = 2.0, fresh: bool = False
) -> ScheduleSummary:
    """Place the event's accepted requests and publish the result (staff of its cluster,
    admins).

    Once a schedule is published, scheduling again *re-plans* it: every published meeting
    that is still possible stays in its slot and at its table, meetings that can no longer
    take place (a withdrawal, a declined request, a lost table) are dropped or moved as little
    as possible, and new accepted requests fill the free places; ``changes`` says what moved.
    ``fresh`` starts over from nothing instead."""
    import importlib
    from datetime import UTC

    from klynge.storage.matchmaking import load_schedule, save_schedule

    s = scope(principal)
    _organisers_only(s)
    if not s.write:
        raise _read_only()
    events = _scheduler()
    doc = event_document(ref, principal=principal)
    event = _parse(doc, ref)

    def old(conn: Connection) -> tuple[str, datetime] | None:
        return load_schedule(conn, _event(conn, ref, Scope(cluster=s.cluster))["id"])

    published = None if fresh else _run(old)
    changes = None
    if published is None:
        sched = events.schedule_event(event, seconds=seconds)
    else:
        model = importlib.import_module("klynge.matchmaking.schedule").Schedule
        replan = events.reschedule_event(event, model.model_validate_json(published[0]))
        sched = replan.schedule
        changes = _changes(event, replan)

    def run(conn: Connection) -> None:
        ev = _event(conn, ref, Scope(cluster=s.cluster))
        save_schedule(conn, ev["id"], sched.model_dump_json())

    _run(run, write=True)
    summary = _summary(ref, event, sched, datetime.now(UTC), int(doc.get("left_out", 0)))
    return summary.model_copy(update={"changes": changes})


def _published(ref: str, principal: Principal | None) -> tuple[Any, Any, datetime, int]:
    """The event (the scheduler's model) and its published schedule; a member sees only the
    events its organisation takes part in."""
    import importlib

    from klynge.storage.matchmaking import load_schedule

    s = scope(principal)
    _scheduler()

    def run(conn: Connection) -> tuple[dict[str, Any], tuple[str, datetime] | None]:
        if s.organisation is not None:
            ev = _member_event(conn, ref, s)
        else:
            ev = _event(conn, ref, Scope(cluster=s.cluster))
        return ev, load_schedule(conn, ev["id"])

    ev, found = _run(run)
    if found is None:
        raise NotFound(
            Text(da=f"{ref} er ikke planlagt endnu", en=f"{ref} has not been scheduled yet"),
            code="not-scheduled",
        )
    doc = _document(ev["ref"], ev["cluster"])
    event = _parse(doc, ref)
    model = importlib.import_module("klynge.matchmaking.schedule").Schedule
    return event, model.model_validate_json(found[0]), found[1], int(doc.get("left_out", 0))


def _member_event(conn: Connection, ref: str, s: Scope) -> dict[str, Any]:
    """An event a member's organisation takes part in (others are "unknown")."""
    from klynge.storage.matchmaking import events_of_organisation, organisation_by_ref

    org = organisation_by_ref(conn, s.organisation or "")
    for ev in events_of_organisation(conn, int(org["id"])) if org else []:
        if ev["ref"] == ref:
            return ev
    raise NotFound(
        Text(da=f"ukendt arrangement {ref!r}", en=f"unknown event {ref!r}"),
        code="no-such-event",
    )


def published_schedule(ref: str, *, principal: Principal | None) -> ScheduleSummary:
    """The organiser's view of the published schedule (staff, analysts, admins)."""
    s = scope(principal)
    _organisers_only(s)
    event, sched, made_at, left_out = _published(ref, principal)
    return _summary(ref, event, sched, made_at, left_out)


def own_participants(ref: str, *, principal: Principal | None) -> list[ParticipantChoice]:
    """A member's own organisation's participants at an event it takes part in."""
    from klynge.storage.matchmaking import event_participants

    s = scope(principal)
    if s.organisation is None:
        return []

    def run(conn: Connection) -> list[ParticipantChoice]:
        ev = _member_event(conn, ref, s)
        return [
            ParticipantChoice(
                id=p["id"], name=p["name"], organisation=p["organisation"], email=p["email"]
            )
            for p in event_participants(conn, ev["id"])
            if organisation_ref(str(p["organisation"])) == s.organisation
        ]

    result: list[ParticipantChoice] = _run(run)
    return result


def agenda(ref: str, *, principal: Principal | None, participant: int | str | None = None) -> Any:
    """One participant's agenda (the scheduler's ``Agenda``), by participant id or e-mail. A
    member sees only its own organisation's participants: with one, it needs no naming; with
    several, one must be named (the choices are listed); organisers name one."""
    s = scope(principal)
    event, sched, _, _ = _published(ref, principal)
    if isinstance(participant, str):
        key = participant.strip()
        if key.isdigit():
            participant = int(key)
        else:
            try:
                participant = int(_one_of(_event_people(ref, s), key, "participant")["id"])
            except InvalidInput:
                # As for an unknown id, and alike for a member whatever the e-mail's organisation.
                raise NotFound(
                    Text(
                        da=f"{key!r} er ikke deltager i arrangementet",
                        en=f"{key!r} is not a participant of the event",
                    ),
                    code="unknown-participant",
                    location=Location(field="participant"),
                ) from None
    if s.organisation is not None:
        mine = [
            p
            for p in event.participants
            if p.organisation and organisation_ref(p.organisation) == s.organisation
        ]
        own = [p.id for p in mine]
        if participant is None and len(own) == 1:
            participant = int(own[0])
        elif participant is None and own:
            listing = ", ".join(f"{p.id} ({p.name})" for p in mine)
            raise InvalidInput(
                Text(
                    da=f"din organisation har {len(own)} deltagere: angiv hvem ({listing})",
                    en=f"your organisation has {len(own)} participants: name one ({listing})",
                ),
                code="participant-required",
                location=Location(field="participant"),
            )
        if participant not in own:
            raise NotFound(
                Text(
                    da="deltageren hører ikke til din organisation",
                    en="the participant is not of your organisation",
                ),
                code="unknown-participant",
            )
    if participant is None:
        raise InvalidInput(
            Text(da="angiv en deltager", en="name a participant"), code="participant-required"
        )
    return _scheduler().agenda(event, sched, participant)


def schedule_workbook(ref: str, *, principal: Principal | None, lang: str | None = None) -> bytes:
    """The organiser's published schedule as an Excel workbook: one sheet per table, and one
    per exhibitor's booth (organisers only)."""
    s = scope(principal)
    _organisers_only(s)
    event, sched, _, _ = _published(ref, principal)
    with tempfile.TemporaryDirectory(prefix="klynge-schedule-") as tmp:
        out = Path(tmp) / "schedule.xlsx"
        _scheduler().export_xlsx(event, sched, out, lang)
        return out.read_bytes()


class AgendaFile(BaseModel):
    filename: str
    media_type: str
    content: bytes


def agenda_file(
    ref: str,
    fmt: Literal["ics", "pdf"],
    *,
    principal: Principal | None,
    participant: int | str | None = None,
    lang: str | None = None,
) -> AgendaFile:
    """The agenda as an ``.ics`` calendar (icalendar) or a printable PDF (A4, numbered pages)."""
    ag = agenda(ref, principal=principal, participant=participant)
    stem = f"{ref}-{ag.participant}"
    if fmt == "ics":
        return AgendaFile(
            filename=f"{stem}.ics",
            media_type="text/calendar; charset=utf-8",
            content=_scheduler().agenda_ics(ag, lang),
        )
    return AgendaFile(
        filename=f"{stem}.pdf", media_type="application/pdf", content=_agenda_pdf(ag, lang)
    )


AGENDA_LINES_PER_PAGE = 26


def _agenda_pdf(ag: Any, lang: str | None) -> bytes:
    """A printable agenda: title, then one line per meeting (time, partner, table), on as many
    A4 pages as the meetings need (never cut short), each page numbered."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    where = _scheduler().where
    da = lang == "da"
    title = ag.event or ("Arrangement" if da else "Event")
    who = f"{ag.name or ag.participant}" + (f" ({ag.organisation})" if ag.organisation else "")
    head = ("Tid", "Møde med", "Sted") if da else ("Time", "Meeting with", "Where")
    items = list(ag.items)
    pages = [
        items[i : i + AGENDA_LINES_PER_PAGE] for i in range(0, len(items), AGENDA_LINES_PER_PAGE)
    ] or [[]]
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "klynge"}) as pdf:
        for number, page in enumerate(pages, start=1):
            fig = Figure(figsize=(8.27, 11.69))  # A4 portrait, inches
            fig.text(0.08, 0.94, title, fontsize=18, weight="bold")
            fig.text(
                0.08,
                0.91,
                ("Personlig mødeplan for " if da else "Personal agenda of ") + who,
                fontsize=12,
            )
            y = 0.86
            for x, h in zip((0.08, 0.30, 0.78), head, strict=True):
                fig.text(x, y, h, fontsize=11, weight="bold")
            for item in page:
                y -= 0.03
                when = (
                    f"{item.start:%H:%M}–{item.end:%H:%M}"
                    if item.start and item.end
                    else f"#{item.slot}"
                )
                partner = (item.partner_name or str(item.partner)) + (
                    f" ({item.partner_organisation})" if item.partner_organisation else ""
                )
                fig.text(0.08, y, when, fontsize=10)
                fig.text(0.30, y, partner[:60], fontsize=10)
                fig.text(0.78, y, where(item, lang), fontsize=10)
            if not items:
                fig.text(0.08, y - 0.03, "Ingen møder." if da else "No meetings.", fontsize=10)
            fig.text(
                0.08,
                0.03,
                (f"Side {number} af {len(pages)}" if da else f"Page {number} of {len(pages)}")
                + (f" · {len(items)} møder" if da else f" · {len(items)} meetings"),
                fontsize=9,
            )
            pdf.savefig(fig)
    return buf.getvalue()
