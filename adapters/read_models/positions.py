"""Where each projection stands: the tracking rows, moved by compare-and-set.

Each batch moves its projections from the position it started at, in the batch's transaction:
two runners racing cannot both apply a batch (the loser's transaction rolls back whole).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Connection, insert, select, text

from adapters.read_models.metadata import projection_tracking
from adapters.read_models.on_the_driver import DriverStatement

POSITIONS = select(projection_tracking.c.projection, projection_tracking.c.position)


class ProjectionRaceError(RuntimeError):
    """Another runner advanced this projection first; the batch was rolled back."""

    def __init__(self, name: str, start: int) -> None:
        super().__init__(f"{name} moved past {start} meanwhile")
        self.start = start


def advance(connection: Connection, starts: dict[str, int], end: int) -> None:
    """Move every named projection from its start to ``end`` in one statement, or fail the
    batch if another runner moved one of them meanwhile (compare-and-set)."""
    first = [n for n, start in starts.items() if start == 0]
    for name in first:
        if not has_row(connection, name):
            connection.execute(insert(projection_tracking).values(projection=name, position=end))
            del starts[name]
    if not starts:
        return
    values: dict[str, object] = {"end": end}
    for number, (name, start) in enumerate(starts.items()):
        values[f"name{number}"], values[f"start{number}"] = name, start
    moved = advance_statement(len(starts)).execute(connection, values)
    if moved != len(starts):
        raise ProjectionRaceError(", ".join(starts), min(starts.values()))


@cache
def advance_statement(count: int) -> DriverStatement:
    """The compare-and-set of ``count`` projections, written once for each count: an
    expanding ``IN`` of pairs, as it was, is rendered again at every execution (SQLAlchemy's
    post-compile step), and moving the positions was a fifth of a write's projecting. Run by
    psycopg itself on PostgreSQL (``adapters.read_models.on_the_driver``)."""
    pairs = ", ".join(f"(:name{n}, :start{n})" for n in range(count))
    return DriverStatement(
        text(
            f"UPDATE {projection_tracking.name} SET position = :end "
            f"WHERE (projection, position) IN ({pairs})"
        )
    )


def has_row(connection: Connection, name: str) -> bool:
    found = connection.execute(
        select(projection_tracking.c.position).where(projection_tracking.c.projection == name)
    ).first()
    return found is not None
