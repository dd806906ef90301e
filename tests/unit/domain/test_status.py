"""The status rules, table-driven. The README's status table is generated from ``CASES``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from domain.deadlines import Deadline, DeadlineKind
from domain.forum import Forum, calendar_as_of
from domain.outcome import Outcome
from domain.outcome_record import FactRef, MilestoneKind
from domain.status import Status, status_of
from tests.factories import (
    ATHENS,
    MANILA_CLOSE,
    adopted_outcome,
    fact,
    forum_with_summits,
    next_summit,
)

Step = Callable[[Outcome, Forum], None]


def progress(day: date, key: str = "r1") -> Step:
    return lambda o, f: o.report_progress(o.report_id(key), "work done", fact(day))


def retract(day: date, key: str = "r1") -> Step:
    return lambda o, f: o.retract_progress(o.report_id(key), "wrong outcome", fact(day))


def deadline(value: Deadline, day: date = MANILA_CLOSE) -> Step:
    return lambda o, f: o.set_deadline(value, fact(day))


def complete(day: date) -> Step:
    return lambda o, f: o.complete("done", ["https://example.org/report"], fact(day))


def reopen(day: date) -> Step:
    return lambda o, f: o.reopen("evidence was insufficient", fact(day))


def withdraw(day: date) -> Step:
    return lambda o, f: o.withdraw("overtaken by events", fact(day))


def supersede(day: date) -> Step:
    return lambda o, f: o.supersede(Outcome.create_id("gfmd", "successor"), fact(day))


def reschedule_athens(to: date, decided_on: date) -> Step:
    return lambda o, f: f.reschedule_meeting(
        f.meeting_id("summit-2009-athens"), to, fact(decided_on)
    )


def cancel_athens(decided_on: date) -> Step:
    return lambda o, f: f.cancel_meeting(
        f.meeting_id("summit-2009-athens"), "postponed", fact(decided_on)
    )


def milestone(due: date, reached_on: date | None = None) -> Step:
    def step(o: Outcome, f: Forum) -> None:
        mid = o.plan_milestone(
            "m1",
            MilestoneKind.CUSTOM,
            "Draft the toolkit",
            fact(MANILA_CLOSE),
            Deadline(DeadlineKind.DATE, MANILA_CLOSE, due_on=due),
        )
        if reached_on is not None:
            cause = FactRef(o.id, 99, "Outcome.ProgressReported", reached_on)
            o.reach_milestone(mid, cause, fact(reached_on))

    return step


BY_JUNE_2009 = Deadline(DeadlineKind.DATE, MANILA_CLOSE, due_on=date(2009, 6, 30))
EVERY_TWO_YEARS = Deadline(DeadlineKind.RECURRING, MANILA_CLOSE, every_months=24)


@dataclass(frozen=True)
class Case:
    situation: str
    on: date
    expected: Status
    reason: str
    steps: list[Step] = field(default_factory=list)
    athens: date | None = ATHENS


CASES = [
    Case(
        "no deadline, nothing reported",
        date(2009, 1, 1),
        Status.NOT_STARTED,
        "no progress reported",
    ),
    Case(
        "no deadline, one progress report",
        date(2009, 3, 2),
        Status.IN_PROGRESS,
        "1 progress report(s), latest 2009-03-01",
        [progress(date(2009, 3, 1))],
    ),
    Case(
        "a retracted report counts for nothing",
        date(2009, 3, 3),
        Status.NOT_STARTED,
        "no progress reported",
        [progress(date(2009, 3, 1)), retract(date(2009, 3, 2))],
    ),
    Case(
        "as of a day before the report: the report is not yet known",
        date(2009, 2, 1),
        Status.NOT_STARTED,
        "no progress reported",
        [progress(date(2009, 3, 1))],
    ),
    Case(
        "date deadline more than 30 days away",
        date(2009, 5, 1),
        Status.NOT_STARTED,
        "due 2009-06-30",
        [deadline(BY_JUNE_2009)],
    ),
    Case(
        "date deadline within 30 days",
        date(2009, 6, 10),
        Status.DUE_SOON,
        "in 20 days",
        [deadline(BY_JUNE_2009)],
    ),
    Case(
        "date deadline passed",
        date(2009, 7, 1),
        Status.OVERDUE,
        "due 2009-06-30 (a fixed date), 1 days ago",
        [deadline(BY_JUNE_2009)],
    ),
    Case(
        "deadline passed, but completed before",
        date(2009, 7, 1),
        Status.COMPLETED,
        "completed on 2009-06-01",
        [deadline(BY_JUNE_2009), complete(date(2009, 6, 1))],
    ),
    Case(
        "completed, then reopened",
        date(2009, 7, 1),
        Status.OVERDUE,
        "1 days ago",
        [deadline(BY_JUNE_2009), complete(date(2009, 6, 1)), reopen(date(2009, 6, 15))],
    ),
    Case(
        "withdrawn",
        date(2009, 7, 1),
        Status.WITHDRAWN,
        "withdrawn on 2009-02-01",
        [deadline(BY_JUNE_2009), withdraw(date(2009, 2, 1))],
    ),
    Case(
        "superseded by another outcome",
        date(2009, 7, 1),
        Status.SUPERSEDED,
        "superseded on 2009-02-01",
        [supersede(date(2009, 2, 1))],
    ),
    Case(
        "by the next summit (Athens, 4 Nov 2009), in January",
        date(2009, 1, 15),
        Status.NOT_STARTED,
        "due 2009-11-04 (the next summit: Athens)",
        [deadline(next_summit())],
    ),
    Case(
        "by the next summit, 10 days before it",
        date(2009, 10, 25),
        Status.DUE_SOON,
        "in 10 days",
        [deadline(next_summit())],
    ),
    Case(
        "by the next summit, after it",
        date(2009, 11, 5),
        Status.OVERDUE,
        "1 days ago",
        [deadline(next_summit())],
    ),
    Case(
        "next summit rescheduled to 15 Dec: the deadline moves",
        date(2009, 11, 5),
        Status.NOT_STARTED,
        "due 2009-12-15",
        [deadline(next_summit()), reschedule_athens(date(2009, 12, 15), date(2009, 9, 1))],
    ),
    Case(
        "as of before the reschedule was decided: the old date holds",
        date(2009, 8, 30),
        Status.NOT_STARTED,
        "due 2009-11-04",
        [deadline(next_summit()), reschedule_athens(date(2009, 12, 15), date(2009, 9, 1))],
    ),
    Case(
        "next summit cancelled and none scheduled",
        date(2009, 11, 5),
        Status.NOT_STARTED,
        "the next summit, not yet scheduled",
        [deadline(next_summit()), cancel_athens(date(2009, 9, 1))],
    ),
    Case(
        "next summit not yet on the calendar",
        date(2009, 1, 15),
        Status.NOT_STARTED,
        "the next summit, not yet scheduled",
        [deadline(next_summit())],
        athens=None,
    ),
    Case(
        "every 24 months, first cycle, nothing done",
        date(2009, 6, 1),
        Status.NOT_STARTED,
        "due 2010-10-30 (recurring every 24 months)",
        [deadline(EVERY_TWO_YEARS)],
    ),
    Case(
        "every 24 months, completed in this cycle",
        date(2010, 6, 1),
        Status.COMPLETED,
        "completed for the cycle ending 2010-10-30",
        [deadline(EVERY_TWO_YEARS), complete(date(2010, 5, 1))],
    ),
    Case(
        "every 24 months, next cycle started: due again",
        date(2010, 11, 1),
        Status.NOT_STARTED,
        "due 2012-10-30",
        [deadline(EVERY_TWO_YEARS), complete(date(2010, 5, 1))],
    ),
    Case(
        "every 24 months, a cycle passed without completion",
        date(2010, 11, 1),
        Status.OVERDUE,
        "the cycle due 2010-10-30 ended without completion",
        [deadline(EVERY_TWO_YEARS)],
    ),
    Case(
        "a milestone of the plan past its deadline",
        date(2009, 4, 1),
        Status.OVERDUE,
        'milestone "Draft the toolkit" was due 2009-03-01',
        [milestone(date(2009, 3, 1))],
    ),
    Case(
        "a milestone past its deadline, though the outcome's own is far",
        date(2009, 4, 1),
        Status.OVERDUE,
        'milestone "Draft the toolkit"',
        [deadline(next_summit()), milestone(date(2009, 3, 1))],
    ),
    Case(
        "a milestone due within 30 days",
        date(2009, 2, 20),
        Status.DUE_SOON,
        'milestone "Draft the toolkit" is due 2009-03-01, in 9 days',
        [milestone(date(2009, 3, 1))],
    ),
    Case(
        "a milestone reached, no report yet",
        date(2009, 4, 1),
        Status.IN_PROGRESS,
        "1 of 1 milestones reached",
        [milestone(date(2009, 3, 1), date(2009, 2, 1))],
    ),
    Case(
        "as of before the milestone was reached",
        date(2009, 1, 15),
        Status.NOT_STARTED,
        "no progress reported",
        [milestone(date(2009, 3, 1), date(2009, 2, 1))],
    ),
]


def run_case(case: Case) -> tuple[Outcome, Forum]:
    forum = forum_with_summits(athens_on=case.athens)
    outcome = adopted_outcome()
    for step in case.steps:
        step(outcome, forum)
    return outcome, forum


@pytest.mark.parametrize("case", CASES, ids=[c.situation for c in CASES])
def test_status_rule(case: Case) -> None:
    outcome, forum = run_case(case)
    report = status_of(
        outcome.pending_events, calendar_as_of(forum.pending_events, case.on), case.on
    )
    assert report is not None
    assert report.status == case.expected
    assert case.reason in report.reason


def test_an_outcome_has_no_status_before_it_was_adopted() -> None:
    outcome, forum = run_case(CASES[0])
    day = date(2008, 10, 1)
    assert status_of(outcome.pending_events, calendar_as_of(forum.pending_events, day), day) is None


def test_due_soon_window_is_a_parameter() -> None:
    outcome, forum = run_case(CASES[4])
    calendar = calendar_as_of(forum.pending_events)
    report = status_of(outcome.pending_events, calendar, date(2009, 5, 1), due_soon_days=90)
    assert report is not None and report.status == Status.DUE_SOON


def test_status_says_when_it_will_change_by_itself() -> None:
    outcome, forum = run_case(CASES[4])
    report = status_of(
        outcome.pending_events, calendar_as_of(forum.pending_events), date(2009, 5, 1)
    )
    assert report is not None and report.changes_on == date(2009, 5, 31)


def status_table() -> str:
    """The README's status table: one row per case."""
    rows = ["| situation | as of | status | reason contains |", "|---|---|---|---|"]
    rows += [f"| {c.situation} | {c.on} | `{c.expected}` | {c.reason} |" for c in CASES]
    return "\n".join(rows)


def test_readme_shows_the_same_status_table() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    assert status_table() in readme, "regenerate with: python -m tests.unit.domain.test_status"


if __name__ == "__main__":
    print(status_table())
