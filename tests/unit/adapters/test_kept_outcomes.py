"""Kept outcomes hand out copies: deciding on one never changes what the next write is given."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.kept_outcomes import KeptOutcomes
from domain.outcome import Outcome
from domain.outcome_record import FactRef, MilestoneKind
from tests.factories import adopted_outcome, fact


def stored(outcome: Outcome) -> Outcome:
    """The outcome as a save leaves it: its events collected."""
    outcome.collect_events()
    return outcome


def test_a_copy_changed_by_a_command_leaves_the_kept_outcome_as_it_was() -> None:
    kept = KeptOutcomes(10)
    outcome = adopted_outcome()
    outcome.report_progress(outcome.report_id("a"), "first", fact(date(2009, 1, 1)))
    kept.keep(stored(outcome))

    working = kept.take(outcome.id)
    assert working is not None
    working.report_progress(working.report_id("b"), "second", fact(date(2009, 2, 1)))
    working.retract_progress(working.report_id("a"), "wrong outcome", fact(date(2009, 2, 2)))

    again = kept.take(outcome.id)
    assert again is not None
    assert again.version == outcome.version
    assert list(again.record.reports) == [outcome.report_id("a")]
    assert again.record.reports[outcome.report_id("a")].retracted_on is None
    assert again.pending_events == []


def test_reaching_a_milestone_on_a_copy_leaves_the_kept_plan_open() -> None:
    kept = KeptOutcomes(10)
    outcome = adopted_outcome()
    milestone = outcome.plan_milestone(
        "survey", MilestoneKind.CUSTOM, "Re-run the survey", fact(date(2009, 1, 1))
    )
    kept.keep(stored(outcome))

    working = kept.take(outcome.id)
    assert working is not None
    cause = FactRef(outcome.id, 3, "Outcome.ProgressReported", date(2009, 3, 1))
    assert working.reach_milestone(milestone, cause, fact(date(2009, 3, 1)))
    assert working.record.milestones[milestone].reached

    again = kept.take(outcome.id)
    assert again is not None
    assert not again.record.milestones[milestone].reached


def test_the_least_recently_used_outcome_goes_first() -> None:
    kept = KeptOutcomes(2)
    first, second, third = (stored(adopted_outcome(f"mnl-2008-rt-{n}")) for n in range(3))
    kept.keep(first)
    kept.keep(second)
    assert kept.take(first.id) is not None  # first is now the most recently used
    kept.keep(third)
    assert len(kept) == 2
    assert second.id not in kept
    assert first.id in kept and third.id in kept


def test_an_older_state_does_not_replace_a_newer_one() -> None:
    kept = KeptOutcomes(10)
    outcome = stored(adopted_outcome())
    older = kept_copy(kept, outcome)
    outcome.report_progress(outcome.report_id("a"), "first", fact(date(2009, 1, 1)))
    kept.keep(stored(outcome))
    kept.keep(older)
    newest = kept.take(outcome.id)
    assert newest is not None and newest.version == outcome.version


def test_only_a_stored_state_is_kept() -> None:
    outcome = adopted_outcome()  # its adoption not yet saved
    with pytest.raises(ValueError, match="save the outcome first"):
        KeptOutcomes(10).keep(outcome)


def kept_copy(kept: KeptOutcomes, outcome: Outcome) -> Outcome:
    kept.keep(outcome)
    copy = kept.take(outcome.id)
    assert copy is not None
    return copy
