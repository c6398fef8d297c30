"""What the pages show, as plain values in one language, built from the application layer.

The templates never see a record or a service model: they get these small, already-worded
shapes. This is the one module of ``klynge.web`` that asks for data, so the pages stay
parse → call → render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from klynge.errors import KlyngeError
from klynge.i18n import Lang
from klynge.services import landscape as landscape_service
from klynge.services import regions as regions_service
from klynge.services import routing as routing_service
from klynge.services.landscape_models import AreaDetail, AreaItem, ClusterDetail
from klynge.web import mapsvg
from klynge.web.i18n import dkk_million, long_date, number, percent, translations


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None = None
    download: str | None = None


@dataclass(frozen=True)
class Place:
    town: str
    municipality: str | None
    region: str | None
    region_name: str | None
    note: str | None
    headquarters: bool


@dataclass(frozen=True)
class ClusterRow:
    slug: str
    name: str
    area: str
    area_name: str
    scope: str
    website: str | None
    headquarters: Place | None
    offices: list[Place]
    active: bool
    #: For a day whose list is unknown: this organisation was the area's last known one.
    last_known: bool = False


@dataclass(frozen=True)
class AreaRow:
    slug: str
    name: str
    kind: str
    state: str  # active | none | unknown | no-cluster-effort
    cluster: Link | None
    state_text: str


@dataclass(frozen=True)
class ProgrammeRow:
    slug: str
    name: str
    period: str
    budget: str | None
    funded: str | None
    list_known: bool


@dataclass(frozen=True)
class Landscape:
    on: date
    on_text: str
    caveats: list[str]
    areas: list[AreaRow]
    clusters: list[ClusterRow]
    programmes: list[ProgrammeRow]
    unknown_headquarters: list[str]


@dataclass(frozen=True)
class ClusterPage:
    row: ClusterRow
    full_name: str | None
    area_scope: str
    terms: list[str]
    events: list[tuple[str, str]]
    note: str | None
    sources: list[Link]
    on_text: str
    caveats: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    cluster: ClusterRow | None
    area_name: str
    explanation: str
    certain: bool
    sure: str = ""
    """The calibrated score as a whole percentage ("77 %" / "77%"): how often answers with
    this score are right."""


@dataclass(frozen=True)
class Found:
    outcome: str  # routed | none | no-cluster-for-area
    hits: list[Hit]
    explanation: str
    caveats: list[str]
    on_text: str


def gettext(lang: Lang, message: str) -> str:
    return translations(lang).gettext(message)


def period(start: date, end: date | None, lang: Lang) -> str:
    a = long_date(start, lang) or ""
    b = long_date(end, lang) if end else gettext(lang, "open-ended")
    return f"{a} – {b}"


def source_link(source: str) -> Link:
    if source.startswith(("http://", "https://")):
        return Link(source, source)
    return Link(source)


def dkk(value: float | None, lang: Lang) -> str | None:
    return dkk_million(value, lang)


# -- builders -----------------------------------------------------------------------------------
# Everything comes from ``klynge.services``; the map's municipality table says which region an
# office's municipality lies in.


@cache
def region_names(lang: Lang) -> dict[str, str]:
    """NUTS 2 code → the region's name (the regions do not change while the server runs)."""
    return {r.code: r.name for r in landscape_service.list_regions(lang=lang).items}


def region_name(code: str, lang: Lang) -> str | None:
    return region_names(lang).get(code)


def _place(town: str, municipality: str | None, note: str | None, hq: bool, lang: Lang) -> Place:
    region = mapsvg.shapes().regions_of.get(municipality or "")
    return Place(
        town=town,
        municipality=municipality,
        region=region,
        region_name=region_names(lang).get(region) if region else None,
        note=note,
        headquarters=hq,
    )


def _cluster_row(
    c: ClusterDetail, lang: Lang, *, last_known: bool = False, active: bool | None = None
) -> ClusterRow:
    hq = c.headquarters
    return ClusterRow(
        slug=c.slug,
        name=c.name,
        area=c.area,
        area_name=c.area_name,
        scope=c.scope,
        website=c.website,
        headquarters=_place(hq.town, hq.municipality, hq.note, True, lang) if hq else None,
        offices=[
            _place(o.town, o.municipality, o.note.get(lang) if o.note else None, False, lang)
            for o in c.record.offices
        ],
        active=c.active if active is None else active,
        last_known=last_known,
    )


@lru_cache(maxsize=128)
def _cluster_detail(slug: str, lang: Lang) -> ClusterDetail:
    """A cluster's record and fields; all but ``active`` are the same on every day."""
    return landscape_service.show_cluster(slug, None, lang)


def _cluster(slug: str, on: date, lang: Lang, *, last_known: bool = False) -> ClusterRow:
    c = _cluster_detail(slug, lang)
    return _cluster_row(c, lang, last_known=last_known, active=c.record.active_on(on))


def caveats(on: date, lang: Lang) -> list[str]:
    """What a reader must know about the day: chiefly, a programme whose list is unknown."""
    return [c.message for c in landscape_service.list_areas(on, lang).caveats]


def landscape(on: date, lang: Lang) -> Landscape:
    area_list = landscape_service.list_areas(on, lang)
    areas: list[AreaRow] = []
    rows: dict[str, ClusterRow] = {}
    for item in area_list.items:
        # Only an area nobody holds needs its detail (who held it last); the list says the rest.
        a: AreaItem | AreaDetail = item
        if item.cluster_state in ("unknown", "none"):
            a = landscape_service.show_area(item.slug, on, lang)
        if a.kind == "stronghold":
            kind = gettext(lang, "stronghold")
        else:
            kind = gettext(lang, "emerging area")
        link = None
        if a.cluster_state == "active" and a.cluster and a.cluster_name:
            link = Link(a.cluster_name, f"/clusters/{a.cluster}")
            text = ""
            rows[a.cluster] = _cluster(a.cluster, on, lang)
        elif a.cluster_state == "unknown" and isinstance(a, AreaDetail):
            if a.last_known is not None:
                link = Link(a.last_known.name, f"/clusters/{a.last_known.slug}")
                text = gettext(lang, "Unknown for this day. Last known:")
                rows[a.last_known.slug] = _cluster(a.last_known.slug, on, lang, last_known=True)
            elif a.ended is not None:
                link = Link(a.ended.name, f"/clusters/{a.ended.slug}")
                text = gettext(lang, "Unknown for this day. The last one's term ended early:")
            else:
                text = gettext(lang, "Unknown for this day: the sources do not give the list.")
        elif a.cluster_state == "no-cluster-effort":
            text = gettext(lang, "No cluster effort: destination companies serve this area.")
        else:
            text = gettext(lang, "No cluster organisation on this day.")
            if isinstance(a, AreaDetail) and a.ended is not None:
                link = Link(a.ended.name, f"/clusters/{a.ended.slug}")
                text = gettext(lang, "No cluster organisation on this day. The last one:")
        areas.append(AreaRow(a.slug, a.name, kind, a.cluster_state, link, text))
    programmes = [
        ProgrammeRow(
            slug=p.slug,
            name=p.name,
            period=period(p.start, p.end, lang),
            budget=dkk(p.budget_dkk_million, lang),
            funded=None if p.organisations_funded is None else str(p.organisations_funded),
            list_known=p.clusters is not None or p.kind != "cluster-programme",
        )
        for p in landscape_service.list_programmes(on, lang).items
        if p.in_force
    ]
    clusters = list(rows.values())
    return Landscape(
        on=on,
        on_text=long_date(on, lang) or "",
        caveats=[c.message for c in area_list.caveats],
        areas=areas,
        clusters=clusters,
        programmes=programmes,
        unknown_headquarters=[c.name for c in clusters if c.headquarters is None],
    )


def cluster_name(slug: str | None, lang: Lang) -> str | None:
    if slug is None:
        return None
    try:
        return _cluster_detail(slug, lang).name
    except KlyngeError:
        return slug


def canonical_cluster(name: str) -> str | None:
    """The slug a cluster's address names (forgiving case and typos), or None if none does."""
    try:
        return landscape_service.resolve(name, "cluster").slug
    except KlyngeError:
        return None


def _term(start: date, end: date | None, programme: str | None, lang: Lang) -> str:
    """A term as a period, with the programme that funded it when the records name one."""
    text = period(start, end, lang)
    if programme is None:
        return text
    try:
        name = landscape_service.show_programme(programme, lang=lang).name
    except KlyngeError:
        return text
    return f"{text} ({name})"


def cluster_page(slug: str, on: date, lang: Lang) -> ClusterPage:
    c = landscape_service.show_cluster(slug, on, lang)
    area = landscape_service.show_area(c.area, on, lang)
    record = c.record
    return ClusterPage(
        row=_cluster_row(c, lang),
        full_name=record.full_name.get(lang) if record.full_name else None,
        area_scope=area.scope,
        terms=[_term(t.start, t.end, t.programme, lang) for t in record.terms],
        events=[(long_date(e.on, lang) or "", e.text.get(lang)) for e in record.events],
        note=record.note.get(lang) if record.note else None,
        sources=[source_link(s) for s in record.sources],
        on_text=long_date(on, lang) or "",
        caveats=caveats(on, lang),
    )


def find(text: str | None, nace: str | None, on: date, lang: Lang) -> Found:
    """Route one company; raises an ``InvalidInput`` for input the router cannot read."""
    result = routing_service.route_text(text or None, nace or None, on=on, lang=lang)
    hits = [
        Hit(
            cluster=_cluster(h.slug, on, lang, last_known=not h.certain) if h.slug else None,
            area_name=h.area_name,
            explanation=h.explanation,
            certain=h.certain,
            sure=percent(round(h.score, 2), lang) or "",
        )
        for h in result.clusters
    ]
    return Found(
        outcome=result.outcome,
        hits=hits,
        explanation=result.explanation,
        caveats=caveats(on, lang),
        on_text=long_date(on, lang) or "",
    )


# -- regional specialisation ----------------------------------------------------------------------
@dataclass(frozen=True)
class NodeRow:
    region: str
    nodes: str
    top: list[tuple[str, str]]  # (label, LQ formatted)


@dataclass(frozen=True)
class NodeTable:
    title: str
    year: int | None
    rows: list[NodeRow]
    error: str | None = None


@dataclass(frozen=True)
class IndexLine:
    index: str
    subject: str
    first: str
    last: str
    change: str


@dataclass(frozen=True)
class Specialisation:
    source: str
    tables: list[NodeTable]
    indices: list[IndexLine]
    index_years: tuple[int, int] | None
    notes: list[str]
    charts: list[tuple[str, str]]  # (alt text, data: URI)
    downloads: list[Link]


def _fmt(value: float | None, lang: Lang, decimals: int) -> str:
    return "–" if value is None else number(value, lang, decimals=decimals)


def _nodes_table(
    path: Path, name: str, level: str, title: str, year: int | None, reference: str, lang: Lang
) -> tuple[NodeTable, list[str]]:
    try:
        t = regions_service.nodes(
            path,
            level=level,
            year=year,
            reference=reference,
            lang=lang,
            reference_files=False,
            shown_as={path: name},
        )
    except KlyngeError as exc:
        if level == "nace2":
            raise  # the file cannot be read at all: the page says so, not each table
        return NodeTable(title, year, [], error=exc.text(lang)), []
    rows = [
        NodeRow(
            region=f"{r.region} {r.region_name}" if r.region_name else r.region,
            nodes=gettext(lang, "unknown") if r.nodes is None else str(r.nodes),
            top=[
                (label, _fmt(lq, lang, 2))
                for label, lq in zip(r.top_labels, r.top_lq, strict=False)
            ],
        )
        for r in t.regions
    ]
    return NodeTable(title, t.year, rows), [w.message for w in t.warnings]


def _data_uri(media_type: str, content: bytes) -> str:
    import base64

    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def specialisation(
    path: Path,
    name: str,
    *,
    year: int | None,
    reference: str,
    lang: Lang,
    api_query: str | None,
) -> Specialisation:
    """Table 1 and Table 2, the indices and the charts of one dataset.

    ``api_query`` is set for the server's sample: the downloads then link to the API's CSV
    answers. An uploaded file's tables are small enough to travel inside the page instead.
    """
    notes: list[str] = []
    tables = []
    for level, title in (
        ("nace2", gettext(lang, "Table 1 layout: specialisation nodes by sector")),
        (
            "ecosystem",
            gettext(lang, "Table 2 layout: specialisation nodes by industrial ecosystem"),
        ),
    ):
        table, more = _nodes_table(path, name, level, title, year, reference, lang)
        tables.append(table)
        notes += [n for n in more if n not in notes]
    indices: list[IndexLine] = []
    years = None
    try:
        it = regions_service.indices(
            path, reference=reference, lang=lang, reference_files=False, shown_as={path: name}
        )
        years = (it.first_year, it.last_year)
        indices = [
            IndexLine(
                r.index.capitalize(),
                r.subject_label,
                _fmt(r.first, lang, 3),
                _fmt(r.last, lang, 3),
                _fmt(r.change, lang, 3),
            )
            for r in it.rows
        ]
        notes += [w.message for w in it.warnings if w.message not in notes]
    except KlyngeError as exc:
        notes.append(exc.text(lang))
    charts = []
    for kind, alt in (
        ("ecosystems", gettext(lang, "Graph 1: employment by industrial ecosystem")),
        ("organisations", gettext(lang, "Graph 2: cluster organisations by region")),
    ):
        try:
            drawn = regions_service.chart(
                kind,
                "svg",
                file=path if kind == "ecosystems" else None,
                reference=reference if kind == "ecosystems" else "EU27",
                year=year,
                lang=lang,
                reference_files=False,
                shown_as={path: name},
            )
        except KlyngeError:
            continue  # Table 2 already says why ecosystems cannot be computed
        charts.append((alt, _data_uri(drawn.media_type, drawn.content)))
    downloads = []
    if api_query is not None:
        base = f"?format=csv&lang={lang}&reference={reference}" + (f"&year={year}" if year else "")
        downloads = [
            Link(gettext(lang, "Table 1 (CSV)"), f"/api/v1/regions/nodes{base}&level=nace2"),
            Link(gettext(lang, "Location quotients (CSV)"), f"/api/v1/regions/lq{base}"),
        ]
        if tables[1].error is None:
            downloads.insert(
                1,
                Link(
                    gettext(lang, "Table 2 (CSV)"), f"/api/v1/regions/nodes{base}&level=ecosystem"
                ),
            )
        if indices:
            downloads.append(
                Link(
                    gettext(lang, "Indices (CSV)"),
                    f"/api/v1/regions/indices?format=csv&lang={lang}&reference={reference}",
                )
            )
    return Specialisation(name, tables, indices, years, notes, charts, downloads)


def uploaded_downloads(
    path: Path, name: str, *, year: int | None, reference: str, lang: Lang
) -> list[Link]:
    """The tables of an uploaded file as CSV files carried in the page (data: links)."""
    kw: dict[str, Any] = {
        "reference": reference,
        "lang": lang,
        "reference_files": False,
        "shown_as": {path: name},
    }
    out = []
    makers = [
        (
            "table1.csv",
            gettext(lang, "Table 1 (CSV)"),
            lambda: regions_service.nodes_csv(
                regions_service.nodes(path, level="nace2", year=year, **kw), lang
            ),
        ),
        (
            "table2.csv",
            gettext(lang, "Table 2 (CSV)"),
            lambda: regions_service.nodes_csv(
                regions_service.nodes(path, level="ecosystem", year=year, **kw), lang
            ),
        ),
        (
            "lq.csv",
            gettext(lang, "Location quotients (CSV)"),
            lambda: regions_service.lq_csv(regions_service.lq_table(path, year=year, **kw), lang),
        ),
        (
            "indices.csv",
            gettext(lang, "Indices (CSV)"),
            lambda: regions_service.indices_csv(regions_service.indices(path, **kw), lang),
        ),
    ]
    for filename, label, make in makers:
        try:
            body = make().encode("utf-8")
        except KlyngeError:
            continue
        if len(body) <= MAX_INLINE_CSV:
            out.append(Link(label, _data_uri("text/csv", body), download=filename))
    return out


#: A table larger than this is not put in the page; the API serves it (POST /api/v1/regions/...).
MAX_INLINE_CSV = 24 * 1024


# -- the staff area: a cluster's registry rows ----------------------------------------------------
#: The tables people browse. Reading contacts (personal data) is written to the audit log.
REGISTRY_TABLES = (
    "organisations",
    "memberships",
    "activities",
    "participations",
    "outcomes",
    "contacts",
    "headcounts",
)

#: Columns whose integers are amounts or counts (formatted with the language's separators);
#: every other integer (ids) and every code is shown as it is.
_COUNTS = {"employees", "funding_dkk", "private_cofinancing_dkk"}


def table_titles(lang: Lang) -> dict[str, str]:
    return {
        "organisations": gettext(lang, "Organisations"),
        "memberships": gettext(lang, "Memberships"),
        "activities": gettext(lang, "Activities"),
        "participations": gettext(lang, "Participations"),
        "outcomes": gettext(lang, "Outcomes"),
        "contacts": gettext(lang, "Contacts"),
        "headcounts": gettext(lang, "Head counts"),
    }


def column_labels(lang: Lang) -> dict[str, str]:
    return {
        "id": gettext(lang, "No."),
        "key": gettext(lang, "Key"),
        "cvr": gettext(lang, "CVR number"),
        "name": gettext(lang, "Name"),
        "kind": gettext(lang, "Kind"),
        "employees": gettext(lang, "Employees"),
        "employees_on": gettext(lang, "Employees counted on"),
        "municipality": gettext(lang, "Municipality"),
        "nuts2": gettext(lang, "Region (NUTS 2)"),
        "nace": gettext(lang, "Industry code (NACE)"),
        "country": gettext(lang, "Country"),
        "synthetic": gettext(lang, "Synthetic demo data"),
        "organisation": gettext(lang, "Organisation"),
        "cluster": gettext(lang, "Cluster"),
        "from_date": gettext(lang, "From"),
        "to_date": gettext(lang, "To"),
        "ref": gettext(lang, "Reference"),
        "type": gettext(lang, "Type"),
        "title": gettext(lang, "Title"),
        "start_date": gettext(lang, "Start"),
        "end_date": gettext(lang, "End"),
        "funding_source": gettext(lang, "Funding source"),
        "funding_dkk": gettext(lang, "Funding (DKK)"),
        "private_cofinancing_dkk": gettext(lang, "Private co-financing (DKK)"),
        "activity": gettext(lang, "Activity"),
        "role": gettext(lang, "Role"),
        "reported_on": gettext(lang, "Reported on"),
        "text": gettext(lang, "Text"),
        "email": gettext(lang, "E-mail"),
        "phone": gettext(lang, "Phone"),
        "language": gettext(lang, "Language"),
        "newsletter": gettext(lang, "Newsletter consent"),
        "matchmaking": gettext(lang, "Matchmaking consent"),
        "last_active_on": gettext(lang, "Last active on"),
        "counted_on": gettext(lang, "Counted on"),
    }


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    missing: bool = False


@dataclass(frozen=True)
class RowsPage:
    table: str
    title: str
    columns: list[tuple[str, str]]  # (field, label)
    rows: list[tuple[int, list[Cell]]]  # (id, cells)
    total: int
    first: int  # 1-based number of the first row shown (0 when none)
    last: int
    previous_offset: int | None
    next_offset: int | None
    personal: list[str]  # labels of the columns that may hold personal data


@dataclass(frozen=True)
class RowDetail:
    table: str
    table_title: str
    row_id: int
    title: str
    fields: list[tuple[str, Cell]]  # (label, value)


def cell(field_name: str, value: object, lang: Lang) -> Cell:
    from klynge.web.i18n import short_date

    if value is None or value == "":
        return Cell("–", missing=True)
    if isinstance(value, bool):
        return Cell(gettext(lang, "yes") if value else gettext(lang, "no"))
    if isinstance(value, date):
        return Cell(short_date(value, lang) or "")
    if isinstance(value, int) and field_name in _COUNTS:
        return Cell(number(value, lang, decimals=0), numeric=True)
    return Cell(str(value), numeric=isinstance(value, int))


def rows_page(page: Any, lang: Lang, personal: list[str]) -> RowsPage:
    """One page of a registry table (the services' ``RegistryPage``), worded for a table."""
    from klynge.services.registry import ROW_MODELS

    labels = column_labels(lang)
    fields = list(ROW_MODELS[page.table].model_fields)
    end = page.offset + len(page.items)
    return RowsPage(
        table=page.table,
        title=table_titles(lang)[page.table],
        columns=[(f, labels.get(f, f)) for f in fields],
        rows=[(r.id, [cell(f, getattr(r, f), lang) for f in fields]) for r in page.items],
        total=page.total,
        first=page.offset + 1 if page.items else 0,
        last=end,
        previous_offset=max(page.offset - page.limit, 0) if page.offset > 0 else None,
        next_offset=end if end < page.total else None,
        personal=[labels.get(f, f) for f in personal],
    )


def row_detail(table: str, row: Any, lang: Lang) -> RowDetail:
    labels = column_labels(lang)
    title = next(
        (str(getattr(row, f)) for f in ("name", "title", "key", "ref") if getattr(row, f, None)),
        f"{table_titles(lang)[table]} {row.id}",
    )
    return RowDetail(
        table=table,
        table_title=table_titles(lang)[table],
        row_id=row.id,
        title=title,
        fields=[(labels.get(f, f), cell(f, getattr(row, f), lang)) for f in type(row).model_fields],
    )


# -- editing a row --------------------------------------------------------------------------------
_DATES = {"employees_on", "from_date", "to_date", "start_date", "end_date", "reported_on"}
_DATES |= {"last_active_on"}
_NUMBERS = {"employees", "funding_dkk", "private_cofinancing_dkk"}
_BOOLS = {"newsletter", "matchmaking", "synthetic"}
BOOLEAN_FIELDS = frozenset(_BOOLS)
_LONG = {"text"}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # text | date | number | bool | select | textarea
    value: str
    checked: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    errors: list[str] = field(default_factory=list)
    editable: bool = True
    shown: str = ""  # the value as the row page shows it (fixed fields)


@dataclass(frozen=True)
class EditForm:
    table: str
    table_title: str
    row_id: int
    title: str
    fields: list[FormField]
    problems: list[str]  # problems that name no field
    personal: list[str]


def _choices(name: str, table: str, lang: Lang) -> list[tuple[str, str]]:
    from klynge.registry.model import ACTIVITY_TYPES, ORGANISATION_KINDS, OUTCOME_TYPES, ROLES

    if name == "kind" and table == "organisations":
        return [(k, t.get(lang)) for k, t in ORGANISATION_KINDS.items()]
    if name == "type" and table == "activities":
        return [(k, a.label.get(lang)) for k, a in ACTIVITY_TYPES.items()]
    if name == "type" and table == "outcomes":
        return [(k, t.get(lang)) for k, t in OUTCOME_TYPES.items()]
    if name == "role" and table == "participations":
        return [(k, t.get(lang)) for k, t in ROLES.items()]
    return []


def _form_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def edit_form(
    form: Any,
    lang: Lang,
    *,
    posted: dict[str, str] | None = None,
    problem: Any = None,
) -> EditForm:
    """A row's edit form (the services' ``RowForm``): each column with its input, the values
    just sent when they were refused, and every refusal beside its field."""
    labels = column_labels(lang)
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    if problem is not None:
        for text, loc in problem.details:
            column = loc.column if loc is not None else None
            if column:
                by_field.setdefault(column, []).append(text.get(lang))
            else:
                general.append(text.get(lang))
        if not problem.details:
            general.append(problem.message.get(lang))
    row = form.row
    fields: list[FormField] = []
    for name in type(row).model_fields:
        if name == "id":
            continue
        value = getattr(row, name)
        editable = name in form.editable
        text = _form_value(value)
        checked = bool(value) if isinstance(value, bool) else False
        if editable and posted is not None:
            if name in _BOOLS:
                checked = posted.get(name) == "true"
            else:
                text = posted.get(name, text)
        choices = _choices(name, form.table, lang)
        kind = (
            "bool"
            if name in _BOOLS
            else "select"
            if choices
            else "date"
            if name in _DATES
            else "number"
            if name in _NUMBERS
            else "textarea"
            if name in _LONG
            else "text"
        )
        fields.append(
            FormField(
                name=name,
                label=labels.get(name, name),
                kind=kind,
                value=text,
                checked=checked,
                options=choices,
                errors=by_field.pop(name, []),
                editable=editable,
                shown=dict(choices).get(text, cell(name, value, lang).text),
            )
        )
    for name, messages in by_field.items():  # a problem about a column the form does not show
        general += [f"{labels.get(name, name)}: {m}" for m in messages]
    title = next(
        (str(getattr(row, f)) for f in ("name", "title", "key", "ref") if getattr(row, f, None)),
        f"{table_titles(lang)[form.table]} {form.id}",
    )
    return EditForm(
        table=form.table,
        table_title=table_titles(lang)[form.table],
        row_id=form.id,
        title=title,
        fields=fields,
        problems=general,
        personal=[labels.get(f, f) for f in form.personal_data],
    )


@dataclass(frozen=True)
class Figures:
    """A cluster's public figures, worded for its page."""

    state: str
    synthetic: bool
    lines: list[tuple[str, str]]
    year: int | None
    counted: str


def public_figures(slug: str, lang: Lang) -> Figures:
    from datetime import UTC, datetime

    from klynge.services import rows as rows_service

    f = rows_service.public_figures(slug)
    counted = datetime.fromtimestamp(f.counted_at, tz=UTC).strftime("%H:%M UTC")
    lines: list[tuple[str, str]] = []
    if f.state == "figures":
        lines.append((gettext(lang, "Members today"), number(f.members_now or 0, lang, decimals=0)))
        lines.append(
            (
                gettext(lang, "Activities in the registry"),
                number(f.activities or 0, lang, decimals=0),
            )
        )
        if f.year is not None:
            lines += [
                (
                    gettext(lang, "Companies taking part in %(year)s") % {"year": f.year},
                    number(f.companies or 0, lang, decimals=0),
                ),
                (
                    gettext(lang, "of which with fewer than 50 employees"),
                    number(f.companies_fewer_than_50 or 0, lang, decimals=0),
                ),
                (
                    gettext(lang, "Activities in %(year)s") % {"year": f.year},
                    number(f.activities_in_year or 0, lang, decimals=0),
                ),
                (
                    gettext(lang, "Public funding of those activities"),
                    dkk_million((f.funding_dkk or 0) / 1e6, lang) or "",
                ),
            ]
    return Figures(f.state, f.synthetic, lines, f.year, counted)
