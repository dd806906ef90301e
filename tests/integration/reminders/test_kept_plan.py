"""The planner keeps what it worked out while nothing it depends on has moved; whatever moves —
a new fact (backdated or not), a retraction, a withdrawal, a reminder planned, the day — it
answers what a planner that keeps nothing answers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from adapters.read_models.outcome_status import outcomes
from domain.outcome import Outcome
from followup.commands.outcomes import OutcomeCommands
from followup.reminders import PlanReport, ReminderService
from notifications.policy import OwedOutcome
from tests.integration.reminders.conftest import NEXT_SUMMIT, SETUP, World, owe
from tests.integration.reminders.test_owed_today import from_views

MA = Outcome.create_id("gfmd", "ma-before-athens")
SE = Outcome.create_id("gfmd", "se-before-athens")


def as_compared(owed: list[OwedOutcome]) -> dict[object, tuple[object, ...]]:
    return {o.id: (o.code, o.status, o.due_on, o.responsible, o.status_details) for o in owed}


def assert_as_a_fresh_planner(world: World) -> PlanReport:
    kept = world.service.plan(dry_run=True)
    assert world.service.plan(dry_run=True) == kept  # asked again, nothing moved
    fresh = ReminderService(world.container, None)
    assert kept == fresh.plan(dry_run=True)
    assert as_compared(world.service.owed_today()) == as_compared(fresh.owed_today())
    assert as_compared(world.service.owed_today()) == from_views(world)
    return kept


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
