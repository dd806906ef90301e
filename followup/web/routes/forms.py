"""The secretariat's forms: the same decisions the write API offers, with messages next to the
field on error and nothing appended."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from followup.api.write_threads import write_threads_of
from followup.authorization import Principal, Role
from followup.queries import OutcomeQueries
from followup.web.form_specs import FORUM_FORMS, GROUP_FORMS, OUTCOME_FORMS, SURVEY_FORMS
from followup.web.forms import FACT_FIELDS, FormContext, FormSpec, handle
from followup.web.i18n import N_
from followup.web.page_state import PageError, PageState, Secretariat
from followup.web.security import csrf_valid
from followup.web.templating import render

router = APIRouter(prefix="/secretariat", include_in_schema=False)


def context_for(
    request: Request, state: PageState, target: str = "", choices: Any = None
) -> FormContext:
    assert state.user is not None
    principal = Principal(state.user.username, Role(state.user.role), kind="user")
    return FormContext(request.app.state.container, principal, target, choices)


def show(
    request: Request,
    spec: FormSpec,
    context: FormContext,
    action: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    status: int = 200,
) -> Response:
    fields = [(f, f.options(context) if f.options else None) for f in (*spec.fields, *FACT_FIELDS)]
    return render(
        request,
        "forms/form.html",
        {
            "spec": spec,
            "fields": fields,
            "action": action,
            "values": values or {},
            "errors": errors or {},
            "form_error": form_error,
            "target": context.target,
        },
        status=status,
    )


async def submitted(request: Request) -> dict[str, str]:
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    if not csrf_valid(request, data.get("csrf_token")):
        raise PageError(400, N_("This form has expired. Reload the page and try again."))
    return data


async def answer(
    request: Request, spec: FormSpec, context: FormContext, form: dict[str, str]
) -> Response:
    """The form's command, run on the app's write threads (never on the event loop)."""
    result = await write_threads_of(request.app).run(lambda: handle(spec, context, form))
    if result.redirect is None:
        return show(
            request, spec, context, request.url.path, form, result.errors, result.form_error, 422
        )
    request.session["flash"] = "recorded"
    return RedirectResponse(result.redirect, status_code=303)


@router.get("")
def index(request: Request, state: Secretariat) -> Response:
    return render(request, "forms/index.html", {"forms": FORUM_FORMS})


def forum_spec(name: str) -> FormSpec:
    if name not in FORUM_FORMS:
        raise PageError(404, N_("This page does not exist."))
    return FORUM_FORMS[name]


@router.get("/{name}")
def forum_form(request: Request, state: Secretariat, name: str) -> Response:
    return show(request, forum_spec(name), context_for(request, state), request.url.path)


@router.post("/{name}")
async def forum_submit(request: Request, state: Secretariat, name: str) -> Response:
    spec = forum_spec(name)
    form = await submitted(request)
    return await answer(request, spec, context_for(request, state), form)


def outcome_target(request: Request, code: str, action: str) -> tuple[FormSpec, Any]:
    queries: OutcomeQueries = request.app.state.queries
    outcome_id = queries.outcome_id(code)
    if outcome_id is None or action not in OUTCOME_FORMS:
        raise PageError(404, N_("This page does not exist."))
    return OUTCOME_FORMS[action], outcome_id


@router.get("/outcomes/{code}/{action}")
def outcome_form(request: Request, state: Secretariat, code: str, action: str) -> Response:
    spec, outcome_id = outcome_target(request, code, action)
    return show(request, spec, context_for(request, state, code, outcome_id), request.url.path)


@router.post("/outcomes/{code}/{action}")
async def outcome_submit(request: Request, state: Secretariat, code: str, action: str) -> Response:
    spec, outcome_id = outcome_target(request, code, action)
    form = await submitted(request)
    return await answer(request, spec, context_for(request, state, code, outcome_id), form)


def group_spec(action: str) -> FormSpec:
    if action not in GROUP_FORMS:
        raise PageError(404, N_("This page does not exist."))
    return GROUP_FORMS[action]


@router.get("/working-groups/{code}/{action}")
def group_form(request: Request, state: Secretariat, code: str, action: str) -> Response:
    return show(request, group_spec(action), context_for(request, state, code), request.url.path)


@router.post("/working-groups/{code}/{action}")
async def group_submit(request: Request, state: Secretariat, code: str, action: str) -> Response:
    spec = group_spec(action)
    form = await submitted(request)
    return await answer(request, spec, context_for(request, state, code), form)


def survey_spec(action: str) -> FormSpec:
    if action not in SURVEY_FORMS:
        raise PageError(404, N_("This page does not exist."))
    return SURVEY_FORMS[action]


@router.get("/surveys/{code}/{action}")
def survey_form(request: Request, state: Secretariat, code: str, action: str) -> Response:
    return show(request, survey_spec(action), context_for(request, state, code), request.url.path)


@router.post("/surveys/{code}/{action}")
async def survey_submit(request: Request, state: Secretariat, code: str, action: str) -> Response:
    spec = survey_spec(action)
    form = await submitted(request)
    return await answer(request, spec, context_for(request, state, code), form)
