"""The forum calendar as a value: chairmanships and meetings as they stood on a given day.

Built by folding the forum's events, so "the next summit" can be resolved as of any date and a
deadline anchored to it moves when the meeting is rescheduled.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Meeting:
    """One meeting on the calendar."""

    id: UUID
    code: str
    kind: str
    title: str
    place: str
    starts_on: date
    ends_on: date
    convened_by: str | None
    working_group_id: UUID | None
    status: MeetingStatus = MeetingStatus.SCHEDULED


@dataclass(frozen=True)
class Chairmanship:
    """A state's term as Chair-in-Office, from the day it assumed the chair."""

    state: str
    term: str
    assumed_on: date
    precision: str


@dataclass
class CalendarBook:
    """The mutable fold target that forum events write into (see ``Forum`` events)."""

    meetings: dict[UUID, Meeting] = field(default_factory=dict)
    chairmanships: list[Chairmanship] = field(default_factory=list)
    chair_meeting_kinds: tuple[str, ...] = ()

    def reschedule(self, meeting_id: UUID, starts_on: date, ends_on: date) -> None:
        self.meetings[meeting_id] = replace(
            self.meetings[meeting_id], starts_on=starts_on, ends_on=ends_on
        )

    def set_status(self, meeting_id: UUID, status: MeetingStatus) -> None:
        self.meetings[meeting_id] = replace(self.meetings[meeting_id], status=status)

    def freeze(self) -> Calendar:
        return Calendar(
            meetings=tuple(sorted(self.meetings.values(), key=lambda m: (m.starts_on, m.code))),
            chairmanships=tuple(sorted(self.chairmanships, key=lambda c: c.assumed_on)),
            chair_meeting_kinds=self.chair_meeting_kinds,
        )


@dataclass(frozen=True)
class Calendar:
    """Meetings in date order and chairmanships in order of assumption."""

    meetings: tuple[Meeting, ...] = ()
    chairmanships: tuple[Chairmanship, ...] = ()
    chair_meeting_kinds: tuple[str, ...] = ()

    def meeting(self, meeting_id: UUID) -> Meeting | None:
        return next((m for m in self.meetings if m.id == meeting_id), None)

    def next_meeting(self, kind: str, after: date) -> Meeting | None:
        """The first meeting of ``kind`` starting after ``after`` that is not cancelled."""
        return next(
            (
                m
                for m in self.meetings
                if m.kind == kind and m.starts_on > after and m.status != MeetingStatus.CANCELLED
            ),
            None,
        )

    def next_chair_meeting(self, on: date) -> Meeting | None:
        """The next meeting the Chair-in-Office convenes, still to start on ``on``."""
        return next(
            (
                m
                for m in self.meetings
                if m.kind in self.chair_meeting_kinds
                and m.starts_on >= on
                and m.status == MeetingStatus.SCHEDULED
            ),
            None,
        )

    def chair_on(self, on: date) -> Chairmanship | None:
        """The Chair-in-Office on ``on``: the last chairmanship assumed by then."""
        current = None
        for chairmanship in self.chairmanships:
            if chairmanship.assumed_on <= on:
                current = chairmanship
        return current
