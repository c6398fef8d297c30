"""API routes for the routing capability: parse, call `klynge.services.routing`, render.

``POST /route`` is the hot path (thousands of requests a second): it is ``async`` because routing
one description takes well under a millisecond, which is cheaper than a hand-over to the thread
pool, and it answers with the model's JSON bytes directly. ``POST /route/batch`` routes an
uploaded file in memory in the thread pool and answers with the routed CSV.

Both are rate limited per client address by a token bucket held in the worker process (see
:class:`TokenBucket`): with several workers, each keeps its own buckets.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError

from klynge.api.common import PROBLEM_JSON, PROBLEM_RESPONSES, negotiate_lang, problem_response
from klynge.errors import RateLimited
from klynge.i18n import Lang, Text
from klynge.services.routing import RouteRequest, RouteResult, route_text, route_upload

log = logging.getLogger("klynge.api")

router = APIRouter(tags=["routing"])


RATE_ENV = "KLYNGE_ROUTE_RATE_PER_MINUTE"
DEFAULT_RATE_PER_MINUTE = 6000


class TokenBucket:
    """Requests per minute per client address, in this process, with a minute's worth of burst.

    Each address starts with a full bucket of ``per_minute`` tokens that refills continuously;
    a request takes one. Buckets that have refilled completely are dropped now and then, so the
    memory is bounded by the clients of the last minute.
    """

    MAX_KEYS = 10_000

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.rate = per_minute / 60.0
        self.capacity = float(max(1, per_minute))
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0.0 if granted, else the seconds until one is free."""
        now = time.monotonic()
        with self._lock:
            found = self._buckets.get(key)
            if found is None:
                if len(self._buckets) >= self.MAX_KEYS:
                    self._prune(now)
                tokens = self.capacity
            else:
                tokens = min(self.capacity, found[0] + (now - found[1]) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        full = self.capacity / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full}


def _rate_from_env() -> int:
    raw = os.environ.get(RATE_ENV, "").strip()
    if not raw:
        return DEFAULT_RATE_PER_MINUTE
    try:
        value = int(raw)
        if value < 0:
            raise ValueError(raw)
    except ValueError:
        log.warning(
            "%s=%r is not a whole number >= 0; using %d", RATE_ENV, raw, DEFAULT_RATE_PER_MINUTE
        )
        return DEFAULT_RATE_PER_MINUTE
    return value


def _limiter(request: Request) -> TokenBucket | None:
    """The app's bucket, made on first use from $KLYNGE_ROUTE_RATE_PER_MINUTE (0 turns it off)."""
    state = request.app.state
    try:
        return state.route_limiter
    except AttributeError:
        rate = _rate_from_env()
        limiter = state.route_limiter = TokenBucket(rate) if rate > 0 else None
        return limiter


def _rate_limited(request: Request) -> Response | None:
    """A 429 problem with Retry-After when the client has used its budget, else None."""
    limiter = _limiter(request)
    if limiter is None:
        return None
    client = request.client
    wait = limiter.take(client.host if client is not None else "-")
    if not wait:
        return None
    lang = negotiate_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
    n = limiter.per_minute
    exc = RateLimited(
        Text(
            da=f"for mange forespørgsler: højst {n} i minuttet fra samme adresse; "
            "prøv igen om lidt",
            en=f"too many requests: at most {n} a minute from one address; try again shortly",
        ),
        code="rate-limited",
    )
    response = problem_response(exc, lang)
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def _answer_lang(query: str | None, accept_language: str | None) -> Lang | None:
    """``?lang=``, else a supported language in Accept-Language, else None (the text's own)."""
    if query is not None:
        return "da" if query == "da" else "en"
    if accept_language:
        low = accept_language.lower()
        if "da" in low or "en" in low:
            return negotiate_lang(None, accept_language)
    return None


LangQuery = Annotated[
    Literal["da", "en"] | None,
    Query(
        description="Language of the explanations: da or en. Default: the Accept-Language "
        "header if it names da or en, else the description's own language.",
    ),
]

RATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Too many requests from this address / For mange forespørgsler",
        "content": {PROBLEM_JSON: {}},
        "headers": {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}
        },
    }
}


_LANG_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"anyOf": [{"enum": ["da", "en"], "type": "string"}, {"type": "null"}]},
    "description": "Language of the explanations: da or en. Default: the Accept-Language header "
    "if it names da or en, else the description's own language.",
}


def _bad_request(errors: list[Any], body: Any = None) -> RequestValidationError:
    return RequestValidationError(errors, body=body)


@router.post(
    "/route",
    response_model=RouteResult,
    responses={**PROBLEM_RESPONSES, **RATE_RESPONSES},
    summary="Route one company to its cluster",
    openapi_extra={
        "parameters": [_LANG_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": RouteRequest.model_json_schema()}},
        },
    },
)
async def route(request: Request) -> Response:
    """Where a company belongs on a date, from a description, an industry code or both.

    Hvor en virksomhed hører til på en dato, ud fra en beskrivelse, en branchekode eller begge.
    """
    # The body and ?lang= are parsed here rather than by FastAPI's dependency machinery, which
    # costs more than routing the text itself; the OpenAPI description above says the same.
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    query = request.query_params.get("lang")
    if query is not None and query not in ("da", "en"):
        raise _bad_request(
            [
                {
                    "type": "enum",
                    "loc": ("query", "lang"),
                    "msg": "Input should be 'da' or 'en'",
                    "input": query,
                    "ctx": {"expected": "'da', 'en'"},
                }
            ]
        )
    raw = await request.body()
    try:
        body = RouteRequest.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise _bad_request([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
    answer_lang = _answer_lang(query, request.headers.get("accept-language"))
    # The API is the programmatic path, kept under a millisecond: the linear model answers.
    result = route_text(body.text, body.nace, on=body.on, lang=answer_lang, model="fast")
    return Response(
        content=result.model_dump_json(),
        media_type="application/json",
        headers={"Content-Language": answer_lang or result.language},
    )


def _attachment(filename: str) -> str:
    """A download header: an ASCII name for old clients, the exact name (RFC 6266) for others."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@router.post(
    "/route/batch",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "The routed rows as CSV (UTF-8): id, cluster, score, two runners-up, "
            "explanation and error. X-Klynge-Rows and X-Klynge-Errors count the rows; "
            "X-Klynge-On is the day routed for and X-Klynge-Caveats the codes of its caveats "
            "(default-date, programme-list-unknown, ...), comma-separated.",
        },
        **PROBLEM_RESPONSES,
        **RATE_RESPONSES,
    },
    summary="Route a file of companies",
)
def route_batch(
    request: Request,
    file: Annotated[
        UploadFile,
        File(description="CSV, XLSX or Parquet with columns id, description and optionally nace."),
    ],
    lang: LangQuery = None,
    on: Annotated[
        date | None,
        Query(
            description="The day to route on. Default: the last day the landscape records "
            "cover in full (2024-12-31), or today if earlier, as for one description; "
            "X-Klynge-Caveats then names default-date."
        ),
    ] = None,
    format: Annotated[
        Literal["csv", "xlsx", "parquet"] | None,
        Query(
            description="The upload's format, when its name does not say (default: by name "
            "and content)."
        ),
    ] = None,
) -> Response:
    """Route every row of an uploaded file; the answer is the routed file as CSV.

    The upload is routed in memory: its name is used only in messages, and a name with a folder
    in it is refused. Rute hver række i en uploadet fil; svaret er den rutede fil som CSV.
    """
    limited = _rate_limited(request)
    if limited is not None:
        return limited
    answer_lang = _answer_lang(lang, request.headers.get("accept-language"))
    data = file.file.read()
    routed = route_upload(data, file.filename, on=on, lang=answer_lang, format=format)
    summary = routed.summary
    return Response(
        content=routed.content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": _attachment(routed.filename),
            "X-Klynge-Rows": str(summary.rows),
            "X-Klynge-Errors": str(summary.errors),
            "X-Klynge-Routed": str(summary.routed),
            # The day routed for, and the codes of what a reader must know about it (the
            # messages are in the JSON answers; headers carry ASCII only).
            "X-Klynge-On": summary.on.isoformat(),
            "X-Klynge-Caveats": ",".join(c.code for c in summary.caveats),
        },
    )
