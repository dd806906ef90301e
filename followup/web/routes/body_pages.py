"""Pages about the forum's bodies: states, working groups, surveys, the calendar (+ .ics)."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent
from sqlalchemy import select

from adapters.read_models.forum_calendar import chairmanships
from adapters.read_models.survey_runs import survey_runs, surveys
from adapters.read_models.working_groups import working_groups
from domain.forum import Forum
from domain.working_group import WorkingGroup
from followup.queries import OPEN_STATUSES, OutcomeQueries
from followup.web.i18n import N_
from followup.web.page_state import PageError, Reader
from followup.web.routes.portfolio_pages import portfolio
from followup.web.templating import render

router = APIRouter(include_in_schema=False)


def queries_of(request: Request) -> OutcomeQueries:
    queries: OutcomeQueries = request.app.state.queries
    return queries


def rows(request: Request, statement: Any) -> list[Any]:
    with queries_of(request).container.engine.connect() as connection:
        return list(connection.execute(statement))


@router.get("/states")
def state_list(request: Request, reader: Reader) -> Response:
    found = portfolio(request)
    counts = found.counts(found.views(reader.as_of))["state"]
    names = found.state_names()
    return render(request, "states.html", {"states": sorted(names.items()), "counts": counts})


@router.get("/states/{code}")
def state_page(request: Request, reader: Reader, code: str) -> Response:
    found = portfolio(request)
    names = found.state_names()
    if code not in names:
        raise PageError(404, N_("There is no such state."))
    views = [
        v for v in found.views(reader.as_of) if code in {r["state"] for r in v.responsible_states}
    ]
    day = reader.as_of or found.queries.today
    chairs = [
        c
        for c in rows(request, select(chairmanships).order_by(chairmanships.c.assumed_on))
        if c.state == code and c.assumed_on <= day
    ]
    groups = [
        (group, members[code])
        for group, members in working_group_members(request, day).items()
        if code in members
    ]
    return render(
        request,
        "state.html",
        {"code": code, "name": names[code], "outcomes": views, "chairs": chairs, "groups": groups},
    )


def working_group_members(request: Request, day: date) -> dict[Any, dict[str, str]]:
    """Each group's members and roles as they stood on ``day``, folded from its events."""
    app = queries_of(request).container.app
    result = {}
    for group in rows(request, select(working_groups).order_by(working_groups.c.code)):
        if group.formed_on > day:
            continue
        members: dict[str, str] = {}
        for event in app.events_of(UUID(group.id)):
            if event.occurred_on > day:
                continue
            if isinstance(event, WorkingGroup.MemberJoined | WorkingGroup.MemberRoleChanged):
                members[event.state] = event.role
            elif isinstance(event, WorkingGroup.MemberLeft):
                members.pop(event.state, None)
        result[group] = members
    return result


@router.get("/working-groups")
def group_list(request: Request, reader: Reader) -> Response:
    day = reader.as_of or queries_of(request).today
    return render(request, "working_groups.html", {"groups": working_group_members(request, day)})


@router.get("/working-groups/{code}")
def group_page(request: Request, reader: Reader, code: str) -> Response:
    day = reader.as_of or queries_of(request).today
    groups = {g.code: (g, m) for g, m in working_group_members(request, day).items()}
    if code not in groups:
        raise PageError(404, N_("There is no such working group on that day."))
    group, members = groups[code]
    app = queries_of(request).container.app
    meetings = [
        e
        for e in app.events_of(UUID(group.id))
        if isinstance(e, WorkingGroup.ExpertMeetingHeld) and e.occurred_on <= day
    ]
    found = portfolio(request)
    outcomes = [
        v
        for v in found.views(reader.as_of)
        if v.working_group is not None and v.working_group.code == code
    ]
    return render(
        request,
        "working_group.html",
        {
            "group": group,
            "members": sorted(members.items(), key=lambda m: (m[1] != "co_chair", m[0])),
            "expert_meetings": meetings,
            "outcomes": outcomes,
            "names": found.state_names(),
        },
    )


@router.get("/surveys")
def survey_list(request: Request, reader: Reader) -> Response:
    return render(request, "surveys.html", {"surveys": rows(request, select(surveys))})


@router.get("/surveys/{code}")
def survey_page(request: Request, reader: Reader, code: str) -> Response:
    day = reader.as_of or queries_of(request).today
    found = [s for s in rows(request, select(surveys)) if s.code == code]
    if not found or found[0].launched_on > day:
        raise PageError(404, N_("There is no such survey on that day."))
    survey = found[0]
    runs = [
        r
        for r in rows(
            request,
            select(survey_runs)
            .where(survey_runs.c.survey_id == survey.id)
            .order_by(survey_runs.c.closed_on),
        )
        if r.closed_on <= day
    ]
    return render(request, "survey.html", {"survey": survey, "runs": runs, "trend": trend(runs)})


def trend(runs: list[Any]) -> list[dict[str, Any]]:
    """Each figure across the runs, in order: the comparison the forum makes between cycles."""
    labels: dict[str, str] = {}
    values: dict[str, list[dict[str, Any] | None]] = {}
    for index, run in enumerate(runs):
        for figure in run.figures:
            labels.setdefault(figure["code"], figure["label"])
            values.setdefault(figure["code"], [None] * len(runs))[index] = figure
    return [{"code": c, "label": labels[c], "values": v} for c, v in values.items()]


@router.get("/calendar")
def calendar_page(request: Request, reader: Reader) -> Response:
    queries = queries_of(request)
    day = reader.as_of or queries.today
    calendar = queries.calendar(day)
    found = portfolio(request)
    return render(
        request,
        "calendar.html",
        {
            "calendar": calendar,
            "names": found.state_names(),
            "chair": calendar.chair_on(day),
            "next_meeting": calendar.next_chair_meeting(day),
        },
    )


@router.get("/calendar.ics")
def calendar_feed(request: Request, reader: Reader) -> Response:
    """Meetings (one event each, SEQUENCE raised by every reschedule) and open deadlines."""
    queries = queries_of(request)
    app = queries.container.app
    forum_events = app.events_of(app.forum_id)
    reschedules: dict[UUID, int] = {}
    for event in forum_events:
        if isinstance(event, Forum.MeetingRescheduled):
            reschedules[event.meeting_id] = reschedules.get(event.meeting_id, 0) + 1
    feed = ICalendar()
    feed.add("prodid", "-//followup//forum calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", f"followup: {queries.forum}")
    stamp = queries.container.clock.now().astimezone(UTC)
    for meeting in queries.calendar(None).meetings:
        item = IEvent()
        item.add("uid", f"meeting-{meeting.id}@followup")
        item.add("dtstamp", stamp)
        item.add("summary", meeting.title)
        item.add("dtstart", meeting.starts_on)
        item.add("dtend", meeting.ends_on + timedelta(days=1))
        item.add("location", meeting.place)
        item.add("sequence", reschedules.get(meeting.id, 0))
        item.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        feed.add_component(item)
    for view in portfolio(request).views(None):
        due = view.deadline.due_on if view.deadline else None
        if due is None or view.status not in OPEN_STATUSES:
            continue
        item = IEvent()
        item.add("uid", f"deadline-{view.id}@followup")
        item.add("dtstamp", stamp)
        item.add("summary", f"Due: {view.title}")
        item.add("dtstart", due)
        item.add("dtend", due + timedelta(days=1))
        item.add("description", f"{view.code}: {view.status_reason}")
        feed.add_component(item)
    return Response(
        feed.to_ical(),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="followup.ics"'},
    )
