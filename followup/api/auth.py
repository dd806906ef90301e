"""Bearer tokens: a write needs a live token of this forum; a read needs one when the forum's
API is not public, and a token that is shown must be live here either way (401 otherwise)."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

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


CHALLENGE = {"WWW-Authenticate": "Bearer"}
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def authenticated(request: Request, bearer_token: str) -> TokenInfo | None:
    """The live token ``bearer_token`` proves, for a read. The check is async, so FastAPI runs
    it in the event loop: only the store's query takes a worker thread (a thread hop per sync
    dependency was a tenth of a write's CPU). The query stays off the event loop, which keeps
    answering (``/healthz`` among others) while a database stalls."""
    store = request.app.state.tokens
    assert isinstance(store, TokenStore)
    return await run_in_threadpool(store.authenticate, bearer_token)


class Bearer(NamedTuple):
    """A write's bearer token, not yet checked: ``runs_as_write`` checks it on the write's own
    thread, before the endpoint runs, and hands the endpoint the ``Principal`` it proves."""

    token: str


async def bearer_of_write(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Bearer:
    if credentials is None:
        raise ProblemError(401, "a bearer token is required", headers=CHALLENGE)
    return Bearer(credentials.credentials)


def principal_of(request: Request, pending: Bearer) -> Principal:
    """The principal a write's bearer token proves (its store's query on the calling thread,
    the write's own), or 401. Asking on the write's thread spares a write a thread hop of its
    own for the query: a tenth of the event loop's share of a write (BENCHMARKS.md, "Eighth
    round")."""
    store = request.app.state.tokens
    assert isinstance(store, TokenStore)
    token = store.authenticate(pending.token)
    if token is None:
        raise ProblemError(401, "the token is unknown or revoked", headers=CHALLENGE)
    return Principal(token.id, Role(token.role), frozenset(token.working_groups))


#: a write's principal. FastAPI hands the endpoint's wrapper a ``Bearer``; ``runs_as_write``
#: replaces it by the ``Principal`` it proves before the endpoint itself is called (a route
#: taking it must run as a write: ``tests/integration/api/test_authorization_matrix.py``)
PrincipalDep = Annotated[Principal, Depends(bearer_of_write)]


async def check_reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    """Reads are open on a public forum; a token of another forum (or a revoked one) is
    refused rather than ignored, so a client learns at once that it holds the wrong one.
    A write checks its token itself, on its own thread (``principal_of``)."""
    if request.method not in READ_METHODS:
        return
    if credentials is None:
        if request.app.state.container.settings.public_api:
            return
        raise ProblemError(401, "this forum's API needs a bearer token", headers=CHALLENGE)
    if await authenticated(request, credentials.credentials) is None:
        raise ProblemError(401, "the token is unknown or revoked", headers=CHALLENGE)


READ_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "model": Problem,
        "description": "a token unknown to this forum, or none where the API is not public",
        "content": {"application/problem+json": {}},
    }
}
