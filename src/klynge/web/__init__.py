"""The web platform: pages for people, in Danish and English, on the application layer.

:func:`install` adds the pages, their assets and HTML error pages to the one ASGI application
that :mod:`klynge.server` builds around the REST API.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException


def install(app: FastAPI) -> None:
    from klynge.web import factsheet, match, people, rows
    from klynge.web.pages import not_found, router

    app.include_router(router)
    app.include_router(factsheet.router)
    app.include_router(rows.router)
    app.include_router(people.router)
    app.include_router(match.router)
    api_handler: Any = app.exception_handlers.get(StarletteHTTPException)

    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # People get a page; programs under /api and /openapi.json keep problem+json.
        path = request.url.path
        if exc.status_code == 404 and not path.startswith(("/api/", "/openapi")):
            return not_found(request)
        response: Response = await api_handler(request, exc)
        return response

    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
