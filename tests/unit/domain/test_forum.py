from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import MeetingStatus
from domain.errors import (
    DuplicateCodeError,
    InvalidValueError,
    MeetingAlreadyClosedError,
    UnknownStateError,
)
from domain.forum import calendar_as_of
from tests.factories import ATHENS, MANILA_CLOSE, fact, forum_with_summits


def test_the_next_summit_after_manila_is_athens() -> None:
    calendar = forum_with_summits().calendar
    meeting = calendar.next_meeting("summit", after=MANILA_CLOSE)
    assert meeting is not None and meeting.starts_on == ATHENS


def test_the_calendar_as_of_a_day_knows_only_what_was_decided_by_then() -> None:
    forum = forum_with_summits()
    athens = forum.meeting_id("summit-2009-athens")
    forum.reschedule_meeting(athens, date(2009, 12, 1), fact(date(2009, 6, 1)))
    before = calendar_as_of(forum.pending_events, date(2009, 5, 31)).meeting(athens)
    after = calendar_as_of(forum.pending_events, date(2009, 6, 1)).meeting(athens)
    assert before is not None and before.starts_on == ATHENS
    assert after is not None and after.starts_on == date(2009, 12, 1)
    assert calendar_as_of(forum.pending_events, date(2008, 10, 29)).meeting(athens) is None


def test_a_held_meeting_cannot_be_rescheduled_or_held_again() -> None:
    forum = forum_with_summits()
    manila = forum.meeting_id("summit-2008-manila")
    assert forum.calendar.meeting(manila).status == MeetingStatus.HELD  # type: ignore[union-attr]
    with pytest.raises(MeetingAlreadyClosedError):
        forum.reschedule_meeting(manila, date(2008, 11, 1), fact(date(2008, 11, 1)))
    with pytest.raises(MeetingAlreadyClosedError):
        forum.mark_meeting_held(manila, fact(date(2008, 11, 1)))


def test_a_meeting_is_not_held_before_it_starts() -> None:
    forum = forum_with_summits()
    with pytest.raises(InvalidValueError):
        forum.mark_meeting_held(forum.meeting_id("summit-2009-athens"), fact(date(2009, 1, 1)))


def test_meeting_codes_and_states_are_checked() -> None:
    forum = forum_with_summits()
    with pytest.raises(DuplicateCodeError):
        forum.schedule_meeting("summit-2009-athens", "summit", "again", ATHENS, fact(MANILA_CLOSE))
    with pytest.raises(UnknownStateError):
        forum.assume_chairmanship("XX", "2010", fact(MANILA_CLOSE))
    with pytest.raises(InvalidValueError, match="meeting kind"):
        forum.schedule_meeting("x", "picnic", "x", ATHENS, fact(MANILA_CLOSE))
    with pytest.raises(InvalidValueError, match="before it starts"):
        forum.schedule_meeting(
            "y", "summit", "y", ATHENS, fact(MANILA_CLOSE), ends_on=date(2009, 1, 1)
        )


def test_the_chair_in_office_on_a_day() -> None:
    forum = forum_with_summits()
    forum.assume_chairmanship("PH", "2008", fact(date(2007, 7, 12)))
    forum.assume_chairmanship("GR", "2009", fact(date(2008, 10, 31)))
    calendar = forum.calendar
    assert calendar.chair_on(MANILA_CLOSE).state == "PH"  # type: ignore[union-attr]
    assert calendar.chair_on(date(2009, 1, 1)).state == "GR"  # type: ignore[union-attr]
    assert calendar.chair_on(date(2007, 1, 1)) is None


def test_the_next_chair_meeting_skips_cancelled_and_other_kinds() -> None:
    forum = forum_with_summits()
    forum.schedule_meeting("wg-1", "working_group", "WG", date(2009, 2, 1), fact(MANILA_CLOSE))
    sg = forum.schedule_meeting(
        "sg-1", "steering_group", "SG", date(2009, 3, 1), fact(MANILA_CLOSE)
    )
    forum.schedule_meeting("sg-2", "steering_group", "SG", date(2009, 4, 1), fact(MANILA_CLOSE))
    forum.cancel_meeting(sg, "no quorum", fact(date(2009, 2, 15)))
    meeting = forum.calendar.next_chair_meeting(date(2009, 1, 1))
    assert meeting is not None and meeting.code == "sg-2"
