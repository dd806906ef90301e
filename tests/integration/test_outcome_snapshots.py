"""Outcomes are snapshotted as they are saved (on SQLite and on PostgreSQL): a load reads the
newest snapshot and the events after it, and gets the outcome replaying every event gets; only
the newest snapshot is kept; one of another shape is ignored and replaced; the event chain holds
across saves made after a snapshot load."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from adapters import outcome_snapshots
from adapters.aggregate_repository import AggregateRepository, replay
from adapters.clock import FixedClock
from adapters.event_chain import verify
from adapters.outcome_snapshots import SNAPSHOT_EVERY
from domain.outcome import Outcome
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings
from tests.factories import adopted_outcome, fact, forum_with_summits


@pytest.fixture
def container(container: Container) -> Container:
    """Loads from the store: nothing kept in memory (``test_kept_outcomes`` covers those)."""
    container.app.keep_outcomes(0)
    return container


def report(container: Container, outcome_id: UUID, times: int, start: int = 0) -> Outcome:
    """``times`` progress reports, each loaded and saved as a command does."""
    app = container.app
    outcome: Outcome = app.repository.get(outcome_id)
    for number in range(start, start + times):
        outcome = app.repository.get(outcome_id)
        day = date(2009, 1 + number % 12, 1 + number % 28)
        outcome.report_progress(outcome.report_id(str(number)), f"report {number}", fact(day))
        app.save(outcome)
    return outcome


def adopted(container: Container) -> Outcome:
    outcome = adopted_outcome("snapshotted")
    container.app.save(forum_with_summits(), outcome)
    return outcome


def replays(container: Container) -> list[int]:
    """How many events each load replays after its snapshot, from now on."""
    counts: list[int] = []
    repository = container.app.repository
    assert isinstance(repository, AggregateRepository)
    noted = repository.on_replayed
    assert noted is not None

    def counting(event: Any, replayed: int) -> None:
        counts.append(replayed)
        noted(event, replayed)

    repository.on_replayed = counting
    return counts


def snapshot_versions(container: Container, outcome_id: UUID) -> list[int]:
    assert container.app.snapshots is not None
    stored = container.app.snapshots.recorder.select_events(outcome_id)
    return [s.originator_version for s in stored]


def test_a_load_starts_from_the_newest_snapshot_and_equals_a_full_replay(
    container: Container,
) -> None:
    outcome = adopted(container)
    saved = report(container, outcome.id, SNAPSHOT_EVERY + 5)
    assert snapshot_versions(container, outcome.id) == [SNAPSHOT_EVERY]
    counts = replays(container)
    loaded: Outcome = container.app.repository.get(outcome.id)
    assert counts == [saved.version - SNAPSHOT_EVERY]
    every_event = replay(None, container.app.events_of(outcome.id))
    assert loaded.version == every_event.version == saved.version
    assert loaded.record == every_event.record == saved.record
    assert loaded.created_on == every_event.created_on
    assert loaded.modified_on == every_event.modified_on


def test_only_the_newest_snapshot_of_an_outcome_is_kept(container: Container) -> None:
    outcome = adopted(container)
    report(container, outcome.id, 2 * SNAPSHOT_EVERY + 1)
    assert snapshot_versions(container, outcome.id) == [2 * SNAPSHOT_EVERY]


def test_a_snapshot_of_another_shape_is_ignored_then_replaced(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = adopted(container)
    report(container, outcome.id, SNAPSHOT_EVERY)
    monkeypatch.setattr(outcome_snapshots, "SHAPE", "the record's next shape")
    counts = replays(container)
    loaded: Outcome = container.app.repository.get(outcome.id)
    assert counts == [loaded.version]  # every event, as if there were no snapshot
    assert loaded.record == replay(None, container.app.events_of(outcome.id)).record
    report(container, outcome.id, 1, start=100)  # the long replay is snapshotted at its save
    assert snapshot_versions(container, outcome.id) == [loaded.version + 1]
    counts.clear()
    container.app.repository.get(outcome.id)
    assert counts == [0]


def test_saves_after_a_snapshot_load_keep_the_event_chain(
    container: Container, settings: Settings, clock: FixedClock
) -> None:
    outcome = adopted(container)
    report(container, outcome.id, SNAPSHOT_EVERY - 1)
    later = bootstrap(settings, clock=clock)  # another process: it knows no chain head
    try:
        counts = replays(later)
        report(later, outcome.id, 3, start=50)
        assert counts[0] == 0  # loaded from the snapshot alone: the chain hash came with it
        log = later.app.recorder.select_notifications(start=None, limit=10_000)
        assert list(verify(log)) == []
    finally:
        later.close()
