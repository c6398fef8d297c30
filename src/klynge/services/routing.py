"""Routing as use cases: route one company, route a file (on disk or uploaded).

The CLI (``klynge route``) and the API (``POST /api/v1/route``, ``POST /api/v1/route/batch``)
call these and render what they return. Results are pydantic models; the one-text result is
built without re-validation (its values come from the router, not from a user), because the API
answers it thousands of times a second.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from klynge.errors import Detail, InvalidInput, Location
from klynge.i18n import Lang, Text
from klynge.routing.text import MAX_CHARS
from klynge.services.common import Caveat
from klynge.tables import Format

if TYPE_CHECKING:
    from klynge.routing.batch import BatchSummary
    from klynge.routing.router import Router

Outcome = Literal["routed", "none", "no-cluster-for-area", "insufficient"]


class ClusterMatch(BaseModel):
    """One area that fits, and the cluster organisation that holds it on the day."""

    slug: str | None = Field(
        description="The cluster organisation's identifier; null when nobody holds the area."
    )
    area: str = Field(description="The area's identifier (the model scores areas).")
    score: float = Field(description="How well the area fits, 0 to 1 (calibrated).")
    explanation: str = Field(description="Why, in the answer's language.")
    certain: bool = Field(
        description="False when the cluster is the last known one for a date whose list of "
        "clusters is not known (2025-2028)."
    )
    name: str | None = Field(default=None, description="The cluster organisation's name.")
    area_name: str = Field(default="", description="The area's name in the answer's language.")
    does: str | None = Field(
        default=None,
        description="What the cluster organisation does (its scope), in the answer's language.",
    )
    website: str | None = Field(default=None, description="The cluster organisation's website.")


class RouteResult(BaseModel):
    """Where one company belongs on a date: the best fitting clusters first."""

    language: Literal["da", "en"] = Field(description="The language of the description.")
    outcome: Outcome = Field(
        description="routed: a cluster fits; none: no cluster fits; no-cluster-for-area: the "
        "area that fits has no cluster organisation on the day; insufficient: the description "
        "says too little to route (no word about what the company does), so no guess is made."
    )
    clusters: list[ClusterMatch] = Field(description="Fitting areas, best first (at most 3).")
    explanation: str = Field(description="The answer in one or two sentences.")
    on: date = Field(description="The day the landscape was read for.")
    nace: str | None = Field(description="The industry code that was used, normalised.")
    note: str | None = Field(description="A caveat about the landscape on that day, if any.")
    caveats: list[Caveat] = Field(
        default_factory=list,
        description="What a reader must know about the landscape on that day (the default date, "
        "an unknown list of organisations, an uncertain day), as for every landscape answer.",
    )
    model: Literal["fast", "best"] = Field(
        default="fast",
        description="The text model that answered: fast (the linear model) or best (the linear "
        "model mixed with the sentence-embedding model, when installed).",
    )


class RouteRequest(BaseModel):
    """One company to route: a description, an industry code, or both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Checked by the router with a bilingual message; said here for clients.
            "anyOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["nace"], "properties": {"nace": {"type": "string"}}},
            ]
        },
    )

    text: str | None = Field(
        default=None,
        description="What the company does, in Danish or English (at most 10,000 characters).",
        json_schema_extra={"maxLength": MAX_CHARS},
    )
    nace: str | None = Field(
        default=None,
        description="NACE Rev. 2 code (A-U, 2, 3 or 4 digits) or DB07 code (6 digits).",
    )
    on: date | None = Field(
        default=None,
        description="The day to route on. Default: the last day the landscape records cover in "
        "full (2024-12-31), or today if earlier; a default-date caveat says so.",
    )


def route_text(
    text: str | None,
    nace: str | None = None,
    *,
    on: date | None = None,
    lang: Lang | None = None,
    model: Literal["fast", "best"] = "best",
) -> RouteResult:
    """Route one company. ``lang`` None explains in the description's own language.

    ``model="best"`` mixes in the sentence-embedding model when the ``embed`` extra is installed
    and ``KLYNGE_ROUTE_MODEL`` is not ``fast`` (about 20 ms of CPU); otherwise, and for
    ``"fast"``, the linear model answers alone (well under a millisecond).

    Raises :class:`klynge.routing.text.RoutingInputError` (an ``InvalidInput``) for input the
    router cannot read.
    """
    from klynge.routing.router import get_router
    from klynge.services.landscape import default_day

    router = get_router()
    day = on if on is not None else default_day()
    result = router.route_many([text], [nace], on=day, lang=lang, best=model == "best")[0]
    if isinstance(result, Exception):
        raise result
    out_lang = lang or result.language
    names = _cluster_names(router)
    known = router.landscape.clusters
    clusters = [
        ClusterMatch.model_construct(
            slug=c.slug,
            area=c.area,
            score=round(c.score, 4),
            explanation=c.explanation,
            certain=c.certain,
            name=names.get(c.slug) if c.slug else None,
            area_name=router.area_name(c.area, out_lang),
            does=known[c.slug].scope.get(out_lang) if c.slug in known else None,
            website=known[c.slug].website if c.slug in known else None,
        )
        for c in result.clusters
    ]
    return RouteResult.model_construct(
        language=result.language,
        outcome=result.outcome,
        clusters=clusters,
        explanation=result.explanation,
        on=result.on,
        nace=result.code,
        note=result.note,
        caveats=list(_caveats(day, out_lang, on is None)),
        model=result.model,
    )


@lru_cache(maxsize=256)
def _caveats(day: date, lang: Lang, defaulted: bool) -> tuple[Caveat, ...]:
    """The landscape's caveats for a day (cached: the landscape cannot change in a process)."""
    from klynge.services.landscape import caveats_on

    return tuple(caveats_on(None if defaulted else day, lang))


@lru_cache(maxsize=4)
def _cluster_names(router: Router) -> dict[str, str]:
    """Cluster slug -> name, from the router's landscape (the same in every language)."""
    return {slug: c.name for slug, c in router.landscape.clusters.items()}


# -- files ------------------------------------------------------------------------------------
class ClusterCount(BaseModel):
    """How many rows went to one label."""

    label: str = Field(
        description="A cluster slug, 'none' (no cluster fits), 'insufficient' (too little to "
        "go on) or 'no-cluster:<area>' (the area "
        "has no cluster organisation on the day), as in the output file's cluster column."
    )
    name: str = Field(description="What a person reads: the cluster's or area's name.")
    count: int
    share: float = Field(description="Share of all rows, 0 to 1.")


class BatchResult(BaseModel):
    """What routing a file did: counts, shares, per-cluster totals and what the reader noticed."""

    input: str = Field(description="The input file, as given.")
    output: str | None = Field(description="The output file; null when returned as a download.")
    format: str = Field(description="The input's format: csv, xlsx or parquet.")
    encoding: str | None = Field(description="The input's text encoding (CSV only).")
    on: date
    rows: int
    routed: int
    none: int
    no_cluster_for_area: int
    insufficient: int = Field(
        default=0, description="Rows whose description said too little to route."
    )
    errors: int = Field(description="Rows that could not be routed; the reason is in the file.")
    routed_share: float
    none_share: float
    no_cluster_for_area_share: float
    insufficient_share: float = 0.0
    error_share: float
    per_cluster: list[ClusterCount] = Field(description="Most frequent first.")
    first_error_rows: list[int] = Field(
        description="Row numbers (as a spreadsheet shows them) of the first failed rows."
    )
    notes: list[str] = Field(description="About the input file as a whole (encoding, delimiter).")
    warnings: list[Detail] = Field(description="About single rows a person should check.")
    caveats: list[Caveat] = Field(
        default_factory=list,
        description="What a reader must know about the landscape on the day the file was routed "
        "for (the default date, an unknown list of organisations), as for one description.",
    )

    @property
    def all_failed(self) -> bool:
        return self.rows > 0 and self.errors == self.rows


class RoutedUpload(BaseModel):
    """A routed upload: the summary, and the output CSV (UTF-8) to send back."""

    summary: BatchResult
    content: bytes = Field(exclude=True)
    filename: str


class AllRowsFailed(InvalidInput):
    """Every row of a file failed: the output holds only errors."""

    code = "all-rows-failed"
    exit_code = 1


def all_rows_failed(result: BatchResult) -> AllRowsFailed:
    where = result.output or result.input
    rows = ", ".join(str(r) for r in result.first_error_rows)
    return AllRowsFailed(
        Text(
            da=f"ingen af de {result.rows} rækker kunne rutes (fx række {rows}); "
            f"fejlene står i kolonnen 'error' i {where}",
            en=f"none of the {result.rows} rows could be routed (e.g. row {rows}); "
            f"the reasons are in the 'error' column of {where}",
        ),
        location=Location(file=result.input),
    )


def _label_name(label: str, names: dict[str, str], router: Router, lang: Lang) -> str:
    if label == "none":
        return "ingen klynge passer" if lang == "da" else "no cluster fits"
    if label == "insufficient":
        return "ikke nok at gå ud fra" if lang == "da" else "not enough to go on"
    if label.startswith("no-cluster:"):
        area = router.area_name(label.removeprefix("no-cluster:"), lang)
        return f"{area} (ingen klynge)" if lang == "da" else f"{area} (no cluster)"
    return names.get(label, label)


def _summary_model(
    summary: BatchSummary,
    *,
    input: str,
    output: str | None,
    on: date,
    lang: Lang,
    defaulted: bool,
) -> BatchResult:
    from klynge.routing.router import get_router

    router = get_router()
    names = _cluster_names(router)
    return BatchResult(
        input=input,
        output=output,
        format=summary.format,
        encoding=summary.encoding,
        on=on,
        rows=summary.rows,
        routed=summary.routed,
        none=summary.none,
        no_cluster_for_area=summary.no_cluster_for_area,
        insufficient=summary.insufficient,
        errors=summary.errors,
        routed_share=summary.share(summary.routed),
        none_share=summary.share(summary.none),
        no_cluster_for_area_share=summary.share(summary.no_cluster_for_area),
        insufficient_share=summary.share(summary.insufficient),
        error_share=summary.share(summary.errors),
        per_cluster=[
            ClusterCount(
                label=label,
                name=_label_name(label, names, router, lang),
                count=n,
                share=summary.share(n),
            )
            for label, n in summary.per_cluster.most_common()
        ],
        first_error_rows=summary.first_errors,
        notes=[n.get(lang) for n in summary.notes],
        warnings=[Detail(message=w.text.get(lang), location=w.location) for w in summary.warnings],
        caveats=list(_caveats(on, lang, defaulted)),
    )


def route_file(
    source: Path | str,
    output: Path | str,
    *,
    on: date | None = None,
    lang: Lang | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    format: Format | None = None,
) -> BatchResult:
    """Route every row of ``source`` (a path, or ``-`` for standard input) into CSV ``output``.

    ``lang`` None writes each row's explanation in its description's language; the summary's
    names are then in English.
    """
    from klynge.routing.batch import route_file as route_rows
    from klynge.services.landscape import default_day

    day = on or default_day()
    dst = Path(output)
    summary = route_rows(source, dst, on=day, lang=lang, progress=progress, format=format)
    return _summary_model(
        summary, input=str(source), output=str(dst), on=day, lang=lang or "en", defaulted=on is None
    )


_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")
MAX_NAME = 255


def safe_upload_name(filename: str | None) -> str:
    """The name of an uploaded file, for messages and the format only; refuse path-like names.

    The name never touches the file system (uploads are routed in memory), but a name with a
    folder in it is a sign of a confused or hostile client, so it is refused with a 422.
    """
    name = (filename or "").strip()
    if not name:
        return "upload"
    if _UNSAFE_NAME.search(name) or name in (".", "..") or ".." in name or len(name) > MAX_NAME:
        raise InvalidInput(
            Text(
                da="filnavnet må kun være et navn: ingen mapper, '..' eller kontroltegn",
                en="the file name must be a plain name: no folders, '..' or control characters",
            ),
            code="unsafe-file-name",
            location=Location(field="file"),
        )
    return name


def route_upload(
    data: bytes,
    filename: str | None,
    *,
    on: date | None = None,
    lang: Lang | None = None,
    format: Format | None = None,
) -> RoutedUpload:
    """Route an uploaded file in memory; the result carries the output CSV as bytes."""
    from klynge.routing.batch import route_file as route_rows
    from klynge.services.landscape import default_day

    name = safe_upload_name(filename)
    # The same default day as one description and the CLI's files, said in the caveats.
    day = on or default_day()
    out = io.StringIO(newline="")
    summary = route_rows(data, out, on=day, lang=lang, name=name, format=format)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return RoutedUpload(
        summary=_summary_model(
            summary, input=name, output=None, on=day, lang=lang or "en", defaulted=on is None
        ),
        content=out.getvalue().encode("utf-8"),
        filename=f"{stem}-routed.csv",
    )
