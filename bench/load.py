"""A real HTTP client: requests at a given concurrency, each one timed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

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


async def _timed(
    client: httpx.AsyncClient,
    requests: list[Request],
    concurrency: int,
    ok: Callable[[httpx.Response], bool],
) -> Timings:
    """``requests`` sent by ``concurrency`` workers sharing ``client``; each one timed."""
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    latencies: list[float] = []
    failures = 0

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
    return Timings(latencies, time.perf_counter() - started, failures)


def _client(base: str, concurrency: int, cookies: httpx.Cookies | None) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(base_url=base, timeout=600, limits=limits, cookies=cookies)


async def _drive(
    base: str,
    requests: list[Request],
    concurrency: int,
    ok: Callable[[httpx.Response], bool],
    cookies: httpx.Cookies | None,
) -> Timings:
    async with _client(base, concurrency, cookies) as client:
        return await _timed(client, requests, concurrency, ok)


def drive(
    base: str,
    requests: list[Request],
    concurrency: int = 1,
    ok: Callable[[httpx.Response], bool] = lambda r: r.status_code < 400,
    cookies: httpx.Cookies | None = None,
) -> Timings:
    """Send ``requests`` from ``concurrency`` clients; time each and the whole."""
    return asyncio.run(_drive(base, requests, concurrency, ok, cookies))


#: turns each side takes at a concurrency level, at most: fewer when a turn would give each
#: client fewer than ``PER_CLIENT`` requests, so that a turn is mostly load held, not its
#: ramp-up and tail (at 50 clients and the full size's 600 requests: one turn each)
TURNS = 6
PER_CLIENT = 10


def turns_for(requests: int, concurrency: int) -> int:
    return max(1, min(TURNS, requests // (PER_CLIENT * concurrency)))


class Side(NamedTuple):
    """One server's part in ``drive_in_turns``: where it is, what it is sent, as whom."""

    base: str
    requests: list[Request]
    cookies: httpx.Cookies | None = None


async def _in_turns(
    sides: dict[str, Side],
    concurrency: int,
    warm_up: int,
    ok: Callable[[httpx.Response], bool],
) -> dict[str, Timings]:
    clients = {name: _client(s.base, concurrency, s.cookies) for name, s in sides.items()}
    try:
        for name, side in sides.items():  # connections opened before any timing
            await _timed(clients[name], side.requests[: max(warm_up, concurrency)], concurrency, ok)
        names = list(sides)
        rounds = turns_for(max(len(side.requests) for side in sides.values()), concurrency)
        measured = {name: Timings([], 0.0, 0) for name in names}
        for turn in range(rounds):
            for name in names if turn % 2 == 0 else names[::-1]:  # A B, B A, A B, ...
                requests = sides[name].requests
                size = len(requests)
                share = requests[turn * size // rounds : (turn + 1) * size // rounds]
                timed = await _timed(clients[name], share, concurrency, ok)
                total = measured[name]
                total.latencies.extend(timed.latencies)
                total.seconds += timed.seconds
                total.failures += timed.failures
        return measured
    finally:
        for client in clients.values():
            await client.aclose()


def drive_in_turns(
    sides: dict[str, Side],
    concurrency: int,
    warm_up: int = 10,
    ok: Callable[[httpx.Response], bool] = lambda r: r.status_code < 400,
) -> dict[str, Timings]:
    """Each side's requests sent by ``concurrency`` clients, the sides taking turns (A B, B A,
    ...) so that whatever the machine does meanwhile lands on both alike; each side keeps its
    connections from one turn to the next (opened, and the server warmed, by ``warm_up``
    requests, or one a client, before any timing), so a turn costs no side a reconnection.
    Each side's throughput is its requests over the time its own turns took."""
    return asyncio.run(_in_turns(sides, concurrency, warm_up, ok))
