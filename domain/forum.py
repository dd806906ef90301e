"""The forum itself: its participating states and its calendar (chairmanships and meetings).

One aggregate per forum; forum name, languages and meeting kinds are data, not code.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.calendar import Calendar, CalendarBook, Chairmanship, Meeting, MeetingStatus
from domain.errors import (
    DuplicateCodeError,
    InvalidValueError,
    MeetingAlreadyClosedError,
    UnknownMeetingError,
    UnknownStateError,
)
from domain.identity import child_id, forum_id
from domain.provenance import Provenance

DEFAULT_MEETING_KINDS = (
    "summit",
    "troika",
    "steering_group",
    "friends_of_the_forum",
    "working_group",
    "expert_meeting",
)
DEFAULT_CHAIR_MEETING_KINDS = ("summit", "troika", "steering_group", "friends_of_the_forum")


class Forum(Aggregate):
    """A state-led forum: who takes part and when its bodies meet."""

    class Event(Aggregate.Event):
        occurred_on: date
        precision: str
        actor: str
        source: str

        def record_in(self, book: CalendarBook) -> None:
            """Write this event's effect on the calendar (nothing by default)."""

        def apply(self, aggregate: Any) -> None:
            self.record_in(aggregate.book)

    class Established(Aggregate.Created):
        occurred_on: date
        precision: str
        actor: str
        source: str
        code: str
        name: str
        languages: list[str]
        meeting_kinds: list[str]
        chair_meeting_kinds: list[str]

        def record_in(self, book: CalendarBook) -> None:
            book.chair_meeting_kinds = tuple(self.chair_meeting_kinds)

    class StateAdmitted(Event):
        state: str
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.states[self.state] = self.name

    class ChairmanshipAssumed(Event):
        state: str
        term: str

        def record_in(self, book: CalendarBook) -> None:
            book.chairmanships.append(
                Chairmanship(self.state, self.term, self.occurred_on, self.precision)
            )

    class MeetingScheduled(Event):
        meeting_id: UUID
        code: str
        kind: str
        title: str
        place: str
        starts_on: date
        ends_on: date
        convened_by: str | None
        working_group_id: UUID | None

        def record_in(self, book: CalendarBook) -> None:
            book.meetings[self.meeting_id] = Meeting(
                id=self.meeting_id,
                code=self.code,
                kind=self.kind,
                title=self.title,
                place=self.place,
                starts_on=self.starts_on,
                ends_on=self.ends_on,
                convened_by=self.convened_by,
                working_group_id=self.working_group_id,
            )

    class MeetingRescheduled(Event):
        meeting_id: UUID
        starts_on: date
        ends_on: date

        def record_in(self, book: CalendarBook) -> None:
            book.reschedule(self.meeting_id, self.starts_on, self.ends_on)

    class MeetingCancelled(Event):
        meeting_id: UUID
        reason: str

        def record_in(self, book: CalendarBook) -> None:
            book.set_status(self.meeting_id, MeetingStatus.CANCELLED)

    class MeetingHeld(Event):
        meeting_id: UUID

        def record_in(self, book: CalendarBook) -> None:
            book.set_status(self.meeting_id, MeetingStatus.HELD)

    def __init__(
        self,
        code: str,
        name: str,
        languages: list[str],
        meeting_kinds: list[str],
        chair_meeting_kinds: list[str],
    ) -> None:
        self.code = code
        self.name = name
        self.languages = list(languages)
        self.meeting_kinds = list(meeting_kinds)
        self.states: dict[str, str] = {}
        self.book = CalendarBook(chair_meeting_kinds=tuple(chair_meeting_kinds))

    @staticmethod
    def create_id(code: str) -> UUID:
        return forum_id(code)

    @classmethod
    def establish(
        cls,
        code: str,
        name: str,
        fact: Provenance,
        languages: Iterable[str] = ("en",),
        meeting_kinds: Iterable[str] = DEFAULT_MEETING_KINDS,
        chair_meeting_kinds: Iterable[str] = DEFAULT_CHAIR_MEETING_KINDS,
    ) -> Forum:
        kinds = list(meeting_kinds)
        chair_kinds = list(chair_meeting_kinds)
        if not set(chair_kinds) <= set(kinds):
            raise InvalidValueError("the Chair's meeting kinds must be meeting kinds of the forum")
        return cls._create(
            cls.Established,
            id=forum_id(code),
            code=code,
            name=name,
            languages=list(languages),
            meeting_kinds=kinds,
            chair_meeting_kinds=chair_kinds,
            **fact.event_fields(),
        )

    # -- guards -----------------------------------------------------------------------------

    def check_state(self, state: str) -> None:
        if state not in self.states:
            raise UnknownStateError(f"{state!r} is not a participating state of {self.name}")

    def check_meeting_kind(self, kind: str) -> None:
        if kind not in self.meeting_kinds:
            raise InvalidValueError(
                f"{kind!r} is not a meeting kind of {self.name} ({', '.join(self.meeting_kinds)})"
            )

    def check_open_meeting(self, meeting_id: UUID) -> Meeting:
        meeting = self.book.meetings.get(meeting_id)
        if meeting is None:
            raise UnknownMeetingError(f"no meeting {meeting_id} on the calendar")
        if meeting.status != MeetingStatus.SCHEDULED:
            raise MeetingAlreadyClosedError(f"meeting {meeting.code} is already {meeting.status}")
        return meeting

    @staticmethod
    def check_dates(starts_on: date, ends_on: date) -> None:
        if ends_on < starts_on:
            raise InvalidValueError(
                f"a meeting cannot end ({ends_on}) before it starts ({starts_on})"
            )

    # -- commands ---------------------------------------------------------------------------

    def admit_state(self, state: str, name: str, fact: Provenance) -> None:
        if state in self.states:
            raise DuplicateCodeError(f"{state!r} is already a participating state")
        self.trigger_event(self.StateAdmitted, state=state, name=name, **fact.event_fields())

    def assume_chairmanship(self, state: str, term: str, fact: Provenance) -> None:
        self.check_state(state)
        self.trigger_event(self.ChairmanshipAssumed, state=state, term=term, **fact.event_fields())

    def meeting_id(self, code: str) -> UUID:
        return child_id(self.id, "meeting", code)

    def schedule_meeting(
        self,
        code: str,
        kind: str,
        title: str,
        starts_on: date,
        fact: Provenance,
        ends_on: date | None = None,
        place: str = "",
        convened_by: str | None = None,
        working_group_id: UUID | None = None,
    ) -> UUID:
        meeting_id = self.meeting_id(code)
        if meeting_id in self.book.meetings:
            raise DuplicateCodeError(f"a meeting {code!r} is already on the calendar")
        self.check_meeting_kind(kind)
        self.check_dates(starts_on, ends_on or starts_on)
        if convened_by is not None:
            self.check_state(convened_by)
        self.trigger_event(
            self.MeetingScheduled,
            meeting_id=meeting_id,
            code=code,
            kind=kind,
            title=title,
            place=place,
            starts_on=starts_on,
            ends_on=ends_on or starts_on,
            convened_by=convened_by,
            working_group_id=working_group_id,
            **fact.event_fields(),
        )
        return meeting_id

    def reschedule_meeting(
        self, meeting_id: UUID, starts_on: date, fact: Provenance, ends_on: date | None = None
    ) -> None:
        self.check_open_meeting(meeting_id)
        self.check_dates(starts_on, ends_on or starts_on)
        self.trigger_event(
            self.MeetingRescheduled,
            meeting_id=meeting_id,
            starts_on=starts_on,
            ends_on=ends_on or starts_on,
            **fact.event_fields(),
        )

    def cancel_meeting(self, meeting_id: UUID, reason: str, fact: Provenance) -> None:
        self.check_open_meeting(meeting_id)
        self.trigger_event(
            self.MeetingCancelled, meeting_id=meeting_id, reason=reason, **fact.event_fields()
        )

    def mark_meeting_held(self, meeting_id: UUID, fact: Provenance) -> None:
        meeting = self.check_open_meeting(meeting_id)
        if fact.occurred_on < meeting.starts_on:
            raise InvalidValueError(
                f"meeting {meeting.code} starts on {meeting.starts_on}: it cannot be held before"
            )
        self.trigger_event(self.MeetingHeld, meeting_id=meeting_id, **fact.event_fields())

    @property
    def calendar(self) -> Calendar:
        return self.book.freeze()


def calendar_as_of(events: Iterable[Any], on: date | None = None) -> Calendar:
    """The calendar as it stood on ``on`` (all of it when ``on`` is None): pure fold."""
    book = CalendarBook()
    for event in events:
        if on is None or event.occurred_on <= on:
            event.record_in(book)
    return book.freeze()
