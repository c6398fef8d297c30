"""`klynge factsheet`: the Danish cluster factsheet as HTML or PDF, generated from data.

The command parses its options, calls :func:`klynge.services.factsheet.write` and reports what
it wrote, with every warning of the data on stderr too (the file carries them on its first page).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klynge.cli.lazy import lazy
from klynge.cli.output import JsonOption, LangOption, OnOption, console, emit_json, parse_on
from klynge.context import current_lang
from klynge.i18n import pick

if TYPE_CHECKING:
    from klynge.services import factsheet as svc
else:
    svc = lazy("klynge.services.factsheet")


def factsheet_command(
    country: Annotated[str, typer.Argument(help="Country code (DK). / Landekode (DK).")] = "DK",
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="factsheet.html or factsheet.pdf (the ending picks the format). / "
            "factsheet.html eller factsheet.pdf (endelsen vælger formatet).",
        ),
    ] = Path("factsheet.html"),
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Employment by region × activity × year for Tables 1 and 2. Default: "
            "$KLYNGE_REGIONS_SAMPLE if set, else none. / Beskæftigelse til Tabel 1 og 2.",
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            "-r",
            help="EU27, country, sum or a region code. Default: EU27 when the data has an "
            "EU27 row, else the country (said on the page). / Standard: EU27, hvis data har "
            "en EU27-række, ellers landet.",
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help="Year of the tables. Default: the latest. / År."),
    ] = None,
    on: OnOption = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Generate the cluster factsheet (HTML or PDF) / Lav klyngefaktaarket (HTML eller PDF)."""
    lg = current_lang()
    written = svc.write(
        output, country, on=parse_on(on), data=data, reference=reference, year=year, lang=lg
    )
    if as_json:
        emit_json(written.model_dump(mode="json"))
        return
    console.print(
        pick(
            lg,
            f"Skrev {written.path} ({written.format.upper()}, {written.bytes:,} bytes)",
            f"Wrote {written.path} ({written.format.upper()}, {written.bytes:,} bytes)",
        ),
        highlight=False,
    )
    if written.warnings:
        console.print(
            pick(lg, "Advarsler (også i faktaarket):", "Warnings (also on the factsheet):"),
            style="yellow",
            highlight=False,
        )
        for n in written.warnings:
            console.print(f"  ! {n.describe(lg)}", style="yellow", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this capability's command to the root app."""
    app.command("factsheet")(factsheet_command)
