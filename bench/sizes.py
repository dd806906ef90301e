"""How big a benchmark run is: the portfolio's size and how many requests each benchmark makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

# every run pretends it is this moment, so generated data and answers are reproducible
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TODAY: date = NOW.date()
FIRST_YEAR = 2007


@dataclass(frozen=True)
class Size:
    """A named scale: the portfolio, and the sample sizes of the timed parts."""

    name: str
    outcomes: int
    states: int
    events: int
    write_requests: int  # per concurrency level, at least
    concurrency: tuple[int, ...]
    #: turns each side takes at a level, at least (``bench.load.turns_for``): a level gets
    #: as many more requests as that needs (at full size: 1,500 at 50 clients, not 600)
    write_turns: int
    read_requests: int  # per page
    as_of_repeats: int
    import_outcomes: int

    @property
    def key(self) -> str:
        return f"{self.name}-{self.outcomes}o-{self.states}s-{self.events}e"


FULL = Size(
    name="full",
    outcomes=10_000,
    states=200,
    events=1_000_000,
    write_requests=600,
    concurrency=(1, 10, 50),
    # one turn each at 50 clients measured whatever the machine did in that half-minute: the
    # bare endpoint served 93-320 req/s there from one run to the next (BENCHMARKS.md)
    write_turns=3,
    read_requests=200,  # p95 of 40 was the second slowest request: whichever hiccup came
    as_of_repeats=3,
    import_outcomes=5_000,
)

QUICK = Size(
    name="quick",
    outcomes=200,
    states=20,
    events=10_000,
    write_requests=40,
    concurrency=(1, 10, 50),
    write_turns=0,  # a smoke test: as few requests as can show each level works
    read_requests=40,  # p95 of fewer is the slowest request, which noise decides
    as_of_repeats=2,
    import_outcomes=200,
)
