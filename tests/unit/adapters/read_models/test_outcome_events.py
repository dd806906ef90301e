"""A stream folded from its checkpoints gives exactly the record a fold from the adoption gives,
on every day, whatever was asked before (retractions, withdrawals, milestones, backdated facts)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from adapters.read_models.outcome_events import CHECKPOINT_EVERY, Stream
from domain.deadlines import Deadline, DeadlineKind
from domain.errors import DomainError
from domain.outcome import Outcome
from domain.outcome_history import fold_outcome
from domain.outcome_record import FactRef, MilestoneKind, Role
from tests.factories import adopted_outcome, events, fact

ADOPTED = date(2008, 10, 30)


def random_history(seed: int, length: int, backdated: float) -> list[Any]:
    """An outcome's events from random commands (refused ones skipped); some facts are dated
    before the ones recorded ahead of them."""
    rng = random.Random(seed)
    outcome = adopted_outcome(day=ADOPTED)
    day = ADOPTED
    reports: list[Any] = []
    milestones: list[Any] = []
    tries = 0
    while len(outcome.pending_events) < length and tries < length * 20:
        tries += 1
        day += timedelta(days=rng.randint(0, 40))
        on = day
        if rng.random() < backdated:
            on = max(ADOPTED, day - timedelta(days=rng.randint(1, 400)))
        when = fact(on)
        pick = rng.random()
        try:
            if pick < 0.45:
                key = f"r{len(reports)}"
                outcome.report_progress(
                    outcome.report_id(key),
                    f"step {key}",
                    when,
                    percent_complete=rng.choice([None, rng.randint(0, 100)]),
                    evidence_urls=[f"https://example.org/{key}"] if rng.random() < 0.5 else [],
                )
                reports.append(outcome.report_id(key))
            elif pick < 0.55 and reports:
                outcome.retract_progress(rng.choice(reports), "wrong outcome", when)
            elif pick < 0.6:
                outcome.complete("done", ["https://example.org/done"], when)
            elif pick < 0.65:
                outcome.reopen("not quite", when)
            elif pick < 0.7:
                state = rng.choice(["SE", "MA", "GR"])
                outcome.assign_responsibility(state, rng.choice(list(Role)), when)
            elif pick < 0.73:
                outcome.release_responsibility(rng.choice(["SE", "MA", "GR"]), when)
            elif pick < 0.77:
                due = on + timedelta(days=rng.randint(-100, 400))
                outcome.set_deadline(Deadline(DeadlineKind.DATE, on, due_on=due), when)
            elif pick < 0.82:
                key = f"m{len(milestones)}"
                milestones.append(
                    outcome.plan_milestone(
                        key,
                        MilestoneKind.CUSTOM,
                        f"milestone {key}",
                        when,
                        deadline=Deadline(DeadlineKind.DATE, on, due_on=on + timedelta(days=90)),
                    )
                )
            elif pick < 0.88 and milestones:
                cause = FactRef(outcome.id, 1, "Outcome.ProgressReported", on)
                outcome.reach_milestone(rng.choice(milestones), cause, when)
            elif pick < 0.91 and milestones:
                outcome.reopen_milestone(rng.choice(milestones), "not reached after all", when)
            elif pick < 0.93 and milestones:
                outcome.remove_milestone(rng.choice(milestones), "dropped", when)
            elif pick < 0.96:
                outcome.set_public(not outcome.record.public, when)
            elif pick < 0.97:
                outcome.withdraw("overtaken", when)
        except DomainError:
            continue
    return events(outcome)


def days_to_ask(history: list[Any], rng: random.Random) -> list[date | None]:
    days: list[date | None] = [ADOPTED - timedelta(days=1), None]
    for event in history:
        days += [event.occurred_on - timedelta(days=1), event.occurred_on]
    rng.shuffle(days)
    return days + days  # asked twice: the second time from the checkpoints the first kept


def stream_of(history: list[Any]) -> Stream:
    stream = Stream()
    for event in history:
        stream.add(event)
    return stream


@pytest.mark.parametrize("backdated", [0.0, 0.15])
@pytest.mark.parametrize("seed", range(12))
def test_a_fold_from_checkpoints_equals_the_fold_from_the_adoption(
    seed: int, backdated: float
) -> None:
    history = random_history(seed, CHECKPOINT_EVERY * 5, backdated)
    stream = stream_of(history)
    for day in days_to_ask(history, random.Random(seed)):
        assert stream.fold(day) == fold_outcome(history, day), day
    assert stream.checkpoints  # the folds did resume from somewhere


@pytest.mark.parametrize("seed", range(6))
def test_the_checkpoints_stay_what_their_prefix_folds_to(seed: int) -> None:
    history = random_history(seed, CHECKPOINT_EVERY * 5, 0.1)
    stream = stream_of(history)
    for day in days_to_ask(history, random.Random(seed)):
        stream.fold(day)
    assert stream.last is not None
    assert sorted(stream.checkpoints) == list(
        range(CHECKPOINT_EVERY, len(history) + 1, CHECKPOINT_EVERY)
    )  # the first fold of the whole stream passed every one
    for length, record in [*stream.checkpoints.items(), stream.last]:
        expected = fold_outcome(history[:length])
        assert expected is not None
        expected.version = length
        assert record == expected, length


@pytest.mark.parametrize("seed", range(4))
def test_a_stream_that_grows_after_a_fold_folds_its_new_events(seed: int) -> None:
    history = random_history(seed, CHECKPOINT_EVERY * 4, 0.1)
    stream = stream_of(history[: len(history) // 2])
    for day in days_to_ask(history, random.Random(seed)):
        stream.fold(day)
    for event in history[len(history) // 2 :]:
        stream.add(event)
    for day in days_to_ask(history, random.Random(seed + 1)):
        assert stream.fold(day) == fold_outcome(history, day), day


def test_a_withdrawn_outcome_stays_withdrawn_from_its_checkpoint() -> None:
    outcome = adopted_outcome(day=ADOPTED)
    for n in range(CHECKPOINT_EVERY + 3):
        outcome.report_progress(outcome.report_id(f"r{n}"), "step", fact(ADOPTED))
    outcome.withdraw("overtaken", fact(date(2009, 6, 1)))
    history = events(outcome)
    stream = stream_of(history)
    for day in (date(2009, 5, 31), date(2009, 6, 1), None, date(2009, 6, 1)):
        assert stream.fold(day) == fold_outcome(history, day)
    record = stream.fold(date(2009, 6, 1))
    assert record is not None and record.withdrawn_on == date(2009, 6, 1)


def test_a_stream_with_an_event_it_cannot_resume_over_is_folded_from_the_start() -> None:
    class Annotated(Outcome.Event):
        note: str

        def record_in(self, record: Any) -> None:
            record.summary = self.note

    history = events(adopted_outcome(day=ADOPTED))
    fields: dict[str, Any] = {
        "originator_id": history[0].originator_id,
        "originator_version": 2,
        "timestamp": history[0].timestamp,
        "occurred_on": ADOPTED,
        "precision": "day",
        "actor": "test",
        "source": "",
        "note": "a note",
    }
    extra = Annotated(**fields)
    stream = stream_of([*history, extra])
    assert not stream.resumable
    assert stream.fold(None) == fold_outcome([*history, extra])
