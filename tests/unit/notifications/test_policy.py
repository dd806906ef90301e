"""The reminder policy, as pure rules."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.forum import calendar_as_of
from domain.reminder import TROIKA
from notifications.policy import (
    OpenReminder,
    OwedOutcome,
    ReminderPolicy,
    cancellations,
    due_now,
    owed_by,
    plan,
    troika,
)
from tests.factories import ATHENS, MANILA_CLOSE, fact, forum_with_summits


def owed(code: str, status: str, due: date | None, *states: str) -> OwedOutcome:
    return OwedOutcome(uuid4(), code, code, status, due, tuple(states))


OUTCOMES = [
    owed("a", "not_started", ATHENS, "SE"),
    owed("b", "overdue", date(2009, 6, 30), "MA", "SE"),
    owed("c", "completed", ATHENS, "GR"),
    owed("d", "in_progress", date(2010, 6, 1), "PH"),
    owed("e", "not_started", None, "PH"),
]


def test_a_digest_lists_open_outcomes_due_by_the_meeting_per_state() -> None:
    athens = forum_with_summits().calendar.next_meeting("summit", MANILA_CLOSE)
    assert athens is not None
    by_state = owed_by(athens, OUTCOMES)
    assert {s: [o.code for o in items] for s, items in by_state.items()} == {
        "SE": ["b", "a"],
        "MA": ["b"],
    }


def test_the_plan_has_three_reminders_per_state_owing_and_for_the_troika() -> None:
    calendar = forum_with_summits().calendar
    planned = plan("gfmd", calendar, OUTCOMES, ReminderPolicy(), date(2009, 9, 1))
    audiences = sorted({(p.identity.audience, p.identity.offset_days) for p in planned})
    assert audiences == [(a, o) for a in ["MA", "SE", TROIKA] for o in (3, 14, 30)]
    assert {p.send_on for p in planned} == {
        date(2009, 10, 5),
        date(2009, 10, 21),
        date(2009, 11, 1),
    }
    again = plan("gfmd", calendar, OUTCOMES, ReminderPolicy(), date(2009, 9, 2))
    assert {p.identity.id for p in planned} == {p.identity.id for p in again}  # deterministic


def test_nothing_open_means_no_reminder() -> None:
    calendar = forum_with_summits().calendar
    quiet = [owed("c", "completed", ATHENS, "GR")]
    assert plan("gfmd", calendar, quiet, ReminderPolicy(), date(2009, 9, 1)) == []


def test_meeting_kinds_and_offsets_are_settings() -> None:
    calendar = forum_with_summits().calendar
    policy = ReminderPolicy(offsets=(7,), meeting_kinds=("steering_group",))
    assert plan("gfmd", calendar, OUTCOMES, policy, date(2009, 9, 1)) == []
    weekly = plan("gfmd", calendar, OUTCOMES, ReminderPolicy(offsets=(7,)), date(2009, 9, 1))
    assert {p.send_on for p in weekly} == {date(2009, 10, 28)}


def open_reminder(
    audience: str, offset: int, send_on: date, meeting_date: date = ATHENS
) -> OpenReminder:
    forum = forum_with_summits()
    return OpenReminder(
        uuid4(), forum.meeting_id("summit-2009-athens"), meeting_date, audience, offset, send_on
    )


def test_a_reschedule_cancels_what_was_planned_for_the_old_date() -> None:
    forum = forum_with_summits()
    forum.reschedule_meeting(
        forum.meeting_id("summit-2009-athens"), date(2009, 12, 1), fact(date(2009, 9, 5))
    )
    calendar = calendar_as_of(forum.pending_events)
    stale = open_reminder("SE", 14, date(2009, 10, 19))
    wanted = plan("gfmd", calendar, OUTCOMES, ReminderPolicy(), date(2009, 9, 6))
    assert cancellations([stale], wanted, calendar) == {
        stale.id: "the meeting was moved to 2009-12-01"
    }


def test_late_reminders_go_once_and_never_after_the_meeting_began() -> None:
    thirty = open_reminder("SE", 30, date(2009, 10, 3))
    fourteen = open_reminder("SE", 14, date(2009, 10, 19))
    three = open_reminder("SE", 3, date(2009, 10, 30))
    send, cancel = due_now([thirty, fourteen, three], date(2009, 10, 25))
    assert send == [fourteen]
    assert cancel == {thirty.id: "overtaken by a later reminder for the same meeting"}
    send, cancel = due_now([three], ATHENS)
    assert send == [] and cancel == {three.id: "the meeting began before it could be sent"}


def test_the_troika_is_the_previous_current_and_next_chair() -> None:
    forum = forum_with_summits()
    forum.assume_chairmanship("PH", "2008", fact(date(2007, 7, 12)))
    forum.assume_chairmanship("GR", "2009", fact(date(2008, 10, 31)))
    forum.admit_state("MX", "Mexico", fact(date(2008, 1, 1)))
    forum.assume_chairmanship("MX", "2010", fact(date(2009, 11, 6)))
    calendar = calendar_as_of(forum.pending_events)
    assert troika(calendar, date(2009, 6, 1)) == ["PH", "GR", "MX"]
    assert troika(calendar, date(2008, 1, 1)) == ["PH", "GR"]
