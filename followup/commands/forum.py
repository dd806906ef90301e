"""The secretariat's writes on the forum itself: states, chairmanships and the calendar."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.errors import DomainError
from domain.forum import Forum
from followup.authorization import Operation
from followup.commands.base import CommandContext, ConflictError, NotFoundError, Receipt, translate
from followup.commands.outcomes import resolve_meeting


class ForumCommands(CommandContext):
    def _forum(self, operation: Operation) -> Forum:
        self.authorise(operation, None)
        forum = self.app.find_forum()
        if forum is None:
            raise ConflictError("the forum is not set up yet: import its reference data first")
        return forum

    def _meeting(self, forum: Forum, key: str) -> UUID:
        meeting_id = resolve_meeting(forum, key)
        if meeting_id is None:
            raise NotFoundError(f"no meeting {key!r}")
        return meeting_id

    def admit_state(
        self, code: str, name: str, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        forum = self._forum(Operation.ADMIT_STATE)
        self.decide(lambda: forum.admit_state(code, name, self.fact(occurred_on, source)), "code")
        return self.save(forum)

    def assume_chairmanship(
        self, state: str, term: str, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        forum = self._forum(Operation.ASSUME_CHAIRMANSHIP)
        self.decide(
            lambda: forum.assume_chairmanship(state, term, self.fact(occurred_on, source)), "state"
        )
        return self.save(forum)

    def schedule_meeting(
        self,
        code: str,
        kind: str,
        title: str,
        starts_on: date,
        ends_on: date | None,
        place: str,
        convened_by: str | None,
        occurred_on: date | None,
        source: str = "",
    ) -> Receipt:
        forum = self._forum(Operation.SCHEDULE_MEETING)
        try:
            meeting_id = forum.schedule_meeting(
                code,
                kind,
                title,
                starts_on,
                self.fact(occurred_on, source),
                ends_on=ends_on,
                place=place,
                convened_by=convened_by,
            )
        except DomainError as error:
            raise translate(error, "code") from None
        return self.save(forum, created=meeting_id)

    def reschedule_meeting(
        self,
        meeting: str,
        starts_on: date,
        ends_on: date | None,
        occurred_on: date | None,
        source: str = "",
    ) -> Receipt:
        forum = self._forum(Operation.RESCHEDULE_MEETING)
        meeting_id = self._meeting(forum, meeting)
        self.decide(
            lambda: forum.reschedule_meeting(
                meeting_id, starts_on, self.fact(occurred_on, source), ends_on=ends_on
            ),
            "starts_on",
        )
        return self.save(forum, created=meeting_id)

    def cancel_meeting(
        self, meeting: str, reason: str, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        forum = self._forum(Operation.CANCEL_MEETING)
        meeting_id = self._meeting(forum, meeting)
        self.decide(
            lambda: forum.cancel_meeting(meeting_id, reason, self.fact(occurred_on, source))
        )
        return self.save(forum, created=meeting_id)

    def mark_meeting_held(
        self, meeting: str, occurred_on: date | None, source: str = ""
    ) -> Receipt:
        forum = self._forum(Operation.MARK_MEETING_HELD)
        meeting_id = self._meeting(forum, meeting)
        self.decide(
            lambda: forum.mark_meeting_held(meeting_id, self.fact(occurred_on, source)),
            "occurred_on",
        )
        return self.save(forum, created=meeting_id)
