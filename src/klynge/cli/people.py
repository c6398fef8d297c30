"""`klynge person`: what the registry holds on one person, erasure, retention and the audit log.

The command line acts as the local administrator; every command is logged in the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from klynge.cli.lazy import lazy
from klynge.cli.output import JsonOption, LangOption, console, emit_json, table
from klynge.i18n import pick
from klynge.services.auth import LOCAL

if TYPE_CHECKING:
    from klynge.services import people as service
else:
    service = lazy("klynge.services.people")

person_app = typer.Typer(
    name="person",
    help=(
        "Personal data (GDPR): export or erase what is held on one person, retention, the audit "
        "log / Personoplysninger: indsigt, sletning, opbevaring og log."
    ),
    no_args_is_help=True,
)

EmailArg = Annotated[str, typer.Argument(help="The person's e-mail / Personens e-mail.")]


@person_app.command("export")
def export(email: EmailArg, lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Everything held on one person, as JSON / Alt om én person som JSON."""
    result = service.person_export(email, principal=LOCAL, face="cli")
    # The document is the answer: JSON whether or not --json is given.
    del lang, as_json
    emit_json(result.model_dump(mode="json"))


@person_app.command("erase")
def erase(email: EmailArg, lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Remove one person everywhere / Slet én person overalt."""
    result = service.person_erase(email, principal=LOCAL, face="cli")
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    console.print(
        pick(
            lang,
            f"{result.email} er slettet: {result.contacts_removed} kontaktrække(r), navnet taget "
            f"ud af {result.texts_scrubbed} fritekst(er), {result.audit_entries_removed} "
            "logpost(er) om personen fjernet.",
            f"{result.email} erased: {result.contacts_removed} contact row(s), the name taken "
            f"out of {result.texts_scrubbed} free text(s), {result.audit_entries_removed} log "
            "entry(ies) about the person removed.",
        ),
        highlight=False,
    )


@person_app.command("retention")
def retention(
    years: Annotated[
        int, typer.Option("--years", help="Years without activity / År uden aktivitet.")
    ],
    erase_them: Annotated[
        bool, typer.Option("--erase", help="Erase them now / Slet dem nu.")
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Contacts without activity for N years; --erase erases them / Inaktive kontakter."""
    result = service.retention(years, erase=erase_them, principal=LOCAL, face="cli")
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    if erase_them:
        console.print(
            pick(
                lang,
                f"{result.erased} kontaktrække(r) uden aktivitet siden {result.inactive_since} "
                "er slettet.",
                f"{result.erased} contact row(s) without activity since {result.inactive_since} "
                "erased.",
            ),
            highlight=False,
        )
        return
    rows = [
        (c.email, c.organisation, str(c.last_active_on or "-"), str(c.added_on))
        for c in result.contacts
    ]
    title = pick(
        lang,
        f"Kontakter uden aktivitet siden {result.inactive_since}",
        f"Contacts without activity since {result.inactive_since}",
    )
    header = [
        "e-mail",
        pick(lang, "organisation", "organisation"),
        pick(lang, "sidst aktiv", "last active"),
        pick(lang, "tilføjet", "added"),
    ]
    console.print(table(title, header, rows))


@person_app.command("audit")
def audit(
    limit: Annotated[int, typer.Option("--limit", help="Newest N entries.")] = 100,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who read or changed personal data, and when / Hvem har læst eller ændret hvad."""
    result = service.audit_log(principal=LOCAL, limit=limit)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    rows = [
        (str(e.at)[:19], e.actor, e.action, e.subject or "", e.detail or "") for e in result.entries
    ]
    header = [
        pick(lang, "tid", "when"),
        pick(lang, "hvem", "who"),
        pick(lang, "handling", "action"),
        pick(lang, "person", "person"),
        pick(lang, "detalje", "detail"),
    ]
    console.print(table(pick(lang, "Revisionslog", "Audit log"), header, rows))


def register(app: typer.Typer) -> None:
    app.add_typer(person_app, name="person")
