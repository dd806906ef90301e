"""The secretariat's decisions on outcomes: adopt, assign, set deadlines, withdraw, supersede.

The decisions on one outcome share their shape (load, If-Match, idempotency, receipt), so they
are declared as a table and made into routes by ``outcome_decision``.
"""

# No ``from __future__ import annotations``: the generated endpoints' body types must be real
# classes when FastAPI reads their signatures.

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from domain.outcome_record import Role
from followup.api.auth import PrincipalDep
from followup.api.deps import ContainerDep, QueriesDep
from followup.api.routes.follow_up import OutcomeKey
from followup.api.routes.outcomes import find_outcome
from followup.api.write_schemas import (
    DeadlineCreate,
    FactIn,
    MilestoneCreate,
    OutcomeCreate,
    PlanApply,
    PlanIn,
    PublicityChange,
    ReasonIn,
    ReceiptPublic,
    ResponsibilityCreate,
    SupersessionCreate,
    WorkingGroupAssignment,
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
from followup.commands.base import Receipt
from followup.commands.outcomes import DeadlineSpec, Responsible
from followup.commands.plans import PlanCommands, PlanSpec

router = APIRouter(prefix="/api/v1/outcomes", tags=["outcomes (secretariat)"])

StateKey = Annotated[str, Path(pattern=r"^[A-Z]{2,3}$", description="a state code")]
B = TypeVar("B", bound=BaseModel)


def plan_spec(body: PlanIn) -> PlanSpec:
    return PlanSpec(body.template, body.working_group, body.survey, body.every_months)


def deadline_spec(body: DeadlineCreate) -> DeadlineSpec:
    return DeadlineSpec(
        body.kind, body.due_on, body.meeting_kind, body.every_months, body.first_due_on
    )


@router.post("", status_code=201, response_model=ReceiptPublic, responses=WRITE_RESPONSES)
@runs_as_write
def adopt_outcome(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: OutcomeCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record an outcome adopted at a meeting: responsible states, group, deadline, plan."""
    commands = PlanCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.adopt_with_plan(
            plan_spec(body.plan) if body.plan else None,
            code=body.code,
            title=body.title,
            adopted_on=body.occurred_on,
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


Decide = Callable[[PlanCommands, UUID, Any, int | None], Receipt]


def outcome_decision(path: str, body_type: type[B], name: str, doc: str, decide: Decide) -> None:
    """Add ``POST /api/v1/outcomes/{outcome_id}{path}`` taking ``body_type``."""

    def endpoint(
        request: Request,
        principal: PrincipalDep,
        container: ContainerDep,
        queries: QueriesDep,
        outcome_id: OutcomeKey,
        body: body_type,  # type: ignore[valid-type]
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
        commands = PlanCommands(container, principal)
        return answer_write(
            request,
            principal,
            idempotency_key,
            body,
            lambda: decide(commands, found, body, version),
        )

    endpoint.__name__ = name
    endpoint.__doc__ = doc
    router.post(
        f"/{{outcome_id}}{path}",
        status_code=201,
        response_model=ReceiptPublic,
        responses=OUTCOME_WRITE_RESPONSES,
    )(runs_as_write(endpoint))


outcome_decision(
    "/responsibilities",
    ResponsibilityCreate,
    "assign_responsibility",
    "Make a state responsible for the outcome, as lead or support (or change its role).",
    lambda c, o, b, v: c.assign_responsibility(
        o, b.state, Role(b.role), b.occurred_on, b.source, v
    ),
)
outcome_decision(
    "/working-group",
    WorkingGroupAssignment,
    "assign_working_group",
    "Give the outcome to a working group (its leads may then report on it), or take it back.",
    lambda c, o, b, v: c.assign_working_group(o, b.working_group, b.occurred_on, b.source, v),
)
outcome_decision(
    "/deadline",
    DeadlineCreate,
    "set_deadline",
    "Set the deadline: a date, the next meeting of a kind, or recurring every N months.",
    lambda c, o, b, v: c.set_deadline(o, deadline_spec(b), b.occurred_on, b.source, v),
)
outcome_decision(
    "/withdrawal",
    ReasonIn,
    "withdraw_outcome",
    "Withdraw the outcome: nothing more is owed on it.",
    lambda c, o, b, v: c.withdraw(o, b.reason, b.occurred_on, b.source, v),
)
outcome_decision(
    "/supersession",
    SupersessionCreate,
    "supersede_outcome",
    "Record that another outcome supersedes this one.",
    lambda c, o, b, v: c.supersede(o, b.successor, b.occurred_on, b.source, v),
)
outcome_decision(
    "/publicity",
    PublicityChange,
    "set_publicity",
    "Show the outcome on the public view (or take it off).",
    lambda c, o, b, v: c.set_public(o, b.public, b.occurred_on, b.source, v),
)
outcome_decision(
    "/plan",
    PlanApply,
    "use_plan_template",
    "Add a plan template's milestones to the outcome's plan.",
    lambda c, o, b, v: c.use_template(o, plan_spec(b), b.occurred_on, b.source, v),
)
outcome_decision(
    "/milestones",
    MilestoneCreate,
    "plan_milestone",
    "Add one milestone to the plan (``created_id`` is its id).",
    lambda c, o, b, v: c.plan_milestone(
        o,
        b.kind,
        b.title,
        b.occurred_on,
        deadline_spec(b.deadline) if b.deadline else None,
        b.working_group,
        b.survey,
        b.meeting_kind,
        b.source,
        v,
    ),
)
outcome_decision(
    "/reopening",
    ReasonIn,
    "reopen_outcome",
    "Reopen a completed outcome (a correction: the completion stays in the history).",
    lambda c, o, b, v: c.reopen(o, b.reason, b.occurred_on, b.source, v),
)


@router.post(
    "/{outcome_id}/responsibilities/{state}/release",
    status_code=201,
    response_model=ReceiptPublic,
    responses=OUTCOME_WRITE_RESPONSES,
)
@runs_as_write
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
    commands = PlanCommands(container, principal)
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
    "/{outcome_id}/milestones/{milestone_id}/removal",
    status_code=201,
    response_model=ReceiptPublic,
    responses=OUTCOME_WRITE_RESPONSES,
)
@runs_as_write
def remove_milestone(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    queries: QueriesDep,
    outcome_id: OutcomeKey,
    milestone_id: UUID,
    body: ReasonIn,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Take a milestone off the plan (the history keeps it)."""
    found, version = find_outcome(queries, outcome_id), parse_if_match(if_match)
    commands = PlanCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.remove_milestone(
            found, milestone_id, body.reason, body.occurred_on, body.source, version
        ),
    )
