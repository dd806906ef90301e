"""The wiring's promises about durability: the event store commits durably, the read models
(rebuilt from it) may commit without waiting for the disk, and what such a commit loses in a
crash is projected again from the log."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

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
