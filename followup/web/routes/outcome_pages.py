"""One outcome's page: what it is, its status (as of a day), its plan, reports and timeline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from followup.queries import OutcomeQueries
from followup.web.actors import actor_names_on
from followup.web.i18n import N_
from followup.web.outcome_lines import outcome_lists
from followup.web.page_frame import render_framed
from followup.web.page_state import PageError, signed_in_here
from followup.web.templating import render_content

router = APIRouter(include_in_schema=False)


@router.get("/outcomes/{key}")
def outcome_page(request: Request, key: str) -> Response:
    """One outcome (a signed-in reader): its reader worked out in this thread, one hop, on the
    connection the page reads the names and the actors on (one checkout, not two)."""
    queries: OutcomeQueries = request.app.state.queries
    with queries.container.engine.connect() as connection:
        reader = signed_in_here(request, connection)
        outcome_id = queries.outcome_id(key)
        if outcome_id is None:
            raise PageError(404, N_("There is no such outcome."))
        head = queries.container.app.head_position()  # the calendar's key and the footer's
        events = queries.history(outcome_id, head)  # (no query when the kept events reach it)
        names = queries.names(connection)
        actors = actor_names_on(connection)
    detail = queries.detail(outcome_id, reader.as_of, events, names, head)
    if detail is None:
        raise PageError(404, N_("This outcome had not been adopted by that day."))
    user = reader.user
    content = render_content(
        request,
        "outcome.html",
        {
            "outcome": detail.view,
            "record": detail.record,
            **outcome_lists(request, detail.record, events, reader.as_of, actors),
            "plan": detail.plan,
            "today": queries.today,
            "secretariat": user is not None and user.role == "secretariat",
            "log_position": head,
        },
    )
    return render_framed(request, detail.view.title, content, head)
