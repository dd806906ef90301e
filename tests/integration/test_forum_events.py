"""The forum's events kept by the application: a write's projection finds the calendar in the
log it has just read (no query of the forum's stream of its own), and a meeting another process
schedules reaches this one's calendar as soon as this one's projections read past it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from adapters.clock import FixedClock
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings
from tests.factories import adopted_outcome, fact, forum_with_summits


def forum_reads(container: Container, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Every read of the forum's stream from the store, from now on (its ``gt``)."""
    reads: list[int | None] = []
    store = container.app.events
    read = store.get

    def counted(originator_id: UUID, **kwargs: Any) -> Any:
        if originator_id == container.app.forum_id:
            reads.append(kwargs.get("gt"))
        return read(originator_id, **kwargs)

    monkeypatch.setattr(store, "get", counted)
    return reads


def report(container: Container, outcome_id: UUID, text: str) -> None:
    outcome = container.app.repository.get(outcome_id)
    outcome.report_progress(outcome.report_id(text), text, fact(date(2009, 2, 1)))
    position = max(r.notification.id for r in container.app.save(outcome))
    container.settle(position)


def test_a_write_is_projected_without_reading_the_forums_stream(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = adopted_outcome()
    container.app.save(forum_with_summits(), outcome)
    container.settle()
    report(container, outcome.id, "first")
    reads = forum_reads(container, monkeypatch)
    report(container, outcome.id, "second")
    report(container, outcome.id, "third")
    assert reads == []


def test_a_meeting_another_process_schedules_reaches_the_calendar(
    container: Container, settings: Settings, clock: FixedClock
) -> None:
    outcome = adopted_outcome()
    container.app.save(forum_with_summits(), outcome)
    report(container, outcome.id, "first")  # this process now keeps the forum's events
    other = bootstrap(settings, clock=clock)
    try:
        forum = other.app.find_forum()
        assert forum is not None
        rabat = forum.schedule_meeting(
            "summit-2010-rabat", "summit", "Rabat", date(2010, 11, 8), fact(date(2009, 12, 1))
        )
        other.app.save(forum)
    finally:
        other.close()
    report(container, outcome.id, "second")  # reads the log past the meeting
    calendar = container.app.calendar(through=container.settled_up_to)
    assert calendar.meeting(rabat) is not None
