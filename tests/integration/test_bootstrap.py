"""The wiring's promises about durability: the event store commits durably, the read models
(rebuilt from it) may commit without waiting for the disk, and what such a commit loses in a
crash is projected again from the log."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Connection, event, select

from adapters.read_models.metadata import metadata
from adapters.read_models.outcome_status import outcomes
from followup.authorization import Principal, Role
from followup.bootstrap import Container, bootstrap
from followup.commands.outcomes import OutcomeCommands
from followup.settings import Settings
from tests.factories import adopted_outcome, forum_with_summits


def rows(container: Container) -> dict[str, list[tuple[str, ...]]]:
    with container.engine.connect() as connection:
        return {
            table.name: sorted(tuple(map(str, row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def test_a_write_projects_in_transactions_that_do_not_wait_for_the_disk_on_postgres(
    loaded: Container,
) -> None:
    """What each read-model commit of a progress report runs under: ``off`` on PostgreSQL,
    while the read-model database's other writers (tokens, idempotency keys) stay durable."""
    postgres = loaded.engine.dialect.name == "postgresql"
    seen: list[str] = []

    def note(connection: Connection) -> None:
        if postgres:
            seen.append(str(connection.exec_driver_sql("SHOW synchronous_commit").scalar()))
        else:
            seen.append("sqlite")

    commands = OutcomeCommands(loaded, Principal("sec", Role.SECRETARIAT, kind="user"))
    with loaded.engine.connect() as connection:
        outcome_id = UUID(connection.execute(select(outcomes.c.id).limit(1)).scalar_one())
    event.listen(loaded.runner.engine, "commit", note)
    try:
        commands.report_progress(outcome_id, "Projected without a second fsync", date(2009, 3, 1))
    finally:
        event.remove(loaded.runner.engine, "commit", note)
    assert seen and set(seen) == ({"off"} if postgres else {"sqlite"})
    if postgres:
        with loaded.engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
    else:
        assert loaded.runner.engine is loaded.engine


def test_events_whose_read_model_commit_was_lost_are_projected_at_the_next_start(
    settings: Settings, container: Container, clock: Any
) -> None:
    """A crash that loses the read models' last commits leaves the events stored and the
    tracked positions before them: the next process's settle applies them again, and the read
    models end as a rebuild from the log makes them."""
    container.app.save(forum_with_summits(), adopted_outcome("projected"))
    container.settle()
    projected = container.runner.positions()
    container.app.save(adopted_outcome("lost-in-the-crash"))  # stored; its projection lost
    assert container.runner.positions() == projected
    container.close()
    restarted = bootstrap(settings, clock=clock)
    try:
        restarted.settle()
        head = restarted.app.head_position()
        assert set(restarted.runner.positions().values()) == {head}
        with restarted.engine.connect() as connection:
            codes = set(connection.execute(select(outcomes.c.code)).scalars())
        assert codes == {"projected", "lost-in-the-crash"}
        live = rows(restarted)
        restarted.runner.rebuild()
        assert rows(restarted) == live
    finally:
        restarted.close()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_write_copies_its_events_into_the_timeline_on_a_plan_made_once_on_postgres(
    loaded: Container,
) -> None:
    """The copy of a progress report into the timeline is planned once per connection of the
    projections, not at every write; the pages' connections keep PostgreSQL's own choice."""
    commands = OutcomeCommands(loaded, Principal("sec", Role.SECRETARIAT, kind="user"))
    with loaded.engine.connect() as connection:
        ids = [UUID(i) for i in connection.execute(select(outcomes.c.id).limit(8)).scalars()]
    for number, outcome_id in enumerate(ids * 2):  # past psycopg's 5 runs before preparing
        commands.report_progress(outcome_id, f"Report {number}", None)
    with loaded.runner.engine.connect() as connection:
        plans = connection.exec_driver_sql(
            "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
            " FROM pg_prepared_statements WHERE statement LIKE '%%INSERT INTO timeline%%'"
        ).one()
        assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_generic_plan"
    assert plans[0] > 0 and plans[1] == 0, plans
    with loaded.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar() == "auto"
