from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    AlreadyCompletedError,
    InvalidValueError,
    NotCompletedError,
    OutcomeClosedError,
    UnknownReportError,
)
from domain.outcome import Outcome
from domain.outcome_record import Role
from tests.factories import adopted_outcome, fact


def test_progress_on_a_withdrawn_outcome_is_refused() -> None:
    outcome = adopted_outcome()
    outcome.withdraw("overtaken", fact(date(2009, 1, 1)))
    with pytest.raises(OutcomeClosedError):
        outcome.report_progress(outcome.report_id("a"), "late work", fact(date(2009, 2, 1)))


def test_a_superseded_outcome_takes_no_more_facts() -> None:
    outcome = adopted_outcome()
    outcome.supersede(Outcome.create_id("gfmd", "other"), fact(date(2009, 1, 1)))
    with pytest.raises(OutcomeClosedError):
        outcome.assign_responsibility("SE", Role.LEAD, fact(date(2009, 2, 1)))


def test_an_outcome_cannot_supersede_itself() -> None:
    outcome = adopted_outcome()
    with pytest.raises(InvalidValueError):
        outcome.supersede(outcome.id, fact(date(2009, 1, 1)))


def test_progress_before_adoption_is_refused() -> None:
    outcome = adopted_outcome()
    with pytest.raises(InvalidValueError, match="before the outcome was adopted"):
        outcome.report_progress(outcome.report_id("a"), "early", fact(date(2008, 1, 1)))


def test_percent_complete_must_be_a_percentage() -> None:
    outcome = adopted_outcome()
    with pytest.raises(InvalidValueError):
        outcome.report_progress(
            outcome.report_id("a"), "x", fact(date(2009, 1, 1)), percent_complete=120
        )


def test_the_same_report_is_not_recorded_twice() -> None:
    outcome = adopted_outcome()
    outcome.report_progress(outcome.report_id("a"), "x", fact(date(2009, 1, 1)))
    with pytest.raises(InvalidValueError):
        outcome.report_progress(outcome.report_id("a"), "x", fact(date(2009, 1, 1)))


def test_a_retraction_keeps_the_report_and_marks_it() -> None:
    outcome = adopted_outcome()
    report = outcome.report_id("a")
    outcome.report_progress(report, "x", fact(date(2009, 1, 1)))
    outcome.retract_progress(report, "wrong outcome", fact(date(2009, 1, 2)))
    entry = outcome.record.reports[report]
    assert entry.retracted_on == date(2009, 1, 2) and entry.retraction_reason == "wrong outcome"
    assert outcome.record.live_reports == []
    with pytest.raises(UnknownReportError):
        outcome.retract_progress(report, "again", fact(date(2009, 1, 3)))


def test_completion_needs_evidence() -> None:
    outcome = adopted_outcome()
    with pytest.raises(InvalidValueError, match="evidence"):
        outcome.complete("done", [], fact(date(2009, 1, 1), source=""))


def test_a_completed_outcome_is_reopened_before_more_progress() -> None:
    outcome = adopted_outcome()
    outcome.complete("done", ["https://example.org"], fact(date(2009, 1, 1)))
    with pytest.raises(AlreadyCompletedError):
        outcome.report_progress(outcome.report_id("a"), "more", fact(date(2009, 2, 1)))
    outcome.reopen("not done after all", fact(date(2009, 2, 1)))
    outcome.report_progress(outcome.report_id("a"), "more", fact(date(2009, 2, 2)))
    assert outcome.record.completions == []


def test_reopening_needs_a_completion() -> None:
    with pytest.raises(NotCompletedError):
        adopted_outcome().reopen("?", fact(date(2009, 1, 1)))


def test_a_year_precise_fact_may_fall_in_the_adoption_year() -> None:
    from domain.provenance import Precision, Provenance

    outcome = adopted_outcome()
    outcome.complete("done", [], Provenance(date(2008, 1, 1), "t", "seed 003", Precision.YEAR))
    assert outcome.record.completion_precision == "year"


def test_ids_are_deterministic_per_forum_and_code() -> None:
    assert Outcome.create_id("gfmd", "a") == Outcome.create_id("gfmd", "a")
    assert Outcome.create_id("gfmd", "a") != Outcome.create_id("other", "a")
