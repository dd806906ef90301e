"""5. Planning the reminder digests of every state before the next meeting (a dry run of the
real planner), against one raw SQL query over the read model listing what each state owes."""

from __future__ import annotations

import statistics
import time

from sqlalchemy import text

from bench.context import OPEN, Run
from bench.datasets import VAR, open_container, read_engine
from bench.results import Goal, Result
from bench.sizes import TODAY
from followup.reminders import ReminderService

GOAL = Goal(2.0)


def owed_by_state(url: str, meeting_day: object) -> float:
    statuses = ", ".join(f"'{s}'" for s in OPEN)
    with read_engine(url) as engine, engine.connect() as connection:
        started = time.perf_counter()
        connection.execute(
            text(
                "SELECT r.state, o.id, o.code, o.title, o.status, o.due_on, o.status_details "
                "FROM outcomes o JOIN outcome_responsibilities r ON r.outcome_id = o.id "
                f"WHERE o.status IN ({statuses}) AND (o.due_on IS NULL OR o.due_on <= :day) "
                "ORDER BY r.state, o.due_on, o.code"
            ),
            {"day": meeting_day},
        ).all()
        return time.perf_counter() - started


def run(ctx: Run) -> None:
    container = open_container(ctx.url, VAR)
    try:
        container.settle()
        service = ReminderService(container, None)
        meeting = service.calendar(TODAY).next_chair_meeting(TODAY)
        assert meeting is not None, "the generated calendar has a meeting ahead"
        service.plan(TODAY, dry_run=True)  # warm up
        ours, bare = [], []
        planned = 0
        for _ in range(ctx.size.as_of_repeats):
            started = time.perf_counter()
            planned = len(service.plan(TODAY, dry_run=True).planned)
            ours.append(time.perf_counter() - started)
            bare.append(owed_by_state(ctx.url, meeting.starts_on))
    finally:
        container.close()
    ctx.report(
        Result(
            "reminders",
            f"plan before {meeting.code}",
            ctx.backend,
            statistics.median(ours) * 1000,
            statistics.median(bare) * 1000,
            "ms",
            GOAL,
            {"planned": planned},
        )
    )
