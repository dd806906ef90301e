"""A large, realistic portfolio made of genuine events.

Every fact goes through the domain's own commands (``Forum``, ``WorkingGroup``, ``Survey``,
``Outcome``) and is stored by ``FollowupApplication.save``, so it is validated, encoded and
hash-chained exactly as the service does it. Facts are applied in the order they happened (the
log interleaves outcomes the way a real forum's would); many aggregates are saved per transaction.
The same seed and size always give the same events.
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from bench.sizes import FIRST_YEAR, TODAY, Size
from domain.deadlines import Deadline, DeadlineKind
from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_record import Role
from domain.provenance import Provenance
from domain.survey import Figure, Survey
from domain.working_group import MemberRole, WorkingGroup
from followup.application import FollowupApplication

FORUM = "gfmd"
ACTOR = "bench:generator"
SAVE_EVERY = 5_000  # pending events per transaction
STRUCTURAL_PER_OUTCOME = 5  # adoption, responsibilities, group, deadline, ... (approximately)

Step = tuple[date, int, Callable[[], Aggregate]]


def state_codes(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct three-letter codes (the API's pattern), in a seeded order."""
    every = ["".join(t) for t in itertools.product(string.ascii_uppercase, repeat=3)]
    return rng.sample(every, count)


def summit_day(year: int) -> date:
    """Each year's summit opens in November (the 2026 one is still ahead of "today")."""
    return date(year, 11, 30) if year == TODAY.year else date(year, 11, 10 + year % 7)


def outcome_code(year: int, index: int) -> str:
    return f"o{year}-rt{index % 3 + 1}.{index % 4 + 1}-{index:05d}"


@dataclass
class Plan:
    """Every fact to record, as (day, tie-break, command) steps, plus what the benchmarks need."""

    steps: list[Step] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    outcome_codes: list[str] = field(default_factory=list)
    _order: itertools.count[int] = field(default_factory=itertools.count)

    def at(self, day: date, command: Callable[[], Aggregate]) -> None:
        self.steps.append((day, next(self._order), command))


class PortfolioGenerator:
    """Plans a forum and its outcomes for ``size``, then records them in ``app``."""

    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.plan = Plan()
        self.forum: Forum | None = None
        self.formed: dict[str, date] = {}

    def fact(self, day: date, source: str = "bench generator") -> Provenance:
        return Provenance(day, ACTOR, source)

    # -- the forum ----------------------------------------------------------------------------

    def plan_forum(self) -> None:
        rng, plan = self.rng, self.plan
        plan.states = state_codes(rng, self.size.states)
        start = date(FIRST_YEAR, 1, 2)

        def establish() -> Aggregate:
            self.forum = Forum.establish(
                FORUM, "Benchmark Forum", self.fact(start), languages=("en", "fr", "es")
            )
            for code in plan.states:
                self.forum.admit_state(code, f"State {code}", self.fact(start))
            return self.forum

        plan.at(start, establish)
        for year in range(FIRST_YEAR, TODAY.year + 1):
            self.plan_year(year)

    def plan_year(self, year: int) -> None:
        plan = self.plan
        chair = plan.states[(year - FIRST_YEAR) % len(plan.states)]
        announced = date(year, 1, 5)
        meetings: list[tuple[str, str, date, int]] = [
            (f"fof-{year}-03", "friends_of_the_forum", date(year, 3, 15), 1),
            (f"sg-{year}-06", "steering_group", date(year, 6, 10), 1),
            (f"summit-{year}", "summit", summit_day(year), 3),
        ]

        def open_year() -> Aggregate:
            forum = self.the_forum()
            forum.assume_chairmanship(chair, str(year), self.fact(announced))
            for code, kind, starts, days in meetings:
                forum.schedule_meeting(
                    code,
                    kind,
                    f"{kind.replace('_', ' ').title()} {year}",
                    starts,
                    self.fact(announced),
                    ends_on=starts + timedelta(days=days - 1),
                    place=f"City {chair}",
                    convened_by=chair,
                )
            return forum

        plan.at(announced, open_year)
        for code, _, starts, days in meetings:
            ends = starts + timedelta(days=days - 1)
            if ends <= TODAY:
                plan.at(ends, partial(self.hold, code, ends))

    def the_forum(self) -> Forum:
        assert self.forum is not None
        return self.forum

    def hold(self, code: str, day: date) -> Aggregate:
        forum = self.the_forum()
        forum.mark_meeting_held(forum.meeting_id(code), self.fact(day))
        return forum

    # -- working groups and surveys -----------------------------------------------------------

    def plan_groups(self) -> None:
        rng, plan = self.rng, self.plan
        for index in range(12):
            code = f"wg-{index:02d}"
            formed = date(2009 + index % 6, 2, 1 + index)
            members = rng.sample(plan.states, min(len(plan.states), rng.randint(4, 10)))
            plan.groups.append(code)
            self.formed[code] = formed

            def form(c: str = code, day: date = formed, m: list[str] = members) -> Aggregate:
                group = WorkingGroup.form(FORUM, c, f"Working group {c}", self.fact(day))
                for position, state in enumerate(m):
                    role = MemberRole.CO_CHAIR if position < 2 else MemberRole.MEMBER
                    group.admit_member(state, role, self.fact(day))
                self.groups[c] = group
                return group

            plan.at(formed, form)
        for index in range(4):
            code = f"survey-{index}"
            launched = date(2008 + index, 4, 1)

            def launch(c: str = code, day: date = launched) -> Aggregate:
                self.surveys[c] = Survey.launch(
                    FORUM, c, f"Survey {c}", self.fact(day), conducted_by=self.plan.states[0]
                )
                return self.surveys[c]

            plan.at(launched, launch)
            for year in range(launched.year + 1, TODAY.year):
                responses = rng.randint(40, 120)
                share = rng.randint(5, responses)

                def run(c: str = code, y: int = year, r: int = responses, s: int = share) -> Any:
                    survey = self.surveys[c]
                    figure = Figure("plan", "States with a national plan", s, r)
                    survey.close_run(str(y), r, [figure], self.fact(date(y, 9, 30)))
                    return survey

                plan.at(date(year, 9, 30), run)

    # -- outcomes -----------------------------------------------------------------------------

    def plan_outcomes(self) -> None:
        size, years = self.size, list(range(FIRST_YEAR, TODAY.year))
        forum_events = len(self.plan.states) + 5 * len(years) + 100
        budget = max(0, size.events - forum_events - STRUCTURAL_PER_OUTCOME * size.outcomes)
        adoption = [years[i * len(years) // size.outcomes] for i in range(size.outcomes)]
        weights = [TODAY.year - y + 0.5 for y in adoption]
        scale = budget / sum(weights)
        for index, year in enumerate(adoption):
            self.plan_outcome(index, year, round(weights[index] * scale))

    def plan_outcome(self, index: int, year: int, reports: int) -> None:
        rng, plan = self.rng, self.plan
        code = outcome_code(year, index)
        plan.outcome_codes.append(code)
        adopted = summit_day(year) + timedelta(days=2)
        responsible = rng.sample(plan.states, rng.randint(1, 3))
        formed = [g for g in plan.groups if self.formed[g] < adopted]
        group = rng.choice(formed) if formed and rng.random() < 0.6 else None
        deadline = self.deadline_for(adopted)
        public = rng.random() < 0.2

        def adopt() -> Aggregate:
            outcome = Outcome.adopt(
                FORUM,
                code,
                f"Outcome {code}: act on roundtable {index % 3 + 1}",
                self.fact(adopted),
                summary=f"What roundtable {index % 3 + 1} asked of the forum ({index}).",
                meeting_id=self.the_forum().meeting_id(f"summit-{year}"),
                roundtable=str(index % 3 + 1),
                session=f"{index % 3 + 1}.{index % 4 + 1}",
            )
            for position, state in enumerate(responsible):
                role = Role.LEAD if position == 0 else Role.SUPPORT
                outcome.assign_responsibility(state, role, self.fact(adopted))
            if group is not None:
                outcome.assign_working_group(self.groups[group].id, self.fact(adopted))
            if deadline is not None:
                outcome.set_deadline(deadline, self.fact(adopted))
            if public:
                outcome.set_public(True, self.fact(adopted))
            self.outcomes[code] = outcome
            return outcome

        plan.at(adopted, adopt)
        span = (TODAY - adopted).days
        if span <= 3 or reports == 0:
            return
        ends = self.plan_ending(code, adopted, span, deadline)
        last = (ends or TODAY) - timedelta(days=1)
        days = sorted(
            adopted + timedelta(days=rng.randint(1, max(1, (last - adopted).days)))
            for _ in range(reports)
        )
        for number, day in enumerate(days):
            percent = min(100, (number + 1) * 100 // (reports + 1)) if rng.random() < 0.7 else None
            evidence = [f"https://example.org/{code}/{number}.pdf"] if rng.random() < 0.4 else []
            retract = rng.random() < 0.02
            plan.at(
                day,
                partial(self.report, code, day, number, percent, evidence, retract),
            )

    def deadline_for(self, adopted: date) -> Deadline | None:
        roll = self.rng.random()
        if roll < 0.5:
            due = adopted + timedelta(days=self.rng.randint(180, 1800))
            return Deadline(DeadlineKind.DATE, adopted, due_on=due)
        if roll < 0.8:
            return Deadline(DeadlineKind.NEXT_MEETING, adopted, meeting_kind="summit")
        if roll < 0.9:
            return Deadline(DeadlineKind.RECURRING, adopted, every_months=12)
        return None

    def plan_ending(
        self, code: str, adopted: date, span: int, deadline: Deadline | None
    ) -> date | None:
        """Some outcomes are completed or withdrawn; nothing is reported on them afterwards."""
        roll = self.rng.random()
        recurring = deadline is not None and deadline.kind == DeadlineKind.RECURRING
        if roll < 0.3 and not recurring:
            day = adopted + timedelta(days=self.rng.randint(span // 2, span - 1))
            self.plan.at(day, lambda: self.complete(code, day))
            return day
        if roll < 0.33:
            day = adopted + timedelta(days=self.rng.randint(span // 2, span - 1))
            self.plan.at(day, lambda: self.withdraw(code, day))
            return day
        return None

    def report(
        self,
        code: str,
        day: date,
        number: int,
        percent: int | None,
        evidence: list[str],
        retract: bool,
    ) -> Aggregate:
        outcome = self.outcomes[code]
        report_id = outcome.report_id(f"bench-{number}")
        outcome.report_progress(
            report_id,
            f"Report {number} on {code}: workshop held, paper circulated to focal points.",
            self.fact(day, source=f"report {number}"),
            percent_complete=percent,
            evidence_urls=evidence,
        )
        if retract:
            outcome.retract_progress(report_id, "sent in error", self.fact(day))
        return outcome

    def complete(self, code: str, day: date) -> Aggregate:
        outcome = self.outcomes[code]
        outcome.complete("Done", [f"https://example.org/{code}/final.pdf"], self.fact(day))
        return outcome

    def withdraw(self, code: str, day: date) -> Aggregate:
        outcome = self.outcomes[code]
        outcome.withdraw("overtaken by events", self.fact(day))
        return outcome

    # -- recording ----------------------------------------------------------------------------

    groups: dict[str, WorkingGroup]
    surveys: dict[str, Survey]
    outcomes: dict[str, Outcome]

    def build(self) -> Plan:
        self.groups, self.surveys, self.outcomes = {}, {}, {}
        self.plan_forum()
        self.plan_groups()
        self.plan_outcomes()
        self.plan.steps.sort(key=lambda step: (step[0], step[1]))
        return self.plan

    def record(
        self, app: FollowupApplication, progress: Callable[[int], None] | None = None
    ) -> int:
        """Run every step in the order it happened; save in large transactions."""
        plan = self.build()
        dirty: dict[UUID, Aggregate] = {}
        pending = saved = 0
        for _, _, command in plan.steps:
            aggregate = command()
            dirty[aggregate.id] = aggregate
            pending += 1
            if pending >= SAVE_EVERY:
                saved += self.flush(app, dirty)
                pending = 0
                if progress is not None:
                    progress(saved)
        saved += self.flush(app, dirty)
        return saved

    @staticmethod
    def flush(app: FollowupApplication, dirty: dict[UUID, Aggregate]) -> int:
        if not dirty:
            return 0
        count = sum(len(a.pending_events) for a in dirty.values())
        app.save(*dirty.values())
        dirty.clear()
        return count
