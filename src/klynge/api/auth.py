"""The API's bearer tokens: who is asking, and the admin's endpoints for tokens.

This module only reads the ``Authorization`` header and hands the principal to the services;
what each role may do is decided in :mod:`klynge.services.auth`.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import Receive, Scope, Send

from klynge.api.common import PROBLEM_JSON, PROBLEM_RESPONSES, LangDep
from klynge.errors import ErrorBody
from klynge.services import auth as service
from klynge.services.auth import CreatedToken, Principal, TokenInfo, TokenList, TokenRequest

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `klynge token create` (or `POST /api/v1/tokens`).",
)


def current_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    """The principal behind the bearer token; ``None`` (public) without one."""
    return service.authenticate(None if credentials is None else credentials.credentials)


PrincipalDep = Annotated[Principal | None, Depends(current_principal)]

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    **{
        code: {"model": ErrorBody, "content": {PROBLEM_JSON: {}}, "description": text}
        for code, text in (
            (401, "No token, or an unknown or revoked one / Ingen eller ugyldig nøgle"),
            (403, "The token's role or cluster does not allow this / Ingen adgang"),
            (409, "Conflict / Konflikt"),
            (503, "The database cannot be used / Databasen kan ikke bruges"),
        )
    },
}


class SharedPathRoute(APIRoute):
    """A route whose 405 names every method the path answers, not just its own.

    Starlette answers a wrong method from the first route whose path matches, so ``GET`` and
    ``POST /tokens`` (two routes) would each claim to be the only method of ``/tokens``.
    Undocumented routes (``include_in_schema=False``) do not count.
    """

    _methods: ClassVar[dict[str, set[str]]] = {}

    def __init__(self, path: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(path, *args, **kwargs)
        if self.include_in_schema:
            self._methods.setdefault(self.path, set()).update(self.methods or ())

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allow = ", ".join(sorted(self._methods.get(self.path, self.methods)))
            raise HTTPException(status_code=405, headers={"Allow": allow})
        await super().handle(scope, receive, send)


router = APIRouter(tags=["tokens"], route_class=SharedPathRoute)


@router.post(
    "/tokens",
    response_model=CreatedToken,
    status_code=201,
    responses=AUTH_RESPONSES,
    summary="Make a token (admin); the secret is in this answer only",
)
def create_token(body: TokenRequest, lang: LangDep, principal: PrincipalDep) -> CreatedToken:
    return service.create_token(body.role, body.cluster, body.label, principal=principal)


@router.get("/tokens", response_model=TokenList, responses=AUTH_RESPONSES, summary="List tokens")
def list_tokens(lang: LangDep, principal: PrincipalDep) -> TokenList:
    return service.list_tokens(principal=principal)


@router.delete(
    "/tokens/{token_id}",
    response_model=TokenInfo,
    responses=AUTH_RESPONSES,
    summary="Revoke a token at once",
)
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], lang: LangDep, principal: PrincipalDep
) -> TokenInfo:
    return service.revoke_token(token_id, principal=principal)
