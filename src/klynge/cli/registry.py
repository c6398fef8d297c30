"""CLI commands for the registry: database, import, export, demo data and performance accounts.

Each command parses its options, calls :mod:`klynge.services.registry` as the local principal (who
holds the database), and renders the model it returns; ``--json`` prints that model.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klynge.accounts.report import OUTCOME_RULE, number
from klynge.cli.lazy import lazy
from klynge.cli.output import (
    JsonOption,
    LangOption,
    console,
    emit_json,
    table,
)
from klynge.errors import InvalidInput
from klynge.i18n import Text, pick
from klynge.registry.tables import TABLES, table_spec
from klynge.services.auth import LOCAL

if TYPE_CHECKING:
    from klynge.services import registry as service
else:
    service = lazy("klynge.services.registry")

db_app = typer.Typer(
    name="db",
    help=(
        "The registry database: create or upgrade it, and show where it is / "
        "Registrets database: opret eller opgradér den, og vis hvor den er."
    ),
    no_args_is_help=True,
)

TableArg = Annotated[
    str,
    typer.Argument(
        help=f"Table / tabel: {', '.join(TABLES)}.",
        show_default=False,
    ),
]


def _shown(table: str, lang: str | None) -> str:
    """A table's name as people read it: organisationer in Danish, organisations in English."""
    return table_spec(table).sheet_da if lang == "da" else table


# -- db ---------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Create the database or bring it to the newest schema / Opret eller opgradér databasen."""
    result = service.db_upgrade()
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    console.print(
        pick(
            lang,
            f"Databasen {result.url} er på skemaversion {result.revision}.",
            f"Database {result.url} is at schema revision {result.revision}.",
        )
    )


@db_app.command("info")
def db_info(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Show the database, its schema revision and row counts / Vis databasen og dens indhold."""
    info = service.db_info()
    if as_json:
        emit_json(info.model_dump(mode="json"))
        return
    rows = [
        (pick(lang, "database", "database"), info.url),
        (
            pick(lang, "skemaversion", "schema revision"),
            f"{info.revision or '-'} (head {info.head})",
        ),
        *(
            (_shown(name, lang), "-" if n is None else number(n, lang))
            for name, n in info.rows.items()
        ),
        (
            pick(lang, "syntetiske organisationer", "synthetic organisations"),
            number(info.synthetic_organisations, lang),
        ),
    ]
    console.print(table(pick(lang, "Registret", "The registry"), ["", ""], rows))
    if info.revision is None:
        console.print(
            pick(lang, "Kør `klynge db upgrade` først.", "Run `klynge db upgrade` first.")
        )


@db_app.command("rebuild-summary")
def db_rebuild_summary(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Recompute the account summary from the registry / Genberegn regnskabets oversigt."""
    result = service.db_rebuild_summary()
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    console.print(
        pick(
            lang,
            f"Regnskabets oversigt i {result.url} er genberegnet: {number(result.rows, lang)} "
            "rækker.",
            f"The account summary in {result.url} was recomputed: {number(result.rows, lang)} "
            "rows.",
        ),
        highlight=False,
    )


@db_app.command("check")
def db_check(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Check the database's integrity and the registry's rules / Kontrollér databasen."""
    result = service.db_check(lang=lang)
    if as_json:
        emit_json(result.model_dump(mode="json"))
    else:
        for finding in result.findings:
            console.print(f"{finding.code}: {finding.message}", highlight=False, markup=False)
        if result.ok:
            console.print(
                pick(
                    lang,
                    f"Databasen {result.url} er i orden.",
                    f"Database {result.url}: no problems found.",
                )
            )
    if not result.ok:
        raise typer.Exit(1)


# -- import / export --------------------------------------------------------------------------
def import_command(
    table_name: TableArg,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file / CSV- eller XLSX-fil.")],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check and count, then undo / Kontrollér og fortryd."),
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a table from CSV or XLSX, all or nothing / Indlæs en tabel, alt eller intet."""
    report = service.import_path(
        table_name, file, dry_run=dry_run, principal=LOCAL, lang=lang, face="cli"
    )
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    for note in report.notes:
        console.print(note, style="yellow", highlight=False, markup=False)
    if dry_run:
        console.print(
            pick(
                lang,
                "Prøvekørsel: filen er i orden, men intet blev gemt.",
                "Dry run: the file is valid, but nothing was saved.",
            )
        )
    console.print(
        pick(
            lang,
            f"{_shown(report.table, lang)}: {number(report.rows, lang)} rækker læst fra {file}; "
            f"{number(report.inserted, lang)} nye, {number(report.updated, lang)} ændrede, "
            f"{number(report.unchanged, lang)} uændrede.",
            f"{report.table}: {number(report.rows, lang)} rows read from {file}; "
            f"{number(report.inserted, lang)} new, {number(report.updated, lang)} changed, "
            f"{number(report.unchanged, lang)} unchanged.",
        ),
        highlight=False,
    )


def export_command(
    table_name: TableArg,
    file: Annotated[Path, typer.Argument(help="Target .csv or .xlsx file / Målfil.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export a table to CSV or XLSX in the form import reads / Eksportér en tabel."""
    result = service.export_path(table_name, file, principal=LOCAL, face="cli")
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    console.print(
        pick(
            lang,
            f"{_shown(result.table, lang)}: {number(result.rows, lang)} rækker skrevet til {file}.",
            f"{result.table}: {number(result.rows, lang)} rows written to {file}.",
        ),
        highlight=False,
    )
    if result.possible_personal_data:
        cols = ", ".join(result.possible_personal_data)
        console.print(
            pick(
                lang,
                f"Bemærk: kolonnerne {cols} indeholder (eller kan som fritekst indeholde) "
                "personoplysninger; behandl filen derefter.",
                f"Note: the columns {cols} hold (or as free text may hold) personal data; "
                "handle the file accordingly.",
            ),
            style="yellow",
            highlight=False,
        )


# -- demo data --------------------------------------------------------------------------------
def demo_data(
    organisations: Annotated[
        int, typer.Option(min=1, help="Organisations to make / Antal organisationer.")
    ] = 20_000,
    activities: Annotated[
        int, typer.Option(min=1, help="Activities to make / Antal aktiviteter.")
    ] = 2_000,
    participations: Annotated[
        int, typer.Option(min=0, help="Participations to make / Antal deltagelser.")
    ] = 200_000,
    seed: Annotated[
        int,
        typer.Option(
            help="Random seed: the same seed gives the same data / Samme frø giver samme data."
        ),
    ] = 1,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Add demo data beside real rows / Tilføj demodata ved rigtige rækker.",
        ),
    ] = False,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fill the database with a synthetic registry / Lav et syntetisk register til afprøvning."""
    r = service.demo_data(
        organisations=organisations,
        activities=activities,
        participations=participations,
        seed=seed,
        force=force,
    )
    if as_json:
        emit_json(r.model_dump(mode="json"))
        return
    if r.participations < r.participations_asked:
        console.print(
            pick(
                lang,
                f"Kun {number(r.participations, lang)} af de ønskede "
                f"{number(r.participations_asked, lang)} deltagelser er mulige med så få "
                "organisationer og aktiviteter (hver kombination af organisation, aktivitet og "
                "rolle én gang).",
                f"Only {number(r.participations, lang)} of the "
                f"{number(r.participations_asked, lang)} participations asked for are possible "
                "with so few organisations and activities (each organisation, activity and role "
                "at most once).",
            ),
            style="yellow",
            highlight=False,
        )
    if r.replaced_synthetic:
        console.print(
            pick(lang, "Tidligere demodata blev erstattet.", "Earlier demo data was replaced.")
        )
    if r.mixed_with_real:
        console.print(
            pick(
                lang,
                "[yellow]Advarsel: demodata ligger nu sammen med rigtige rækker.[/yellow]",
                "[yellow]Warning: demo data now sits beside real rows.[/yellow]",
            )
        )
    console.print(
        pick(
            lang,
            f"SYNTETISKE data skrevet til {r.url}: "
            f"{number(r.organisations, lang)} organisationer, {number(r.memberships, lang)} "
            f"medlemskaber, {number(r.activities, lang)} aktiviteter, "
            f"{number(r.participations, lang)} deltagelser, {number(r.outcomes, lang)} resultater.",
            f"SYNTHETIC data written to {r.url}: "
            f"{number(r.organisations, lang)} organisations, {number(r.memberships, lang)} "
            f"memberships, {number(r.activities, lang)} activities, "
            f"{number(r.participations, lang)} participations, {number(r.outcomes, lang)} "
            "outcomes.",
        ),
        highlight=False,
    )


# -- account ----------------------------------------------------------------------------------
def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            Text(
                da=f"{option} {value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD",
                en=f"{option} {value!r} is not a date in the form YYYY-MM-DD",
            ),
            code="bad-date",
        ) from None


FORMATS = ("table", "json", "csv", "xlsx")


def account(
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="One cluster (slug or name); default: national / Én klynge; ellers hele landet.",
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="A calendar year / Et kalenderår.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day / Første dag (YYYY-MM-DD).", show_default=False),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day / Sidste dag (YYYY-MM-DD).", show_default=False),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table, json, csv, xlsx. / Format.")
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=(
                "File for csv (default: stdout) or xlsx (default: account-SCOPE-FROM-TO.xlsx) / "
                "Fil til csv (ellers standardoutput) eller xlsx."
            ),
        ),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """The performance account for one cluster or the whole country / Resultatregnskab."""
    fmt = "json" if as_json else fmt.strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput(
            Text(
                da=f"ukendt format {fmt!r}: brug {', '.join(FORMATS)}",
                en=f"unknown format {fmt!r}: use {', '.join(FORMATS)}",
            ),
            code="unknown-format",
        )
    if output is not None and fmt in ("csv", "xlsx"):
        service.check_target(output, (f".{fmt}",))
    day_from, day_to = _parse_day(start, "--from"), _parse_day(end, "--to")
    if fmt in ("csv", "xlsx"):
        file = service.account_file(
            cluster, fmt=fmt, year=year, start=day_from, end=day_to, lang=lang, principal=LOCAL
        )
        if fmt == "csv" and output is None:
            sys.stdout.write(file.content.decode("utf-8"))
            return
        target = output or Path(file.filename)
        # A CSV file starts with a byte-order mark, which Excel needs to read æ, ø and å.
        content = file.content if fmt == "xlsx" else "\ufeff".encode() + file.content
        try:
            target.write_bytes(content)
        except OSError as exc:
            raise service.cannot_write(target, exc) from None
        console.print(pick(lang, f"Skrevet til {target}.", f"Written to {target}."))
        return
    result = service.account(
        cluster, year=year, start=day_from, end=day_to, lang=lang, principal=LOCAL
    )
    if fmt == "json":
        emit_json(result.model_dump(mode="json"))
        return
    print_account(result, lang)


def print_account(acc: service.AccountResult, lang: str | None) -> None:
    """The account as tables, every table with the rule it counts by; notes first."""
    for i, note in enumerate(acc.notes):
        style = "bold yellow" if acc.synthetic and i == 0 else "yellow"
        console.print(note, style=style, highlight=False, markup=False)
    lines = acc.lines
    head = [ln for ln in lines if ln.section in ("participants", "outcomes")]
    console.print(
        table(
            acc.title,
            [pick(lang, "Mål", "Measure"), pick(lang, "Tal", "Figure")],
            [(ln.label[:1].upper() + ln.label[1:], ln.sentence) for ln in head],
            caption=pick(lang, f"Regel: {acc.rule}", f"Rule: {acc.rule}") + OUTCOME_RULE.get(lang),
        )
    )
    sizes = [ln for ln in lines if ln.section == "size-classes"]
    console.print(
        table(
            pick(
                lang, "Deltagende virksomheder efter størrelse", "Participating companies by size"
            ),
            [pick(lang, "Størrelse", "Size"), pick(lang, "Antal", "Count")],
            [(ln.label, number(int(ln.value or 0), lang)) for ln in sizes],
            caption=sizes[0].rule if sizes else None,
        )
    )
    acts = [ln for ln in lines if ln.section == "activities"]
    console.print(
        table(
            pick(lang, "Aktiviteter efter type", "Activities by type"),
            [pick(lang, "Type", "Type"), pick(lang, "Antal", "Count")],
            [(ln.label, number(int(ln.value or 0), lang)) for ln in acts],
            caption=acts[0].rule if acts else None,
        )
    )
    for ln in lines:
        if ln.section == "funding":
            console.print(f"{ln.sentence} ({ln.rule})", highlight=False)
    clusters = [ln for ln in lines if ln.section == "by-cluster"]
    if clusters:
        console.print(
            table(
                pick(lang, "Virksomheder pr. klynge", "Companies by cluster"),
                [
                    pick(lang, "Klynge", "Cluster"),
                    pick(lang, "Virksomheder", "Companies"),
                    pick(lang, "heraf under 50 ansatte", "of which fewer than 50 employees"),
                ],
                [
                    (ln.label, number(int(ln.value or 0), lang), number(ln.sme or 0, lang))
                    for ln in clusters
                ],
                caption=clusters[0].rule,
            )
        )
        total = sum(int(ln.value or 0) for ln in clusters)
        dup = total - acc.companies.total
        console.print(
            pick(
                lang,
                f"Summen over klynger er {number(total, lang)}; {number(dup, lang)} af dem er "
                "virksomheder, der deltog i mere end én klynge og kun tælles én gang nationalt.",
                f"The clusters add up to {number(total, lang)}; {number(dup, lang)} of those are "
                "companies that took part in more than one cluster and count once nationally.",
            ),
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(db_app, name="db")
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("demo-data")(demo_data)
    app.command("account")(account)
