"""An outcome's plan: milestones that the forum's own facts fulfil (a working group formed, an
expert meeting held, a survey run closed, a meeting held with the outcome reported on) or, for a
custom milestone, a lead's report. Mixed into ``Outcome``: its events are the outcome's events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.deadlines import Deadline, DeadlineKind
from domain.errors import InvalidValueError
from domain.identity import child_id
from domain.outcome_record import FactRef, Milestone, MilestoneKind, OutcomeRecord
from domain.provenance import Provenance


class MilestoneEvent(Aggregate.Event):
    occurred_on: date
    precision: str
    actor: str
    source: str

    def record_in(self, record: OutcomeRecord) -> None:
        """Write this event's effect on the outcome's record."""

    def apply(self, aggregate: Any) -> None:
        self.record_in(aggregate.record)
        aggregate.record.version = self.originator_version


class OutcomePlan:
    """Commands and events of an outcome's plan (a mixin of ``Outcome``)."""

    record: OutcomeRecord
    id: UUID

    class MilestonePlanned(MilestoneEvent):
        milestone_id: UUID
        kind: str
        title: str
        deadline_kind: str | None
        due_on: date | None
        deadline_meeting_kind: str | None
        working_group_id: UUID | None
        survey_id: UUID | None
        meeting_kind: str | None
        every_months: int | None
        cycle: int

        def record_in(self, record: OutcomeRecord) -> None:
            deadline = None
            if self.deadline_kind is not None:
                deadline = Deadline(
                    DeadlineKind(self.deadline_kind),
                    self.occurred_on,
                    due_on=self.due_on,
                    meeting_kind=self.deadline_meeting_kind,
                )
            record.milestones[self.milestone_id] = Milestone(
                id=self.milestone_id,
                kind=MilestoneKind(self.kind),
                title=self.title,
                planned_on=self.occurred_on,
                deadline=deadline,
                working_group_id=self.working_group_id,
                survey_id=self.survey_id,
                meeting_kind=self.meeting_kind,
                every_months=self.every_months,
                cycle=self.cycle,
            )

    class MilestoneRemoved(MilestoneEvent):
        milestone_id: UUID
        reason: str

        def record_in(self, record: OutcomeRecord) -> None:
            record.milestones.pop(self.milestone_id, None)

    class MilestoneReached(MilestoneEvent):
        """Recorded by the workflow policy, with the event that caused it."""

        milestone_id: UUID
        cause_aggregate_id: UUID
        cause_version: int
        cause_type: str

        def record_in(self, record: OutcomeRecord) -> None:
            milestone = record.milestones.get(self.milestone_id)
            if milestone is not None:  # replaced, not changed: a copied record may share it
                record.milestones[self.milestone_id] = replace(
                    milestone,
                    reached_by=FactRef(
                        self.cause_aggregate_id,
                        self.cause_version,
                        self.cause_type,
                        self.occurred_on,
                        self.precision,
                    ),
                )

    class MilestoneReopened(MilestoneEvent):
        milestone_id: UUID
        reason: str

        def record_in(self, record: OutcomeRecord) -> None:
            milestone = record.milestones.get(self.milestone_id)
            if milestone is not None:
                record.milestones[self.milestone_id] = replace(milestone, reached_by=None)

    if TYPE_CHECKING:

        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...  # by Aggregate

    def milestone_id(self, key: str) -> UUID:
        return child_id(self.id, "milestone", key)

    def plan_milestone(
        self,
        key: str,
        kind: MilestoneKind,
        title: str,
        fact: Provenance,
        deadline: Deadline | None = None,
        working_group_id: UUID | None = None,
        survey_id: UUID | None = None,
        meeting_kind: str | None = None,
        every_months: int | None = None,
        cycle: int = 1,
    ) -> UUID:
        milestone_id = self.milestone_id(key)
        if milestone_id in self.record.milestones:
            raise InvalidValueError(f"milestone {key!r} is already in the plan")
        if not title.strip():
            raise InvalidValueError("a milestone needs a title")
        if kind == MilestoneKind.FORM_WORKING_GROUP and working_group_id is None:
            raise InvalidValueError("forming a working group names the group")
        if kind == MilestoneKind.RUN_SURVEY and survey_id is None:
            raise InvalidValueError("running a survey names the survey")
        if kind == MilestoneKind.REPORT_AT_MEETING and not meeting_kind:
            raise InvalidValueError("reporting at a meeting names the meeting kind")
        if deadline is not None and deadline.kind == DeadlineKind.RECURRING:
            raise InvalidValueError(
                "a milestone's deadline is a date or the next meeting of a kind"
            )
        self.trigger_event(
            self.MilestonePlanned,
            milestone_id=milestone_id,
            kind=str(kind),
            title=title,
            deadline_kind=str(deadline.kind) if deadline else None,
            due_on=deadline.due_on if deadline else None,
            deadline_meeting_kind=deadline.meeting_kind if deadline else None,
            working_group_id=working_group_id,
            survey_id=survey_id,
            meeting_kind=meeting_kind,
            every_months=every_months,
            cycle=cycle,
            **fact.event_fields(),
        )
        return milestone_id

    def remove_milestone(self, milestone_id: UUID, reason: str, fact: Provenance) -> None:
        if milestone_id not in self.record.milestones:
            raise InvalidValueError(f"no milestone {milestone_id} in the plan")
        self.trigger_event(
            self.MilestoneRemoved, milestone_id=milestone_id, reason=reason, **fact.event_fields()
        )

    def reach_milestone(self, milestone_id: UUID, cause: FactRef, fact: Provenance) -> bool:
        """Record the milestone reached by ``cause``; False (nothing recorded) if it already is."""
        milestone = self.record.milestones.get(milestone_id)
        if milestone is None or milestone.reached:
            return False
        self.trigger_event(
            self.MilestoneReached,
            milestone_id=milestone_id,
            cause_aggregate_id=cause.aggregate_id,
            cause_version=cause.version,
            cause_type=cause.event_type,
            **{
                **fact.event_fields(),
                "occurred_on": cause.occurred_on,
                "precision": cause.precision,
            },
        )
        return True

    def reopen_milestone(self, milestone_id: UUID, reason: str, fact: Provenance) -> bool:
        milestone = self.record.milestones.get(milestone_id)
        if milestone is None or not milestone.reached:
            return False
        self.trigger_event(
            self.MilestoneReopened, milestone_id=milestone_id, reason=reason, **fact.event_fields()
        )
        return True
