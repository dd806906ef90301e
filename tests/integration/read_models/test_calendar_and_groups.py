"""The calendar and working-group read models follow every kind of change they read: meetings
scheduled, moved, held and cancelled; members joining, changing role and leaving."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from adapters.read_models.forum_calendar import chairmanships, meetings, states
from adapters.read_models.working_groups import members
from domain.working_group import MemberRole, WorkingGroup
from followup.bootstrap import Container
from tests.factories import FORUM, fact, forum_with_summits
from tests.integration.test_projections import snapshot


def test_meetings_and_members_follow_every_change_and_equal_a_rebuild(
    container: Container,
) -> None:
    forum = forum_with_summits()
    forum.assume_chairmanship("GR", "2009", fact(date(2009, 1, 1)))
    athens = forum.meeting_id("summit-2009-athens")
    forum.reschedule_meeting(athens, date(2009, 11, 4), fact(date(2009, 3, 1)), date(2009, 11, 5))
    steering = forum.schedule_meeting(
        "sg-2009-02", "steering_group", "Geneva", date(2009, 2, 20), fact(date(2009, 1, 5))
    )
    forum.cancel_meeting(steering, "no quorum", fact(date(2009, 2, 15)))
    forum.mark_meeting_held(athens, fact(date(2009, 11, 5)))
    group = WorkingGroup.form(FORUM, "wg-data", "Data", fact(date(2009, 1, 10)))
    for state in ("MA", "SE", "PH"):
        group.admit_member(state, MemberRole.MEMBER, fact(date(2009, 1, 10)))
    group.change_member_role("SE", MemberRole.CO_CHAIR, fact(date(2009, 6, 1)))
    group.remove_member("PH", fact(date(2009, 7, 1)))
    container.app.save(forum, group)
    container.runner.catch_up()
    with container.engine.connect() as connection:
        rows = {row.code: row for row in connection.execute(select(meetings))}
        roles = {row.state: row.role for row in connection.execute(select(members))}
        admitted = set(connection.execute(select(states.c.code)).scalars())
        chairs = [(row.state, row.term) for row in connection.execute(select(chairmanships))]
    athens_row = rows["summit-2009-athens"]
    assert (athens_row.starts_on, athens_row.ends_on) == (date(2009, 11, 4), date(2009, 11, 5))
    assert athens_row.status == "held" and rows["sg-2009-02"].status == "cancelled"
    assert rows["summit-2008-manila"].status == "held"
    assert roles == {"MA": "member", "SE": "co_chair"}
    assert admitted == {"PH", "GR", "SE", "MA"} and chairs == [("GR", "2009")]
    live = snapshot(container)
    container.runner.rebuild()
    assert snapshot(container) == live
