"""API routes for regional specialisation and the maturity index over `klynge.services.regions`.

* ``POST /regions/{lq,nodes,indices}``: an uploaded employment file (multipart field ``file``:
  Eurostat TSV, SDMX-CSV, long or wide CSV, Parquet; optionally ``mapping``, a NACE → ecosystem
  CSV, and for ``lq`` ``establishments``);
* ``GET /regions/{lq,nodes,indices}``: the same over the sample dataset the operator names in
  ``$KLYNGE_REGIONS_SAMPLE`` (404 ``no-sample`` without one);
* ``GET /regions/organisations?on=``: cluster organisations per NUTS 2 region on a day, and
  ``GET /regions/organisations/chart?on=&format=svg|png``: the same as Graph 2;
* ``GET /maturity/{country}?on=``: the ECCP maturity index.

Query parameters mirror the CLI's options. Answers are JSON (the same model ``--json`` prints)
or, with ``format=csv``, CSV whose last column holds the warnings; the ``X-Klynge-Warnings``
header counts them either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from klynge.api.common import PROBLEM_RESPONSES, LangDep, plain_problem
from klynge.i18n import Lang
from klynge.regions.thresholds import RELEVANCE, SPEC
from klynge.services import regions as svc

router = APIRouter(tags=["regions"])

CSV_MEDIA = "text/csv; charset=utf-8"
# A reference is a keyword or a region code: never a path on the server.
REFERENCE_PATTERN = r"^[A-Za-z0-9_]{1,40}$"
# Days as the CLI takes them. Parsed by the service: a plain ``date`` parameter would also take
# a number as a Unix time. The schema still says ``format: date`` so that clients know.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _day(description: str) -> Any:
    return Query(
        pattern=DATE_PATTERN, description=description, json_schema_extra={"format": "date"}
    )


DayToday = Annotated[str | None, _day("The day (YYYY-MM-DD). Default: today.")]
Format = Literal["json", "csv"]


def _responses(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "model": model,
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "JSON by default; CSV with format=csv (warnings in the last column).",
        },
        **PROBLEM_RESPONSES,
    }


class _Common(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    reference: str = Field(
        "country",
        pattern=REFERENCE_PATTERN,
        description="country, sum, EU27 or a region code in the file.",
    )
    activities: str | None = Field(
        None,
        max_length=2000,
        description="Comma-separated activities. Default: all, overlapping aggregates dropped.",
    )
    filter: list[Annotated[str, Field(pattern=r"^[^=]+=.*$", max_length=200)]] = Field(
        default_factory=list, description="DIM=VALUE for files with several units or indicators."
    )
    format: Format = Field("json", description="json or csv.")


class LQQuery(_Common):
    year: int | None = Field(None, description="Year to show. Default: the latest.")
    all_years: bool = Field(False, description="Every year, not one.")
    level: Literal["nace2", "ecosystem"] = "nace2"
    spec: float = Field(SPEC, ge=0, le=1e6, description="Specialisation threshold (LQ).")
    relevance: float = Field(RELEVANCE, ge=0, le=1, description="Relevance threshold (share).")
    strong: bool = Field(False, description="Add US Cluster Mapping 'strong cluster' flags.")
    region: list[str] = Field(
        default_factory=list, description="Show only these regions; LQs are unchanged."
    )


class NodesQuery(_Common):
    year: int | None = Field(None, description="Year to show. Default: the latest.")
    level: Literal["nace2", "ecosystem"] = "nace2"
    top: int | None = Field(
        None, ge=1, le=svc.MAX_TOP, description="Nodes per region. Default: 5 (nace2), 3."
    )
    spec: float = Field(SPEC, ge=0, le=1e6, description="Specialisation threshold (LQ).")
    relevance: float = Field(RELEVANCE, ge=0, le=1, description="Relevance threshold (share).")


class IndicesQuery(_Common):
    first: int | None = Field(None, alias="from", description="First year of the change.")
    last: int | None = Field(None, alias="to", description="Last year of the change.")


FileUpload = Annotated[UploadFile, File(description="Employment by region × activity × year.")]
# Optional files are typed as plain uploads with a None default: ``UploadFile | None`` would
# describe the part as "a file or null" in OpenAPI, and no client can send a null part.
MappingUpload = Annotated[
    UploadFile,
    File(description="Your own NACE → ecosystem CSV (code, ecosystem), for level=ecosystem."),
]
EstablishmentsUpload = Annotated[
    UploadFile,
    File(description="With strong=true: establishments by region × activity × year."),
]


# -- rendering -------------------------------------------------------------------------------
def _answer(
    result: BaseModel,
    fmt: Format,
    lang: Lang,
    to_csv: Callable[[Any, Lang], str],
    notes: int,
) -> Response:
    """The model as JSON (bytes built once, not revalidated) or as CSV."""
    headers = {"Content-Language": lang, "X-Klynge-Warnings": str(notes)}
    if fmt == "csv":
        return Response(to_csv(result, lang), media_type=CSV_MEDIA, headers=headers)
    return Response(result.model_dump_json(), media_type="application/json", headers=headers)


@contextmanager
def _uploaded(**files: UploadFile | None) -> Iterator[dict[str, svc.Upload]]:
    given = {
        role: (f.filename, f.file.read()) if f is not None else None for role, f in files.items()
    }
    with svc.uploads(given) as saved:
        yield saved


def _shown(saved: dict[str, svc.Upload]) -> dict[str | Any, str]:
    return {u.path: u.name for u in saved.values()}


# -- location quotients ----------------------------------------------------------------------
def _lq(saved: dict[str, svc.Upload], q: LQQuery, lang: Lang) -> Response:
    est = saved.get("establishments")
    mapping = saved.get("mapping")
    result = svc.lq_table(
        saved["file"].path,
        reference=q.reference,
        year=q.year,
        all_years=q.all_years,
        level=q.level,
        activities=q.activities,
        mapping=None if mapping is None else mapping.path,
        filters=q.filter,
        spec=q.spec,
        relevance=q.relevance,
        strong=q.strong,
        establishments=None if est is None else est.path,
        regions=q.region or None,
        lang=lang,
        reference_files=False,
        shown_as=_shown(saved),
    )
    return _answer(result, q.format, lang, svc.lq_csv, len(result.warnings))


@router.post(
    "/regions/lq",
    response_model=svc.LQTable,
    responses=_responses(svc.LQTable),
    summary="Location quotients of an uploaded dataset",
)
def post_lq(
    q: Annotated[LQQuery, Query()],
    lang: LangDep,
    file: FileUpload,
    mapping: MappingUpload = None,  # type: ignore[assignment]
    establishments: EstablishmentsUpload = None,  # type: ignore[assignment]
) -> Response:
    """The location quotient of every region and activity in the uploaded file."""
    with _uploaded(file=file, mapping=mapping, establishments=establishments) as saved:
        return _lq(saved, q, lang)


@router.get(
    "/regions/lq",
    response_model=svc.LQTable,
    responses=_responses(svc.LQTable),
    summary="Location quotients of the sample dataset",
)
def get_lq(q: Annotated[LQQuery, Query()], lang: LangDep) -> Response:
    """As ``POST /regions/lq``, over the sample dataset named by ``$KLYNGE_REGIONS_SAMPLE``."""
    return _lq({"file": svc.sample()}, q, lang)


# -- nodes -----------------------------------------------------------------------------------
def _nodes(saved: dict[str, svc.Upload], q: NodesQuery, lang: Lang) -> Response:
    mapping = saved.get("mapping")
    result = svc.nodes(
        saved["file"].path,
        reference=q.reference,
        year=q.year,
        level=q.level,
        top=q.top,
        activities=q.activities,
        mapping=None if mapping is None else mapping.path,
        filters=q.filter,
        spec=q.spec,
        relevance=q.relevance,
        lang=lang,
        reference_files=False,
        shown_as=_shown(saved),
    )
    return _answer(result, q.format, lang, svc.nodes_csv, len(result.warnings))


@router.post(
    "/regions/nodes",
    response_model=svc.NodesTable,
    responses=_responses(svc.NodesTable),
    summary="Specialisation nodes (Table 1 / Table 2) of an uploaded dataset",
)
def post_nodes(
    q: Annotated[NodesQuery, Query()],
    lang: LangDep,
    file: FileUpload,
    mapping: MappingUpload = None,  # type: ignore[assignment]
) -> Response:
    """Nodes per region: the factsheet's Table 1 (level=nace2) or Table 2 (level=ecosystem)."""
    with _uploaded(file=file, mapping=mapping) as saved:
        return _nodes(saved, q, lang)


@router.get(
    "/regions/nodes",
    response_model=svc.NodesTable,
    responses=_responses(svc.NodesTable),
    summary="Specialisation nodes of the sample dataset",
)
def get_nodes(q: Annotated[NodesQuery, Query()], lang: LangDep) -> Response:
    """As ``POST /regions/nodes``, over the sample dataset named by ``$KLYNGE_REGIONS_SAMPLE``."""
    return _nodes({"file": svc.sample()}, q, lang)


# -- indices ---------------------------------------------------------------------------------
def _indices(saved: dict[str, svc.Upload], q: IndicesQuery, lang: Lang) -> Response:
    result = svc.indices(
        saved["file"].path,
        reference=q.reference,
        first=q.first,
        last=q.last,
        activities=q.activities,
        filters=q.filter,
        lang=lang,
        reference_files=False,
        shown_as=_shown(saved),
    )
    return _answer(result, q.format, lang, svc.indices_csv, len(result.warnings))


@router.post(
    "/regions/indices",
    response_model=svc.IndicesTable,
    responses=_responses(svc.IndicesTable),
    summary="Hoover, Krugman and Herfindahl indices of an uploaded dataset",
)
def post_indices(q: Annotated[IndicesQuery, Query()], lang: LangDep, file: FileUpload) -> Response:
    """Each index at the first and last year (``from``, ``to``) and the change between."""
    with _uploaded(file=file) as saved:
        return _indices(saved, q, lang)


@router.get(
    "/regions/indices",
    response_model=svc.IndicesTable,
    responses=_responses(svc.IndicesTable),
    summary="Indices of the sample dataset",
)
def get_indices(q: Annotated[IndicesQuery, Query()], lang: LangDep) -> Response:
    """As ``POST /regions/indices``, over the sample dataset named by ``$KLYNGE_REGIONS_SAMPLE``."""
    return _indices({"file": svc.sample()}, q, lang)


# -- one path, two methods ------------------------------------------------------------------
def _allow(path: str, methods: str) -> None:
    """Answer other methods on a GET+POST path with 405 naming both.

    Starlette answers 405 from the first route whose path matches, so with the GET and the
    POST as separate routes its ``Allow`` header would name only one of them.
    """

    def not_allowed(lang: LangDep) -> Response:
        response = plain_problem(
            405,
            "http-405",
            "Metoden er ikke tilladt" if lang == "da" else "Method not allowed",
            f"brug {methods}" if lang == "da" else f"use {methods}",
        )
        response.headers["Allow"] = methods
        return response

    router.add_api_route(
        path,
        not_allowed,
        methods=["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
        include_in_schema=False,
    )


for _path in ("/regions/lq", "/regions/nodes", "/regions/indices"):
    _allow(_path, "GET, POST")


# -- organisations and maturity --------------------------------------------------------------
@router.get(
    "/regions/organisations",
    response_model=svc.OrganisationsResult,
    responses=_responses(svc.OrganisationsResult),
    summary="Cluster organisations per NUTS 2 region on a day",
)
def get_organisations(
    lang: LangDep,
    on: DayToday = None,
    fmt: Annotated[Format, Query(alias="format", description="json or csv.")] = "json",
) -> Response:
    """Graph 2 as data: every Danish NUTS 2 region (zeros too), unknown headquarters apart."""
    result = svc.organisations(svc.parse_day(on), lang=lang)
    return _answer(result, fmt, lang, svc.organisations_csv, len(result.caveats))


@router.get(
    "/maturity/{country}",
    response_model=svc.MaturityResult,
    responses=PROBLEM_RESPONSES,
    summary="The ECCP cluster-policy maturity index of a country (404 for one without data)",
)
def get_maturity(
    lang: LangDep,
    country: Annotated[str, Path(max_length=40, description="Country code (DK).")],
    on: Annotated[
        str | None,
        _day("Score the policy in force on this day (YYYY-MM-DD). Default: 2021-06-30."),
    ] = None,
) -> Response:
    """Four dimensions, each with its score, maximum and the records behind it."""
    result = svc.maturity(country, svc.parse_day(on), lang=lang)
    return _answer(result, "json", lang, _no_csv, len(result.caveats))


def _no_csv(result: Any, lang: Lang) -> str:  # pragma: no cover - maturity answers JSON only
    raise NotImplementedError


@router.get(
    "/regions/organisations/chart",
    response_class=Response,
    responses={
        200: {
            "content": {"image/svg+xml": {}, "image/png": {}},
            "description": "Graph 2: cluster organisations per region, as SVG or PNG.",
        },
        **PROBLEM_RESPONSES,
    },
    summary="Graph 2 as a picture",
)
def get_organisations_chart(
    lang: LangDep,
    on: DayToday = None,
    fmt: Annotated[Literal["svg", "png"], Query(alias="format", description="svg or png.")] = "svg",
) -> Response:
    """The chart names its day; caveats (unknown lists) are drawn under it and counted in
    ``X-Klynge-Warnings``."""
    chart = svc.chart("organisations", fmt, on=svc.parse_day(on), lang=lang)
    return Response(
        chart.content,
        media_type=chart.media_type,
        headers={"Content-Language": lang, "X-Klynge-Warnings": str(len(chart.caveats))},
    )
