"""The staff area's registry: browse a cluster's rows, one page per table, and download them.

Every handler hands the session's principal to :mod:`klynge.services.registry`, which applies the
tenant rule: staff read their own cluster's rows only (another cluster's row is "not found", as
if it did not exist), an analyst reads no rows (403), an admin every row. Downloads are the
services' own CSV and XLSX files: a table in the form ``klynge import`` reads, and the
performance account. Nothing here changes state, so these are GET requests without CSRF tokens;
none is cached.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from klynge.errors import KlyngeError
from klynge.i18n import Lang
from klynge.services import registry as registry_service
from klynge.services.registry import FileResult
from klynge.web import security, views
from klynge.web.pages import not_found
from klynge.web.people import (
    Person,
    account_cluster,
    check_csrf,
    csrf_refused,
    page,
    principal_of,
    signed_in,
)
from klynge.web.render import SECURITY_HEADERS

router = APIRouter(include_in_schema=False)

#: Rows a page shows.
PAGE_SIZE = 50
FORMATS = ("csv", "xlsx")


def download(file: FileResult) -> Response:
    """A file the browser saves: never cached, never sniffed, named by the services."""
    quoted = quote(file.filename, safe="")
    disposition = f"attachment; filename=\"{file.filename}\"; filename*=UTF-8''{quoted}"
    return Response(
        file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": disposition,
            "Cache-Control": "no-store",
            **SECURITY_HEADERS,
        },
    )


def registry_page(
    request: Request, session: Person, lang: Lang, template: str, **context: Any
) -> Response:
    """A page of the registry: whose rows they are, and the download formats."""
    return page(
        request,
        lang,
        template,
        session=session,
        cluster_name=views.cluster_name(session.cluster, lang),
        formats=FORMATS,
        **context,
    )


@router.get("/registry", response_class=Response)
def registry_index(request: Request) -> Response:
    """The tables with how many rows the signed-in person may see in each."""

    def view(session: Person, lang: Lang) -> Response:
        principal = principal_of(session)
        titles = views.table_titles(lang)
        from klynge.services import rows as rows_service

        counts = [
            (table, titles[table], rows_service.count_rows(table, principal=principal))
            for table in views.REGISTRY_TABLES
        ]
        return registry_page(request, session, lang, "registry.html", counts=counts)

    return signed_in(request, view)


@router.get("/registry/{table}", response_class=Response)
def registry_table(
    request: Request,
    table: str,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """One page of a table, PAGE_SIZE rows, with links to the pages before and after."""
    if table not in views.REGISTRY_TABLES:
        return not_found(request)

    def view(session: Person, lang: Lang) -> Response:
        result = registry_service.list_rows(
            table, offset=offset, limit=PAGE_SIZE, principal=principal_of(session), face="web"
        )
        shown = views.rows_page(result, lang, registry_service.personal_columns(table))
        return registry_page(request, session, lang, "registry_table.html", rows=shown)

    return signed_in(request, view)


@router.get("/registry/{table}/download", response_class=Response)
def registry_download(
    request: Request, table: str, format: Annotated[str, Query(max_length=5)] = "csv"
) -> Response:
    """The person's rows of a table as CSV or XLSX, in the form an import reads."""
    if table not in views.REGISTRY_TABLES or format not in FORMATS:
        return not_found(request)

    def view(session: Person, lang: Lang) -> Response:
        return download(
            registry_service.export_file(table, format, principal=principal_of(session), face="web")
        )

    return signed_in(request, view)


@router.get("/registry/{table}/{row_id:int}", response_class=Response)
def registry_row(request: Request, table: str, row_id: int) -> Response:
    """One row; a row of another cluster is not found (the services say so, not the page)."""
    if table not in views.REGISTRY_TABLES:
        return not_found(request)

    def view(session: Person, lang: Lang) -> Response:
        from klynge.services import rows as rows_service

        row = registry_service.get_row(table, row_id, principal=principal_of(session), face="web")
        return page(
            request,
            lang,
            "registry_row.html",
            session=session,
            row=views.row_detail(table, row, lang),
            can_edit=rows_service.can_edit(table, row_id, principal=session.principal),
        )

    return signed_in(request, view)


@router.get("/account/download", response_class=Response)
def account_download(
    request: Request,
    format: Annotated[str, Query(max_length=5)] = "csv",
    cluster: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The performance account as the services write it (CSV with its notes first, or XLSX)."""
    if format not in FORMATS:
        return not_found(request)

    def view(session: Person, lang: Lang) -> Response:
        chosen = account_cluster(session, cluster)
        return download(
            registry_service.account_file(
                chosen, fmt=format, year=year, lang=lang, principal=principal_of(session)
            )
        )

    return signed_in(request, view)


# -- editing one row ------------------------------------------------------------------------------
def _edit_page(
    request: Request,
    person: Person,
    lang: Lang,
    form: Any,
    *,
    status: int = 200,
    posted: dict[str, str] | None = None,
    problem: Any = None,
    saved: Any = None,
) -> Response:
    shown = views.edit_form(form, lang, posted=posted, problem=problem)
    notes = saved.notes if saved is not None else []
    return page(
        request,
        lang,
        "registry_edit.html",
        status=status,
        session=person,
        form=shown,
        saved=saved,
        notes=notes,
    )


@router.get("/registry/{table}/{row_id:int}/edit", response_class=Response)
def registry_edit_form(request: Request, table: str, row_id: int) -> Response:
    """A row's edit form. Staff: their own cluster's rows; a member: its own organisation."""
    from klynge.services import rows as rows_service

    if table not in views.REGISTRY_TABLES:
        return not_found(request)

    def view(person: Person, lang: Lang) -> Response:
        form = rows_service.row_form(table, row_id, principal=person.principal)
        return _edit_page(request, person, lang, form)

    return signed_in(request, view)


@router.post("/registry/{table}/{row_id:int}/edit", response_class=Response)
async def registry_edit(request: Request, table: str, row_id: int) -> Response:
    """Save a row's edit form: all or nothing; a refusal shows each problem beside its field."""
    from klynge.services import rows as rows_service

    if table not in views.REGISTRY_TABLES:
        return not_found(request)
    raw = await request.form()
    posted = {k: v for k, v in raw.items() if isinstance(v, str) and len(v) <= 5000}

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, posted.get(security.CSRF_FIELD)):
            return csrf_refused(request, lang)
        form = rows_service.row_form(table, row_id, principal=person.principal)
        values: dict[str, Any] = {}
        for name in form.editable:
            if name in views.BOOLEAN_FIELDS:
                values[name] = posted.get(name) == "true"
            elif name in posted:
                values[name] = posted[name]
        try:
            saved = rows_service.update_row(
                table, row_id, values, principal=person.principal, lang=lang, face="web"
            )
        except KlyngeError as exc:
            if exc.status in (401, 403, 404):
                raise
            return _edit_page(
                request, person, lang, form, status=exc.status, posted=posted, problem=exc
            )
        fresh = rows_service.row_form(table, saved.id, principal=person.principal)
        return _edit_page(request, person, lang, fresh, saved=saved)

    return await run_in_threadpool(signed_in, request, view)
