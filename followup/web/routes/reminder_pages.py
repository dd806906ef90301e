"""The reminders page (the ledger), a digest's preview exactly as sent, the focal-point registry."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from adapters.focal_points import FocalPointStore
from adapters.read_models.forum_calendar import meetings
from adapters.read_models.reminder_ledger import ledger
from followup.api.write_threads import write_threads_of
from followup.bootstrap import Container
from followup.reminders import ReminderService
from followup.web.i18n import N_
from followup.web.page_state import PageError, Reader, Secretariat
from followup.web.routes.forms import submitted
from followup.web.templating import render

router = APIRouter(include_in_schema=False)
LANGUAGES = ("en", "fr", "es")


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


@router.get("/reminders")
def reminders_page(request: Request, reader: Reader) -> Response:
    container = container_of(request)
    container.settle()
    with container.engine.connect() as connection:
        rows = ledger(connection, container.settings.forum)
        titles = {
            r.id: r.title for r in connection.execute(select(meetings.c.id, meetings.c.title))
        }
    return render(request, "reminders.html", {"rows": rows, "titles": titles})


def preview_of(request: Request, audience: str, language: str | None) -> Any:
    if language is not None and language not in LANGUAGES:
        raise PageError(404, N_("This page does not exist."))
    found = ReminderService(container_of(request), None).preview(audience, language=language)
    if isinstance(found, str):
        raise PageError(404, N_("There is no digest to preview for this recipient now."), found)
    return found


@router.get("/secretariat/reminders/preview/{audience}")
def preview_page(
    request: Request, state: Secretariat, audience: str, language: str | None = None
) -> Response:
    found = preview_of(request, audience, language)
    return render(request, "reminder_preview.html", {"audience": audience, "messages": found})


@router.get("/secretariat/reminders/preview/{audience}/{language}.html")
def preview_html(request: Request, state: Secretariat, audience: str, language: str) -> Response:
    """The HTML part as mailed (its inline styles need their own, narrower CSP)."""
    [(_, message)] = preview_of(request, audience, language)
    response = HTMLResponse(message.html)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    )
    return response


@router.get("/secretariat/focal-points")
def focal_points_page(request: Request, state: Secretariat) -> Response:
    container = container_of(request)
    store = FocalPointStore(container.engine, container.settings.forum)
    forum = container.app.find_forum()
    return render(
        request,
        "focal_points.html",
        {
            "points": store.list(),
            "states": sorted((forum.states if forum else {}).items()),
            "errors": {},
            "values": {},
        },
    )


@router.post("/secretariat/focal-points")
async def add_focal_point(request: Request, state: Secretariat) -> Response:
    form = await submitted(request)
    container = container_of(request)
    store = FocalPointStore(container.engine, container.settings.forum)
    forum = container.app.find_forum()
    known = forum.states if forum else {}
    values = {k: form.get(k, "").strip() for k in ("state", "name", "email", "language")}
    errors = {}
    if values["state"] not in known:
        errors["state"] = N_("Choose one of the options.")
    if not values["name"]:
        errors["name"] = N_("This is required.")
    if "@" not in values["email"] or " " in values["email"] or len(values["email"]) > 320:
        errors["email"] = N_("Give an email address.")
    if values["language"] not in LANGUAGES:
        errors["language"] = N_("Choose one of the options.")
    if errors:
        return render(
            request,
            "focal_points.html",
            {
                "points": store.list(),
                "states": sorted(known.items()),
                "errors": errors,
                "values": values,
            },
            status=422,
        )
    await write_threads_of(request.app).run(
        lambda: store.add(
            values["state"],
            values["name"],
            values["email"],
            values["language"],
            container.clock.now(),
        )
    )
    request.session["flash"] = "recorded"
    return RedirectResponse("/secretariat/focal-points", status_code=303)


@router.post("/secretariat/focal-points/{point_id}/erase")
async def erase_focal_point(request: Request, state: Secretariat, point_id: str) -> Response:
    await submitted(request)
    container = container_of(request)
    store = FocalPointStore(container.engine, container.settings.forum)
    if not await write_threads_of(request.app).run(lambda: store.erase(point_id)):
        raise PageError(404, N_("This page does not exist."))
    request.session["flash"] = "recorded"
    return RedirectResponse("/secretariat/focal-points", status_code=303)
