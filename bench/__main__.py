"""``python -m bench [--quick] [--only write,reads,...] [--backend sqlite|postgres] [--seed N]``:
generate (or reuse) the portfolio, run each benchmark against its baseline, print and save."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from rich.console import Console

from bench import as_of, import_file, reads, rebuild, reminder_planning, write_path
from bench.context import Run
from bench.datasets import (
    PG_ADMIN,
    VAR,
    Dataset,
    ensure_postgres,
    ensure_sqlite,
    working_url,
)
from bench.results import Result, print_table, save
from bench.sizes import FULL, QUICK

BENCHMARKS: dict[str, Callable[[Run], None]] = {
    "write": write_path.run,
    "reads": reads.run,
    "as_of": as_of.run,
    "rebuild": rebuild.run,
    "reminders": reminder_planning.run,
    "import": import_file.run,
}
BACKENDS = ("sqlite", "postgres")


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a reduced size (CI smoke test)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated names")
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=None, help="the JSON result file")
    return parser.parse_args(argv)


def postgres_problem() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error)


def main(argv: list[str]) -> int:
    args = arguments(argv)
    console = Console(width=200)
    size = QUICK if args.quick else FULL
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        console.print(f"unknown benchmarks: {', '.join(sorted(unknown))}")
        return 2
    backends = list(BACKENDS) if args.backend == "both" else [args.backend]
    if "postgres" in backends and (problem := postgres_problem()) is not None:
        if os.environ.get("CI") == "true" or args.backend == "postgres":
            console.print(f"PostgreSQL is unreachable: {problem}")
            return 3
        console.print(f"[yellow]PostgreSQL unreachable, skipped: {problem}[/yellow]")
        backends.remove("postgres")
    started = time.perf_counter()
    dataset = ensure_sqlite(size, args.seed, console.print)
    datasets: dict[str, Dataset] = {"sqlite": dataset}
    results: list[Result] = []
    for backend in backends:
        if backend == "postgres":
            datasets["postgres"] = ensure_postgres(size, args.seed, dataset, console.print)
        for name in chosen:
            url = working_url(size, args.seed, backend)
            console.print(f"[bold]{name}[/bold] on {backend}", highlight=False)
            run = Run(size, args.seed, backend, url, console)
            BENCHMARKS[name](run)
            results.extend(run.results)
    print_table(console, results)
    output = args.output or VAR / f"results-{size.name}.json"
    save(
        output,
        results,
        {
            "size": size.name,
            "seed": args.seed,
            "datasets": {k: vars(v) for k, v in datasets.items()},
            "seconds": round(time.perf_counter() - started, 1),
        },
    )
    console.print(f"results saved to {output}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
