"""Outcomes: the list with computed status, one outcome, and its history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from adapters.read_models.event_data import event_data, event_type
from domain.status import Status
from followup.api.deps import AsOf, QueriesDep
from followup.api.problems import PROBLEM_JSON, ProblemError
from followup.api.schemas import (
    HistoryEntry,
    OutcomeDetail,
    OutcomeHistory,
    OutcomeList,
    Problem,
    ProgressReportPublic,
)
from followup.commands.base import NotFoundError, Receipt, UnknownAggregateError
from followup.queries import OutcomeFilter, OutcomeQueries, UnknownFilterError

router = APIRouter(prefix="/api/v1/outcomes", tags=["outcomes"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such outcome", "content": {PROBLEM_JSON: {}}}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "a parameter is invalid", "content": {PROBLEM_JSON: {}}}
}


def find_outcome(queries: OutcomeQueries, outcome_id: str) -> UUID:
    found = queries.outcome_id(outcome_id)
    if found is None:
        raise ProblemError(404, f"no outcome {outcome_id!r}")
    return found


def outcome_to_write(
    queries: OutcomeQueries, outcome_id: str, write: Callable[[UUID], Receipt]
) -> Callable[[], Receipt]:
    """A write on the outcome ``outcome_id`` names, without asking the store first whether it
    holds it (``find_outcome``): the command loads the outcome anyway, and a missing one is
    answered by that load with the same 404. Asking first was one more read of the store on
    every write to an outcome this process had not met yet (nearly every write, at full size)."""
    found = queries.outcome_key(outcome_id)

    def run() -> Receipt:
        try:
            return write(found)
        except UnknownAggregateError as error:
            if error.aggregate_id != found:
                raise
            raise NotFoundError(f"no outcome {outcome_id!r}") from None

    return run


@router.get("", response_model=OutcomeList, responses=INVALID)
def list_outcomes(
    queries: QueriesDep,
    as_of: AsOf = None,
    status: Annotated[Status | None, Query(description="only outcomes with this status")] = None,
    state: Annotated[
        str | None,
        Query(pattern=r"^[A-Z]{2,3}$", description="a responsible state", examples=["SE"]),
    ] = None,
    working_group: Annotated[
        str | None, Query(max_length=120, description="working group id or code")
    ] = None,
    meeting: Annotated[
        str | None, Query(max_length=120, description="adopting meeting id or code")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OutcomeList:
    """Outcomes with their computed status, today or as of a past day."""
    wanted = OutcomeFilter(status, state, working_group, meeting)
    try:
        if as_of is None:
            views, total = queries.list_current(wanted, limit, offset)
        else:
            views, total = queries.list_as_of(wanted, as_of, limit, offset)
    except UnknownFilterError as error:
        raise ProblemError(
            422, str(error), [{"field": error.field, "message": str(error)}]
        ) from None
    return OutcomeList.model_validate(
        {
            "as_of": as_of or queries.today,
            "total": total,
            "limit": limit,
            "offset": offset,
            "items": views,
        }
    )


@router.get("/{outcome_id}", response_model=OutcomeDetail, responses={**NOT_FOUND, **INVALID})
def get_outcome(queries: QueriesDep, outcome_id: str, as_of: AsOf = None) -> OutcomeDetail:
    """One outcome: fields, status and why, version, responsible states, deadline, progress."""
    detail = queries.detail(find_outcome(queries, outcome_id), as_of)
    if detail is None:
        raise ProblemError(404, f"outcome {outcome_id!r} had not been adopted by {as_of}")
    progress = [
        ProgressReportPublic(
            id=r.report_id,
            occurred_on=r.occurred_on,
            precision=r.precision,
            summary=r.summary,
            percent_complete=r.percent_complete,
            evidence_urls=r.evidence_urls,
            retracted_on=r.retracted_on,
            retraction_reason=r.retraction_reason,
        )
        for r in detail.record.reports.values()
    ]
    plan = [
        {
            "id": step.milestone.id,
            "kind": str(step.milestone.kind),
            "title": step.milestone.title,
            "cycle": step.milestone.cycle,
            "state": "reached" if step.milestone.reached else "open",
            "due_on": step.due_on,
            "reached_by": {
                "event_type": step.milestone.reached_by.event_type,
                "aggregate_id": step.milestone.reached_by.aggregate_id,
                "version": step.milestone.reached_by.version,
                "occurred_on": step.milestone.reached_by.occurred_on,
                "record_code": step.cause_code,
            }
            if step.milestone.reached_by
            else None,
        }
        for step in detail.plan
    ]
    return OutcomeDetail.model_validate(
        {**vars(detail.view), "as_of": detail.on, "progress": progress, "plan": plan}
    )


@router.get("/{outcome_id}/history", response_model=OutcomeHistory, responses=NOT_FOUND)
def outcome_history(queries: QueriesDep, outcome_id: str) -> OutcomeHistory:
    """Every event of the outcome in order: when it happened, when recorded, by whom, from where."""
    found = find_outcome(queries, outcome_id)
    events = queries.history(found)
    entries = [
        HistoryEntry(
            version=e.originator_version,
            event_type=event_type(e),
            occurred_on=e.occurred_on,
            precision=e.precision,
            recorded_at=e.timestamp,
            actor=e.actor,
            source=e.source,
            data=event_data(e),
        )
        for e in events
    ]
    return OutcomeHistory(outcome_id=found, code=events[0].code, events=entries)
