"""1. Progress reports through the real HTTP API (a 201 means durable and visible in the read
models) at several concurrencies, against a bare endpoint doing one INSERT and commit."""

from __future__ import annotations

from typing import Any

from adapters.api_tokens import TokenStore
from bench.context import Run
from bench.datasets import read_engine
from bench.load import PER_CLIENT, Side, Timings, drive_in_turns, turns_for
from bench.results import Goal, Result, percentile
from bench.servers import served
from bench.sizes import NOW, Size

GOAL = Goal(0.5, at_most=False)


def token(url: str) -> str:
    with read_engine(url) as engine:
        return TokenStore(engine).create("bench writer", "secretariat", [], NOW)[1]


def body(number: int) -> dict[str, Any]:
    return {"summary": f"Benchmark progress report {number}", "percent_complete": number % 100}


def requests_at(size: Size, concurrency: int) -> int:
    """The requests each side sends at a level: the size's, or enough for its turns."""
    return max(size.write_requests, size.write_turns * PER_CLIENT * concurrency)


def latencies(timings: Timings) -> dict[str, float]:
    ms = [t * 1000 for t in timings.latencies]
    return {
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "requests": len(ms),
        "failures": timings.failures,
    }


def run(ctx: Run) -> None:
    """followup and the bare endpoint are both up, on the same database, and take turns at each
    concurrency level (``drive_in_turns``): the machine's drift over a level lands on both."""
    codes = ctx.open_codes()
    bearer = {"Authorization": f"Bearer {token(ctx.url)}"}
    rng = ctx.rng("write")
    levels = ctx.size.concurrency
    plans = {c: [rng.choice(codes) for _ in range(requests_at(ctx.size, c))] for c in levels}
    measured: dict[int, dict[str, Timings]] = {}
    with served("followup", ctx.url) as ours, served("baseline", ctx.url) as bare:
        for concurrency in levels:
            paths = {
                "followup": (ours, "/api/v1/outcomes/{code}/progress"),
                "baseline": (bare, "/progress/{code}"),
            }
            sides = {
                kind: Side(
                    base,
                    [
                        ("POST", path.format(code=code), {"json": body(n), "headers": bearer})
                        for n, code in enumerate(plans[concurrency])
                    ],
                )
                for kind, (base, path) in paths.items()
            }
            measured[concurrency] = drive_in_turns(sides, concurrency)
    for concurrency in levels:
        ours_t, bare_t = measured[concurrency]["followup"], measured[concurrency]["baseline"]
        ctx.report(
            Result(
                "write",
                f"progress reports, {concurrency} clients",
                ctx.backend,
                ours_t.throughput,
                bare_t.throughput,
                "req/s",
                GOAL,
                {
                    "followup": latencies(ours_t),
                    "baseline": latencies(bare_t),
                    "turns": turns_for(len(plans[concurrency]), concurrency),
                },
            )
        )
