"""CLI for routing: `klynge route TEXT` for one company, `--input/--output` for a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.markup import escape

from klynge.cli.output import (
    JsonOption,
    OnOption,
    console,
    emit_json,
    err_console,
    fail,
    parse_on,
    table,
)
from klynge.context import current_lang, lang_from, lang_is_explicit, set_lang
from klynge.i18n import Lang, pick

if TYPE_CHECKING:
    from klynge.services.routing import BatchResult


def _lang_or_none(value: str | None) -> Lang | None:
    """--lang, else $KLYNGE_LANG, else None: explain in the description's own language."""
    if value is not None:
        set_lang(lang_from(value))
    return current_lang() if lang_is_explicit() else None


RouteLangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help=(
            "Language for output: da or en. Default: $KLYNGE_LANG, else the language of the "
            "description. / Sprog for uddata; ellers beskrivelsens sprog."
        ),
        callback=_lang_or_none,
        show_default=False,
    ),
]

OUTCOME_LABEL = {
    "routed": ("fundet", "routed"),
    "none": ("ingen klynge passer", "no cluster fits"),
    "no-cluster-for-area": ("området har ingen klynge", "the area has no cluster"),
    "insufficient": ("ikke nok at gå ud fra", "not enough to go on"),
}


def route(
    text: Annotated[
        str | None,
        typer.Argument(help="What the company does, in Danish or English / Hvad virksomheden gør."),
    ] = None,
    nace: Annotated[
        str | None,
        typer.Option(
            "--nace",
            help=(
                "NACE Rev. 2 code (A-U, 2, 3 or 4 digits) or DB07 (6 digits). / "
                "NACE- eller DB07-kode."
            ),
        ),
    ] = None,
    on: OnOption = None,
    lang: RouteLangOption = None,
    as_json: JsonOption = False,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            help=(
                "CSV, XLSX or Parquet with columns id, description and optionally nace; "
                "'-' reads standard input. / Fil med kolonnerne id, description og evt. nace; "
                "'-' læser standard-input."
            ),
        ),
    ] = None,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output", help="CSV file to write the routed rows to. / CSV-fil til resultatet."
        ),
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help=(
                "best: add the sentence-embedding model when installed (one description); "
                "fast: the linear model only. Files always use fast. / Tekstmodel: best eller "
                "fast."
            ),
        ),
    ] = "best",
) -> None:
    """Find the cluster for a company / Find klyngen for en virksomhed."""
    day = parse_on(on)
    lang = cast("Lang | None", lang)  # the option's callback settled it
    if input_file is not None or output_file is not None:
        if input_file is None or output_file is None:
            fail(
                pick(
                    lang,
                    "--input og --output skal bruges sammen",
                    "--input and --output go together",
                ),
                2,
            )
        if text is not None or nace is not None:
            fail(
                pick(
                    lang,
                    "giv enten en beskrivelse eller --input, ikke begge",
                    "give either a description or --input, not both",
                ),
                2,
            )
        _route_file(input_file, output_file, day, lang, as_json)
        return

    from klynge.services.routing import route_text

    if model not in ("best", "fast"):
        fail(pick(lang, "--model skal være best eller fast", "--model must be best or fast"), 2)
    if lang is None and text and text.strip():
        from klynge.routing.text import detect_language, fold, tokens

        # A refusal (a code that does not exist, a text too long) follows the description's
        # language, as the answer does.
        set_lang(detect_language(tokens(fold(text))), explicit=False)
    result = route_text(text, nace, on=day, lang=lang, model="fast" if model == "fast" else "best")
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    out_lang = lang or result.language
    da, en = OUTCOME_LABEL[result.outcome]
    console.print(
        pick(out_lang, f"[bold]Resultat:[/bold] {da}", f"[bold]Outcome:[/bold] {en}"),
        highlight=False,
    )
    if result.clusters:
        rows = []
        for c in result.clusters:
            # People read the cluster's name; --json keeps the slug for programs.
            shown = c.name or c.slug or pick(out_lang, "(ingen)", "(none)")
            if not c.certain:
                shown += " (?)"
            rows.append((shown, c.area_name, number(c.score, out_lang, 2), c.explanation))
        console.print(
            table(
                pick(out_lang, f"Klynger ({result.on})", f"Clusters ({result.on})"),
                [
                    pick(out_lang, "Klynge", "Cluster"),
                    pick(out_lang, "Område", "Area"),
                    pick(out_lang, "Score", "Score"),
                    pick(out_lang, "Forklaring", "Explanation"),
                ],
                rows,
            )
        )
        # What the first cluster does and how to reach it, from the landscape data.
        first = result.clusters[0]
        if first.does:
            console.print(
                pick(out_lang, f"Hvad klyngen gør: {first.does}", f"What it does: {first.does}"),
                highlight=False,
            )
        if first.website:
            console.print(
                pick(out_lang, f"Hjemmeside: {first.website}", f"Website: {first.website}"),
                highlight=False,
            )
    else:
        console.print(result.explanation, highlight=False)
    # The landscape's note is usually one of the day's caveats too: say it once.
    if result.note and result.note not in {c.message for c in result.caveats}:
        console.print(f"[yellow]{escape(result.note)}[/yellow]", highlight=False)
    for caveat in result.caveats:
        console.print(f"[yellow]{escape(caveat.message)}[/yellow]", highlight=False)


def number(value: float, lang: str | None, decimals: int = 0) -> str:
    """A number with the language's thousands separator and decimal mark (1.234,5 / 1,234.5)."""
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float, lang: str | None) -> str:
    """A share as a percentage: 12,5 % in Danish, 12.5% in English."""
    text = number(share * 100, lang, 1)
    return f"{text} %" if lang == "da" else f"{text}%"


def _route_file(src: Path, dst: Path, day: date | None, lang: Lang | None, as_json: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from klynge.services.routing import all_rows_failed, route_file

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task(pick(lang, "Finder klynger", "Routing"), total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        result = route_file(src, dst, on=day, lang=lang, progress=progress)
    if as_json:
        emit_json(result.model_dump(mode="json"))
    else:
        out_lang = lang or "en"
        rows = [
            (c.name, number(c.count, out_lang), percent(c.share, out_lang))
            for c in result.per_cluster
        ]
        if result.errors:
            rows.append(
                (
                    pick(out_lang, "fejl", "errors"),
                    number(result.errors, out_lang),
                    percent(result.error_share, out_lang),
                )
            )
        n = number(result.rows, out_lang)
        console.print(
            table(
                pick(out_lang, f"Opsummering: {n} rækker", f"Summary: {n} rows"),
                [
                    pick(out_lang, "Klynge", "Cluster"),
                    pick(out_lang, "Antal", "Count"),
                    pick(out_lang, "Andel", "Share"),
                ],
                rows,
                caption=pick(
                    out_lang,
                    f"Fundet klynge: {percent(result.routed_share, out_lang)} · ingen klynge "
                    f"passer: {percent(result.none_share, out_lang)} · område uden klynge: "
                    f"{percent(result.no_cluster_for_area_share, out_lang)} · ikke nok at gå "
                    f"ud fra: {percent(result.insufficient_share, out_lang)}",
                    f"Routed: {percent(result.routed_share, out_lang)} · no cluster fits: "
                    f"{percent(result.none_share, out_lang)} · area without a cluster: "
                    f"{percent(result.no_cluster_for_area_share, out_lang)} · not enough to go "
                    f"on: {percent(result.insufficient_share, out_lang)}",
                ),
            )
        )
        console.print(pick(out_lang, f"Skrevet til {dst}", f"Written to {dst}"), highlight=False)
    _warn_about(result, lang)
    if result.all_failed:
        if as_json:  # stdout holds the summary: one JSON document; the exit code says it failed
            raise typer.Exit(all_rows_failed(result).exit_code)
        raise all_rows_failed(result)


def _warn_about(result: BatchResult, lang: Lang | None) -> None:
    """What a person should know about the input, and rows that failed, on standard error."""
    prefix = pick(lang, "bemærk", "note")
    for caveat in result.caveats:  # the day routed for, as a single answer says it
        err_console.print(f"[yellow]{escape(caveat.message)}[/yellow]", highlight=False)
    for note in result.notes:
        err_console.print(f"[yellow]{prefix}:[/yellow] {escape(note)}", highlight=False)
    for w in result.warnings[:MAX_SHOWN]:
        where = w.location.describe(lang) if w.location else ""
        err_console.print(
            f"[yellow]{prefix}:[/yellow] {escape(where)}: {escape(w.message)}", highlight=False
        )
    if result.errors and not result.all_failed:
        rows = ", ".join(str(r) for r in result.first_error_rows)
        more = (
            pick(lang, " m.fl.", " and more")
            if result.errors > len(result.first_error_rows)
            else ""
        )
        where = result.output or ""
        err_console.print(
            pick(
                lang,
                f"[yellow]advarsel:[/yellow] {number(result.errors, lang)} af "
                f"{number(result.rows, lang)} rækker kunne ikke rutes (række {rows}{more}); "
                f"se kolonnen 'error' i {escape(where)}",
                f"[yellow]warning:[/yellow] {number(result.errors, lang)} of "
                f"{number(result.rows, lang)} rows could not be routed (row {rows}{more}); "
                f"see the 'error' column in {escape(where)}",
            ),
            highlight=False,
        )


MAX_SHOWN = 20


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.command("route")(route)
