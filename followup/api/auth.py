"""Bearer tokens on the write API: 401 without a live token, the principal otherwise."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from adapters.api_tokens import TokenStore
from followup.api.problems import ProblemError
from followup.authorization import Principal, Role

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    description="A token from `followup tokens create`: `Authorization: Bearer fu_…`",
)


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ProblemError(401, "a bearer token is required", headers=challenge)
    store = request.app.state.tokens
    assert isinstance(store, TokenStore)
    token = store.authenticate(credentials.credentials)
    if token is None:
        raise ProblemError(401, "the token is unknown or revoked", headers=challenge)
    return Principal(token.id, Role(token.role), frozenset(token.working_groups))


PrincipalDep = Annotated[Principal, Depends(get_principal)]
