"""CLI for routing: `klynge route TEXT` for one company, `--input/--output` for a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klynge.cli.output import JsonOption, OnOption, console, emit_json, fail, parse_on, table
from klynge.context import current_lang, lang_from, lang_is_explicit, set_lang
from klynge.i18n import pick


def _lang_or_none(value: str | None) -> str | None:
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
                "CSV, XLSX or Parquet with columns id, description and optionally nace. / "
                "Fil med kolonnerne id, description og evt. nace."
            ),
        ),
    ] = None,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output", help="CSV file to write the routed rows to. / CSV-fil til resultatet."
        ),
    ] = None,
) -> None:
    """Find the cluster for a company / Find klyngen for en virksomhed."""
    day = parse_on(on)
    if input_file is not None or output_file is not None:
        if input_file is None or output_file is None:
            fail(
                pick(
                    lang,
                    "--input og --output skal bruges sammen",
                    "--input and --output go together",
                )
            )
        if text is not None or nace is not None:
            fail(
                pick(
                    lang,
                    "giv enten en beskrivelse eller --input, ikke begge",
                    "give either a description or --input, not both",
                )
            )
        _route_file(input_file, output_file, day, lang, as_json)
        return

    from klynge.routing.router import route as route_one
    from klynge.routing.text import RoutingInputError

    try:
        result = route_one(text, nace, on=day, lang=lang)
    except RoutingInputError as exc:
        fail(exc.text(lang))
    out_lang = lang or result.language
    if as_json:
        emit_json(result.to_json())
        return
    da, en = OUTCOME_LABEL[result.outcome]
    console.print(
        pick(out_lang, f"[bold]Resultat:[/bold] {da}", f"[bold]Outcome:[/bold] {en}"),
        highlight=False,
    )
    if result.clusters:
        from klynge.landscape import get_landscape
        from klynge.routing.router import get_router

        router = get_router()
        names = {slug: c.name for slug, c in get_landscape().clusters.items()}
        rows = []
        for c in result.clusters:
            # People read the cluster's name; --json keeps the slug for programs.
            shown = names.get(c.slug, c.slug) if c.slug else pick(out_lang, "(ingen)", "(none)")
            if not c.certain:
                shown += " (?)"
            area = router.area_name(c.area, out_lang)
            rows.append((shown, area, f"{c.score:.2f}", c.explanation))
        console.print(
            table(
                pick(out_lang, f"Klynger ({day})", f"Clusters ({day})"),
                [
                    pick(out_lang, "Klynge", "Cluster"),
                    pick(out_lang, "Område", "Area"),
                    pick(out_lang, "Score", "Score"),
                    pick(out_lang, "Forklaring", "Explanation"),
                ],
                rows,
            )
        )
    else:
        console.print(result.explanation, highlight=False)
    if result.note:
        console.print(f"[yellow]{result.note}[/yellow]", highlight=False)


def _route_file(src: Path, dst: Path, day: object, lang: str | None, as_json: bool) -> None:
    from datetime import date

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from klynge.routing.batch import BatchFileError, route_file

    assert isinstance(day, date)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task(pick(lang, "Finder klynger", "Routing"), total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = route_file(src, dst, on=day, lang=lang, progress=progress)
        except BatchFileError as exc:
            fail(exc.text(lang))
    shares = {
        "rows": summary.rows,
        "routed": summary.share(summary.routed),
        "none": summary.share(summary.none),
        "no_cluster_for_area": summary.share(summary.no_cluster_for_area),
        "errors": summary.errors,
        "per_cluster": dict(summary.per_cluster.most_common()),
        "output": str(dst),
    }
    if as_json:
        emit_json(shares)
        return
    rows = [(label, n, f"{summary.share(n):.1%}") for label, n in summary.per_cluster.most_common()]
    if summary.errors:
        rows.append(
            (pick(lang, "fejl", "errors"), summary.errors, f"{summary.share(summary.errors):.1%}")
        )
    console.print(
        table(
            pick(lang, f"Opsummering: {summary.rows} rækker", f"Summary: {summary.rows} rows"),
            [
                pick(lang, "Klynge", "Cluster"),
                pick(lang, "Antal", "Count"),
                pick(lang, "Andel", "Share"),
            ],
            rows,
            caption=pick(
                lang,
                f"Fundet klynge: {shares['routed']:.1%} · ingen klynge passer: {shares['none']:.1%}"
                f" · område uden klynge: {shares['no_cluster_for_area']:.1%}",
                f"Routed: {shares['routed']:.1%} · no cluster fits: {shares['none']:.1%}"
                f" · area without a cluster: {shares['no_cluster_for_area']:.1%}",
            ),
        )
    )
    console.print(pick(lang, f"Skrevet til {dst}", f"Written to {dst}"), highlight=False)


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.command("route")(route)
