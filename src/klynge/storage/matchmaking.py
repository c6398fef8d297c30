"""Matchmaking in SQL: profiles with their owners, meeting requests and events.

Only reads and writes of rows; who may see what is decided by the services, which pass the
scope in (a cluster's members, or one organisation).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from klynge.storage.match_tables import (
    MatchEvent,
    MatchLock,
    MatchParticipant,
    MatchProfile,
    MatchSchedule,
    MatchSlot,
    MatchVector,
    MeetingRequest,
)
from klynge.storage.models import Contact, Membership, Organisation


def organisation_by_ref(conn: Connection, ref: str) -> dict[str, Any] | None:
    """An organisation by its key or CVR number (``ref`` already in lookup form)."""
    row = conn.execute(
        select(Organisation.id, Organisation.key, Organisation.name, Organisation.kind).where(
            or_(func.lower(Organisation.key) == ref, Organisation.cvr == ref)
        )
    ).first()
    return dict(row._mapping) if row else None


def clusters_of(conn: Connection, organisation_ids: list[int]) -> dict[int, list[str]]:
    """The clusters each organisation is (or was) a member of."""
    out: dict[int, list[str]] = {}
    if not organisation_ids:
        return out
    q = (
        select(Membership.organisation_id, Membership.cluster)
        .where(Membership.organisation_id.in_(organisation_ids))
        .distinct()
        .order_by(Membership.cluster)
    )
    for oid, cluster in conn.execute(q):
        out.setdefault(oid, []).append(cluster)
    return out


def is_member(conn: Connection, organisation_id: int, cluster: str) -> bool:
    q = select(Membership.id).where(
        Membership.organisation_id == organisation_id, Membership.cluster == cluster
    )
    return conn.execute(q.limit(1)).first() is not None


def contact_id(conn: Connection, organisation_id: int, email: str) -> int | None:
    q = select(Contact.id).where(
        Contact.organisation_id == organisation_id, Contact.email == email.lower()
    )
    return conn.execute(q).scalar_one_or_none()


def _profile_query() -> Any:
    p = MatchProfile
    return (
        select(
            p.id,
            p.organisation_id,
            Organisation.key.label("organisation"),
            Organisation.name.label("organisation_name"),
            Organisation.kind.label("organisation_kind"),
            Contact.email.label("contact"),
            p.language,
            p.offers,
            p.seeks,
            p.areas,
            p.technologies,
            p.partner_kinds,
            p.countries,
            p.expires_on,
            p.hidden,
            p.updated_at,
        )
        .join(Organisation, Organisation.id == p.organisation_id)
        .outerjoin(Contact, Contact.id == p.contact_id)
    )


def profiles(
    conn: Connection,
    *,
    cluster: str | None = None,
    organisation_id: int | None = None,
    profile_id: int | None = None,
) -> list[dict[str, Any]]:
    """Profiles with their organisations, in the given scope, ordered by organisation key."""
    q = _profile_query()
    if cluster is not None:
        members = select(Membership.organisation_id).where(Membership.cluster == cluster)
        q = q.where(MatchProfile.organisation_id.in_(members))
    if organisation_id is not None:
        q = q.where(MatchProfile.organisation_id == organisation_id)
    if profile_id is not None:
        q = q.where(MatchProfile.id == profile_id)
    return [dict(r._mapping) for r in conn.execute(q.order_by(Organisation.key))]


def upsert_profile(conn: Connection, values: dict[str, Any]) -> tuple[int, str]:
    """Insert or update the profile of ``values['organisation_id']``; returns (id, what
    happened: ``inserted``, ``updated`` or ``unchanged``)."""
    table = MatchProfile.__table__
    row = conn.execute(
        select(table).where(table.c.organisation_id == values["organisation_id"])
    ).first()
    if row is None:
        new = {**values, "updated_at": datetime.now(UTC)}
        pid = conn.execute(insert(MatchProfile).values(**new)).inserted_primary_key
        assert pid is not None
        return int(pid[0]), "inserted"
    old = row._mapping
    if all(old[k] == v for k, v in values.items()):
        return int(old["id"]), "unchanged"
    conn.execute(
        update(MatchProfile)
        .where(MatchProfile.id == old["id"])
        .values(**values, updated_at=datetime.now(UTC))
    )
    return int(old["id"]), "updated"


def delete_profile(conn: Connection, profile_id: int) -> int:
    # The vectors go by the foreign key's cascade too; deleted here as well, so that a database
    # whose foreign keys are not enforced keeps no vector of an erased profile either.
    conn.execute(delete(MatchVector).where(MatchVector.profile_id == profile_id))
    return int(conn.execute(delete(MatchProfile).where(MatchProfile.id == profile_id)).rowcount)


# -- stored embedding vectors (revision 0012) ----------------------------------------------------
#: (side, text hash) -> float32 bytes
VectorRows = dict[tuple[str, str], bytes]


def vectors_by_hash(conn: Connection, model: str, hashes: list[str]) -> VectorRows:
    """Stored vectors of any profile whose text has one of ``hashes``, by the model ``model``
    (a vector depends on the text, the side and the model only, so any profile's will do)."""
    out: VectorRows = {}
    unique = sorted(set(hashes))
    for start in range(0, len(unique), 500):  # bound the parameters of one statement
        q = select(MatchVector.side, MatchVector.text_hash, MatchVector.vector).where(
            MatchVector.model == model, MatchVector.text_hash.in_(unique[start : start + 500])
        )
        for side, h, v in conn.execute(q):
            out[(side, h)] = bytes(v)
    return out


def profile_vectors(conn: Connection, model: str, ids: list[int]) -> dict[int, VectorRows]:
    """The stored vectors by the model ``model`` of the profiles ``ids``, by profile id."""
    q = select(
        MatchVector.profile_id, MatchVector.side, MatchVector.text_hash, MatchVector.vector
    ).where(MatchVector.model == model)
    wanted = set(ids)
    if len(wanted) <= 500:  # else one query for all, filtered here
        q = q.where(MatchVector.profile_id.in_(sorted(wanted)))
    out: dict[int, VectorRows] = {}
    for pid, side, h, v in conn.execute(q):
        if int(pid) in wanted:
            out.setdefault(int(pid), {})[(side, h)] = bytes(v)
    return out


def add_vectors(conn: Connection, model: str, by_profile: dict[int, VectorRows]) -> int:
    """Insert vectors for texts of profiles that have none by ``model``, deleting these
    profiles' vectors by any other model first; returns the rows written."""
    ids = sorted(by_profile)
    for start in range(0, len(ids), 500):
        conn.execute(
            delete(MatchVector).where(
                MatchVector.profile_id.in_(ids[start : start + 500]), MatchVector.model != model
            )
        )
    rows = [
        {"profile_id": pid, "side": side, "text_hash": h, "model": model, "vector": v}
        for pid, vs in by_profile.items()
        for (side, h), v in vs.items()
    ]
    if rows:
        conn.execute(insert(MatchVector), rows)
    return len(rows)


def prune_vectors(conn: Connection, keep: dict[int, set[tuple[str, str]]]) -> int:
    """Delete each profile's stored vectors whose (side, text hash) is not in ``keep`` (of an
    old text, whatever the model); returns the rows deleted."""
    ids = sorted(keep)
    stale: list[int] = []
    for start in range(0, len(ids), 500):
        q = select(
            MatchVector.id, MatchVector.profile_id, MatchVector.side, MatchVector.text_hash
        ).where(MatchVector.profile_id.in_(ids[start : start + 500]))
        stale += [vid for vid, pid, side, h in conn.execute(q) if (side, h) not in keep[pid]]
    for start in range(0, len(stale), 500):
        conn.execute(delete(MatchVector).where(MatchVector.id.in_(stale[start : start + 500])))
    return len(stale)


def replace_vectors(conn: Connection, model: str, by_profile: dict[int, VectorRows]) -> int:
    """Make each profile's stored vectors exactly the given ones (any other, of an old text or
    another model, is deleted); returns the rows written."""
    rows = [
        {"profile_id": pid, "side": side, "text_hash": h, "model": model, "vector": v}
        for pid, vs in by_profile.items()
        for (side, h), v in vs.items()
    ]
    ids = sorted(by_profile)
    for start in range(0, len(ids), 500):
        conn.execute(
            delete(MatchVector).where(MatchVector.profile_id.in_(ids[start : start + 500]))
        )
    if rows:
        conn.execute(insert(MatchVector), rows)
    return len(rows)


# -- meeting requests ---------------------------------------------------------------------------
def _request_query() -> Any:
    r = MeetingRequest
    sender = Organisation.__table__.alias("sender")
    receiver = Organisation.__table__.alias("receiver")
    sp = MatchParticipant.__table__.alias("sp")
    rp = MatchParticipant.__table__.alias("rp")
    sc = Contact.__table__.alias("sc")
    rc = Contact.__table__.alias("rc")
    return (
        select(
            r.id,
            r.event_id,
            r.sender_id,
            r.receiver_id,
            sender.c.key.label("sender"),
            sender.c.name.label("sender_name"),
            receiver.c.key.label("receiver"),
            receiver.c.name.label("receiver_name"),
            r.sender_participant_id,
            r.receiver_participant_id,
            sc.c.name.label("sender_person"),
            rc.c.name.label("receiver_person"),
            r.state,
            r.priority,
            r.message,
            r.sent_on,
            r.answered_on,
            r.reminded_on,
        )
        .join(sender, sender.c.id == r.sender_id)
        .join(receiver, receiver.c.id == r.receiver_id)
        .outerjoin(sp, sp.c.id == r.sender_participant_id)
        .outerjoin(sc, sc.c.id == sp.c.contact_id)
        .outerjoin(rp, rp.c.id == r.receiver_participant_id)
        .outerjoin(rc, rc.c.id == rp.c.contact_id)
    )


def requests(
    conn: Connection,
    *,
    organisation_id: int | None = None,
    cluster: str | None = None,
    event_id: int | None = None,
    request_id: int | None = None,
    state: str | None = None,
) -> list[dict[str, Any]]:
    """Meeting requests: those an organisation sent or received, those touching a cluster's
    members or its events, or all; newest first."""
    r = MeetingRequest
    q = _request_query()
    if organisation_id is not None:
        q = q.where(or_(r.sender_id == organisation_id, r.receiver_id == organisation_id))
    if cluster is not None:
        members = select(Membership.organisation_id).where(Membership.cluster == cluster)
        events = select(MatchEvent.id).where(MatchEvent.cluster == cluster)
        q = q.where(
            or_(r.sender_id.in_(members), r.receiver_id.in_(members), r.event_id.in_(events))
        )
    if event_id is not None:
        q = q.where(r.event_id == event_id)
    if request_id is not None:
        q = q.where(r.id == request_id)
    if state is not None:
        q = q.where(r.state == state)
    return [dict(x._mapping) for x in conn.execute(q.order_by(r.sent_on.desc(), r.id.desc()))]


def open_request(
    conn: Connection,
    sender_id: int,
    receiver_id: int,
    event_id: int | None,
    participants: tuple[int | None, int | None] = (None, None),
) -> int | None:
    """A request from sender to receiver (same event) that is still requested or accepted.

    ``participants`` (sender's, receiver's): at an event, only a request between the same two
    people counts; a request that names no participant on a side matches any there."""
    r = MeetingRequest
    q = select(r.id).where(
        r.sender_id == sender_id,
        r.receiver_id == receiver_id,
        r.state.in_(("requested", "accepted")),
        r.event_id.is_(None) if event_id is None else r.event_id == event_id,
    )
    for column, pid in zip(
        (r.sender_participant_id, r.receiver_participant_id), participants, strict=True
    ):
        if pid is not None:
            q = q.where(or_(column.is_(None), column == pid))
    return conn.execute(q.limit(1)).scalar_one_or_none()


def add_request(conn: Connection, values: dict[str, Any]) -> int:
    pid = conn.execute(insert(MeetingRequest).values(**values)).inserted_primary_key
    assert pid is not None
    return int(pid[0])


def set_request(conn: Connection, request_id: int, **values: Any) -> None:
    conn.execute(update(MeetingRequest).where(MeetingRequest.id == request_id).values(**values))


def expire_requests(conn: Connection, today: date, default_days: int) -> int:
    """Requests unanswered for their event's number of days (else ``default_days``) expire."""
    r = MeetingRequest
    days = func.coalesce(
        select(MatchEvent.request_days).where(MatchEvent.id == r.event_id).scalar_subquery(),
        default_days,
    )
    rows = conn.execute(select(r.id, r.sent_on, days).where(r.state == "requested")).all()
    due = [rid for rid, sent, n in rows if (today - sent).days >= int(n)]
    if due:
        conn.execute(update(r).where(r.id.in_(due)).values(state="expired", answered_on=today))
    return len(due)


def request_days(conn: Connection, event_ids: set[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    q = select(MatchEvent.id, MatchEvent.request_days).where(MatchEvent.id.in_(event_ids))
    return {i: int(n) for i, n in conn.execute(q)}


def contacts_of(conn: Connection, organisation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Contact persons who consented to matchmaking, per organisation (for reminders)."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not organisation_ids:
        return out
    q = (
        select(Contact.organisation_id, Contact.name, Contact.email, Contact.language)
        .where(Contact.organisation_id.in_(organisation_ids), Contact.matchmaking.is_(True))
        .order_by(Contact.email)
    )
    for row in conn.execute(q):
        out.setdefault(row.organisation_id, []).append(dict(row._mapping))
    return out


# -- events -------------------------------------------------------------------------------------
def add_event(
    conn: Connection,
    event: dict[str, Any],
    slots: list[dict[str, Any]],
    participants: list[dict[str, Any]],
) -> int:
    pid = conn.execute(insert(MatchEvent).values(**event)).inserted_primary_key
    assert pid is not None
    eid = int(pid[0])
    if slots:
        conn.execute(insert(MatchSlot), [{**s, "event_id": eid} for s in slots])
    if participants:
        conn.execute(insert(MatchParticipant), [{**p, "event_id": eid} for p in participants])
    return eid


def event_by_key(conn: Connection, cluster: str | None, ref: str) -> dict[str, Any] | None:
    q = select(MatchEvent.__table__).where(MatchEvent.ref == ref)
    if cluster is not None:
        q = q.where(MatchEvent.cluster == cluster)
    rows = conn.execute(q).all()
    return dict(rows[0]._mapping) if len(rows) == 1 else None


def event_by_id(conn: Connection, event_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(MatchEvent.__table__).where(MatchEvent.id == event_id)).first()
    return dict(row._mapping) if row else None


def events(conn: Connection, cluster: str | None) -> list[dict[str, Any]]:
    q = select(MatchEvent.__table__).order_by(MatchEvent.cluster, MatchEvent.ref)
    if cluster is not None:
        q = q.where(MatchEvent.cluster == cluster)
    return [dict(r._mapping) for r in conn.execute(q)]


def event_slots(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    q = select(MatchSlot.__table__).where(MatchSlot.event_id == event_id)
    return [dict(r._mapping) for r in conn.execute(q.order_by(MatchSlot.position))]


def event_participants(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    q = (
        select(
            MatchParticipant.id,
            MatchParticipant.contact_id,
            MatchParticipant.available,
            MatchParticipant.quota,
            MatchParticipant.booth,
            Contact.name,
            Contact.email,
            Contact.organisation_id,
            Organisation.key.label("organisation"),
        )
        .join(Contact, Contact.id == MatchParticipant.contact_id)
        .join(Organisation, Organisation.id == Contact.organisation_id)
        .where(MatchParticipant.event_id == event_id)
        .order_by(MatchParticipant.id)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def contact_by_email(conn: Connection, email: str) -> list[dict[str, Any]]:
    q = select(Contact.id, Contact.organisation_id, Contact.name, Contact.email).where(
        Contact.email == email.lower()
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def event_request_pairs(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    r = MeetingRequest
    q = select(
        r.sender_id,
        r.receiver_id,
        r.sender_participant_id,
        r.receiver_participant_id,
        r.state,
        r.priority,
        r.sent_on,
    ).where(and_(r.event_id == event_id))
    return [dict(x._mapping) for x in conn.execute(q.order_by(r.id))]


def event_locks(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    """The meetings the organiser fixed: participant ids, slot and 0-based table."""
    q = select(MatchLock.a_id, MatchLock.b_id, MatchLock.slot, MatchLock.table_index).where(
        MatchLock.event_id == event_id
    )
    return [dict(r._mapping) for r in conn.execute(q.order_by(MatchLock.id))]


def set_lock(
    conn: Connection, event_id: int, a_id: int, b_id: int, slot: int, table: int | None
) -> None:
    """Fix the meeting of two participants (either order) in a slot, replacing an old lock."""
    remove_lock(conn, event_id, a_id, b_id)
    conn.execute(
        insert(MatchLock).values(
            event_id=event_id, a_id=a_id, b_id=b_id, slot=slot, table_index=table
        )
    )


def remove_lock(conn: Connection, event_id: int, a_id: int, b_id: int) -> int:
    q = delete(MatchLock).where(
        MatchLock.event_id == event_id,
        or_(
            and_(MatchLock.a_id == a_id, MatchLock.b_id == b_id),
            and_(MatchLock.a_id == b_id, MatchLock.b_id == a_id),
        ),
    )
    return int(conn.execute(q).rowcount)


def remove_participant(conn: Connection, event_id: int, participant_id: int) -> int:
    """Take a participant out of an event: their locks go, requests naming them keep the
    organisations and lose the person (foreign keys)."""
    q = delete(MatchParticipant).where(
        MatchParticipant.event_id == event_id, MatchParticipant.id == participant_id
    )
    return int(conn.execute(q).rowcount)


def add_participant(conn: Connection, event_id: int, values: dict[str, Any]) -> int:
    """Add one participant to an existing event; returns its id."""
    pid = conn.execute(
        insert(MatchParticipant).values(**values, event_id=event_id)
    ).inserted_primary_key
    assert pid is not None
    return int(pid[0])


def set_participant(conn: Connection, event_id: int, participant_id: int, **values: Any) -> int:
    """Change a participant's availability, quota or booth."""
    q = (
        update(MatchParticipant)
        .where(MatchParticipant.event_id == event_id, MatchParticipant.id == participant_id)
        .values(**values)
    )
    return int(conn.execute(q).rowcount)


def add_slot(
    conn: Connection, event_id: int, starts_at: datetime, ends_at: datetime, session: str | None
) -> int:
    """Append a slot at the next position (positions are never reused); returns it."""
    last = conn.execute(
        select(func.max(MatchSlot.position)).where(MatchSlot.event_id == event_id)
    ).scalar()
    position = 0 if last is None else int(last) + 1
    conn.execute(
        insert(MatchSlot).values(
            event_id=event_id,
            position=position,
            starts_at=starts_at,
            ends_at=ends_at,
            session=session,
            cancelled=False,
        )
    )
    return position


def set_slot(conn: Connection, event_id: int, position: int, **values: Any) -> int:
    """Change a slot's times, session or cancelled mark; its position stays."""
    q = (
        update(MatchSlot)
        .where(MatchSlot.event_id == event_id, MatchSlot.position == position)
        .values(**values)
    )
    return int(conn.execute(q).rowcount)


def add_availability(conn: Connection, event_id: int, position: int) -> int:
    """Put a new slot into every participant's list of available slots (those without a
    list are available in every slot already)."""
    rows = conn.execute(
        select(MatchParticipant.id, MatchParticipant.available).where(
            MatchParticipant.event_id == event_id, MatchParticipant.available.is_not(None)
        )
    ).all()
    for pid, available in rows:
        slots = sorted({int(x) for x in str(available).split(";") if x} | {position})
        conn.execute(
            update(MatchParticipant)
            .where(MatchParticipant.id == pid)
            .values(available=";".join(str(x) for x in slots))
        )
    return len(rows)


def remove_locks_in_slot(conn: Connection, event_id: int, position: int) -> int:
    q = delete(MatchLock).where(MatchLock.event_id == event_id, MatchLock.slot == position)
    return int(conn.execute(q).rowcount)


def set_tables(conn: Connection, event_id: int, tables: int) -> None:
    conn.execute(update(MatchEvent).where(MatchEvent.id == event_id).values(tables=tables))


def save_schedule(conn: Connection, event_id: int, document: str) -> None:
    conn.execute(delete(MatchSchedule).where(MatchSchedule.event_id == event_id))
    conn.execute(
        insert(MatchSchedule).values(
            event_id=event_id, document=document, made_at=datetime.now(UTC)
        )
    )


def load_schedule(conn: Connection, event_id: int) -> tuple[str, datetime] | None:
    table = MatchSchedule.__table__
    row = conn.execute(
        select(table.c.document, table.c.made_at).where(table.c.event_id == event_id)
    ).first()
    return (row[0], row[1]) if row else None


def events_of_organisation(conn: Connection, organisation_id: int) -> list[dict[str, Any]]:
    """Events in which one of the organisation's contact persons takes part."""
    q = (
        select(MatchEvent.__table__)
        .where(
            MatchEvent.id.in_(
                select(MatchParticipant.event_id)
                .join(Contact, Contact.id == MatchParticipant.contact_id)
                .where(Contact.organisation_id == organisation_id)
            )
        )
        .order_by(MatchEvent.cluster, MatchEvent.ref)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def person_matchmaking(conn: Connection, email: str) -> list[dict[str, Any]]:
    """What matchmaking holds on a person (right of access): the profiles they keep as contact
    and the events they take part in, with their availability."""
    out: list[dict[str, Any]] = []
    q = (
        select(Organisation.key)
        .join(MatchProfile, MatchProfile.organisation_id == Organisation.id)
        .join(Contact, Contact.id == MatchProfile.contact_id)
        .where(Contact.email == email.lower())
        .order_by(Organisation.key)
    )
    out += [{"kind": "profile-contact", "organisation": key} for (key,) in conn.execute(q)]
    q2 = (
        select(
            MatchEvent.cluster,
            MatchEvent.ref,
            MatchEvent.name,
            MatchParticipant.available,
            MatchParticipant.quota,
            MatchParticipant.booth,
        )
        .join(MatchParticipant, MatchParticipant.event_id == MatchEvent.id)
        .join(Contact, Contact.id == MatchParticipant.contact_id)
        .where(Contact.email == email.lower())
        .order_by(MatchEvent.cluster, MatchEvent.ref)
    )
    out += [{"kind": "event-participant", **dict(r._mapping)} for r in conn.execute(q2)]
    return out
