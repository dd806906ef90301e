"""The outcome-status projection holds its writes back over the batches of a backlog (a rebuild,
a catch-up after an outage) and writes once, in the last: the rows are those batch-by-batch
projecting gives, and its tracked position never claims rows that were not written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from adapters.read_models.outcome_status import outcomes
from domain.forum import Forum
from domain.outcome_record import Role
from followup.bootstrap import Container
from followup.importing.importer import Importer
from tests.factories import adopted_outcome, fact, forum_with_summits, next_summit
from tests.integration.test_projections import snapshot


@pytest.fixture
def imported(container: Container, reference_text: str) -> Container:
    """The reference history stored and not yet projected."""
    assert Importer(container.app, "import:reference-history.yaml").run(reference_text).ok
    return container


def project_in_one_batch(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    """The read models as one batch of the whole log gives them (nothing held back)."""
    runner = container.runner
    runner.batch_size = runner.rebuild_batch_size = 1_000_000
    runner.rebuild()
    return snapshot(container)


def test_a_rebuild_in_many_batches_gives_the_rows_of_one(imported: Container) -> None:
    runner = imported.runner
    whole = project_in_one_batch(imported)
    runner.rebuild_batch_size = 9
    held: list[bool] = []
    status = runner.projection("outcome_status")
    original = status.prepare

    def watched(*args: Any) -> None:
        held.append(status.holding)
        original(*args)

    status.prepare = watched  # type: ignore[method-assign]
    runner.rebuild()
    assert held.count(True) >= 5 and held[-1] is False  # held back, then written at the end
    assert snapshot(imported) == whole
    assert runner.positions()["outcome_status"] == imported.app.head_position()


def fail_at(projection: Any, hook: str, call: int) -> Callable[[], None]:
    """Make ``projection.hook`` raise on its ``call``-th call; returns what undoes it."""
    original, calls = getattr(projection, hook), []

    def failing(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == call:
            raise RuntimeError("the disk is full")
        return original(*args)

    setattr(projection, hook, failing)
    return lambda: setattr(projection, hook, original)


def test_a_failed_rebuild_leaves_the_position_where_the_rows_are(imported: Container) -> None:
    """Fails after many held batches: the outcome-status position stays at 0 with no rows (the
    timeline, refilled alongside, is whole), and the next catch-up finishes it exactly once."""
    runner = imported.runner
    whole = project_in_one_batch(imported)
    runner.rebuild_batch_size = 9
    restore = fail_at(runner.projection("outcome_status"), "prepare", 5)
    with pytest.raises(RuntimeError):
        runner.rebuild()
    restore()
    positions = runner.positions()
    assert positions["outcome_status"] == 0 and runner.left_at("outcome_status") == 0
    assert positions["timeline"] == imported.app.head_position()
    assert snapshot(imported)["outcomes"] == []
    runner.catch_up()
    assert snapshot(imported) == whole


def test_a_failed_copy_leaves_the_timeline_where_its_rows_are(imported: Container) -> None:
    """The timeline's copy fails in its twelfth batch: the rebuild fails, the decoded read
    models are whole, the timeline's position is at its last copied row, and the next
    catch-up copies the rest exactly once."""
    runner = imported.runner
    whole = project_in_one_batch(imported)
    runner.rebuild_batch_size = 9
    restore = fail_at(runner.projection("timeline"), "copy_from_log", 12)
    with pytest.raises(RuntimeError):
        runner.rebuild()
    restore()
    positions = runner.positions()
    assert positions["timeline"] == 11 * 9 and len(snapshot(imported)["timeline"]) == 11 * 9
    assert positions["outcome_status"] == imported.app.head_position()
    runner.catch_up()
    assert snapshot(imported) == whole


def test_a_backlog_moves_the_deadlines_anchored_to_a_rescheduled_meeting(
    container: Container,
) -> None:
    """The calendar moves in a held batch; the anchored outcome has no event after it: its row
    is still recomputed when the backlog's last batch writes."""
    forum = forum_with_summits()
    anchored = adopted_outcome()
    anchored.set_deadline(next_summit(), fact(date(2008, 10, 30)))
    container.app.save(forum, anchored)
    container.runner.catch_up()
    for number in range(30):  # a backlog of other outcomes, the reschedule in its middle
        other = adopted_outcome(f"other-{number}")
        other.assign_responsibility("GR", Role.LEAD, fact(date(2009, 9, 2)))
        container.app.save(other)
        if number == 10:
            forum = container.app.repository.get(forum.id)
            assert isinstance(forum, Forum)
            meeting = forum.meeting_id("summit-2009-athens")
            forum.reschedule_meeting(meeting, date(2009, 12, 15), fact(date(2009, 9, 1)))
            container.app.save(forum)
    container.runner.batch_size, container.runner.rebuild_batch_size = 2, 5
    container.runner.catch_up()
    with container.engine.connect() as connection:
        due = connection.execute(
            select(outcomes.c.due_on).where(outcomes.c.id == str(anchored.id))
        ).scalar_one()
    assert due == date(2009, 12, 15)
    caught_up = snapshot(container)
    assert len(caught_up["outcome_responsibilities"]) == 30
    assert project_in_one_batch(container) == caught_up
