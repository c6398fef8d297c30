"""The demo platform: a database of SYNTHETIC data and one sign-in per role.

``klynge serve --demo`` (the README's first command) calls :func:`prepare_demo` before it starts
the server. The demo never touches a real registry: it refuses a database that holds real rows,
and by default it uses its own SQLite file beside the user's real one.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from klynge.errors import Conflict
from klynge.i18n import Text
from klynge.services.auth import LOCAL, create_token, list_tokens, revoke_token

DEMO_LABEL = "demo sign-in (synthetic data)"
DEMO_STAFF_CLUSTER = "odense-robotics"
DEMO_DOMAIN = "demo.klynge.invalid"
"""The demo users' e-mail domain: ``.invalid`` can never be a real address (RFC 2606)."""


class DemoLogin(BaseModel):
    role: str
    cluster: str | None
    token: str = Field(description="Paste it on the sign-in page, or send it as a Bearer token.")


class DemoUser(BaseModel):
    """A demo person who signs in with e-mail and password (one per role)."""

    role: str
    scope: str | None = Field(description="The staff's cluster or the member's organisation.")
    email: str
    password: str = Field(description="Made afresh at every start of the demo.")


class DemoSetup(BaseModel):
    url: str
    generated: bool = Field(description="Whether synthetic rows were made now (else kept).")
    organisations: int
    participations: int
    logins: list[DemoLogin]
    users: list[DemoUser] = Field(default_factory=list)


def demo_database_path() -> Path:
    """The demo's own SQLite file, beside (never instead of) the user's real database."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("klynge", appauthor=False)) / "klynge-demo.db"


def prepare_demo(
    *, organisations: int = 2_000, activities: int = 200, participations: int = 20_000
) -> DemoSetup:
    """Migrate, fill with synthetic data if empty, and make fresh demo sign-ins.

    Earlier demo sign-ins are revoked, so only the ones just printed work. A database with real
    (not synthetic) organisations is refused: the demo must never mix with real data.
    """
    from klynge.services.registry import db_info, db_upgrade, demo_data

    upgraded = db_upgrade()
    info = db_info()
    total = info.rows.get("organisations") or 0
    if total > info.synthetic_organisations:
        raise Conflict(
            Text(
                da=f"{upgraded.url} indeholder rigtige data; demoen bruger kun en database med "
                "syntetiske data. Fjern KLYNGE_DATABASE_URL, eller peg på en tom database.",
                en=f"{upgraded.url} holds real data; the demo only uses a database of synthetic "
                "data. Unset KLYNGE_DATABASE_URL, or point it at an empty database.",
            ),
            code="demo-beside-real-data",
        )
    generated = total == 0
    if generated:
        demo_data(organisations=organisations, activities=activities, participations=participations)
        info = db_info()
    for old in list_tokens(principal=LOCAL).tokens:
        if old.active and old.label == DEMO_LABEL:
            revoke_token(old.id, principal=LOCAL)
    logins = [
        DemoLogin(role=made.role, cluster=made.cluster, token=made.token)
        for made in (
            create_token("staff", DEMO_STAFF_CLUSTER, DEMO_LABEL, principal=LOCAL),
            create_token("analyst", None, DEMO_LABEL, principal=LOCAL),
            create_token("admin", None, DEMO_LABEL, principal=LOCAL),
        )
    ]
    return DemoSetup(
        url=upgraded.url,
        generated=generated,
        organisations=info.rows.get("organisations") or 0,
        participations=info.rows.get("participations") or 0,
        logins=logins,
        users=demo_users(),
    )


def demo_users() -> list[DemoUser]:
    """One demo user per role, each with a new random password (printed, never stored in
    clear): the member speaks for a synthetic member organisation of the demo's staff cluster."""
    import secrets

    from klynge.errors import NotFound
    from klynge.services.registry import with_database
    from klynge.services.users import create_user, set_password, set_role
    from klynge.storage.users import member_of

    member = with_database(lambda e: member_of(e, DEMO_STAFF_CLUSTER))
    wanted: list[tuple[str, str | None, str | None]] = [
        ("staff", DEMO_STAFF_CLUSTER, None),
        ("analyst", None, None),
        ("admin", None, None),
    ]
    if member is not None:
        wanted.insert(0, ("member", None, member[0]))
    out = []
    for role, cluster, organisation in wanted:
        email = f"{role}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(12)
        try:
            set_password(email, password, principal=LOCAL)
            set_role(email, role, cluster=cluster, organisation=organisation, principal=LOCAL)
        except NotFound:
            create_user(
                email,
                password,
                role,
                cluster=cluster,
                organisation=organisation,
                name=f"Demo {role}",
                principal=LOCAL,
            )
        out.append(
            DemoUser(role=role, scope=cluster or organisation, email=email, password=password)
        )
    return out
