"""What the pages show, as plain values in one language, built from the application layer.

The templates never see a record or a service model: they get these small, already-worded
shapes. This is the one module of ``klynge.web`` that asks for data, so the pages stay
parse → call → render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from klynge.errors import KlyngeError
from klynge.i18n import Lang
from klynge.services import landscape as landscape_service
from klynge.services import routing as routing_service
from klynge.services.landscape_models import ClusterDetail
from klynge.web import mapsvg
from klynge.web.i18n import dkk_million, long_date, translations


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None = None


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
    funded: str
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


def _cluster(slug: str, on: date, lang: Lang, *, last_known: bool = False) -> ClusterRow:
    return _cluster_row(landscape_service.show_cluster(slug, on, lang), lang, last_known=last_known)


def caveats(on: date, lang: Lang) -> list[str]:
    """What a reader must know about the day: chiefly, a programme whose list is unknown."""
    return [c.message for c in landscape_service.list_areas(on, lang).caveats]


def landscape(on: date, lang: Lang) -> Landscape:
    area_list = landscape_service.list_areas(on, lang)
    areas: list[AreaRow] = []
    rows: dict[str, ClusterRow] = {}
    for item in area_list.items:
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
        elif a.cluster_state == "unknown":
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
            if a.ended is not None:
                link = Link(a.ended.name, f"/clusters/{a.ended.slug}")
                text = gettext(lang, "No cluster organisation on this day. The last one:")
        areas.append(AreaRow(a.slug, a.name, kind, a.cluster_state, link, text))
    programmes = [
        ProgrammeRow(
            slug=p.slug,
            name=p.name,
            period=period(p.start, p.end, lang),
            budget=dkk(p.budget_dkk_million, lang),
            funded=(
                str(p.organisations_funded)
                if p.organisations_funded is not None
                else gettext(lang, "unknown")
            ),
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


def canonical_cluster(name: str) -> str | None:
    """The slug a cluster's address names (forgiving case and typos), or None if none does."""
    try:
        return landscape_service.resolve(name, "cluster").slug
    except KlyngeError:
        return None


def cluster_page(slug: str, on: date, lang: Lang) -> ClusterPage:
    c = landscape_service.show_cluster(slug, on, lang)
    area = landscape_service.show_area(c.area, on, lang)
    record = c.record
    return ClusterPage(
        row=_cluster_row(c, lang),
        full_name=record.full_name.get(lang) if record.full_name else None,
        area_scope=area.scope,
        terms=[period(t.start, t.end, lang) for t in record.terms],
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
