"""Tracking positions move by compare-and-set, several projections in one statement."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from adapters.read_models.metadata import projection_tracking
from adapters.read_models.positions import ProjectionRaceError, advance
from followup.bootstrap import Container


def positions(container: Container) -> dict[str, int]:
    with container.engine.connect() as connection:
        rows = connection.execute(select(projection_tracking)).all()
    return {row.projection: row.position for row in rows if row.projection.startswith("test_")}


def test_every_projection_moves_from_its_own_start_in_one_go(container: Container) -> None:
    with container.engine.begin() as connection:
        advance(connection, {"test_a": 0, "test_b": 0}, 5)  # first moves create the rows
        advance(connection, {"test_a": 5, "test_b": 5}, 9)
        connection.execute(insert(projection_tracking).values(projection="test_c", position=2))
        advance(connection, {"test_a": 9, "test_b": 9, "test_c": 2}, 12)
    assert positions(container) == {"test_a": 12, "test_b": 12, "test_c": 12}


def test_a_projection_moved_meanwhile_fails_the_whole_batch(container: Container) -> None:
    with container.engine.begin() as connection:
        advance(connection, {"test_a": 0, "test_b": 0}, 5)
    with pytest.raises(ProjectionRaceError), container.engine.begin() as connection:
        advance(connection, {"test_a": 5, "test_b": 4}, 9)  # test_b is not at 4 any more
    assert positions(container) == {"test_a": 5, "test_b": 5}
