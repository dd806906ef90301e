"""How the importer turns an outcome of the file into the outcome's events: adoption,
responsibilities, working group, deadline, plan, progress, completion (each only once)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.deadlines import Deadline, DeadlineKind
from domain.errors import DomainError
from domain.forum import Forum
from domain.identity import record_id
from domain.outcome import Outcome
from domain.plan_templates import PlanTemplate, apply_template
from domain.provenance import Provenance, latest_day
from followup.importing.schema import DeadlineIn, OutcomeIn, PartialDate

if TYPE_CHECKING:
    from followup.application import FollowupApplication


class OutcomeImport:
    """The outcome part of ``Importer`` (which provides the helpers declared here)."""

    app: FollowupApplication

    def fact(self, when: PartialDate, source: str) -> Provenance:
        raise NotImplementedError  # pragma: no cover

    def load(self, aggregate_id: UUID) -> Aggregate | None:
        raise NotImplementedError  # pragma: no cover

    def keep(self, aggregate: Aggregate) -> None:
        raise NotImplementedError  # pragma: no cover

    def plan_milestones(self, outcome: Outcome, spec: OutcomeIn, adopted: Provenance) -> None:
        """The outcome's plan: templates, then explicit milestones (each once, by its key)."""
        forum = self.app.forum_code
        for template in spec.plan:
            group = (
                record_id(forum, "working_group", template.working_group)
                if template.working_group
                else None
            )
            survey = record_id(forum, "survey", template.survey) if template.survey else None
            first_key = {
                PlanTemplate.FORM_WORKING_GROUP: "form-working-group",
                PlanTemplate.EXPERT_MEETING_BEFORE_SUMMIT: "expert-meeting",
                PlanTemplate.RERUN_SURVEY: "survey-cycle-1",
                PlanTemplate.REPORT_AT_NEXT_SUMMIT: "report-at-summit",
            }[template.template]
            if outcome.milestone_id(first_key) not in outcome.record.milestones:
                apply_template(
                    outcome, template.template, adopted, group, survey, template.every_months
                )
        for milestone in spec.milestones:
            if outcome.milestone_id(milestone.key) in outcome.record.milestones:
                continue
            outcome.plan_milestone(
                milestone.key,
                milestone.kind,
                milestone.title,
                adopted,
                milestone_deadline(milestone.deadline, adopted.occurred_on),
                record_id(forum, "working_group", milestone.working_group)
                if milestone.working_group
                else None,
                record_id(forum, "survey", milestone.survey) if milestone.survey else None,
                milestone.meeting_kind,
            )

    def plan_outcome(self, forum: Forum, spec: OutcomeIn) -> None:
        forum_code = self.app.forum_code
        outcome = self.load(Outcome.create_id(forum_code, spec.code))
        adopted = self.fact(spec.adopted_on, spec.source)
        if outcome is None:
            outcome = Outcome.adopt(
                forum_code,
                spec.code,
                spec.title,
                adopted,
                summary=spec.summary,
                meeting_id=forum.meeting_id(spec.adopted_at) if spec.adopted_at else None,
                roundtable=spec.roundtable,
                session=spec.session,
            )
            self.keep(outcome)
        assert isinstance(outcome, Outcome)
        record = outcome.record
        for responsible in spec.responsible:
            if record.responsible.get(responsible.state) != responsible.role:
                outcome.assign_responsibility(responsible.state, responsible.role, adopted)
        if spec.working_group is not None:
            group_id = record_id(forum_code, "working_group", spec.working_group)
            if record.working_group_id != group_id:
                when = spec.assigned_on or spec.adopted_on
                outcome.assign_working_group(group_id, self.fact(when, spec.source))
        if spec.deadline is not None:
            deadline = deadline_from(spec, adopted.occurred_on)
            current = record.deadline
            if current is None or _comparable(current) != _comparable(deadline):
                set_on = spec.deadline.set_on or spec.adopted_on
                outcome.set_deadline(deadline, self.fact(set_on, spec.source))
        self.plan_milestones(outcome, spec, adopted)
        for report in spec.progress:
            report_id = outcome.report_id(f"{report.occurred_on[0]}:{report.summary}")
            if report_id not in record.reports:
                outcome.report_progress(
                    report_id,
                    report.summary,
                    self.fact(report.occurred_on, report.source),
                    percent_complete=report.percent_complete,
                    evidence_urls=report.evidence_urls,
                )
        done = spec.completed
        if done is not None and not record.completions:
            outcome.complete(
                done.summary, done.evidence_urls, self.fact(done.occurred_on, done.source)
            )


def milestone_deadline(given: DeadlineIn | None, set_on: date) -> Deadline | None:
    if given is None:
        return None
    if given.due_on is not None:
        return Deadline(DeadlineKind.DATE, set_on, due_on=latest_day(*given.due_on))
    if given.next_meeting is not None:
        return Deadline(DeadlineKind.NEXT_MEETING, set_on, meeting_kind=given.next_meeting)
    raise DomainError("a milestone's deadline is a date or the next meeting of a kind")


def deadline_from(spec: OutcomeIn, adopted_on: date) -> Deadline:
    given = spec.deadline
    assert given is not None
    set_on = given.set_on[0] if given.set_on else adopted_on
    if given.due_on is not None:
        return Deadline(DeadlineKind.DATE, set_on, due_on=latest_day(*given.due_on))
    if given.next_meeting is not None:
        return Deadline(DeadlineKind.NEXT_MEETING, set_on, meeting_kind=given.next_meeting)
    return Deadline(
        DeadlineKind.RECURRING,
        set_on,
        every_months=given.every_months,
        first_due_on=given.first_due_on[0] if given.first_due_on else None,
    )


def _comparable(deadline: Deadline) -> tuple[object, ...]:
    return (
        deadline.kind,
        deadline.due_on,
        deadline.meeting_kind,
        deadline.every_months,
        deadline.first_due_on,
    )
