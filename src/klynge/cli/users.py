"""`klynge user`: the people who sign in to the web pages (the command line acts as admin)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from klynge.cli.lazy import lazy
from klynge.cli.output import JsonOption, LangOption, console, emit_json, table
from klynge.errors import InvalidInput
from klynge.i18n import Text, pick
from klynge.services.auth import LOCAL

if TYPE_CHECKING:
    from klynge.services import users as service
else:
    service = lazy("klynge.services.users")

user_app = typer.Typer(
    name="user",
    help=(
        "People who sign in to the web pages: make, list, disable, change a role / "
        "Brugere af websiderne: opret, vis, deaktivér, skift rolle."
    ),
    no_args_is_help=True,
)

EmailArg = Annotated[str, typer.Argument(help="The user's e-mail / Brugerens e-mail.")]
RoleOption = Annotated[
    str,
    typer.Option(
        "--role",
        help="member (one organisation), staff (one cluster), analyst or admin. / Rolle.",
    ),
]
ClusterOption = Annotated[
    str | None,
    typer.Option("--cluster", help="The cluster of staff (slug or name). / Klynge."),
]
OrganisationOption = Annotated[
    str | None,
    typer.Option(
        "--organisation",
        help="A member's organisation: CVR number or key. / Medlemmets CVR-nummer eller nøgle.",
    ),
]


def _password(from_stdin: bool, lang: str | None) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInput(
                Text(da="ingen adgangskode på stdin", en="no password on stdin"),
                code="bad-password",
            )
        return line
    return str(
        typer.prompt(
            pick(lang, "Adgangskode", "Password"),
            hide_input=True,
            confirmation_prompt=pick(lang, "Gentag adgangskoden", "Repeat the password"),
        )
    )


@user_app.command("create")
def create(
    email: EmailArg,
    role: RoleOption,
    cluster: ClusterOption = None,
    organisation: OrganisationOption = None,
    name: Annotated[str | None, typer.Option("--name", help="Full name. / Navn.")] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from the first line of stdin (else it is asked for). / "
            "Læs adgangskoden fra stdin.",
        ),
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a user who signs in with e-mail and password / Opret en bruger."""
    password = _password(password_stdin, lang)
    made = service.create_user(
        email,
        password,
        role,
        cluster=cluster,
        organisation=organisation,
        name=name,
        principal=LOCAL,
    )
    if as_json:
        emit_json(made.model_dump(mode="json"))
        return
    scope = made.cluster or made.organisation
    scope_text = f" ({scope})" if scope else ""
    console.print(
        pick(
            lang,
            f"Bruger nr. {made.id}, {made.email}, rolle {made.role}{scope_text}: kan nu logge ind "
            "på /login.",
            f"User {made.id}, {made.email}, role {made.role}{scope_text}: can now sign in at "
            "/login.",
        ),
        highlight=False,
    )


@user_app.command("list")
def list_command(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """List the users (never their passwords) / Vis brugerne."""
    result = service.list_users(principal=LOCAL)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    rows = [
        (
            u.id,
            u.email,
            u.role,
            u.cluster or u.organisation or "",
            u.last_login_at.isoformat(timespec="seconds") if u.last_login_at else "",
            u.disabled_at.isoformat(timespec="seconds") if u.disabled_at else "",
        )
        for u in result.users
    ]
    header = [
        "id",
        "e-mail",
        pick(lang, "rolle", "role"),
        pick(lang, "klynge/organisation", "cluster/organisation"),
        pick(lang, "sidst logget ind", "last sign-in"),
        pick(lang, "deaktiveret", "disabled"),
    ]
    console.print(table(pick(lang, "Brugere", "Users"), header, rows))


@user_app.command("disable")
def disable(email: EmailArg, lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Disable a user now; their web sessions end at once / Deaktivér en bruger."""
    info = service.disable_user(email, principal=LOCAL)
    if as_json:
        emit_json(info.model_dump(mode="json"))
        return
    console.print(
        pick(
            lang,
            f"{info.email} er deaktiveret; brugerens sessioner er slut.",
            f"{info.email} is disabled; their sessions have ended.",
        ),
        highlight=False,
    )


@user_app.command("enable")
def enable(email: EmailArg, lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Let a disabled user sign in again / Genaktivér en bruger."""
    info = service.enable_user(email, principal=LOCAL)
    if as_json:
        emit_json(info.model_dump(mode="json"))
        return
    console.print(
        pick(lang, f"{info.email} kan logge ind igen.", f"{info.email} can sign in again."),
        highlight=False,
    )


@user_app.command("set-role")
def set_role(
    email: EmailArg,
    role: RoleOption,
    cluster: ClusterOption = None,
    organisation: OrganisationOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Give a user another role; their sessions end / Giv en bruger en anden rolle."""
    info = service.set_role(
        email, role, cluster=cluster, organisation=organisation, principal=LOCAL
    )
    if as_json:
        emit_json(info.model_dump(mode="json"))
        return
    scope = info.cluster or info.organisation
    scope_text = f" ({scope})" if scope else ""
    console.print(
        pick(
            lang,
            f"{info.email} har nu rollen {info.role}{scope_text}.",
            f"{info.email} now has the role {info.role}{scope_text}.",
        ),
        highlight=False,
    )


@user_app.command("set-password")
def set_password(
    email: EmailArg,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read it from stdin. / Læs den fra stdin."),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Give a user a new password; their sessions end / Ny adgangskode."""
    info = service.set_password(email, _password(password_stdin, lang), principal=LOCAL)
    console.print(
        pick(
            lang, f"{info.email} har fået en ny adgangskode.", f"{info.email} has a new password."
        ),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
