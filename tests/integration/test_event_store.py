"""The event store on both backends: dates survive, old events load, stale writes are refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from adapters.clock import FixedClock
from domain.outcome import Outcome
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings
from tests.factories import adopted_outcome, fact

FIXTURE = Path(__file__).parents[1] / "fixtures" / "outcome_v1_events.json"


def test_an_outcome_round_trips_with_its_dates(container: Container) -> None:
    outcome = adopted_outcome()
    outcome.report_progress(
        outcome.report_id("a"), "sent", fact(date(2009, 2, 1)), 40, ["https://e.org"]
    )
    container.app.save(outcome)
    loaded = container.app.repository.get(outcome.id)
    assert loaded.record.adopted_on == date(2008, 10, 30)
    [report] = loaded.record.reports.values()
    assert (report.occurred_on, report.percent_complete, report.evidence_urls) == (
        date(2009, 2, 1),
        40,
        ["https://e.org"],
    )


def test_a_stored_v1_progress_report_still_loads(container: Container) -> None:
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    originator = UUID(fixture["originator_id"])
    container.app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=originator,
                originator_version=e["originator_version"],
                topic=e["topic"],
                state=json.dumps(e["state"]).encode("utf-8"),
            )
            for e in fixture["events"]
        ]
    )
    outcome = container.app.repository.get(originator)
    assert isinstance(outcome, Outcome)
    [report] = outcome.record.reports.values()
    assert report.evidence_urls == ["https://example.org/questionnaire"]
    assert report.percent_complete is None
    assert report.occurred_on == date(2009, 2, 27)


def test_a_stale_write_is_refused_and_appends_nothing(container: Container) -> None:
    outcome = adopted_outcome()
    container.app.save(outcome)
    first = container.app.repository.get(outcome.id)
    second = container.app.repository.get(outcome.id)
    first.report_progress(first.report_id("a"), "one", fact(date(2009, 1, 1)))
    second.report_progress(second.report_id("b"), "two", fact(date(2009, 1, 2)))
    container.app.save(first)
    with pytest.raises(IntegrityError):
        container.app.save(second)
    assert [e.originator_version for e in container.app.events_of(outcome.id)] == [1, 2]


def test_the_store_stamps_the_recorded_time_from_the_clock(container: Container) -> None:
    outcome = Outcome.adopt(
        "gfmd", "x", "X", container.app.fact(date(2009, 1, 1), "token:abc", "doc")
    )
    container.app.save(outcome)
    [event] = container.app.events_of(outcome.id)
    assert event.timestamp == container.clock.now()
    assert (event.occurred_on, event.actor, event.source) == (date(2009, 1, 1), "token:abc", "doc")


@pytest.mark.timeout(300)  # the bug this guards against hangs rather than fails
def test_a_save_of_thousands_of_events_is_one_append_in_log_order(container: Container) -> None:
    """An import appends every event of its file in one save. On PostgreSQL that save used to be
    one message holding every event: at about 25 MB (an import of 2,500 outcomes) psycopg's
    pipeline hung for good. It now goes in pieces of ``CHUNK`` events, still in one transaction:
    every event is stored, at consecutive log positions in the order saved."""
    from adapters.postgres_recorder import CHUNK

    outcomes = []
    for number in range(5):  # 25,000 events of about 1 KB: the size that hung
        outcome = adopted_outcome(code=f"bulk-{number}")
        for day in range(5 * CHUNK):
            outcome.report_progress(
                outcome.report_id(f"r{day}"), f"Report {day} " + "x" * 1000, fact(date(2009, 1, 1))
            )
        outcomes.append(outcome)
    before = container.app.head_position()
    recordings = container.app.save(*outcomes)
    positions = [r.notification.id for r in recordings]
    assert len(positions) == sum(o.version for o in outcomes) > 20 * CHUNK
    assert positions == list(range(before + 1, before + 1 + len(positions)))
    for outcome in outcomes:
        stored = container.app.events_of(outcome.id)
        assert [e.originator_version for e in stored] == list(range(1, outcome.version + 1))


def test_the_store_holds_what_this_process_or_another_saved_and_nothing_else(
    container: Container, settings: Settings, clock: FixedClock
) -> None:
    here = adopted_outcome("saved-here")
    container.app.save(here)
    other = bootstrap(settings, clock=clock)
    try:
        elsewhere = adopted_outcome("saved-elsewhere")
        other.app.save(elsewhere)
        assert other.app.exists(here.id)  # asked of the store
    finally:
        other.close()
    assert container.app.exists(here.id)  # known: this process saved it
    assert container.app.exists(elsewhere.id)  # asked of the store
    assert not container.app.exists(uuid4()) and not container.app.exists(container.app.forum_id)
