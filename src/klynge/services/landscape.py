"""The landscape's use cases: areas, clusters, programmes, regions and geography on a date.

Every face (the CLI, the API, the web pages) calls these and renders what they return. Each
function takes plain values, returns a model from :mod:`klynge.services.landscape_models`, and
raises :class:`~klynge.errors.KlyngeError` subclasses: ``InvalidInput`` for an unknown kind or
region, ``NotFound``/``Ambiguous`` for names, ``LandscapeDataError`` (``Unavailable``) for broken
data. Names are resolved in one place, :func:`resolve`, which every lookup here and elsewhere
(focal points, accounts) uses.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rapidfuzz import fuzz

from klynge.context import current_lang
from klynge.errors import InvalidInput, NotFound
from klynge.i18n import Text
from klynge.landscape import AmbiguousName, Landscape, Match, get_landscape
from klynge.landscape import focal_points as fp_domain
from klynge.landscape import geography as geo_domain
from klynge.landscape.export import LandscapeDocument, landscape_document
from klynge.landscape.landscape import AreaStatus
from klynge.landscape.landscape import coverage_caveats as _domain_caveats
from klynge.landscape.model import Area, AreaKind, Cluster, Programme, Region
from klynge.landscape.resolve import KIND_NAMES, Kind, normalise
from klynge.services.common import Caveat, paginate
from klynge.services.landscape_models import (
    AreaDetail,
    AreaItem,
    AreaList,
    ClaimCheck,
    ClusterDetail,
    ClusterItem,
    ClusterList,
    ClusterRef,
    FocalPointCheck,
    FocalPointChecks,
    FocalPointItem,
    FocalPointList,
    Geography,
    Headquarters,
    Placement,
    ProgrammeDetail,
    ProgrammeItem,
    ProgrammeList,
    RegionItem,
    RegionList,
    RegionRef,
    SourceRef,
)


def landscape() -> Landscape:
    """The bundled landscape (validated once per process; broken data raises Unavailable)."""
    return get_landscape()


def _lang(lang: str | None) -> str:
    return lang if lang in ("da", "en") else current_lang()


def default_day() -> date:
    """The one default date of every landscape answer (and of any face that shows the landscape).

    It is the last day the records cover in full (the end of the last programme whose list of
    organisations the sources give: 2024-12-31), or today if that is earlier. Every answer given
    for the default says so in a ``default-date`` caveat and ``on_default``.
    """
    return landscape().default_day()


def _day(on: date | None) -> date:
    return on if on is not None else default_day()


def _default_caveat(on: date, lang: str) -> Caveat:
    from klynge.landscape import fmt

    text = Text(
        da=f"Ingen dato angivet: svaret gælder {fmt.day(on, 'da')}, den sidste dag, som data "
        "dækker fuldt (standarddatoen for alle kommandoer). Angiv en anden dato med --on "
        "(eller ?on=).",
        en=f"No date given: the answer is for {fmt.day(on, 'en')}, the last day the records cover "
        "in full (the default for every command). Give another date with --on (or ?on=).",
    )
    return Caveat(code="default-date", message=text.get(lang))


def caveats_on(on: date | None = None, lang: str | None = None) -> list[Caveat]:
    """Everything a reader must know to read an answer for ``on`` (default: :func:`default_day`).

    The default-date rule, days before or after the records, the 2025-2028 list the sources do
    not give, and terms dated only to a month or year. Any face or capability that shows the
    landscape on a date (regions organisations, charts, routing) carries these.
    """
    ls, lg = landscape(), _lang(lang)
    day = _day(on)
    out = [_default_caveat(day, lg)] if on is None else []
    return out + coverage_caveats(ls, day, lg)


def _dated(on: date | None, lang: str) -> dict[str, Any]:
    """The ``on``, ``on_default`` and ``caveats`` fields every dated answer carries."""
    return {"on": _day(on), "on_default": on is None, "caveats": caveats_on(on, lang)}


# -- parsing filters ----------------------------------------------------------------------------
_KINDS: dict[str, AreaKind] = {
    "stronghold": "stronghold",
    "strongholds": "stronghold",
    "styrkeposition": "stronghold",
    "styrkepositioner": "stronghold",
    "emerging": "emerging",
    "budding": "emerging",
    "spirende": "emerging",
    "spirende omraade": "emerging",
    "spirende omraader": "emerging",
}


def parse_kind(kind: str | None) -> AreaKind | None:
    """``stronghold`` or ``emerging`` (Danish words too); anything else is InvalidInput."""
    if kind is None or not kind.strip():
        return None
    found = _KINDS.get(normalise(kind))
    if found is None:
        raise InvalidInput(
            Text(
                da=f"ukendt type {kind!r}: brug 'stronghold' (styrkeposition) eller "
                "'emerging' (spirende område)",
                en=f"unknown kind {kind!r}: use 'stronghold' or 'emerging'",
            ),
            code="unknown-kind",
        )
    return found


_REGION_NOISE = frozenset({"region", "regionen", "of", "the", "denmark", "danmark"})
_REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "DK01": ("Capital Region", "Copenhagen region", "Hovedstadsregionen"),
    "DK02": ("Zealand", "Sjælland"),
    "DK03": ("South Denmark", "Southern Denmark", "Syddanmark"),
    "DK04": ("Central Jutland", "Mid Jutland", "Midtjylland", "Central Denmark"),
    "DK05": ("North Jutland", "Nordjylland", "North Denmark"),
}


def _region_key(text: str) -> str:
    return " ".join(w for w in normalise(text).split() if w not in _REGION_NOISE)


def resolve_region(text: str) -> Region:
    """A NUTS 2 region from its code (``DK04``) or its name in Danish or English.

    Case, accents and the words "Region", "of" and "Denmark" are ignored, so "Midtjylland",
    "region midtjylland", "Central Denmark" and "dk04" all give DK04; small typos are forgiven.
    """
    ls = landscape()
    code = text.strip().upper()
    if code in ls.regions:
        return ls.regions[code]
    names: dict[str, str] = {}
    for r in ls.regions.values():
        for variant in (r.name.da, r.name.en, *_REGION_ALIASES.get(r.code, ())):
            key = _region_key(variant)
            if key:
                names[key] = r.code
    query = _region_key(text)
    if query in names:
        return ls.regions[names[query]]
    if len(query) >= 4:
        scored = sorted(
            ((fuzz.ratio(query, key), c) for key, c in names.items()),
            reverse=True,
        )
        best = [c for s, c in scored if s >= 85]
        starts = {c for key, c in names.items() if key.startswith(query)}
        if best and len(set(best)) == 1:
            return ls.regions[best[0]]
        if len(starts) == 1:
            return ls.regions[starts.pop()]
    listing_da = ", ".join(f"{r.code} ({r.name.da})" for r in ls.regions.values())
    listing_en = ", ".join(f"{r.code} ({r.name.en})" for r in ls.regions.values())
    raise InvalidInput(
        Text(
            da=f"ukendt region {text!r}: brug en af {listing_da}",
            en=f"unknown region {text!r}: use one of {listing_en}",
        ),
        code="unknown-region",
    )


def region_choices() -> list[str]:
    """Every code and official name (Danish and English) :func:`resolve_region` accepts as is."""
    ls = landscape()
    return [
        *ls.regions,
        *(r.name.da for r in ls.regions.values()),
        *(r.name.en for r in ls.regions.values()),
    ]


# -- names --------------------------------------------------------------------------------------
def resolve(name: str, kind: Kind | None = None) -> Match:
    """The one resolver: a slug, name or alias to a record, optionally of one kind.

    With ``kind``, a tie between records of different kinds ("sound": the area and its
    cluster) is settled in favour of that kind, and a name that is clearly another kind of
    record is NotFound with a message saying what it is.
    """
    ls = landscape()
    try:
        match = ls.resolve(name)
    except AmbiguousName as exc:
        only = _of_kind(ls, exc.candidates, kind) if kind else []
        if len(only) > 1 and kind == "cluster":
            raise AmbiguousName(name, only) from None
        if len(only) != 1:
            raise
        match = only[0]
    if kind is not None and match.kind != kind:
        raise NotFound(
            Text(
                da=f"{name!r} er ikke {_a_da(kind)} {KIND_NAMES[kind].da} "
                f"(det er {_a_da(match.kind)} {KIND_NAMES[match.kind].da}: {match.slug})",
                en=f"{name!r} is not {_a_en(kind)} {KIND_NAMES[kind].en} "
                f"(it is {_a_en(match.kind)} {KIND_NAMES[match.kind].en}: {match.slug})",
            ),
            code=f"not-a-{kind}",
        )
    return match


def _of_kind(ls: Landscape, candidates: list[Match], kind: Kind) -> list[Match]:
    """The candidates of ``kind``; for clusters, an area candidate stands for its clusters."""
    out: dict[str, Match] = {}
    for m in candidates:
        if m.kind == kind:
            out.setdefault(m.slug, m)
        elif kind == "cluster" and m.kind == "area":
            for c in ls.clusters.values():
                if c.area == m.slug:
                    out.setdefault(c.slug, Match("cluster", c.slug, c.name, m.score))
    return list(out.values())


def _a_da(kind: Kind) -> str:
    return "en" if kind == "cluster" else "et"


def _a_en(kind: Kind) -> str:
    return "an" if kind == "area" else "a"


def resolve_cluster(name: str) -> Cluster:
    """A cluster organisation from a slug, name or alias (see :func:`resolve`)."""
    return landscape().clusters[resolve(name, "cluster").slug]


# -- caveats ------------------------------------------------------------------------------------
def fully_known_until(ls: Landscape) -> date | None:
    """The last day of the last cluster programme whose list of organisations is known."""
    return ls.fully_known_until


def coverage_caveats(ls: Landscape, on: date, lang: str) -> list[Caveat]:
    """The records' limits on ``on``: before or after them, an unknown list, imprecise dates."""
    return [Caveat(code=code, message=t.get(lang)) for code, t in _domain_caveats(ls, on)]


def _sources(ls: Landscape, refs: list[str]) -> list[SourceRef]:
    out = []
    for ref in refs:
        src = ls.sources.get(ref)
        out.append(
            SourceRef(ref=ref, title=ref, publisher="", date=None, url=None)
            if src is None
            else SourceRef(
                ref=ref,
                title=src.title,
                publisher=src.publisher,
                date=src.date,
                url=src.url,
                read=src.read,
            )
        )
    return out


def _headquarters_caveat(ls: Landscape, clusters: list[Cluster], lang: str) -> list[Caveat]:
    unplaced = [c.name for c in clusters if ls.cluster_nuts2(c.slug) is None]
    if not unplaced:
        return []
    head = ", ".join(unplaced[:-1])
    da = f"{head} og {unplaced[-1]}" if head else unplaced[-1]
    en = f"{head} and {unplaced[-1]}" if head else unplaced[-1]
    one = len(unplaced) == 1
    text = Text(
        da=f"Kilderne angiver ikke hovedsædet for {da}, så "
        + ("den" if one else "de")
        + " tælles ikke med i nogen region.",
        en=f"The sources do not give the headquarters of {en}, so "
        + ("it is" if one else "they are")
        + " not counted in any region.",
    )
    return [Caveat(code="headquarters-unknown", message=text.get(lang))]


# -- areas --------------------------------------------------------------------------------------
def _ref(c: Cluster | None) -> ClusterRef | None:
    if c is None:
        return None
    return ClusterRef(
        slug=c.slug,
        name=c.name,
        active_to=c.active_to,
        active_to_precision=c.last_term.end_precision,
    )


def _area_fields(a: Area, st: AreaStatus, lang: str) -> dict[str, Any]:
    return {
        "slug": a.slug,
        "kind": a.kind,
        "designated_by": a.designated_by,
        "cluster_effort": a.cluster_effort,
        "name": a.name.get(lang),
        "scope": a.scope.get(lang),
        "cluster": st.cluster.slug if st.cluster else None,
        "cluster_name": st.cluster.name if st.cluster else None,
        "cluster_state": st.state,
        "nace": list(a.nace),
        "search_terms": list(a.search_terms(lang)),
    }


def list_areas(
    on: date | None = None,
    lang: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> AreaList:
    """The business and technology areas, and who held each on ``on`` (see :func:`default_day`)."""
    ls, day, lg, k = landscape(), _day(on), _lang(lang), parse_kind(kind)
    items = [
        AreaItem(**_area_fields(a, ls.area_status(a.slug, day), lg))
        for a in ls.areas.values()
        if k is None or a.kind == k
    ]
    page = paginate(items, offset, limit)
    return AreaList(
        items=page.items,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        **_dated(on, lg),
        kind=k,
    )


def show_area(name: str, on: date | None = None, lang: str | None = None) -> AreaDetail:
    ls, day, lg = landscape(), _day(on), _lang(lang)
    a = ls.areas[resolve(name, "area").slug]
    st = ls.area_status(a.slug, day)
    return AreaDetail(
        **_area_fields(a, st, lg),
        **_dated(on, lg),
        last_known=_ref(st.last_known),
        ended=_ref(st.ended),
        record=a,
        sources=_sources(ls, a.sources),
    )


# -- clusters -----------------------------------------------------------------------------------
def _cluster_fields(ls: Landscape, c: Cluster, lang: str, day: date) -> dict[str, Any]:
    hq = c.headquarters
    nuts2 = ls.cluster_nuts2(c.slug)
    area = ls.areas[c.area]
    return {
        "slug": c.slug,
        "name": c.name,
        "aliases": list(c.aliases),
        "area": c.area,
        "area_name": area.name.get(lang),
        "kind": area.kind,
        "active_from": c.active_from,
        "active_to": c.active_to,
        "active_to_precision": c.last_term.end_precision,
        "status": "uncertain" if c.status_on(day) == "maybe" else "active",
        "headquarters": None
        if hq is None
        else Headquarters(
            town=hq.town,
            municipality=hq.municipality,
            nuts2=nuts2,
            region_name=ls.regions[nuts2].name.get(lang) if nuts2 else None,
            note=hq.note.get(lang) if hq.note else None,
        ),
        "website": c.website,
        "scope": c.scope.get(lang),
    }


def list_clusters(
    on: date | None = None,
    lang: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> ClusterList:
    """The cluster organisations active on ``on``, by kind of area and headquarters region.

    ``region`` is a NUTS 2 code or a region's name (see :func:`resolve_region`). Clusters whose
    headquarters the sources do not give match no region; a caveat names them.
    """
    ls, day, lg, k = landscape(), _day(on), _lang(lang), parse_kind(kind)
    reg = resolve_region(region) if region is not None and region.strip() else None
    listed = [c for c in ls.clusters.values() if c.status_on(day) != "no"]
    active = [c for c in listed if k is None or ls.areas[c.area].kind == k]
    chosen = [c for c in active if reg is None or ls.cluster_nuts2(c.slug) == reg.code]
    page = paginate([ClusterItem(**_cluster_fields(ls, c, lg, day)) for c in chosen], offset, limit)
    dated = _dated(on, lg)
    return ClusterList(
        items=page.items,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        on=dated["on"],
        on_default=dated["on_default"],
        caveats=dated["caveats"] + _headquarters_caveat(ls, active, lg),
        kind=k,
        region=None if reg is None else RegionRef(code=reg.code, name=reg.name.get(lg)),
    )


def show_cluster(name: str, on: date | None = None, lang: str | None = None) -> ClusterDetail:
    ls, day, lg = landscape(), _day(on), _lang(lang)
    c = resolve_cluster(name)
    dated = _dated(on, lg)
    return ClusterDetail(
        **_cluster_fields(ls, c, lg, day),
        on=dated["on"],
        on_default=dated["on_default"],
        caveats=dated["caveats"] + _headquarters_caveat(ls, [c], lg),
        active=c.active_on(day),
        record=c,
        sources=_sources(ls, c.sources),
    )


# -- programmes ---------------------------------------------------------------------------------
def _programme_fields(p: Programme, day: date, lang: str) -> dict[str, Any]:
    return {
        "slug": p.slug,
        "kind": p.kind,
        "name": p.name.get(lang),
        "start": p.start,
        "end": p.end,
        "in_force": p.in_force_on(day),
        "budget_dkk_million": p.budget_dkk_million,
        "organisations_funded": p.organisations_funded,
        "clusters": None if p.clusters is None else list(p.clusters),
    }


def _programme_caveats(programmes: list[Programme], lang: str) -> list[Caveat]:
    out = []
    for p in programmes:
        if p.kind == "cluster-programme" and p.clusters is None:
            text = Text(
                da=f"Kilderne nævner ikke de organisationer, som {p.name.da} støtter.",
                en=f"The sources do not name the organisations funded by {p.name.en}.",
            )
            out.append(Caveat(code="programme-list-unknown", message=text.get(lang)))
    return out


def list_programmes(
    on: date | None = None,
    lang: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> ProgrammeList:
    """The strategies and cluster programmes, oldest first, each marked in force on ``on``."""
    ls, day, lg = landscape(), _day(on), _lang(lang)
    programmes = list(ls.programmes.values())
    page = paginate(
        [ProgrammeItem(**_programme_fields(p, day, lg)) for p in programmes], offset, limit
    )
    dated = _dated(on, lg)
    return ProgrammeList(
        items=page.items,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        on=dated["on"],
        on_default=dated["on_default"],
        caveats=dated["caveats"] + _programme_caveats(programmes, lg),
    )


def show_programme(name: str, on: date | None = None, lang: str | None = None) -> ProgrammeDetail:
    ls, day, lg = landscape(), _day(on), _lang(lang)
    p = ls.programmes[resolve(name, "programme").slug]
    dated = _dated(on, lg)
    return ProgrammeDetail(
        **_programme_fields(p, day, lg),
        on=dated["on"],
        on_default=dated["on_default"],
        caveats=dated["caveats"] + _programme_caveats([p], lg),
        record=p,
        sources=_sources(ls, p.sources),
    )


def lookup(
    name: str, on: date | None = None, lang: str | None = None
) -> AreaDetail | ClusterDetail | ProgrammeDetail:
    """``klynge show``: one area, cluster or programme from a slug, name or alias."""
    match = resolve(name)
    if match.kind == "area":
        return show_area(match.slug, on, lang)
    if match.kind == "cluster":
        return show_cluster(match.slug, on, lang)
    return show_programme(match.slug, on, lang)


# -- regions and geography --------------------------------------------------------------------
def list_regions(
    on: date | None = None,
    lang: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> RegionList:
    """The NUTS 2 regions with the cluster organisations headquartered in each on ``on``."""
    ls, day, lg = landscape(), _day(on), _lang(lang)
    active = ls.clusters_on(day)
    items = [
        RegionItem(
            code=r.code,
            name=r.name.get(lg),
            clusters=[
                ClusterRef(slug=c.slug, name=c.name, active_to=c.active_to)
                for c in active
                if ls.cluster_nuts2(c.slug) == r.code
            ],
        )
        for r in ls.regions.values()
    ]
    page = paginate(items, offset, limit)
    dated = _dated(on, lg)
    return RegionList(
        items=page.items,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        on=dated["on"],
        on_default=dated["on_default"],
        caveats=dated["caveats"] + _headquarters_caveat(ls, active, lg),
    )


def geography(on: date | None = None, lang: str | None = None) -> Geography:
    """Where the clusters sit on ``on`` (see :func:`default_day`), checked against the sources.

    Each source's claim is checked against the clusters of the claim's own date.
    """
    ls, lg = landscape(), _lang(lang)
    day = _day(on)
    geo = geo_domain.place_clusters(ls, day)
    dated = _dated(on, lg)
    return Geography(
        on=dated["on"],
        on_default=dated["on_default"],
        caveats=dated["caveats"] + _headquarters_caveat(ls, ls.clusters_on(day), lg),
        placements=[Placement(**p.__dict__) for p in geo.placements],
        by_region=geo.by_region,
        by_part=geo.by_part,
        unknown=geo.unknown,
        region_names={code: r.name.get(lg) for code, r in ls.regions.items()},
        part_names={part: t.get(lg) for part, t in geo_domain.PARTS.items()},
        claims=[
            ClaimCheck(
                on=c.claim.on,
                text=c.claim.text.get(lg),
                claimed=c.claim.counts,
                found=c.found,
                missing=c.missing,
                verdict=c.verdict,
                explanation=c.explanation.get(lg),
                sources=c.claim.sources,
            )
            for c in geo.checks
        ],
    )


# -- focal points -------------------------------------------------------------------------------
def list_focal_points(
    lang: str | None = None, offset: int = 0, limit: int | None = None
) -> FocalPointList:
    """The four focal points (sigtelinjer) cluster organisations are checked against."""
    ls, lg = landscape(), _lang(lang)
    items = [
        FocalPointItem(
            slug=f.slug, text=f.text.get(lg), criterion=f.criterion.get(lg), sources=f.sources
        )
        for f in ls.focal_points
    ]
    page = paginate(items, offset, limit)
    return FocalPointList(items=page.items, total=page.total, offset=page.offset, limit=page.limit)


def check_focal_points(
    cluster: str, on: date | None = None, lang: str | None = None
) -> FocalPointChecks:
    """One cluster organisation checked against the focal points, as far as the data decides."""
    ls, day, lg = landscape(), _day(on), _lang(lang)
    c = resolve_cluster(cluster)
    return FocalPointChecks(
        **_dated(on, lg),
        cluster=c.slug,
        cluster_name=c.name,
        checks=[
            FocalPointCheck(
                focal_point=ch.focal_point.slug,
                text=ch.focal_point.text.get(lg),
                outcome=ch.outcome,
                reason=ch.reason.get(lg),
            )
            for ch in fp_domain.check_cluster(ls, c.slug, day)
        ],
    )


# -- export -------------------------------------------------------------------------------------
def export_landscape() -> LandscapeDocument:
    """Every record in both languages, for other programs (``klynge export-landscape``)."""
    return landscape_document(landscape())
