"""4. Every read model rebuilt from the event log, against a raw sequential read of the events
table (every row fetched and its JSON state parsed: the least any replay has to do). The
rebuild starts each outcome from its newest snapshot, as the product's does; a replay of every
event is reported beside it."""

from __future__ import annotations

import json
import time

from sqlalchemy import text

from adapters.event_store import is_postgres
from bench.context import Run
from bench.datasets import VAR, open_container, read_engine
from bench.results import Goal, Result

GOAL = Goal(0.3, at_most=False)
REPORT = Goal(None)


def raw_read(url: str) -> tuple[int, float]:
    table, order = (
        ("followup_events", "notification_id") if is_postgres(url) else ("stored_events", "rowid")
    )
    with read_engine(url) as engine, engine.connect() as connection:
        started = time.perf_counter()
        result = connection.execution_options(stream_results=True, yield_per=10_000).execute(
            text(
                f"SELECT originator_id, originator_version, topic, state FROM {table} "
                f"ORDER BY {order}"
            )
        )
        count = 0
        for row in result:
            json.loads(row.state)
            count += 1
        return count, time.perf_counter() - started


def timed_rebuild(url: str, from_snapshots: bool) -> float:
    container = open_container(url, VAR)
    try:
        started = time.perf_counter()
        container.runner.rebuild(from_snapshots=from_snapshots)
        return time.perf_counter() - started
    finally:
        container.close()


def run(ctx: Run) -> None:
    """The product's rebuild (each outcome from its newest snapshot) against the goal, and a
    replay of every event (``projections rebuild --replay-all``) reported beside it."""
    count, raw_seconds = raw_read(ctx.url)
    for name, what, from_snapshots, goal in (
        ("rebuild", "all projections from scratch", True, GOAL),
        ("rebuild_replay_all", "the same, every event decoded (--replay-all)", False, REPORT),
    ):
        seconds = timed_rebuild(ctx.url, from_snapshots)
        ctx.report(
            Result(
                name,
                what,
                ctx.backend,
                count / seconds,
                count / raw_seconds,
                "events/s",
                goal,
                {"events": count, "seconds": round(seconds, 2), "raw": round(raw_seconds, 2)},
            )
        )
