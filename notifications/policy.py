"""Who gets which reminder, and when: pure rules over the calendar and what is owed.

Default: 30, 14 and 3 days before each meeting the Chair-in-Office convenes, every state with open
outcomes due by that meeting (or already overdue) gets one digest; the Troika gets a summary of what
is overdue. A state with nothing open gets nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from domain.calendar import Calendar, Meeting, MeetingStatus
from domain.reminder import TROIKA, ReminderIdentity

OPEN = {"not_started", "in_progress", "due_soon", "overdue"}


@dataclass(frozen=True)
class ReminderPolicy:
    offsets: tuple[int, ...] = (30, 14, 3)
    meeting_kinds: tuple[str, ...] | None = None  # None: the kinds the Chair-in-Office convenes

    def kinds(self, calendar: Calendar) -> tuple[str, ...]:
        return self.meeting_kinds or calendar.chair_meeting_kinds


@dataclass(frozen=True)
class OwedOutcome:
    """An outcome as a digest lists it."""

    id: UUID
    code: str
    title: str
    status: str
    due_on: date | None
    responsible: tuple[str, ...]
    status_rule: str = ""
    status_details: dict[str, object] = field(default_factory=dict, compare=False)
    milestone: str | None = None  # the plan's milestone due first, if any
    milestone_due: date | None = None

    @property
    def owed_on(self) -> date | None:
        """When something is owed: the outcome's deadline or an earlier milestone's."""
        dates = [d for d in (self.due_on, self.milestone_due) if d is not None]
        return min(dates) if dates else None


@dataclass(frozen=True)
class PlannedReminder:
    identity: ReminderIdentity
    send_on: date


def upcoming_meetings(calendar: Calendar, policy: ReminderPolicy, today: date) -> list[Meeting]:
    kinds = policy.kinds(calendar)
    return [
        m
        for m in calendar.meetings
        if m.kind in kinds and m.status == MeetingStatus.SCHEDULED and m.starts_on > today
    ]


def owed_by(meeting: Meeting, outcomes: Iterable[OwedOutcome]) -> dict[str, list[OwedOutcome]]:
    """Open outcomes due by the meeting's first day (overdue ones included), per state."""
    owed: dict[str, list[OwedOutcome]] = defaultdict(list)
    for outcome in outcomes:
        if (
            outcome.status in OPEN
            and outcome.due_on is not None
            and outcome.due_on <= meeting.starts_on
        ):
            for state in outcome.responsible:
                owed[state].append(outcome)
    return {
        state: sorted(items, key=lambda o: (o.owed_on, o.code)) for state, items in owed.items()
    }


def overdue(outcomes: Iterable[OwedOutcome]) -> list[OwedOutcome]:
    return sorted((o for o in outcomes if o.status == "overdue"), key=lambda o: (o.due_on, o.code))


def troika(calendar: Calendar, on: date) -> list[str]:
    """The previous, current and next Chair on ``on`` (those the calendar knows)."""
    chairs = list(calendar.chairmanships)
    current = max((i for i, c in enumerate(chairs) if c.assumed_on <= on), default=None)
    if current is None:
        return [chairs[0].state] if chairs else []
    picked = chairs[max(0, current - 1) : current + 2]
    return list(dict.fromkeys(c.state for c in picked))


def plan(
    forum: str,
    calendar: Calendar,
    outcomes: list[OwedOutcome],
    policy: ReminderPolicy,
    today: date,
) -> list[PlannedReminder]:
    """Every reminder the policy wants for the meetings still ahead (past moments included:
    whether a late one still goes out is decided when sending)."""
    return plan_for(
        forum,
        calendar,
        lambda meeting: owed_by(meeting, outcomes).keys(),
        bool(overdue(outcomes)),
        policy,
        today,
    )


def plan_for(
    forum: str,
    calendar: Calendar,
    owing: Callable[[Meeting], Iterable[str]],
    anything_overdue: bool,
    policy: ReminderPolicy,
    today: date,
) -> list[PlannedReminder]:
    """``plan`` from all it reads of what is owed: which states owe something by each meeting
    (as ``owed_by`` says) and whether anything is overdue (the Troika's summary) — a store can
    answer both without listing every open outcome."""
    planned = []
    for meeting in upcoming_meetings(calendar, policy, today):
        audiences = sorted(owing(meeting))
        if anything_overdue:
            audiences.append(TROIKA)
        for audience in audiences:
            for offset in policy.offsets:
                identity = ReminderIdentity(forum, meeting.id, meeting.starts_on, audience, offset)
                planned.append(
                    PlannedReminder(identity, meeting.starts_on - timedelta(days=offset))
                )
    return planned


@dataclass(frozen=True)
class OpenReminder:
    """A reminder planned and not yet sent, cancelled or failed for good."""

    id: UUID
    meeting_id: UUID
    meeting_date: date
    audience: str
    offset_days: int
    send_on: date


def cancellations(
    open_reminders: Iterable[OpenReminder],
    wanted: Iterable[PlannedReminder],
    calendar: Calendar,
) -> dict[UUID, str]:
    """Open reminders the plan no longer wants, and why (in words for the ledger)."""
    keep = {p.identity.id for p in wanted}
    reasons = {}
    for reminder in open_reminders:
        if reminder.id in keep:
            continue
        meeting = calendar.meeting(reminder.meeting_id)
        if meeting is None or meeting.status == MeetingStatus.CANCELLED:
            reasons[reminder.id] = "the meeting was cancelled"
        elif meeting.starts_on != reminder.meeting_date:
            reasons[reminder.id] = f"the meeting was moved to {meeting.starts_on}"
        elif meeting.status == MeetingStatus.HELD or meeting.starts_on <= max(
            reminder.send_on, reminder.meeting_date - timedelta(days=reminder.offset_days)
        ):
            reasons[reminder.id] = "the meeting began before it could be sent"
        else:
            reasons[reminder.id] = "nothing is owed by this meeting any more"
    return reasons


def due_now(
    open_reminders: Iterable[OpenReminder], today: date
) -> tuple[list[OpenReminder], dict[UUID, str]]:
    """What to send today, and what to cancel instead: a reminder whose meeting has begun is not
    sent late; of several late ones for the same digest only the latest offset goes out."""
    due = [r for r in open_reminders if r.send_on <= today]
    cancel: dict[UUID, str] = {}
    latest: dict[tuple[UUID, date, str], OpenReminder] = {}
    for reminder in due:
        if today >= reminder.meeting_date:
            cancel[reminder.id] = "the meeting began before it could be sent"
            continue
        key = (reminder.meeting_id, reminder.meeting_date, reminder.audience)
        other = latest.get(key)
        if other is None or reminder.offset_days < other.offset_days:
            if other is not None:
                cancel[other.id] = "overtaken by a later reminder for the same meeting"
            latest[key] = reminder
        else:
            cancel[reminder.id] = "overtaken by a later reminder for the same meeting"
    return list(latest.values()), cancel
