"""`klynge token`: make, list and revoke the API's tokens (the command line acts as admin)."""

from __future__ import annotations

from typing import Annotated

import typer

from klynge.cli.output import JsonOption, LangOption, console, emit_json, table
from klynge.i18n import pick
from klynge.services import auth as service
from klynge.services.auth import LOCAL

token_app = typer.Typer(
    name="token",
    help=(
        "API tokens: make one for a role, list them, revoke one / "
        "API-nøgler: lav, vis og tilbagekald."
    ),
    no_args_is_help=True,
)


@token_app.command("create")
def create(
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="staff (one cluster), analyst (every account, read only) or admin. / Rolle.",
        ),
    ],
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="The cluster of a staff token (slug or name). / Klynge."),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", help="A note on who holds it. / Hvem har nøglen."),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a token; it is shown once / Lav en nøgle; den vises kun nu."""
    made = service.create_token(role.strip().lower(), cluster, label, principal=LOCAL)
    if as_json:
        emit_json(made.model_dump(mode="json"))
        return
    scope = f" ({made.cluster})" if made.cluster else ""
    console.print(
        pick(
            lang,
            f"Nøgle nr. {made.id}, rolle {made.role}{scope}. Gem den nu: den vises ikke igen.",
            f"Token {made.id}, role {made.role}{scope}. Store it now: it is not shown again.",
        ),
        highlight=False,
    )
    # The secret alone on its own line, so that it can be copied or piped.
    console.print(made.token, highlight=False, markup=False, soft_wrap=True)


@token_app.command("list")
def list_command(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """List tokens (never their secrets) / Vis nøglerne (aldrig selve nøglen)."""
    result = service.list_tokens(principal=LOCAL)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    rows = [
        (
            t.id,
            t.role,
            t.cluster or "",
            t.label or "",
            t.created_at.isoformat(timespec="seconds"),
            t.revoked_at.isoformat(timespec="seconds") if t.revoked_at else "",
        )
        for t in result.tokens
    ]
    console.print(
        table(
            pick(lang, "API-nøgler", "API tokens"),
            [
                "id",
                pick(lang, "rolle", "role"),
                pick(lang, "klynge", "cluster"),
                pick(lang, "mærke", "label"),
                pick(lang, "oprettet", "created"),
                pick(lang, "tilbagekaldt", "revoked"),
            ],
            rows,
        )
    )


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id / Nøglens nummer.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke a token at once / Tilbagekald en nøgle med det samme."""
    info = service.revoke_token(token_id, principal=LOCAL)
    if as_json:
        emit_json(info.model_dump(mode="json"))
        return
    when = info.revoked_at.isoformat(timespec="seconds") if info.revoked_at else ""
    console.print(
        pick(
            lang,
            f"Nøgle nr. {info.id} er tilbagekaldt ({when}).",
            f"Token {info.id} is revoked ({when}).",
        ),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
