"""2. The pages readers use most (dashboard, a filtered outcome list, one outcome), p95 over a
real HTTP client, against bare endpoints running the equivalent raw SQL; the two servers take
turns, as the write benchmark's do."""

from __future__ import annotations

import re

import httpx

from adapters.users import UserStore
from bench.context import Run
from bench.datasets import read_engine
from bench.load import Request, Side, drive_in_turns
from bench.results import Goal, Result, percentile
from bench.servers import served
from bench.sizes import NOW

GOAL = Goal(3.0)
PASSWORD = "bench-reader-password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=60) as client:
        form = client.get("/sign-in")
        found = CSRF.search(form.text)
        assert found, "no CSRF token on the sign-in form"
        response = client.post(
            "/sign-in",
            data={
                "username": "bench",
                "password": PASSWORD,
                "csrf_token": found.group(1),
                "next": "/",
            },
        )
        if response.status_code != 303:
            raise RuntimeError(f"could not sign in: {response.status_code}")
        return client.cookies


def run(ctx: Run) -> None:
    with read_engine(ctx.url) as engine:
        UserStore(engine).create("bench", "Bench reader", "secretariat", PASSWORD, NOW)
    [state] = ctx.scalars(
        "SELECT state FROM outcome_responsibilities GROUP BY state ORDER BY count(*) DESC, state "
        "LIMIT 1"
    )
    rng = ctx.rng("reads")
    codes = ctx.scalars("SELECT code FROM outcomes ORDER BY code")
    sample = [rng.choice(codes) for _ in range(ctx.size.read_requests)]
    n = ctx.size.read_requests
    pages: dict[str, tuple[list[Request], list[Request]]] = {
        "dashboard": ([("GET", "/", {})] * n, [("GET", "/dashboard", {})] * n),
        "filtered outcome list": (
            [("GET", f"/outcomes?state={state}&status=overdue", {})] * n,
            [("GET", f"/outcomes?state={state}&status=overdue", {})] * n,
        ),
        "outcome page": (
            [("GET", f"/outcomes/{c}", {}) for c in sample],
            [("GET", f"/outcomes/{c}", {}) for c in sample],
        ),
    }
    p95: dict[str, dict[str, float]] = {"followup": {}, "baseline": {}}
    # both servers up side by side, taking turns page by page (``drive_in_turns``): whatever
    # the machine does meanwhile lands on both
    with served("followup", ctx.url) as ours, served("baseline", ctx.url) as bare:
        cookies = sign_in(ours)
        for page, (mine, theirs) in pages.items():
            sides = {"followup": Side(ours, mine, cookies), "baseline": Side(bare, theirs)}
            for kind, timings in drive_in_turns(sides, 1, warm_up=2).items():
                if timings.failures:
                    raise RuntimeError(f"{kind} {page}: {timings.failures} requests failed")
                p95[kind][page] = percentile(timings.latencies, 0.95) * 1000
    for page in pages:
        ctx.report(
            Result(
                "reads",
                f"{page} p95",
                ctx.backend,
                p95["followup"][page],
                p95["baseline"][page],
                "ms",
                GOAL,
                {"requests": n},
            )
        )
