"""Sign in, sign out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from adapters.users import UserStore
from followup.web.i18n import N_
from followup.web.page_state import LANGUAGE_COOKIE, Page, PageError
from followup.web.security import SignInThrottle, csrf_valid
from followup.web.templating import render

router = APIRouter(include_in_schema=False)


def local_path(target: str | None) -> str:
    """Only paths on this site: never redirect a reader elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/sign-in")
def sign_in_form(request: Request, page: Page, next: str | None = None) -> Response:
    return render(
        request, "sign_in.html", {"next": local_path(next), "error": None, "username": ""}
    )


@router.post("/sign-in")
def sign_in(
    request: Request,
    page: Page,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    if not csrf_valid(request, csrf_token):
        raise PageError(400, N_("This form has expired. Reload the page and try again."))
    throttle: SignInThrottle = request.app.state.throttle
    client = request.client.host if request.client else "unknown"
    context = {"next": local_path(next), "username": username}
    if throttle.blocked(client, username):
        return render(request, "sign_in.html", {**context, "error": "throttled"}, status=429)
    store: UserStore = request.app.state.users
    user = store.verify(username, password)
    if user is None:
        throttle.failed(client, username)
        return render(request, "sign_in.html", {**context, "error": "invalid"}, status=401)
    throttle.succeeded(username)
    request.session.clear()  # a new session on sign-in: no fixation
    request.session["user"] = user.username
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, page: Page, csrf_token: Annotated[str, Form()] = "") -> Response:
    if not csrf_valid(request, csrf_token):
        raise PageError(400, N_("This form has expired. Reload the page and try again."))
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/language/{code}")
def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    if code not in request.app.state.languages:
        raise PageError(404, N_("This page does not exist."))
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
    )
    return response
