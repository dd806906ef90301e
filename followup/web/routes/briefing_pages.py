"""The briefing for the next Chair-in-Office meeting (printable, as PDF), and the public view."""

from __future__ import annotations

import warnings

from fastapi import APIRouter, Request
from fastapi.responses import Response

from followup.queries import OutcomeQueries
from followup.web.i18n import N_
from followup.web.outcome_lines import outcome_lists
from followup.web.page_state import Page, PageError, Reader
from followup.web.routes.portfolio_pages import portfolio
from followup.web.templating import STATIC, render

router = APIRouter(include_in_schema=False)


@router.get("/briefing")
def briefing_page(request: Request, reader: Reader) -> Response:
    found = portfolio(request)
    day = reader.as_of or found.queries.today
    return render(request, "briefing.html", {"briefing": found.briefing(day), "pdf": False})


@router.get("/briefing.pdf")
def briefing_pdf(request: Request, reader: Reader) -> Response:
    """The same briefing through the print stylesheet, as a PDF (WeasyPrint)."""
    with warnings.catch_warnings():  # a machine without HarfBuzz-Subset is told of the future
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import CSS, HTML

    found = portfolio(request)
    day = reader.as_of or found.queries.today
    page = render(request, "briefing.html", {"briefing": found.briefing(day), "pdf": True})
    stylesheets = [CSS(filename=str(STATIC / "style.css")), CSS(filename=str(STATIC / "print.css"))]
    pdf = HTML(string=bytes(page.body).decode("utf-8"), base_url=str(STATIC)).write_pdf(
        stylesheets=stylesheets
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="briefing-{day.isoformat()}.pdf"'},
    )


@router.get("/public")
def public_list(request: Request, page: Page) -> Response:
    """Outcomes the secretariat marked public: read-only, no sign-in."""
    views = [v for v in portfolio(request).views(page.as_of) if v.public]
    return render(request, "public.html", {"outcomes": views})


@router.get("/public/outcomes/{key}")
def public_outcome(request: Request, page: Page, key: str) -> Response:
    queries: OutcomeQueries = request.app.state.queries
    outcome_id = queries.outcome_id(key)
    detail = queries.detail(outcome_id, page.as_of) if outcome_id else None
    if outcome_id is None or detail is None or not detail.view.public:
        raise PageError(404, N_("There is no such public outcome."))
    lists = outcome_lists(
        request, detail.record, queries.history(outcome_id), page.as_of, show_after_as_of=False
    )
    return render(
        request,
        "public_outcome.html",
        {
            "outcome": detail.view,
            "record": detail.record,
            "timeline": lists["timeline"],
            "plan": detail.plan,
            "today": queries.today,
        },
    )
