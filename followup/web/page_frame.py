"""The frame of a page (``base.html``: the header, the navigation, the languages, the as-of
form, the footer) written once and kept, its per-page values filled in on each request.

Around a page's content jinja wrote ~25 translated texts, a nav loop and a dozen escapes per
request, the same for every page a reader opens in one language on one day. Here the frame is
rendered once per reader, language, day, flash message and query string with markers where the
page's own values go (its title, path, the reader's CSRF token, the content, the log position),
cut at the markers, and kept; a request joins the pieces with its values, escaped as jinja
would. Nothing the frame shows comes from the event log, so a kept frame never goes stale.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2.utils import url_quote
from markupsafe import Markup

from followup.web.i18n import LANGUAGES, current_language
from followup.web.page_text import escaped
from followup.web.templating import environment, query_with

#: the paths ``base.html`` compares the page's with (its nav items, the sign-in page)
NAV_PATHS = frozenset(
    {
        "/",
        "/outcomes",
        "/briefing",
        "/states",
        "/working-groups",
        "/surveys",
        "/calendar",
        "/reminders",
        "/sign-in",
    }
)
SLOTS = ("title", "here", "csrf", "path", "content", "position")
_MARKER = re.compile(r"zzframe(title|here|csrf|path|content|position)zz")
_FRAME = environment.from_string(
    '{% extends "base.html" %}{% block title %}{{ frame_title }}{% endblock %}'
)
KEPT = 256  # frames at most (readers choose query strings: the oldest asked goes first)

Frame = tuple[tuple[str, ...], tuple[str, ...]]  # the static pieces, the slot after each
_frames: OrderedDict[Hashable, Frame] = OrderedDict()
_lock = threading.Lock()


def mark(slot: str) -> str:
    """A marker jinja's escaping and ``urlencode`` leave as it is (letters only)."""
    return f"zzframe{slot}zz"


def nav_here(path: str) -> str:
    """A path that ``base.html``'s comparisons answer for as they do for ``path``."""
    if path in NAV_PATHS:
        return path
    return "/secretariat" if path.startswith("/secretariat") else "/elsewhere"


def render_framed(
    request: Request, title: str, content: Markup, log_position: int, status: int = 200
) -> HTMLResponse:
    """What ``templating.render`` writes for a page whose template extends ``base.html`` with
    ``title`` as its title block and ``content`` as its content block."""
    state = request.state
    lang: str = getattr(state, "lang", "en")
    user = getattr(state, "user", None)
    as_of = getattr(state, "as_of", None)
    flash = request.session.pop("flash", None) if "session" in request.scope else None
    path, query = request.url.path, request.url.query
    languages = getattr(request.app.state, "languages", LANGUAGES)
    key = (
        lang,
        tuple(languages),
        (user.name, user.role) if user is not None else None,
        as_of,
        flash,
        nav_here(path),
        query,
    )
    with _lock:
        frame = _frames.get(key)
        if frame is not None:
            _frames.move_to_end(key)
    if frame is None:
        frame = cut(write_frame(request, lang, user, as_of, flash, languages))
        with _lock:
            _frames[key] = frame
            while len(_frames) > KEPT:
                _frames.popitem(last=False)
    here = path + (f"?{query}" if query else "")
    values = {
        "title": escaped(title),
        "here": escaped(url_quote(here)),
        "csrf": escaped(getattr(state, "csrf_token", "")),
        "path": escaped(path),
        "content": str(content),
        "position": escaped(log_position),
    }
    pieces, slots = frame
    parts = [pieces[0]]
    for slot, piece in zip(slots, pieces[1:], strict=True):
        parts.append(values[slot])
        parts.append(piece)
    response = HTMLResponse("".join(parts), status_code=status)
    response.headers["Content-Language"] = lang
    return response


def write_frame(
    request: Request, lang: str, user: Any, as_of: Any, flash: Any, languages: Any
) -> str:
    """``base.html`` as ``templating.render`` writes it, markers for the page's values."""

    def link(path: str) -> str:
        return f"{path}?{urlencode({'as_of': as_of.isoformat()})}" if as_of else path

    page = {
        "link": link,
        "here": mark("here"),
        "user": user,
        "lang": lang,
        "as_of": as_of,
        "csrf_token": mark("csrf"),
        "query_with": lambda **changes: query_with(request, **changes),
        "LANGUAGES": languages,
        "page_path": mark("path"),
        "nav_here": nav_here(request.url.path),
        "query_items": request.query_params.multi_items(),
        "flash": flash,
        "content": Markup(mark("content")),
        "frame_title": mark("title"),
        "log_position": mark("position"),
    }
    token = current_language.set(lang)
    try:
        return _FRAME.render(page)
    finally:
        current_language.reset(token)


def cut(written: str) -> Frame:
    """The frame's static pieces and, between each two, the slot its marker stood for."""
    parts = _MARKER.split(written)
    return tuple(parts[0::2]), tuple(parts[1::2])
