"""Read models on both backends: caught up exactly once, rebuilt equal, following the calendar."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select, update

from adapters.read_models.metadata import metadata, projection_tracking
from adapters.read_models.outcome_status import outcomes
from adapters.read_models.runner import ProjectionRaceError
from domain.forum import Forum
from followup.bootstrap import Container
from followup.queries import OutcomeQueries
from tests.factories import adopted_outcome, fact, forum_with_summits, next_summit


def snapshot(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table's rows, sorted, for comparison."""
    with container.engine.connect() as connection:
        return {
            table.name: sorted(tuple(map(str, row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def test_rebuilt_read_models_equal_the_live_ones(loaded: Container) -> None:
    live = snapshot(loaded)
    assert len(live["outcomes"]) == 30 and len(live["timeline"]) == loaded.app.head_position()
    loaded.runner.rebuild()
    assert snapshot(loaded) == live


def test_catching_up_twice_applies_each_event_once(loaded: Container) -> None:
    before = snapshot(loaded)
    assert loaded.runner.catch_up() == 0
    assert snapshot(loaded) == before


def test_a_runner_that_lost_the_race_rolls_its_batch_back(container: Container) -> None:
    container.app.save(forum_with_summits())
    runner = container.runner
    timeline = runner.projection("timeline")
    runner._run_batch([timeline], container.app.head_position())  # creates the tracking row
    container.app.save(adopted_outcome())
    position = runner.position("timeline")
    with container.engine.begin() as connection:  # another runner moves on meanwhile
        connection.execute(
            update(projection_tracking)
            .where(projection_tracking.c.projection == "timeline")
            .values(position=position + 1000)
        )
    with pytest.raises(ProjectionRaceError):
        # it starts where it left off: the compare-and-set decides
        runner._run_batch([timeline], container.app.head_position())
    with container.engine.connect() as connection:
        rows = connection.execute(select(metadata.tables["timeline"])).all()
    assert len(rows) == container.app.head_position() - 1  # the outcome's event was rolled back


def test_rescheduling_the_summit_moves_anchored_deadlines_in_the_read_model(
    container: Container,
) -> None:
    forum = forum_with_summits()
    outcome = adopted_outcome()
    outcome.set_deadline(next_summit(), fact(date(2008, 10, 30)))
    container.app.save(forum, outcome)
    container.runner.catch_up()
    forum = container.app.repository.get(forum.id)
    assert isinstance(forum, Forum)
    forum.reschedule_meeting(
        forum.meeting_id("summit-2009-athens"), date(2009, 12, 15), fact(date(2009, 9, 1))
    )
    container.app.save(forum)
    container.runner.catch_up()
    with container.engine.connect() as connection:
        due = connection.execute(select(outcomes.c.due_on)).scalar_one()
    assert due == date(2009, 12, 15)


def test_statuses_move_with_the_days_without_new_events(container: Container) -> None:
    container.clock.move_to(datetime(2009, 5, 1, tzinfo=UTC))  # type: ignore[attr-defined]
    forum = forum_with_summits()
    outcome = adopted_outcome()
    outcome.set_deadline(next_summit(), fact(date(2008, 10, 30)))
    container.app.save(forum, outcome)
    container.runner.catch_up()
    queries = OutcomeQueries(container)
    [view], _ = queries.list_current(_no_filter())
    assert view.status == "not_started"
    container.clock.move_to(datetime(2009, 10, 20, tzinfo=UTC))  # type: ignore[attr-defined]
    [view], _ = queries.list_current(_no_filter())
    assert view.status == "due_soon"
    container.clock.move_to(datetime(2009, 11, 5, tzinfo=UTC))  # type: ignore[attr-defined]
    [view], _ = queries.list_current(_no_filter())
    assert view.status == "overdue"


def _no_filter() -> Any:
    from followup.queries import OutcomeFilter

    return OutcomeFilter()


def test_lag_counts_only_the_events_a_projection_reads(loaded: Container) -> None:
    assert set(loaded.runner.lag().values()) == {0}
    loaded.app.save(adopted_outcome("new-outcome"))
    lag = loaded.runner.lag()
    assert lag["outcome_status"] == 1 and lag["survey_runs"] == 0


def test_records_offered_by_commands_give_the_rows_a_rebuild_gives(loaded: Container) -> None:
    """A command hands the record it folded to the outcome-status projection (no second fold
    from the store); the rows must be exactly those a fold of the stored events gives."""
    from domain.outcome_history import fold_outcome
    from domain.outcome_record import Role
    from followup.authorization import Principal
    from followup.authorization import Role as Access
    from followup.commands.outcomes import OutcomeCommands

    commands = OutcomeCommands(loaded, Principal("sec", Access.SECRETARIAT, kind="user"))
    with loaded.engine.connect() as connection:
        ids = [row.id for row in connection.execute(select(outcomes.c.id).limit(4))]
    first, second, third, fourth = (UUID(i) for i in ids)
    report = commands.report_progress(first, "Drafted", date(2009, 3, 1), 40)
    commands.report_progress(first, "Circulated", date(2009, 4, 1), 60)
    assert report.created_id is not None
    commands.retract_progress(first, report.created_id, "Wrong outcome", date(2009, 4, 2))
    commands.assign_responsibility(second, "MX", Role.LEAD, date(2009, 2, 1))
    commands.complete(third, "Done", ["https://example.org/report"], date(2009, 5, 1))
    commands.withdraw(fourth, "Overtaken by events", date(2009, 6, 1))
    for outcome_id in (first, second, third, fourth):
        aggregate = loaded.app.repository.get(outcome_id)
        assert aggregate.record == fold_outcome(loaded.app.events_of(outcome_id))
    live = snapshot(loaded)
    loaded.runner.rebuild()
    assert snapshot(loaded) == live


def test_a_rebuild_gives_the_garbage_collector_back_as_it_found_it(loaded: Container) -> None:
    """A rebuild pauses automatic collection while it runs: afterwards (even after a failure)
    collection is on again, or stays off where the process had switched it off itself."""
    import gc

    assert gc.isenabled()
    loaded.runner.rebuild()
    assert gc.isenabled()
    broken = loaded.runner.projection("timeline")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(broken, "end_batch", _fail)
        with pytest.raises(RuntimeError):
            loaded.runner.rebuild()
    assert gc.isenabled()
    gc.disable()
    try:
        loaded.runner.rebuild()
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert snapshot(loaded)["timeline"]


def _fail(*_args: Any) -> None:
    raise RuntimeError("the read model could not be written")


def test_a_backlog_is_caught_up_in_rebuild_sized_batches(
    container: Container, reference_text: str
) -> None:
    """A catch-up whose first batch comes back full reads the rest in rebuild-sized batches
    (with collection paused): the rows are those a rebuild gives, every event applied once."""
    import gc

    from followup.importing.importer import Importer

    assert Importer(container.app, "import:reference-history.yaml").run(reference_text).ok
    runner = container.runner
    runner.batch_size, runner.rebuild_batch_size = 7, 40
    head = container.app.head_position()
    reached: list[int] = []
    runner.catch_up(
        progress=lambda name, at, _head: reached.append(at) if name == "timeline" else None
    )
    assert reached[0] == 7 and reached[-1] == head
    assert all(later - earlier <= 40 for earlier, later in itertools.pairwise(reached))
    assert any(later - earlier > 7 for earlier, later in itertools.pairwise(reached))
    assert gc.isenabled()
    caught_up = snapshot(container)
    assert len(caught_up["timeline"]) == head
    runner.rebuild()
    assert snapshot(container) == caught_up


def test_plan_and_responsibility_rows_follow_every_change_among_progress_reports(
    loaded: Container,
) -> None:
    """Progress reports leave an outcome's milestone and responsibility rows unread and as
    they were; every other change among them (alone, or in one batch with reports) shows."""
    from adapters.read_models.outcome_tables import responsibilities
    from domain.outcome import Outcome
    from domain.outcome_record import MilestoneKind, Role
    from followup.authorization import Principal
    from followup.authorization import Role as Access
    from followup.commands.outcomes import OutcomeCommands
    from followup.commands.plans import PlanCommands

    secretariat = Principal("sec", Access.SECRETARIAT, kind="user")
    commands, plans = OutcomeCommands(loaded, secretariat), PlanCommands(loaded, secretariat)
    with loaded.engine.connect() as connection:
        [first] = [UUID(i) for i in connection.execute(select(outcomes.c.id).limit(1)).scalars()]
        held = select(responsibilities.c.outcome_id).where(
            responsibilities.c.outcome_id != str(first)
        )
        [second] = [UUID(i) for i in connection.execute(held.limit(1)).scalars()]
    commands.report_progress(first, "Drafted", date(2009, 3, 1))
    commands.assign_responsibility(first, "MX", Role.LEAD, date(2009, 3, 2))
    commands.report_progress(first, "Circulated", date(2009, 3, 3))
    planned = plans.plan_milestone(first, MilestoneKind.CUSTOM, "Publish", date(2009, 3, 4))
    commands.report_progress(first, "Published", date(2009, 3, 5), milestone_id=planned.created_id)
    outcome = loaded.app.repository.get(second)
    assert isinstance(outcome, Outcome)
    [state, *_] = sorted(outcome.record.responsible)
    outcome.report_progress(outcome.report_id("mixed"), "Drafted", fact(date(2009, 3, 6)))
    outcome.release_responsibility(state, fact(date(2009, 3, 6)))
    loaded.app.save(outcome)  # one batch: a report and a change of who is responsible
    loaded.settle()
    live = snapshot(loaded)
    assert (str(first), "MX", "lead") in live["outcome_responsibilities"]
    assert not [r for r in live["outcome_responsibilities"] if r[:2] == (str(second), state)]
    [milestone] = [r for r in live["outcome_milestones"] if r[0] == str(planned.created_id)]
    assert milestone[9] == "True"  # reached by the workflow policy's answer to the report
    loaded.runner.rebuild()
    assert snapshot(loaded) == live


def test_a_writer_whose_event_another_settle_projected_returns_at_once(
    container: Container,
) -> None:
    """Concurrent writers settle once: the catch-up reads as far as the log goes, past the
    position it was asked for, and a writer whose event it projected finds it settled."""
    container.app.save(forum_with_summits())
    container.settle()
    first, second = adopted_outcome("first"), adopted_outcome("second")
    [at_first] = [r.notification.id for r in container.app.save(first)]
    [at_second] = [r.notification.id for r in container.app.save(second)]
    container.settle(at_first)  # as the first writer would: its own position
    with container.engine.connect() as connection:
        rows = connection.execute(select(outcomes.c.code).order_by(outcomes.c.code)).scalars()
        assert list(rows) == ["first", "second"]
    assert container.settled_up_to >= at_second  # the second writer returns at once
