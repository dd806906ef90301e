"""Where each projection stands: the tracking rows, moved by compare-and-set.

Each batch moves its projections from the position it started at, in the batch's transaction:
two runners racing cannot both apply a batch (the loser's transaction rolls back whole).
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, insert, select, tuple_, update

from adapters.read_models.metadata import projection_tracking

#: built once: building a statement costs more than running it (SQLAlchemy's cache key)
ADVANCE = (
    update(projection_tracking)
    .where(
        tuple_(projection_tracking.c.projection, projection_tracking.c.position).in_(
            bindparam("pairs", expanding=True)
        )
    )
    .values(position=bindparam("end"))
)
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
    moved = connection.execute(ADVANCE, {"pairs": list(starts.items()), "end": end}).rowcount
    if moved != len(starts):
        raise ProjectionRaceError(", ".join(starts), min(starts.values()))


def has_row(connection: Connection, name: str) -> bool:
    found = connection.execute(
        select(projection_tracking.c.position).where(projection_tracking.c.projection == name)
    ).first()
    return found is not None
