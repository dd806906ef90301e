"""The reviewers' pages: the dashboard, the outcome list and its exports."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook
from sqlalchemy import select

from adapters.read_models.outcome_events import outcome_events, status_series
from adapters.read_models.outcome_status import outcomes
from domain.forum import calendar_as_of
from followup.outcome_views import Named, OutcomeView
from followup.queries import OutcomeQueries
from followup.web.i18n import (
    N_,
    current_language,
    gettext,
)
from followup.web.last_answer import kept_answers, last_answer, read_models_today
from followup.web.page_state import PageState, Reader, parse_as_of
from followup.web.portfolio import SORTS, PageFilter, Portfolio, quarter_ends
from followup.web.portfolio_index import CurrentIndex, Facets, facets_of
from followup.web.templating import render, render_content, render_fragment
from followup.web.wording import status_label

router = APIRouter(include_in_schema=False)


def portfolio(request: Request) -> Portfolio:
    queries: OutcomeQueries = request.app.state.queries
    return Portfolio(queries)


def filter_from(request: Request) -> PageFilter:
    """The list's filters from the query string; empty fields mean no filter."""
    params = request.query_params

    def text(name: str) -> str | None:
        value = (params.get(name) or "").strip()
        return value[:200] or None

    page = text("page") or "1"
    sort = text("sort") or "due"
    return PageFilter(
        status=text("status"),
        state=text("state"),
        working_group=text("working_group"),
        meeting=text("meeting"),
        roundtable=text("roundtable"),
        due_from=parse_as_of(text("due_from")),
        due_to=parse_as_of(text("due_to")),
        q=text("q"),
        sort=sort if sort in SORTS else "due",
        descending=text("order") == "desc",
        page=int(page) if page.isdigit() else 1,
    )


@router.get("/")
def dashboard(request: Request, reader: Reader) -> Response:
    found = portfolio(request)
    queries = found.queries
    head = found.container.app.head_position()
    if reader.as_of is not None:
        return render(request, "dashboard.html", dashboard_parts(found, reader, head))
    models = read_models_today(queries)
    content = kept_answers(queries, "dashboard").get(
        (models, head, queries.today, found.container.settings.due_soon_days),
        (reader.lang, request.url.query),
        lambda: render_content(
            request, "dashboard.html", dashboard_parts(found, reader, head, models)
        ),
    )
    return render(request, "dashboard.html", {"log_position": head}, content=content)


def dashboard_parts(
    found: Portfolio, reader: PageState, head: int, models: Hashable = None
) -> dict[str, Any]:
    """What the dashboard shows; today's (``models`` given: where the read models stand) is
    counted in the read model, no view built."""
    queries = found.queries
    day = reader.as_of or queries.today
    if reader.as_of is None:
        counts, facets = last_answer(queries, "dashboard").get(
            (models, queries.today),
            lambda: (CurrentIndex(queries).counts(), found.facets(None)),
        )
    else:
        views = found.views(reader.as_of)
        counts, facets = found.counts(views), facets_of(views)
    language = reader.lang
    chart = last_answer(queries, "chart").get(
        (head, day, found.container.settings.due_soon_days, language),
        lambda: render_fragment(
            "_status_chart.html", {"series": status_over_time(queries, day)}, language
        ),
    )
    return {
        "counts": counts,
        "total": sum(counts["status"].values()),
        "chart": chart,
        "names": found.state_names(),
        "groups": {g.code: g.title for g in facets.groups},
        "roundtables": roundtable_labels(facets.roundtables),
        "log_position": head,
    }


def status_over_time(queries: OutcomeQueries, until: date) -> list[tuple[date, Counter[str]]]:
    """``Portfolio.status_over_time``, answered from the in-memory outcome events and each
    outcome's statuses kept until its events or the calendar change (the same tallies)."""
    container = queries.container
    app = container.app
    with container.engine.connect() as connection:
        ids = list(connection.execute(select(outcomes.c.id, outcomes.c.adopted_on)))
    if not ids:
        return []
    events = outcome_events(app)
    events.sync()
    forum_events = app.events_of(app.forum_id)
    points = quarter_ends(min(d for _, d in ids), until)
    due_soon_days = container.settings.due_soon_days
    series = status_series(app)
    key = (tuple(points), len(forum_events), due_soon_days)
    if series.key != key:
        series.key = key
        series.kept = {}
        series.calendars = [(day, calendar_as_of(forum_events, day)) for day in points]
    tallies: list[Counter[str]] = [Counter() for _ in points]
    for outcome_id, _ in ids:
        statuses = series.statuses(events, UUID(outcome_id), series.calendars, due_soon_days)
        for tally, status in zip(tallies, statuses, strict=True):
            if status is not None:
                tally[status] += 1
    return list(zip(points, tallies, strict=True))


def roundtable_labels(roundtables: Iterable[tuple[Named, str]]) -> dict[str, str]:
    labels = {}
    for meeting, roundtable in roundtables:
        labels[f"{meeting.code}:{roundtable}"] = gettext("%(meeting)s, roundtable %(number)s") % {
            "meeting": meeting.title.split(" (")[0],
            "number": roundtable,
        }
    return dict(sorted(labels.items()))


def options(request: Request, facets: Facets) -> dict[str, Any]:
    """The choices of the filter form, from what the portfolio holds."""
    found = portfolio(request)
    return {
        "state_options": found.state_names(),
        "group_options": dict(sorted((g.code, g.title) for g in facets.groups)),
        "meeting_options": {m.code: m.title for m in facets.meetings},
        "roundtable_options": roundtable_labels(facets.roundtables),
    }


@router.get("/outcomes")
def outcome_list(request: Request, reader: Reader) -> Response:
    wanted = filter_from(request)
    found = portfolio(request)
    head = found.container.app.head_position()
    if reader.as_of is not None:
        parts = list_parts(request, found, wanted, reader.as_of, head)
        return render(request, "outcomes.html", parts)
    queries = found.queries
    content = kept_answers(queries, "outcome list").get(
        (
            read_models_today(queries),
            head,
            queries.today,
            found.container.settings.due_soon_days,
        ),
        (reader.lang, request.url.query),
        lambda: render_content(
            request, "outcomes.html", list_parts(request, found, wanted, None, head)
        ),
    )
    return render(request, "outcomes.html", {"log_position": head}, content=content)


def list_parts(
    request: Request, found: Portfolio, wanted: PageFilter, as_of: date | None, head: int
) -> dict[str, Any]:
    """What the outcome list shows: one page of the filtered outcomes and the filter form."""
    return {
        "page": found.page(wanted, as_of),
        "filter": wanted,
        **options(request, found.facets(as_of)),
        "log_position": head,
    }


Column = tuple[str, Callable[[OutcomeView], Any]]
EXPORT_COLUMNS: list[Column] = [
    (N_("Code"), lambda v: v.code),
    (N_("Title"), lambda v: v.title),
    (N_("Status"), lambda v: status_label(v.status)),
    (N_("Why"), lambda v: v.status_reason),
    (N_("Adopted on"), lambda v: v.adopted_on.isoformat()),
    (N_("Meeting"), lambda v: v.meeting.title if v.meeting else ""),
    (N_("Roundtable"), lambda v: v.roundtable),
    (N_("Session"), lambda v: v.session),
    (
        N_("Responsible states"),
        lambda v: ", ".join(f"{r['state']} ({r['role']})" for r in v.responsible_states),
    ),
    (N_("Working group"), lambda v: v.working_group.code if v.working_group else ""),
    (
        N_("Due on"),
        lambda v: v.deadline.due_on.isoformat() if v.deadline and v.deadline.due_on else "",
    ),
    (N_("Progress reports"), lambda v: v.progress_reports),
    (N_("Percent complete"), lambda v: "" if v.percent_complete is None else v.percent_complete),
]


def defused(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is exported as text (a leading apostrophe)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def export_rows(request: Request, reader: Any) -> tuple[list[str], list[list[Any]], dict[str, str]]:
    wanted = filter_from(request)
    found = portfolio(request)
    views = found.filtered(wanted, reader.as_of)
    token = current_language.set(reader.lang)
    try:
        header = [gettext(name) for name, _ in EXPORT_COLUMNS]
    finally:
        current_language.reset(token)
    rows = [[defused(value(v)) for _, value in EXPORT_COLUMNS] for v in views]
    day = (reader.as_of or found.queries.today).isoformat()
    meta = {
        "X-Followup-As-Of": day,
        "X-Followup-Log-Position": str(found.container.app.head_position()),
    }
    return header, rows, meta


@router.get("/outcomes.csv")
def export_csv(request: Request, reader: Reader) -> Response:
    """Exactly the filtered list (every page of it), as CSV."""
    header, rows, meta = export_rows(request, reader)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    name = f"followup-outcomes-{meta['X-Followup-As-Of']}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={**meta, "Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/outcomes.xlsx")
def export_xlsx(request: Request, reader: Reader) -> Response:
    """Exactly the filtered list, as an Excel workbook (with a sheet saying what it reflects)."""
    header, rows, meta = export_rows(request, reader)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "outcomes"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    about = book.create_sheet("about")
    about.append(["as_of", meta["X-Followup-As-Of"]])
    about.append(["log_position", int(meta["X-Followup-Log-Position"])])
    about.append(["query", request.url.query])
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"followup-outcomes-{meta['X-Followup-As-Of']}.xlsx"
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={**meta, "Content-Disposition": f'attachment; filename="{name}"'},
    )
