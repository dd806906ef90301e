"""Writers racing on one outcome: without If-Match nothing is lost; with a stale one, 412."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from adapters.api_tokens import TokenStore
from followup.api.app import create_app
from followup.bootstrap import Container
from tests.live_server import live_server

OUTCOME = "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda"


def test_concurrent_reports_are_all_kept(loaded: Container) -> None:
    _, token = TokenStore(loaded.engine).create("su", "secretariat", [], loaded.clock.now())
    headers = {"Authorization": f"Bearer {token}"}
    with live_server(create_app(loaded, background=False)) as base:
        version = httpx.get(f"{base}{OUTCOME}").json()["version"]

        def report(n: int) -> int:
            response = httpx.post(
                f"{base}{OUTCOME}/progress",
                headers=headers,
                json={"summary": f"report {n}"},
                timeout=60,
            )
            return response.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(report, range(16)))
        detail = httpx.get(f"{base}{OUTCOME}").json()
    assert statuses == [201] * 16
    assert detail["version"] == version + 16
    assert {f"report {n}" for n in range(16)} <= {p["summary"] for p in detail["progress"]}


def test_racing_writers_with_the_same_if_match_one_wins(loaded: Container) -> None:
    _, token = TokenStore(loaded.engine).create("su", "secretariat", [], loaded.clock.now())
    with live_server(create_app(loaded, background=False)) as base:
        version = httpx.get(f"{base}{OUTCOME}").json()["version"]
        headers = {"Authorization": f"Bearer {token}", "If-Match": f'"{version}"'}

        def report(n: int) -> int:
            return httpx.post(
                f"{base}{OUTCOME}/progress", headers=headers, json={"summary": f"r{n}"}, timeout=60
            ).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = sorted(pool.map(report, range(6)))
        final = httpx.get(f"{base}{OUTCOME}").json()["version"]
    assert statuses == [201] + [412] * 5
    assert final == version + 1


def test_writes_run_on_two_threads_on_sqlite_and_share_the_pool_on_postgres(
    container: Container,
) -> None:
    app = create_app(container, background=False)
    on_postgres = container.engine.dialect.name == "postgresql"
    assert app.state.write_threads.threads == (None if on_postgres else 2)
