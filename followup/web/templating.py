"""The jinja2 environment of the pages: autoescaped, i18n, and the helpers every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from followup.web import outcome_lines, wording
from followup.web.i18n import (
    LANGUAGES,
    current_language,
    gettext,
    ngettext,
    template_globals,
    text_in,
)
from followup.web.outcome_fields import outcome_fields

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    auto_reload=False,  # the templates ship with the code: a new version restarts the server
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]


@pass_context
def template_gettext(context: Context, message: str, **variables: Any) -> str:
    """jinja's newstyle ``gettext`` (translated, made markup when autoescaping, then always
    %-formatted), with a text that takes no variables done once per language: a page says
    "evidence" once per link and lists a dozen actions, each a chain of calls in jinja."""
    if not variables and context.eval_ctx.autoescape:
        return text_in(current_language.get(), message)
    translated = gettext(message)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables


environment.globals.update(gettext=template_gettext, _=template_gettext)
environment.globals.update(template_globals())
environment.globals.update(
    status_label=wording.status_label,
    status_reason=wording.status_reason,
    anchor_text=wording.anchor_text,
    meeting_kind=wording.meeting_kind,
    role_label=wording.role_label,
    event_label=wording.event_label,
    event_summary=wording.event_summary,
    meeting_status=wording.meeting_status,
    reminder_state=wording.reminder_state,
    milestone_kind=wording.milestone_kind,
    cause_link=wording.cause_link,
    evidence_links=outcome_lines.evidence_links,
    decision_links=outcome_lines.decision_links,
    outcome_fields=outcome_fields,
)
environment.filters["translated"] = lambda messages: {k: gettext(v) for k, v in messages.items()}


def query_with(request: Request, **changes: Any) -> str:
    """This page's query string with some parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.multi_items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else ""


def page_context(request: Request, name: str, context: dict[str, Any]) -> dict[str, Any]:
    """What every page shows besides its own ``context``: the user, the language, the as-of day,
    the CSRF token."""
    state = request.state
    as_of = getattr(state, "as_of", None)

    def link(path: str) -> str:
        """A link that keeps the as-of day."""
        return f"{path}?{urlencode({'as_of': as_of.isoformat()})}" if as_of else path

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {
        "link": link,
        "here": here,
        "request": request,
        "user": getattr(state, "user", None),
        "lang": getattr(state, "lang", "en"),
        "as_of": as_of,
        "csrf_token": getattr(state, "csrf_token", ""),
        "query_with": lambda **changes: query_with(request, **changes),
        "template_name": name,
        "LANGUAGES": getattr(request.app.state, "languages", LANGUAGES),
        "page_path": request.url.path,  # (the frame's: see ``page_frame``)
        "nav_here": request.url.path,
        "query_items": request.query_params.multi_items(),
        **context,
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    content: Markup | None = None,
) -> HTMLResponse:
    """Render a page with what every page shows: the user, the language, the as-of day, CSRF.
    A ``content`` kept from ``render_content`` stands for the page's content block."""
    page = page_context(request, name, context)
    page["flash"] = request.session.pop("flash", None) if "session" in request.scope else None
    if content is not None:
        page["content"] = content
    language = current_language.set(page["lang"])
    try:
        html = environment.get_template(name).render(page)
    finally:
        current_language.reset(language)
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Language"] = page["lang"]
    return response


def render_content(request: Request, name: str, context: dict[str, Any]) -> Markup:
    """Only the content block of page ``name``: the part a route may keep while what it shows
    holds, apart from the frame around it (the reader, the CSRF token, the flash message). The
    block must read nothing of the frame's per-reader parts, and import its macros itself."""
    template = environment.get_template(name)
    page = page_context(request, name, context)
    for per_reader in ("user", "csrf_token", "request", "here"):  # read them: an error, not a leak
        del page[per_reader]
    language = current_language.set(page["lang"])
    try:
        block = template.blocks["content"](template.new_context(page))
        return Markup(environment.concat(block))
    finally:
        current_language.reset(language)


def render_fragment(name: str, context: dict[str, Any], language: str) -> Markup:
    """A part of a page rendered on its own (so a route may keep it while its inputs hold)."""
    token = current_language.set(language)
    try:
        return Markup(environment.get_template(name).render(context))
    finally:
        current_language.reset(token)
