"""An outcome's history, taken from the process's decoded outcome events, is exactly its stored
stream: a new event shows at once, and a stream they do not hold whole is read from the store."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import get_topic
from sqlalchemy import select

from adapters.read_models.outcome_events import TOPICS, outcome_events
from adapters.read_models.outcome_status import outcomes
from domain.outcome import Outcome
from followup.bootstrap import Container
from followup.queries import OutcomeQueries
from tests.factories import fact

SURVEY = Outcome.create_id("gfmd", "mnl-2008-rt3.2-survey-rerun")


def every_outcome(container: Container) -> list[UUID]:
    with container.engine.connect() as connection:
        return [UUID(i) for i in connection.execute(select(outcomes.c.id)).scalars()]


def report(container: Container, summary: str) -> None:
    outcome: object = container.app.repository.get(SURVEY)
    assert isinstance(outcome, Outcome)
    outcome.report_progress(outcome.report_id(summary), summary, fact(date(2009, 3, 2)))
    container.app.save(outcome)


def test_each_outcomes_history_is_its_stored_stream(loaded: Container) -> None:
    queries = OutcomeQueries(loaded)
    for outcome_id in every_outcome(loaded):
        assert queries.history(outcome_id) == loaded.app.events_of(outcome_id)


def test_an_event_appended_after_a_history_was_read_is_in_the_next_one(
    loaded: Container,
) -> None:
    queries = OutcomeQueries(loaded)
    before = queries.history(SURVEY)
    report(loaded, "Survey re-run launched")  # no projection needed: the log is read
    after = queries.history(SURVEY)
    assert after == loaded.app.events_of(SURVEY)
    assert len(after) == len(before) + 1 and after[-1].summary == "Survey re-run launched"


def test_a_stream_the_kept_events_lack_the_end_of_is_read_from_the_store(
    loaded: Container,
) -> None:
    queries = OutcomeQueries(loaded)
    queries.history(SURVEY)
    kept = outcome_events(loaded.app).stream(SURVEY)
    assert kept is not None
    kept.events.pop()  # as if the newest event were of a kind the kept events do not follow
    assert queries.history(SURVEY) == loaded.app.events_of(SURVEY)


def test_the_history_of_another_aggregate_is_its_stored_stream(loaded: Container) -> None:
    queries = OutcomeQueries(loaded)
    app = loaded.app
    assert queries.history(app.forum_id) == app.events_of(app.forum_id)


def test_given_the_log_head_each_outcomes_history_is_its_stored_stream(
    loaded: Container,
) -> None:
    queries = OutcomeQueries(loaded)
    head = loaded.app.head_position()
    for outcome_id in every_outcome(loaded):
        assert queries.history(outcome_id, head) == loaded.app.events_of(outcome_id)
    kept = outcome_events(loaded.app)
    assert kept.seen >= head
    stream = kept.stream(SURVEY)
    assert stream is not None
    assert all(a is b for a, b in zip(queries.history(SURVEY, head), stream.events, strict=True))


def test_given_a_head_read_after_an_append_the_history_holds_the_new_event(
    loaded: Container,
) -> None:
    queries = OutcomeQueries(loaded)
    before = queries.history(SURVEY, loaded.app.head_position())
    report(loaded, "Survey re-run launched")
    after = queries.history(SURVEY, loaded.app.head_position())
    assert after == loaded.app.events_of(SURVEY)
    assert len(after) == len(before) + 1 and after[-1].summary == "Survey re-run launched"


def test_given_the_head_a_stream_the_kept_events_left_out_is_read_from_the_store(
    loaded: Container,
) -> None:
    queries = OutcomeQueries(loaded)
    head = loaded.app.head_position()
    queries.history(SURVEY, head)
    kept = outcome_events(loaded.app)
    kept.streams.pop(SURVEY)  # as a stream with a gap is left out
    assert queries.history(SURVEY, head) == loaded.app.events_of(SURVEY)


def test_the_kept_events_follow_every_kind_of_outcome_event() -> None:
    """What lets a history given the head trust a kept stream to end where the store's does."""
    kinds = {
        value
        for value in vars(Outcome).values()  # the plan's events too, re-based on Outcome
        if isinstance(value, type) and issubclass(value, DomainEvent)
    }
    # Outcome.Created is eventsourcing's own: ``adopt`` starts a stream with ``Adopted``
    concrete = kinds - {Outcome.Event, Outcome.Created}
    assert len(concrete) == 16, sorted(kind.__qualname__ for kind in concrete)
    assert {get_topic(kind) for kind in concrete} <= set(TOPICS)
