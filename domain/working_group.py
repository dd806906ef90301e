"""A working group: its member states, who leads it, and the expert meetings it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import DuplicateCodeError, InvalidValueError
from domain.identity import record_id
from domain.provenance import Provenance


class MemberRole(StrEnum):
    CO_CHAIR = "co_chair"
    MEMBER = "member"


@dataclass(frozen=True)
class ExpertMeeting:
    meeting_id: UUID
    title: str
    place: str
    held_on: date


class WorkingGroup(Aggregate):
    """An ad hoc working group of the forum (e.g. on Policy Coherence, Data and Research)."""

    class Event(Aggregate.Event):
        occurred_on: date
        precision: str
        actor: str
        source: str

    class Formed(Aggregate.Created):
        occurred_on: date
        precision: str
        actor: str
        source: str
        forum: str
        code: str
        name: str

    class MemberJoined(Event):
        state: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members[self.state] = MemberRole(self.role)

    class MemberRoleChanged(Event):
        state: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members[self.state] = MemberRole(self.role)

    class MemberLeft(Event):
        state: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members.pop(self.state, None)

    class ExpertMeetingHeld(Event):
        meeting_id: UUID
        title: str
        place: str

        def apply(self, aggregate: Any) -> None:
            aggregate.expert_meetings[self.meeting_id] = ExpertMeeting(
                self.meeting_id, self.title, self.place, self.occurred_on
            )

    class ExpertMeetingRetracted(Event):
        """An expert meeting recorded in error (a correction: it stays in the history)."""

        meeting_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.expert_meetings.pop(self.meeting_id, None)

    def __init__(self, forum: str, code: str, name: str, occurred_on: date) -> None:
        self.forum = forum
        self.code = code
        self.name = name
        self.formed_on = occurred_on
        self.members: dict[str, MemberRole] = {}
        self.expert_meetings: dict[UUID, ExpertMeeting] = {}

    @staticmethod
    def create_id(forum: str, code: str) -> UUID:
        return record_id(forum, "working_group", code)

    @classmethod
    def form(cls, forum: str, code: str, name: str, fact: Provenance) -> WorkingGroup:
        if not name.strip():
            raise InvalidValueError("a working group needs a name")
        return cls._create(
            cls.Formed,
            id=cls.create_id(forum, code),
            forum=forum,
            code=code,
            name=name,
            **fact.event_fields(),
        )

    @property
    def co_chairs(self) -> list[str]:
        return sorted(s for s, r in self.members.items() if r == MemberRole.CO_CHAIR)

    def admit_member(self, state: str, role: MemberRole, fact: Provenance) -> None:
        if state in self.members:
            raise DuplicateCodeError(f"{state} is already a member of {self.code}")
        self.trigger_event(self.MemberJoined, state=state, role=str(role), **fact.event_fields())

    def change_member_role(self, state: str, role: MemberRole, fact: Provenance) -> None:
        if state not in self.members:
            raise InvalidValueError(f"{state} is not a member of {self.code}")
        if self.members[state] == role:
            raise InvalidValueError(f"{state} already is {role} of {self.code}")
        self.trigger_event(
            self.MemberRoleChanged, state=state, role=str(role), **fact.event_fields()
        )

    def remove_member(self, state: str, fact: Provenance) -> None:
        if state not in self.members:
            raise InvalidValueError(f"{state} is not a member of {self.code}")
        self.trigger_event(self.MemberLeft, state=state, **fact.event_fields())

    def retract_expert_meeting(self, meeting_id: UUID, reason: str, fact: Provenance) -> None:
        if meeting_id not in self.expert_meetings:
            raise InvalidValueError(f"no expert meeting {meeting_id} of {self.code} to retract")
        self.trigger_event(
            self.ExpertMeetingRetracted, meeting_id=meeting_id, reason=reason, **fact.event_fields()
        )

    def hold_expert_meeting(
        self, meeting_id: UUID, title: str, fact: Provenance, place: str = ""
    ) -> None:
        if meeting_id in self.expert_meetings:
            raise DuplicateCodeError(f"expert meeting {meeting_id} is already recorded")
        if not title.strip():
            raise InvalidValueError("an expert meeting needs a title")
        self.trigger_event(
            self.ExpertMeetingHeld,
            meeting_id=meeting_id,
            title=title,
            place=place,
            **fact.event_fields(),
        )
