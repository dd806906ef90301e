"""What is known about one outcome: the fold target its events write into.

The aggregate keeps one up to date for its guards; the status rules fold a fresh one from the
events that had occurred by a given day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.deadlines import Deadline


class Role(StrEnum):
    """A responsible state leads an outcome or supports the lead."""

    LEAD = "lead"
    SUPPORT = "support"


@dataclass(slots=True)  # one per progress report: a million in a full-size rebuild's records
class ProgressEntry:
    report_id: UUID
    occurred_on: date
    precision: str
    summary: str
    percent_complete: int | None
    evidence_urls: list[str]
    retracted_on: date | None = None
    retraction_reason: str = ""


class MilestoneKind(StrEnum):
    FORM_WORKING_GROUP = "form_working_group"
    HOLD_EXPERT_MEETING = "hold_expert_meeting"
    RUN_SURVEY = "run_survey"
    REPORT_AT_MEETING = "report_at_meeting"
    CUSTOM = "custom"


@dataclass(frozen=True)
class FactRef:
    """The event that fulfilled a milestone: its aggregate, version, type and day."""

    aggregate_id: UUID
    version: int
    event_type: str
    occurred_on: date
    precision: str = "day"


@dataclass
class Milestone:
    id: UUID
    kind: MilestoneKind
    title: str
    planned_on: date
    deadline: Deadline | None
    working_group_id: UUID | None = None
    survey_id: UUID | None = None
    meeting_kind: str | None = None
    every_months: int | None = None
    cycle: int = 1
    reached_by: FactRef | None = None

    @property
    def reached(self) -> bool:
        return self.reached_by is not None


@dataclass
class OutcomeRecord:
    id: UUID
    forum: str
    code: str
    title: str
    summary: str
    meeting_id: UUID | None
    roundtable: str
    session: str
    adopted_on: date
    responsible: dict[str, Role] = field(default_factory=dict)
    working_group_id: UUID | None = None
    deadline: Deadline | None = None
    reports: dict[UUID, ProgressEntry] = field(default_factory=dict)
    completions: list[date] = field(default_factory=list)
    completion_precision: str = "day"
    completion_evidence: list[str] = field(default_factory=list)
    withdrawn_on: date | None = None
    withdrawal_reason: str = ""
    superseded_on: date | None = None
    successor_id: UUID | None = None
    public: bool = False
    milestones: dict[UUID, Milestone] = field(default_factory=dict)
    version: int = 0

    @classmethod
    def adopted(cls, event: Any) -> OutcomeRecord:
        """The record an ``Outcome.Adopted`` event starts."""
        return cls(
            id=event.originator_id,
            forum=event.forum,
            code=event.code,
            title=event.title,
            summary=event.summary,
            meeting_id=event.meeting_id,
            roundtable=event.roundtable,
            session=event.session,
            adopted_on=event.occurred_on,
            version=1,
        )

    def copy(self) -> OutcomeRecord:
        """A record to fold further without changing this one: its own dicts and lists, sharing
        the entries and milestones in them (events replace an entry or a milestone rather than
        change it in place, so sharing them is safe)."""
        twin = OutcomeRecord.__new__(OutcomeRecord)
        twin.__dict__.update(self.__dict__)
        twin.responsible = dict(self.responsible)
        twin.reports = dict(self.reports)
        twin.completions = list(self.completions)
        twin.completion_evidence = list(self.completion_evidence)
        twin.milestones = dict(self.milestones)
        return twin

    @property
    def closed(self) -> bool:
        """Withdrawn or superseded: nothing more is owed."""
        return self.withdrawn_on is not None or self.superseded_on is not None

    @property
    def live_reports(self) -> list[ProgressEntry]:
        return [r for r in self.reports.values() if r.retracted_on is None]

    @property
    def latest_percent(self) -> int | None:
        figures = [r.percent_complete for r in self.live_reports if r.percent_complete is not None]
        return figures[-1] if figures else None

    @property
    def last_completed_on(self) -> date | None:
        return self.completions[-1] if self.completions else None

    @property
    def open_milestones(self) -> list[Milestone]:
        return [m for m in self.milestones.values() if not m.reached]

    @property
    def plan_share(self) -> tuple[int, int]:
        """Milestones reached, out of all planned."""
        return sum(m.reached for m in self.milestones.values()), len(self.milestones)

    @property
    def leads(self) -> list[str]:
        return sorted(s for s, role in self.responsible.items() if role == Role.LEAD)
