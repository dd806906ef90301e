"""A kept frame filled in for a request writes, byte for byte, what jinja writes for the page
(and ``base.html``'s page values, renamed for it, what the former template wrote)."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Template
from markupsafe import Markup

from adapters.users import User
from followup.web.i18n import current_language
from followup.web.page_frame import NAV_PATHS, render_framed
from followup.web.templating import TEMPLATES, environment, page_context

CHILD = (
    '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
    "{% block content %}{{ body }}{% endblock %}"
)
#: ``base.html``'s page values as the former template read them, and as it reads them now
FORMER = [
    ("{% if request.url.path == path %}", "{% if nav_here == path %}"),
    (
        '{% if request.url.path.startswith("/secretariat") %}',
        '{% if nav_here.startswith("/secretariat") %}',
    ),
    ('{% elif request.url.path != "/sign-in" %}', '{% elif nav_here != "/sign-in" %}'),
    ('action="{{ request.url.path }}"', 'action="{{ page_path }}"'),
    ("request.query_params.multi_items()", "query_items"),
    ('<a href="{{ request.url.path }}{{ query_with', '<a href="{{ page_path }}{{ query_with'),
]
SECRETARIAT = User("alice", "Alice <Support & Unit>", "secretariat", False)
REVIEWER = User("bob", "Bob (Troika)", "reviewer", False)
TITLE = 'Migration & "data" <research> — Año'
BODY = Markup("<p>the page's own content, <b>as written</b></p>")


def text_of(response: HTMLResponse) -> str:
    return bytes(response.body).decode()


def request_for(
    path: str,
    query: str = "",
    lang: str = "en",
    user: User | None = REVIEWER,
    as_of: date | None = None,
    flash: str | None = None,
) -> Request:
    session: dict[str, Any] = {"flash": flash} if flash else {}
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "server": ("127.0.0.1", 8000),
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [],
            "session": session,
            "app": SimpleNamespace(state=SimpleNamespace(languages=["en", "fr", "es"])),
        }
    )
    request.state.lang = lang
    request.state.user = user
    request.state.as_of = as_of
    request.state.csrf_token = "token-<&>-of-this-session"
    return request


def written_by_jinja(template: Template, request: Request, position: int) -> str:
    """What ``templating.render`` writes: the page's context, the flash popped, in its language."""
    page = page_context(request, "outcome.html", {"title": TITLE, "body": BODY})
    page["log_position"] = position
    page["flash"] = request.session.pop("flash", None)
    token = current_language.set(page["lang"])
    try:
        return template.render(page)
    finally:
        current_language.reset(token)


def former_base() -> Template:
    source = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    for former, now in FORMER:
        assert source.count(now) == 1, now
        source = source.replace(now, former)
    return environment.from_string(source)


CASES = [
    ("/outcomes/mnl-2008-rt3.1", "", "en", REVIEWER, None, None),
    ("/outcomes/mnl-2008-rt3.1", "lang=fr", "fr", REVIEWER, None, None),
    (
        "/outcomes/mnl-2008-rt3.1",
        "as_of=2008-10-30&lang=es",
        "es",
        SECRETARIAT,
        date(2008, 10, 30),
        None,
    ),
    (
        "/outcomes/a%20b",
        "as_of=2008-10-30&page=2&x=%3Cy%3E&x=2",
        "en",
        SECRETARIAT,
        date(2008, 10, 30),
        None,
    ),
    ("/outcomes/mnl-2008-rt3.1", "", "fr", SECRETARIAT, None, "recorded"),
    ("/outcomes", "status=overdue", "en", REVIEWER, None, None),
    ("/", "", "es", SECRETARIAT, None, None),
    ("/secretariat/outcomes/x/progress", "", "en", SECRETARIAT, None, None),
    ("/sign-in", "next=/outcomes", "en", None, None, None),
    ("/public/outcomes/x", "", "fr", None, date(2010, 1, 1), None),
]


@pytest.mark.parametrize(("path", "query", "lang", "user", "as_of", "flash"), CASES)
def test_a_kept_frame_writes_what_jinja_writes(
    path: str, query: str, lang: str, user: User | None, as_of: date | None, flash: str | None
) -> None:
    child = environment.from_string(CHILD)
    for position in (7, 1019337):  # asked again: the kept frame, another position
        expected = written_by_jinja(
            child, request_for(path, query, lang, user, as_of, flash), position
        )
        framed = render_framed(
            request_for(path, query, lang, user, as_of, flash), TITLE, BODY, position
        )
        assert text_of(framed) == expected
        assert framed.headers["content-language"] == lang


@pytest.mark.parametrize(("path", "query", "lang", "user", "as_of", "flash"), CASES)
def test_base_html_writes_what_it_wrote_when_it_read_the_request(
    path: str, query: str, lang: str, user: User | None, as_of: date | None, flash: str | None
) -> None:
    now = environment.get_template("base.html")
    before = former_base()
    asked = (path, query, lang, user, as_of, flash)
    assert written_by_jinja(now, request_for(*asked), 3) == written_by_jinja(
        before, request_for(*asked), 3
    )


def test_a_frame_is_never_another_readers_or_another_languages() -> None:
    for_bob = text_of(render_framed(request_for("/outcomes/x"), TITLE, BODY, 1))
    for_alice = render_framed(request_for("/outcomes/x", user=SECRETARIAT), TITLE, BODY, 1)
    in_french = render_framed(request_for("/outcomes/x", "lang=fr", "fr"), TITLE, BODY, 1)
    assert "Bob (Troika)" in for_bob and 'href="/secretariat"' not in for_bob
    assert "Alice &lt;Support &amp; Unit&gt;" in text_of(for_alice)
    assert 'href="/secretariat"' in text_of(for_alice)
    assert '<html lang="fr">' in text_of(in_french)


def test_the_nav_paths_are_every_path_base_html_compares_the_page_with() -> None:
    source = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    nav = set(re.findall(r'\("(/[^"]*)", _\(', source))
    assert len(nav) == 8
    assert nav | {"/sign-in"} == NAV_PATHS
