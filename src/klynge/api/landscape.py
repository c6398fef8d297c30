"""API routes for the landscape capability: parse, call `klynge.services.landscape`, render.

The landscape cannot change while the process runs, so each answer is serialised once and kept
as bytes, with its ETag, in a bounded LRU keyed by the endpoint and every parameter (the date,
the language, the filters, the page). A repeated request costs a dictionary look-up and a
``Response``: no service call and no pydantic validation. ``response_model`` documents the same
model the CLI prints under ``--json``.
"""

from __future__ import annotations

import contextlib
import re
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Hashable
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, BeforeValidator
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from klynge.api.common import PROBLEM_JSON, PROBLEM_RESPONSES, cached_json, etag_for, negotiate_lang
from klynge.errors import ErrorBody, KlyngeError
from klynge.i18n import Lang
from klynge.landscape.export import LandscapeDocument
from klynge.landscape.model import AreaKind
from klynge.services import landscape as svc
from klynge.services.common import MAX_LIMIT
from klynge.services.landscape_models import (
    AreaDetail,
    AreaList,
    ClusterDetail,
    ClusterList,
    FocalPointChecks,
    FocalPointList,
    Geography,
    ProgrammeDetail,
    ProgrammeList,
    Record,
    RegionList,
)

RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    304: {"description": "Not modified (If-None-Match) / Uændret"},
    409: {
        "model": ErrorBody,
        "content": {PROBLEM_JSON: {}},
        "description": "Ambiguous name / Tvetydigt navn",
    },
    503: {
        "model": ErrorBody,
        "content": {PROBLEM_JSON: {}},
        "description": "The landscape data is broken / Landskabets data er i stykker",
    },
}

# -- the cache of serialised answers ------------------------------------------------------------
CACHE_SIZE = 1024
_cache: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
# The same answers keyed by the raw request (path, query string, Accept-Language, today's date),
# so that a repeated request skips FastAPI's parameter parsing too (see ``CachedRoute``).
_raw: OrderedDict[Hashable, tuple[bytes, str, str]] = OrderedDict()


def _keep(cache: OrderedDict[Hashable, Any], key: Hashable, value: Any) -> None:
    cache[key] = value
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def _raw_key(scope: Scope) -> Hashable:
    accept = None
    for name, value in scope["headers"]:
        if name == b"accept-language":
            accept = value
            break
    return (scope["path"], scope["query_string"], accept, date.today())


def _serialise(produce: Callable[[], BaseModel]) -> tuple[bytes, str]:
    body = produce().model_dump_json().encode()
    return body, etag_for(body)


async def _answer(
    request: Request, lang: Lang, key: Hashable, produce: Callable[[], BaseModel]
) -> Response:
    """The cached bytes for ``key``; on a miss, compute them in the thread pool and keep them.

    The caches are only touched on the event loop's thread, so they need no lock.
    """
    hit = _cache.get(key)
    if hit is None:
        hit = await run_in_threadpool(_serialise, produce)
        _keep(_cache, key, hit)
    _keep(_raw, _raw_key(request.scope), (*hit, lang))
    return cached_json(request, hit[0], lang=lang, etag=hit[1])


class CachedRoute(APIRoute):
    """A route that answers a request it has answered before straight from ``_raw``.

    Only successful answers are kept, and the key holds everything the answer depends on, so a
    hit is exactly what the full path (validation, service, serialisation) would return.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        full = super().get_route_handler()

        async def handler(request: Request) -> Response:
            hit = _raw.get(_raw_key(request.scope))
            if hit is None:
                return await full(request)
            body, etag, lang = hit
            return cached_json(request, body, lang=lang, etag=etag)  # type: ignore[arg-type]

        return handler


def clear_cache() -> None:
    _cache.clear()
    _raw.clear()


router = APIRouter(tags=["landscape"], route_class=CachedRoute)


# -- parameters ---------------------------------------------------------------------------------
LangQuery = Annotated[
    str | None,
    Query(
        pattern="^(da|en)$",
        description="Language of the text in the answer: da or en. "
        "Default: the Accept-Language header, else en.",
    ),
]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: pydantic alone would also read ``0`` as 1970-01-01."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        # A date error of pydantic's own kind, so field_problem words it in both languages.
        raise PydanticCustomError("date_parsing", "expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
OnQuery = Annotated[
    IsoDate | None,
    Query(
        description="The landscape in force on this date (YYYY-MM-DD). Default: the last day "
        "the records cover in full (2024-12-31), or today if earlier; the answer's `on_default` "
        "and a `default-date` caveat say when the default was used."
    ),
]
KindQuery = Annotated[
    AreaKind | None,
    Query(description="Only strongholds or only emerging areas."),
]


def _region_choices(schema: dict[str, Any]) -> None:
    """List the region codes and names in the schema, read from the landscape when it is asked.

    The server also accepts other spellings (any case, without accents, without "Region").
    """
    with contextlib.suppress(KlyngeError):  # broken data: the endpoints will say so
        schema["enum"] = svc.region_choices()


RegionQuery = Annotated[
    str | None,
    Query(
        max_length=80,
        description="Headquarters in this NUTS 2 region: a code (DK04) or a name in Danish "
        "or English (Region Midtjylland, Central Denmark Region). Case, accents and the word "
        "'Region' do not matter, so 'midtjylland' and 'central denmark' work too.",
        json_schema_extra=_region_choices,
    ),
]
OffsetQuery = Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many items.")]
LimitQuery = Annotated[
    int | None, Query(ge=1, le=MAX_LIMIT, description="At most this many items. Default: all.")
]
NameParam = Annotated[str, Path(min_length=1, max_length=200, description="A slug, name or alias.")]


def _lang(request: Request, lang: str | None) -> Lang:
    return negotiate_lang(lang, request.headers.get("accept-language"))


def _day(on: date | None) -> date | None:
    """The date as given: ``None`` lets the service apply the one default rule and say so.

    The default (the last day the records cover in full, or today if earlier) changes only with
    the data, so a cached answer for ``None`` stays right; the raw cache keys on today anyway.
    """
    return on


# -- endpoints ----------------------------------------------------------------------------------
@router.get("/areas", response_model=AreaList, responses=RESPONSES)
async def get_areas(
    request: Request,
    on: OnQuery = None,
    lang: LangQuery = None,
    kind: KindQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = None,
) -> Response:
    """The business and technology areas and who held each on the day."""
    lg, day = _lang(request, lang), _day(on)
    key = ("areas", day, lg, kind, offset, limit)
    return await _answer(request, lg, key, partial(svc.list_areas, day, lg, kind, offset, limit))


@router.get("/areas/{slug}", response_model=AreaDetail, responses=RESPONSES)
async def get_area(
    request: Request, slug: NameParam, on: OnQuery = None, lang: LangQuery = None
) -> Response:
    """One area in full, with its cluster organisation on the day."""
    lg, day = _lang(request, lang), _day(on)
    return await _answer(
        request, lg, ("area", slug, day, lg), partial(svc.show_area, slug, day, lg)
    )


@router.get("/clusters", response_model=ClusterList, responses=RESPONSES)
async def get_clusters(
    request: Request,
    on: OnQuery = None,
    lang: LangQuery = None,
    kind: KindQuery = None,
    region: RegionQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = None,
) -> Response:
    """The cluster organisations active on the day, by kind of area and headquarters region."""
    lg, day = _lang(request, lang), _day(on)
    key = ("clusters", day, lg, kind, region, offset, limit)
    return await _answer(
        request, lg, key, partial(svc.list_clusters, day, lg, kind, region, offset, limit)
    )


@router.get("/clusters/{slug}", response_model=ClusterDetail, responses=RESPONSES)
async def get_cluster(
    request: Request, slug: NameParam, on: OnQuery = None, lang: LangQuery = None
) -> Response:
    """One cluster organisation in full."""
    lg, day = _lang(request, lang), _day(on)
    return await _answer(
        request, lg, ("cluster", slug, day, lg), partial(svc.show_cluster, slug, day, lg)
    )


@router.get("/clusters/{slug}/focal-points", response_model=FocalPointChecks, responses=RESPONSES)
async def get_cluster_focal_points(
    request: Request, slug: NameParam, on: OnQuery = None, lang: LangQuery = None
) -> Response:
    """One cluster organisation checked against the four focal points."""
    lg, day = _lang(request, lang), _day(on)
    return await _answer(
        request,
        lg,
        ("cluster-focal-points", slug, day, lg),
        partial(svc.check_focal_points, slug, day, lg),
    )


@router.get("/programmes", response_model=ProgrammeList, responses=RESPONSES)
async def get_programmes(
    request: Request,
    on: OnQuery = None,
    lang: LangQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = None,
) -> Response:
    """The strategies and cluster programmes, each marked in force on the day or not."""
    lg, day = _lang(request, lang), _day(on)
    key = ("programmes", day, lg, offset, limit)
    return await _answer(request, lg, key, partial(svc.list_programmes, day, lg, offset, limit))


@router.get("/programmes/{slug}", response_model=ProgrammeDetail, responses=RESPONSES)
async def get_programme(
    request: Request, slug: NameParam, on: OnQuery = None, lang: LangQuery = None
) -> Response:
    """One strategy or cluster programme in full: funders, budget, instruments."""
    lg, day = _lang(request, lang), _day(on)
    return await _answer(
        request, lg, ("programme", slug, day, lg), partial(svc.show_programme, slug, day, lg)
    )


@router.get("/regions", response_model=RegionList, responses=RESPONSES)
async def get_regions(
    request: Request,
    on: OnQuery = None,
    lang: LangQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = None,
) -> Response:
    """The NUTS 2 regions and the cluster organisations headquartered in each on the day."""
    lg, day = _lang(request, lang), _day(on)
    key = ("regions", day, lg, offset, limit)
    return await _answer(request, lg, key, partial(svc.list_regions, day, lg, offset, limit))


@router.get("/geography", response_model=Geography, responses=RESPONSES)
async def get_geography(
    request: Request,
    on: OnQuery = None,
    lang: LangQuery = None,
) -> Response:
    """Where the clusters sit, by region and part of the country, checked against the sources."""
    lg = _lang(request, lang)
    return await _answer(request, lg, ("geography", on, lg), partial(svc.geography, on, lg))


@router.get("/lookup", response_model=Record, responses=RESPONSES)
async def get_lookup(
    request: Request,
    name: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="A slug, name or alias in Danish or English; typos are forgiven.",
        ),
    ],
    on: OnQuery = None,
    lang: LangQuery = None,
) -> Response:
    """One area, cluster or programme from what a person types (``klynge show``).

    The answer's ``type`` says which. An ambiguous name is 409 with the candidates under
    ``errors``; an unknown one is 404 with suggestions.
    """
    lg, day = _lang(request, lang), _day(on)
    return await _answer(request, lg, ("lookup", name, day, lg), partial(svc.lookup, name, day, lg))


@router.get("/focal-points", response_model=FocalPointList, responses=RESPONSES)
async def get_focal_points(
    request: Request,
    lang: LangQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = None,
) -> Response:
    """The four focal points (sigtelinjer) cluster organisations are checked against."""
    lg = _lang(request, lang)
    key = ("focal-points", lg, offset, limit)
    return await _answer(request, lg, key, partial(svc.list_focal_points, lg, offset, limit))


@router.get("/landscape", response_model=LandscapeDocument, responses=RESPONSES)
async def get_landscape_document(request: Request, lang: LangQuery = None) -> Response:
    """Every record in both languages: the document ``klynge export-landscape`` writes."""
    lg = _lang(request, lang)
    return await _answer(request, lg, ("landscape",), svc.export_landscape)
