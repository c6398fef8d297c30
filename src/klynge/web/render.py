"""Templates, static assets and the page cache.

One Jinja2 environment per language, each with its gettext catalogue installed, so rendering
needs no per-request state. Public pages depend only on immutable data (the bundled landscape,
the router) and the day, so the rendered bytes are cached per (path, query, language, day):
a repeated home or cluster page costs a dictionary look-up.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from threading import Lock
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import Response

from klynge.i18n import Lang
from klynge.web.i18n import dkk_million, long_date, number, percent, translations

STATIC_DIR = Path(__file__).parent / "static"
HTML = "text/html; charset=utf-8"
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@cache
def static_files() -> dict[str, tuple[bytes, str]]:
    """Every asset in ``web/static``, read once: name → (bytes, content type)."""
    out = {}
    for p in sorted(STATIC_DIR.iterdir()):
        if p.suffix in STATIC_TYPES:
            out[p.name] = (p.read_bytes(), STATIC_TYPES[p.suffix])
    return out


@cache
def asset_version() -> str:
    h = hashlib.blake2b(digest_size=6)
    for name, (body, _) in static_files().items():
        h.update(name.encode())
        h.update(body)
    return h.hexdigest()


@cache
def environment(lang: Lang) -> Environment:
    env = Environment(
        loader=PackageLoader("klynge.web", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.globals["asset_version"] = asset_version()
    env.filters["number"] = lambda v, decimals=1: number(v, lang, decimals=decimals)
    env.filters["dkk_million"] = lambda v: dkk_million(v, lang)
    env.filters["percent"] = lambda v: percent(v, lang)
    env.filters["long_date"] = lambda v: long_date(v, lang)
    return env


def render(lang: Lang, template: str, **context: Any) -> str:
    return environment(lang).get_template(template).render(**context)


def gettext(lang: Lang, message: str) -> str:
    return translations(lang).gettext(message)


#: The pages run no script, load nothing from elsewhere and may not be framed (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def html(body: str | bytes, *, lang: Lang, status: int = 200, etag: str | None = None) -> Response:
    headers = {"Content-Language": lang, "Vary": "Accept-Language, Cookie", **SECURITY_HEADERS}
    if etag:
        headers["ETag"] = etag
        headers["Cache-Control"] = "no-cache"
    else:
        headers["Cache-Control"] = "no-store"
    return Response(body, status_code=status, media_type=HTML, headers=headers)


class PageCache:
    """Rendered public pages, per (path, query, language, day); least recently used go first.

    A page may carry an expiry (``ttl`` seconds): a cluster page shows the registry's public
    figures, which change with imports, so it is rendered again after a while.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str, str, date], tuple[bytes, str, float | None]] = (
            OrderedDict()
        )
        self._lock = Lock()

    def _hit(self, key: tuple[str, str, str, date]) -> tuple[bytes, str, float | None] | None:
        hit = self._items.get(key)
        if hit is not None and hit[2] is not None and hit[2] <= time.monotonic():
            return None
        return hit

    def cached(self, request: Request, lang: Lang, today: date) -> Response | None:
        """The cached page for this request, or None: lets a handler skip its checks on a hit."""
        hit = self._hit((request.url.path, request.url.query, lang, today))
        return None if hit is None else self._respond(request, lang, hit[0], hit[1])

    def get_or_render(
        self,
        request: Request,
        lang: Lang,
        today: date,
        build: Callable[[], str],
        *,
        ttl: float | None = None,
    ) -> Response:
        key = (request.url.path, request.url.query, lang, today)
        hit = self._hit(key)
        if hit is None:
            body = build().encode()
            tag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            hit = (body, tag, None if ttl is None else time.monotonic() + ttl)
            if self.size <= 0:  # caching off: every request renders (the benchmark's baseline)
                return self._respond(request, lang, body, tag)
            with self._lock:
                self._items[key] = hit
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return self._respond(request, lang, hit[0], hit[1])

    @staticmethod
    def _respond(request: Request, lang: Lang, body: bytes, tag: str) -> Response:
        if request.headers.get("if-none-match") == tag:
            return Response(
                status_code=304, headers={"ETag": tag, "Vary": "Accept-Language, Cookie"}
            )
        return html(body, lang=lang, etag=tag)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


#: ``$KLYNGE_WEB_PAGE_CACHE`` sets how many rendered pages a worker keeps; 0 turns caching off,
#: which is how a benchmark measures the same pages rendered on every request.
CACHE_ENV = "KLYNGE_WEB_PAGE_CACHE"


def _cache_size() -> int:
    raw = os.environ.get(CACHE_ENV, "").strip()
    return int(raw) if raw.isdigit() else 512


PAGES = PageCache(_cache_size())
