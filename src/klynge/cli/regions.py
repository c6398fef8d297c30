"""CLI commands for regional specialisation (the ECCP method) and the policy maturity index.

Each command parses its options, calls one function of :mod:`klynge.services.regions` and
renders the model it returns: a table for people, ``--json`` (or ``--format json``) for programs,
``--format csv`` for spreadsheets. Warnings go below a table, into the CSV's last column (and
on stderr), and into the JSON's ``warnings`` list.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import BaseModel
from rich.table import Table

from klynge.cli.lazy import lazy
from klynge.cli.output import (
    JsonOption,
    LangOption,
    OnOption,
    console,
    emit_json,
    err_console,
    fail,
    parse_on,
    table,
)
from klynge.context import current_lang
from klynge.i18n import Lang, Text, pick
from klynge.regions.thresholds import RELEVANCE, SPEC
from klynge.regions.warnings import SUPPRESSED, cell_text
from klynge.services.common import Caveat

if TYPE_CHECKING:
    from klynge.services import regions as svc
else:
    svc = lazy("klynge.services.regions")

R = TypeVar("R", bound=BaseModel)

regions_app = typer.Typer(
    name="regions",
    help="Regional specialisation: location quotients, nodes, ecosystems / "
    "Regional specialisering: lokaliseringskvotienter, knudepunkter, økosystemer.",
    no_args_is_help=True,
)

FileArg = Annotated[
    Path,
    typer.Argument(
        help="Employment by region × activity × year. / Beskæftigelse efter region × branche × år."
    ),
]
ReferenceOption = Annotated[
    str,
    typer.Option(
        "--reference",
        "-r",
        help="country, sum, EU27, a region code in FILE, or a file of reference totals. / "
        "country, sum, EU27, en regionskode i FILE eller en fil med referencetal.",
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        "-y",
        help="Year to show. Default: the latest. / År, der vises. Standard: det seneste.",
    ),
]
LevelOption = Annotated[
    str,
    typer.Option(
        "--level",
        help="nace2 (the activities in FILE) or ecosystem. / "
        "nace2 (brancherne i FILE) eller ecosystem (økosystemer).",
    ),
]
EcoReferenceOption = Annotated[
    str | None,
    typer.Option(
        "--reference",
        "-r",
        help="EU27 (default when FILE has an EU27 row; else the country, with a warning), "
        "country, sum, a region code or a file. / EU27 (standard, hvis FILE har en EU27-række; "
        "ellers landet, med en advarsel), country, sum, en regionskode eller en fil.",
    ),
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="table, csv or json. / table, csv eller json.")
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="Your own NACE → ecosystem CSV (code, ecosystem). / "
        "Din egen CSV fra NACE til økosystem (code, ecosystem).",
    ),
]
ActivitiesOption = Annotated[
    str | None,
    typer.Option(
        "--activities",
        help="Comma-separated activities to use. Default: all, with overlapping aggregates "
        "(e.g. G-J beside G-I and J) and totals dropped. / "
        "Kommaseparerede brancher. Standard: alle, uden overlappende aggregater og totaler.",
    ),
]
FilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--filter",
        help="DIM=VALUE for files with several units or indicators. / "
        "DIM=VÆRDI for filer med flere enheder eller indikatorer.",
    ),
]
SpecOption = Annotated[
    float,
    typer.Option(
        "--spec", help="Specialisation threshold (LQ). / Tærskel for specialisering (LQ)."
    ),
]
RelOption = Annotated[
    float,
    typer.Option(
        "--relevance",
        help="Relevance threshold (share of the region). / "
        "Tærskel for relevans (andel af regionen).",
    ),
]


def _num(v: float | None, digits: int = 2) -> str:
    return "" if v is None or v != v else f"{v:,.{digits}f}"


def _fit(full: str, width: int) -> str:
    """A cell's text in at most ``width`` characters, so a table stays one line per row.

    Rich would otherwise fold long NACE titles letter by letter into a narrow column. The code
    before ``" - "`` always survives: the whole label, else the code and a cut title, else the
    code alone. Labels without a code (ecosystems) are cut.
    """
    if len(full) <= width:
        return full
    code, sep, _ = full.partition(" - ")
    if sep and width < len(code) + 8:
        return code
    return full[: max(width - 1, 1)].rstrip(" -,;") + "…"


def _legend(heading: str, labels: list[str]) -> None:
    """The full labels of cells that :func:`_fit` shortened, below the table."""
    if not labels:
        return
    console.print(heading, highlight=False)
    for full in dict.fromkeys(labels):
        console.print(f"  {full}", highlight=False)


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _one_line(t: Table, *columns: int) -> None:
    """Cut rather than fold these columns' cells, should the width estimate fall short."""
    for c in columns:
        t.columns[c].no_wrap = True
        t.columns[c].overflow = "ellipsis"


def _space_left(columns: int, taken: int) -> int:
    """Characters left for content once ``columns`` columns of the default box are drawn."""
    return console.width - (3 * columns + 1) - taken


def _form(fmt: str, as_json: bool) -> str:
    """table, csv or json; ``--json`` is ``--format json`` (and contradicts another format)."""
    form = svc.check_choice(fmt, ("table", "csv", "json"), Text(da="format", en="format"))
    if as_json and form == "csv":
        fail(
            pick(
                current_lang(),
                "--json og --format csv udelukker hinanden",
                "--json and --format csv contradict each other",
            ),
            2,
        )
    return "json" if as_json else form


def _print_json(result: BaseModel) -> None:
    emit_json(result.model_dump(mode="json"))


def _render(
    result: R,
    form: str,
    lang: Lang,
    to_csv: Callable[[R, Lang], str],
    notes: Sequence[svc.DataNote] | Sequence[Caveat],
    draw: Callable[[R, Lang], None],
) -> None:
    """JSON (the model itself), CSV (warnings in the last column and on stderr), or a table."""
    if form == "json":
        _print_json(result)
    elif form == "csv":
        _print_csv(to_csv(result, lang), notes, lang)
    else:
        draw(result, lang)


def _print_csv(text: str, notes: Sequence[svc.DataNote] | Sequence[Caveat], lang: Lang) -> None:
    """CSV on stdout (warnings in its last column), and the warnings on stderr for people."""
    sys.stdout.write(text)
    for n in notes:
        line = n.describe(lang) if isinstance(n, svc.DataNote) else n.message
        err_console.print(
            f"{pick(lang, 'advarsel', 'warning')}: {line}", style="yellow", highlight=False
        )


def _print_notes(notes: Sequence[svc.DataNote] | Sequence[Caveat], lang: Lang) -> None:
    """The warnings below a table, where a reader of the table sees them."""
    if not notes:
        return
    console.print(pick(lang, "Advarsler:", "Warnings:"), style="yellow", highlight=False)
    for n in notes:
        line = n.describe(lang) if isinstance(n, svc.DataNote) else n.message
        console.print(f"  ! {line}", style="yellow", highlight=False)


def _mapping_caption(mapping: str | None, lang: Lang) -> str:
    """The caption names the user's own ecosystem mapping; the bundled one is a warning."""
    if mapping is None:
        return ""
    return pick(lang, f"Økosystemtabel: {mapping}.", f"Ecosystem mapping: {mapping}.")


def _split(value: str | None) -> list[str] | None:
    return [a.strip() for a in value.split(",") if a.strip()] if value else None


# -- commands -------------------------------------------------------------------------------
@regions_app.command("lq")
def lq_command(
    file: FileArg,
    reference: ReferenceOption = "country",
    year: YearOption = None,
    level: LevelOption = "nace2",
    fmt: FormatOption = "table",
    activities: ActivitiesOption = None,
    mapping: MappingOption = None,
    filters: FilterOption = None,
    spec: SpecOption = SPEC,
    relevance: RelOption = RELEVANCE,
    all_years: Annotated[
        bool,
        typer.Option(
            "--all-years", help="csv/json: every year, not one. / csv/json: alle år, ikke kun ét."
        ),
    ] = False,
    strong: Annotated[
        bool,
        typer.Option(
            "--strong",
            help="Add US Cluster Mapping 'strong cluster' flags. / "
            "Markér 'stærke klynger' efter US Cluster Mapping.",
        ),
    ] = False,
    establishments: Annotated[
        Path | None,
        typer.Option(
            "--establishments",
            help="With --strong: establishments (local units) by region × activity × year. / "
            "Med --strong: arbejdssteder efter region × branche × år.",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            help="Show only these regions (repeatable); LQs are unchanged. / "
            "Vis kun disse regioner (kan gentages); LQ ændres ikke.",
        ),
    ] = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Location quotient of every region and activity / Lokaliseringskvotienter."""
    lg = current_lang()
    form = _form(fmt, as_json)
    if all_years and form == "table":
        fail(
            pick(
                lg,
                "--all-years virker med --format csv eller json; tabellen viser ét år (--year)",
                "--all-years works with --format csv or json; the table shows one year (--year)",
            ),
            2,
        )
    result = svc.lq_table(
        file,
        reference=reference,
        year=year,
        all_years=all_years,
        level=level,
        activities=activities,
        mapping=mapping,
        filters=filters,
        spec=spec,
        relevance=relevance,
        strong=strong,
        establishments=establishments,
        regions=only,
        lang=lg,
    )
    _render(result, form, lg, svc.lq_csv, result.warnings, _lq_table)


def _lq_table(result: svc.LQTable, lang: Lang) -> None:
    raw = [
        (
            r.region,
            r.region if r.region_name is None else f"{r.region} {r.region_name}",
            r.activity_label,
            cell_text(r.employment, r.flag, 0),
            "" if r.share is None else _num(r.share * 100, 1),
            _num(r.lq),
            "✓" if r.node else "",
            *([] if not result.strong else ["✓" if r.strong else ""]),
        )
        for r in result.rows
    ]
    headers = [
        pick(lang, "Region", "Region"),
        pick(lang, "Aktivitet", "Activity"),
        pick(lang, "Beskæftigede", "Employment"),
        pick(lang, "Andel %", "Share %"),
        "LQ",
        pick(lang, "Knudepunkt", "Node"),
        *([pick(lang, "Stærk", "Strong")] if result.strong else []),
    ]
    # Numbers keep their width; the activity gets what is left. Regions go down to their
    # codes (named below the table) when their names would leave the activity too little.
    numbers = sum(
        max([len(headers[c])] + [len(row[c + 1]) for row in raw]) for c in range(2, len(headers))
    )
    full_region = max([len(row[1]) for row in raw], default=0)
    room = _space_left(len(headers), numbers)
    short_regions = room - full_region < 30
    region_w = max([len(row[0]) for row in raw] + [len(headers[0])])
    act_w = max(room - (region_w if short_regions else full_region), len(headers[1]))
    rows = [(row[0] if short_regions else row[1], _fit(row[2], act_w), *row[3:]) for row in raw]
    spec, rel = result.spec, result.relevance
    caption = pick(
        lang,
        f"Knudepunkt: LQ > {spec} og mindst {rel:.0%} af regionens beskæftigelse",
        f"Node: LQ > {spec} and at least {rel:.0%} of the region's employment",
    )
    if result.strong:
        caption += pick(
            lang,
            ". Stærk: US Cluster Mapping (LQ ≥ 1 og ≥ 75. percentil, beskæftigelse"
            " over 25. percentil)",
            ". Strong: US Cluster Mapping (LQ ≥ 1 and ≥ 75th percentile, employment"
            " above the 25th percentile)",
        )
    if result.mapping is not None:
        caption += ". " + _mapping_caption(result.mapping, lang)
    y = result.year
    out = table(
        pick(
            lang,
            f"Lokaliseringskvotienter {y} (reference: {result.reference})",
            f"Location quotients {y} (reference: {result.reference})",
        ),
        headers,
        rows,
        caption=caption,
    )
    _one_line(out, 1)
    console.print(out)
    if short_regions:
        _legend(pick(lang, "Regioner:", "Regions:"), [row[1] for row in raw])
    _legend(
        pick(lang, "Aktiviteter:", "Activities:"),
        [row[2] for row, shown in zip(raw, rows, strict=True) if shown[1] != row[2]],
    )
    _print_notes(result.warnings, lang)


@regions_app.command("nodes")
def nodes_command(
    file: FileArg,
    reference: ReferenceOption = "country",
    year: YearOption = None,
    level: LevelOption = "nace2",
    top_opt: Annotated[
        int | None,
        typer.Option(
            "--top",
            "-n",
            help="Nodes to name per region. Default: 5 (nace2), 3 (ecosystem). / "
            "Knudepunkter pr. region. Standard: 5 (nace2), 3 (ecosystem).",
        ),
    ] = None,
    fmt: FormatOption = "table",
    activities: ActivitiesOption = None,
    mapping: MappingOption = None,
    filters: FilterOption = None,
    spec: SpecOption = SPEC,
    relevance: RelOption = RELEVANCE,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Specialisation nodes per region, as the factsheet's Table 1 and 2 / Knudepunkter."""
    lg = current_lang()
    form = _form(fmt, as_json)
    result = svc.nodes(
        file,
        reference=reference,
        year=year,
        level=level,
        top=top_opt,
        activities=activities,
        mapping=mapping,
        filters=filters,
        spec=spec,
        relevance=relevance,
        lang=lg,
    )
    _render(result, form, lg, svc.nodes_csv, result.warnings, _nodes_table)


def _nodes_table(result: svc.NodesTable, lang: Lang) -> None:
    from klynge.regions.lq import node_headers

    top = result.top
    headers = node_headers(lang, top)
    rows = [
        [
            svc.region_label(r.region, r.region_name),
            SUPPRESSED if r.nodes is None else str(r.nodes),
            *r.top_labels,
            *["-"] * (top - len(r.top_labels)),
        ]
        for r in result.regions
    ]
    which = (
        pick(lang, "sektorielle knudepunkter", "sectoral nodes")
        if result.level == "nace2"
        else pick(lang, "økosystemknudepunkter", "ecosystem nodes")
    )
    # The CSV keeps the factsheet's layout and full labels. On screen, when the row does not
    # fit, regions go down to their codes, then the headers to "Nodes" and 1…N, and node
    # labels are shortened; whatever was shortened is given in full below the table.
    codes = [c.partition(" - ")[0] for row in rows for c in row[2:]]
    need = max([len(c) for c in codes] + [8 if result.level == "nace2" else 12])
    used = max(1, max((sum(c != "-" for c in row[2:]) for row in rows), default=0))
    compact = [headers[0], pick(lang, "Antal", "Nodes"), *(str(n) for n in range(1, top + 1))]
    for short_regions, hdr in ((False, headers), (True, headers), (True, compact)):
        labels = [row[0].partition(":")[0] if short_regions else row[0] for row in rows]
        head_w = max(len(h) for h in hdr[2:])
        fixed = max(len(x) for x in [*labels, hdr[0]]) + len(hdr[1]) + (top - used) * head_w
        # Columns that only hold "-" keep their header's width; the others share the rest.
        cell_w = _space_left(len(hdr), fixed) // used
        if cell_w >= max(need, head_w):
            break
    cell_w = max(cell_w, need, head_w)
    shown = [
        [label, row[1], *(_fit(c, cell_w) for c in row[2:])]
        for label, row in zip(labels, rows, strict=True)
    ]
    spec, rel = result.spec, result.relevance
    out = table(
        pick(
            lang,
            f"Regionalt relevante {which} {result.year} ({result.total} i alt)",
            f"Regionally relevant {which} {result.year} ({result.total} in all)",
        ),
        hdr,
        shown,
        caption=pick(
            lang,
            f"Reference: {result.reference}. LQ > {spec}, andel ≥ {rel:.0%}.",
            f"Reference: {result.reference}. LQ > {spec}, share ≥ {rel:.0%}.",
        )
        + ("" if result.mapping is None else " " + _mapping_caption(result.mapping, lang)),
    )
    _one_line(out, *range(2, len(hdr)))
    console.print(out)
    if short_regions:
        _legend(pick(lang, "Regioner:", "Regions:"), [row[0] for row in rows])
    _legend(
        pick(lang, "Knudepunkter:", "Nodes:"),
        [
            full
            for row, cut in zip(rows, shown, strict=True)
            for full, c in zip(row[2:], cut[2:], strict=True)
            if c != full
        ],
    )
    _print_notes(result.warnings, lang)


@regions_app.command("indices")
def indices_command(
    file: FileArg,
    reference: ReferenceOption = "country",
    fmt: FormatOption = "table",
    activities: ActivitiesOption = None,
    filters: FilterOption = None,
    first: Annotated[
        int | None,
        typer.Option("--from", help="First year of the change. / Første år for ændringen."),
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", help="Last year of the change. / Sidste år for ændringen.")
    ] = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Hoover, Krugman and Herfindahl indices and their change / Koncentrationsindeks."""
    lg = current_lang()
    form = _form(fmt, as_json)
    result = svc.indices(
        file,
        reference=reference,
        first=first,
        last=last,
        activities=activities,
        filters=filters,
        lang=lg,
    )
    _render(result, form, lg, svc.indices_csv, result.warnings, _indices_table)


def _indices_table(result: svc.IndicesTable, lg: Lang) -> None:
    kind_name = {
        "hoover": pick(lg, "Hoover (lokalisering)", "Hoover (localisation)"),
        "krugman": pick(lg, "Krugman (specialisering)", "Krugman (specialisation)"),
        "herfindahl": "Herfindahl",
    }
    rows = [
        (kind_name[r.index], r.subject_label, _num(r.first, 3), _num(r.last, 3), _num(r.change, 3))
        for r in result.rows
    ]
    fy, ly = result.first_year, result.last_year
    headers = [
        pick(lg, "Indeks", "Index"),
        pick(lg, "Emne", "Subject"),
        str(fy),
        str(ly),
        pick(lg, "Ændring", "Change"),
    ]
    taken = sum(max(len(h), *(len(r[c]) for r in rows)) for c, h in enumerate(headers) if c != 1)
    width = max(_space_left(len(headers), taken), len(headers[1]))
    shown = [(r[0], _fit(r[1], width), *r[2:]) for r in rows]
    out = table(pick(lg, f"Indeks {fy}–{ly}", f"Indices {fy}–{ly}"), headers, shown)
    _one_line(out, 1)
    console.print(out)
    _legend(
        pick(lg, "Emner:", "Subjects:"),
        [r[1] for r, s in zip(rows, shown, strict=True) if s[1] != r[1]],
    )
    _print_notes(result.warnings, lg)


@regions_app.command("shares")
def shares_command(
    file: FileArg,
    reference: EcoReferenceOption = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="Country code in FILE (default: the regions' country). / "
            "Landekode i FILE (standard: regionernes land).",
        ),
    ] = None,
    year: YearOption = None,
    mapping: MappingOption = None,
    filters: FilterOption = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Employment share of each ecosystem, country beside the reference / Økosystemandele."""
    lg = current_lang()
    form = _form(fmt, as_json)
    result = svc.shares(
        file,
        reference=reference,
        country=country,
        year=year,
        mapping=mapping,
        filters=filters,
        lang=lg,
    )
    _render(result, form, lg, svc.shares_csv, result.warnings, _shares_table)


def _shares_table(result: svc.SharesTable, lg: Lang) -> None:
    console.print(
        table(
            pick(
                lg,
                f"Beskæftigelse i økosystemerne {result.year}",
                f"Employment in the ecosystems {result.year}",
            ),
            [pick(lg, "Økosystem", "Ecosystem"), f"{result.country} %", f"{result.reference} %"],
            [(r.label, _num(r.country * 100, 1), _num(r.reference * 100, 1)) for r in result.rows],
            caption=pick(lg, "Andele af al beskæftigelse.", "Shares of all employment.")
            + ("" if result.mapping is None else " " + _mapping_caption(result.mapping, lg)),
        )
    )
    _print_notes(result.warnings, lg)


@regions_app.command("organisations")
def organisations_command(
    on: OnOption = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Cluster organisations per NUTS 2 region / Klyngeorganisationer pr. region."""
    lg = current_lang()
    form = _form(fmt, as_json)
    result = svc.organisations(parse_on(on), lang=lg)
    _render(result, form, lg, svc.organisations_csv, result.caveats, _organisations_table)


def _organisations_table(result: svc.OrganisationsResult, lg: Lang) -> None:
    console.print(
        table(
            pick(
                lg,
                f"Klyngeorganisationer pr. region ({result.on})",
                f"Cluster organisations per region ({result.on})",
            ),
            [
                pick(lg, "Region", "Region"),
                pick(lg, "Antal", "Count"),
                pick(lg, "Klynger", "Clusters"),
            ],
            [
                (
                    pick(lg, "ukendt hovedsæde", "headquarters unknown")
                    if r.name is None and r.region == "unknown"
                    else f"{r.region} {r.name or ''}",
                    r.count,
                    # Names for people; the slugs stay in --json.
                    ", ".join(r.cluster_names),
                )
                for r in result.regions
            ],
        )
    )
    _print_notes(result.caveats, lg)


@regions_app.command("fetch")
def fetch_command(
    dataset: Annotated[
        str,
        typer.Argument(
            help="sbs_r_nuts06_r2, sbs_r_nuts2021 or nama_10r_3empers. / "
            "sbs_r_nuts06_r2, sbs_r_nuts2021 eller nama_10r_3empers."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="CSV or .parquet file to write. / CSV- eller .parquet-fil, der skrives.",
        ),
    ],
    geo: Annotated[
        list[str] | None,
        typer.Option(
            "--geo",
            help="Region codes to fetch (repeatable). / Regionskoder, der hentes (kan gentages).",
        ),
    ] = None,
    filters: FilterOption = None,
    start: Annotated[int | None, typer.Option("--start", help="First year. / Første år.")] = None,
    end: Annotated[int | None, typer.Option("--end", help="Last year. / Sidste år.")] = None,
    establishments: Annotated[
        bool,
        typer.Option(
            "--establishments",
            help="Local units instead of persons employed. / "
            "Arbejdssteder i stedet for beskæftigede.",
        ),
    ] = False,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Download employment from Eurostat (needs internet and the 'eurostat' package) / Hent data."""
    lg = current_lang()
    result = svc.fetch(
        dataset,
        output,
        geo=geo,
        filters=filters,
        start=start,
        end=end,
        establishments=establishments,
        lang=lg,
    )
    if as_json:
        _print_json(result)
        return
    console.print(
        pick(
            lg,
            f"Skrev {result.cells} celler ({len(result.regions)} regioner) til {result.path}",
            f"Wrote {result.cells} cells ({len(result.regions)} regions) to {result.path}",
        ),
        highlight=False,
    )
    _print_notes(result.warnings, lg)


@regions_app.command("chart")
def chart_command(
    kind: Annotated[
        str,
        typer.Argument(
            help="ecosystems or organisations. / ecosystems (økosystemer) eller organisations."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File ending in .svg or .png. / Fil, der ender på .svg eller .png.",
        ),
    ],
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Employment file (for the ecosystems chart). / "
            "Beskæftigelsesfil (til økosystemdiagrammet).",
        ),
    ] = None,
    reference: EcoReferenceOption = None,
    year: YearOption = None,
    mapping: MappingOption = None,
    on: OnOption = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Draw Graph 1 (ecosystems) or Graph 2 (organisations) as SVG or PNG / Tegn diagrammer."""
    lg = current_lang()
    result = svc.write_chart(
        kind,
        output,
        file=file,
        reference=reference,
        year=year,
        mapping=mapping,
        on=parse_on(on),
        lang=lg,
    )
    if as_json:
        _print_json(result)
        return
    console.print(pick(lg, f"Skrev {result.path}", f"Wrote {result.path}"), highlight=False)
    _print_notes(result.caveats, lg)


def maturity_command(
    country: Annotated[
        str, typer.Argument(help="Country code (DK, NO). / Landekode (DK, NO).")
    ] = "DK",
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Score the policy in force on this date. Default: 2021-06-30. / "
            "Vurdér politikken, der gjaldt på denne dato. Standard: 2021-06-30.",
        ),
    ] = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The ECCP cluster-policy maturity index, from the programme data / Modenhedsindeks."""
    lg = current_lang()
    m = svc.maturity(country, parse_on(on) if on is not None else None, lang=lg)
    if as_json:
        _print_json(m)
        return
    console.print(
        table(
            pick(
                lg,
                f"Klyngepolitikkens modenhed, {m.country} ({m.on})",
                f"Cluster policy maturity, {m.country} ({m.on})",
            ),
            [
                pick(lg, "Dimension", "Dimension"),
                pick(lg, "Point", "Score"),
                pick(lg, "Maksimum", "Maximum"),
                pick(lg, "Begrundelse", "Reason"),
            ],
            [(d.name, f"{d.score:g}", f"{d.maximum:g}", d.reason) for d in m.dimensions],
            caption=pick(
                lg, f"I alt {m.total:g} af {m.maximum:g}", f"Total {m.total:g} of {m.maximum:g}"
            ),
        )
    )
    _print_notes(m.caveats, lg)


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(regions_app, name="regions")
    app.command("maturity")(maturity_command)
