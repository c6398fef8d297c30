"""CLI commands for exploring the landscape: areas, clusters, show, geography and the tour."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel

from klynge.cli.output import (
    JsonOption,
    LangOption,
    OnOption,
    console,
    emit_json,
    fail,
    parse_on,
    table,
)
from klynge.i18n import Text, pick
from klynge.landscape import (
    AmbiguousName,
    Landscape,
    LandscapeDataError,
    NameNotFound,
    get_landscape,
)
from klynge.landscape.export import landscape_document
from klynge.landscape.focal_points import check_cluster
from klynge.landscape.geography import PARTS, place_clusters
from klynge.landscape.model import Area, Cluster, Programme

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


def _landscape() -> Landscape:
    try:
        return get_landscape()
    except LandscapeDataError as exc:
        fail(str(exc))


def _note(ls: Landscape, on: date, lang: str | None) -> None:
    note = ls.coverage_note(on)
    if note is not None:
        console.print(f"[yellow]{note.get(lang)}[/yellow]")


# -- JSON shapes ------------------------------------------------------------------------------
def area_json(ls: Landscape, a: Area, on: date, lang: str | None) -> dict[str, Any]:
    status = ls.area_status(a.slug, on)
    return {
        "slug": a.slug,
        "kind": a.kind,
        "designated_by": a.designated_by,
        "cluster_effort": a.cluster_effort,
        "name": a.name.get(lang),
        "scope": a.scope.get(lang),
        "cluster": status.cluster.slug if status.cluster else None,
        "cluster_state": status.state,
        "nace": a.nace,
        "search_terms": a.search_terms(lang),
    }


def cluster_json(ls: Landscape, c: Cluster, lang: str | None) -> dict[str, Any]:
    hq = c.headquarters
    return {
        "slug": c.slug,
        "name": c.name,
        "aliases": c.aliases,
        "area": c.area,
        "area_name": ls.areas[c.area].name.get(lang),
        "kind": ls.areas[c.area].kind,
        "active_from": c.active_from,
        "active_to": c.active_to,
        "headquarters": None
        if hq is None
        else {"town": hq.town, "municipality": hq.municipality, "nuts2": ls.cluster_nuts2(c.slug)},
        "website": c.website,
        "scope": c.scope.get(lang),
    }


# -- commands ---------------------------------------------------------------------------------
def areas(
    lang: LangOption = None,
    as_json: JsonOption = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Only 'stronghold' or 'emerging' areas. / "
            "Kun styrkepositioner eller spirende områder.",
        ),
    ] = None,
    on: OnOption = None,
) -> None:
    """List the business and technology areas / Vis erhvervs- og teknologiområderne."""
    ls = _landscape()
    day = parse_on(on)
    chosen = _filter_kind(list(ls.areas.values()), kind, lang)
    if as_json:
        emit_json([area_json(ls, a, day, lang) for a in chosen])
        return
    rows = []
    for a in chosen:
        st = ls.area_status(a.slug, day)
        holder = {
            "active": st.cluster.name if st.cluster else "",
            "none": pick(lang, "ingen klynge", "no cluster"),
            "unknown": pick(lang, "ukendt", "unknown"),
            "no-cluster-effort": pick(lang, "ingen klyngeindsats", "no cluster effort"),
        }[st.state]
        rows.append((a.slug, a.name.get(lang), KIND_LABEL[a.kind].get(lang), holder))
    console.print(
        table(
            pick(
                lang,
                f"Erhvervs- og teknologiområder ({day})",
                f"Business and technology areas ({day})",
            ),
            [
                pick(lang, "Slug", "Slug"),
                pick(lang, "Område", "Area"),
                pick(lang, "Type", "Kind"),
                pick(lang, "Klynge", "Cluster"),
            ],
            rows,
        )
    )
    _note(ls, day, lang)


def _filter_kind(items: list[Area], kind: str | None, lang: str | None) -> list[Area]:
    if kind is None:
        return items
    k = kind.strip().lower()
    aliases = {"styrkeposition": "stronghold", "spirende": "emerging", "budding": "emerging"}
    k = aliases.get(k, k)
    if k not in KIND_LABEL:
        fail(
            pick(
                lang,
                f"ukendt type {kind!r}: brug 'stronghold' eller 'emerging'",
                f"unknown kind {kind!r}: use 'stronghold' or 'emerging'",
            ),
            2,
        )
    return [a for a in items if a.kind == k]


def clusters(
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: OnOption = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="Only clusters with headquarters in this NUTS 2 region (DK01..DK05). / "
            "Kun klynger med hovedsæde i denne NUTS 2-region.",
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Only clusters in 'stronghold' or 'emerging' areas. / "
            "Kun klynger i styrkepositioner eller spirende områder.",
        ),
    ] = None,
) -> None:
    """List the cluster organisations active on a date / Vis klyngeorganisationerne på en dato."""
    ls = _landscape()
    day = parse_on(on)
    allowed = {a.slug for a in _filter_kind(list(ls.areas.values()), kind, lang)}
    found = [c for c in ls.clusters_on(day) if c.area in allowed]
    if region is not None:
        code = region.strip().upper()
        if code not in ls.regions:
            fail(
                pick(
                    lang,
                    f"ukendt region {region!r}: brug en af {', '.join(ls.regions)}",
                    f"unknown region {region!r}: use one of {', '.join(ls.regions)}",
                ),
                2,
            )
        found = [c for c in found if ls.cluster_nuts2(c.slug) == code]
    if as_json:
        emit_json([cluster_json(ls, c, lang) for c in found])
        return
    rows = []
    for c in found:
        nuts2 = ls.cluster_nuts2(c.slug)
        town = c.headquarters.town if c.headquarters else pick(lang, "ukendt", "unknown")
        rows.append((c.slug, c.name, ls.areas[c.area].name.get(lang), town, nuts2 or "?"))
    console.print(
        table(
            pick(
                lang,
                f"Klyngeorganisationer {day}: {len(found)}",
                f"Cluster organisations on {day}: {len(found)}",
            ),
            [
                "Slug",
                pick(lang, "Navn", "Name"),
                pick(lang, "Område", "Area"),
                pick(lang, "Hovedsæde", "Headquarters"),
                "NUTS 2",
            ],
            rows,
        )
    )
    _note(ls, day, lang)


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
    ls = _landscape()
    day = parse_on(on)
    try:
        match = ls.resolve(name)
    except AmbiguousName as exc:
        options = "\n".join(f"  {m.slug}  ({m.label}, {m.kind})" for m in exc.candidates)
        fail(
            pick(
                lang,
                f"{name!r} er tvetydigt. Mente du:\n{options}",
                f"{name!r} is ambiguous. Did you mean:\n{options}",
            )
        )
    except NameNotFound as exc:
        hint = ", ".join(m.slug for m in exc.suggestions)
        msg = pick(
            lang,
            f"intet område, ingen klynge og intet program hedder {name!r}",
            f"no area, cluster or programme is called {name!r}",
        )
        if hint:
            msg += pick(lang, f". Mente du: {hint}?", f". Did you mean: {hint}?")
        fail(msg)
    if match.kind == "area":
        _show_area(ls, ls.areas[match.slug], day, lang, as_json)
    elif match.kind == "cluster":
        _show_cluster(ls, ls.clusters[match.slug], lang, as_json)
    else:
        _show_programme(ls.programmes[match.slug], lang, as_json)


def _sources(sources: list[str], lang: str | None) -> str:
    return pick(lang, "Kilder: ", "Sources: ") + "; ".join(sources)


def _show_area(ls: Landscape, a: Area, day: date, lang: str | None, as_json: bool) -> None:
    st = ls.area_status(a.slug, day)
    if as_json:
        emit_json(
            {"type": "area", **area_json(ls, a, day, lang), "record": a.model_dump(mode="json")}
        )
        return
    lines = [
        f"[bold]{a.name.get(lang)}[/bold] ({a.slug})",
        f"{KIND_LABEL[a.kind].get(lang)}, "
        + pick(lang, "udpeget af ", "designated by ")
        + DESIGNATOR_LABEL[a.designated_by].get(lang),
        "",
        a.scope.get(lang),
        "",
        pick(lang, "[bold]Klyngeindsatsen skal:[/bold]", "[bold]The cluster effort must:[/bold]"),
        *[f"  • {m.get(lang)}" for m in a.mandate],
        "",
        pick(lang, "Klynge ", "Cluster ") + f"({day}): " + _holder(st, lang),
        pick(lang, "Søgeord: ", "Search terms: ") + ", ".join(a.search_terms(lang)),
        "NACE Rev. 2: " + (", ".join(a.nace) or "–"),
    ]
    if a.note:
        lines += ["", a.note.get(lang)]
    lines += ["", _sources(a.sources, lang)]
    console.print(Panel("\n".join(lines), title=pick(lang, "Område", "Area"), expand=False))


def _holder(st: Any, lang: str | None) -> str:
    if st.state == "active":
        return f"{st.cluster.name} ({st.cluster.slug})"
    if st.state == "no-cluster-effort":
        return pick(lang, "ingen klyngeindsats på dette område", "no cluster effort in this area")
    if st.state == "unknown":
        prev = (
            f" ({st.last_known.name} "
            + pick(lang, "indtil ", "until ")
            + f"{st.last_known.active_to})"
            if st.last_known
            else ""
        )
        return pick(lang, "ukendt for denne dato", "unknown for this date") + prev
    ended = f" ({st.ended.name} " + pick(lang, "ophørte", "ended") + ")" if st.ended else ""
    return pick(lang, "ingen klyngeorganisation", "no cluster organisation") + ended


def _show_cluster(ls: Landscape, c: Cluster, lang: str | None, as_json: bool) -> None:
    if as_json:
        emit_json(
            {"type": "cluster", **cluster_json(ls, c, lang), "record": c.model_dump(mode="json")}
        )
        return
    unknown = pick(lang, "ukendt", "unknown")
    hq = c.headquarters
    hq_text = (
        unknown
        if hq is None
        else f"{hq.town} ({hq.municipality or unknown}, {ls.cluster_nuts2(c.slug) or '?'})"
    )
    if hq and hq.note:
        hq_text += f" – {hq.note.get(lang)}"
    lines = [
        f"[bold]{c.name}[/bold] ({c.slug})",
        pick(lang, "Også kendt som: ", "Also known as: ") + (", ".join(c.aliases) or "–"),
        pick(lang, "Område: ", "Area: ") + f"{ls.areas[c.area].name.get(lang)} ({c.area})",
        pick(lang, "Perioder: ", "Terms: ")
        + "; ".join(f"{t.start} – {t.end or '…'}" for t in c.terms),
        pick(lang, "Hovedsæde: ", "Headquarters: ") + hq_text,
    ]
    for o in c.offices:
        lines.append(
            pick(lang, "  Kontor: ", "  Office: ")
            + o.town
            + (f" – {o.note.get(lang)}" if o.note else "")
        )
    lines += [
        pick(lang, "Hjemmeside: ", "Website: ") + (c.website or unknown),
        "",
        c.scope.get(lang),
    ]
    if c.events:
        lines += ["", pick(lang, "[bold]Begivenheder:[/bold]", "[bold]Events:[/bold]")]
        lines += [f"  {e.on}  {e.text.get(lang)}" for e in c.events]
    if c.note:
        lines += ["", c.note.get(lang)]
    lines += ["", _sources(c.sources, lang)]
    console.print(
        Panel(
            "\n".join(lines),
            title=pick(lang, "Klyngeorganisation", "Cluster organisation"),
            expand=False,
        )
    )


def _show_programme(p: Programme, lang: str | None, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "type": "programme",
                "slug": p.slug,
                "name": p.name.get(lang),
                "record": p.model_dump(mode="json"),
            }
        )
        return
    unknown = pick(lang, "ukendt", "unknown")
    lines = [
        f"[bold]{p.name.get(lang)}[/bold] ({p.slug})",
        pick(lang, "Periode: ", "Period: ") + f"{p.start} – {p.end or '…'}",
        pick(lang, "Budget: ", "Budget: ")
        + (
            f"{p.budget_dkk_million:g} " + pick(lang, "mio. kr.", "DKK million")
            if p.budget_dkk_million
            else unknown
        ),
        pick(lang, "Antal organisationer: ", "Organisations funded: ")
        + (str(p.organisations_funded) if p.organisations_funded else unknown),
    ]
    if p.appointed_on:
        lines.append(pick(lang, "Udpeget: ", "Appointed: ") + str(p.appointed_on))
    if p.funders:
        lines.append(pick(lang, "[bold]Finansiering:[/bold]", "[bold]Funders:[/bold]"))
        for f in p.funders:
            yearly = (
                (
                    f" – {f.annual_dkk_million:g} "
                    + pick(lang, "mio. kr. om året", "DKK million a year")
                )
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
        lines += [f"  • [{i.kind}] {i.text.get(lang)}" for i in p.instruments]
    if p.clusters is not None:
        lines.append(pick(lang, "Klynger: ", "Clusters: ") + ", ".join(p.clusters))
    elif p.kind == "cluster-programme":
        lines.append(pick(lang, "Klynger: listen er ikke kendt", "Clusters: the list is not known"))
    if p.note:
        lines += ["", p.note.get(lang)]
    lines += ["", _sources(p.sources, lang)]
    console.print(Panel("\n".join(lines), title=pick(lang, "Program", "Programme"), expand=False))


def geography(
    lang: LangOption = None,
    as_json: JsonOption = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Date (YYYY-MM-DD). Default: 2021-01-01, the start of the 2021-2024 programme. / "
            "Dato (ÅÅÅÅ-MM-DD). Standard: 2021-01-01, starten på perioden 2021-2024.",
        ),
    ] = None,
) -> None:
    """Where the clusters sit, by region and part of the country / Hvor klyngerne ligger."""
    ls = _landscape()
    day = parse_on(on) if on else date(2021, 1, 1)
    geo = place_clusters(ls, day)
    if as_json:
        emit_json(
            {
                "on": day,
                "by_region": geo.by_region,
                "by_part": geo.by_part,
                "unknown": geo.unknown,
                "placements": [p.__dict__ for p in geo.placements],
                "claims": [
                    {
                        "on": c.claim.on,
                        "text": c.claim.text.get(lang),
                        "claimed": c.claim.counts,
                        "found": c.found,
                        "missing": c.missing,
                        "verdict": c.verdict,
                        "explanation": c.explanation.get(lang),
                        "sources": c.claim.sources,
                    }
                    for c in geo.checks
                ],
            }
        )
        return
    unknown = pick(lang, "ukendt", "unknown")
    console.print(
        table(
            pick(lang, f"Klyngernes hovedsæder {day}", f"Cluster headquarters on {day}"),
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
                    PARTS[p.part].get(lang) if p.part else unknown,
                )
                for p in geo.placements
            ],
        )
    )
    console.print(
        table(
            pick(lang, "Pr. region", "By region"),
            ["NUTS 2", pick(lang, "Region", "Region"), pick(lang, "Klynger", "Clusters")],
            [(code, ls.regions[code].name.get(lang), n) for code, n in geo.by_region.items()],
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
            [(PARTS[p].get(lang), n) for p, n in geo.by_part.items()]
            + [(unknown, len(geo.unknown))],
        )
    )
    for c in geo.checks:
        colour = {"confirmed": "green", "possible": "yellow", "contradicted": "red"}[c.verdict]
        console.print(
            Panel(
                f"{pick(lang, 'Kilden siger', 'The source says')} ({c.claim.on}): "
                f"{c.claim.text.get(lang)}\n"
                f"[{colour}]{c.explanation.get(lang)}[/{colour}]\n"
                f"{_sources(c.claim.sources, lang)}",
                title=pick(lang, "Sammenligning med kilderne", "Checked against the sources"),
                expand=False,
            )
        )


def landscape_tour(lang: str | None) -> None:
    """The landscape's part of ``klynge tour`` (see cli/tour.py)."""
    _landscape()  # fail early, with the data's own error, if the bundled data is broken
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
            "MARLOG gik konkurs i foråret 2022, så der var 13 klynger den 1. januar 2023:",
            "MARLOG went bankrupt in spring 2022, so there were 13 clusters on 1 January 2023:",
        )
    )
    clusters(lang=lang, as_json=False, on="2023-01-01", region=None, kind=None)
    show(name="innovationskraft", lang=lang, as_json=False, on=None)
    geography(lang=lang, as_json=False, on=None)


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
    ls = _landscape()
    day = parse_on(on)
    if cluster is None:
        if as_json:
            emit_json([fp.model_dump(mode="json") for fp in ls.focal_points])
            return
        console.print(
            table(
                pick(lang, "De fire sigtelinjer", "The four focal points"),
                [
                    "#",
                    pick(lang, "Sigtelinje", "Focal point"),
                    pick(lang, "Kriterium", "Criterion"),
                ],
                [
                    (i, fp.text.get(lang), fp.criterion.get(lang))
                    for i, fp in enumerate(ls.focal_points, 1)
                ],
            )
        )
        return
    try:
        match = ls.resolve(cluster)
    except LookupError as exc:
        fail(str(exc))
    if match.kind != "cluster":
        fail(
            pick(
                lang,
                f"{cluster!r} er ikke en klyngeorganisation",
                f"{cluster!r} is not a cluster organisation",
            )
        )
    checks = check_cluster(ls, match.slug, day)
    if as_json:
        emit_json(
            {
                "cluster": match.slug,
                "on": day,
                "checks": [
                    {
                        "focal_point": c.focal_point.slug,
                        "outcome": c.outcome,
                        "reason": c.reason.get(lang),
                    }
                    for c in checks
                ],
            }
        )
        return
    label = {
        "met": pick(lang, "opfyldt", "met"),
        "not-met": pick(lang, "ikke opfyldt", "not met"),
        "not-decidable": pick(lang, "kan ikke afgøres", "not decidable"),
    }
    console.print(
        table(
            f"{ls.clusters[match.slug].name} ({day})",
            [
                pick(lang, "Sigtelinje", "Focal point"),
                pick(lang, "Resultat", "Outcome"),
                pick(lang, "Begrundelse", "Reason"),
            ],
            [(c.focal_point.slug, label[c.outcome], c.reason.get(lang)) for c in checks],
        )
    )


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
) -> None:
    """The whole landscape as bilingual JSON / Hele landskabet som tosproget JSON."""
    doc = landscape_document(_landscape())
    if output is None:
        emit_json(doc)
    else:
        output.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.command("areas")(areas)
    app.command("clusters")(clusters)
    app.command("show")(show)
    app.command("geography")(geography)
    app.command("focal-points")(focal_points)
    app.command("export-landscape")(export_landscape)
