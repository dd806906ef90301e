"""An outcome's record survives its snapshot's encoding whole, and a snapshot of another shape
is never decoded."""

from __future__ import annotations

from typing import Any

import pytest

from adapters import outcome_snapshots
from adapters.aggregate_repository import replay
from adapters.outcome_snapshots import STALE, OutcomeRecordAsJSON, record_shape
from domain.outcome import Outcome
from domain.outcome_record import OutcomeRecord
from tests.factories import outcome_with_every_kind_of_event


def folded_records() -> list[OutcomeRecord]:
    """The records of two outcomes that hold every kind of outcome event between them."""
    streams: dict[object, list[Any]] = {}
    for event in outcome_with_every_kind_of_event('Ünïcode "quoted" <b>text</b>'):
        streams.setdefault(event.originator_id, []).append(event)
    return [replay(None, events).record for events in streams.values()]


def test_every_kind_of_record_decodes_equal_to_what_was_encoded() -> None:
    transcoding = OutcomeRecordAsJSON()
    for record in folded_records():
        decoded = transcoding.decode(transcoding.encode(record))
        assert isinstance(decoded, OutcomeRecord)
        assert decoded == record
        assert list(decoded.reports) == list(record.reports)  # report order is history's order
        assert list(decoded.milestones) == list(record.milestones)


def test_a_snapshot_of_another_shape_decodes_as_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    transcoding = OutcomeRecordAsJSON()
    [record, _] = folded_records()
    written = transcoding.encode(record)
    monkeypatch.setattr(outcome_snapshots, "SHAPE", "another shape")
    assert transcoding.decode(written) is STALE


def test_bumping_the_fold_revision_changes_the_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    before = record_shape()
    monkeypatch.setattr(Outcome, "snapshot_revision", Outcome.snapshot_revision + 1)
    assert record_shape() != before
