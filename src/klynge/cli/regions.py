"""CLI commands for regional specialisation (the ECCP method) and the policy maturity index."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

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
from klynge.i18n import pick
from klynge.landscape import get_landscape
from klynge.regions.thresholds import RELEVANCE, SPEC

# NumPy, polars and the regions package load inside the commands, only when one runs, so that
# the other commands and `klynge --help` start without them.
if TYPE_CHECKING:
    import numpy as np
    import polars as pl

    from klynge.regions import ecosystems, lq
    from klynge.regions.cube import Cube

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


def _filters(values: list[str] | None, lang: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        if "=" not in v:
            fail(
                pick(lang, f"filter {v!r} skal være DIM=VÆRDI", f"filter {v!r} must be DIM=VALUE"),
                2,
            )
        k, _, val = v.partition("=")
        out[k.strip().lower()] = val.strip()
    return out


def _check_choice(value: str, allowed: tuple[str, ...], what: str, lang: str | None) -> str:
    v = value.strip().lower()
    if v not in allowed:
        fail(
            pick(
                lang,
                f"ukendt {what} {value!r}: brug {', '.join(allowed)}",
                f"unknown {what} {value!r}: use {', '.join(allowed)}",
            ),
            2,
        )
    return v


def _region_names(lang: str | None) -> dict[str, str]:
    from klynge.regions.names import region_names

    return region_names(lang)


@dataclass
class Prepared:
    cube: Cube
    reference: lq.Reference
    totals: np.ndarray | None
    level: str
    label: Callable[[str], str]


def _prepare(
    file: Path,
    reference: str,
    level: str,
    activities: str | None,
    mapping: Path | None,
    filters: list[str] | None,
    lang: str | None,
) -> Prepared:
    from klynge.regions import ecosystems, lq, nace
    from klynge.regions.cube import from_long
    from klynge.regions.readers import read_table

    lvl = _check_choice(level, ("nace2", "ecosystem"), "level", lang)
    cube = from_long(read_table(file, filters=_filters(filters, lang)))
    if activities:
        cube = cube.select(activities=[a.strip() for a in activities.split(",") if a.strip()])
    else:
        kept, dropped = nace.resolve_overlaps(cube.activities)
        if dropped:
            err_console.print(
                pick(
                    lang,
                    f"Udeladt (overlappende aggregater eller totaler): {', '.join(dropped)}",
                    f"Left out (overlapping aggregates or totals): {', '.join(dropped)}",
                ),
                style="yellow",
                highlight=False,
            )
        cube = cube.select(activities=kept)
    analysed, ref = lq.choose(cube, reference)
    if lvl == "ecosystem":
        m = ecosystems.load_mapping(mapping)
        eco, eref, totals = ecosystems.aggregate_with_reference(analysed, ref, m)
        return Prepared(eco, eref, totals, lvl, lambda e: ecosystems.ecosystem_label(e, lang))
    return Prepared(analysed, ref, None, lvl, lambda a: nace.label(a, lang))


def _guard(fn: Callable[[], None], lang: str | None) -> None:
    from klynge.regions.errors import RegionsDataError

    try:
        fn()
    except RegionsDataError as exc:
        fail(exc.text.get(lang))


def _emit(df: pl.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(df.write_csv())
    else:
        emit_json(df.to_dicts())


def _year(cube: Cube, year: int | None) -> int:
    if year is None:
        return cube.years[-1]
    cube.year_index(year)
    return year


def _num(v: float | None, digits: int = 2) -> str:
    import numpy as np

    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:,.{digits}f}"


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


def _mapping_note(mapping: Path | None, lang: str | None) -> str:
    """Ecosystem figures rest on a mapping; say which, and that the bundled one is approximate."""
    if mapping is None:
        return pick(
            lang,
            "Økosystemtabellen er omtrentlig (hovedgruppeniveau, ikke SWD(2021) 351).",
            "The ecosystem mapping is approximate (division level, not SWD(2021) 351).",
        )
    return pick(lang, f"Økosystemtabel: {mapping}.", f"Ecosystem mapping: {mapping}.")


def _one_line(t: Table, *columns: int) -> None:
    """Cut rather than fold these columns' cells, should the width estimate fall short."""
    for c in columns:
        t.columns[c].no_wrap = True
        t.columns[c].overflow = "ellipsis"


def _space_left(columns: int, taken: int) -> int:
    """Characters left for content once ``columns`` columns of the default box are drawn."""
    return console.width - (3 * columns + 1) - taken


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
    lang: LangOption = None,
) -> None:
    """Location quotient of every region and activity / Lokaliseringskvotienter."""
    import polars as pl

    from klynge.regions import ecosystems, lq, nace
    from klynge.regions.cube import align, from_long
    from klynge.regions.readers import read_table

    form = _check_choice(fmt, ("table", "csv", "json"), "format", lang)
    if all_years and form == "table":
        fail(
            pick(
                lang,
                "--all-years virker med --format csv eller json; tabellen viser ét år (--year)",
                "--all-years works with --format csv or json; the table shows one year (--year)",
            ),
            2,
        )

    def run() -> None:
        p = _prepare(file, reference, level, activities, mapping, filters, lang)
        res = lq.compute(p.cube, p.reference, spec=spec, rel=relevance, totals=p.totals)
        y = _year(p.cube, year)
        est = None
        if strong and establishments is not None:
            other = from_long(read_table(establishments, filters=_filters(filters, lang)))
            if p.level == "ecosystem":
                kept = [a for a in other.activities if nace.division_of(a) is not None]
                other = ecosystems.aggregate(
                    other.select(activities=kept), ecosystems.load_mapping(mapping)
                )
            est = align(other, p.cube)
        if form != "table":
            frame = res.frame(None if all_years else [y], strong=strong, establishments=est)
            if only:
                for code in only:
                    p.cube.region_index(code)
                frame = frame.filter(pl.col("region").is_in(only))
            _emit(frame, form)
            return
        names = _region_names(lang)
        i = p.cube.year_index(y)
        share = res.share()
        flags = lq.strong_clusters(res, est)[i] if strong else None
        raw = []
        for code in only or []:
            p.cube.region_index(code)
        for r, region in enumerate(p.cube.regions):
            if only and region not in only:
                continue
            for a, act in enumerate(p.cube.activities):
                miss = bool(p.cube.missing[i, r, a])
                raw.append(
                    (
                        region,
                        region if region not in names else f"{region} {names[region]}",
                        p.label(act),
                        pick(lang, "mangler", "missing") if miss else _num(p.cube.data[i, r, a], 0),
                        "" if miss else _num(share[i, r, a] * 100, 1),
                        _num(float(res.lq[i, r, a])),
                        "✓" if res.k.nodes[i, r, a] else "",
                        *([] if flags is None else ["✓" if flags[r, a] else ""]),
                    )
                )
        headers = [
            pick(lang, "Region", "Region"),
            pick(lang, "Aktivitet", "Activity"),
            pick(lang, "Beskæftigede", "Employment"),
            pick(lang, "Andel %", "Share %"),
            "LQ",
            pick(lang, "Knudepunkt", "Node"),
            *([pick(lang, "Stærk", "Strong")] if flags is not None else []),
        ]
        # Numbers keep their width; the activity gets what is left. Regions go down to their
        # codes (named below the table) when their names would leave the activity too little.
        numbers = sum(
            max([len(headers[c])] + [len(row[c + 1]) for row in raw])
            for c in range(2, len(headers))
        )
        full_region = max([len(row[1]) for row in raw], default=0)
        room = _space_left(len(headers), numbers)
        short_regions = room - full_region < 30
        region_w = max([len(row[0]) for row in raw] + [len(headers[0])])
        act_w = max(room - (region_w if short_regions else full_region), len(headers[1]))
        rows = [(row[0] if short_regions else row[1], _fit(row[2], act_w), *row[3:]) for row in raw]
        out = table(
            pick(
                lang,
                f"Lokaliseringskvotienter {y} (reference: {p.reference.label})",
                f"Location quotients {y} (reference: {p.reference.label})",
            ),
            headers,
            rows,
            caption=pick(
                lang,
                f"Knudepunkt: LQ > {spec} og mindst {relevance:.0%} af regionens beskæftigelse",
                f"Node: LQ > {spec} and at least {relevance:.0%} of the region's employment",
            )
            + (
                pick(
                    lang,
                    ". Stærk: US Cluster Mapping (LQ ≥ 1 og ≥ 75. percentil, beskæftigelse"
                    " over 25. percentil)",
                    ". Strong: US Cluster Mapping (LQ ≥ 1 and ≥ 75th percentile, employment"
                    " above the 25th percentile)",
                )
                if flags is not None
                else ""
            )
            + ("" if p.level == "nace2" else ". " + _mapping_note(mapping, lang)),
        )
        _one_line(out, 1)
        console.print(out)
        if short_regions:
            _legend(pick(lang, "Regioner:", "Regions:"), [row[1] for row in raw])
        _legend(
            pick(lang, "Aktiviteter:", "Activities:"),
            [row[2] for row, shown in zip(raw, rows, strict=True) if shown[1] != row[2]],
        )

    _guard(run, lang)


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
    lang: LangOption = None,
) -> None:
    """Specialisation nodes per region, as the factsheet's Table 1 and 2 / Knudepunkter."""
    import polars as pl

    from klynge.regions import lq

    form = _check_choice(fmt, ("table", "csv", "json"), "format", lang)
    if top_opt is not None and top_opt < 1:
        fail(pick(lang, "--top skal være mindst 1", "--top must be at least 1"), 2)
    # The factsheet names five sectoral nodes (Table 1) and three ecosystem nodes (Table 2).
    top = top_opt if top_opt is not None else (3 if level.strip().lower() == "ecosystem" else 5)

    def run() -> None:
        p = _prepare(file, reference, level, activities, mapping, filters, lang)
        res = lq.compute(p.cube, p.reference, spec=spec, rel=relevance, top_n=top, totals=p.totals)
        y = _year(p.cube, year)
        names = _region_names(lang)
        rows = res.node_rows(y, p.label, lq.region_labeller(names), top_n=top)
        headers = lq.node_headers(lang, top)
        if form != "table":
            i = p.cube.year_index(y)
            recs = []
            for r, region in enumerate(p.cube.regions):
                idx = [int(a) for a in res.k.top[i, r] if a >= 0]
                recs.append(
                    {
                        "region": region,
                        "year": y,
                        "nodes": int(res.k.counts[i, r]),
                        "top": [p.cube.activities[a] for a in idx],
                        "top_lq": [float(res.lq[i, r, a]) for a in idx],
                    }
                )
            if form == "json":
                emit_json(recs)
            else:
                sys.stdout.write(pl.DataFrame(rows, schema=headers, orient="row").write_csv())
            return
        which = (
            pick(lang, "sektorielle knudepunkter", "sectoral nodes")
            if p.level == "nace2"
            else pick(lang, "økosystemknudepunkter", "ecosystem nodes")
        )
        total = int(res.k.counts[p.cube.year_index(y)].sum())
        # The CSV keeps the factsheet's layout and full labels. On screen, when the row does not
        # fit, regions go down to their codes, then the headers to "Nodes" and 1…N, and node
        # labels are shortened; whatever was shortened is given in full below the table.
        codes = [c.partition(" - ")[0] for row in rows for c in row[2:]]
        need = max([len(c) for c in codes] + [8 if p.level == "nace2" else 12])
        used = max(1, max(sum(c != "-" for c in row[2:]) for row in rows))
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
        out = table(
            pick(
                lang,
                f"Regionalt relevante {which} {y} ({total} i alt)",
                f"Regionally relevant {which} {y} ({total} in all)",
            ),
            hdr,
            shown,
            caption=pick(
                lang,
                f"Reference: {p.reference.label}. LQ > {spec}, andel ≥ {relevance:.0%}.",
                f"Reference: {p.reference.label}. LQ > {spec}, share ≥ {relevance:.0%}.",
            )
            + ("" if p.level == "nace2" else " " + _mapping_note(mapping, lang)),
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

    _guard(run, lang)


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
    lang: LangOption = None,
) -> None:
    """Hoover, Krugman and Herfindahl indices and their change / Koncentrationsindeks."""
    from klynge.regions import indices, lq

    form = _check_choice(fmt, ("table", "csv", "json"), "format", lang)

    def run() -> None:
        p = _prepare(file, reference, "nace2", activities, None, filters, lang)
        ind = indices.compute(p.cube, p.reference)
        change = ind.change(first, last)
        if form != "table":
            _emit(change, form)
            return
        names = _region_names(lang)
        kind_name = {
            "hoover": pick(lang, "Hoover (lokalisering)", "Hoover (localisation)"),
            "krugman": pick(lang, "Krugman (specialisering)", "Krugman (specialisation)"),
            "herfindahl": "Herfindahl",
        }
        rows = [
            (
                kind_name[r["index"]],
                p.label(r["subject"])
                if r["index"] == "hoover"
                else lq.region_labeller(names)(r["subject"]),
                _num(r["first"], 3),
                _num(r["last"], 3),
                _num(r["change"], 3),
            )
            for r in change.iter_rows(named=True)
        ]
        fy, ly = change["first_year"][0], change["last_year"][0]
        headers = [
            pick(lang, "Indeks", "Index"),
            pick(lang, "Emne", "Subject"),
            str(fy),
            str(ly),
            pick(lang, "Ændring", "Change"),
        ]
        taken = sum(
            max(len(h), *(len(r[c]) for r in rows)) for c, h in enumerate(headers) if c != 1
        )
        width = max(_space_left(len(headers), taken), len(headers[1]))
        shown = [(r[0], _fit(r[1], width), *r[2:]) for r in rows]
        out = table(pick(lang, f"Indeks {fy}–{ly}", f"Indices {fy}–{ly}"), headers, shown)
        _one_line(out, 1)
        console.print(out)
        _legend(
            pick(lang, "Emner:", "Subjects:"),
            [r[1] for r, s in zip(rows, shown, strict=True) if s[1] != r[1]],
        )

    _guard(run, lang)


@regions_app.command("shares")
def shares_command(
    file: FileArg,
    reference: ReferenceOption = "EU27",
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
    lang: LangOption = None,
) -> None:
    """Employment share of each ecosystem, country beside the reference / Økosystemandele."""
    import polars as pl

    from klynge.regions import ecosystems

    form = _check_choice(fmt, ("table", "csv", "json"), "format", lang)

    def run() -> None:
        rows, y, clabel, rlabel = _shares(file, reference, country, year, mapping, filters, lang)
        if form != "table":
            _emit(
                pl.DataFrame(
                    [
                        {
                            "ecosystem": r.ecosystem,
                            "year": y,
                            "country": r.country,
                            "reference": r.reference,
                        }
                        for r in rows
                    ]
                ),
                form,
            )
            return
        console.print(
            table(
                pick(
                    lang, f"Beskæftigelse i økosystemerne {y}", f"Employment in the ecosystems {y}"
                ),
                [pick(lang, "Økosystem", "Ecosystem"), f"{clabel} %", f"{rlabel} %"],
                [
                    (
                        ecosystems.ecosystem_label(r.ecosystem, lang),
                        _num(r.country * 100, 1),
                        _num(r.reference * 100, 1),
                    )
                    for r in rows
                ],
                caption=pick(lang, "Andele af al beskæftigelse. ", "Shares of all employment. ")
                + _mapping_note(mapping, lang),
            )
        )

    _guard(run, lang)


def _shares(
    file: Path,
    reference: str,
    country: str | None,
    year: int | None,
    mapping: Path | None,
    filters: list[str] | None,
    lang: str | None,
) -> tuple[list[ecosystems.ShareRow], int, str, str]:
    from klynge.regions import ecosystems, lq, nace
    from klynge.regions.cube import from_long
    from klynge.regions.errors import RegionsDataError
    from klynge.regions.readers import read_table

    cube = from_long(read_table(file, filters=_filters(filters, lang)))
    kept, _ = nace.resolve_overlaps(cube.activities)
    cube = cube.select(activities=kept)
    analysed, ref = lq.choose(cube, reference)
    y = _year(cube, year)
    i = cube.year_index(y)
    if country is not None:
        crow = cube.data[i, cube.region_index(country)]
        clabel = country
    else:
        countries = sorted({r[:2] for r in analysed.regions})
        if len(countries) > 1:
            raise RegionsDataError(
                f"filen har flere lande ({', '.join(countries)}); vælg ét med --country",
                f"the file holds several countries ({', '.join(countries)}); pick one with "
                "--country",
            )
        crow = analysed.data[i].sum(axis=0)
        clabel = countries[0]
    rows = ecosystems.shares(cube, crow, ref.activity_totals[i], ecosystems.load_mapping(mapping))
    return rows, y, clabel, ref.label


@regions_app.command("organisations")
def organisations_command(
    on: OnOption = None, as_json: JsonOption = False, lang: LangOption = None
) -> None:
    """Cluster organisations per NUTS 2 region / Klyngeorganisationer pr. region."""
    from klynge.regions import organisations

    day = parse_on(on)
    counts = organisations.per_region(day)
    if as_json:
        emit_json([{"region": c.region, "count": c.count, "clusters": c.clusters} for c in counts])
        return
    names = _region_names(lang)
    clusters = get_landscape().clusters
    console.print(
        table(
            pick(
                lang,
                f"Klyngeorganisationer pr. region ({day})",
                f"Cluster organisations per region ({day})",
            ),
            [
                pick(lang, "Region", "Region"),
                pick(lang, "Antal", "Count"),
                pick(lang, "Klynger", "Clusters"),
            ],
            [
                (
                    pick(lang, "ukendt hovedsæde", "headquarters unknown")
                    if c.region == organisations.UNKNOWN
                    else f"{c.region} {names.get(c.region, '')}",
                    c.count,
                    # Names for people; the slugs stay in --json.
                    ", ".join(clusters[k].name if k in clusters else k for k in c.clusters),
                )
                for c in counts
            ],
        )
    )


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
    lang: LangOption = None,
) -> None:
    """Download employment from Eurostat (needs internet and the 'eurostat' package) / Hent data."""
    from klynge.regions import connector

    def run() -> None:
        df = connector.fetch(
            dataset,
            geo=geo,
            filters=_filters(filters, lang),
            start=start,
            end=end,
            establishments=establishments,
        )
        path = connector.save(df, output)
        console.print(
            pick(
                lang,
                f"Skrev {df.height} celler ({df['region'].n_unique()} regioner) til {path}",
                f"Wrote {df.height} cells ({df['region'].n_unique()} regions) to {path}",
            ),
            highlight=False,
        )

    _guard(run, lang)


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
    reference: ReferenceOption = "EU27",
    year: YearOption = None,
    mapping: MappingOption = None,
    on: OnOption = None,
    lang: LangOption = None,
) -> None:
    """Draw Graph 1 (ecosystems) or Graph 2 (organisations) as SVG or PNG / Tegn diagrammer."""
    from klynge.regions import charts, organisations

    k = _check_choice(kind, ("ecosystems", "organisations"), "chart", lang)

    def run() -> None:
        if k == "organisations":
            day = parse_on(on)
            coverage = get_landscape().coverage_note(day)
            path = charts.organisations_chart(
                organisations.per_region(day),
                output,
                lang,
                _region_names(lang),
                on=day,
                note=coverage.get(lang) if coverage else None,
            )
        else:
            if file is None:
                fail(
                    pick(
                        lang,
                        "økosystemdiagrammet kræver --file",
                        "the ecosystems chart needs --file",
                    ),
                    2,
                )
            rows, _, clabel, rlabel = _shares(file, reference, None, year, mapping, None, lang)
            path = charts.ecosystem_chart(
                rows, output, lang, clabel, rlabel, note=_mapping_note(mapping, lang)
            )
        console.print(pick(lang, f"Skrev {path}", f"Wrote {path}"), highlight=False)

    _guard(run, lang)


def maturity_command(
    country: Annotated[str, typer.Argument(help="Country code (DK). / Landekode (DK).")] = "DK",
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
    from klynge.regions import maturity
    from klynge.regions.errors import RegionsDataError

    day = parse_on(on) if on is not None else maturity.FACTSHEET_DAY
    try:
        m = maturity.score(country, day)
    except RegionsDataError as exc:
        fail(exc.text.get(lang))
    if as_json:
        emit_json(
            {
                "country": m.country,
                "on": m.on,
                "total": m.total,
                "maximum": m.maximum,
                "dimensions": [
                    {
                        "key": d.key,
                        "name": d.name.get(lang),
                        "score": d.score,
                        "maximum": d.maximum,
                        "reason": d.reason.get(lang),
                    }
                    for d in m.dimensions
                ],
            }
        )
        return
    console.print(
        table(
            pick(
                lang,
                f"Klyngepolitikkens modenhed, {m.country} ({m.on})",
                f"Cluster policy maturity, {m.country} ({m.on})",
            ),
            [
                pick(lang, "Dimension", "Dimension"),
                pick(lang, "Point", "Score"),
                pick(lang, "Maksimum", "Maximum"),
                pick(lang, "Begrundelse", "Reason"),
            ],
            [
                (d.name.get(lang), f"{d.score:g}", f"{d.maximum:g}", d.reason.get(lang))
                for d in m.dimensions
            ],
            caption=pick(
                lang, f"I alt {m.total:g} af {m.maximum:g}", f"Total {m.total:g} of {m.maximum:g}"
            ),
        )
    )


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(regions_app, name="regions")
    app.command("maturity")(maturity_command)
