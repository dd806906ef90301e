"""``python -m bench.rebuild_parts [--quick] [--backend sqlite|postgres] [--replay-all]``: where
a rebuild's time goes, part by part, on a fresh copy of the cached portfolio (``python -m
bench`` makes it).

Each projection hook, the log read and the runner's own steps are timed (wall, and the CPU of the
thread they run in) as they run; no profiler's overhead. What BENCHMARKS.md says of the rebuild
comes from here.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

import adapters.read_models.backlog as backlog
import adapters.read_models.rebuilding as rebuilding
import adapters.read_models.runner as runner_module
from bench.datasets import (
    VAR,
    cache_file,
    open_container,
    working_url,
)
from bench.sizes import FULL, QUICK

Totals = defaultdict[str, list[float]]


def timed(owner: Any, name: str, label: str, totals: Totals) -> None:
    """Replace ``owner.name`` by itself, adding its wall and CPU time under ``label``."""
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            total = totals[label]
            total[0] += time.perf_counter() - wall
            total[1] += time.thread_time() - cpu
            total[2] += 1

    setattr(owner, name, wrapper)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild_parts", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--replay-all", action="store_true", help="decode every event (no snapshot seeding)"
    )
    args = parser.parse_args(argv)
    size, console = (QUICK if args.quick else FULL), Console()
    if not cache_file(size, 2026).exists():
        console.print("no cached portfolio of this size: run `python -m bench` first")
        return 2
    url = working_url(size, 2026, args.backend)
    container = open_container(url, VAR)
    totals: Totals = defaultdict(lambda: [0.0, 0.0, 0])
    timed(container.app, "notifications", "reading and decoding the log", totals)
    for projection in container.runner.projections:
        for hook in ("prepare", "apply", "copy_from_log", "end_batch"):
            timed(projection, hook, f"{projection.name}.{hook}", totals)
    timed(rebuilding, "empty", "emptying the tables", totals)
    timed(runner_module, "advance", "moving the positions", totals)
    timed(backlog, "restore_indexes", "building the indexes", totals)
    timed(rebuilding, "restore_indexes", "building the indexes", totals)
    timed(container.runner.sorting, "own_events", "sorting each batch to each projection", totals)
    timed(container.app, "snapshotted_records", "reading the outcome snapshots", totals)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        container.runner.rebuild(from_snapshots=not args.replay_all)
    finally:
        container.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    table = Table(title=f"rebuild of the {size.name} portfolio on {args.backend}, by part")
    for column in ("part", "wall s", "CPU s", "calls"):
        table.add_column(column, justify="left" if column == "part" else "right")
    for label, (part_wall, part_cpu, calls) in sorted(totals.items(), key=lambda kv: -kv[1][0]):
        if part_wall >= 0.001:
            table.add_row(label, f"{part_wall:.3f}", f"{part_cpu:.3f}", f"{calls:.0f}")
    table.add_row("the whole rebuild", f"{wall:.3f}", f"{cpu:.3f}", "1")
    console.print(table)
    console.print(
        "A part's CPU is its own thread's (the log is read ahead in a thread, and the timeline"
        " copied in another, meanwhile); the whole rebuild's is the process's, every thread"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
