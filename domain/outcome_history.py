"""An outcome as it was known on a given day: the fold of its events up to then."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.outcome import Outcome
from domain.outcome_record import OutcomeRecord


def fold_outcome(events: list[Any], on: date | None = None) -> OutcomeRecord | None:
    """The outcome as known from the events that had occurred by ``on`` (None: all of them).

    Events apply in the order they were recorded; a fact recorded late but dated before ``on``
    counts (today's knowledge of that day). Returns None when the outcome had not been adopted.
    """
    if not events or not isinstance(events[0], Outcome.Adopted):
        return None
    first = events[0]
    if on is not None and first.occurred_on > on:
        return None
    record = OutcomeRecord.adopted(first)
    rest = events[1:]
    if on is None:
        for event in rest:
            event.record_in(record)
    else:  # (the test per event only when there is a day: ~180 events on a long-followed page)
        for event in rest:
            if event.occurred_on <= on:
                event.record_in(record)
    if rest:  # every event counts in the version, applied or not (no ``record_in`` reads it)
        record.version = rest[-1].originator_version
    return record
