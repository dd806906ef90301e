"""A working-group lead's writes on an outcome: progress, its retraction, the completion."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.outcome import Outcome
from followup.authorization import Operation
from followup.commands.base import CommandContext, Receipt, decided_on_the_newest


class FollowUpCommands(CommandContext):
    """What a lead does on the outcomes of its working groups (the secretariat may too)."""

    def _outcome_for(self, outcome_id: UUID, operation: Operation, if_match: int | None) -> Outcome:
        outcome = self.load(outcome_id, Outcome, "outcome")
        self.authorise(operation, outcome.record.working_group_id)
        self.check_version(outcome, if_match)
        return outcome

    @decided_on_the_newest
    def report_progress(
        self,
        outcome_id: UUID,
        summary: str,
        occurred_on: date | None,
        percent_complete: int | None = None,
        evidence_urls: list[str] | None = None,
        source: str = "",
        if_match: int | None = None,
        report_key: str | None = None,
        milestone_id: UUID | None = None,
    ) -> Receipt:
        outcome = self._outcome_for(outcome_id, Operation.REPORT_PROGRESS, if_match)
        report_id = outcome.report_id(report_key or str(uuid4()))
        if report_id in outcome.record.reports:  # a keyed retry after a crash: already appended
            return Receipt(outcome.id, outcome.version, [], self.app.head_position(), report_id)
        self.decide(
            lambda: outcome.report_progress(
                report_id,
                summary,
                self.fact(occurred_on, source),
                percent_complete=percent_complete,
                evidence_urls=evidence_urls,
                milestone_id=milestone_id,
            ),
            "milestone_id",
        )
        return self.save(outcome, created=report_id)

    @decided_on_the_newest
    def complete(
        self,
        outcome_id: UUID,
        summary: str,
        evidence_urls: list[str],
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._outcome_for(outcome_id, Operation.COMPLETE_OUTCOME, if_match)
        self.decide(
            lambda: outcome.complete(summary, evidence_urls, self.fact(occurred_on, source))
        )
        return self.save(outcome)

    @decided_on_the_newest
    def retract_progress(
        self,
        outcome_id: UUID,
        report_id: UUID,
        reason: str,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._outcome_for(outcome_id, Operation.RETRACT_PROGRESS, if_match)
        self.decide(
            lambda: outcome.retract_progress(report_id, reason, self.fact(occurred_on, source))
        )
        return self.save(outcome)
