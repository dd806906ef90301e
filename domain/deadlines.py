"""Deadlines: a date, "by the next meeting of kind K", or recurring every N months.

A deadline anchored to a meeting is resolved against the calendar each time, so it follows a
reschedule; a recurring deadline yields one due date per cycle.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.calendar import Calendar, Meeting
from domain.errors import InvalidValueError


class DeadlineKind(StrEnum):
    DATE = "date"
    NEXT_MEETING = "next_meeting"
    RECURRING = "recurring"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Deadline:
    """When an outcome is due, as the secretariat set it on ``set_on``."""

    kind: DeadlineKind
    set_on: date
    due_on: date | None = None
    meeting_kind: str | None = None
    every_months: int | None = None
    first_due_on: date | None = None

    def __post_init__(self) -> None:
        if self.kind == DeadlineKind.DATE and self.due_on is None:
            raise InvalidValueError("a date deadline needs due_on")
        if self.kind == DeadlineKind.NEXT_MEETING and not self.meeting_kind:
            raise InvalidValueError("a next-meeting deadline needs meeting_kind")
        if self.kind == DeadlineKind.RECURRING and (self.every_months or 0) < 1:
            raise InvalidValueError("a recurring deadline needs every_months of at least 1")

    def cycle_due_dates(self) -> Iterator[date]:
        """Due dates of a recurring deadline, in order, without end."""
        assert self.every_months is not None
        first = self.first_due_on or add_months(self.set_on, self.every_months)
        index = 0
        while True:
            yield add_months(first, index * self.every_months)
            index += 1

    def describe(self) -> str:
        """The deadline in words, as the secretariat would say it."""
        if self.kind == DeadlineKind.DATE:
            return f"by {self.due_on}"
        if self.kind == DeadlineKind.NEXT_MEETING:
            return f"by the next {humanise(self.meeting_kind or '')} after {self.set_on}"
        return f"every {self.every_months} months"


@dataclass(frozen=True)
class ResolvedDeadline:
    """A deadline pinned to a day on a given calendar (``due_on`` None: not yet known)."""

    due_on: date | None
    anchor: str
    meeting: Meeting | None = None


def humanise(kind: str) -> str:
    return kind.replace("_", " ")


def resolve(deadline: Deadline, calendar: Calendar, on: date) -> ResolvedDeadline:
    """The due date that applies on ``on``; recurring deadlines give the current cycle's."""
    if deadline.kind == DeadlineKind.DATE:
        return ResolvedDeadline(deadline.due_on, "a fixed date")
    if deadline.kind == DeadlineKind.NEXT_MEETING:
        kind = deadline.meeting_kind or ""
        meeting = calendar.next_meeting(kind, after=deadline.set_on)
        if meeting is None:
            return ResolvedDeadline(None, f"the next {humanise(kind)}, not yet scheduled")
        anchor = f"the next {humanise(kind)}: {meeting.title}"
        return ResolvedDeadline(meeting.starts_on, anchor, meeting)
    due = current_cycle_due(deadline, on)
    return ResolvedDeadline(due, f"recurring every {deadline.every_months} months")


def current_cycle_due(deadline: Deadline, on: date) -> date:
    """The first cycle due date on or after ``on``."""
    for due in deadline.cycle_due_dates():
        if due >= on:
            return due
    raise AssertionError("unreachable: cycles never end")  # pragma: no cover


def previous_cycle_due(deadline: Deadline, on: date) -> date | None:
    """The last cycle due date strictly before ``on`` (None in the first cycle)."""
    previous = None
    for due in deadline.cycle_due_dates():
        if due >= on:
            return previous
        previous = due
    raise AssertionError("unreachable: cycles never end")  # pragma: no cover
