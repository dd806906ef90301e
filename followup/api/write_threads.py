"""Where writes run: worker threads of their own, at most ``write_threads`` of them at once.

A write is a few milliseconds of Python (load the aggregate, decide, append, project) between
waits on the database. On SQLite the store takes one writer at a time anyway, so every thread
past the second only queues for the writer lock while it fights the others, and the event loop,
for the interpreter: at 10 concurrent clients, 10 threads cost ~20 % more CPU a write than 2
did (BENCHMARKS.md, "Seventh round"). On PostgreSQL writers do overlap in the database, and
limiting them lowered throughput, so there writes share the default pool of worker threads.

A write endpoint is written as a plain function and decorated with ``runs_as_write``: FastAPI
then awaits the wrapper, which runs the function on these threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import FastAPI, Request

from followup.api.auth import Bearer, principal_of

P = ParamSpec("P")
T = TypeVar("T")

#: the mark ``runs_as_write`` leaves on the endpoints it wraps
RUNS_AS_WRITE = "runs_as_write"

#: writes at once on SQLite: one appending while the next loads and decides
SQLITE_WRITE_THREADS = 2


def write_threads_for(configured: int | None, on_postgres: bool) -> int | None:
    """How many threads run writes (None: the default pool's, shared with other work)."""
    if configured is not None:
        return configured
    return None if on_postgres else SQLITE_WRITE_THREADS


class WriteThreads:
    """The limit on threads running writes, one limiter per event loop (anyio's limiters
    belong to the loop that made them; a test client runs a loop of its own)."""

    def __init__(self, threads: int | None) -> None:
        self.threads = threads
        self._limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
            WeakKeyDictionary()
        )

    def _limiter(self) -> CapacityLimiter | None:
        if self.threads is None:
            return None
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = CapacityLimiter(self.threads)
        return limiter

    async def run(self, call: Callable[[], T]) -> T:
        """``call`` on a write thread; a cancelled request still lets a started write finish."""
        return await anyio.to_thread.run_sync(call, limiter=self._limiter())


def write_threads_of(app: FastAPI) -> WriteThreads:
    threads = getattr(app.state, "write_threads", None)
    if not isinstance(threads, WriteThreads):
        threads = app.state.write_threads = WriteThreads(None)
    return threads


def runs_as_write(endpoint: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """A sync write endpoint, run on the app's write threads (``endpoint`` must take the
    ``request``). FastAPI reads the parameters through ``functools.wraps``. A principal
    (``followup.api.auth.PrincipalDep``) comes as the bearer token: it is checked on the
    write's thread, first, and the endpoint gets the principal it proves."""
    if "request" not in inspect.signature(endpoint).parameters:
        raise TypeError(f"{endpoint.__qualname__} needs a `request` parameter to run as a write")

    def checked(*args: P.args, **kwargs: P.kwargs) -> T:
        request = kwargs["request"]
        assert isinstance(request, Request)
        for name, value in list(kwargs.items()):
            if isinstance(value, Bearer):  # whatever the endpoint calls its principal
                kwargs[name] = principal_of(request, value)
        return endpoint(*args, **kwargs)

    @functools.wraps(endpoint)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        request = kwargs["request"]
        assert isinstance(request, Request)
        threads = write_threads_of(request.app)
        return await threads.run(functools.partial(checked, *args, **kwargs))

    setattr(wrapper, RUNS_AS_WRITE, True)  # the route tests look for it
    return wrapper
