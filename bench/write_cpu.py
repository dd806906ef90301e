"""``python -m bench.write_cpu [--quick] [--backend sqlite|postgres|both] [--requests N]``: where
the time of a progress report goes at 1 client, on the whole machine, followup's and the bare
endpoint's side by side (a fresh copy of the cached portfolio; ``python -m bench`` makes it).

At 1 client one request is in flight at a time: the client, the server and the database take
turns, so a request's latency is close to the CPU all three spend on it, and the write
benchmark's ratio at 1 client is the ratio of those sums. Each side's server CPU (user and
system), the client's (this process: the same async client as the benchmark) and the
database's (every PostgreSQL process; SQLite runs inside the server) are read from /proc
around each turn; the sides take turns as in the benchmark. What BENCHMARKS.md says of the 1-
client write comes from here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from bench.context import OPEN
from bench.datasets import (
    VAR,
    cache_file,
    read_engine,
    working_url,
)
from bench.load import _client, _timed
from bench.servers import serving
from bench.sizes import FULL, QUICK
from bench.write_path import body, token

TICK = os.sysconf("SC_CLK_TCK")
PARTS = ("latency", "client", "server user", "server system", "database", "rest of machine")


def process_cpu(stat: str) -> tuple[float, float]:
    """User and system seconds from a ``/proc/<pid>/stat`` line (the command name, in
    parentheses, may itself hold spaces and parentheses: fields are counted after the last)."""
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) / TICK, int(fields[12]) / TICK


def machine_busy(stat: str) -> float:
    """Seconds every core spent busy, from ``/proc/stat``'s first line (all but idle and
    iowait)."""
    values = [int(v) for v in stat.splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


def database_seconds() -> float:
    """CPU seconds of every PostgreSQL process (backends, WAL writer, checkpointer...)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = _read(f"/proc/{entry}/stat")
        except OSError:  # gone meanwhile
            continue
        if stat[stat.index("(") + 1 :].startswith("postgres"):
            total += sum(process_cpu(stat))
    return total


@dataclass
class Snapshot:
    wall: float
    client: float
    server_user: float
    server_system: float
    database: float
    machine: float

    @classmethod
    def take(cls, server_pid: int) -> Snapshot:
        user, system = process_cpu(_read(f"/proc/{server_pid}/stat"))
        return cls(
            time.perf_counter(),
            time.process_time(),
            user,
            system,
            database_seconds(),
            machine_busy(_read("/proc/stat")),
        )


def per_request(before: Snapshot, after: Snapshot, requests: int) -> dict[str, float]:
    """Milliseconds per request of each part over one turn."""

    def ms(seconds: float) -> float:
        return seconds / requests * 1000

    client = ms(after.client - before.client)
    user = ms(after.server_user - before.server_user)
    system = ms(after.server_system - before.server_system)
    database = ms(after.database - before.database)
    rest = ms(after.machine - before.machine) - client - user - system - database
    return {
        "latency": ms(after.wall - before.wall),
        "client": client,
        "server user": user,
        "server system": system,
        "database": database,
        "rest of machine": max(rest, 0.0),
    }


async def measure(
    sides: dict[str, tuple[str, int, str]], codes: list[str], bearer: str, turns: int, per_turn: int
) -> dict[str, list[dict[str, float]]]:
    """Each side's turns (A B, B A, ...), ``per_turn`` progress reports each, 1 client."""
    headers = {"Authorization": f"Bearer {bearer}"}
    clients = {name: _client(base, 1, None) for name, (base, _, _) in sides.items()}

    def requests(path: str, start: int, count: int) -> list[tuple[str, str, dict[str, object]]]:
        return [
            ("POST", path.format(code=codes[n % len(codes)]), {"json": body(n), "headers": headers})
            for n in range(start, start + count)
        ]

    def ok(response: httpx.Response) -> bool:
        return response.status_code < 400

    try:
        for name, (_, _, path) in sides.items():  # connections opened, servers warmed
            await _timed(clients[name], requests(path, 0, 20), 1, ok)
        turns_of: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
        names = list(sides)
        start = 20
        for turn in range(turns):
            for name in names if turn % 2 == 0 else names[::-1]:
                _, pid, path = sides[name]
                before = Snapshot.take(pid)
                timed = await _timed(clients[name], requests(path, start, per_turn), 1, ok)
                after = Snapshot.take(pid)
                if timed.failures:
                    raise RuntimeError(f"{name}: {timed.failures} requests failed")
                turns_of[name].append(per_request(before, after, per_turn))
            start += per_turn
        return turns_of
    finally:
        for client in clients.values():
            await client.aclose()


def medians(turns: list[dict[str, float]]) -> dict[str, float]:
    return {part: round(statistics.median(t[part] for t in turns), 3) for part in PARTS}


def run(backend: str, quick: bool, turns: int, per_turn: int) -> dict[str, dict[str, float]]:
    size = QUICK if quick else FULL
    url = working_url(size, 2026, backend)
    statuses = ", ".join(f"'{s}'" for s in OPEN)
    with read_engine(url) as engine, engine.connect() as connection:
        codes = list(
            connection.execute(
                text(f"SELECT code FROM outcomes WHERE status IN ({statuses}) ORDER BY code")
            ).scalars()
        )
    bearer = token(url)
    with serving("followup", url) as ours, serving("baseline", url) as bare:
        sides = {
            "followup": (ours.base, ours.pid, "/api/v1/outcomes/{code}/progress"),
            "bare endpoint": (bare.base, bare.pid, "/progress/{code}"),
        }
        measured = asyncio.run(measure(sides, codes, bearer, turns, per_turn))
    return {name: medians(turns_of) for name, turns_of in measured.items()}


def table(backend: str, found: dict[str, dict[str, float]]) -> Table:
    ours, bare = found["followup"], found["bare endpoint"]
    shown = Table(title=f"one progress report at 1 client on {backend}: ms per request (medians)")
    for column in ("part", "followup", "bare endpoint", "difference"):
        shown.add_column(column, justify="left" if column == "part" else "right")
    for part in PARTS:
        shown.add_row(
            part, f"{ours[part]:.2f}", f"{bare[part]:.2f}", f"{ours[part] - bare[part]:+.2f}"
        )
    spent = {
        name: sum(v for k, v in side.items() if k != "latency") for name, side in found.items()
    }
    shown.add_row(
        "CPU spent, all parts",
        f"{spent['followup']:.2f}",
        f"{spent['bare endpoint']:.2f}",
        f"{spent['followup'] - spent['bare endpoint']:+.2f}",
    )
    shown.caption = f"throughput ratio at 1 client: {bare['latency'] / ours['latency']:.2f}"
    return shown


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.write_cpu", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--turns", type=int, default=6, help="turns each side takes")
    parser.add_argument("--requests", type=int, default=300, help="progress reports a turn")
    parser.add_argument("--output", type=Path, default=None, help="the JSON result file")
    args = parser.parse_args(argv)
    size, console = (QUICK if args.quick else FULL), Console(width=120)
    if not cache_file(size, 2026).exists():
        console.print("no cached portfolio of this size: run `python -m bench` first")
        return 2
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = {}
    for backend in backends:
        results[backend] = run(backend, args.quick, args.turns, args.requests)
        console.print(table(backend, results[backend]))
    output = args.output or VAR / f"write-cpu-{size.name}.json"
    saved = {"size": size.name, "turns": args.turns, "requests": args.requests, "results": results}
    output.write_text(json.dumps(saved, indent=2))
    console.print(f"saved to {output}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
