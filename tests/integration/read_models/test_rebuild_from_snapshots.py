"""A rebuild starts each outcome from its newest snapshot (on SQLite and on PostgreSQL): the
events the snapshot holds are read but not decoded, and the read models are exactly those a
replay of every event gives, in one batch or many, whatever the snapshot missed (a milestone's
planning position, an outcome without events after its snapshot, one without a snapshot, a
snapshot of another shape)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from adapters import outcome_snapshots
from adapters.outcome_snapshots import SNAPSHOT_EVERY
from domain.deadlines import Deadline, DeadlineKind
from domain.milestones import MilestoneKind
from domain.outcome import Outcome
from domain.outcome_record import Role
from followup.bootstrap import Container
from tests.factories import adopted_outcome, fact, forum_with_summits
from tests.integration.test_projections import snapshot


def reported(container: Container, outcome: Outcome, times: int, start: int = 0) -> Outcome:
    """``times`` progress reports, each loaded and saved as a command does (snapshots taken
    as in service), every seventh retracted."""
    app = container.app
    for number in range(start, start + times):
        outcome = app.repository.get(outcome.id)
        day = date(2009, 1 + number % 12, 1 + number % 28)
        report = outcome.report_id(str(number))
        outcome.report_progress(report, f"report {number}", fact(day), number % 101)
        if number % 7 == 6:
            outcome.retract_progress(report, "duplicate", fact(day))
        app.save(outcome)
    return app.repository.get(outcome.id)


@pytest.fixture
def history(container: Container) -> dict[str, Outcome]:
    """Outcomes with a snapshot and events after it, one whose last event is its snapshot's,
    one never snapshotted; milestones planned before and after the snapshots."""
    app = container.app
    planned = adopted_outcome("planned-early")
    planned.assign_responsibility("PH", Role.LEAD, fact(date(2008, 11, 1)))
    planned.plan_milestone("m1", MilestoneKind.CUSTOM, "first", fact(date(2008, 12, 1)))
    quiet = adopted_outcome("quiet-after-snapshot")
    quiet.set_deadline(
        Deadline(DeadlineKind.DATE, date(2008, 10, 30), due_on=date(2010, 6, 30)),
        fact(date(2008, 11, 1)),
    )
    fresh = adopted_outcome("never-snapshotted")
    app.save(forum_with_summits(), planned, quiet, fresh)
    planned = reported(container, planned, SNAPSHOT_EVERY + 8)
    planned.plan_milestone("m2", MilestoneKind.CUSTOM, "second", fact(date(2010, 1, 1)))
    planned.assign_responsibility("GR", Role.SUPPORT, fact(date(2010, 1, 2)))
    app.save(planned)
    quiet = reported(container, quiet, 42)  # 42 reports, 6 retracted: to version 50
    assert quiet.version == 2 * SNAPSHOT_EVERY  # its newest snapshot holds every event
    fresh = reported(container, fresh, 3)
    container.runner.catch_up()
    return {"planned": planned, "quiet": quiet, "fresh": fresh}


def decoded_per_stream(container: Container) -> Counter[UUID]:
    """Counts, from now on, the events the log reader decodes, per stream."""
    reader = container.app._reader()
    counts: Counter[UUID] = Counter()
    original = reader.decode

    def counting(row: Any) -> Any:
        event = original(row)
        counts[event.originator_id] += 1
        return event

    reader.decode = counting  # type: ignore[method-assign]
    return counts


def test_a_rebuild_from_snapshots_decodes_only_what_follows_them_and_equals_a_replay(
    container: Container, history: dict[str, Outcome]
) -> None:
    live = snapshot(container)
    container.runner.rebuild(from_snapshots=False)
    assert snapshot(container) == live
    decoded = decoded_per_stream(container)
    container.runner.rebuild()
    assert snapshot(container) == live
    planned, quiet, fresh = history["planned"], history["quiet"], history["fresh"]
    # after the snapshot at 25: the reports to version 37 (retractions included), the
    # second milestone and responsibility; and the first milestone's planning (its position)
    assert decoded[planned.id] == planned.version - SNAPSHOT_EVERY + 1
    assert decoded[quiet.id] == 0
    assert decoded[fresh.id] == fresh.version
    # the records the rebuild started from snapshots take the next writes in as ever
    reported(container, planned, 1, start=100)
    reported(container, quiet, 1, start=100)
    container.runner.catch_up()
    after_writes = snapshot(container)
    assert after_writes != live
    container.runner.rebuild(from_snapshots=False)
    assert snapshot(container) == after_writes


def test_a_rebuild_from_snapshots_in_many_batches_gives_the_rows_of_one(
    container: Container, history: dict[str, Outcome]
) -> None:
    runner = container.runner
    runner.rebuild(from_snapshots=False)
    live = snapshot(container)
    for size in (5, 17, 1_000_000):
        runner.rebuild_batch_size = size
        runner.rebuild()
        assert snapshot(container) == live, size
        assert runner.positions()["outcome_status"] == container.app.head_position()


def test_snapshots_of_another_shape_are_not_used_by_a_rebuild(
    container: Container, history: dict[str, Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    live = snapshot(container)
    monkeypatch.setattr(outcome_snapshots, "SHAPE", "the record's next shape")
    assert container.app.snapshotted_records() == []
    decoded = decoded_per_stream(container)
    container.runner.rebuild()
    assert snapshot(container) == live
    assert decoded[history["quiet"].id] == history["quiet"].version


def test_a_rebuild_of_other_read_models_seeds_nothing(
    container: Container, history: dict[str, Outcome]
) -> None:
    live = snapshot(container)
    container.runner.rebuild(["working_groups", "timeline"])
    assert container.runner.projection("outcome_status").seeds is None
    assert snapshot(container) == live


def snapshot_table(container: Container) -> str:
    """The name of the table the outcome snapshots are stored in."""
    snapshots = container.app.snapshots
    assert snapshots is not None
    return str(snapshots.recorder.events_table_name)  # type: ignore[attr-defined]


def test_an_unreadable_snapshot_makes_a_rebuild_replay_its_outcome(
    container: Container, history: dict[str, Outcome], caplog: pytest.LogCaptureFixture
) -> None:
    live = snapshot(container)
    table = snapshot_table(container)
    quiet, planned = history["quiet"], history["planned"]
    with container.engine.begin() as connection:
        connection.exec_driver_sql(
            f"UPDATE {table} SET state = 'not JSON' WHERE originator_version = {quiet.version}"
        )
    decoded = decoded_per_stream(container)
    container.runner.rebuild()
    assert snapshot(container) == live
    assert decoded[quiet.id] == quiet.version
    assert decoded[planned.id] == planned.version - SNAPSHOT_EVERY + 1  # its snapshot still used
    assert "1 outcome snapshots unreadable: those outcomes replay their events" in caplog.text


def test_snapshots_that_cannot_be_read_at_all_make_a_rebuild_replay_every_event(
    container: Container, history: dict[str, Outcome], caplog: pytest.LogCaptureFixture
) -> None:
    live = snapshot(container)
    table = snapshot_table(container)
    with container.engine.begin() as connection:
        connection.exec_driver_sql(f"ALTER TABLE {table} RENAME COLUMN state TO lost")
    decoded = decoded_per_stream(container)
    container.runner.rebuild()
    assert snapshot(container) == live
    assert decoded[history["planned"].id] == history["planned"].version
    assert "outcome_status: snapshots unreadable, replaying every event" in caplog.text
