"""The composition root: one ASGI application with the REST API and the web pages.

``klynge serve`` runs :func:`create_app` with uvicorn (``factory=True``). The API and the web
pages are separate faces over the same service layer; only this module knows both.
"""

from __future__ import annotations

from fastapi import FastAPI

from klynge.api.app import create_app as create_api
from klynge.web import install


def create_app(*, max_body: int | None = None) -> FastAPI:
    app = create_api(max_body=max_body)
    install(app)
    return app
