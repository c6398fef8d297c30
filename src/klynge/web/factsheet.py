"""The factsheet page: the same factsheet as `klynge factsheet`, in the site's frame.

``/factsheet`` shows it in the reader's language (the site's language switch changes it),
``/factsheet.pdf`` is the same page as a PDF download, ``/factsheet.css`` its stylesheet (the
site's content security policy allows no inline styles). The tables use the server's sample
dataset (``$KLYNGE_REGIONS_SAMPLE``) when one is set; without it the page says that the tables
need data. Pages are cached per language and day like the other public pages.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from klynge.errors import KlyngeError
from klynge.i18n import Lang
from klynge.services import factsheet as factsheet_service
from klynge.web.pages import bad_day, error_page, here, lang_of, parse_day
from klynge.web.render import PAGES, gettext, render

router = APIRouter(include_in_schema=False)

#: Rendered PDFs per (language, day, on): laying one out takes about a second.
_PDFS: dict[tuple[Lang, date, str], bytes] = {}


def _build(lang: Lang, on: date | None) -> factsheet_service.Factsheet:
    return factsheet_service.factsheet("DK", on=on, lang=lang)


@router.get("/factsheet", response_class=Response)
def factsheet_page(
    request: Request, on: Annotated[str | None, Query(max_length=10)] = None
) -> Response:
    lang = lang_of(request)
    day = parse_day(on)
    if on and day is None:
        return bad_day(request, lang, on)

    def build() -> str:
        f = _build(lang, day)
        pdf = "/factsheet.pdf" + (f"?on={day.isoformat()}" if day else "")
        return render(
            lang,
            "factsheet.html",
            body=factsheet_service.render_body(f),
            title=f.words["title"].format(country=f.country_name),
            pdf_href=pdf,
            pdf_text=f.words["download_pdf"],
            pdf_name=f"klynge-factsheet-{lang}.pdf",
            here=here(request),
            section="factsheet",
        )

    try:
        return PAGES.get_or_render(request, lang, date.today(), build)
    except KlyngeError as exc:
        return error_page(request, lang, exc.status, gettext(lang, "Factsheet"), exc.text(lang))


@router.get("/factsheet.pdf")
async def factsheet_pdf(
    request: Request, on: Annotated[str | None, Query(max_length=10)] = None
) -> Response:
    lang = lang_of(request)
    day = parse_day(on)
    if on and day is None:
        return bad_day(request, lang, on)
    key = (lang, date.today(), on or "")

    def build() -> bytes:
        found = _PDFS.get(key)
        if found is None:
            found = factsheet_service.render_pdf(_build(lang, day))
            if len(_PDFS) > 16:
                _PDFS.clear()
            _PDFS[key] = found
        return found

    try:
        body = await run_in_threadpool(build)
    except KlyngeError as exc:
        return error_page(request, lang, exc.status, gettext(lang, "Factsheet"), exc.text(lang))
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="klynge-factsheet-{lang}.pdf"',
            "Content-Language": lang,
            "Vary": "Accept-Language, Cookie",
            "Cache-Control": "no-store",
        },
    )


@router.get("/factsheet.css")
def factsheet_css() -> Response:
    return Response(
        factsheet_service.stylesheet(),
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )
