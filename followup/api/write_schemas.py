"""Request bodies of the write API, named by role; every one carries when and from where."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from domain.deadlines import DeadlineKind
from domain.outcome_record import MilestoneKind
from domain.plan_templates import PlanTemplate
from followup.api.types import IsoDate

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", min_length=1, max_length=120)]
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{2,3}$", examples=["SE"])]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Url = Annotated[HttpUrl, Field(examples=["https://gfmd.org/documents/report-2009.pdf"])]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactIn(Body):
    """When it happened (default today; never in the future) and the document it rests on."""

    occurred_on: IsoDate | None = Field(None, examples=["2009-03-01"])
    source: str = Field("", max_length=2000, examples=["Minutes of the Steering Group, 3 Mar 2009"])


class ProgressReportCreate(FactIn):
    summary: Text = Field(examples=["Questionnaire sent to all focal points"])
    percent_complete: int | None = Field(None, ge=0, le=100, examples=[40])
    evidence_urls: list[Url] = Field(default_factory=list, max_length=20)
    milestone_id: UUID | None = Field(
        None, description="the custom milestone of the plan this report fulfils"
    )


class CompletionCreate(FactIn):
    summary: str = Field("", max_length=4000, examples=["Final report presented at the summit"])
    evidence_urls: list[Url] = Field(min_length=1, max_length=20)


class ReasonIn(FactIn):
    reason: Text = Field(examples=["Reported against the wrong outcome"])


class Figure(Body):
    code: Code = Field(examples=["national-plan"])
    label: Text = Field(examples=["States with a national migration and development plan"])
    numerator: int = Field(ge=0, examples=[26])
    denominator: int = Field(ge=1, examples=[53])

    @model_validator(mode="after")
    def _a_share(self) -> Figure:
        if self.numerator > self.denominator:
            raise ValueError("numerator is larger than denominator")
        return self


class SurveyRunCreate(FactIn):
    code: Code = Field(examples=["2010"])
    responses: int = Field(ge=0, examples=[61])
    figures: list[Figure] = Field(default_factory=list, max_length=200)


class ExpertMeetingCreate(FactIn):
    code: Code = Field(examples=["expert-2012-06-26-brussels-pcd"])
    title: Text = Field(examples=["Expert workshop on policy coherence for development"])
    place: str = Field("", max_length=200, examples=["Brussels"])


class ResponsibilityCreate(FactIn):
    state: StateCode
    role: Literal["lead", "support"] = "lead"


class DeadlineCreate(FactIn):
    kind: DeadlineKind = Field(examples=["next_meeting"])
    due_on: IsoDate | None = Field(None, description="for kind date")
    meeting_kind: str | None = Field(None, max_length=64, description="for kind next_meeting")
    every_months: int | None = Field(None, ge=1, le=240, description="for kind recurring")
    first_due_on: IsoDate | None = Field(None, description="for kind recurring (optional)")

    @model_validator(mode="after")
    def _fits_kind(self) -> DeadlineCreate:
        needed = {
            DeadlineKind.DATE: ("due_on", self.due_on),
            DeadlineKind.NEXT_MEETING: ("meeting_kind", self.meeting_kind),
            DeadlineKind.RECURRING: ("every_months", self.every_months),
        }[self.kind]
        if needed[1] is None:
            raise ValueError(f"a {self.kind} deadline needs {needed[0]}")
        return self


class PlanIn(Body):
    """A plan template and what it needs."""

    template: PlanTemplate = Field(examples=["rerun_survey"])
    working_group: str | None = Field(None, max_length=120, description="id or code")
    survey: str | None = Field(None, max_length=120, description="id or code")
    every_months: int | None = Field(None, ge=1, le=240, description="for rerun_survey")


class PlanApply(PlanIn, FactIn):
    """Add a template's milestones to an outcome's plan."""


class MilestoneCreate(FactIn):
    kind: MilestoneKind
    title: Text = Field(examples=["Hold an expert meeting on evaluation methods"])
    deadline: DeadlineCreate | None = Field(
        None, description="a date or the next meeting of a kind (not recurring)"
    )
    working_group: str | None = Field(None, max_length=120, description="id or code")
    survey: str | None = Field(None, max_length=120, description="id or code")
    meeting_kind: str | None = Field(None, max_length=64, description="for report_at_meeting")


class OutcomeCreate(FactIn):
    code: Code = Field(examples=["pl-2012-rt2.1-coherence-follow-up"])
    title: Text = Field(examples=["Follow up the workshop's recommendations on coherence"])
    summary: str = Field("", max_length=4000)
    meeting: str | None = Field(None, max_length=120, description="adopting meeting id or code")
    roundtable: str = Field("", max_length=32)
    session: str = Field("", max_length=32)
    responsible: list[ResponsibilityCreate] = Field(default_factory=list, max_length=50)
    working_group: str | None = Field(None, max_length=120, description="id or code")
    deadline: DeadlineCreate | None = None
    plan: PlanIn | None = Field(None, description="a plan template for its milestones")


class WorkingGroupAssignment(FactIn):
    working_group: str | None = Field(max_length=120, description="id or code; null to unassign")


class PublicityChange(FactIn):
    public: bool = Field(description="show the outcome on the public view, without sign-in")


class SupersessionCreate(FactIn):
    successor: str = Field(min_length=1, max_length=120, description="the successor's id or code")


class WorkingGroupCreate(FactIn):
    code: Code = Field(examples=["wg-protecting-empowering-migrants"])
    name: Text


class MemberCreate(FactIn):
    state: StateCode
    role: Literal["co_chair", "member"] = "member"


class MemberRoleChange(FactIn):
    role: Literal["co_chair", "member"]


class SurveyCreate(FactIn):
    code: Code
    title: Text
    conducted_by: StateCode | None = None
    working_group: str | None = Field(None, max_length=120, description="whose leads record runs")


class StateCreate(FactIn):
    code: StateCode
    name: Annotated[str, Field(min_length=1, max_length=200, examples=["Sweden"])]


class ChairmanshipCreate(FactIn):
    state: StateCode
    term: Annotated[str, Field(min_length=1, max_length=64, examples=["2013"])]


class MeetingCreate(FactIn):
    code: Code = Field(examples=["sg-2013-03-geneva"])
    kind: Annotated[str, Field(min_length=1, max_length=64, examples=["steering_group"])]
    title: Text
    place: str = Field("", max_length=200)
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    convened_by: StateCode | None = None


class MeetingReschedule(FactIn):
    starts_on: IsoDate
    ends_on: IsoDate | None = None


class ReceiptPublic(BaseModel):
    """What a write appended. Reads reflect it as soon as this response is sent."""

    id: UUID = Field(description="the aggregate written to")
    version: int = Field(description="its version now (send it as If-Match next time)")
    recorded: list[str] = Field(examples=[["Outcome.ProgressReported"]])
    log_position: int = Field(description="position of the last event in the event log")
    created_id: UUID | None = Field(None, description="the new report, run or meeting, if any")
