"""Writes on an outcome's plan: a template's milestones, one milestone more, one less."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from domain.deadlines import Deadline
from domain.errors import DomainError
from domain.identity import record_id
from domain.outcome import Outcome
from domain.outcome_record import MilestoneKind
from domain.plan_templates import PlanTemplate, apply_template
from domain.provenance import Provenance
from followup.authorization import Operation
from followup.commands.base import InvalidError, NotFoundError, Receipt
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, resolve_id


@dataclass(frozen=True)
class PlanSpec:
    """A template and what it needs: the working group, or the survey and its interval."""

    template: PlanTemplate
    working_group: str | None = None
    survey: str | None = None
    every_months: int | None = None


class PlanCommands(OutcomeCommands):
    def _survey_id(self, code_or_id: str | None) -> UUID | None:
        if code_or_id is None:
            return None
        survey_id = resolve_id(self.forum, "survey", code_or_id)
        if not self.app.exists(survey_id):
            raise InvalidError(f"unknown survey {code_or_id!r}", "survey")
        return survey_id

    def apply_plan(self, outcome: Outcome, spec: PlanSpec, fact: Provenance) -> None:
        """The template's milestones on ``outcome`` (still to be saved)."""
        if spec.template == PlanTemplate.FORM_WORKING_GROUP and spec.working_group:
            # the group to be formed need not exist yet: its id follows from its code
            group_id: UUID | None = resolve_id(self.forum, "working_group", spec.working_group)
        else:
            group_id = self._group_id(spec.working_group)
        survey_id = self._survey_id(spec.survey)
        self.decide(
            lambda: apply_template(
                outcome, spec.template, fact, group_id, survey_id, spec.every_months
            ),
            "plan",
        )

    def adopt_with_plan(self, plan: PlanSpec | None, **adoption: object) -> Receipt:
        """Adopt an outcome and give it a plan, in one write."""
        receipt = self.adopt(**adoption)  # type: ignore[arg-type]
        if plan is None:
            return receipt
        outcome = self.load(receipt.aggregate_id, Outcome, "outcome")
        self.apply_plan(outcome, plan, self.fact(adoption.get("adopted_on"), ""))  # type: ignore[arg-type]
        return self.save(outcome)

    def use_template(
        self,
        outcome_id: UUID,
        plan: PlanSpec,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.EDIT_PLAN, if_match)
        self.apply_plan(outcome, plan, self.fact(occurred_on, source))
        return self.save(outcome)

    def plan_milestone(
        self,
        outcome_id: UUID,
        kind: MilestoneKind,
        title: str,
        occurred_on: date | None,
        deadline: DeadlineSpec | None = None,
        working_group: str | None = None,
        survey: str | None = None,
        meeting_kind: str | None = None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.EDIT_PLAN, if_match)
        fact = self.fact(occurred_on, source)
        forum = self._forum()
        due: Deadline | None = (
            self._deadline(forum, deadline, fact.occurred_on) if deadline else None
        )
        if meeting_kind is not None and meeting_kind not in forum.meeting_kinds:
            raise InvalidError(f"unknown meeting kind {meeting_kind!r}", "meeting_kind")
        group_id, survey_id = self._group_id(working_group), self._survey_id(survey)
        key = uuid4().hex[:12]
        self.decide(
            lambda: outcome.plan_milestone(
                key, kind, title, fact, due, group_id, survey_id, meeting_kind
            ),
            "kind",
        )
        receipt = self.save(outcome)
        return Receipt(
            receipt.aggregate_id,
            receipt.version,
            receipt.recorded,
            receipt.log_position,
            outcome.milestone_id(key),
        )

    def remove_milestone(
        self,
        outcome_id: UUID,
        milestone_id: UUID,
        reason: str,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.EDIT_PLAN, if_match)
        if milestone_id not in outcome.record.milestones:
            raise NotFoundError(f"no milestone {milestone_id} in this plan")
        self.decide(
            lambda: outcome.remove_milestone(milestone_id, reason, self.fact(occurred_on, source))
        )
        return self.save(outcome)


def survey_record_id(forum: str, code: str) -> UUID:
    return record_id(forum, "survey", code)


__all__ = ["DomainError", "PlanCommands", "PlanSpec"]
