"""CLI commands for exploring the landscape: areas, clusters, programmes, show, geography.

Each command parses its options, calls :mod:`klynge.services.landscape` and renders the model it
returns: as a table, or under ``--json`` as exactly ``model_dump(mode="json")``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from klynge.cli.lazy import lazy
from klynge.cli.output import (
    JsonOption,
    LangOption,
    console,
    emit_json,
    parse_on,
)
from klynge.i18n import Text, pick
from klynge.services.common import Caveat

if TYPE_CHECKING:
    from klynge.landscape import fmt
    from klynge.services import landscape as svc
    from klynge.services import landscape_models as models
    from klynge.services.landscape_models import (
        AreaDetail,
        AreaItem,
        ClusterDetail,
        Dated,
        ProgrammeDetail,
        SourceRef,
    )
else:
    # Loaded when a landscape command first uses them: Babel's date formats and the services'
    # models cost every other command a good part of its start-up otherwise.
    fmt = lazy("klynge.landscape.fmt")
    svc = lazy("klynge.services.landscape")
    models = lazy("klynge.services.landscape_models")

KIND_LABEL = {
    "stronghold": Text(da="styrkeposition", en="stronghold"),
    "emerging": Text(da="spirende område", en="emerging area"),
}
DESIGNATOR_LABEL = {
    "board": Text(da="Erhvervsfremmebestyrelsen", en="Board of Business Development"),
    "minister": Text(
        da="Uddannelses- og forskningsministeren", en="Minister of Higher Education and Science"
    ),
}
VERDICT_COLOUR = {"confirmed": "green", "possible": "yellow", "contradicted": "red"}

OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="Use the landscape on this date (YYYY-MM-DD). Default: the last day the records "
        "cover in full (2024-12-31), or today if earlier; every answer says which day it is for. / "
        "Brug landskabet på denne dato. Standard: den sidste dag, som data dækker fuldt.",
    ),
]


def _on(value: str | None) -> date | None:
    """The date given with --on, or None for the service's one default rule."""
    return parse_on(value) if value else None


def _slug(lang: str | None) -> str:
    return pick(lang, "Kortnavn", "Slug")


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str | None = None,
    *,
    lang: str | None = None,
    slugs: bool = False,
) -> Table:
    """A table that fits 80 columns without breaking a word.

    Every column is at least as wide as its longest word, and words wrap only at spaces. With
    ``slugs`` the first column holds identifiers: each is shown on its own line under the name
    in the second column, so that it stays whole and copyable.
    """
    body = [["" if v is None else str(v) for v in r] for r in rows]
    heads = list(columns)
    if slugs:
        heads = [f"{heads[1]}\n({_slug(lang).lower()})", *heads[2:]]
    t = Table(
        title=title,
        caption=caption,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        show_edge=False,
    )
    cells = [[f"{r[1]}\n{r[0]}", *r[2:]] if slugs else r for r in body]
    for c, width in zip(heads, _widths(heads, cells, console.width), strict=True):
        t.add_column(c, overflow="fold", width=width + 2)  # Rich counts the padding in
    for r, raw in zip(cells, body, strict=True):
        first = f"{escape(raw[1])}\n[dim]{escape(raw[0])}[/dim]" if slugs else escape(r[0])
        t.add_row(first, *(escape(v) for v in r[1:]))
    return t


def _widths(heads: Sequence[str], cells: Sequence[Sequence[str]], room: int) -> list[int]:
    """Column widths that fit ``room`` if any can, never narrower than a column's longest word.

    Each column starts at its natural width (its longest line); while the table is too wide, the
    column with the most slack above its floor gives up one character. A short line (an amount
    such as "640 mio. kr.") is kept whole; a longer one may wrap between words.
    """
    cols = [[h, *(r[i] for r in cells)] for i, h in enumerate(heads)]
    natural = [max(len(line) for v in col for line in v.splitlines() or [""]) for col in cols]
    floor = [max((_unit(line) for v in col for line in v.splitlines()), default=1) for col in cols]
    widths = list(natural)
    budget = room - 3 * len(heads) + 1  # one space of padding each side, one between columns
    while sum(widths) > budget:
        slack = [w - f for w, f in zip(widths, floor, strict=True)]
        i = max(range(len(widths)), key=lambda j: slack[j])
        if slack[i] <= 0:
            break
        widths[i] -= 1
    return widths


def _unit(line: str) -> int:
    """The narrowest a line may become: whole if short, else its longest word."""
    return len(line) if len(line) <= 14 else max((len(w) for w in line.split()), default=1)


def _day_title(result: Dated, lang: str | None) -> str:
    return fmt.day(result.on, lang)


KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="Only 'stronghold' or 'emerging' areas. / "
        "Kun styrkepositioner eller spirende områder.",
    ),
]
OffsetOption = Annotated[
    int,
    typer.Option("--offset", help="Skip this many items. / Spring så mange over.", min=0),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", help="Show at most this many items. / Vis højst så mange.", min=1),
]


def _caveats(caveats: Sequence[Caveat], lang: str | None) -> None:
    for c in caveats:
        hint = ""
        if c.code == "list-unknown":
            until = svc.fully_known_until(svc.landscape())
            if until is not None:
                hint = pick(
                    lang,
                    f" Brug --on {until} for at se det.",
                    f" Use --on {until} to see it.",
                )
        console.print(f"[yellow]{escape(c.message + hint)}[/yellow]", highlight=False)


def _unknown(lang: str | None) -> str:
    return pick(lang, "ukendt", "unknown")


# -- areas and clusters -------------------------------------------------------------------------
def areas(
    lang: LangOption = None,
    as_json: JsonOption = False,
    kind: KindOption = None,
    on: OnOption = None,
    offset: OffsetOption = 0,
    limit: LimitOption = None,
) -> None:
    """List the business and technology areas / Vis erhvervs- og teknologiområderne."""
    result = svc.list_areas(_on(on), lang, kind, offset, limit)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    console.print(
        table(
            pick(
                lang,
                f"Erhvervs- og teknologiområder, {_day_title(result, lang)}",
                f"Business and technology areas on {_day_title(result, lang)}",
            ),
            [
                _slug(lang),
                pick(lang, "Område", "Area"),
                pick(lang, "Type", "Kind"),
                pick(lang, "Klynge", "Cluster"),
            ],
            [
                (a.slug, a.name, KIND_LABEL[a.kind].get(lang), _holder_short(a, lang))
                for a in result.items
            ],
            lang=lang,
            slugs=True,
        )
    )
    _caveats(result.caveats, lang)


def _holder_short(a: AreaItem, lang: str | None) -> str:
    return {
        "active": a.cluster_name or "",
        "none": pick(lang, "ingen klynge", "no cluster"),
        "unknown": _unknown(lang),
        "no-cluster-effort": pick(lang, "ingen klyngeindsats", "no cluster effort"),
    }[a.cluster_state]


RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Only clusters with headquarters in this NUTS 2 region: a code (DK04) or a name "
        "(Midtjylland, Central Denmark). / Kun klynger med hovedsæde i denne region: "
        "en kode (DK04) eller et navn (Midtjylland).",
    ),
]


def clusters(
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: OnOption = None,
    region: RegionOption = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Only clusters in 'stronghold' or 'emerging' areas. / "
            "Kun klynger i styrkepositioner eller spirende områder.",
        ),
    ] = None,
    offset: OffsetOption = 0,
    limit: LimitOption = None,
) -> None:
    """List the cluster organisations active on a date / Vis klyngeorganisationerne på en dato."""
    result = svc.list_clusters(_on(on), lang, kind, region, offset, limit)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    title = pick(
        lang,
        f"Klyngeorganisationer {_day_title(result, lang)}: {result.total}",
        f"Cluster organisations on {_day_title(result, lang)}: {result.total}",
    )
    if result.region is not None:
        title += f" ({result.region.code} {result.region.name})"
    console.print(
        table(
            title,
            [
                _slug(lang),
                pick(lang, "Navn", "Name"),
                pick(lang, "Område", "Area"),
                pick(lang, "Hovedsæde", "Headquarters"),
                "NUTS 2",
            ],
            [
                (
                    c.slug,
                    c.name
                    + (pick(lang, " (uvist)", " (uncertain)") if c.status != "active" else ""),
                    c.area_name,
                    c.headquarters.town if c.headquarters else _unknown(lang),
                    (c.headquarters.nuts2 if c.headquarters else None) or "?",
                )
                for c in result.items
            ],
            lang=lang,
            slugs=True,
        )
    )
    _caveats(result.caveats, lang)


def programmes(
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: OnOption = None,
    offset: OffsetOption = 0,
    limit: LimitOption = None,
) -> None:
    """List the strategies and cluster programmes / Vis strategierne og klyngeprogrammerne."""
    result = svc.list_programmes(_on(on), lang, offset, limit)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    yes, no = pick(lang, "ja", "yes"), pick(lang, "nej", "no")
    console.print(
        table(
            pick(
                lang,
                f"Programmer, {_day_title(result, lang)}",
                f"Programmes on {_day_title(result, lang)}",
            ),
            [
                _slug(lang),
                pick(lang, "Navn", "Name"),
                "Budget",
                pick(lang, "Organisationer", "Organisations"),
                pick(lang, "I kraft", "In force"),
            ],
            [
                (
                    p.slug,
                    p.name,
                    fmt.dkk_million(p.budget_dkk_million, lang)
                    if p.budget_dkk_million
                    else _unknown(lang),
                    p.organisations_funded or _unknown(lang),
                    yes if p.in_force else no,
                )
                for p in result.items
            ],
            lang=lang,
            slugs=True,
        )
    )
    _caveats(result.caveats, lang)


# -- show -------------------------------------------------------------------------------------
def show(
    name: Annotated[
        str,
        typer.Argument(
            help="A slug, name or alias, in Danish or English. / "
            "Kortnavn (slug), navn eller alias, på dansk eller engelsk."
        ),
    ],
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: OnOption = None,
) -> None:
    """Show one area, cluster or programme in full / Vis ét område, én klynge eller ét program."""
    result = svc.lookup(name, _on(on), lang)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    if isinstance(result, models.AreaDetail):
        _show_area(result, lang)
    elif isinstance(result, models.ClusterDetail):
        _show_cluster(result, lang)
    else:
        _show_programme(result, lang)


def _print_sources(sources: Sequence[SourceRef], lang: str | None) -> None:
    """Each source as title, publisher, date and address; addresses are never wrapped."""
    console.print(pick(lang, "[bold]Kilder:[/bold]", "[bold]Sources:[/bold]"))
    for s in sources:
        when = f", {fmt.written(s.date, lang)}" if s.date else ""
        unread = (
            ""
            if s.read
            else pick(lang, " – ikke læst for klynge; ", " – not read for klynge; ")
            + pick(
                lang, "gengivet efter projektets faktaark", "as the project's fact sheet gives it"
            )
        )
        console.print(
            f"  • {escape(s.title)} ({escape(s.publisher)}{when}){unread}", highlight=False
        )
        if s.url:
            console.print(f"    {s.url}", soft_wrap=True, highlight=False, markup=False)
        elif s.ref.endswith(".txt"):
            console.print(
                pick(lang, "    kildedokument ", "    seed document ") + s.ref,
                soft_wrap=True,
                highlight=False,
                markup=False,
            )


def _sources(refs: Sequence[str], lang: str | None) -> str:
    """A claim's sources, by title where the registry knows them."""
    ls = svc.landscape()
    names = [ls.sources[r].title if r in ls.sources else r for r in refs]
    return pick(lang, "Kilder: ", "Sources: ") + "; ".join(names)


def _show_area(d: AreaDetail, lang: str | None) -> None:
    a = d.record
    lines = [
        f"[bold]{d.name}[/bold] ({d.slug})",
        f"{KIND_LABEL[d.kind].get(lang)}, "
        + pick(lang, "udpeget af ", "designated by ")
        + DESIGNATOR_LABEL[d.designated_by].get(lang),
        "",
        d.scope,
        "",
        pick(lang, "[bold]Klyngeindsatsen skal:[/bold]", "[bold]The cluster effort must:[/bold]"),
        *[f"  • {m.get(lang)}" for m in a.mandate],
        "",
        pick(lang, "Klynge ", "Cluster ") + f"({fmt.day(d.on, lang)}): " + _holder(d, lang),
        pick(lang, "Søgeord: ", "Search terms: ") + ", ".join(d.search_terms),
        pick(
            lang,
            "NACE Rev. 2 (klynges egen kobling til routing, ikke fra kilderne): ",
            "NACE Rev. 2 (klynge's own routing mapping, not from the sources): ",
        )
        + (", ".join(d.nace) or "–"),
    ]
    if a.note:
        lines += ["", a.note.get(lang)]
    console.print(Panel("\n".join(lines), title=pick(lang, "Område", "Area"), expand=False))
    _print_sources(d.sources, lang)
    _caveats(d.caveats, lang)


def _holder(d: AreaDetail, lang: str | None) -> str:
    if d.cluster_state == "active":
        return f"{d.cluster_name} ({d.cluster})"
    if d.cluster_state == "no-cluster-effort":
        return pick(lang, "ingen klyngeindsats på dette område", "no cluster effort in this area")
    if d.cluster_state == "unknown":
        prev = (
            f" ({d.last_known.name} "
            + pick(lang, "indtil ", "until ")
            + f"{_until(d.last_known.active_to, d.last_known.active_to_precision, lang)})"
            if d.last_known
            else ""
        )
        return pick(lang, "ukendt for denne dato", "unknown for this date") + prev
    ended = f" ({d.ended.name} " + pick(lang, "ophørte", "ended") + ")" if d.ended else ""
    return pick(lang, "ingen klyngeorganisation", "no cluster organisation") + ended


def _until(day: date | None, precision: str, lang: str | None) -> str:
    if day is None:
        return "…"
    return fmt.when(day, precision, lang)  # type: ignore[arg-type]


def _show_cluster(d: ClusterDetail, lang: str | None) -> None:
    c = d.record
    unknown = _unknown(lang)
    hq = d.headquarters
    hq_text = (
        unknown if hq is None else f"{hq.town} ({hq.municipality or unknown}, {hq.nuts2 or '?'})"
    )
    if hq and hq.note:
        hq_text += f" – {hq.note}"
    lines = [
        f"[bold]{d.name}[/bold] ({d.slug})",
        pick(lang, "Også kendt som: ", "Also known as: ") + (", ".join(d.aliases) or "–"),
        pick(lang, "Område: ", "Area: ") + f"{d.area_name} ({d.area})",
        pick(lang, "Perioder: ", "Terms: ")
        + "; ".join(
            f"{fmt.when(t.start, t.start_precision, lang)} – "
            + _until(t.end, t.end_precision, lang)
            for t in c.terms
        ),
        pick(lang, "Aktiv ", "Active on ")
        + f"{fmt.day(d.on, lang)}: "
        + (
            pick(lang, "ja", "yes")
            if d.active
            else pick(lang, "uvist", "not known")
            if d.status == "uncertain"
            else pick(lang, "nej", "no")
        ),
        pick(lang, "Hovedsæde: ", "Headquarters: ") + hq_text,
    ]
    for o in c.offices:
        lines.append(
            pick(lang, "  Kontor: ", "  Office: ")
            + o.town
            + (f" – {o.note.get(lang)}" if o.note else "")
        )
    lines += [pick(lang, "Hjemmeside: ", "Website: ") + (d.website or unknown), "", d.scope]
    if c.events:
        lines += ["", pick(lang, "[bold]Begivenheder:[/bold]", "[bold]Events:[/bold]")]
        lines += [f"  {fmt.when(e.on, e.precision, lang)}: {e.text.get(lang)}" for e in c.events]
    if c.note:
        lines += ["", c.note.get(lang)]
    console.print(
        Panel(
            "\n".join(lines),
            title=pick(lang, "Klyngeorganisation", "Cluster organisation"),
            expand=False,
        )
    )
    _print_sources(d.sources, lang)
    _caveats(d.caveats, lang)


def _show_programme(d: ProgrammeDetail, lang: str | None) -> None:
    p = d.record
    unknown = _unknown(lang)
    lines = [
        f"[bold]{d.name}[/bold] ({d.slug})",
        pick(lang, "Periode: ", "Period: ")
        + f"{fmt.day(d.start, lang)} – {fmt.day(d.end, lang) if d.end else '…'}",
        "Budget: "
        + (fmt.dkk_million(d.budget_dkk_million, lang) if d.budget_dkk_million else unknown),
        pick(lang, "Antal organisationer: ", "Organisations funded: ")
        + (str(d.organisations_funded) if d.organisations_funded else unknown),
    ]
    if p.appointed_on:
        lines.append(pick(lang, "Udpeget: ", "Appointed: ") + fmt.day(p.appointed_on, lang))
    if p.funders:
        lines.append(pick(lang, "[bold]Finansiering:[/bold]", "[bold]Funders:[/bold]"))
        for f in p.funders:
            yearly = (
                f" – {fmt.dkk_million(f.annual_dkk_million, lang)}"
                + pick(lang, " om året", " a year")
                if f.annual_dkk_million
                else ""
            )
            lines.append(f"  • {f.name.get(lang)}{yearly}")
    for title, items in (
        (pick(lang, "Mål", "Objectives"), p.objectives),
        (pick(lang, "Målgrupper", "Beneficiaries"), p.beneficiaries),
    ):
        if items:
            lines.append(f"[bold]{title}:[/bold]")
            lines += [f"  • {t.get(lang)}" for t in items]
    if p.instruments:
        lines.append(pick(lang, "[bold]Virkemidler:[/bold]", "[bold]Instruments:[/bold]"))
        kinds = {
            "financial": pick(lang, "finansielt", "financial"),
            "technical-assistance": pick(lang, "teknisk bistand", "technical assistance"),
        }
        lines += [f"  • {kinds[i.kind]}: {i.text.get(lang)}" for i in p.instruments]
    if d.clusters is not None:
        lines.append(pick(lang, "Klynger: ", "Clusters: ") + ", ".join(d.clusters))
    elif d.kind == "cluster-programme":
        lines.append(pick(lang, "Klynger: listen er ikke kendt", "Clusters: the list is not known"))
    if p.note:
        lines += ["", p.note.get(lang)]
    console.print(Panel("\n".join(lines), title=pick(lang, "Program", "Programme"), expand=False))
    _print_sources(d.sources, lang)
    _caveats(d.caveats, lang)


# -- geography ----------------------------------------------------------------------------------
def geography(
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: OnOption = None,
) -> None:
    """Where the clusters sit, by region and part of the country / Hvor klyngerne ligger."""
    geo = svc.geography(_on(on), lang)
    if as_json:
        emit_json(geo.model_dump(mode="json"))
        return
    unknown = _unknown(lang)
    console.print(
        table(
            pick(
                lang,
                f"Klyngernes hovedsæder {_day_title(geo, lang)}",
                f"Cluster headquarters on {_day_title(geo, lang)}",
            ),
            [
                pick(lang, "Klynge", "Cluster"),
                pick(lang, "By", "Town"),
                "NUTS 2",
                pick(lang, "Landsdel", "Part of the country"),
            ],
            [
                (
                    p.name,
                    p.town or unknown,
                    p.nuts2 or "?",
                    geo.part_names[p.part] if p.part else unknown,
                )
                for p in geo.placements
            ],
        )
    )
    console.print(
        table(
            pick(lang, "Pr. region", "By region"),
            ["NUTS 2", "Region", pick(lang, "Klynger", "Clusters")],
            [(code, geo.region_names[code], n) for code, n in geo.by_region.items()],
            caption=pick(
                lang,
                f"Ukendt hovedsæde: {len(geo.unknown)}",
                f"Headquarters unknown: {len(geo.unknown)}",
            ),
        )
    )
    console.print(
        table(
            pick(lang, "Pr. landsdel", "By part of the country"),
            [pick(lang, "Landsdel", "Part"), pick(lang, "Klynger", "Clusters")],
            [(geo.part_names[p], n) for p, n in geo.by_part.items()]
            + [(unknown, len(geo.unknown))],
        )
    )
    for c in geo.claims:
        colour = VERDICT_COLOUR[c.verdict]
        console.print(
            Panel(
                f"{pick(lang, 'Kilden siger', 'The source says')} ({fmt.day(c.on, lang)}): "
                f"{c.text}\n"
                f"[{colour}]{c.explanation}[/{colour}]\n"
                f"{_sources(c.sources, lang)}",
                title=pick(lang, "Sammenligning med kilderne", "Checked against the sources"),
                expand=False,
            )
        )
    _caveats(geo.caveats, lang)


# -- focal points -------------------------------------------------------------------------------
def focal_points(
    cluster: Annotated[
        str | None,
        typer.Argument(
            help="A cluster to check against the focal points (optional). / "
            "En klynge, der holdes op mod sigtelinjerne (valgfri)."
        ),
    ] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: OnOption = None,
) -> None:
    """The four focal points, and a cluster checked against them / De fire sigtelinjer."""
    if cluster is None:
        listed = svc.list_focal_points(lang)
        if as_json:
            emit_json(listed.model_dump(mode="json"))
            return
        console.print(
            table(
                pick(lang, "De fire sigtelinjer", "The four focal points"),
                [
                    "#",
                    pick(lang, "Sigtelinje", "Focal point"),
                    pick(lang, "Kriterium", "Criterion"),
                ],
                [(i, f.text, f.criterion) for i, f in enumerate(listed.items, 1)],
            )
        )
        return
    checked = svc.check_focal_points(cluster, _on(on), lang)
    if as_json:
        emit_json(checked.model_dump(mode="json"))
        return
    label = {
        "met": pick(lang, "opfyldt", "met"),
        "not-met": pick(lang, "ikke opfyldt", "not met"),
        "not-decidable": pick(lang, "kan ikke afgøres", "not decidable"),
    }
    console.print(
        table(
            f"{checked.cluster_name}, {_day_title(checked, lang)}",
            [
                pick(lang, "Sigtelinje", "Focal point"),
                pick(lang, "Resultat", "Outcome"),
                pick(lang, "Begrundelse", "Reason"),
            ],
            [(c.focal_point, label[c.outcome], c.reason) for c in checked.checks],
        )
    )
    _caveats(checked.caveats, lang)


# -- export -------------------------------------------------------------------------------------
def export_landscape(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead of standard output. / "
            "Skriv til denne fil i stedet for standardoutput.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The whole landscape as bilingual JSON / Hele landskabet som tosproget JSON.

    The document is always JSON; ``--json`` is accepted for symmetry with the other commands.
    """
    doc = svc.export_landscape().model_dump(mode="json")
    if output is None:
        emit_json(doc)
    else:
        output.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- the tour -----------------------------------------------------------------------------------
def landscape_tour(lang: str | None) -> None:
    """The landscape's part of ``klynge tour`` (see cli/tour.py)."""
    svc.landscape()  # fail early, with the data's own error, if the bundled data is broken
    console.print(
        pick(
            lang,
            "Danmark samler sin klyngeindsats om erhvervs- og teknologiområder "
            "med højst én national klynge hver.",
            "Denmark organises its cluster effort around business and technology areas, "
            "each with at most one national cluster.",
        )
    )
    areas(lang=lang, as_json=False, kind=None, on="2021-01-01")
    console.print(
        pick(
            lang,
            "MARLOG gik konkurs i april 2022, så der var 13 klynger den 1. januar 2023:",
            "MARLOG went bankrupt in April 2022, so there were 13 clusters on 1 January 2023:",
        )
    )
    clusters(lang=lang, as_json=False, on="2023-01-01", region=None, kind=None)
    show(name="innovationskraft", lang=lang, as_json=False, on=None)
    geography(lang=lang, as_json=False, on="2021-01-01")


def register(app: typer.Typer) -> None:
    app.command("areas")(areas)
    app.command("clusters")(clusters)
    app.command("programmes")(programmes)
    app.command("show")(show)
    app.command("geography")(geography)
    app.command("focal-points")(focal_points)
    app.command("export-landscape")(export_landscape)
