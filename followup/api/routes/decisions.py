"""The secretariat's decisions on outcomes: adopt, assign, set deadlines, withdraw, supersede."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from domain.outcome_record import Role
from followup.api.auth import PrincipalDep
from followup.api.deps import ContainerDep, QueriesDep
from followup.api.routes.follow_up import OutcomeKey
from followup.api.routes.outcomes import find_outcome
from followup.api.write_schemas import (
    DeadlineCreate,
    FactIn,
    OutcomeCreate,
    ReasonIn,
    ReceiptPublic,
    ResponsibilityCreate,
    SupersessionCreate,
    WorkingGroupAssignment,
)
from followup.api.writes import (
    OUTCOME_WRITE_RESPONSES,
    WRITE_RESPONSES,
    IdempotencyKey,
    IfMatch,
    answer_write,
    parse_if_match,
)
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, Responsible

router = APIRouter(prefix="/api/v1/outcomes", tags=["outcomes (secretariat)"])

StateKey = Annotated[str, Path(pattern=r"^[A-Z]{2,3}$", description="a state code")]


def deadline_spec(body: DeadlineCreate) -> DeadlineSpec:
    return DeadlineSpec(
        body.kind, body.due_on, body.meeting_kind, body.every_months, body.first_due_on
    )


@router.post("", responses=WRITE_RESPONSES, status_code=201, response_model=ReceiptPublic)
def adopt_outcome(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: OutcomeCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record an outcome adopted at a meeting, with its responsible states, group and deadline."""
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.adopt(
            body.code,
            body.title,
            body.occurred_on,
            summary=body.summary,
            meeting=body.meeting,
            roundtable=body.roundtable,
            session=body.session,
            source=body.source,
            responsible=[Responsible(r.state, Role(r.role)) for r in body.responsible],
            working_group=body.working_group,
            deadline=deadline_spec(body.deadline) if body.deadline else None,
        ),
    )


@router.post(
    "/{outcome_id}/responsibilities",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def assign_responsibility(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: ResponsibilityCreate,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Make a state responsible for the outcome, as lead or support (or change its role)."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.assign_responsibility(
            found, body.state, Role(body.role), body.occurred_on, body.source, version
        ),
    )


@router.post(
    "/{outcome_id}/responsibilities/{state}/release",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def release_responsibility(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    state: StateKey,
    body: FactIn,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Release a state from the outcome."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.release_responsibility(
            found, state, body.occurred_on, body.source, version
        ),
    )


@router.post(
    "/{outcome_id}/working-group",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def assign_working_group(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: WorkingGroupAssignment,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Give the outcome to a working group (its leads may then report on it), or take it back."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.assign_working_group(
            found, body.working_group, body.occurred_on, body.source, version
        ),
    )


@router.post(
    "/{outcome_id}/deadline",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def set_deadline(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: DeadlineCreate,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Set the deadline: a date, the next meeting of a kind, or recurring every N months."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.set_deadline(
            found, deadline_spec(body), body.occurred_on, body.source, version
        ),
    )


@router.post(
    "/{outcome_id}/withdrawal",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def withdraw_outcome(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: ReasonIn,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Withdraw the outcome: nothing more is owed on it."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.withdraw(found, body.reason, body.occurred_on, body.source, version),
    )


@router.post(
    "/{outcome_id}/supersession",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def supersede_outcome(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: SupersessionCreate,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record that another outcome supersedes this one."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.supersede(found, body.successor, body.occurred_on, body.source, version),
    )


@router.post(
    "/{outcome_id}/reopening",
    responses=OUTCOME_WRITE_RESPONSES,
    status_code=201,
    response_model=ReceiptPublic,
)
def reopen_outcome(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    body: ReasonIn,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Reopen a completed outcome (a correction: the completion stays in the history)."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = OutcomeCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.reopen(found, body.reason, body.occurred_on, body.source, version),
    )
