"""What every page knows about its request: who reads, in which language, as of which day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy import Connection

from adapters.users import User, UserStore
from followup.web.i18n import N_, choose_language
from followup.web.security import csrf_token

LANGUAGE_COOKIE = "followup_lang"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PageError(Exception):
    """Shown as an error page in the reader's language (never a stack trace)."""

    def __init__(self, status: int, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail


class SignInRequiredError(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class PageState:
    lang: str
    user: User | None
    as_of: date | None
    csrf_token: str


def parse_as_of(text: str | None) -> date | None:
    if text is None or text == "":
        return None
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise PageError(
            400,
            N_("This date is not valid."),
            N_("Give the day as YYYY-MM-DD, for example 2008-10-30."),
        ) from None


def page_state(request: Request) -> PageState:
    """The language, the day asked for, the reader and the CSRF token of a page request (a
    dependency: FastAPI gives it the request only)."""
    return page_state_on(request, None)


def page_state_on(request: Request, connection: Connection | None) -> PageState:
    """``page_state``, the reader's row read on ``connection`` when given."""
    lang = choose_language(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
        request.app.state.languages,
    )
    request.state.lang = lang
    as_of = parse_as_of(request.query_params.get("as_of"))
    request.state.as_of = as_of
    user = None
    username = request.session.get("user")
    if username:
        store: UserStore = request.app.state.users
        found = store.find(str(username), connection)
        if found is not None and not found.disabled:
            user = found
        else:
            request.session.clear()
    request.state.user = user
    request.state.csrf_token = csrf_token(request)
    return PageState(lang, user, as_of, request.state.csrf_token)


def required_sign_in(state: PageState, request: Request) -> PageState:
    """``state`` if someone is signed in; otherwise SignInRequiredError, back here after."""
    if state.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequiredError(quote(target, safe="/?=&"))
    return state


async def signed_in(
    state: Annotated[PageState, Depends(page_state)], request: Request
) -> PageState:
    """Checks only what ``page_state`` read: async, so FastAPI runs it in the event loop
    instead of a worker thread (a sync dependency costs a thread hop per request)."""
    return required_sign_in(state, request)


def signed_in_here(request: Request, connection: Connection | None = None) -> PageState:
    """What ``Reader`` gives, worked out by a sync page in its own worker thread: FastAPI runs
    ``page_state`` (sync: it reads the user's row) in a thread hop of its own before the
    page's, and each hop costs the event loop a wake-up (~0.2-0.4 ms of CPU measured on the
    outcome page). The same checks and errors, in the same order; the user's row is read on
    ``connection`` when the page gives the one it reads its other rows on."""
    return required_sign_in(page_state_on(request, connection), request)


async def secretariat(state: Annotated[PageState, Depends(signed_in)]) -> PageState:
    if state.user is None or state.user.role != "secretariat":
        raise PageError(403, N_("Only the secretariat may do this."))
    return state


Page = Annotated[PageState, Depends(page_state)]
Reader = Annotated[PageState, Depends(signed_in)]
Secretariat = Annotated[PageState, Depends(secretariat)]
