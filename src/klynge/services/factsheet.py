"""The cluster factsheet for Denmark, generated from klynge's records and a user's data.

:func:`factsheet` gathers everything into one pydantic model, already worded in one language:
the map and the clusters per region (the landscape), Table 1 and Table 2 (the regions pipeline
on the given data, with its level, year and reference stated), the maturity index with its
reasons, the programme in force with its budget, and the sources. What the data cannot support
is said on the page (:mod:`klynge.factsheet`), and every warning of the data travels with it.

:func:`render_html` gives a standalone HTML document (styles inline, nothing loaded from
elsewhere), :func:`render_body` the same content for the web page, :func:`render_pdf` a PDF laid
out by WeasyPrint from that HTML, and :func:`write` a file whose ending picks the format. One
Jinja2 template serves all three.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from klynge.errors import InvalidInput, Location, NotFound, Unavailable
from klynge.i18n import Lang, Text
from klynge.services.landscape_models import SourceRef
from klynge.services.regions import DataNote, MaturityResult

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

COUNTRIES = {"DK", "DENMARK", "DANMARK", "DNK"}
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


class FactsheetRow(BaseModel):
    region: str
    region_name: str | None
    nodes: int | None = Field(description="null when no LQ of the region is known (not 0).")
    top: list[str] = Field(description="Node codes, highest LQ first.")
    top_labels: list[str]


class FactsheetTable(BaseModel):
    key: Literal["table1", "table2"]
    title: str
    published_method: bool = Field(
        description="True only for NACE divisions against the EU average, the published "
        "factsheet's own method; otherwise the table has its layout, not its content."
    )
    level: str
    year: int
    reference: str
    top: int
    total: int | None = Field(
        description="Nodes in all regions; null when a region's count is unknown (no LQ)."
    )
    rows: list[FactsheetRow]


class ClusterEntry(BaseModel):
    slug: str
    name: str
    area: str
    town: str | None


class RegionClusters(BaseModel):
    code: str = Field(description="NUTS 2 code, or 'unknown' for unknown headquarters.")
    name: str
    clusters: list[ClusterEntry]


class ProgrammeFacts(BaseModel):
    slug: str
    name: str
    start: date
    end: date | None
    period: str
    budget_dkk_million: float | None
    organisations_funded: int | None
    funders: list[str]
    objectives: list[str]
    instruments: list[str]
    note: str | None
    sources: list[SourceRef]


class Factsheet(BaseModel):
    country: str
    country_name: str
    lang: Lang
    on: date
    on_text: str
    data: str | None = Field(description="The employment file's name, or null without data.")
    data_level: str | None = Field(description="sections, divisions, finer or mixed.")
    data_level_text: str | None
    years: list[int] = Field(default_factory=list, description="Years in the data.")
    reference_note: str | None
    table1: FactsheetTable | None
    table2: FactsheetTable | None
    notes: list[str] = Field(description="What the tables can and cannot claim.")
    map_svg: str = Field(description="The inline SVG map with the clusters as points.")
    regions: list[RegionClusters]
    maturity: MaturityResult
    programme: ProgrammeFacts | None
    sources: list[SourceRef]
    warnings: list[DataNote] = Field(
        description="Every warning of the data and caveat of the records; shown on the page."
    )
    words: dict[str, str] = Field(description="Headings and fixed words in the language.")


class WrittenFactsheet(BaseModel):
    path: str
    format: Literal["html", "pdf"]
    bytes: int
    warnings: list[DataNote]


def _bad(code: str, da: str, en: str, location: Location | None = None) -> InvalidInput:
    return InvalidInput(Text(da=da, en=en), code=code, location=location)


def _source(ls: object, ref: str) -> SourceRef:
    src = getattr(ls, "sources", {}).get(ref)
    if src is None:
        url = ref if ref.startswith(("http://", "https://")) else None
        return SourceRef(ref=ref, title=ref, publisher="", date=None, url=url)
    return SourceRef(
        ref=ref, title=src.title, publisher=src.publisher, date=src.date, url=src.url, read=src.read
    )


def _default_data() -> tuple[Path | None, str | None]:
    """The server's sample ($KLYNGE_REGIONS_SAMPLE) when set to a file, else no data."""
    from klynge.services.regions import SAMPLE_ENV

    raw = os.environ.get(SAMPLE_ENV, "").strip()
    if raw and Path(raw).is_file():
        return Path(raw), Path(raw).name
    return None, None


def _table(
    key: Literal["table1", "table2"],
    title: str,
    published: bool,
    level: str,
    t: object,
    country: str,
) -> FactsheetTable:
    from klynge.services.regions import NodesTable

    assert isinstance(t, NodesTable)
    rows = [
        FactsheetRow(
            region=r.region,
            region_name=r.region_name,
            nodes=r.nodes,
            top=r.top,
            top_labels=r.top_labels,
        )
        for r in t.regions
        if r.region.upper().startswith(country)
    ]
    return FactsheetTable(
        key=key,
        title=title,
        published_method=published,
        level=level,
        year=t.year,
        reference=t.reference,
        top=t.top,
        total=None if any(r.nodes is None for r in rows) else sum(r.nodes or 0 for r in rows),
        rows=rows,
    )


def factsheet(
    country: str = "DK",
    *,
    on: date | None = None,
    data: str | Path | None = None,
    use_sample: bool = True,
    reference: str | None = None,
    year: int | None = None,
    lang: Lang = "en",
    shown_as: Mapping[str | Path, str] | None = None,
) -> Factsheet:
    """The factsheet for ``country`` (Denmark) on ``on`` (default: the landscape's default day).

    ``data`` is an employment file; without it the server's sample (``$KLYNGE_REGIONS_SAMPLE``)
    is used when ``use_sample``, and without either the tables are left out and the page says
    why. ``reference`` overrides the automatic choice: EU27 when the file has an EU27 row, else
    the country (said on the page).
    """
    from klynge import factsheet as fs
    from klynge.landscape import fmt, get_landscape
    from klynge.maps.svg import MapPoint, MapRegion, render, shapes
    from klynge.regions import organisations as orgs
    from klynge.services import regions as rsvc
    from klynge.services.landscape import caveats_on, default_day

    if country.strip().upper() not in COUNTRIES:
        raise NotFound(
            Text(
                da=f"intet faktaark for {country!r}: klynges landskab er Danmarks (DK)",
                en=f"no factsheet for {country!r}: klynge's landscape is Denmark's (DK)",
            ),
            code="no-factsheet",
        )
    ls = get_landscape()
    day = on or default_day()
    W = {k: v.get(lang) for k, v in fs.WORDS.items()}
    warnings: list[DataNote] = [
        DataNote(code=c.code, message=c.message) for c in caveats_on(on, lang)
    ]

    # -- the data: level, reference, Table 1 and Table 2 ------------------------------------
    path: Path | None
    shown_name: str | None
    if data is not None:
        path, shown_name = Path(data), None
    elif use_sample:
        path, shown_name = _default_data()
    else:
        path, shown_name = None, None
    names = dict(shown_as or {})
    if path is not None and shown_name is not None:
        names[path] = shown_name
    table1 = table2 = None
    notes: list[str] = []
    level: str | None = None
    level_text = reference_note = None
    years: list[int] = []
    data_shown: str | None = None
    if path is None:
        notes.append(W["no_data"])
    else:
        data_shown = names.get(path) or names.get(str(path)) or path.name
        summary = rsvc.inspect(path, shown_as=names)
        years = summary.years
        lvl = fs.data_level(summary.activities)
        level, level_text = lvl, fs.LEVEL_TEXT[lvl].get(lang)
        ref, why = fs.reference_for(summary.regions, reference)
        eu = ref.strip().lower() in ("eu27", "eu") or ref.upper().startswith("EU27")
        if why is not None:
            reference_note = why.get(lang)
        published = lvl == "divisions" and eu
        nodes1 = rsvc.nodes(
            path, reference=ref, year=year, level="nace2", top=5, lang=lang, shown_as=names
        )
        # The factsheet explains the data's level in its own notes (honesty_notes below).
        warnings += [w for w in nodes1.warnings if w.code != rsvc.LAYOUT_ONLY]
        table1 = _table(
            "table1",
            W["table1"] if published else W["table1_layout"],
            published,
            lvl,
            nodes1,
            "DK",
        )
        if lvl in ("divisions", "finer"):
            nodes2 = rsvc.nodes(
                path, reference=ref, year=year, level="ecosystem", top=3, lang=lang, shown_as=names
            )
            warnings += [w for w in nodes2.warnings if w not in warnings]
            table2 = _table("table2", W["table2"], published, lvl, nodes2, "DK")
        else:
            notes.append(W["table2_missing"])
        notes += [t.get(lang) for t in fs.honesty_notes(lvl, eu, reference_said=why is not None)]

    # -- the landscape: clusters per region and the map ----------------------------------------
    region_names = {code: r.name.get(lang) for code, r in ls.regions.items()}
    by_region: list[RegionClusters] = []
    for rc in orgs.per_region(day, ls):
        entries = []
        for slug in rc.clusters:
            c = ls.clusters[slug]
            entries.append(
                ClusterEntry(
                    slug=slug,
                    name=c.name,
                    area=ls.areas[c.area].name.get(lang),
                    town=c.headquarters.town if c.headquarters else None,
                )
            )
        name = W["hq_unknown"] if rc.region == orgs.UNKNOWN else region_names.get(rc.region, "")
        by_region.append(RegionClusters(code=rc.region, name=name, clusters=entries))
    points = []
    for c in ls.clusters_on(day):
        places = ([c.headquarters] if c.headquarters else []) + list(c.offices)
        for i, p in enumerate(places):
            if p.municipality and p.municipality in shapes().places:
                hq = c.headquarters is not None and i == 0
                points.append(
                    MapPoint(
                        municipality=p.municipality,
                        label=f"{c.name}: {p.town}",
                        href=f"#cluster-{c.slug}",
                        headquarters=hq,
                    )
                )
    counts = {r.code: len(r.clusters) for r in by_region}
    map_svg = render(
        [
            MapRegion(
                code=code,
                name=name,
                href=f"#region-{code}",
                tooltip=f"{name}: {counts.get(code, 0)}",
            )
            for code, name in region_names.items()
        ],
        points,
        title=W["map"],
        description=W["map_desc"],
        painted=True,
    )

    # -- maturity, programme, sources ---------------------------------------------------------
    mat = rsvc.maturity(country, day, lang=lang)
    warnings += [DataNote(code=c.code, message=c.message) for c in mat.caveats]
    prog = fs.programme_on(ls.programmes.values(), day)
    programme = None
    if prog is not None:
        programme = ProgrammeFacts(
            slug=prog.slug,
            name=prog.name.get(lang),
            start=prog.start,
            end=prog.end,
            period=f"{fmt.day(prog.start, lang)} – "
            + (fmt.day(prog.end, lang) if prog.end else "…"),
            budget_dkk_million=prog.budget_dkk_million,
            organisations_funded=prog.organisations_funded,
            funders=[
                f.name.get(lang)
                + (
                    f" ({fmt.number(f.annual_dkk_million, lang)} {W['per_year']})"
                    if f.annual_dkk_million is not None
                    else ""
                )
                for f in prog.funders
            ],
            objectives=[o.get(lang) for o in prog.objectives],
            instruments=[i.text.get(lang) for i in prog.instruments],
            note=prog.note.get(lang) if prog.note else None,
            sources=[_source(ls, s) for s in prog.sources],
        )
    refs: list[str] = []
    for pr in ls.programmes.values():
        if pr.kind == "cluster-programme" and (prog is None or pr.slug == prog.slug):
            refs += pr.sources
    for h in ls.policy_history:
        refs += h.sources
    sources = [_source(ls, r) for r in dict.fromkeys(refs)]
    sources.append(
        SourceRef(
            ref="gisco",
            title="NUTS 2021 (" + shapes().attribution + ")",
            publisher="Eurostat GISCO",
            date="2021",
            url=None,
        )
    )
    if data_shown is not None:
        sources.append(
            SourceRef(ref="data", title=data_shown, publisher=W["data"], date=None, url=None)
        )
    seen: set[tuple[str, str]] = set()
    unique = []
    for w in warnings:
        if (w.code, w.message) not in seen:
            seen.add((w.code, w.message))
            unique.append(w)
    return Factsheet(
        country="DK",
        country_name=Text(da="Danmark", en="Denmark").get(lang),
        lang=lang,
        on=day,
        on_text=fmt.day(day, lang),
        data=data_shown,
        data_level=level,
        data_level_text=level_text,
        years=years,
        reference_note=reference_note,
        table1=table1,
        table2=table2,
        notes=notes,
        map_svg=str(map_svg),
        regions=by_region,
        maturity=mat,
        programme=programme,
        sources=sources,
        warnings=unique,
        words=W,
    )


# -- rendering ---------------------------------------------------------------------------------
@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("klynge.factsheet", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, lang: _number(v, lang)
    return env


def _number(v: float | None, lang: str) -> str:
    from klynge.landscape import fmt

    return "" if v is None else fmt.number(v, lang)


def stylesheet() -> str:
    """The factsheet's CSS: inline in the document, served as a file on the web page."""
    from importlib import resources

    return (
        resources.files("klynge.factsheet")
        .joinpath("templates", "factsheet.css")
        .read_text(encoding="utf-8")
    )


def render_body(f: Factsheet) -> Markup:
    """The factsheet's content (no ``<html>``), for a page that brings its own frame."""
    from markupsafe import Markup

    return Markup(_environment().get_template("body.html").render(f=f, w=f.words))


def render_html(f: Factsheet) -> str:
    """A standalone HTML document: styles inline, no script, nothing fetched from elsewhere."""
    return (
        _environment()
        .get_template("document.html")
        .render(f=f, w=f.words, css=stylesheet(), body=render_body(f))
    )


def render_pdf(f: Factsheet) -> bytes:
    """The HTML laid out as an A4 PDF by WeasyPrint (fonts from the system, no network)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # the package, or the Pango library it loads
        raise Unavailable(
            Text(
                da=f"PDF kræver WeasyPrint og Pango ({exc}); kør scripts/setup-system.sh, "
                "eller skriv HTML",
                en=f"PDF needs WeasyPrint and Pango ({exc}); run scripts/setup-system.sh, or "
                "write HTML",
            ),
            code="pdf-unavailable",
        ) from exc

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise ValueError(f"the factsheet loads nothing from elsewhere: {url}")

    html = weasyprint.HTML(string=render_html(f), url_fetcher=no_fetch)
    out: bytes = html.write_pdf()
    return out


def write(
    output: str | Path,
    country: str = "DK",
    *,
    on: date | None = None,
    data: str | Path | None = None,
    reference: str | None = None,
    year: int | None = None,
    lang: Lang = "en",
) -> WrittenFactsheet:
    """Generate the factsheet into ``output``; ``.html`` or ``.pdf`` picks the format."""
    path = Path(output)
    form = FORMATS.get(path.suffix.lower())
    if form is None:
        raise _bad(
            "bad-output",
            f"{path.name}: skriv til en fil, der ender på .html eller .pdf",
            f"{path.name}: write to a file ending in .html or .pdf",
            location=Location(file=str(path)),
        )
    f = factsheet(country, on=on, data=data, reference=reference, year=year, lang=lang)
    content = render_pdf(f) if form == "pdf" else render_html(f).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise _bad(
            "cannot-write",
            f"kan ikke skrive {path}: {exc.strerror or exc}",
            f"cannot write {path}: {exc.strerror or exc}",
            location=Location(file=str(path)),
        ) from exc
    return WrittenFactsheet(
        path=str(path),
        format="pdf" if form == "pdf" else "html",
        bytes=len(content),
        warnings=f.warnings,
    )


__all__ = [
    "Factsheet",
    "FactsheetTable",
    "WrittenFactsheet",
    "factsheet",
    "render_body",
    "render_html",
    "render_pdf",
    "stylesheet",
    "write",
]
