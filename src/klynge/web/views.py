"""What the pages show, as plain values in one language, built from the application layer.

The templates never see a record or a service model: they get these small, already-worded
shapes. This is the one module of ``klynge.web`` that asks for data, so the pages stay
parse → call → render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from klynge.i18n import Lang
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
# They read the bundled landscape and the router through their public Python entry points, which
# are immutable per process; registry pages will go through ``klynge.services``.


def _land():  # type: ignore[no-untyped-def]
    from klynge.landscape import get_landscape

    return get_landscape()


def _place(office, headquarters: bool, lang: Lang) -> Place:  # type: ignore[no-untyped-def]
    land = _land()
    m = land.municipality(office.municipality)
    region = land.regions.get(m.nuts2) if m else None
    return Place(
        town=office.town,
        municipality=office.municipality,
        region=m.nuts2 if m else None,
        region_name=region.name.get(lang) if region else None,
        note=office.note.get(lang) if office.note else None,
        headquarters=headquarters,
    )


def _cluster_row(c, on: date, lang: Lang, *, last_known: bool = False) -> ClusterRow:  # type: ignore[no-untyped-def]
    land = _land()
    area = land.areas[c.area]
    return ClusterRow(
        slug=c.slug,
        name=c.name,
        area=c.area,
        area_name=area.name.get(lang),
        scope=c.scope.get(lang),
        website=c.website,
        headquarters=_place(c.headquarters, True, lang) if c.headquarters else None,
        offices=[_place(o, False, lang) for o in c.offices],
        active=c.active_on(on),
        last_known=last_known,
    )


def caveats(on: date, lang: Lang) -> list[str]:
    """What a reader must know about the day: chiefly, a programme whose list is unknown."""
    land = _land()
    out = []
    for p in land.programmes_on(on):
        if p.kind == "cluster-programme" and p.clusters is None:
            named = len(land.clusters_on(on))
            funded = p.organisations_funded
            out.append(
                gettext(
                    lang,
                    "%(programme)s funds %(funded)s organisations, but the sources name only "
                    "%(named)s of them. The others are shown as unknown, with the area's last "
                    "known organisation where there is one.",
                )
                % {
                    "programme": p.name.get(lang),
                    "funded": funded if funded is not None else "?",
                    "named": named,
                }
            )
    return out


def landscape(on: date, lang: Lang) -> Landscape:
    land = _land()
    areas: list[AreaRow] = []
    rows: dict[str, ClusterRow] = {}
    for a in land.areas.values():
        st = land.area_status(a.slug, on)
        if a.kind == "stronghold":
            kind = gettext(lang, "stronghold")
        else:
            kind = gettext(lang, "emerging area")
        link = None
        if st.state == "active" and st.cluster is not None:
            link = Link(st.cluster.name, f"/clusters/{st.cluster.slug}")
            text = ""
            rows[st.cluster.slug] = _cluster_row(st.cluster, on, lang)
        elif st.state == "unknown":
            if st.last_known is not None:
                link = Link(st.last_known.name, f"/clusters/{st.last_known.slug}")
                text = gettext(lang, "Unknown for this day. Last known:")
                rows[st.last_known.slug] = _cluster_row(st.last_known, on, lang, last_known=True)
            elif st.ended is not None:
                link = Link(st.ended.name, f"/clusters/{st.ended.slug}")
                text = gettext(lang, "Unknown for this day. The last one's term ended early:")
            else:
                text = gettext(lang, "Unknown for this day: the sources do not give the list.")
        elif st.state == "no-cluster-effort":
            text = gettext(lang, "No cluster effort: destination companies serve this area.")
        else:
            text = gettext(lang, "No cluster organisation on this day.")
            if st.ended is not None:
                link = Link(st.ended.name, f"/clusters/{st.ended.slug}")
                text = gettext(lang, "No cluster organisation on this day. The last one:")
        areas.append(AreaRow(a.slug, a.name.get(lang), kind, st.state, link, text))
    programmes = [
        ProgrammeRow(
            slug=p.slug,
            name=p.name.get(lang),
            period=period(p.start, p.end, lang),
            budget=dkk(p.budget_dkk_million, lang),
            funded=(
                str(p.organisations_funded)
                if p.organisations_funded is not None
                else gettext(lang, "unknown")
            ),
            list_known=p.clusters is not None or p.kind != "cluster-programme",
        )
        for p in land.programmes_on(on)
    ]
    clusters = list(rows.values())
    return Landscape(
        on=on,
        on_text=long_date(on, lang) or "",
        caveats=caveats(on, lang),
        areas=areas,
        clusters=clusters,
        programmes=programmes,
        unknown_headquarters=[c.name for c in clusters if c.headquarters is None],
    )


def has_cluster(slug: str) -> bool:
    return slug in _land().clusters


def cluster_page(slug: str, on: date, lang: Lang) -> ClusterPage:
    land = _land()
    c = land.clusters[slug]
    area = land.areas[c.area]
    return ClusterPage(
        row=_cluster_row(c, on, lang),
        full_name=c.full_name.get(lang) if c.full_name else None,
        area_scope=area.scope.get(lang),
        terms=[period(t.start, t.end, lang) for t in c.terms],
        events=[(long_date(e.on, lang) or "", e.text.get(lang)) for e in c.events],
        note=c.note.get(lang) if c.note else None,
        sources=[source_link(s) for s in c.sources],
        on_text=long_date(on, lang) or "",
        caveats=caveats(on, lang),
    )


def region_name(code: str, lang: Lang) -> str | None:
    r = _land().regions.get(code)
    return r.name.get(lang) if r else None


def region_names(lang: Lang) -> dict[str, str]:
    return {code: r.name.get(lang) for code, r in _land().regions.items()}


def find(text: str | None, nace: str | None, on: date, lang: Lang) -> Found:
    """Route one company; raises ``ValueError`` (a ``RoutingInputError``) for unreadable input."""
    from klynge.routing import route

    land = _land()
    result = route(text=text or None, nace=nace or None, on=on, lang=lang)
    hits = []
    for h in result.clusters:
        c = land.clusters.get(h.slug) if h.slug else None
        hits.append(
            Hit(
                cluster=_cluster_row(c, on, lang, last_known=not h.certain) if c else None,
                area_name=land.areas[h.area].name.get(lang),
                explanation=h.explanation,
                certain=h.certain,
            )
        )
    return Found(
        outcome=result.outcome,
        hits=hits,
        explanation=result.explanation,
        caveats=caveats(on, lang),
        on_text=long_date(on, lang) or "",
    )
