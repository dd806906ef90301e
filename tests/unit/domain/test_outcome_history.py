"""The fold of an outcome's events as of a day gives the record the former loop gave (kept
here as it stood): every kind of event, facts recorded late, before and after each one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.outcome import Outcome
from domain.outcome_history import fold_outcome
from domain.outcome_record import OutcomeRecord
from tests.factories import outcome_with_every_kind_of_event


def former_fold(events: list[Any], on: date | None = None) -> OutcomeRecord | None:
    """``fold_outcome`` as it stood."""
    if not events or not isinstance(events[0], Outcome.Adopted):
        return None
    first = events[0]
    if on is not None and first.occurred_on > on:
        return None
    record = OutcomeRecord.adopted(first)
    for event in events[1:]:
        if on is None or event.occurred_on <= on:
            event.record_in(record)
        record.version = event.originator_version
    return record


def test_the_fold_is_the_former_folds_record_on_every_day_of_every_event() -> None:
    every = outcome_with_every_kind_of_event()
    for outcome_id in dict.fromkeys(e.originator_id for e in every):
        events = [e for e in every if e.originator_id == outcome_id]
        days: list[date | None] = [None]
        for event in events:
            days += [event.occurred_on - timedelta(days=1), event.occurred_on]
        for day in days:
            assert fold_outcome(events, day) == former_fold(events, day), day
        for length in range(len(events) + 1):  # the adoption alone, and every prefix
            assert fold_outcome(events[:length]) == former_fold(events[:length])


def test_the_version_is_the_last_events_whatever_the_day() -> None:
    events = outcome_with_every_kind_of_event()
    first = [e for e in events if e.originator_id == events[0].originator_id]
    early = first[0].occurred_on
    record = fold_outcome(first, early)
    assert record is not None and record.version == first[-1].originator_version
    assert fold_outcome(first, early - timedelta(days=1)) is None
    assert fold_outcome([]) is None and fold_outcome(first[1:]) is None
