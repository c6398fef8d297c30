"""The pages people sign in to: sign in and out, their area, accounts, tokens, users, imports.

People sign in with an e-mail and a password (``klynge user create``; the admin's
``/admin/users``), or with an API token (``klynge token create``). The session is a signed
cookie naming the user or token (:mod:`klynge.web.security`); on every request
:func:`current_person` asks the services who that is now, so a disabled user or a revoked token
is signed out at once. Every page here hands the person's principal to the services, which
enforce the tenant rule on the server. Templates only show what the services returned.

For a new page that needs the signed-in person::

    @router.get("/something")
    def something(request: Request) -> Response:
        def view(person: Person, lang: Lang) -> Response:
            person.principal      # hand it to the services
            person.organisation   # a member's organisation (key), else None; .organisation_name
            return page(request, lang, "something.html", session=person)
        return signed_in(request, view, roles=("member",))

Every form that changes state carries a CSRF token (:func:`check_csrf`). None of these pages is
cached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from klynge.errors import Forbidden, KlyngeError, Unauthorized
from klynge.i18n import Lang, Text
from klynge.services import auth as auth_service
from klynge.services import registry as registry_service
from klynge.services import users as users_service
from klynge.services.auth import Principal
from klynge.web import security, views
from klynge.web.pages import here, lang_of
from klynge.web.render import gettext, html, render

router = APIRouter(include_in_schema=False)

TABLES = ("organisations", "memberships", "activities", "participations", "outcomes", "contacts")


# -- who is signed in -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """The signed-in person on this request, as the services know them now."""

    principal: Principal
    kind: str
    """``user`` (signed in with e-mail and password) or ``token`` (with an API token)."""
    email: str | None
    organisation_name: str | None = None

    @property
    def role(self) -> str:
        return self.principal.role

    @property
    def cluster(self) -> str | None:
        return self.principal.cluster

    @property
    def organisation(self) -> str | None:
        """A member's organisation (its key: the CVR number for a Danish company)."""
        return self.principal.organisation

    @property
    def user_id(self) -> int | None:
        return self.principal.user_id


def current_person(request: Request) -> Person | None:
    """Who is signed in, checked against the database once per request (a primary-key
    look-up); ``None`` for no session, an expired or forged one, a disabled or changed user,
    a revoked token."""
    if hasattr(request.state, "person"):
        cached: Person | None = request.state.person
        return cached
    session = security.read_session(request.cookies.get(security.SESSION_COOKIE))
    person = None
    if session is not None:
        found = users_service.session_person(session.kind, session.ident, session.generation)
        if found is not None:
            person = Person(
                principal=found.principal,
                kind=found.kind,
                email=found.email,
                organisation_name=found.organisation_name,
            )
    request.state.person = person
    return person


def principal_of(person: Person) -> Principal:
    return person.principal


def account_cluster(person: Person, cluster: str | None) -> str | None:
    """The account a page shows when none is asked for: staff their own cluster's, others the
    national one. Access itself is the services' rule (``services.auth.check_account``)."""
    return cluster or (person.cluster if person.role == "staff" else None)


def scheme_of(request: Request) -> str:
    return security.request_scheme(request.url.scheme, request.headers.get("x-forwarded-proto"))


def client_key(request: Request) -> str:
    return security.client_address(
        request.client.host if request.client else None, request.headers.get("x-forwarded-for")
    )


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
    session: Person | None = None,
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
        secure=security.secure_cookies(scheme_of(request)),
        path="/",
    )


def refused(
    request: Request, lang: Lang, exc: KlyngeError, person: Person | None = None
) -> Response:
    return page(
        request,
        lang,
        "error.html",
        status=exc.status,
        session=person,
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


def signed_in(
    request: Request,
    view: Callable[[Person, Lang], Response],
    *,
    roles: Iterable[str] | None = None,
) -> Response:
    """Run ``view`` for a signed-in person (of one of ``roles``, when given); anyone else
    goes to the sign-in page first. A service's refusal becomes an error page."""
    lang = lang_of(request)
    try:
        person = current_person(request)
    except KlyngeError as exc:
        return refused(request, lang, exc)
    if person is None:
        response = RedirectResponse(f"/login?next={quote(here(request), safe='')}", status_code=303)
        if request.cookies.get(security.SESSION_COOKIE):
            response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response
    allowed = tuple(roles) if roles is not None else None
    try:
        if allowed is not None and person.role not in allowed:
            raise Forbidden(
                Text(
                    da="din rolle giver ikke adgang til denne side",
                    en="your role does not give access to this page",
                ),
                code="role-forbidden",
            )
        return view(person, lang)
    except KlyngeError as exc:
        return refused(request, lang, exc, person)


# -- sign in and out ------------------------------------------------------------------------------
@router.get("/login", response_class=Response)
def login_form(request: Request, next: str | None = None) -> Response:
    lang = lang_of(request)
    return page(request, lang, "login.html", next=safe_next(next), error=None, email="")


def _login_refused(
    request: Request, lang: Lang, status: int, message: str, next: str, email: str
) -> Response:
    return page(
        request,
        lang,
        "login.html",
        status=status,
        next=safe_next(next),
        error=message,
        email=email,
    )


@router.post("/login", response_class=Response)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    token: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/me",
) -> Response:
    """Sign in with an e-mail and password, or with an API token (the second form)."""
    lang = lang_of(request)
    if not check_csrf(request, csrf_token):
        return csrf_refused(request, lang)
    who = client_key(request)
    account = email.strip().lower()
    wait = max(
        security.LOGINS.blocked_for(who),
        security.ACCOUNTS.blocked_for(account) if account else 0.0,
    )
    if wait > 0:
        response = _login_refused(
            request,
            lang,
            429,
            gettext(lang, "Too many failed sign-ins. Try again in %(minutes)s minutes.")
            % {"minutes": max(1, round(wait / 60))},
            next,
            account,
        )
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    if token.strip():
        try:
            principal = auth_service.authenticate(token.strip())
            if principal is None or principal.token_id is None:
                raise Unauthorized(Text(da="ingen nøgle", en="no token"), code="token-required")
        except KlyngeError as exc:
            security.LOGINS.failed(who, exc.error_code)
            return _login_refused(
                request,
                lang,
                401,
                gettext(lang, "That token is unknown or has been revoked."),
                next,
                "",
            )
        cookie = security.make_session("token", principal.token_id)
    else:
        try:
            result = users_service.authenticate(account, password)
        except KlyngeError as exc:
            security.LOGINS.failed(who, exc.error_code)
            if account:
                security.ACCOUNTS.failed(account, exc.error_code, quiet=True)
            message = (
                gettext(lang, "This user has been disabled. Ask an administrator.")
                if exc.error_code == "user-disabled"
                else gettext(lang, "Wrong e-mail or password.")
            )
            return _login_refused(request, lang, exc.status, message, next, account)
        security.ACCOUNTS.succeeded(account)
        cookie = security.make_session("user", result.user_id, result.generation)
    security.LOGINS.succeeded(who)
    response = RedirectResponse(safe_next(next), status_code=303)
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
    def view(session: Person, lang: Lang) -> Response:
        name = views.cluster_name(session.cluster, lang)
        return page(request, lang, "me.html", session=session, cluster_name=name)

    return signed_in(request, view)


@router.get("/profile", response_class=Response)
def profile(request: Request) -> Response:
    """A member's own organisation: its edit page (the services find which one it is)."""
    from klynge.services import rows as rows_service

    def view(person: Person, lang: Lang) -> Response:
        row_id = rows_service.my_organisation(principal=person.principal)
        return RedirectResponse(f"/registry/organisations/{row_id}/edit", status_code=303)

    return signed_in(request, view)


@router.get("/account", response_class=Response)
def account(
    request: Request,
    cluster: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """A performance account: staff see their own cluster's, analysts and admins any."""

    def view(session: Person, lang: Lang) -> Response:
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
    def view(session: Person, lang: Lang) -> Response:
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
    def view(session: Person, lang: Lang) -> Response:
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
    def view(session: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        auth_service.revoke_token(token_id, principal=principal_of(session))
        return RedirectResponse("/admin/tokens", status_code=303)

    return signed_in(request, view)


# -- admin: users ---------------------------------------------------------------------------------
def _users_page(
    request: Request,
    lang: Lang,
    person: Person,
    *,
    status: int = 200,
    created: Any = None,
    problem: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    listed = users_service.list_users(principal=person.principal)
    return page(
        request,
        lang,
        "users.html",
        status=status,
        session=person,
        users=listed.users,
        roles=auth_service.USER_ROLES,
        created=created,
        problem=problem,
        form=form or {},
    )


@router.get("/admin/users", response_class=Response)
def users(request: Request) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        return _users_page(request, lang, person)

    return signed_in(request, view, roles=("admin",))


@router.post("/admin/users", response_class=Response)
def create_user(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    role: Annotated[str, Form(max_length=20)],
    cluster: Annotated[str, Form(max_length=200)] = "",
    organisation: Annotated[str, Form(max_length=64)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        try:
            made = users_service.create_user(
                email,
                password,
                role,
                cluster=cluster,
                organisation=organisation,
                name=name,
                principal=person.principal,
            )
        except KlyngeError as exc:
            if exc.status in (401, 403):
                raise
            form = {"email": email, "role": role, "cluster": cluster, "organisation": organisation}
            form["name"] = name
            return _users_page(
                request, lang, person, status=exc.status, problem=exc.text(lang), form=form
            )
        return _users_page(request, lang, person, created=made)

    return signed_in(request, view, roles=("admin",))


@router.post("/admin/users/{user_id}/role", response_class=Response)
def change_role(
    request: Request,
    user_id: int,
    role: Annotated[str, Form(max_length=20)],
    cluster: Annotated[str, Form(max_length=200)] = "",
    organisation: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        try:
            users_service.set_role(
                user_id,
                role,
                cluster=cluster,
                organisation=organisation,
                principal=person.principal,
            )
        except KlyngeError as exc:
            if exc.status in (401, 403, 404):
                raise
            return _users_page(request, lang, person, status=exc.status, problem=exc.text(lang))
        return RedirectResponse("/admin/users", status_code=303)

    return signed_in(request, view, roles=("admin",))


@router.post("/admin/users/{user_id}/{action}", response_class=Response)
def switch_user(
    request: Request,
    user_id: int,
    action: str,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Disable a user (their sessions end at once) or enable them again."""

    def view(person: Person, lang: Lang) -> Response:
        if not check_csrf(request, csrf_token):
            return csrf_refused(request, lang)
        if action == "disable":
            users_service.disable_user(user_id, principal=person.principal)
        elif action == "enable":
            users_service.enable_user(user_id, principal=person.principal)
        else:
            from klynge.web.pages import not_found

            return not_found(request, lang)
        return RedirectResponse("/admin/users", status_code=303)

    return signed_in(request, view, roles=("admin",))


# -- staff: import --------------------------------------------------------------------------------
@router.get("/import", response_class=Response)
def import_form(request: Request) -> Response:
    def view(session: Person, lang: Lang) -> Response:
        return page(
            request, lang, "import.html", session=session, tables=TABLES, result=None, problem=None
        )

    return signed_in(request, view, roles=("staff", "admin"))


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

    def view(session: Person, lang: Lang) -> Response:
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
