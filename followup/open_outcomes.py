"""A serving process starts with the outcomes still owed in memory: those are the ones written to.

Writes load the outcome they change; kept in memory (``adapters.kept_outcomes``), a load is one
read of the events after the kept version instead of the snapshot and the events after it,
fetched and decoded. The open outcomes (not started, in progress, due soon, overdue) are loaded
once at start-up, before the process answers, at most as many as it keeps.
"""

from __future__ import annotations

import logging
import time
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy import select

from adapters.read_models.outcome_tables import outcomes
from followup.bootstrap import Container
from followup.queries import OPEN_STATUSES

log = logging.getLogger(__name__)

OPEN_IDS = (
    select(outcomes.c.id)
    .where(outcomes.c.status.in_(sorted(OPEN_STATUSES)))
    .order_by(outcomes.c.id)
)


def keep_open_outcomes(container: Container) -> int:
    """Load every open outcome into the kept ones (as many as are kept); how many were."""
    kept = container.app.kept_outcomes
    if kept is None:
        return 0
    started = time.monotonic()
    with container.engine.connect() as connection:
        ids = list(connection.execute(OPEN_IDS.limit(kept.limit)).scalars())
    loaded = 0
    for text in ids:
        outcome_id = UUID(str(text))
        if outcome_id in kept:
            continue
        try:
            container.app.repository.get(outcome_id)
        except AggregateNotFoundError:  # a read model ahead of a restored store: skipped
            log.warning("open outcome %s is not in the event store", outcome_id)
            continue
        loaded += 1
    log.info("kept %d open outcomes in memory in %.1f s", loaded, time.monotonic() - started)
    return loaded
