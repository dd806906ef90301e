"""Bearer tokens: a write needs a live token of this forum; a read needs one when the forum's
API is not public, and a token that is shown must be live here either way (401 otherwise)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from adapters.api_tokens import TokenInfo, TokenStore
from followup.api.problems import ProblemError
from followup.api.schemas import Problem
from followup.authorization import Principal, Role

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    description="A token from `followup tokens create`: `Authorization: Bearer fu_…`",
)


async def authenticated(request: Request, bearer_token: str) -> TokenInfo | None:
    """The live token ``bearer_token`` proves, asked of the store once per request (a write's
    route checks it as a reader and as a writer). The checks are async, so FastAPI runs them
    in the event loop: only the store's query takes a worker thread, once, not each check (a
    thread hop per sync dependency was a tenth of a write's CPU). The query stays off the
    event loop, which keeps answering (``/healthz`` among others) while a database stalls."""
    known: dict[str, TokenInfo | None] = request.state.__dict__.setdefault("tokens_seen", {})
    if bearer_token not in known:
        store = request.app.state.tokens
        assert isinstance(store, TokenStore)
        known[bearer_token] = await run_in_threadpool(store.authenticate, bearer_token)
    return known[bearer_token]


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ProblemError(401, "a bearer token is required", headers=challenge)
    token = await authenticated(request, credentials.credentials)
    if token is None:
        raise ProblemError(401, "the token is unknown or revoked", headers=challenge)
    return Principal(token.id, Role(token.role), frozenset(token.working_groups))


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def check_reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    """Reads are open on a public forum; a token of another forum (or a revoked one) is
    refused rather than ignored, so a client learns at once that it holds the wrong one."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        if request.app.state.container.settings.public_api:
            return
        raise ProblemError(401, "this forum's API needs a bearer token", headers=challenge)
    if await authenticated(request, credentials.credentials) is None:
        raise ProblemError(401, "the token is unknown or revoked", headers=challenge)


READ_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "model": Problem,
        "description": "a token unknown to this forum, or none where the API is not public",
        "content": {"application/problem+json": {}},
    }
}
