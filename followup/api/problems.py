"""Errors as RFC 9457 problem details (``application/problem+json``), naming each bad field."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from followup.api.schemas import FieldError, Problem

PROBLEM_JSON = "application/problem+json"


class ProblemError(Exception):
    """Raised by routes: becomes a problem response with the given status."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers


def problem_response(
    request: Request,
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=[FieldError(**e) for e in errors or []],
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def field_name(location: tuple[Any, ...]) -> str:
    """``("query", "as_of")`` → ``as_of``; ``("body", "figures", 0, "numerator")`` →
    ``figures[0].numerator``."""
    parts = [p for p in location if p not in {"query", "path", "body", "header"}]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or str(location[-1] if location else "request")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": field_name(tuple(e["loc"])), "message": e["msg"]} for e in error.errors()
        ]
        names = ", ".join(sorted({e["field"] for e in errors}))
        return problem_response(request, 422, f"invalid input: {names}", errors)

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> JSONResponse:
        return problem_response(request, error.status, error.detail, error.errors, error.headers)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> JSONResponse:
        headers = dict(error.headers) if error.headers else None
        return problem_response(request, error.status_code, str(error.detail), headers=headers)
