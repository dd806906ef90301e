"""The import file's shape (``format: followup/1``): strict, so a typo is an error, not a gap."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from domain.outcome_record import MilestoneKind, Role
from domain.plan_templates import PlanTemplate
from domain.provenance import Precision, parse_partial_date
from domain.working_group import MemberRole


def _partial_date(value: Any) -> tuple[date, Precision]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, date):
        return value, Precision.DAY
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return parse_partial_date(value)


PartialDate = Annotated[tuple[date, Precision], BeforeValidator(_partial_date)]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", max_length=120)]
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{2,3}$")]
Source = Annotated[str, Field(max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ForumIn(Strict):
    code: Code
    name: str = Field(min_length=1)
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = ["en"]
    meeting_kinds: list[str] | None = None
    chair_meeting_kinds: list[str] | None = None


class StateIn(Strict):
    code: StateCode
    name: str = Field(min_length=1)


class ChairmanshipIn(Strict):
    state: StateCode
    term: str = Field(min_length=1)
    assumed_on: PartialDate
    source: Source = ""


class MeetingIn(Strict):
    code: Code
    kind: str = Field(min_length=1)
    title: str = Field(min_length=1)
    place: str = ""
    starts_on: PartialDate
    ends_on: PartialDate | None = None
    convened_by: StateCode | None = None
    working_group: Code | None = None
    announced_on: PartialDate | None = None
    held: bool = False
    source: Source = ""


class MemberIn(Strict):
    state: StateCode
    role: MemberRole = MemberRole.MEMBER
    joined_on: PartialDate | None = None
    source: Source = ""


class WorkingGroupIn(Strict):
    code: Code
    name: str = Field(min_length=1)
    formed_on: PartialDate
    source: Source = ""
    members: list[MemberIn] = []


class FigureIn(Strict):
    code: Code
    label: str = Field(min_length=1)
    numerator: int | None = Field(None, ge=0)
    denominator: int | None = Field(None, ge=1)
    percent: float | None = Field(None, ge=0, le=100)

    @model_validator(mode="after")
    def _counts_or_percent(self) -> FigureIn:
        if self.numerator is None and self.percent is None:
            raise ValueError("give numerator and denominator, or percent")
        if self.numerator is not None and self.denominator is None:
            raise ValueError("a numerator needs its denominator")
        if self.numerator is not None and self.denominator and self.numerator > self.denominator:
            raise ValueError("numerator is larger than denominator")
        return self


class SurveyRunIn(Strict):
    code: Code
    closed_on: PartialDate
    responses: int = Field(ge=0)
    source: Source = ""
    figures: list[FigureIn] = []


class SurveyIn(Strict):
    code: Code
    title: str = Field(min_length=1)
    conducted_by: StateCode | None = None
    working_group: Code | None = None
    launched_on: PartialDate
    source: Source = ""
    runs: list[SurveyRunIn] = []


class ResponsibleIn(Strict):
    state: StateCode
    role: Role = Role.LEAD


class DeadlineIn(Strict):
    due_on: PartialDate | None = None
    next_meeting: str | None = None
    every_months: int | None = Field(None, ge=1, le=240)
    first_due_on: PartialDate | None = None
    set_on: PartialDate | None = None

    @model_validator(mode="after")
    def _exactly_one_form(self) -> DeadlineIn:
        forms = [self.due_on is not None, self.next_meeting is not None, self.every_months]
        if sum(bool(f) for f in forms) != 1:
            raise ValueError("give exactly one of due_on, next_meeting, every_months")
        if self.first_due_on is not None and not self.every_months:
            raise ValueError("first_due_on only goes with every_months")
        return self


class ProgressIn(Strict):
    occurred_on: PartialDate
    summary: str = Field(min_length=1, max_length=4000)
    percent_complete: int | None = Field(None, ge=0, le=100)
    evidence_urls: list[str] = []
    source: Source = ""


class CompletionIn(Strict):
    occurred_on: PartialDate
    summary: str = ""
    evidence_urls: list[str] = []
    source: Source = ""


class PlanTemplateIn(Strict):
    template: PlanTemplate
    working_group: Code | None = None
    survey: Code | None = None
    every_months: int | None = Field(None, ge=1, le=240)


class MilestoneIn(Strict):
    key: Code
    kind: MilestoneKind
    title: str = Field(min_length=1, max_length=500)
    deadline: DeadlineIn | None = None
    working_group: Code | None = None
    survey: Code | None = None
    meeting_kind: str | None = None


class OutcomeIn(Strict):
    code: Code
    adopted_at: Code | None = None
    adopted_on: PartialDate
    roundtable: str = ""
    session: str = ""
    title: str = Field(min_length=1, max_length=1000)
    summary: str = Field("", max_length=4000)
    source: Source = ""
    responsible: list[ResponsibleIn] = []
    working_group: Code | None = None
    assigned_on: PartialDate | None = None
    deadline: DeadlineIn | None = None
    plan: list[PlanTemplateIn] = []
    milestones: list[MilestoneIn] = []
    progress: list[ProgressIn] = []
    completed: CompletionIn | None = None


class ImportFile(Strict):
    format: Literal["followup/1"]
    forum: ForumIn
    states: list[StateIn] = []
    chairmanships: list[ChairmanshipIn] = []
    meetings: list[MeetingIn] = []
    working_groups: list[WorkingGroupIn] = []
    surveys: list[SurveyIn] = []
    outcomes: list[OutcomeIn] = []
