"""A rebuild refills the timeline without its indexes and builds them once it is full; they are
back after a failed rebuild too, and the next start builds any that a killed one left out."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, Engine, inspect

from adapters.read_models.timeline import timeline
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings
from tests.integration.test_projections import snapshot

INDEXES = {"ix_timeline_aggregate_id", "ix_timeline_occurred_on"}


def indexes(engine_or_connection: Engine | Connection) -> set[str]:
    return {str(index["name"]) for index in inspect(engine_or_connection).get_indexes("timeline")}


def watch_timeline(container: Container, seen: list[set[str]], fail_at: int = 0) -> None:
    """Note the timeline's indexes as each batch writes (and fail the ``fail_at``-th batch)."""
    projection = container.runner.projection("timeline")
    original = projection.end_batch

    def watched(connection: Connection, source: Any) -> None:
        seen.append(indexes(connection))
        if len(seen) == fail_at:
            raise RuntimeError("the disk is full")
        original(connection, source)

    projection.end_batch = watched  # type: ignore[method-assign]


def test_a_rebuild_fills_the_timeline_without_its_indexes_then_builds_them(
    loaded: Container,
) -> None:
    live = snapshot(loaded)
    assert indexes(loaded.engine) == INDEXES
    seen: list[set[str]] = []
    watch_timeline(loaded, seen)
    loaded.runner.rebuild_batch_size = 50
    loaded.runner.rebuild()
    assert len(seen) >= 3 and all(not found for found in seen)
    assert indexes(loaded.engine) == INDEXES
    assert snapshot(loaded) == live


def test_a_failed_rebuild_builds_the_indexes_all_the_same(loaded: Container) -> None:
    seen: list[set[str]] = []
    watch_timeline(loaded, seen, fail_at=2)
    loaded.runner.rebuild_batch_size = 50
    with pytest.raises(RuntimeError, match="disk is full"):
        loaded.runner.rebuild()
    assert seen == [set(), set()]
    assert indexes(loaded.engine) == INDEXES


def test_the_next_start_builds_the_indexes_a_killed_rebuild_left_out(
    loaded: Container, settings: Settings
) -> None:
    with loaded.engine.begin() as connection:
        for index in timeline.indexes:
            index.drop(connection)
    assert indexes(loaded.engine) == set()
    again = bootstrap(settings, loaded.clock)
    try:
        assert indexes(again.engine) == INDEXES
    finally:
        again.close()
