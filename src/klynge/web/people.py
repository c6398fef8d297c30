"""The pages people sign in to: sign in and out, their area, accounts, tokens, imports.

A person signs in with an API token (``klynge token create``), which carries the roles of the
API: staff of one cluster, national analyst, admin. The session is a signed cookie
(:mod:`klynge.web.security`); every page here hands the session's principal to the services,
which enforce the tenant rule on the server. Templates only show what the services returned.

Every form that changes state (sign in, sign out, a token made or revoked, an import) carries a
CSRF token. None of these pages is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from klynge.errors import KlyngeError, Unauthorized
from klynge.i18n import Lang, Text
from klynge.services import auth as auth_service
from klynge.services import registry as registry_service
from klynge.services.auth import Principal
from klynge.web import security, views
from klynge.web.pages import here, lang_of
from klynge.web.render import gettext, html, render

router = APIRouter(include_in_schema=False)

TABLES = ("organisations", "memberships", "activities", "participations", "outcomes")


# -- plumbing -------------------------------------------------------------------------------------
def session_of(request: Request) -> security.Session | None:
    return security.read_session(request.cookies.get(security.SESSION_COOKIE))


def principal_of(session: security.Session) -> Principal:
    return Principal(**session.to_principal_fields())


def account_cluster(session: security.Session, cluster: str | None) -> str | None:
    """The account a page shows when none is asked for: staff their own cluster's, others the
    national one. Access itself is the services' rule (``services.auth.check_account``)."""
    return cluster or (session.cluster if session.role == "staff" else None)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/me"


def page(
    request: Request,
    lang: Lang,
    template: str,
    *,
    status: int = 200,
    session: security.Session | None = None,
    **context: Any,
) -> Response:
    """A private page: never cached, with a CSRF token for its forms (and its cookie if new)."""
    nonce = request.cookies.get(security.CSRF_COOKIE)
    fresh = not nonce
    if not nonce:
        nonce = security.new_nonce()
    body = render(
        lang,
        template,
        here=here(request),
        section="me",
        session=session,
        csrf=security.csrf_token(nonce),
        csrf_field=security.CSRF_FIELD,
        **context,
    )
    response = html(body, lang=lang, status=status)
    if fresh:
        set_cookie(request, response, security.CSRF_COOKIE, nonce, max_age=None)
    return response


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=security.secure_cookies(request.url.scheme),
        path="/",
    )


def refused(request: Request, lang: Lang, exc: KlyngeError) -> Response:
    return page(
        request,
        lang,
        "error.html",
        status=exc.status,
        title=exc.title.get(lang),
        message=exc.text(lang),
    )


def csrf_refused(request: Request, lang: Lang) -> Response:
    return page(
        request,
        lang,
        "error.html",
        status=403,
        title=gettext(lang, "The form has expired"),
        message=gettext(
            lang,
            "The form's security token did not match. Go back, reload the page and send it again.",
        ),
    )


def check_csrf(request: Request, token: str | None) -> bool:
    return security.csrf_ok(request.cookies.get(security.CSRF_COOKIE), token)


def signed_in(request: Request, view: Callable[[security.Session, Lang], Response]) -> Response:
    """Run ``view`` for a signed-in person; anyone else goes to the sign-in page first."""
    lang = lang_of(request)
    session = session_of(request)
    if session is None:
        return RedirectResponse(f"/login?next={quote(here(request), safe='')}", status_code=303)
    try:
        return view(session, lang)
    except KlyngeError as exc:
        return refused(request, lang, exc)


# -- sign in and out ------------------------------------------------------------------------------
@router.get("/login", response_class=Response)
def login_form(request: Request, next: str | None = None) -> Response:
    lang = lang_of(request)
    return page(request, lang, "login.html", next=safe_next(next), error=None)


@router.post("/login", response_class=Response)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/me",
) -> Response:
    lang = lang_of(request)
    if not check_csrf(request, csrf_token):
        return csrf_refused(request, lang)
    who = client_key(request)
    wait = security.LOGINS.blocked_for(who)
    if wait > 0:
        response = page(
            request,
            lang,
            "login.html",
            status=429,
            next=safe_next(next),
            error=gettext(lang, "Too many failed sign-ins. Try again in %(minutes)s minutes.")
            % {"minutes": max(1, round(wait / 60))},
        )
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    try:
        principal = auth_service.authenticate(token.strip() or None)
        if principal is None:
            raise Unauthorized(Text(da="ingen nøgle", en="no token"), code="token-required")
    except KlyngeError as exc:
        security.LOGINS.failed(who, exc.error_code)
        return page(
            request,
            lang,
            "login.html",
            status=401,
            next=safe_next(next),
            error=gettext(lang, "That token is unknown or has been revoked."),
        )
    security.LOGINS.succeeded(who)
    response = RedirectResponse(safe_next(next), status_code=303)
    cookie = security.make_session(principal.role, principal.cluster, principal.token_id)
    set_cookie(request, response, security.SESSION_COOKIE, cookie, max_age=security.SESSION_SECONDS)
    # A fresh CSRF nonce for the signed-in session.
    set_cookie(request, response, security.CSRF_COOKIE, security.new_nonce(), max_age=None)
    return response


@router.post("/logout", response_class=Response)
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not check_csrf(request, csrf_token):
        return csrf_refused(request, lang_of(request))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    response.delete_cookie(security.CSRF_COOKIE, path="/")
    return response


# -- the person's area ----------------------------------------------------------------------------
@router.get("/me", response_class=Response)
def me(request: Request) -> Response:
    def view(session: security.Session, lang: Lang) -> Response:
        name = views.cluster_name(session.cluster, lang)
        return page(request, lang, "me.html", session=session, cluster_name=name)

    return signed_in(request, view)


@router.get("/account", response_class=Response)
def account(
    request: Request,
    cluster: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """A performance account: staff see their own cluster's, analysts and admins any."""

    def view(session: security.Session, lang: Lang) -> Response:
        chosen = account_cluster(session, cluster)
        result = registry_service.account(
            chosen, year=year, lang=lang, principal=principal_of(session)
        )
        return page(
            request,
            lang,
            "account.html",
            session=session,
            acc=result,
            year=year,
            request_cluster=cluster,
        )

    return signed_in(request, view)


# -- admin: tokens --------------------------------------------------------------------------------
@router.get("/admin/tokens", response_class=Response)
def tokens(request: Request) -> Response:
    def view(session: security.Session, lang: Lang) -> Response:
        listed = auth_service.list_tokens(principal=principal_of(session))
        return page(
            request, lang, "tokens.html", session=session, tokens=listed.tokens, created=None
        )

    return signed_in(request, view)


@router.post("/admin/tokens", response_class=Response)
def create_token(
    request: Request,
    role: Annotated[str, Form(max_length=20)],
    cluster: Annotated[str, Form(max_length=200)] = "",
    label: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    def view(session: security.Session, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        principal = principal_of(session)
        made = auth_service.create_token(
            role, cluster.strip() or None, label.strip() or None, principal=principal
        )
        listed = auth_service.list_tokens(principal=principal)
        return page(
            request, lang, "tokens.html", session=session, tokens=listed.tokens, created=made
        )

    return signed_in(request, view)


@router.post("/admin/tokens/{token_id}/revoke", response_class=Response)
def revoke_token(
    request: Request, token_id: int, csrf_token: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    def view(session: security.Session, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        auth_service.revoke_token(token_id, principal=principal_of(session))
        return RedirectResponse("/admin/tokens", status_code=303)

    return signed_in(request, view)


# -- staff: import --------------------------------------------------------------------------------
@router.get("/import", response_class=Response)
def import_form(request: Request) -> Response:
    def view(session: security.Session, lang: Lang) -> Response:
        return page(
            request, lang, "import.html", session=session, tables=TABLES, result=None, problem=None
        )

    return signed_in(request, view)


@router.post("/import", response_class=Response)
async def import_file(
    request: Request,
    table: Annotated[str, Form(max_length=30)],
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[str | None, Form(max_length=5)] = None,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Import a CSV or XLSX file: all or nothing; a refusal lists every bad row."""
    content = await file.read()
    name = file.filename

    def view(session: security.Session, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        try:
            result = registry_service.import_upload(
                table,
                content,
                name,
                dry_run=bool(dry_run),
                principal=principal_of(session),
                lang=lang,
                face="web",
            )
        except KlyngeError as exc:
            if exc.status in (401, 403):
                raise
            problem = {
                "message": exc.message.get(lang),
                "rows": [(t.get(lang), loc) for t, loc in exc.details],
            }
            return page(
                request,
                lang,
                "import.html",
                status=exc.status,
                session=session,
                tables=TABLES,
                result=None,
                problem=problem,
            )
        return page(
            request,
            lang,
            "import.html",
            session=session,
            tables=TABLES,
            result=result,
            problem=None,
        )

    return await run_in_threadpool(signed_in, request, view)
