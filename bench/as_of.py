"""3. The whole portfolio as of a past day, against the current-status query (same process)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from bench.context import Run
from bench.datasets import VAR, open_container
from bench.results import Goal, Result
from followup.queries import OutcomeFilter, OutcomeQueries

GOAL = Goal(5.0)
EVERYTHING = 10**9


def timed(step: Callable[[], object], repeats: int) -> float:
    step()  # warm up
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def past_day(ctx: Run) -> date:
    """An arbitrary past day, the same for a seed: somewhere in 2012-2024."""
    return date(2012, 1, 1) + timedelta(days=ctx.rng("as_of").randint(0, 13 * 365))


def run(ctx: Run) -> None:
    container = open_container(ctx.url, VAR)
    try:
        queries = OutcomeQueries(container)
        day = past_day(ctx)
        current = timed(
            lambda: queries.list_current(OutcomeFilter(), EVERYTHING), ctx.size.as_of_repeats
        )
        past = timed(
            lambda: queries.list_as_of(OutcomeFilter(), day, EVERYTHING), ctx.size.as_of_repeats
        )
        total = queries.list_as_of(OutcomeFilter(), day, EVERYTHING)[1]
    finally:
        container.close()
    ctx.report(
        Result(
            "as_of",
            f"portfolio as of {day}",
            ctx.backend,
            past * 1000,
            current * 1000,
            "ms",
            GOAL,
            {"outcomes": total},
        )
    )
