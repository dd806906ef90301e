"""The planner keeps what it worked out while nothing it depends on has moved; whatever moves —
a new fact (backdated or not), a retraction, a withdrawal, a reminder planned, the day — it
answers what a planner that keeps nothing answers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from adapters.read_models.forum_calendar import states
from adapters.read_models.outcome_status import outcomes, responsibilities
from domain.deadlines import DeadlineKind
from domain.outcome import Outcome
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands
from followup.reminders import PlanReport, ReminderService
from notifications.policy import OwedOutcome, cancellations, plan
from tests.integration.reminders.conftest import NEXT_SUMMIT, SETUP, World, owe
from tests.integration.reminders.test_owed_today import from_views

ATHENS_EVE = date(2009, 11, 1)
MA = Outcome.create_id("gfmd", "ma-before-athens")
SE = Outcome.create_id("gfmd", "se-before-athens")


def as_compared(owed: list[OwedOutcome]) -> dict[object, tuple[object, ...]]:
    return {o.id: (o.code, o.status, o.due_on, o.responsible, o.status_details) for o in owed}


def assert_as_a_fresh_planner(world: World) -> PlanReport:
    kept = world.service.plan(dry_run=True)
    assert world.service.plan(dry_run=True) == kept  # asked again, nothing moved
    fresh = ReminderService(world.container, None)
    assert kept == fresh.plan(dry_run=True)
    today = world.clock.today()  # the policy over every owed outcome, as the views list them
    calendar = fresh.calendar(today)
    wanted = plan("gfmd", calendar, fresh.owed_today(), fresh.policy, today)
    known = fresh.recorded([p.identity.id for p in wanted])
    assert kept.planned == [p for p in wanted if p.identity.id not in known]
    assert kept.cancelled == cancellations(fresh.open(catch_up=False), wanted, calendar)
    assert as_compared(world.service.owed_today()) == as_compared(fresh.owed_today())
    assert as_compared(world.service.owed_today()) == from_views(world)
    return kept


def a_state_owing_nothing(world: World) -> str:
    with world.container.engine.connect() as connection:
        owing = set(connection.execute(select(responsibilities.c.state)).scalars())
        known = set(connection.execute(select(states.c.code)).scalars())
    return str(sorted(known - owing)[0])


def audiences(report: PlanReport) -> set[str]:
    return {p.identity.audience for p in report.planned}


def test_the_kept_plan_follows_every_change(world: World) -> None:
    commands = OutcomeCommands(world.container, SETUP)
    first = assert_as_a_fresh_planner(world)
    assert {"MA", "SE"} <= audiences(first)

    world.service.plan()  # recorded in the ledger: nothing is left to plan
    assert assert_as_a_fresh_planner(world).planned == []

    owe(world.container, "gr-before-athens", "GR", NEXT_SUMMIT, date(2009, 9, 1))
    assert audiences(assert_as_a_fresh_planner(world)) == {"GR"}

    world.day(date(2009, 9, 10))
    receipt = commands.report_progress(MA, "a first draft", date(2009, 9, 2))  # backdated
    statuses = {o.code: o.status for o in world.service.owed_today()}
    assert statuses["ma-before-athens"] == "in_progress"
    assert_as_a_fresh_planner(world)

    assert receipt.created_id is not None
    commands.retract_progress(MA, receipt.created_id, "wrong outcome", date(2009, 9, 10))
    statuses = {o.code: o.status for o in world.service.owed_today()}
    assert statuses["ma-before-athens"] == "not_started"
    assert_as_a_fresh_planner(world)

    commands.withdraw(SE, "overtaken", date(2009, 9, 10))
    withdrawn = assert_as_a_fresh_planner(world)
    assert "se-before-athens" not in {o.code for o in world.service.owed_today()}
    assert withdrawn.cancelled  # SE's planned digests are no longer wanted

    free = a_state_owing_nothing(world)  # owes only a recurring outcome, then completes it
    every_year = DeadlineSpec(DeadlineKind.RECURRING, every_months=12, first_due_on=ATHENS_EVE)
    owe(world.container, "every-year", free, every_year, date(2009, 9, 10))
    assert free in audiences(assert_as_a_fresh_planner(world))
    yearly = Outcome.create_id("gfmd", "every-year")
    commands.complete(yearly, "this year's run", ["https://example.org/run"], date(2009, 9, 10))
    assert "every-year" not in {o.code for o in world.service.owed_today()}
    assert free not in audiences(assert_as_a_fresh_planner(world))  # though it has a due day

    for day in (date(2009, 10, 20), date(2009, 11, 3)):  # due soon, then the day before
        world.day(day)
        assert_as_a_fresh_planner(world)


def test_a_plan_for_another_day_is_kept_apart_from_today(world: World) -> None:
    today = world.service.plan(dry_run=True)
    later = world.service.plan(date(2009, 10, 20), dry_run=True)
    fresh = ReminderService(world.container, None)
    assert later == fresh.plan(date(2009, 10, 20), dry_run=True)
    assert world.service.plan(dry_run=True) == today == fresh.plan(dry_run=True)


def test_a_status_whose_day_has_come_is_refreshed_though_nothing_else_moved(world: World) -> None:
    kept = world.service.plan(dry_run=True)
    ma = outcomes.c.code == "ma-before-athens"
    with world.container.engine.begin() as connection:  # a row left behind by its day
        connection.execute(
            update(outcomes).where(ma).values(status="overdue", changes_on=date(2009, 8, 31))
        )
    assert world.service.plan(dry_run=True) == kept
    with world.container.engine.connect() as connection:
        row = connection.execute(select(outcomes.c.status, outcomes.c.changes_on).where(ma)).one()
    assert row.status == "not_started" and row.changes_on > date(2009, 9, 1)
    assert_as_a_fresh_planner(world)
