"""An aggregate's events for its history, from the process's decoded outcome events when they
hold the whole stream (no query), from the store otherwise."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from adapters.read_models.outcome_events import outcome_events
from followup.application import FollowupApplication


def history_of(app: FollowupApplication, outcome_id: UUID, head: int | None = None) -> list[Any]:
    """Every event of one aggregate, in order. An outcome's are taken from the process's
    decoded outcome events when they hold its whole stream: a caller that read the log's
    ``head`` (for its page's footer) passes it, and once the kept events have taken in the
    log up to it, they hold every event of the stream up to there without a query (they
    follow every kind of outcome event); otherwise its newest version in the store must be
    the last one kept."""
    kept = outcome_events(app)
    if head is not None:
        if kept.seen < head:
            kept.sync(head)
        stream = kept.stream(outcome_id)
        if stream is not None and kept.seen >= head:
            return list(stream.events)
        return app.events_of(outcome_id)
    newest = app.recorder.select_events(outcome_id, desc=True, limit=1)
    if not newest:
        return []
    version = newest[0].originator_version
    for attempt in range(2):  # the kept events may not have taken in the newest yet
        stream = kept.stream(outcome_id)
        if (
            stream is not None
            and stream.events[-1:]
            and stream.events[-1].originator_version == version
        ):
            return list(stream.events)
        if attempt == 0:
            kept.sync()
    return app.events_of(outcome_id)
