"""Writes on outcomes: a lead's follow-up, and the secretariat's decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.deadlines import Deadline, DeadlineKind
from domain.errors import DomainError
from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_record import Role
from domain.working_group import WorkingGroup
from followup.authorization import Operation
from followup.commands.base import (
    ConflictError,
    InvalidError,
    NotFoundError,
    Receipt,
    translate,
)
from followup.commands.follow_up import FollowUpCommands


@dataclass(frozen=True)
class DeadlineSpec:
    kind: DeadlineKind
    due_on: date | None = None
    meeting_kind: str | None = None
    every_months: int | None = None
    first_due_on: date | None = None


@dataclass(frozen=True)
class Responsible:
    state: str
    role: Role


class OutcomeCommands(FollowUpCommands):
    """Every write on outcomes: a lead's follow-up (``FollowUpCommands``) and the
    secretariat's decisions."""

    # -- the secretariat's decisions --------------------------------------------------------

    def _forum(self) -> Forum:
        forum = self.app.find_forum()
        if forum is None:
            raise ConflictError("the forum is not set up yet: import its reference data first")
        return forum

    def _group_id(self, code_or_id: str | None, field: str = "working_group") -> UUID | None:
        if code_or_id is None:
            return None
        group_id = resolve_id(self.forum, "working_group", code_or_id)
        if not self.app.exists(group_id):
            raise InvalidError(f"unknown working group {code_or_id!r}", field)
        return group_id

    def adopt(
        self,
        code: str,
        title: str,
        adopted_on: date | None,
        summary: str = "",
        meeting: str | None = None,
        roundtable: str = "",
        session: str = "",
        source: str = "",
        responsible: list[Responsible] | None = None,
        working_group: str | None = None,
        deadline: DeadlineSpec | None = None,
    ) -> Receipt:
        self.authorise(Operation.ADOPT_OUTCOME, None)
        forum = self._forum()
        if self.app.exists(Outcome.create_id(self.forum, code)):
            raise ConflictError(f"an outcome {code!r} already exists", "code")
        meeting_id = None
        if meeting is not None:
            meeting_id = resolve_meeting(forum, meeting)
            if meeting_id is None:
                raise InvalidError(f"unknown meeting {meeting!r}", "meeting")
        fact = self.fact(adopted_on, source)
        group_id = self._group_id(working_group)
        try:
            outcome = Outcome.adopt(
                self.forum, code, title, fact, summary, meeting_id, roundtable, session
            )
            for index, item in enumerate(responsible or []):
                self._check_state(forum, item.state, f"responsible[{index}].state")
                outcome.assign_responsibility(item.state, item.role, fact)
            if group_id is not None:
                outcome.assign_working_group(group_id, fact)
            if deadline is not None:
                outcome.set_deadline(self._deadline(forum, deadline, fact.occurred_on), fact)
        except DomainError as error:
            raise translate(error) from None
        return self.save(outcome)

    @staticmethod
    def _check_state(forum: Forum, state: str, field: str) -> None:
        if state not in forum.states:
            raise InvalidError(f"{state!r} is not a participating state", field)

    @staticmethod
    def _deadline(forum: Forum, spec: DeadlineSpec, set_on: date) -> Deadline:
        if spec.meeting_kind is not None and spec.meeting_kind not in forum.meeting_kinds:
            raise InvalidError(
                f"unknown meeting kind {spec.meeting_kind!r}", "deadline.meeting_kind"
            )
        try:
            return Deadline(
                spec.kind,
                set_on,
                due_on=spec.due_on,
                meeting_kind=spec.meeting_kind,
                every_months=spec.every_months,
                first_due_on=spec.first_due_on,
            )
        except DomainError as error:
            raise InvalidError(str(error), "deadline") from None

    def _decide(self, outcome_id: UUID, operation: Operation, if_match: int | None) -> Outcome:
        self.authorise(operation, None)
        outcome = self.load(outcome_id, Outcome, "outcome")
        self.check_version(outcome, if_match)
        return outcome

    def assign_responsibility(
        self,
        outcome_id: UUID,
        state: str,
        role: Role,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.ASSIGN_RESPONSIBILITY, if_match)
        self._check_state(self._forum(), state, "state")
        if outcome.record.responsible.get(state) == role:
            raise ConflictError(f"{state} already is {role} of this outcome", "state")
        self.decide(
            lambda: outcome.assign_responsibility(state, role, self.fact(occurred_on, source))
        )
        return self.save(outcome)

    def release_responsibility(
        self,
        outcome_id: UUID,
        state: str,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.RELEASE_RESPONSIBILITY, if_match)
        if state not in outcome.record.responsible:
            raise NotFoundError(f"{state} is not responsible for this outcome")
        self.decide(lambda: outcome.release_responsibility(state, self.fact(occurred_on, source)))
        return self.save(outcome)

    def assign_working_group(
        self,
        outcome_id: UUID,
        working_group: str | None,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.ASSIGN_WORKING_GROUP, if_match)
        group_id = self._group_id(working_group)
        self.decide(lambda: outcome.assign_working_group(group_id, self.fact(occurred_on, source)))
        return self.save(outcome)

    def set_deadline(
        self,
        outcome_id: UUID,
        spec: DeadlineSpec,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.SET_DEADLINE, if_match)
        fact = self.fact(occurred_on, source)
        try:
            outcome.set_deadline(self._deadline(self._forum(), spec, fact.occurred_on), fact)
        except DomainError as error:
            raise translate(error) from None
        return self.save(outcome)

    def set_public(
        self,
        outcome_id: UUID,
        public: bool,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.SET_PUBLICITY, if_match)
        self.decide(lambda: outcome.set_public(public, self.fact(occurred_on, source)), "public")
        return self.save(outcome)

    def withdraw(
        self,
        outcome_id: UUID,
        reason: str,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.WITHDRAW_OUTCOME, if_match)
        self.decide(lambda: outcome.withdraw(reason, self.fact(occurred_on, source)))
        return self.save(outcome)

    def supersede(
        self,
        outcome_id: UUID,
        successor: str,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.SUPERSEDE_OUTCOME, if_match)
        successor_id = resolve_id(self.forum, "outcome", successor)
        if not self.app.exists(successor_id):
            raise InvalidError(f"unknown outcome {successor!r}", "successor")
        self.decide(
            lambda: outcome.supersede(successor_id, self.fact(occurred_on, source)), "successor"
        )
        return self.save(outcome)

    def reopen(
        self,
        outcome_id: UUID,
        reason: str,
        occurred_on: date | None,
        source: str = "",
        if_match: int | None = None,
    ) -> Receipt:
        outcome = self._decide(outcome_id, Operation.REOPEN_OUTCOME, if_match)
        self.decide(lambda: outcome.reopen(reason, self.fact(occurred_on, source)))
        return self.save(outcome)


def resolve_id(forum: str, kind: str, code_or_id: str) -> UUID:
    """A record's id from its UUID or its code."""
    from domain.identity import record_id

    try:
        return UUID(code_or_id)
    except ValueError:
        return record_id(forum, kind, code_or_id)


def resolve_meeting(forum: Forum, code_or_id: str) -> UUID | None:
    for meeting in forum.book.meetings.values():
        if code_or_id in {meeting.code, str(meeting.id)}:
            return meeting.id
    return None


__all__ = ["DeadlineSpec", "OutcomeCommands", "Responsible", "WorkingGroup", "resolve_id"]
