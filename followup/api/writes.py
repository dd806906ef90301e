"""How every write is answered: If-Match, Idempotency-Key, errors as problems, a receipt."""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from adapters.idempotency import IdempotencyStore, StoredResponse
from followup.api.problems import PROBLEM_JSON, ProblemError
from followup.api.schemas import Problem
from followup.api.write_schemas import ReceiptPublic
from followup.authorization import Principal
from followup.bootstrap import Container
from followup.commands.base import CommandError, Receipt, StaleVersionError

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=40,
        description="the version you read (from GET or a previous write): stale → 412",
        examples=['"3"'],
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="replaying a key returns the first response and appends nothing",
        examples=["2c1e5b7e-progress-2009-03"],
    ),
]

_VERSION = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("the body is not JSON (or not UTF-8)"),
    413: _problem("the body is too large"),
    401: _problem("no bearer token, or an unknown or revoked one"),
    403: _problem("the token's role or working groups do not allow this write"),
    404: _problem("no such outcome, working group, survey, meeting or report"),
    409: _problem("the forum's rules refuse it in the record's present state"),
    422: _problem("invalid input (each bad field is named), or an idempotency key reused"),
}
OUTCOME_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("the body is not JSON (or not UTF-8)"),
    413: _problem("the body is too large"),
    **WRITE_RESPONSES,
    412: _problem("If-Match names a version that is not the current one"),
}


def parse_if_match(value: str | None) -> int | None:
    if value is None:
        return None
    match = _VERSION.match(value.strip())
    if not match:
        raise ProblemError(
            422,
            "If-Match must be a version number",
            [{"field": "If-Match", "message": 'expected a version such as "3"'}],
        )
    return int(match.group(1))


def fingerprint(request: Request, body: BaseModel | None) -> str:
    text = f"{request.method} {request.url.path}\n{body.model_dump_json() if body else ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _run(action: Callable[[], Receipt], retry: bool, attempts: int = 12) -> Receipt:
    """Without If-Match the caller did not pin a version: a write that lost a race to another
    is decided again on the newer version (no lost update, no spurious 412), with a short
    jittered pause so racing writers spread out."""
    for attempt in range(attempts - 1):
        try:
            return action()
        except StaleVersionError as error:
            if not (retry and error.lost_race):
                raise
            time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
    return action()


def answer_write(
    request: Request,
    principal: Principal,
    idempotency_key: str | None,
    body: BaseModel | None,
    action: Callable[[], Receipt],
) -> JSONResponse:
    """Run ``action`` once per idempotency key; map refusals to problems; 201 with a receipt."""
    container: Container = request.app.state.container
    store: IdempotencyStore = request.app.state.idempotency
    # only a keyed write is compared with a stored one: the body is not hashed for nothing
    print_ = fingerprint(request, body) if idempotency_key is not None else ""
    if idempotency_key is not None:
        stored = store.find(principal.actor, idempotency_key)
        if stored is not None:
            if stored.fingerprint != print_:
                raise ProblemError(
                    422,
                    "this Idempotency-Key was used with a different request",
                    [{"field": "Idempotency-Key", "message": "reused with a different body"}],
                )
            return JSONResponse(
                stored.body,
                status_code=stored.status,
                headers={**stored.headers, "Idempotent-Replayed": "true"},
            )
    try:
        receipt = _run(action, retry=request.headers.get("if-match") is None)
    except StaleVersionError as error:
        raise ProblemError(
            412,
            error.detail,
            [{"field": "If-Match", "message": f"current version is {error.current}"}],
            headers={"ETag": f'"{error.current}"'},
        ) from None
    except CommandError as error:
        errors = [{"field": error.field, "message": error.detail}] if error.field else []
        raise ProblemError(error.status, error.detail, errors) from None
    body_out = ReceiptPublic(
        id=receipt.aggregate_id,
        version=receipt.version,
        recorded=receipt.recorded,
        log_position=receipt.log_position,
        created_id=receipt.created_id,
    ).model_dump(mode="json")
    headers = {"ETag": f'"{receipt.version}"'}
    if idempotency_key is not None:
        store.keep(
            principal.actor,
            idempotency_key,
            StoredResponse(print_, 201, body_out, headers),
            container.clock.now(),
        )
    return JSONResponse(body_out, status_code=201, headers=headers)
