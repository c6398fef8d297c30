"""API routes for the registry capability: parse, call `klynge.services.registry`, render.

Every route needs a bearer token (see :mod:`klynge.api.auth`); what a token may see is decided by
the services: staff their own cluster's rows, analysts every account, admins everything.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, HTTPException, Path, Query, UploadFile
from fastapi.responses import Response

from klynge.api import auth
from klynge.api.auth import AUTH_RESPONSES, PrincipalDep, SharedPathRoute
from klynge.api.common import LangDep
from klynge.services import people
from klynge.services import registry as service
from klynge.services.people import AuditLog, ErasureResult, PersonExport, RetentionResult
from klynge.services.registry import (
    AccountResult,
    FileResult,
    ImportResult,
    RegistryPage,
    RegistryRow,
    TableName,
)

NO_STORE = "private, no-store"
"""A cluster's rows and accounts are for the token that asked: no shared cache may keep them."""


def no_store(response: Response) -> None:
    response.headers["Cache-Control"] = NO_STORE


# Routes are declared so that the fixed paths (export, import) come before /{row_id}.
router = APIRouter(tags=["registry"], route_class=SharedPathRoute, dependencies=[Depends(no_store)])
router.include_router(auth.router)

TablePath = Annotated[
    TableName,
    Path(description="organisations, memberships, activities, participations, outcomes, contacts"),
]
YearQuery = Annotated[int | None, Query(ge=1, le=9999, description="A calendar year.")]
FromQuery = Annotated[date | None, Query(alias="from", description="First day (YYYY-MM-DD).")]
ToQuery = Annotated[date | None, Query(alias="to", description="Last day (YYYY-MM-DD).")]
AccountFormat = Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")]

_FILE_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    service.MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
}


def _download(file: FileResult) -> Response:
    # RFC 6266: a plain ASCII name, and the exact one percent-encoded beside it.
    ascii_name = file.filename.encode("ascii", "replace").decode().replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file.filename)}"
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": disposition,
            "Cache-Control": NO_STORE,
            # Columns that hold, or as free text may hold, personal data (GDPR).
            **(
                {"X-Klynge-Personal-Data": ",".join(file.possible_personal_data)}
                if file.possible_personal_data
                else {}
            ),
        },
    )


@router.get(
    "/registry/{table}",
    response_model=RegistryPage,
    responses=AUTH_RESPONSES,
    summary="A page of a registry table (staff: their own cluster's rows)",
)
def list_rows(
    table: TablePath,
    lang: LangDep,
    principal: PrincipalDep,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RegistryPage:
    return service.list_rows(table, offset=offset, limit=limit, principal=principal, face="api")


@router.get(
    "/registry/{table}/export",
    response_class=Response,
    responses={200: {"content": _FILE_CONTENT, "description": "The table file"}, **AUTH_RESPONSES},
    summary="A registry table as CSV or XLSX, in the form import reads",
)
def export_table(
    table: TablePath,
    lang: LangDep,
    principal: PrincipalDep,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    return _download(service.export_file(table, fmt, principal=principal, face="api"))


@router.post(
    "/registry/{table}/import",
    response_model=ImportResult,
    responses=AUTH_RESPONSES,
    summary="Import a CSV or XLSX file, all or nothing (staff: their own cluster's rows only)",
)
def import_table(
    table: TablePath,
    file: Annotated[UploadFile, File(description="A .csv or .xlsx file.")],
    lang: LangDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Query(description="Check and count, then undo.")] = False,
) -> ImportResult:
    data = file.file.read()
    return service.import_upload(
        table, data, file.filename, dry_run=dry_run, principal=principal, lang=lang, face="api"
    )


@router.api_route(
    "/registry/{table}/import",
    methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"],
    include_in_schema=False,
)
def import_other_methods(table: str) -> None:
    """Only POST imports; without this, GET .../import would reach /{row_id} as a bad id."""
    raise HTTPException(status_code=405, headers={"Allow": "POST"})


@router.get(
    "/registry/{table}/{row_id}",
    response_model=RegistryRow,
    responses=AUTH_RESPONSES,
    summary="One registry row by id (another cluster's row is not found)",
)
def get_row(
    table: TablePath,
    row_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    lang: LangDep,
    principal: PrincipalDep,
) -> Any:
    return service.get_row(table, row_id, principal=principal, face="api")


def _account(
    cluster: str | None,
    fmt: str,
    year: int | None,
    start: date | None,
    end: date | None,
    lang: str,
    principal: Any,
) -> Any:
    if fmt == "json":
        return service.account(
            cluster, year=year, start=start, end=end, lang=lang, principal=principal
        )
    file = service.account_file(
        cluster, fmt=fmt, year=year, start=start, end=end, lang=lang, principal=principal
    )
    return _download(file)


_ACCOUNT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": _FILE_CONTENT, "description": "The account (JSON, CSV or XLSX)"},
    **AUTH_RESPONSES,
}


@router.get(
    "/accounts/national",
    response_model=AccountResult,
    responses=_ACCOUNT_RESPONSES,
    tags=["accounts"],
    summary="The national performance account (analyst or admin)",
)
def national_account(
    lang: LangDep,
    principal: PrincipalDep,
    year: YearQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
    fmt: AccountFormat = "json",
) -> Any:
    return _account(None, fmt, year, start, end, lang, principal)


@router.get(
    "/accounts/{cluster}",
    response_model=AccountResult,
    responses=_ACCOUNT_RESPONSES,
    tags=["accounts"],
    summary="One cluster's performance account (its staff, analysts, admins)",
)
def cluster_account(
    cluster: Annotated[str, Path(max_length=200, description="The cluster's slug or name.")],
    lang: LangDep,
    principal: PrincipalDep,
    year: YearQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
    fmt: AccountFormat = "json",
) -> Any:
    return _account(cluster, fmt, year, start, end, lang, principal)


# -- personal data (GDPR), admins only ----------------------------------------------------------
EmailPath = Annotated[str, Path(max_length=254, description="The person's e-mail.")]


@router.get(
    "/people/retention",
    response_model=RetentionResult,
    responses=AUTH_RESPONSES,
    summary="Contacts without activity for N years (admins)",
)
def retention(
    lang: LangDep,
    principal: PrincipalDep,
    years: Annotated[int, Query(ge=1, le=100)],
) -> RetentionResult:
    return people.retention(years, principal=principal, face="api")


@router.post(
    "/people/retention/erase",
    response_model=RetentionResult,
    responses=AUTH_RESPONSES,
    summary="Erase the contacts without activity for N years (admins)",
)
def retention_erase(
    lang: LangDep,
    principal: PrincipalDep,
    years: Annotated[int, Query(ge=1, le=100)],
) -> RetentionResult:
    return people.retention(years, erase=True, principal=principal, face="api")


@router.get(
    "/people/audit",
    response_model=AuditLog,
    responses=AUTH_RESPONSES,
    summary="Who read or changed personal data, and when (admins)",
)
def audit_log(
    lang: LangDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditLog:
    return people.audit_log(principal=principal, limit=limit)


@router.get(
    "/people/{email}",
    response_model=PersonExport,
    responses=AUTH_RESPONSES,
    summary="Everything held on one person (right of access; admins)",
)
def person_export(email: EmailPath, lang: LangDep, principal: PrincipalDep) -> PersonExport:
    return people.person_export(email, principal=principal, face="api")


@router.delete(
    "/people/{email}",
    response_model=ErasureResult,
    responses=AUTH_RESPONSES,
    summary="Remove one person everywhere (right to erasure; admins)",
)
def person_erase(email: EmailPath, lang: LangDep, principal: PrincipalDep) -> ErasureResult:
    return people.person_erase(email, principal=principal, face="api")
