"""Plans advanced by the forum's own facts, exactly once (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import select

from adapters.clock import FixedClock
from adapters.read_models.outcome_tables import milestones, outcomes
from domain.calendar import MeetingStatus
from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_record import MilestoneKind
from domain.plan_templates import PlanTemplate
from domain.status import Status
from followup.authorization import Principal, Role
from followup.bootstrap import Container, bootstrap
from followup.commands.groups import GroupCommands
from followup.commands.outcomes import DeadlineSpec
from followup.commands.plans import PlanCommands, PlanSpec
from followup.queries import OutcomeQueries
from followup.settings import Settings
from tests.factories import fact, forum_with_summits

SECRETARIAT = Principal("sec", Role.SECRETARIAT, kind="user")
DAY = date(2008, 11, 1)


@pytest.fixture
def plans(container: Container) -> PlanCommands:
    container.app.save(forum_with_summits())
    return PlanCommands(container, SECRETARIAT)


def adopt(plans: PlanCommands, code: str, plan: PlanSpec | None = None) -> Outcome:
    receipt = plans.adopt_with_plan(plan, code=code, title=f"Outcome {code}", adopted_on=DAY)
    outcome = plans.app.repository.get(receipt.aggregate_id)
    assert isinstance(outcome, Outcome)
    return outcome


def reload(container: Container, outcome: Outcome) -> Outcome:
    found = container.app.repository.get(outcome.id)
    assert isinstance(found, Outcome)
    return found


def reached_events(container: Container, outcome: Outcome) -> list:
    return [
        e for e in container.app.events_of(outcome.id) if isinstance(e, Outcome.MilestoneReached)
    ]


def test_a_group_formed_reaches_every_outcome_waiting_for_it_once(
    container: Container, plans: PlanCommands
) -> None:
    groups = GroupCommands(container, SECRETARIAT)
    groups.form("wg-x", "Working group X", date(2008, 10, 30))  # formed before the plans...
    first = adopt(plans, "first", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-x"))
    groups.form("wg-y", "Working group Y", date(2008, 11, 2))
    second = adopt(plans, "second", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-y"))
    third = adopt(plans, "third", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-y"))
    waiting = adopt(
        plans, "waiting", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-z")
    )
    container.settle()
    for outcome, group in [(first, "wg-x"), (second, "wg-y"), (third, "wg-y")]:
        [event] = reached_events(container, outcome)
        formed = container.app.events_of(
            plans.forum and GroupCommands(container, SECRETARIAT).group_id(group)
        )[0]
        assert (event.cause_aggregate_id, event.cause_version) == (formed.originator_id, 1)
        assert event.cause_type == "WorkingGroup.Formed" and event.actor == "workflow"
    assert reached_events(container, waiting) == []
    groups.form("wg-z", "Working group Z", date(2009, 3, 1))  # ...and after one
    [late] = reached_events(container, waiting)
    assert late.occurred_on == date(2009, 3, 1)


def test_the_same_event_twice_or_a_replay_reaches_nothing_more(
    container: Container, plans: PlanCommands
) -> None:
    adopt(plans, "a", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-x"))
    GroupCommands(container, SECRETARIAT).form("wg-x", "Working group X", date(2009, 1, 1))
    head = container.app.head_position()
    formed_at = next(
        n.id
        for n in container.app.recorder.select_notifications(0, 1000)
        if n.topic.endswith("WorkingGroup.Formed")
    )
    formed = container.app.events_of(GroupCommands(container, SECRETARIAT).group_id("wg-x"))[0]
    with pytest.raises(IntegrityError):  # delivered a second time: its tracking row is there
        container.app.process_event(formed, Tracking(container.app.name, formed_at))
    container.runner.rebuild()
    container.settle()
    assert container.app.head_position() == head


def test_a_retracted_fact_reopens_the_milestone(container: Container, plans: PlanCommands) -> None:
    outcome = adopt(plans, "custom")
    milestone = plans.plan_milestone(outcome.id, MilestoneKind.CUSTOM, "Draft the toolkit", DAY)
    report = plans.report_progress(
        outcome.id, "Toolkit drafted", date(2009, 2, 1), milestone_id=milestone.created_id
    )
    assert reload(container, outcome).record.milestones[milestone.created_id].reached
    plans.retract_progress(
        outcome.id, report.created_id, "it was another toolkit", date(2009, 2, 2)
    )
    again = reload(container, outcome)
    assert not again.record.milestones[milestone.created_id].reached
    assert isinstance(container.app.events_of(outcome.id)[-1], Outcome.MilestoneReopened)


def test_a_retracted_survey_run_reopens_its_cycle(
    container: Container, plans: PlanCommands
) -> None:
    groups = GroupCommands(container, SECRETARIAT)
    groups.launch_survey("coherence", "Coherence survey", None, None, date(2007, 1, 1))
    outcome = adopt(
        plans, "rerun", PlanSpec(PlanTemplate.RERUN_SURVEY, survey="coherence", every_months=24)
    )
    from domain.survey import Figure

    groups.record_survey_run(
        "coherence", "2010", 61, [Figure("plan", "National plan", 33, 61)], date(2010, 6, 1)
    )
    assert {m.cycle for m in reload(container, outcome).record.milestones.values()} == {1, 2}
    groups.retract_survey_run("coherence", "2010", "recorded twice", date(2010, 6, 2))
    cycle_one = next(
        m for m in reload(container, outcome).record.milestones.values() if m.cycle == 1
    )
    assert not cycle_one.reached


def test_a_closed_survey_cycle_opens_the_next_with_its_deadline(
    container: Container, plans: PlanCommands
) -> None:
    groups = GroupCommands(container, SECRETARIAT)
    groups.launch_survey("coherence", "Coherence survey", None, None, date(2007, 1, 1))
    outcome = adopt(
        plans, "rerun", PlanSpec(PlanTemplate.RERUN_SURVEY, survey="coherence", every_months=24)
    )
    [first] = reload(container, outcome).record.milestones.values()
    assert first.deadline is not None and first.deadline.due_on == date(2010, 11, 1)
    groups.record_survey_run("coherence", "2010", 61, [], date(2010, 6, 1))
    record = reload(container, outcome).record
    cycles = sorted(record.milestones.values(), key=lambda m: m.cycle)
    assert [m.reached for m in cycles] == [True, False]
    assert cycles[1].deadline is not None and cycles[1].deadline.due_on == date(2012, 11, 1)
    assert cycles[1].title == "Run the survey (cycle 2)"


def test_a_rescheduled_meeting_moves_an_anchored_milestone(
    container: Container, plans: PlanCommands
) -> None:
    outcome = adopt(plans, "report", PlanSpec(PlanTemplate.REPORT_AT_NEXT_SUMMIT))
    queries = OutcomeQueries(container)
    before = queries.detail(outcome.id, date(2009, 10, 25))
    assert before is not None and before.view.status == Status.DUE_SOON
    assert before.view.status_rule == "milestone_due_soon"
    forum = container.app.repository.get(container.app.forum_id)
    assert isinstance(forum, Forum)
    forum.reschedule_meeting(
        forum.meeting_id("summit-2009-athens"), date(2009, 12, 15), fact(date(2009, 9, 1))
    )
    container.app.save(forum)
    after = queries.detail(outcome.id, date(2009, 10, 25))
    assert after is not None and after.view.status == Status.NOT_STARTED
    overdue = queries.detail(outcome.id, date(2009, 12, 20))
    assert overdue is not None and overdue.view.status == Status.OVERDUE
    assert 'milestone "Report at the next summit" was due 2009-12-15' in overdue.view.status_reason


def test_reporting_at_the_summit_reaches_the_milestone(
    container: Container, plans: PlanCommands
) -> None:
    outcome = adopt(plans, "report", PlanSpec(PlanTemplate.REPORT_AT_NEXT_SUMMIT))
    plans.report_progress(outcome.id, "Presented in Athens", date(2009, 11, 4))
    assert reached_events(container, outcome) == []  # the summit is not held yet
    forum = container.app.repository.get(container.app.forum_id)
    forum.mark_meeting_held(forum.meeting_id("summit-2009-athens"), fact(date(2009, 11, 5)))
    container.app.save(forum)
    container.settle()
    [event] = reached_events(container, outcome)
    assert event.cause_type == "Forum.MeetingHeld"
    detail = OutcomeQueries(container).detail(outcome.id, date(2009, 12, 1))
    assert detail is not None and detail.view.status == Status.IN_PROGRESS


def test_an_expert_meeting_of_the_group_reaches_its_milestone(
    container: Container, plans: PlanCommands
) -> None:
    groups = GroupCommands(container, SECRETARIAT)
    groups.form("wg-x", "Working group X", date(2008, 10, 1))
    outcome = adopt(
        plans, "experts", PlanSpec(PlanTemplate.EXPERT_MEETING_BEFORE_SUMMIT, working_group="wg-x")
    )
    groups.record_expert_meeting(
        "wg-x", "experts-2009", "Experts on methods", "Geneva", date(2009, 5, 5)
    )
    [event] = reached_events(container, outcome)
    assert event.cause_type == "WorkingGroup.ExpertMeetingHeld" and event.occurred_on == date(
        2009, 5, 5
    )


def test_the_plan_can_be_edited(container: Container, plans: PlanCommands) -> None:
    outcome = adopt(plans, "edit")
    added = plans.plan_milestone(
        outcome.id,
        MilestoneKind.CUSTOM,
        "Publish the report",
        DAY,
        deadline=DeadlineSpec(
            kind=__import__("domain.deadlines").deadlines.DeadlineKind.DATE, due_on=date(2009, 3, 1)
        ),
    )
    detail = OutcomeQueries(container).detail(outcome.id, date(2009, 3, 2))
    assert detail is not None and detail.view.status_rule == "milestone_overdue"
    plans.remove_milestone(outcome.id, added.created_id, "dropped by the Steering Group", DAY)
    assert reload(container, outcome).record.milestones == {}


def test_a_report_reaches_a_meeting_milestone_only_when_dated_in_a_held_meeting(
    container: Container, plans: PlanCommands
) -> None:
    forum = container.app.repository.get(container.app.forum_id)
    forum.mark_meeting_held(forum.meeting_id("summit-2009-athens"), fact(date(2009, 11, 5)))
    container.app.save(forum)
    outcome = adopt(plans, "report", PlanSpec(PlanTemplate.REPORT_AT_NEXT_SUMMIT))
    plans.report_progress(outcome.id, "Drafted at home", date(2009, 10, 1))
    assert reached_events(container, outcome) == []  # no held meeting that day
    plans.report_progress(outcome.id, "Presented in Athens", date(2009, 11, 4))
    [event] = reached_events(container, outcome)
    assert event.cause_type == "Outcome.ProgressReported" and event.occurred_on == date(2009, 11, 4)


def test_answers_that_record_nothing_are_written_down_on_close_and_never_answered_twice(
    container: Container, plans: PlanCommands, settings: Settings, clock: FixedClock
) -> None:
    outcome = adopt(plans, "quiet", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-q"))
    for day in (3, 4, 5):  # reports far from any meeting: the policy answers them with nothing
        plans.report_progress(outcome.id, f"Report {day}", date(2009, 2, day))
    head = container.app.head_position()
    crashed = bootstrap(settings, clock=clock)  # another process, as if this one had died
    crashed.settle()  # it answers again what this one had not written down: nothing new
    assert crashed.app.head_position() == head
    assert reached_events(crashed, outcome) == []
    crashed.close()
    GroupCommands(container, SECRETARIAT).form("wg-q", "Working group Q", date(2009, 3, 1))
    [reached] = reached_events(container, outcome)  # an answer that matters, recorded at once
    assert reached.cause_type == "WorkingGroup.Formed"
    plans.report_progress(outcome.id, "After the group", date(2009, 3, 2))
    head = container.app.head_position()
    container.app.close()  # a clean stop writes down how far it answered
    restarted = bootstrap(settings, clock=clock)
    assert restarted.app.recorder.max_tracking_id("followup") == head
    restarted.close()


def test_what_the_policy_appends_for_a_write_is_in_the_read_models_when_the_write_returns(
    container: Container, plans: PlanCommands
) -> None:
    forum = container.app.repository.get(container.app.forum_id)
    forum.mark_meeting_held(forum.meeting_id("summit-2009-athens"), fact(date(2009, 11, 5)))
    container.app.save(forum)
    outcome = adopt(plans, "report", PlanSpec(PlanTemplate.REPORT_AT_NEXT_SUMMIT))
    receipt = plans.report_progress(outcome.id, "Presented in Athens", date(2009, 11, 4))
    [event] = reached_events(container, outcome)  # appended by the policy after the write
    with container.engine.connect() as connection:
        reached = connection.execute(
            select(milestones.c.reached, milestones.c.cause_type).where(
                milestones.c.outcome_id == str(outcome.id)
            )
        ).one()
        version = connection.execute(
            select(outcomes.c.version).where(outcomes.c.id == str(outcome.id))
        ).scalar_one()
    assert tuple(reached) == (True, "Outcome.ProgressReported")
    assert version == event.originator_version == receipt.version + 1
    assert container.runner.left_at("outcome_status") == container.app.head_position()


def test_the_policy_answers_a_backlog_longer_than_one_section_of_the_log(
    container: Container, plans: PlanCommands
) -> None:
    container.app.pull_section_size = container.app.readers["followup"].section_size = 2
    forum = container.app.repository.get(container.app.forum_id)
    forum.mark_meeting_held(forum.meeting_id("summit-2009-athens"), fact(date(2009, 11, 5)))
    container.app.save(forum)
    waiting = [
        adopt(plans, f"w{n}", PlanSpec(PlanTemplate.REPORT_AT_NEXT_SUMMIT)) for n in range(3)
    ]
    for n, outcome in enumerate(waiting):  # saved straight: the policy answers them all later
        outcome.report_progress(
            outcome.report_id(f"r{n}"), "Presented in Athens", fact(date(2009, 11, 4))
        )
        container.app.save(outcome)
    container.settle()
    for outcome in waiting:
        [event] = reached_events(container, outcome)
        assert event.cause_type == "Outcome.ProgressReported"


def test_the_calendar_known_through_a_position_holds_every_forum_event_stored_up_to_it(
    container: Container, plans: PlanCommands, settings: Settings, clock: FixedClock
) -> None:
    app = container.app
    known = app.head_position()
    athens = app.calendar(through=known).meeting(
        forum_with_summits().meeting_id("summit-2009-athens")
    )
    assert athens is not None and athens.status != MeetingStatus.HELD
    other = bootstrap(settings, clock=clock)  # another process holds the meeting
    try:
        forum = other.app.repository.get(other.app.forum_id)
        forum.mark_meeting_held(athens.id, fact(date(2009, 11, 5)))
        [held_at] = [r.notification.id for r in other.app.save(forum)]
    finally:
        other.close()
    assert known < held_at
    assert app.calendar(through=known).meeting(athens.id) == athens  # asks nothing more
    held = app.calendar(through=held_at).meeting(athens.id)
    assert held is not None and held.status == MeetingStatus.HELD
    assert app.calendar().meeting(athens.id) == held


def test_a_process_answers_on_after_another_process_answered_past_it(
    container: Container, plans: PlanCommands, settings: Settings, clock: FixedClock
) -> None:
    first = adopt(plans, "first", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-t"))
    plans.report_progress(first.id, "Drafted", date(2009, 2, 3))  # this process has answered
    other = bootstrap(settings, clock=clock)  # another process, projecting inline too
    try:
        GroupCommands(other, SECRETARIAT).form("wg-t", "Working group T", date(2009, 3, 1))
        [reached] = reached_events(other, first)  # answered by the other process
        late = adopt(plans, "late", PlanSpec(PlanTemplate.FORM_WORKING_GROUP, working_group="wg-u"))
        GroupCommands(container, SECRETARIAT).form("wg-u", "Working group U", date(2009, 3, 2))
        assert reached_events(container, first) == [reached]  # not reached a second time
        [late_reached] = reached_events(container, late)  # answered by this process
        assert late_reached.cause_type == "WorkingGroup.Formed"
        with container.engine.connect() as connection:
            rows = connection.execute(
                select(milestones.c.outcome_id, milestones.c.reached).order_by(
                    milestones.c.outcome_id
                )
            ).all()
        assert sorted(map(tuple, rows)) == sorted([(str(first.id), True), (str(late.id), True)])
    finally:
        other.close()
