"""Request and response models of the HTTP API (v1), named by role."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.status import Status


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class StateRole(Model):
    state: str = Field(examples=["SE"])
    role: Literal["lead", "support"]


class NamedRef(Model):
    id: UUID
    code: str
    title: str


class DeadlinePublic(Model):
    kind: Literal["date", "next_meeting", "recurring"]
    description: str = Field(examples=["by the next summit after 2008-10-30"])
    due_on: date | None = Field(description="the due date that applies (None: not yet known)")
    anchor: str = Field(examples=["the next summit: Third GFMD meeting, Athens"])
    meeting_kind: str | None


class OutcomePublic(Model):
    id: UUID
    code: str = Field(examples=["mnl-2008-rt3.2-survey-rerun"])
    title: str
    summary: str
    status: Status
    status_reason: str = Field(examples=["no progress reported; due 2009-11-04 (the next summit)"])
    status_rule: str = Field(
        description="which status rule decided (see the README's status table)",
        examples=["not_started"],
    )
    public: bool = Field(description="shown on the public view without sign-in")
    version: int = Field(description="the outcome's version, for If-Match on writes")
    adopted_on: date
    meeting: NamedRef | None = Field(description="the meeting that adopted it")
    roundtable: str
    session: str
    responsible_states: list[StateRole]
    working_group: NamedRef | None
    deadline: DeadlinePublic | None
    progress_reports: int
    percent_complete: int | None
    completed_on: date | None


class OutcomeList(Model):
    as_of: date
    total: int
    limit: int
    offset: int
    items: list[OutcomePublic]


class ProgressReportPublic(Model):
    id: UUID
    occurred_on: date
    precision: str
    summary: str
    percent_complete: int | None
    evidence_urls: list[str]
    retracted_on: date | None
    retraction_reason: str


class FactPublic(Model):
    """The fact that fulfilled a milestone."""

    event_type: str = Field(examples=["WorkingGroup.Formed"])
    aggregate_id: UUID
    version: int
    occurred_on: date
    record_code: str | None = Field(description="the code of the record the fact belongs to")


class MilestonePublic(Model):
    id: UUID
    kind: Literal[
        "form_working_group", "hold_expert_meeting", "run_survey", "report_at_meeting", "custom"
    ]
    title: str
    cycle: int
    state: Literal["open", "reached"]
    due_on: date | None = Field(description="its deadline on this day's calendar")
    reached_by: FactPublic | None


class OutcomeDetail(OutcomePublic):
    as_of: date
    evidence_urls: list[str]
    progress: list[ProgressReportPublic]
    plan: list[MilestonePublic] = Field(description="the milestones, in order of their deadline")


class HistoryEntry(Model):
    version: int
    event_type: str = Field(examples=["Outcome.ProgressReported"])
    occurred_on: date = Field(description="when it happened in the world")
    precision: Literal["day", "month", "year"] = Field(
        description="how much of occurred_on the sources give (a year-precise fact shows 2009)"
    )
    recorded_at: datetime = Field(description="when the store recorded it")
    actor: str = Field(description="the user, token or import that recorded it")
    source: str = Field(description="the document it rests on")
    data: dict[str, Any]


class OutcomeHistory(Model):
    outcome_id: UUID
    code: str
    events: list[HistoryEntry]


class MeetingPublic(Model):
    id: UUID
    code: str
    kind: str
    title: str
    place: str
    starts_on: date
    ends_on: date
    convened_by: str | None
    status: Literal["scheduled", "held", "cancelled"]


class NextMeeting(Model):
    as_of: date
    meeting: MeetingPublic | None = Field(description="None when no Chair meeting is scheduled")
    due: list[OutcomePublic] = Field(description="open outcomes due by that meeting, or overdue")


class Health(Model):
    status: Literal["ok", "unavailable"]
    store: Literal["reachable", "unreachable"]
    head_position: int | None
    projection_lag: dict[str, int]


class ReadinessCheck(Model):
    name: str = Field(examples=["store", "projection:outcome_status"])
    ok: bool
    detail: str = Field(examples=["lags 1200 event(s) behind the head (at most 1000)"])


class Readiness(Model):
    status: Literal["ready", "not_ready"]
    head_position: int | None
    max_lag: int = Field(description="most events a read model may have still to apply")
    checks: list[ReadinessCheck]


class FieldError(Model):
    field: str = Field(examples=["as_of"])
    message: str


class Problem(Model):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldError] = []
