"""A real HTTP client: requests at a given concurrency, each one timed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

Request = tuple[str, str, dict[str, Any]]  # method, path, httpx keyword arguments


@dataclass
class Timings:
    latencies: list[float]
    seconds: float
    failures: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def _drive(
    base: str,
    requests: list[Request],
    concurrency: int,
    ok: Callable[[httpx.Response], bool],
    cookies: httpx.Cookies | None,
) -> Timings:
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(
        base_url=base, timeout=600, limits=limits, cookies=cookies
    ) as client:

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                method, path, kwargs = queue.get_nowait()
                started = time.perf_counter()
                response = await client.request(method, path, **kwargs)
                elapsed = time.perf_counter() - started
                if ok(response):
                    latencies.append(elapsed)
                else:
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Timings(latencies, seconds, failures)


def drive(
    base: str,
    requests: list[Request],
    concurrency: int = 1,
    ok: Callable[[httpx.Response], bool] = lambda r: r.status_code < 400,
    cookies: httpx.Cookies | None = None,
) -> Timings:
    """Send ``requests`` from ``concurrency`` clients; time each and the whole."""
    return asyncio.run(_drive(base, requests, concurrency, ok, cookies))
