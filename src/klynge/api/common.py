"""Plumbing every API router shares: the language, problem documents, caching headers.

Nothing here knows a use case. Routers parse, call ``klynge.services`` and render with these.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from klynge.context import set_lang
from klynge.errors import ErrorBody, KlyngeError
from klynge.i18n import Lang, parse_lang

PROBLEM_JSON = "application/problem+json"


def negotiate_lang(query: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` first; else the first supported language in ``Accept-Language``; else English.

    Quality values are honoured in order of preference; an unsupported or malformed header is
    ignored rather than refused, as browsers send all sorts.
    """
    if query:
        try:
            return parse_lang(query)
        except ValueError:
            return "en"
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for i, part in enumerate(accept_language.split(",")):
            bits = part.strip().split(";")
            tag = bits[0].strip().lower()
            q = 1.0
            for b in bits[1:]:
                b = b.strip()
                if b.startswith("q="):
                    try:
                        q = float(b[2:])
                    except ValueError:
                        q = 0.0
            ranked.append((-q, i, tag))
        for neg_q, _, tag in sorted(ranked):
            if neg_q >= 0:
                continue
            primary = tag.split("-")[0]
            if primary in ("da", "en"):
                return "da" if primary == "da" else "en"
    return "en"


def request_lang(
    request: Request,
    lang: Annotated[
        str | None,
        Query(
            pattern="^(da|en)$",
            description="Language of the text in the answer: da or en. "
            "Default: the Accept-Language header, else en.",
        ),
    ] = None,
) -> Lang:
    """FastAPI dependency: the answer's language, also set as the context language."""
    chosen = negotiate_lang(lang, request.headers.get("accept-language"))
    set_lang(chosen)
    return chosen


LangDep = Annotated[Lang, Depends(request_lang)]


def problem_response(exc: KlyngeError, lang: Lang) -> JSONResponse:
    return JSONResponse(
        exc.as_json(lang),
        status_code=exc.status,
        media_type=PROBLEM_JSON,
        headers={"Content-Language": lang},
    )


def plain_problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = ErrorBody(
        type=f"https://klynge.dk/problems/{code}",
        title=title,
        status=status,
        code=code,
        detail=detail,
        **extra,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True), status_code=status, media_type=PROBLEM_JSON
    )


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "content": {PROBLEM_JSON: {}}, "description": text}
    for code, text in (
        (400, "Bad request / Forkert forespørgsel"),
        (404, "Not found / Ikke fundet"),
        (413, "Too large / For stort"),
        (422, "Invalid input / Ugyldigt input"),
    )
}


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def cached_json(
    request: Request,
    body: bytes,
    *,
    lang: Lang,
    max_age: int = 300,
    etag: str | None = None,
) -> Response:
    """A JSON answer with an ETag and Cache-Control; 304 when the client already has it."""
    tag = etag or etag_for(body)
    headers = {
        "ETag": tag,
        "Cache-Control": f"public, max-age={max_age}",
        "Content-Language": lang,
        "Vary": "Accept-Language",
    }
    inm = request.headers.get("if-none-match")
    if inm is not None and tag in {t.strip() for t in inm.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)


def model_json(model: BaseModel | list[Any]) -> bytes:
    if isinstance(model, BaseModel):
        return model.model_dump_json().encode()
    from pydantic import TypeAdapter

    return TypeAdapter(list[Any]).dump_json(model)
