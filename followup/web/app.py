"""Puts the pages on the FastAPI application: sessions, security headers, static files, routes,
and error pages (the API keeps its problem details)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from adapters.users import UserStore
from followup.api.problems import problem_response
from followup.bootstrap import Container
from followup.web.actors import actor_names
from followup.web.i18n import N_, current_language, gettext
from followup.web.page_state import PageError, SignInRequiredError, page_state
from followup.web.routes import (
    body_pages,
    briefing_pages,
    forms,
    outcome_pages,
    portfolio_pages,
    reminder_pages,
    session,
)
from followup.web.security import SecurityHeaders, SignInThrottle, forum_key, session_secret
from followup.web.templating import STATIC, render

log = logging.getLogger(__name__)
NOT_PAGES = ("/api/", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc")


def install_pages(app: FastAPI, container: Container) -> None:
    settings = container.settings
    app.state.users = UserStore(container.engine)
    app.state.languages = tuple(settings.languages)
    secret = session_secret(settings.secret_key, settings.data_dir)
    app.state.throttle = SignInThrottle(container.clock)
    app.state.actor_names = lambda: actor_names(container)
    app.add_middleware(
        SessionMiddleware,
        secret_key=forum_key(secret, settings.forum),
        session_cookie="followup_session",
        max_age=8 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        session,
        portfolio_pages,
        outcome_pages,
        briefing_pages,
        body_pages,
        reminder_pages,
        forms,
    ):
        app.include_router(module.router)

    @app.exception_handler(SignInRequiredError)
    async def _sign_in(request: Request, error: SignInRequiredError) -> Response:
        return RedirectResponse(f"/sign-in?next={error.next_path}", status_code=303)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, error: PageError) -> Response:
        return error_page(request, error.status, error.message, error.detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        if request.url.path.startswith(NOT_PAGES):
            return problem_response(request, 500, "an unexpected error; it has been logged")
        return error_page(request, 500, N_("Something went wrong on our side. It has been logged."))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith(NOT_PAGES):
            headers = dict(error.headers) if error.headers else None
            return problem_response(request, error.status_code, str(error.detail), headers=headers)
        message = N_("This page does not exist.") if error.status_code == 404 else str(error.detail)
        return error_page(request, error.status_code, message)


def error_page(request: Request, status: int, message: str, detail: str = "") -> Response:
    """An error in the reader's language, with the way back; never a stack trace."""
    if not hasattr(request.state, "lang"):
        try:
            page_state(request)
        except PageError:
            request.state.lang = "en"
    token = current_language.set(request.state.lang)
    try:
        texts = {"message": gettext(message), "detail": gettext(detail) if detail else ""}
    finally:
        current_language.reset(token)
    return render(request, "error.html", {"status": status, **texts}, status=status)
