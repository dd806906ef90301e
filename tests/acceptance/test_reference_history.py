"""The forum's own 2007-2012 record, imported and queried as a reviewer would."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from adapters.read_models.forum_calendar import chairmanships
from adapters.read_models.survey_runs import survey_runs
from adapters.read_models.working_groups import working_groups
from followup.bootstrap import Container
from followup.queries import OutcomeFilter, OutcomeQueries

MANILA = date(2008, 10, 30)


def by_code(views: list) -> dict:  # type: ignore[type-arg]
    return {v.code: v for v in views}


def test_the_chairs_in_office_2007_to_2012(loaded: Container) -> None:
    with loaded.engine.connect() as connection:
        states = (
            connection.execute(
                select(chairmanships.c.state).order_by(
                    chairmanships.c.assumed_on, chairmanships.c.position
                )
            )
            .scalars()
            .all()
        )
    assert states == ["BE", "PH", "GR", "MX", "CH", "MU"]


def test_the_survey_trend_45_to_53_responses_and_9_to_26_national_plans(loaded: Container) -> None:
    with loaded.engine.connect() as connection:
        runs = connection.execute(select(survey_runs).order_by(survey_runs.c.closed_on)).all()
    assert [r.responses for r in runs] == [45, 53]
    plans = [next(f for f in r.figures if f["code"] == "national-plan") for r in runs]
    assert [(p["numerator"], p["denominator"]) for p in plans] == [(9, 45), (26, 53)]
    percentages = {f["code"]: f["percent"] for f in runs[1].figures if f["percent"] is not None}
    assert percentages["migration-in-development-policy"] == 84
    assert percentages["role-for-international-organisations"] == 90


def test_two_working_groups_were_formed_in_2009(loaded: Container) -> None:
    with loaded.engine.connect() as connection:
        formed = connection.execute(select(working_groups.c.formed_on)).scalars().all()
    assert sorted(d.year for d in formed) == [2009, 2009]


def test_as_of_the_manila_summit(loaded: Container) -> None:
    queries = OutcomeQueries(loaded)
    views, total = queries.list_as_of(OutcomeFilter(), MANILA, limit=1000)
    outcomes = by_code(views)
    assert total == 24  # Brussels 2007 and Manila 2008; nothing from 2012 yet
    assert not any(code.startswith("bxl-2012") for code in outcomes)
    working_group = outcomes["mnl-2008-rt3.1-data-research-wg"]
    assert working_group.status == "not_started"  # formed only in 2009
    experts = outcomes["mnl-2008-rt3.2-experts-evaluation-methods"]
    assert experts.deadline is not None and experts.deadline.due_on == date(2009, 11, 2)
    assert outcomes["bru-2007-rt3.2-coherent-policy-planning"].status == "in_progress"


def test_the_working_group_outcome_is_completed_once_the_group_is_formed(loaded: Container) -> None:
    queries = OutcomeQueries(loaded)
    views, _ = queries.list_as_of(OutcomeFilter(), date(2010, 1, 1), limit=1000)
    outcome = by_code(views)["mnl-2008-rt3.1-data-research-wg"]
    assert outcome.status == "completed"
    assert outcome.working_group is not None
    assert outcome.working_group.code == "wg-policy-coherence-data-research"


def test_the_next_chair_meeting_after_manila_is_athens(loaded: Container) -> None:
    meeting, due = OutcomeQueries(loaded).next_meeting(MANILA)
    assert meeting is not None and meeting.place == "Athens"
    assert "mnl-2008-rt3.2-experts-evaluation-methods" in {v.code for v in due}


def test_six_recommendations_of_the_2012_expert_workshop(loaded: Container) -> None:
    queries = OutcomeQueries(loaded)
    views, total = queries.list_current(
        OutcomeFilter(meeting="expert-2012-06-26-brussels-pcd"), limit=1000
    )
    assert total == 6
    assert {v.deadline.due_on for v in views if v.deadline} == {date(2012, 11, 19)}


def test_manilas_working_group_milestone_was_reached_by_the_2009_formation(
    loaded: Container,
) -> None:
    from domain.identity import record_id

    detail = OutcomeQueries(loaded).detail(
        record_id("gfmd", "outcome", "mnl-2008-rt3.1-data-research-wg")
    )
    assert detail is not None
    [step] = detail.plan
    assert step.milestone.reached_by is not None
    assert step.milestone.reached_by.event_type == "WorkingGroup.Formed"
    assert step.milestone.reached_by.occurred_on.year == 2009
    assert step.cause_code == "wg-policy-coherence-data-research"


def test_the_survey_plan_shows_the_2008_run_and_the_next_cycle(loaded: Container) -> None:
    from domain.identity import record_id

    detail = OutcomeQueries(loaded).detail(
        record_id("gfmd", "outcome", "mnl-2008-rt3.2-survey-rerun")
    )
    assert detail is not None
    cycles = [
        (s.milestone.cycle, s.milestone.reached_by is not None, s.due_on) for s in detail.plan
    ]
    assert cycles == [(1, True, date(2010, 10, 30)), (2, False, date(2012, 10, 30))]
    assert detail.view.status == "overdue"
    assert 'milestone "Run the survey (cycle 2)"' in detail.view.status_reason
