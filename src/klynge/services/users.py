"""People who sign in to the web pages: make, list, disable and re-role them; check a password.

A user has an e-mail, an argon2 hash of a password, and one of the roles of
:mod:`klynge.services.auth`: ``member`` (the contact of one member organisation, which sees and
edits that organisation's profile only), ``staff`` (one cluster), ``analyst`` or ``admin``. Only an
administrator manages users; the command line acts as one (``klynge user create``).

Passwords are hashed with argon2id (argon2-cffi's RFC 9106 "low memory" profile: 64 MiB, three
passes). ``$KLYNGE_ARGON2_CHEAP=1`` swaps in the cheapest parameters argon2 allows, for tests
only; a hash made with other parameters than the current ones is redone at the next sign-in.

A web session names the user and the user's ``generation``, which goes up whenever the user is
disabled, re-roled or given a new password: :func:`session_principal` then answers ``None`` and
the session is over at once. It is one look-up by primary key per request.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from klynge.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from klynge.i18n import Text
from klynge.services.auth import USER_ROLES, Principal, UserRole, require_admin

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from klynge.storage.users import UserRow

CHEAP_ENV = "KLYNGE_ARGON2_CHEAP"
MIN_PASSWORD = 10
MAX_PASSWORD = 1024


@cache
def hasher() -> PasswordHasher:
    """The process's argon2 hasher: the library's default profile, or (tests) the cheapest."""
    from argon2 import PasswordHasher

    if os.environ.get(CHEAP_ENV, "").strip() in {"1", "true", "yes"}:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


@cache
def _dummy_hash() -> str:
    # Verified against when the e-mail is unknown, so that the answer takes as long either way.
    return hash_password("no such user: klynge")


class UserInfo(BaseModel):
    """A user as listed: never the password hash."""

    id: int
    email: str
    name: str | None
    role: UserRole
    cluster: str | None = Field(description="The cluster's slug, for staff.")
    organisation: str | None = Field(description="The member organisation's key, for members.")
    organisation_name: str | None
    created_at: datetime
    disabled_at: datetime | None
    last_login_at: datetime | None
    active: bool


class UserList(BaseModel):
    users: list[UserInfo]


class SessionPerson(BaseModel):
    """Who a web session belongs to, as checked against the database on this request."""

    kind: Literal["user", "token"]
    principal: Principal
    email: str | None = Field(description="The user's e-mail; none for a token's session.")
    organisation_name: str | None = Field(
        default=None, description="A member's organisation's name."
    )


class LoginResult(BaseModel):
    user_id: int
    generation: int
    principal: Principal


def _info(r: UserRow) -> UserInfo:
    return UserInfo(
        id=r.id,
        email=r.email,
        name=r.name,
        role=r.role,  # type: ignore[arg-type]
        cluster=r.cluster,
        organisation=r.organisation,
        organisation_name=r.organisation_name,
        created_at=r.created_at,
        disabled_at=r.disabled_at,
        last_login_at=r.last_login_at,
        active=r.disabled_at is None,
    )


def _principal(user_id: int, role: str, cluster: str | None, org: str | None) -> Principal:
    return Principal(role=role, cluster=cluster, organisation=org, user_id=user_id)  # type: ignore[arg-type]


def _email(email: str) -> str:
    from klynge.registry.tables import email_problem

    address = email.strip().lower()
    problem = email_problem(address)
    if problem is not None:
        raise InvalidInput(problem, code="bad-email")
    return address


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            Text(
                da=f"en adgangskode skal have mellem {MIN_PASSWORD} og {MAX_PASSWORD} tegn",
                en=f"a password needs between {MIN_PASSWORD} and {MAX_PASSWORD} characters",
            ),
            code="bad-password",
        )


def _scope(
    role: str, cluster: str | None, organisation: str | None
) -> tuple[str | None, int | None]:
    """The (cluster slug, organisation id) a role needs, checked: staff one cluster, a member
    one organisation of the registry, the others neither."""
    from klynge.services.registry import resolve_cluster, with_database
    from klynge.storage.users import organisation_by_ref

    if role not in USER_ROLES:
        raise InvalidInput(
            Text(
                da=f"ukendt rolle {role!r}: brug {', '.join(USER_ROLES)}",
                en=f"unknown role {role!r}: use {', '.join(USER_ROLES)}",
            ),
            code="unknown-role",
        )
    cluster = (cluster or "").strip() or None
    organisation = (organisation or "").strip() or None
    if role == "staff":
        if cluster is None or organisation is not None:
            raise InvalidInput(
                Text(
                    da="en medarbejder hører til én klynge: angiv klyngen og ingen organisation",
                    en="staff belong to one cluster: give the cluster and no organisation",
                ),
                code="cluster-required",
            )
        return resolve_cluster(cluster).slug, None
    if role == "member":
        if organisation is None or cluster is not None:
            raise InvalidInput(
                Text(
                    da="et medlem taler for én organisation: angiv dens CVR-nummer eller nøgle "
                    "og ingen klynge",
                    en="a member speaks for one organisation: give its CVR number or key and "
                    "no cluster",
                ),
                code="organisation-required",
            )
        from klynge.registry.tables import organisation_ref

        found = with_database(lambda e: organisation_by_ref(e, organisation_ref(organisation)))
        if found is None:
            raise NotFound(
                Text(
                    da=f"registret har ingen organisation {organisation!r}: indlæs den først",
                    en=f"the registry has no organisation {organisation!r}: import it first",
                ),
                code="no-such-organisation",
            )
        return None, found[0]
    if cluster is not None or organisation is not None:
        raise InvalidInput(
            Text(
                da=f"rollen {role} gælder alle klynger: angiv hverken klynge eller organisation",
                en=f"the {role} role covers every cluster: give no cluster and no organisation",
            ),
            code="cluster-not-allowed",
        )
    return None, None


def _user(ref: int | str) -> UserRow:
    """A user by id or e-mail."""
    from klynge.services.registry import with_database
    from klynge.storage.users import find_user, get_user

    if isinstance(ref, int):
        row = with_database(lambda e: get_user(e, ref))
    else:
        address = ref.strip().lower()
        row = with_database(lambda e: find_user(e, address))
    if row is None:
        raise NotFound(
            Text(da=f"der er ingen bruger {ref}", en=f"there is no user {ref}"),
            code="no-such-user",
        )
    return row


# -- the administrator's use cases ----------------------------------------------------------------
def create_user(
    email: str,
    password: str,
    role: str,
    *,
    cluster: str | None = None,
    organisation: str | None = None,
    name: str | None = None,
    principal: Principal | None,
) -> UserInfo:
    """Make a user who signs in with ``email`` and ``password``; administrators only."""
    from klynge.services.registry import with_database
    from klynge.storage.users import EmailTaken, add_user

    require_admin(principal)
    address = _email(email)
    _check_password(password)
    slug, org_id = _scope(role.strip().lower(), cluster, organisation)
    digest = hash_password(password)
    label = (name or "").strip()[:200] or None
    try:
        row = with_database(
            lambda e: add_user(e, address, label, digest, role.strip().lower(), slug, org_id)
        )
    except EmailTaken:
        raise Conflict(
            Text(
                da=f"der er allerede en bruger med e-mailen {address}",
                en=f"there is already a user with the e-mail {address}",
            ),
            code="user-exists",
        ) from None
    return _info(row)


def list_users(*, principal: Principal | None) -> UserList:
    from klynge.services.registry import with_database
    from klynge.storage.users import all_users

    require_admin(principal)
    return UserList(users=[_info(r) for r in with_database(all_users)])


def _change(ref: int | str, **values: Any) -> UserInfo:
    from klynge.services.registry import with_database
    from klynge.storage.users import change_user

    row = _user(ref)
    changed = with_database(lambda e: change_user(e, row.id, **values))
    assert changed is not None
    return _info(changed)


def disable_user(ref: int | str, *, principal: Principal | None) -> UserInfo:
    """Disable a user at once: their sessions end on their next request. Disabling again
    keeps the first time."""
    from datetime import UTC

    p = require_admin(principal)
    row = _user(ref)
    if p.user_id is not None and p.user_id == row.id:
        raise Forbidden(
            Text(
                da="du kan ikke deaktivere dig selv: bed en anden administrator",
                en="you cannot disable yourself: ask another administrator",
            ),
            code="self-disable",
        )
    if row.disabled_at is not None:
        return _info(row)
    return _change(row.id, disabled_at=datetime.now(UTC))


def enable_user(ref: int | str, *, principal: Principal | None) -> UserInfo:
    require_admin(principal)
    return _change(_user(ref).id, disabled_at=None)


def set_role(
    ref: int | str,
    role: str,
    *,
    cluster: str | None = None,
    organisation: str | None = None,
    principal: Principal | None,
) -> UserInfo:
    """Give a user another role (and scope); their sessions end, so the new rights apply now."""
    require_admin(principal)
    row = _user(ref)
    slug, org_id = _scope(role.strip().lower(), cluster, organisation)
    return _change(row.id, role=role.strip().lower(), cluster=slug, organisation_id=org_id)


def set_password(ref: int | str, password: str, *, principal: Principal | None) -> UserInfo:
    """A new password; the user's sessions end."""
    require_admin(principal)
    _check_password(password)
    return _change(_user(ref).id, password_hash=hash_password(password))


# -- signing in -----------------------------------------------------------------------------------
def _refused() -> Unauthorized:
    return Unauthorized(
        Text(da="forkert e-mail eller adgangskode", en="wrong e-mail or password"),
        code="bad-login",
    )


def authenticate(email: str, password: str) -> LoginResult:
    """The user with this e-mail and password. A wrong e-mail and a wrong password get the same
    answer in about the same time; a disabled user is told so only with the right password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    from klynge.services.registry import with_database
    from klynge.storage.users import find_user, record_login

    address = email.strip().lower()
    if not address or not password or len(password) > MAX_PASSWORD:
        raise _refused()
    row = with_database(lambda e: find_user(e, address))
    ph = hasher()
    try:
        ph.verify(row.password_hash if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise _refused() from None
    if row is None:
        raise _refused()
    if row.disabled_at is not None:
        raise Forbidden(
            Text(
                da="denne bruger er deaktiveret: kontakt en administrator",
                en="this user has been disabled: ask an administrator",
            ),
            code="user-disabled",
        )
    new_hash = hash_password(password) if ph.check_needs_rehash(row.password_hash) else None
    with_database(lambda e: record_login(e, row.id, new_hash))
    return LoginResult(
        user_id=row.id,
        generation=row.generation,
        principal=_principal(row.id, row.role, row.cluster, row.organisation),
    )


def session_person(kind: str, ident: int, generation: int = 0) -> SessionPerson | None:
    """The person behind a web session, or ``None`` when the user is gone, disabled or changed
    since (another generation), or the token was revoked: the session is then over."""
    from klynge.services.registry import with_database

    if kind == "user":
        from klynge.storage.users import session_user

        found = with_database(lambda e: session_user(e, ident))
        if found is None:
            return None
        role, cluster, org, gen, disabled, email, org_name = found
        if disabled is not None or gen != generation:
            return None
        return SessionPerson(
            kind="user",
            principal=_principal(ident, role, cluster, org),
            email=email,
            organisation_name=org_name,
        )
    if kind == "token":
        from klynge.storage.tokens import get_token

        token = with_database(lambda e: get_token(e, ident))
        if token is None or token.revoked_at is not None:
            return None
        principal = Principal(role=token.role, cluster=token.cluster, token_id=token.id)  # type: ignore[arg-type]
        return SessionPerson(kind="token", principal=principal, email=None)
    return None
