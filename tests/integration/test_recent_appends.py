"""A write's own events reach the read models and the workflow policy as they were saved (no
read of the log back), what another process appended in between is read from the log, and the
read models so kept equal a rebuild of them (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from adapters.clock import FixedClock
from adapters.read_models.outcome_tables import outcomes
from followup.authorization import Principal, Role
from followup.bootstrap import Container, bootstrap
from followup.commands.outcomes import OutcomeCommands
from followup.settings import Settings
from tests.integration.test_projections import snapshot

SECRETARIAT = Principal("sec", Role.SECRETARIAT, kind="user")


def outcome_ids(container: Container) -> list[UUID]:
    with container.engine.connect() as connection:
        return [UUID(i) for i in connection.execute(select(outcomes.c.id)).scalars()]


def log_reads(container: Container, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every read of the log, from now on (where it started): the projections' and the
    workflow policy's."""
    reads: list[int] = []
    reader = container.app._reader()
    read = reader.read
    select_notifications = container.app.recorder.select_notifications

    def counted(after: int, *args: Any, **kwargs: Any) -> Any:
        reads.append(after)
        return read(after, *args, **kwargs)

    def pulled(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("start") or args[0])
        return select_notifications(*args, **kwargs)

    monkeypatch.setattr(reader, "read", counted)
    monkeypatch.setattr(container.app.recorder, "select_notifications", pulled)
    return reads


def test_a_progress_report_is_projected_and_answered_without_reading_the_log(
    loaded: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = OutcomeCommands(loaded, SECRETARIAT)
    first, second = outcome_ids(loaded)[:2]
    commands.report_progress(first, "Warms the process up", None)
    reads = log_reads(loaded, monkeypatch)
    commands.report_progress(second, "Shown at once", None, percent_complete=40)
    assert reads == []
    with loaded.engine.connect() as connection:
        shown = connection.execute(
            select(outcomes.c.percent_complete).where(outcomes.c.id == str(second))
        ).scalar_one()
    assert shown == 40


def test_what_another_process_appended_in_between_is_read_from_the_log(
    loaded: Container, settings: Settings, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = outcome_ids(loaded)[:2]
    OutcomeCommands(loaded, SECRETARIAT).report_progress(first, "Here", None)
    other = bootstrap(settings, clock=clock)
    try:
        outcome = other.app.repository.get(second)
        outcome.report_progress(
            outcome.report_id("there"), "There", other.app.fact(clock.today(), "user:other"), 70
        )
        other.app.save(outcome)  # appended, not projected, by the other process
    finally:
        other.close()
    reads = log_reads(loaded, monkeypatch)
    OutcomeCommands(loaded, SECRETARIAT).report_progress(first, "Here again", None)
    assert reads  # the stretch held a position this process did not append
    with loaded.engine.connect() as connection:
        shown = connection.execute(
            select(outcomes.c.percent_complete).where(outcomes.c.id == str(second))
        ).scalar_one()
    assert shown == 70
    live = snapshot(loaded)
    loaded.runner.rebuild()
    assert snapshot(loaded) == live


def test_read_models_kept_from_saved_events_equal_a_rebuild(loaded: Container) -> None:
    commands = OutcomeCommands(loaded, SECRETARIAT)
    for number, outcome_id in enumerate(outcome_ids(loaded)[:12]):
        commands.report_progress(outcome_id, f"Report {number}", None, percent_complete=number)
    live = snapshot(loaded)
    loaded.runner.rebuild()
    assert snapshot(loaded) == live
