"""``python -m bench.write_parts [--quick] [--backend sqlite|postgres] [--writes N]``: where a
progress report's time goes inside followup, part by part, without HTTP, on a fresh copy of the
cached portfolio (``python -m bench`` makes it).

What the API's write does after the request is parsed, in its order (every open outcome kept in
memory first, as the server's start-up does): the bearer token checked,
then the command (the outcome loaded as this process keeps it, the domain's decision, the
append, and the read models with the workflow policy brought up to date before it returns), on
random open outcomes one after the other, after writes to warm up. Each part is timed as it runs
(wall, and its thread's CPU), no profiler's overhead; ``bench.write_cpu`` puts the whole request
beside the bare endpoint's. What BENCHMARKS.md says of a write's parts comes from here.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from uuid import UUID

from rich.console import Console
from rich.table import Table
from sqlalchemy import text

import adapters.read_models.runner as runner_module
from adapters.api_tokens import TokenStore
from bench.context import OPEN
from bench.datasets import (
    VAR,
    cache_file,
    open_container,
    working_url,
)
from bench.rebuild_parts import Totals, timed
from bench.sizes import FULL, NOW, QUICK
from followup.api.app import freeze_what_start_up_built
from followup.authorization import Principal, Role
from followup.commands.outcomes import OutcomeCommands
from followup.open_outcomes import keep_open_outcomes

WARM_UP = 50


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.write_parts", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--writes", type=int, default=600, help="progress reports timed")
    args = parser.parse_args(argv)
    size, console = (QUICK if args.quick else FULL), Console(width=120)
    if not cache_file(size, 2026).exists():
        console.print("no cached portfolio of this size: run `python -m bench` first")
        return 2
    url = working_url(size, 2026, args.backend)
    container = open_container(url, VAR)
    try:
        container.settle()  # as the API's start-up does: every open outcome kept in memory
        keep_open_outcomes(container)
        freeze_what_start_up_built()
        tokens = TokenStore(container.engine)
        bearer = tokens.create("bench writer", "secretariat", [], NOW)[1]
        statuses = ", ".join(f"'{s}'" for s in OPEN)
        with container.engine.connect() as connection:
            ids = [
                UUID(i)
                for i in connection.execute(
                    text(f"SELECT id FROM outcomes WHERE status IN ({statuses}) ORDER BY code")
                ).scalars()
            ]
        rng = random.Random(2026)
        plan = [rng.choice(ids) for _ in range(WARM_UP + args.writes)]

        def write(number: int, outcome_id: UUID) -> None:
            token = tokens.authenticate(bearer)
            assert token is not None
            principal = Principal(token.id, Role(token.role), frozenset(token.working_groups))
            OutcomeCommands(container, principal).report_progress(
                outcome_id, f"Benchmark progress report {number}", None, number % 100
            )

        for number, outcome_id in enumerate(plan[:WARM_UP]):
            write(number, outcome_id)
        totals: Totals = defaultdict(lambda: [0.0, 0.0, 0])
        timed(tokens, "authenticate", "the token's check", totals)
        timed(container.app, "save", "the append (event store)", totals)
        timed(container, "settle", "the read models and the workflow policy, in all", totals)
        for projection in container.runner.projections:
            for hook in ("prepare", "copy_from_log", "end_batch"):
                timed(projection, hook, f"  {projection.name}.{hook}", totals)
        timed(runner_module, "advance", "  moving the positions", totals)
        timed(container.app, "advance_workflows", "  the workflow policy", totals)
        wall, cpu = time.perf_counter(), time.thread_time()
        for number, outcome_id in enumerate(plan[WARM_UP:], start=WARM_UP):
            write(number, outcome_id)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    finally:
        container.close()
    writes = args.writes
    parts = {label: (w, c, n) for label, (w, c, n) in totals.items() if n}
    inside = sum(parts[label][0] for label in parts if not label.startswith(" "))
    inside_cpu = sum(parts[label][1] for label in parts if not label.startswith(" "))
    parts["the load and the decision (the rest)"] = (wall - inside, cpu - inside_cpu, writes)
    shown = Table(
        title=f"a progress report on {args.backend}, {size.name} portfolio, {writes} writes:"
        " ms a write"
    )
    for column in ("part", "wall", "CPU", "calls a write"):
        shown.add_column(column, justify="left" if column == "part" else "right")
    order = [
        "the token's check",
        "the load and the decision (the rest)",
        "the append (event store)",
        "the read models and the workflow policy, in all",
    ]

    def rank(label: str) -> float:  # the parts inside the read models' come after them
        return len(order) - 0.5 if label.startswith(" ") else order.index(label)

    for label, (part_wall, part_cpu, calls) in sorted(parts.items(), key=lambda kv: rank(kv[0])):
        ms = 1000 / writes
        if part_wall * ms >= 0.001:
            shown.add_row(
                label, f"{part_wall * ms:.3f}", f"{part_cpu * ms:.3f}", f"{calls / writes:g}"
            )
    shown.add_row(
        "the whole write", f"{wall * 1000 / writes:.3f}", f"{cpu * 1000 / writes:.3f}", "1"
    )
    console.print(shown)
    console.print(
        "Indented parts are inside the one above them. A part's CPU is its own thread's; the"
        " database's own work (PostgreSQL's processes) is in its wall time only."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
