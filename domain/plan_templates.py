"""The plans the forum uses again and again, as templates a secretariat picks when adopting."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.deadlines import Deadline, DeadlineKind, add_months
from domain.errors import InvalidValueError
from domain.milestones import OutcomePlan
from domain.outcome_record import Milestone, MilestoneKind
from domain.provenance import Provenance


class PlanTemplate(StrEnum):
    FORM_WORKING_GROUP = "form_working_group"
    EXPERT_MEETING_BEFORE_SUMMIT = "expert_meeting_before_summit"
    RERUN_SURVEY = "rerun_survey"
    REPORT_AT_NEXT_SUMMIT = "report_at_next_summit"


def next_meeting(kind: str, on: date) -> Deadline:
    return Deadline(DeadlineKind.NEXT_MEETING, on, meeting_kind=kind)


def cycle_deadline(planned_on: date, every_months: int, cycle: int) -> Deadline:
    """The date a survey cycle is due: ``every_months`` after the plan, then after each cycle."""
    return Deadline(
        DeadlineKind.DATE, planned_on, due_on=add_months(planned_on, every_months * cycle)
    )


def apply_template(
    outcome: OutcomePlan,
    template: PlanTemplate,
    fact: Provenance,
    working_group_id: UUID | None = None,
    survey_id: UUID | None = None,
    every_months: int | None = None,
    summit_kind: str = "summit",
) -> list[UUID]:
    """Plan the template's milestones on ``outcome``; returns their ids."""
    day = fact.occurred_on
    if template == PlanTemplate.FORM_WORKING_GROUP:
        if working_group_id is None:
            raise InvalidValueError("this plan names the working group to be formed")
        return [
            outcome.plan_milestone(
                "form-working-group",
                MilestoneKind.FORM_WORKING_GROUP,
                "Form the working group",
                fact,
                next_meeting(summit_kind, day),
                working_group_id=working_group_id,
            )
        ]
    if template == PlanTemplate.EXPERT_MEETING_BEFORE_SUMMIT:
        return [
            outcome.plan_milestone(
                "expert-meeting",
                MilestoneKind.HOLD_EXPERT_MEETING,
                "Hold an expert meeting before the next summit",
                fact,
                next_meeting(summit_kind, day),
                working_group_id=working_group_id,
            )
        ]
    if template == PlanTemplate.RERUN_SURVEY:
        if survey_id is None or not every_months:
            raise InvalidValueError("this plan names the survey and every how many months")
        return [
            outcome.plan_milestone(
                "survey-cycle-1",
                MilestoneKind.RUN_SURVEY,
                "Run the survey (cycle 1)",
                fact,
                cycle_deadline(day, every_months, 1),
                survey_id=survey_id,
                every_months=every_months,
                cycle=1,
            )
        ]
    return [
        outcome.plan_milestone(
            "report-at-summit",
            MilestoneKind.REPORT_AT_MEETING,
            "Report at the next summit",
            fact,
            next_meeting(summit_kind, day),
            meeting_kind=summit_kind,
        )
    ]


def next_cycle(outcome: OutcomePlan, finished: Milestone, fact: Provenance) -> UUID | None:
    """Closing one survey cycle opens the next, due ``every_months`` after the previous due date."""
    if not finished.every_months or finished.survey_id is None:
        return None
    cycle = finished.cycle + 1
    previous_due = finished.deadline.due_on if finished.deadline else None
    base = previous_due or add_months(finished.planned_on, finished.every_months)
    deadline = Deadline(
        DeadlineKind.DATE, fact.occurred_on, due_on=add_months(base, finished.every_months)
    )
    return outcome.plan_milestone(
        f"survey-cycle-{cycle}",
        MilestoneKind.RUN_SURVEY,
        f"Run the survey (cycle {cycle})",
        fact,
        deadline,
        survey_id=finished.survey_id,
        every_months=finished.every_months,
        cycle=cycle,
    )
