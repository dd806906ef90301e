"""Writes run on threads of their own, at most ``write_threads`` at once, off the event loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine, create_engine

from adapters.api_tokens import TokenInfo, TokenStore, api_tokens
from followup.api.auth import PrincipalDep
from followup.api.problems import install_problem_handlers
from followup.api.write_threads import (
    SQLITE_WRITE_THREADS,
    WriteThreads,
    runs_as_write,
    write_threads_for,
)
from tests.live_server import live_server


class Report(BaseModel):
    summary: str = Field(min_length=1)


class Gauge:
    """How many calls are inside at once, and the most there ever were."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.changed = threading.Condition()

    def enter(self) -> None:
        with self.changed:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.changed.notify_all()

    def leave(self) -> None:
        with self.changed:
            self.inside -= 1
            self.changed.notify_all()

    def wait_for(self, inside: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.inside >= inside, timeout)


def writes_app(threads: int | None, gauge: Gauge, release: threading.Event) -> FastAPI:
    app = FastAPI()
    app.state.write_threads = WriteThreads(threads)

    @app.post("/reports", status_code=201)
    @runs_as_write
    def report(request: Request, body: Report) -> dict[str, object]:
        gauge.enter()
        try:
            release.wait(timeout=30)
            # one more than allowed would get in here if the limit did not hold
            gauge.wait_for((threads or 64) + 1, timeout=0.3)
            return {"summary": body.summary, "on_thread": threading.get_ident()}
        finally:
            gauge.leave()

    @app.get("/ping")
    async def ping() -> dict[str, int]:
        return {"inside": gauge.inside}

    return app


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def post_reports(base: str, count: int) -> list[httpx.Response]:
    def post(n: int) -> httpx.Response:
        return httpx.post(f"{base}/reports", json={"summary": f"r{n}"}, timeout=60)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(post, range(count)))


def test_no_more_writes_run_at_once_than_configured(release: threading.Event) -> None:
    gauge = Gauge()
    release.set()
    with live_server(writes_app(2, gauge, release)) as base:
        responses = post_reports(base, 6)
    assert [r.status_code for r in responses] == [201] * 6
    assert sorted(r.json()["summary"] for r in responses) == [f"r{n}" for n in range(6)]
    assert gauge.most == 2


def test_without_a_limit_writes_overlap(release: threading.Event) -> None:
    gauge = Gauge()
    with (
        live_server(writes_app(None, gauge, release)) as base,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        answered = pool.submit(post_reports, base, 4)
        assert gauge.wait_for(4, timeout=30), "the four writes never ran side by side"
        release.set()
        responses = answered.result()
    assert [r.status_code for r in responses] == [201] * 4
    assert gauge.most == 4


def test_the_event_loop_answers_while_a_write_is_running(release: threading.Event) -> None:
    gauge = Gauge()
    with (
        live_server(writes_app(1, gauge, release)) as base,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        answered = pool.submit(post_reports, base, 1)
        assert gauge.wait_for(1, timeout=30)
        ping = httpx.get(f"{base}/ping", timeout=10)
        release.set()
        (write,) = answered.result()
    assert ping.json() == {"inside": 1}  # answered while the write was still inside
    assert write.status_code == 201
    assert write.json()["on_thread"] != threading.get_ident()


def test_the_wrapped_endpoint_still_validates_its_body(release: threading.Event) -> None:
    release.set()
    with live_server(writes_app(2, Gauge(), release)) as base:
        refused = httpx.post(f"{base}/reports", json={"summary": ""}, timeout=10)
        schema = httpx.get(f"{base}/openapi.json", timeout=10).json()
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "summary"]
    assert "Report" in schema["components"]["schemas"]


def test_an_endpoint_without_the_request_is_refused_at_import() -> None:
    def no_request(body: Report) -> None:
        return None

    with pytest.raises(TypeError, match="no_request needs a `request` parameter"):
        runs_as_write(no_request)


def test_sqlite_limits_writes_by_default_and_postgresql_does_not() -> None:
    assert write_threads_for(None, on_postgres=False) == SQLITE_WRITE_THREADS == 2
    assert write_threads_for(None, on_postgres=True) is None
    assert write_threads_for(6, on_postgres=True) == 6
    assert write_threads_for(1, on_postgres=False) == 1


class ThreadNotingTokens(TokenStore):
    """The real store, noting the thread each check runs on."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.threads: list[int] = []

    def authenticate(self, bearer: str) -> TokenInfo | None:
        self.threads.append(threading.get_ident())
        return super().authenticate(bearer)


def test_a_writes_token_is_checked_on_its_own_thread_before_it_runs(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    api_tokens.create(engine)
    tokens = ThreadNotingTokens(engine)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    info, bearer = tokens.create("lead", "secretariat", [], now)
    app = FastAPI()
    install_problem_handlers(app)
    app.state.write_threads = WriteThreads(2)
    app.state.tokens = tokens
    ran: list[tuple[str, int]] = []

    @app.post("/reports", status_code=201)
    @runs_as_write
    def report(request: Request, principal: PrincipalDep, body: Report) -> dict[str, str]:
        ran.append((principal.actor, threading.get_ident()))
        return {"by": principal.actor}

    with live_server(app) as base:
        made = httpx.post(
            f"{base}/reports",
            json={"summary": "ok"},
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=10,
        )
        tokens.revoke(info.id, now)
        revoked = httpx.post(
            f"{base}/reports",
            json={"summary": "after revocation"},
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=10,
        )
        anonymous = httpx.post(f"{base}/reports", json={"summary": "none"}, timeout=10)
    engine.dispose()
    assert made.status_code == 201 and made.json() == {"by": info.actor}
    assert [thread for _, thread in ran] == tokens.threads[:1]  # the write's own thread
    assert revoked.status_code == 401 and revoked.headers["www-authenticate"] == "Bearer"
    assert anonymous.status_code == 401
    assert len(ran) == 1  # neither refused write reached the endpoint
    assert len(tokens.threads) == 2  # no token, no query
