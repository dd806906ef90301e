"""The portfolio as of a past day, answered from the kept streams and their checkpoints, is what
folding every outcome's stored events as of that day says (asked twice: the second answer
resumes from the checkpoints the first one kept)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import select

from adapters.read_models.outcome_events import outcome_events
from adapters.read_models.outcome_status import outcomes
from domain.forum import calendar_as_of
from domain.outcome import Outcome
from domain.outcome_history import fold_outcome
from domain.status import status_of_record
from followup.bootstrap import Container
from followup.outcome_views import OutcomeView, view_from_record
from followup.queries import OutcomeFilter, OutcomeQueries
from tests.factories import fact

DAYS = [
    date(2007, 7, 10),
    date(2008, 10, 30),
    date(2009, 6, 15),
    date(2009, 11, 4),
    date(2010, 2, 1),
    date(2026, 1, 1),
]


def folded_from_the_store(container: Container, on: date) -> list[OutcomeView]:
    app = container.app
    queries = OutcomeQueries(container)
    calendar = calendar_as_of(app.events_of(app.forum_id), on)
    with container.engine.connect() as connection:
        names = queries.names(connection)
        ids = connection.execute(
            select(outcomes.c.id).order_by(outcomes.c.adopted_on, outcomes.c.code)
        ).scalars()
        candidates = [UUID(i) for i in ids]
    views = []
    for outcome_id in candidates:
        record = fold_outcome(app.events_of(outcome_id), on)
        if record is not None:
            report = status_of_record(record, calendar, on, container.settings.due_soon_days)
            views.append(view_from_record(record, report, names))
    return views


LONG = Outcome.create_id("gfmd", "mnl-2008-rt3.2-survey-rerun")


def with_a_long_history(container: Container) -> None:
    """One outcome gets many reports, some backdated, some retracted, then is withdrawn."""
    app = container.app
    outcome: object = app.repository.get(LONG)
    assert isinstance(outcome, Outcome)
    for n in range(45):
        day = date(2009, 1 + n % 12, 1 + n % 28) if n % 5 else date(2008, 11, 1 + n % 20)
        outcome.report_progress(outcome.report_id(f"long-{n}"), f"step {n}", fact(day))
        if n % 7 == 3:
            outcome.retract_progress(outcome.report_id(f"long-{n}"), "wrong", fact(day))
    outcome.withdraw("overtaken", fact(date(2010, 2, 1)))
    app.save(outcome)
    container.settle()


def test_the_portfolio_as_of_a_day_is_the_fold_of_every_outcome(loaded: Container) -> None:
    with_a_long_history(loaded)
    queries = OutcomeQueries(loaded)
    for _ in range(2):
        for day in DAYS:
            views, total = queries.list_as_of(OutcomeFilter(), day, limit=10**9)
            assert views == folded_from_the_store(loaded, day), day
            assert total == len(views)
    stream = outcome_events(loaded.app).stream(LONG)
    assert stream is not None and stream.checkpoints and not stream.in_day_order


def test_a_large_intake_of_events_is_moved_out_of_the_collectors_sight(
    loaded: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept for the life of the process, the decoded events would otherwise be walked by every
    full garbage collection (over a second at full size)."""
    import gc

    from adapters.read_models import outcome_events as module

    events = module.OutcomeEvents(loaded.app)
    monkeypatch.setattr(module, "FREEZE_AFTER", 10**9)
    frozen = gc.get_freeze_count()
    events.sync()  # a small intake: nothing frozen
    assert gc.get_freeze_count() == frozen
    monkeypatch.setattr(module, "FREEZE_AFTER", 10)
    fresh = module.OutcomeEvents(loaded.app)
    try:
        fresh.sync()
        assert gc.get_freeze_count() > frozen
        assert fresh.streams.keys() == events.streams.keys()
    finally:
        gc.unfreeze()
