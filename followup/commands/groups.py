"""Writes on working groups and surveys: the secretariat forms them, leads record their work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain.errors import DomainError
from domain.survey import Figure, Survey
from domain.working_group import MemberRole, WorkingGroup
from followup.authorization import Operation
from followup.commands.base import (
    CommandContext,
    ConflictError,
    InvalidError,
    NotFoundError,
    Receipt,
    translate,
)
from followup.commands.outcomes import resolve_id


def resolve_child(by_code: Callable[[str], UUID], key: str) -> UUID:
    """A run's id from its UUID or its code."""
    try:
        return UUID(key)
    except ValueError:
        return by_code(key)


class GroupCommands(CommandContext):
    def group_id(self, key: str) -> UUID:
        return resolve_id(self.forum, "working_group", key)

    def _group(self, key: str, operation: Operation) -> WorkingGroup:
        group = self.load(self.group_id(key), WorkingGroup, "working group")
        self.authorise(operation, group.id)
        return group

    def _state(self, state: str) -> None:
        forum = self.app.find_forum()
        if forum is None or state not in forum.states:
            raise InvalidError(f"{state!r} is not a participating state", "state")

    def form(self, code: str, name: str, occurred_on: date | None, source: str = "") -> Receipt:
        self.authorise(Operation.FORM_WORKING_GROUP, None)
        if self.app.exists(WorkingGroup.create_id(self.forum, code)):
            raise ConflictError(f"a working group {code!r} already exists", "code")
        try:
            group = WorkingGroup.form(self.forum, code, name, self.fact(occurred_on, source))
        except DomainError as error:
            raise translate(error, "name") from None
        return self.save(group)

    def admit_member(
        self, group: str, state: str, role: MemberRole, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        found = self._group(group, Operation.ADMIT_MEMBER)
        self._state(state)
        self.decide(
            lambda: found.admit_member(state, role, self.fact(occurred_on, source)), "state"
        )
        return self.save(found)

    def change_member_role(
        self, group: str, state: str, role: MemberRole, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        found = self._group(group, Operation.CHANGE_MEMBER_ROLE)
        if state not in found.members:
            raise NotFoundError(f"{state} is not a member of {found.code}")
        self.decide(
            lambda: found.change_member_role(state, role, self.fact(occurred_on, source)), "role"
        )
        return self.save(found)

    def remove_member(
        self, group: str, state: str, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        found = self._group(group, Operation.REMOVE_MEMBER)
        if state not in found.members:
            raise NotFoundError(f"{state} is not a member of {found.code}")
        self.decide(lambda: found.remove_member(state, self.fact(occurred_on, source)))
        return self.save(found)

    def record_expert_meeting(
        self,
        group: str,
        code: str,
        title: str,
        place: str,
        occurred_on: date | None,
        source: str = "",
    ) -> Receipt:
        """An expert meeting held: on the group's record and, as held, on the forum calendar."""
        found = self._group(group, Operation.RECORD_EXPERT_MEETING)
        forum = self.app.find_forum()
        if forum is None:
            raise ConflictError("the forum is not set up yet")
        fact = self.fact(occurred_on, source)
        try:
            meeting_id = forum.schedule_meeting(
                code,
                "expert_meeting",
                title,
                fact.occurred_on,
                fact,
                place=place,
                working_group_id=found.id,
            )
            forum.mark_meeting_held(meeting_id, fact)
            found.hold_expert_meeting(meeting_id, title, fact, place)
        except DomainError as error:
            raise translate(error, "code") from None
        return self.save(found, forum, created=meeting_id)

    # -- surveys ----------------------------------------------------------------------------

    def launch_survey(
        self,
        code: str,
        title: str,
        conducted_by: str | None,
        working_group: str | None,
        occurred_on: date | None,
        source: str = "",
    ) -> Receipt:
        self.authorise(Operation.LAUNCH_SURVEY, None)
        if self.app.exists(Survey.create_id(self.forum, code)):
            raise ConflictError(f"a survey {code!r} already exists", "code")
        if conducted_by is not None:
            self._state(conducted_by)
        fact = self.fact(occurred_on, source)
        try:
            survey = Survey.launch(self.forum, code, title, fact, conducted_by)
            if working_group is not None:
                group_id = self.group_id(working_group)
                if not self.app.exists(group_id):
                    raise InvalidError(f"unknown working group {working_group!r}", "working_group")
                survey.assign_working_group(group_id, fact)
        except DomainError as error:
            raise translate(error, "title") from None
        return self.save(survey)

    def retract_survey_run(
        self, survey: str, run: str, reason: str, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        """A run recorded in error; milestones it fulfilled reopen."""
        found = self.load(resolve_id(self.forum, "survey", survey), Survey, "survey")
        self.authorise(Operation.RECORD_SURVEY_RUN, found.working_group_id)
        run_id = resolve_child(found.run_id, run)
        if run_id not in found.runs:
            raise NotFoundError(f"no run {run!r} of {found.code}")
        self.decide(lambda: found.retract_run(run_id, reason, self.fact(occurred_on, source)))
        return self.save(found, created=run_id)

    def record_survey_run(
        self,
        survey: str,
        code: str,
        responses: int,
        figures: list[Figure],
        occurred_on: date | None,
        source: str = "",
    ) -> Receipt:
        found = self.load(resolve_id(self.forum, "survey", survey), Survey, "survey")
        self.authorise(Operation.RECORD_SURVEY_RUN, found.working_group_id)
        try:
            run_id = found.close_run(code, responses, figures, self.fact(occurred_on, source))
        except DomainError as error:
            raise translate(error, "code") from None
        return self.save(found, created=run_id)
