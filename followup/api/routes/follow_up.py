"""A working-group lead's writes: progress, completion, retraction, expert meetings, survey runs.

The secretariat may make them too; a lead only on the records of its own working groups.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from domain.survey import Figure
from followup.api.auth import PrincipalDep
from followup.api.deps import ContainerDep, QueriesDep
from followup.api.routes.outcomes import outcome_to_write
from followup.api.write_schemas import (
    CompletionCreate,
    ExpertMeetingCreate,
    ProgressReportCreate,
    ReasonIn,
    ReceiptPublic,
    SurveyRunCreate,
)
from followup.api.write_threads import runs_as_write
from followup.api.writes import (
    OUTCOME_WRITE_RESPONSES,
    WRITE_RESPONSES,
    IdempotencyKey,
    IfMatch,
    answer_write,
    parse_if_match,
)
from followup.commands.groups import GroupCommands
from followup.commands.outcomes import OutcomeCommands

router = APIRouter(prefix="/api/v1", tags=["follow-up (working-group leads)"])

OutcomeKey = Annotated[str, Path(max_length=120, description="the outcome's id or code")]
GroupKey = Annotated[str, Path(max_length=120, description="the working group's id or code")]
SurveyKey = Annotated[str, Path(max_length=120, description="the survey's id or code")]


@router.post(
    "/outcomes/{outcome_id}/progress",
    status_code=201,
    response_model=ReceiptPublic,
    responses=OUTCOME_WRITE_RESPONSES,
)
@runs_as_write
def report_progress(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: ProgressReportCreate,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Report progress on an outcome (``created_id`` is the report's id, for a retraction)."""
    version = parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    key = f"{principal.actor}:{idempotency_key}" if idempotency_key else None
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        outcome_to_write(
            queries,
            outcome_id,
            lambda found: commands.report_progress(
                found,
                body.summary,
                body.occurred_on,
                body.percent_complete,
                [str(u) for u in body.evidence_urls],
                body.source,
                version,
                report_key=key,
                milestone_id=body.milestone_id,
            ),
        ),
    )


@router.post(
    "/outcomes/{outcome_id}/completion",
    status_code=201,
    response_model=ReceiptPublic,
    responses=OUTCOME_WRITE_RESPONSES,
)
@runs_as_write
def complete_outcome(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: CompletionCreate,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Mark an outcome completed, with the evidence (at least one link)."""
    version = parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        outcome_to_write(
            queries,
            outcome_id,
            lambda found: commands.complete(
                found,
                body.summary,
                [str(u) for u in body.evidence_urls],
                body.occurred_on,
                body.source,
                version,
            ),
        ),
    )


@router.post(
    "/outcomes/{outcome_id}/progress/{report_id}/retraction",
    status_code=201,
    response_model=ReceiptPublic,
    responses=OUTCOME_WRITE_RESPONSES,
)
@runs_as_write
def retract_progress(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    report_id: UUID,
    body: ReasonIn,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Retract a progress report: a correction is a new event, the report stays in the history."""
    version = parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        outcome_to_write(
            queries,
            outcome_id,
            lambda found: commands.retract_progress(
                found, report_id, body.reason, body.occurred_on, body.source, version
            ),
        ),
    )


@router.post(
    "/working-groups/{group_id}/expert-meetings",
    status_code=201,
    response_model=ReceiptPublic,
    responses=WRITE_RESPONSES,
)
@runs_as_write
def record_expert_meeting(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    group_id: GroupKey,
    body: ExpertMeetingCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record an expert meeting the group held (it also goes on the forum calendar as held)."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.record_expert_meeting(
            group_id, body.code, body.title, body.place, body.occurred_on, body.source
        ),
    )


@router.post(
    "/surveys/{survey_id}/runs",
    status_code=201,
    response_model=ReceiptPublic,
    responses=WRITE_RESPONSES,
)
@runs_as_write
def record_survey_run(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    survey_id: SurveyKey,
    body: SurveyRunCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a closed run of a survey: responses and figures as numerator/denominator pairs."""
    commands = GroupCommands(container, principal)
    figures = [Figure(f.code, f.label, f.numerator, f.denominator) for f in body.figures]
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.record_survey_run(
            survey_id, body.code, body.responses, figures, body.occurred_on, body.source
        ),
    )


@router.post(
    "/surveys/{survey_id}/runs/{run}/retraction",
    status_code=201,
    response_model=ReceiptPublic,
    responses=WRITE_RESPONSES,
)
@runs_as_write
def retract_survey_run(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    survey_id: SurveyKey,
    run: Annotated[str, Path(max_length=120, description="the run's id or code")],
    body: ReasonIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Retract a run recorded in error; milestones it fulfilled reopen."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.retract_survey_run(
            survey_id, run, body.reason, body.occurred_on, body.source
        ),
    )
