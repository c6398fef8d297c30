"""Who may do what: API tokens, the principal behind a request, and the rules of tenancy.

Roles (API tokens have the last three; people who sign in to the web pages have all four,
see :mod:`klynge.services.users`):

- **public**, no token: the landscape and routing; nothing of the registry.
- **member**: the contact of one member organisation: that organisation's own profile only.
- **staff** of one cluster: read and write that cluster's rows only, and read its account.
- **analyst**: read every account (national and per cluster); no registry rows, no writes.
- **admin**: everything, including tokens.

A cluster's rows are its activities and memberships, the participations and outcomes of its
activities, and the organisations it may see (its members and its activities' participants).
Organisations are shared by every cluster they work with, so staff may refer to any organisation
by key in their own rows, but only an admin imports organisations.

The rules live here, not in a face: the API only turns a bearer token into a :class:`Principal`
and hands it to the services, which call the checks below. The command line acts as
:data:`LOCAL` (whoever runs it already holds the database).

A token is ``klynge_`` and 43 random URL-safe characters (32 bytes); only its SHA-256 is stored.
That is enough for a secret of this strength (no salt or slow hash is needed: nobody can guess
32 random bytes), and it lets one indexed lookup find the token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from klynge.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from klynge.i18n import Text

if TYPE_CHECKING:
    from klynge.storage.tokens import TokenRow

Role = Literal["staff", "analyst", "admin"]
ROLES: tuple[Role, ...] = ("staff", "analyst", "admin")
"""The roles of API tokens."""
UserRole = Literal["member", "staff", "analyst", "admin"]
USER_ROLES: tuple[UserRole, ...] = ("member", "staff", "analyst", "admin")
"""The roles of people who sign in to the web pages: a member organisation's contact too."""
TOKEN_PREFIX = "klynge_"


class Principal(BaseModel):
    """Who is asking: a role, for staff the one cluster (slug) they work for, for a member
    the organisation (its key) they speak for; and the token or user behind the request."""

    model_config = ConfigDict(frozen=True)

    role: UserRole
    cluster: str | None = None
    token_id: int | None = None
    organisation: str | None = None
    user_id: int | None = None


LOCAL = Principal(role="admin")
"""The command line: it runs with the database in hand, so it may do everything."""


class TokenInfo(BaseModel):
    """A token as listed: never the secret, which is shown once, when it is made."""

    id: int
    role: Role
    cluster: str | None = Field(description="The cluster's slug, for staff tokens.")
    label: str | None
    created_at: datetime
    revoked_at: datetime | None
    active: bool


class CreatedToken(TokenInfo):
    token: str = Field(description="The secret. Shown only now: store it, it cannot be read back.")


class TokenList(BaseModel):
    tokens: list[TokenInfo]


class TokenRequest(BaseModel):
    """What the API's ``POST /tokens`` takes."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    cluster: str | None = Field(
        default=None, max_length=200, description="Slug or name; staff tokens only."
    )
    label: str | None = Field(default=None, max_length=200)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- the rules ----------------------------------------------------------------------------------
def require_token(principal: Principal | None) -> Principal:
    """Anyone with a valid token; the public (``None``) is refused with 401."""
    if principal is None:
        raise Unauthorized(
            Text(
                da="denne del af API'et kræver en nøgle: send 'Authorization: Bearer NØGLE' "
                "(en administrator laver den med `klynge token create`)",
                en="this part of the API needs a token: send 'Authorization: Bearer TOKEN' "
                "(an administrator makes one with `klynge token create`)",
            ),
            code="token-required",
        )
    return principal


def require_admin(principal: Principal | None) -> Principal:
    p = require_token(principal)
    if p.role != "admin":
        raise Forbidden(
            Text(da="kun en administrator må dette", en="only an administrator may do this"),
            code="admin-only",
        )
    return p


def registry_scope(principal: Principal | None) -> str | None:
    """The cluster whose rows ``principal`` may read, or ``None`` for every row."""
    p = require_token(principal)
    if p.role == "admin":
        return None
    if p.role == "staff" and p.cluster:
        return p.cluster
    if p.role == "member":
        raise Forbidden(
            Text(
                da="et medlem ser og retter kun sin egen organisations profil",
                en="a member sees and edits its own organisation's profile only",
            ),
            code="role-forbidden",
        )
    raise Forbidden(
        Text(
            da="en analytiker-nøgle læser resultatregnskaber, ikke registrets rækker",
            en="an analyst token reads performance accounts, not the registry's rows",
        ),
        code="role-forbidden",
    )


def write_scope(principal: Principal | None, table: str) -> str | None:
    """The cluster whose rows ``principal`` may import into ``table``, or ``None`` for any."""
    p = require_token(principal)
    if p.role == "admin":
        return None
    if p.role == "staff" and p.cluster:
        if table == "contacts":
            raise Forbidden(
                Text(
                    da="kontaktpersoner er personoplysninger: kun en administrator indlæser dem",
                    en="contacts are personal data: only an administrator imports them",
                ),
                code="personal-data",
            )
        if table in ("organisations", "headcounts"):
            raise Forbidden(
                Text(
                    da="organisationer og deres ansattetal deles af alle klynger, de arbejder "
                    "med, så kun en administrator indlæser dem; en klynges medlemskaber, "
                    "aktiviteter, deltagelser og resultater må dens egne nøgler indlæse",
                    en="organisations and their head counts are shared by every cluster they "
                    "work with, so only an administrator imports them; a cluster's own tokens "
                    "import its memberships, activities, participations and outcomes",
                ),
                code="shared-table",
            )
        return p.cluster
    if p.role == "member":
        raise Forbidden(
            Text(
                da="et medlem indlæser ingen filer; det retter sin egen profil på siden",
                en="a member imports no files; it edits its own profile on its page",
            ),
            code="role-forbidden",
        )
    raise Forbidden(
        Text(
            da="en analytiker-nøgle må kun læse",
            en="an analyst token may only read",
        ),
        code="read-only",
    )


def check_account(principal: Principal | None, cluster: str | None) -> None:
    """Staff read their own cluster's account; analysts and admins every account."""
    p = require_token(principal)
    if p.role in ("admin", "analyst"):
        return
    if p.role == "member":
        raise Forbidden(
            Text(
                da="et medlem læser ingen resultatregnskaber",
                en="a member reads no performance accounts",
            ),
            code="role-forbidden",
        )
    if cluster is None or cluster != p.cluster:
        raise Forbidden(
            Text(
                da=f"denne nøgle læser kun resultatregnskabet for {p.cluster}",
                en=f"this token reads the performance account of {p.cluster} only",
            ),
            code="other-cluster",
        )


# -- tokens -------------------------------------------------------------------------------------
def _fields(r: TokenRow) -> dict[str, object]:
    return {
        "id": r.id,
        "role": r.role,
        "cluster": r.cluster,
        "label": r.label,
        "created_at": r.created_at,
        "revoked_at": r.revoked_at,
        "active": r.revoked_at is None,
    }


def _info(r: TokenRow) -> TokenInfo:
    return TokenInfo.model_validate(_fields(r))


def create_token(
    role: str, cluster: str | None = None, label: str | None = None, *, principal: Principal | None
) -> CreatedToken:
    """Make a token; the answer holds the secret, which is never shown again."""
    from klynge.services.registry import resolve_cluster, with_database
    from klynge.storage.tokens import add_token

    require_admin(principal)
    if role not in ROLES:
        raise InvalidInput(
            Text(
                da=f"ukendt rolle {role!r}: brug {', '.join(ROLES)}",
                en=f"unknown role {role!r}: use {', '.join(ROLES)}",
            ),
            code="unknown-role",
        )
    slug = None
    if role == "staff":
        if not cluster:
            raise InvalidInput(
                Text(
                    da="en staff-nøgle hører til én klynge: angiv klyngen",
                    en="a staff token belongs to one cluster: give the cluster",
                ),
                code="cluster-required",
            )
        slug = resolve_cluster(cluster).slug
    elif cluster:
        raise InvalidInput(
            Text(
                da=f"en {role}-nøgle gælder alle klynger: angiv ingen klynge",
                en=f"an {role} token covers every cluster: give no cluster",
            ),
            code="cluster-not-allowed",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    label = label.strip() if label and label.strip() else None
    row = with_database(lambda engine: add_token(engine, hash_token(secret), role, slug, label))
    return CreatedToken.model_validate({**_fields(row), "token": secret})


def list_tokens(*, principal: Principal | None) -> TokenList:
    from klynge.services.registry import with_database
    from klynge.storage.tokens import all_tokens

    require_admin(principal)
    return TokenList(tokens=[_info(r) for r in with_database(all_tokens)])


def revoke_token(token_id: int, *, principal: Principal | None) -> TokenInfo:
    """Revoke a token at once; revoking it again changes nothing."""
    from klynge.services.registry import with_database
    from klynge.storage.tokens import revoke_token as revoke

    require_admin(principal)
    row = with_database(lambda engine: revoke(engine, token_id))
    if row is None:
        raise NotFound(
            Text(da=f"der er ingen nøgle nr. {token_id}", en=f"there is no token {token_id}"),
            code="no-such-token",
        )
    return _info(row)


def authenticate(token: str | None) -> Principal | None:
    """The principal behind a token; ``None`` without one (public). A wrong or revoked token is
    refused, never treated as public, so that a client learns its token no longer works."""
    if token is None:
        return None
    from klynge.services.registry import with_database
    from klynge.storage.tokens import find_token

    secret = token.strip()
    row = with_database(lambda engine: find_token(engine, hash_token(secret))) if secret else None
    if row is None or row.revoked_at is not None:
        raise Unauthorized(
            Text(
                da="nøglen er ukendt eller trukket tilbage",
                en="the token is unknown or has been revoked",
            ),
            code="bad-token",
        )
    return Principal(role=row.role, cluster=row.cluster, token_id=row.id)  # type: ignore[arg-type]
