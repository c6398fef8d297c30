"""CLI commands for the registry: database, import, export, demo data and performance accounts."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import MAXYEAR, MINYEAR, date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from klynge.accounts import Period
from klynge.accounts.report import OUTCOME_RULE, Account, number
from klynge.cli.output import (
    JsonOption,
    LangOption,
    console,
    emit_json,
    err_console,
    fail,
    table,
)
from klynge.i18n import pick
from klynge.landscape import AmbiguousName, NameNotFound, get_landscape
from klynge.registry.files import TooManyRows
from klynge.registry.tables import TABLES, table_spec

# SQLAlchemy and Alembic (klynge.storage) load inside the commands, only when a registry command
# runs, so that every other command and `klynge --help` start without them.
if TYPE_CHECKING:
    from sqlalchemy import Engine

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


def _reason(exc: BaseException, lang: str | None) -> str:
    """What went wrong, without SQLAlchemy's wrapper text and in the reader's language where we
    wrote the message ourselves (driver and OS messages come as the driver words them)."""
    from klynge.storage import StorageError
    from klynge.storage.demo import DemoRefused

    if isinstance(exc, StorageError | DemoRefused):
        return exc.text.get(lang)
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip()


def _in_memory(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # make_engine explains
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def _engine(lang: str | None, *, migrate: bool = True) -> Engine:
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage import StorageError, database_url, describe_url, make_engine
    from klynge.storage.engine import ensure_schema

    url = database_url()
    if _in_memory(url):
        fail(
            pick(
                lang,
                f"{url} er en database i hukommelsen, som forsvinder, når kommandoen slutter: "
                "giv en fil, fx sqlite:////sti/til/klynge.db",
                f"{url} is an in-memory database that vanishes when the command ends: "
                "give a file, e.g. sqlite:////path/to/klynge.db",
            )
        )
    try:
        engine = make_engine(url)
        if migrate:
            ensure_schema(engine)
    except (StorageError, SQLAlchemyError, OSError) as exc:
        fail(
            pick(
                lang,
                f"kan ikke bruge databasen {describe_url(url)}: {_reason(exc, lang)}",
                f"cannot use the database {describe_url(url)}: {_reason(exc, lang)}",
            )
        )
    return engine


def _shown(table: str, lang: str | None) -> str:
    """A table's name as people read it: organisationer in Danish, organisations in English."""
    return table_spec(table).sheet_da if lang == "da" else table


def _table_name(name: str, lang: str | None) -> str:
    try:
        return table_spec(name).name
    except KeyError:
        fail(
            pick(
                lang,
                f"ukendt tabel {name!r}: brug en af {', '.join(TABLES)}",
                f"unknown table {name!r}: use one of {', '.join(TABLES)}",
            )
        )


# -- db ---------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(lang: LangOption = None) -> None:
    """Create the database or bring it to the newest schema / Opret eller opgradér databasen."""
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage import database_url, describe_url
    from klynge.storage.engine import head_revision, upgrade

    engine = _engine(lang, migrate=False)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        reason = _reason(exc, lang)
        fail(pick(lang, f"opgradering mislykkedes: {reason}", f"upgrade failed: {reason}"))
    console.print(
        pick(
            lang,
            f"Databasen {describe_url(database_url())} er på skemaversion {head_revision()}.",
            f"Database {describe_url(database_url())} is at schema revision {head_revision()}.",
        )
    )


@db_app.command("info")
def db_info(lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Show the database, its schema revision and row counts / Vis databasen og dens indhold."""
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage import current_revision, database_url, describe_url
    from klynge.storage.engine import head_revision
    from klynge.storage.summary import row_counts

    engine = _engine(lang, migrate=False)
    try:
        revision = current_revision(engine)
        counts, synthetic = row_counts(engine)
    except SQLAlchemyError as exc:
        reason = _reason(exc, lang)
        fail(
            pick(lang, f"kan ikke læse databasen: {reason}", f"cannot read the database: {reason}")
        )
    info = {
        "url": describe_url(database_url()),
        "backend": engine.dialect.name,
        "revision": revision,
        "head": head_revision(),
        "rows": counts,
        "synthetic_organisations": synthetic,
    }
    if as_json:
        emit_json(info)
        return
    rows = [
        (pick(lang, "database", "database"), info["url"]),
        (pick(lang, "skemaversion", "schema revision"), f"{revision or '-'} (head {info['head']})"),
        *(
            (_shown(name, lang), "-" if n is None else number(n, lang))
            for name, n in counts.items()
        ),
        (
            pick(lang, "syntetiske organisationer", "synthetic organisations"),
            number(synthetic, lang),
        ),
    ]
    console.print(table(pick(lang, "Registret", "The registry"), ["", ""], rows))
    if revision is None:
        console.print(
            pick(lang, "Kør `klynge db upgrade` først.", "Run `klynge db upgrade` first.")
        )


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
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage.transfer import ImportFailed, import_table

    name = _table_name(table_name, lang)
    engine = _engine(lang)
    try:
        report = import_table(engine, name, file, dry_run=dry_run)
    except ImportFailed as exc:
        if as_json:
            emit_json(
                {
                    "imported": False,
                    "problems": [
                        {
                            "file": p.file,
                            "row": p.row,
                            "column": p.column,
                            "reason": p.text.get(lang),
                        }
                        for p in exc.problems
                    ],
                    "truncated": exc.truncated,
                }
            )
            raise typer.Exit(1) from None
        for p in exc.problems:
            err_console.print(p.describe(lang), highlight=False, markup=False)
        more = pick(lang, " (flere ikke vist)", " (more not shown)") if exc.truncated else ""
        fail(
            pick(
                lang,
                f"intet blev indlæst: {len(exc.problems)} problem(er){more}",
                f"nothing was imported: {len(exc.problems)} problem(s){more}",
            )
        )
    except SQLAlchemyError as exc:
        fail(
            pick(
                lang,
                f"databasefejl, intet indlæst: {_reason(exc, lang)}",
                f"database error, nothing imported: {_reason(exc, lang)}",
            )
        )
    if as_json:
        emit_json(
            {
                "imported": not dry_run,
                "dry_run": dry_run,
                "table": report.table,
                "file": report.file,
                "rows": report.rows,
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "notes": [n.get(lang) for n in report.notes],
            }
        )
        return
    for note in report.notes:
        console.print(note.get(lang), style="yellow", highlight=False, markup=False)
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
) -> None:
    """Export a table to CSV or XLSX in the form import reads / Eksportér en tabel."""
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage.transfer import export_table

    name = _table_name(table_name, lang)
    _check_target(file, (".csv", ".xlsx"), lang)
    engine = _engine(lang)
    try:
        n = export_table(engine, name, file)
    except TooManyRows as exc:
        fail(exc.text.get(lang))
    except OSError as exc:
        _cannot_write(file, exc, lang)
    except SQLAlchemyError as exc:
        reason = _reason(exc, lang)
        fail(pick(lang, f"databasefejl: {reason}", f"database error: {reason}"))
    console.print(
        pick(
            lang,
            f"{_shown(name, lang)}: {number(n, lang)} rækker skrevet til {file}.",
            f"{name}: {number(n, lang)} rows written to {file}.",
        ),
        highlight=False,
    )


def _check_target(path: Path, suffixes: tuple[str, ...], lang: str | None) -> None:
    """Refuse an output file that cannot be written before any work is done (and before a
    writer half-creates it)."""
    if path.suffix.lower() not in suffixes:
        fail(
            pick(
                lang,
                f"{path}: ukendt filtype {path.suffix!r}: brug {' eller '.join(suffixes)}",
                f"{path}: unknown file type {path.suffix!r}: use {' or '.join(suffixes)}",
            )
        )
    if path.is_dir():
        fail(pick(lang, f"{path} er en mappe, ikke en fil", f"{path} is a folder, not a file"))
    parent = path.parent
    if not parent.is_dir():
        fail(
            pick(
                lang,
                f"{path}: mappen {parent} findes ikke",
                f"{path}: the folder {parent} does not exist",
            )
        )


def _cannot_write(path: Path, exc: OSError, lang: str | None) -> NoReturn:
    reason = exc.strerror or str(exc)
    fail(pick(lang, f"kan ikke skrive {path}: {reason}", f"cannot write {path}: {reason}"))


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
) -> None:
    """Fill the database with a synthetic registry / Lav et syntetisk register til afprøvning."""
    from klynge.storage import database_url, describe_url
    from klynge.storage.demo import DemoRefused, generate

    engine = _engine(lang)
    try:
        r = generate(
            engine,
            organisations=organisations,
            activities=activities,
            participations=participations,
            seed=seed,
            force=force,
        )
    except DemoRefused as exc:
        reason = _reason(exc, lang)
        fail(pick(lang, f"demodata ikke skrevet: {reason}", f"demo data not written: {reason}"))
    if r.participations < participations:
        console.print(
            pick(
                lang,
                f"Kun {number(r.participations, lang)} af de ønskede "
                f"{number(participations, lang)} deltagelser er mulige med så få organisationer "
                "og aktiviteter (hver kombination af organisation, aktivitet og rolle én gang).",
                f"Only {number(r.participations, lang)} of the {number(participations, lang)} "
                "participations asked for are possible with so few organisations and activities "
                "(each organisation, activity and role at most once).",
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
            f"SYNTETISKE data skrevet til {describe_url(database_url())}: "
            f"{number(r.organisations, lang)} organisationer, {number(r.memberships, lang)} "
            f"medlemskaber, {number(r.activities, lang)} aktiviteter, "
            f"{number(r.participations, lang)} deltagelser, {number(r.outcomes, lang)} resultater.",
            f"SYNTHETIC data written to {describe_url(database_url())}: "
            f"{number(r.organisations, lang)} organisations, {number(r.memberships, lang)} "
            f"memberships, {number(r.activities, lang)} activities, "
            f"{number(r.participations, lang)} participations, {number(r.outcomes, lang)} "
            "outcomes.",
        ),
        highlight=False,
    )


# -- account ----------------------------------------------------------------------------------
def _parse_day(value: str | None, option: str, lang: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(
            pick(
                lang,
                f"{option} {value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD",
                f"{option} {value!r} is not a date in the form YYYY-MM-DD",
            )
        )


def _period(
    engine: Engine, year: int | None, start: date | None, end: date | None, lang: str | None
) -> Period:
    from klynge.storage.summary import activity_span

    if year is not None and (start or end):
        fail(pick(lang, "brug enten --year eller --from/--to", "use either --year or --from/--to"))
    if year is not None:
        if not MINYEAR <= year <= MAXYEAR:
            fail(
                pick(
                    lang,
                    f"--year {year} er ikke et årstal mellem {MINYEAR} og {MAXYEAR}",
                    f"--year {year} is not a year between {MINYEAR} and {MAXYEAR}",
                )
            )
        return Period.year(year)
    if start is None or end is None:
        first, last = activity_span(engine)
        start = start or first or date.today()
        end = end or last or date.today()
    if end < start:
        fail(
            pick(
                lang,
                f"perioden slutter ({end}) før den begynder ({start})",
                f"the period ends ({end}) before it starts ({start})",
            )
        )
    return Period(start, end)


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
    from sqlalchemy.exc import SQLAlchemyError

    from klynge.storage.account_sql import account_figures, national_account

    fmt = "json" if as_json else fmt.strip().lower()
    if fmt not in FORMATS:
        fail(
            pick(
                lang,
                f"ukendt format {fmt!r}: brug {', '.join(FORMATS)}",
                f"unknown format {fmt!r}: use {', '.join(FORMATS)}",
            )
        )
    slug = name = None
    if cluster is not None:
        ls = get_landscape()
        try:
            match = ls.resolve(cluster)
        except NameNotFound:
            fail(
                pick(
                    lang,
                    f"ingen klynge hedder {cluster!r}: se `klynge clusters`",
                    f"no cluster is called {cluster!r}: see `klynge clusters`",
                )
            )
        except AmbiguousName as exc:
            # An account is always for a cluster, so a tie between a cluster and its own area
            # ("fintech", "sound") is no tie here.
            only = [m for m in exc.candidates if m.kind == "cluster"]
            if len(only) != 1:
                options = ", ".join(m.slug for m in exc.candidates)
                fail(
                    pick(
                        lang,
                        f"{cluster!r} er flertydigt. Mente du: {options}?",
                        f"{cluster!r} is ambiguous. Did you mean: {options}?",
                    )
                )
            match = only[0]
        if match.kind != "cluster":
            what = {
                "area": ("et erhvervs- eller teknologiområde", "a business or technology area"),
                "programme": ("et program", "a programme"),
            }.get(match.kind, (match.kind, match.kind))
            fail(
                pick(
                    lang,
                    f"{cluster!r} er ikke en klyngeorganisation (det er {what[0]}); "
                    "brug klyngens navn, se `klynge clusters`",
                    f"{cluster!r} is not a cluster organisation (it is {what[1]}); "
                    "use the cluster's name, see `klynge clusters`",
                )
            )
        slug = match.slug
        name = ls.clusters[slug].name
    engine = _engine(lang)
    period = _period(
        engine, year, _parse_day(start, "--from", lang), _parse_day(end, "--to", lang), lang
    )
    try:
        with engine.connect() as conn:
            if slug is None:
                figures, by_cluster = national_account(conn, period)
            else:
                figures, by_cluster = account_figures(conn, period, slug), {}
    except SQLAlchemyError as exc:
        reason = _reason(exc, lang)
        fail(pick(lang, f"databasefejl: {reason}", f"database error: {reason}"))
    acc = Account(period, figures, slug, name, by_cluster, _cluster_names(by_cluster))
    caveats = _coverage_caveats(period, lang)
    if fmt == "json":
        doc = acc.to_json(lang)
        doc["notes"] += sorted(caveats)
        emit_json(doc)
        return
    if fmt == "xlsx" and output is None:
        scope = slug or ("hele-landet" if lang == "da" else "national")
        stem = "resultatregnskab" if lang == "da" else "account"
        output = Path(f"{stem}-{scope}-{period.start}-{period.end}.xlsx")
    if fmt in ("csv", "xlsx"):
        if output is None:
            sys.stdout.write(acc.to_csv(lang))
            return
        _check_target(output, (f".{fmt}",), lang)
        try:
            acc.write(output, lang)
        except OSError as exc:
            _cannot_write(output, exc, lang)
        console.print(pick(lang, f"Skrevet til {output}.", f"Written to {output}."))
        return
    _print_account(acc, lang)
    for caveat in sorted(caveats):
        console.print(caveat, style="yellow", highlight=False, markup=False)


def _coverage_caveats(period: Period, lang: str | None) -> set[str]:
    """Say when the period reaches into a programme whose clusters the landscape does not list."""
    ls = get_landscape()
    out = set()
    for p in ls.programmes.values():
        if p.kind != "cluster-programme" or p.clusters is not None:
            continue
        if p.start <= period.end and (p.end is None or p.end >= period.start):
            known = len(ls.clusters_on(p.start))
            n = "?" if p.organisations_funded is None else str(p.organisations_funded)
            out.add(
                pick(
                    lang,
                    f"{p.name.da}: landskabet kender kun {known} af programmets {n} klynger, så "
                    "aktiviteternes datoer er ikke kontrolleret mod deres perioder.",
                    f"{p.name.en}: the landscape lists only {known} of the programme's {n} "
                    "clusters, so activity dates were not checked against their terms.",
                )
            )
    return out


def _cluster_names(slugs: Iterable[str]) -> dict[str, str]:
    clusters = get_landscape().clusters
    return {s: clusters[s].name for s in slugs if s in clusters}


def _print_account(acc: Account, lang: str | None) -> None:
    if acc.by_cluster and not acc.cluster_names:
        acc.cluster_names = _cluster_names(acc.by_cluster)
    note = acc.synthetic_note(lang)
    if note:
        console.print(f"[bold yellow]{note}[/bold yellow]", highlight=False)
    lines = acc.lines(lang)
    head = [ln for ln in lines if ln.section in ("participants", "outcomes")]
    rule = acc.rule().get(lang)
    console.print(
        table(
            acc.title(lang),
            [pick(lang, "Mål", "Measure"), pick(lang, "Tal", "Figure")],
            [(ln.label[:1].upper() + ln.label[1:], ln.sentence) for ln in head],
            caption=pick(lang, f"Regel: {rule}", f"Rule: {rule}") + OUTCOME_RULE.get(lang),
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
        dup = total - acc.figures.companies.total
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
    size = acc.size_note(lang)
    if size:
        console.print(size, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(db_app, name="db")
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("demo-data")(demo_data)
    app.command("account")(account)
