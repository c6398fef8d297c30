"""The REST API: FastAPI under ``/api/v1``, described by OpenAPI at ``/openapi.json``.

``create_app()`` builds the application; ``klynge serve`` runs it with uvicorn. The server keeps
no state of its own between requests beyond caches of immutable data (the bundled landscape, the
routing model), so several workers or machines can share one database.

Every error leaves as ``application/problem+json`` with a bilingual ``detail``; no traceback
reaches a client.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from klynge import __version__
from klynge.api import landscape, matchmaking, regions, registry, routing
from klynge.api.common import negotiate_lang, plain_problem, problem_response
from klynge.errors import (
    ErrorBody,
    InternalError,
    KlyngeError,
    Location,
    Unauthorized,
    Unavailable,
    field_problem,
)
from klynge.i18n import Text

log = logging.getLogger("klynge.api")

DEFAULT_MAX_BODY = 20 * 1024 * 1024
MAX_BODY_ENV = "KLYNGE_MAX_UPLOAD_BYTES"


def max_body_bytes() -> int:
    """``$KLYNGE_MAX_UPLOAD_BYTES``, else 20 MB; a value that is not a whole number is refused."""
    raw = os.environ.get(MAX_BODY_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BODY
    if not raw.isdigit():
        raise Unavailable(
            Text(
                da=f"${MAX_BODY_ENV}={raw!r} er ikke et helt antal bytes",
                en=f"${MAX_BODY_ENV}={raw!r} is not a whole number of bytes",
            ),
            code="bad-setting",
        )
    return int(raw)


class BodyLimit:
    """Refuse request bodies over the limit with 413, before the app reads them whole.

    Pure ASGI (not ``BaseHTTPMiddleware``), so it costs nothing on requests without a body.
    Content-Length is checked up front; chunked bodies are counted as they stream in.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                declared = value
                break
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                await self._refuse(scope, receive, send)
                return
        seen = 0
        limit = self.limit

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ()))
        lang = negotiate_lang(None, headers.get(b"accept-language", b"").decode("latin-1"))
        mb = self.limit / 1024 / 1024
        response = plain_problem(
            413,
            "too-large",
            "For stort" if lang == "da" else "Too large",
            (
                f"forespørgslen er større end grænsen på {mb:.1f} MB ({MAX_BODY_ENV})"
                if lang == "da"
                else f"the request body is larger than the limit of {mb:.1f} MB ({MAX_BODY_ENV})"
            ),
        )
        await response(scope, receive, send)


class Health(BaseModel):
    status: str
    version: str


class _BodyTooLarge(Exception):
    pass


def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A 422 problem document listing every field FastAPI (or an endpoint) found wrong."""
    lang = _lang_of(request)
    errors = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ())]
        errors.append(
            {
                "message": field_problem(e).get(lang),
                "location": Location(field=".".join(loc) or None).model_dump(exclude_none=True),
            }
        )
    body = ErrorBody(
        type="https://klynge.dk/problems/invalid-request",
        title="Ugyldig forespørgsel" if lang == "da" else "Invalid request",
        status=422,
        code="invalid-request",
        detail=(
            "forespørgslen passer ikke til API'ets beskrivelse"
            if lang == "da"
            else "the request does not match the API's description"
        ),
    ).model_dump(mode="json", exclude_none=True)
    body["errors"] = errors
    return JSONResponse(body, status_code=422, media_type="application/problem+json")


class FastRoute:
    """``POST /api/v1/route`` straight to its endpoint, past the router.

    Routing one text costs about 0.2 ms; matching it through the framework's nested routers,
    telemetry and dependency layers cost about as much again. The endpoint parses its own body
    and query, so nothing is skipped but the search for it. Errors are rendered exactly as the
    app's handlers render them. The route stays declared on the router, which documents it in
    OpenAPI and serves it wherever this wrapper is not installed.
    """

    PATH = "/api/v1/route"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await routing.route(request)
        except KlyngeError as exc:
            response = problem_response(exc, _lang_of(request))
        except RequestValidationError as exc:
            response = validation_problem(request, exc)
        except _BodyTooLarge:
            raise
        except Exception as exc:
            log.exception("unexpected error on POST %s", self.PATH)
            response = problem_response(InternalError.wrap(exc), _lang_of(request))
        await response(scope, receive, send)


def _lang_of(request: Request) -> Any:
    return negotiate_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


def create_app(*, max_body: int | None = None) -> FastAPI:
    app = FastAPI(
        title="klynge",
        version=__version__,
        description=(
            "The Danish cluster system as an API: the landscape on any date, routing a company "
            "to its cluster, the cluster registry and performance accounts, and regional "
            "specialisation. Text comes in Danish or English (`?lang=da|en` or "
            "`Accept-Language`). Errors are `application/problem+json`.\n\n"
            "Det danske klyngesystem som API, på dansk og engelsk."
        ),
        openapi_url="/openapi.json",
        # No Swagger UI: FastAPI loads it from a CDN, and nothing here may. The description is
        # /openapi.json, which any OpenAPI tool reads.
        docs_url=None,
        redoc_url=None,
    )

    @app.exception_handler(KlyngeError)
    async def _klynge_error(request: Request, exc: KlyngeError) -> JSONResponse:
        response = problem_response(exc, _lang_of(request))
        if isinstance(exc, Unauthorized):
            # RFC 9110: a 401 names the scheme the client should use.
            response.headers["WWW-Authenticate"] = 'Bearer realm="klynge"'
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = _lang_of(request)
        titles = {
            404: ("Ikke fundet", "Not found"),
            405: ("Metoden er ikke tilladt", "Method not allowed"),
        }
        da, en = titles.get(exc.status_code, ("Fejl", "Error"))
        title = da if lang == "da" else en
        response = plain_problem(
            exc.status_code,
            f"http-{exc.status_code}",
            title,
            str(exc.detail) if exc.detail else title,
        )
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(InternalError.wrap(exc), _lang_of(request))

    @app.get(
        "/api/v1/health",
        response_model=Health,
        tags=["service"],
        summary="Is the server up? / Kører serveren?",
    )
    def health() -> Health:
        return Health(status="ok", version=__version__)

    for module in (landscape, routing, registry, regions, matchmaking):
        app.include_router(module.router, prefix="/api/v1")

    # The web pages are added by klynge.server. Middleware added last runs first: the body limit
    # sees every request, the routing fast path only those within the limit.
    app.add_middleware(FastRoute)
    app.add_middleware(BodyLimit, limit=max_body if max_body is not None else max_body_bytes())
    return app
