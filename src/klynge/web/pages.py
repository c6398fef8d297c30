"""The public pages: the landscape with its map, a cluster, a region, and find your cluster.

Each handler parses the request, asks :mod:`klynge.web.views` for what to show and renders a
template. Pages that depend only on the bundled data are served from the page cache.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from klynge.errors import KlyngeError
from klynge.i18n import Lang
from klynge.services import regions as regions_service
from klynge.web import mapsvg, views
from klynge.web.i18n import COOKIE, negotiate
from klynge.web.render import PAGES, gettext, html, render, static_files

router = APIRouter(include_in_schema=False)

#: The language cookie lasts a year; the switch is a plain link, so it needs no JavaScript.
COOKIE_AGE = 365 * 24 * 3600
#: A cluster page carries the registry's public figures: it is rendered again after this long.
FIGURES_TTL = 600.0


def lang_of(request: Request) -> Lang:
    return negotiate(request.cookies.get(COOKIE), request.headers.get("accept-language"))


def here(request: Request) -> str:
    q = request.url.query
    return request.url.path + (f"?{q}" if q else "")


def parse_day(raw: str | None) -> date | None:
    """``None`` for a missing or malformed day: the page then says so and shows today."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def error_page(request: Request, lang: Lang, status: int, title: str, message: str) -> Response:
    body = render(
        lang, "error.html", title=title, message=message, here=here(request), section=None
    )
    return html(body, lang=lang, status=status)


def not_found(request: Request, lang: Lang | None = None) -> Response:
    lang = lang or lang_of(request)
    return error_page(
        request,
        lang,
        404,
        gettext(lang, "Page not found"),
        gettext(lang, "There is no page at this address. The links below lead back."),
    )


def bad_day(request: Request, lang: Lang, raw: str) -> Response:
    return error_page(
        request,
        lang,
        422,
        gettext(lang, "Not a date"),
        gettext(lang, "The date %(value)s is not a date: write it as 2024-06-30.")
        % {"value": repr(raw)},
    )


def bad_year(request: Request, lang: Lang, raw: str) -> Response:
    return error_page(
        request,
        lang,
        422,
        gettext(lang, "Not a year"),
        gettext(lang, "%(value)s is not a year: write it with four digits, as 2018.")
        % {"value": repr(raw)},
    )


def map_for(land: views.Landscape, lang: Lang, on_query: str) -> object:
    names = views.region_names(lang)
    hq: dict[str, int] = dict.fromkeys(names, 0)
    offices: dict[str, int] = dict.fromkeys(names, 0)
    points = []
    for c in land.clusters:
        places = ([c.headquarters] if c.headquarters else []) + c.offices
        for p in places:
            if p.region in hq:
                (hq if p.headquarters else offices)[p.region] += 1
            if p.municipality:
                label = (
                    gettext(lang, "%(name)s: headquarters in %(town)s")
                    if p.headquarters
                    else gettext(lang, "%(name)s: office in %(town)s")
                ) % {"name": c.name, "town": p.town}
                points.append(
                    mapsvg.MapPoint(
                        municipality=p.municipality,
                        label=label,
                        href=f"/clusters/{c.slug}{on_query}",
                        headquarters=p.headquarters,
                    )
                )
    regions = [
        mapsvg.MapRegion(
            code=code,
            name=name,
            href=f"/regions/{code}{on_query}",
            tooltip=gettext(lang, "%(region)s: %(hq)s headquarters, %(offices)s offices")
            % {"region": name, "hq": hq[code], "offices": offices[code]},
        )
        for code, name in names.items()
    ]
    return mapsvg.render(
        regions,
        points,
        title=gettext(lang, "Map of Denmark's regions with the cluster organisations"),
        description=gettext(
            lang,
            "Each region links to its clusters. Large dots are headquarters, small dots "
            "offices. The same facts are in the tables beside the map.",
        ),
    )


DayQuery = Annotated[str | None, Query(alias="on")]


@router.get("/", response_class=Response)
def home(request: Request, on: DayQuery = None) -> Response:
    lang = lang_of(request)
    today = date.today()
    day = parse_day(on)
    if on and day is None:
        return bad_day(request, lang, on)
    shown = day or today

    def build() -> str:
        land = views.landscape(shown, lang)
        return render(
            lang,
            "home.html",
            land=land,
            map=map_for(land, lang, f"?on={shown.isoformat()}" if day else ""),
            here=here(request),
            section="home",
        )

    return PAGES.get_or_render(request, lang, today, build)


@router.get("/clusters/{slug}", response_class=Response)
def cluster(request: Request, slug: str, on: DayQuery = None) -> Response:
    lang = lang_of(request)
    today = date.today()
    day = parse_day(on)
    if on and day is None:
        return bad_day(request, lang, on)
    hit = PAGES.cached(request, lang, today)
    if hit is not None:
        return hit
    canonical = views.canonical_cluster(slug)
    if canonical is None:
        return not_found(request, lang)
    if canonical != slug:
        # A name, an alias or a typo: send the reader to the cluster's own address.
        q = request.url.query
        return RedirectResponse(f"/clusters/{canonical}" + (f"?{q}" if q else ""), 308)
    return PAGES.get_or_render(
        request,
        lang,
        today,
        lambda: render(
            lang,
            "cluster.html",
            page=views.cluster_page(slug, day or today, lang),
            page_figures=views.public_figures(slug, lang),
            here=here(request),
            section="home",
        ),
        ttl=FIGURES_TTL,
    )


@router.get("/regions/{code}", response_class=Response)
def region(request: Request, code: str, on: DayQuery = None) -> Response:
    lang = lang_of(request)
    today = date.today()
    day = parse_day(on)
    if on and day is None:
        return bad_day(request, lang, on)
    name = views.region_name(code.upper(), lang)
    if name is None:
        return not_found(request, lang)

    def build() -> str:
        land = views.landscape(day or today, lang)
        hq = [c for c in land.clusters if c.headquarters and c.headquarters.region == code]
        offices = [(c, o) for c in land.clusters for o in c.offices if o.region == code]
        return render(
            lang,
            "region.html",
            name=name,
            land=land,
            hq=hq,
            offices=offices,
            here=here(request),
            section="home",
        )

    return PAGES.get_or_render(request, lang, today, build)


@router.get("/find", response_class=Response)
def find(
    request: Request,
    q: Annotated[str | None, Query(max_length=2000)] = None,
    nace: Annotated[str | None, Query(max_length=12)] = None,
    on: DayQuery = None,
) -> Response:
    lang = lang_of(request)
    today = date.today()
    text = (q or "").strip()
    code = (nace or "").strip()
    context = {"q": text, "nace": code, "here": here(request), "section": "find"}
    if not text and not code:
        return PAGES.get_or_render(
            request, lang, today, lambda: render(lang, "find.html", found=None, **context)
        )
    day = parse_day(on)
    if on and day is None:
        return bad_day(request, lang, on)
    try:
        found = views.find(text, code, day or today, lang)
    except KlyngeError as exc:
        message = exc.message.get(lang)
        return html(
            render(lang, "find.html", found=None, error=message, **context),
            lang=lang,
            status=422,
        )
    return html(render(lang, "find.html", found=found, **context), lang=lang)


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/") -> Response:
    """Remember the reader's language in a cookie and go back to the page they were on."""
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    if urlsplit(target).netloc:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if code in ("da", "en"):
        response.set_cookie(COOKIE, code, max_age=COOKIE_AGE, httponly=True, samesite="lax")
    return response


@router.get("/static/{name}")
def static(name: str) -> Response:
    found = static_files().get(name)
    if found is None:
        return PlainTextResponse("not found", status_code=404)
    body, media_type = found
    return Response(
        body,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@router.get("/map/notice")
def map_notice() -> Response:
    return PlainTextResponse((mapsvg.MAP_DIR / "NOTICE").read_text(encoding="utf-8"))


# -- regional specialisation ----------------------------------------------------------------------
REFERENCES = ("country", "sum", "EU27")


def _spec_params(year: str | None, reference: str | None) -> tuple[int | None, str] | None:
    ref = reference if reference in REFERENCES else "country"
    if not year:
        return None, ref
    return (int(year), ref) if year.isdigit() and len(year) == 4 else None


def _spec_page(
    request: Request,
    lang: Lang,
    *,
    result: views.Specialisation | None,
    sample_problem: str | None,
    error: str | None,
    year: int | None,
    reference: str,
    status: int = 200,
) -> Response:
    body = render(
        lang,
        "specialisation.html",
        result=result,
        sample_problem=sample_problem,
        error=error,
        year=year or "",
        reference=reference,
        references=REFERENCES,
        here=here(request),
        section="specialisation",
    )
    return html(body, lang=lang, status=status)


@router.get("/specialisation", response_class=Response)
def specialisation(
    request: Request,
    year: Annotated[str | None, Query(max_length=4)] = None,
    reference: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The server's sample dataset (``$KLYNGE_REGIONS_SAMPLE``), or the form to upload one."""
    lang = lang_of(request)
    params = _spec_params(year, reference)
    if params is None:
        return bad_year(request, lang, year or "")
    y, ref = params
    try:
        sample = regions_service.sample()
    except KlyngeError as exc:
        return _spec_page(
            request,
            lang,
            result=None,
            sample_problem=exc.message.get(lang),
            error=None,
            year=y,
            reference=ref,
        )

    def build() -> str:
        result = views.specialisation(
            sample.path, sample.name, year=y, reference=ref, lang=lang, api_query=""
        )
        return render(
            lang,
            "specialisation.html",
            result=result,
            sample_problem=None,
            error=None,
            year=y or "",
            reference=ref,
            references=REFERENCES,
            here=here(request),
            section="specialisation",
        )

    return PAGES.get_or_render(request, lang, date.today(), build)


@router.post("/specialisation", response_class=Response)
async def specialisation_upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    year: Annotated[str | None, Form(max_length=4)] = None,
    reference: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    """An uploaded dataset: the same tables, with the downloads carried in the page.

    Computing changes nothing on the server, so this form needs no CSRF token.
    """
    lang = lang_of(request)
    params = _spec_params(year, reference)
    if params is None:
        return bad_year(request, lang, year or "")
    y, ref = params
    content = await file.read()
    name = file.filename

    def compute() -> Response:
        try:
            with regions_service.uploads({"file": (name, content)}) as saved:
                up = saved["file"]
                result = views.specialisation(
                    up.path, up.name, year=y, reference=ref, lang=lang, api_query=None
                )
                downloads = views.uploaded_downloads(
                    up.path, up.name, year=y, reference=ref, lang=lang
                )
        except KlyngeError as exc:
            return _spec_page(
                request,
                lang,
                result=None,
                sample_problem=None,
                error=exc.text(lang),
                year=y,
                reference=ref,
                status=exc.status,
            )
        result = dataclasses.replace(result, downloads=downloads)
        return _spec_page(
            request,
            lang,
            result=result,
            sample_problem=None,
            error=None,
            year=y,
            reference=ref,
        )

    return await run_in_threadpool(compute)
