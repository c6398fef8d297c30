"""People who sign in to the web pages, as rows. The service layer hashes and checks passwords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from klynge.storage.models import Membership, Organisation, WebUser


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str | None
    password_hash: str
    role: str
    cluster: str | None
    organisation: str | None
    """The member organisation's key (members only)."""
    organisation_name: str | None
    generation: int
    created_at: datetime
    disabled_at: datetime | None
    last_login_at: datetime | None


class EmailTaken(Exception):
    """Another user already has this e-mail."""


def _utc(value: Any) -> Any:
    # SQLite hands back naive datetimes; every stored time is UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _select() -> Any:
    u = WebUser
    return select(
        u.id,
        u.email,
        u.name,
        u.password_hash,
        u.role,
        u.cluster,
        Organisation.key,
        Organisation.name,
        u.generation,
        u.created_at,
        u.disabled_at,
        u.last_login_at,
    ).outerjoin(Organisation, Organisation.id == u.organisation_id)


def _row(r: Any) -> UserRow:
    values = list(r)
    for i in (9, 10, 11):
        values[i] = _utc(values[i])
    return UserRow(*values)


def organisation_by_ref(engine: Engine, ref: str) -> tuple[int, str, str] | None:
    """(id, key, name) of the organisation whose key is ``ref`` (keys are case-insensitive)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Organisation.id, Organisation.key, Organisation.name).where(
                func.lower(Organisation.key) == ref.lower()
            )
        ).first()
    return None if row is None else (int(row[0]), str(row[1]), str(row[2]))


def add_user(
    engine: Engine,
    email: str,
    name: str | None,
    password_hash: str,
    role: str,
    cluster: str | None,
    organisation_id: int | None,
) -> UserRow:
    try:
        with engine.begin() as conn:
            new_id = conn.execute(
                insert(WebUser)
                .values(
                    email=email,
                    name=name,
                    password_hash=password_hash,
                    role=role,
                    cluster=cluster,
                    organisation_id=organisation_id,
                    generation=0,
                    created_at=datetime.now(UTC),
                )
                .returning(WebUser.id)
            ).scalar_one()
    except IntegrityError as exc:
        if "email" in str(exc.orig).lower():
            raise EmailTaken(email) from None
        raise
    found = get_user(engine, int(new_id))
    assert found is not None
    return found


def get_user(engine: Engine, user_id: int) -> UserRow | None:
    with engine.connect() as conn:
        row = conn.execute(_select().where(WebUser.id == user_id)).first()
    return None if row is None else _row(row)


def find_user(engine: Engine, email: str) -> UserRow | None:
    with engine.connect() as conn:
        row = conn.execute(_select().where(WebUser.email == email)).first()
    return None if row is None else _row(row)


def all_users(engine: Engine) -> list[UserRow]:
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(_select().order_by(WebUser.id))]


def change_user(engine: Engine, user_id: int, **values: Any) -> UserRow | None:
    """Set columns of one user; the generation goes up, so that their sessions end now."""
    with engine.begin() as conn:
        conn.execute(
            update(WebUser)
            .where(WebUser.id == user_id)
            .values(generation=WebUser.generation + 1, **values)
        )
    return get_user(engine, user_id)


def record_login(engine: Engine, user_id: int, new_hash: str | None = None) -> None:
    """Note a successful sign-in (and store a rehashed password); sessions stay valid."""
    values: dict[str, Any] = {"last_login_at": datetime.now(UTC)}
    if new_hash is not None:
        values["password_hash"] = new_hash
    with engine.begin() as conn:
        conn.execute(update(WebUser).where(WebUser.id == user_id).values(**values))


def session_user(engine: Engine, user_id: int) -> tuple[Any, ...] | None:
    """What a signed-in request needs, by primary key: one cheap look-up per request."""
    u = WebUser
    with engine.connect() as conn:
        row = conn.execute(
            select(
                u.role,
                u.cluster,
                Organisation.key,
                u.generation,
                u.disabled_at,
                u.email,
                Organisation.name,
            )
            .outerjoin(Organisation, Organisation.id == u.organisation_id)
            .where(u.id == user_id)
        ).first()
    return None if row is None else tuple(row)


def member_of(engine: Engine, cluster: str) -> tuple[str, str] | None:
    """(key, name) of one organisation with a membership of ``cluster``, synthetic ones first
    (the demo's member login)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Organisation.key, Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.cluster == cluster)
            .order_by(Organisation.synthetic.desc(), Organisation.key)
            .limit(1)
        ).first()
    return None if row is None else (str(row[0]), str(row[1]))
