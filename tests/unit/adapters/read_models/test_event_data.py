"""The timeline's event data: the event's own fields, JSON-ready, whatever its shape."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from types import SimpleNamespace
from uuid import UUID

from adapters.read_models.event_data import event_data


class Colour(Enum):
    RED = "red"


def test_own_fields_sorted_and_plain_and_provenance_left_out() -> None:
    some_id = UUID(int=7)
    event = SimpleNamespace(
        originator_id=some_id,
        originator_version=3,
        timestamp=datetime(2009, 1, 2, tzinfo=UTC),
        occurred_on=date(2009, 1, 1),
        precision="day",
        actor="sec",
        source="minutes",
        summary="Presented",
        percent_complete=None,
        evidence_urls=["https://example.org/a"],
        milestone_id=some_id,
        due_on=date(2009, 12, 1),
        colour=Colour.RED,
        nested={"when": date(2010, 1, 1), "ids": (some_id,)},
        done=True,
    )
    data = event_data(event)
    assert list(data) == sorted(data)
    assert data == {
        "colour": "red",
        "done": True,
        "due_on": "2009-12-01",
        "evidence_urls": ["https://example.org/a"],
        "milestone_id": str(some_id),
        "nested": {"when": "2010-01-01", "ids": [str(some_id)]},
        "percent_complete": None,
        "summary": "Presented",
    }


def test_events_of_one_class_with_different_fields_each_keep_their_own() -> None:
    common = {"originator_id": UUID(int=1), "originator_version": 1, "actor": "a"}
    older = SimpleNamespace(**common, evidence_url="https://example.org/x")
    newer = SimpleNamespace(**common, evidence_urls=["https://example.org/y"], percent=5)
    assert event_data(older) == {"evidence_url": "https://example.org/x"}
    assert event_data(newer) == {"evidence_urls": ["https://example.org/y"], "percent": 5}
    assert event_data(older) == {"evidence_url": "https://example.org/x"}
