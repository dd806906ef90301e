"""What an operator watches: liveness, readiness, Prometheus metrics and JSON logs carrying the
request id (on both backends; the unreachable store on PostgreSQL, where it can go away)."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.clock import FixedClock
from followup.api.app import create_app
from followup.bootstrap import Container, bootstrap
from followup.observability.logging import configure_logging
from followup.settings import Settings
from tests.conftest import _drop_pg_database
from tests.factories import NOW, adopted_outcome
from tests.live_server import live_server

ACCESS = "followup.access"


@pytest.fixture
def client(loaded: Container) -> Iterator[httpx.Client]:
    """A real server over the store, without the background worker: nothing projects unless
    the test settles."""
    with (
        live_server(create_app(loaded, background=False)) as base,
        httpx.Client(base_url=base) as http,
    ):
        yield http


def append_unprojected(container: Container, count: int) -> None:
    """Events the read models have not applied yet (as if the worker were behind)."""
    for _ in range(count):
        container.app.save(adopted_outcome(f"lagging-{uuid.uuid4().hex[:8]}"))


def scrape(client: httpx.Client) -> dict[str, list[Any]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {family.name: family.samples for family in text_string_to_metric_families(response.text)}


def value(samples: list[Any], name: str, **labels: str) -> float:
    [found] = [s.value for s in samples if s.name == name and labels.items() <= s.labels.items()]
    return float(found)


# -- liveness and readiness --------------------------------------------------------------------


def test_ready_when_the_store_answers_and_the_read_models_are_caught_up(
    loaded: Container, client: httpx.Client
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["head_position"] == loaded.app.head_position()
    assert body["max_lag"] == 1000
    assert {c["name"] for c in body["checks"]} >= {"store", "projection:outcome_status"}
    assert all(c["ok"] for c in body["checks"])


def test_not_ready_while_a_read_model_lags_beyond_the_limit(
    loaded: Container, client: httpx.Client
) -> None:
    loaded.settings = loaded.settings.model_copy(update={"readiness_max_lag": 2})
    append_unprojected(loaded, 2)
    assert client.get("/readyz").status_code == 200  # two behind is within the limit
    append_unprojected(loaded, 1)
    response = client.get("/readyz")
    assert response.status_code == 503
    failed = {c["name"]: c["detail"] for c in response.json()["checks"] if not c["ok"]}
    assert failed["projection:timeline"] == "lags 3 event(s) behind the head (at most 2)"
    assert "projection:survey_runs" not in failed  # adoptions are nothing to that one
    assert client.get("/healthz").status_code == 200  # alive all the same
    loaded.settle()
    assert client.get("/readyz").status_code == 200


@pytest.fixture
def doomed(database_url_postgres: str, tmp_path: Any) -> Iterator[Container]:
    settings = Settings(database_url=database_url_postgres, data_dir=tmp_path, forum="gfmd")
    container = bootstrap(settings, clock=FixedClock(NOW))
    try:
        yield container
    finally:
        container.close()


def test_not_ready_but_alive_when_the_store_goes_away(doomed: Container) -> None:
    app = create_app(doomed, background=False)
    with live_server(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/readyz").status_code == 200
        _drop_pg_database(doomed.engine.url.database or "")
        response = client.get("/readyz")
        assert response.status_code == 503
        [store] = response.json()["checks"]
        assert store["name"] == "store" and not store["ok"]
        assert store["detail"].startswith("the event store does not answer")
        alive = client.get("/healthz")
        assert alive.status_code == 200 and alive.json()["store"] == "unreachable"
        assert value(scrape(client)["followup_store_up"], "followup_store_up") == 0


# -- metrics -----------------------------------------------------------------------------------


def test_metrics_count_requests_by_route_template_and_read_the_store(
    loaded: Container, client: httpx.Client
) -> None:
    for code in ("mnl-2008-rt3.1-data-research-wg", "mnl-2008-rt3.2-coherence-on-agenda"):
        assert client.get(f"/api/v1/outcomes/{code}").status_code == 200
    assert client.get("/api/v1/outcomes/no-such-outcome").status_code == 404
    families = scrape(client)

    requests = families["followup_http_request_duration_seconds"]
    route = "/api/v1/outcomes/{outcome_id}"
    name = "followup_http_request_duration_seconds_count"
    assert value(requests, name, route=route, status="200", method="GET", forum="gfmd") == 2
    assert value(requests, name, route=route, status="404") == 1
    assert not [s for s in requests if "mnl-2008" in s.labels.get("route", "")]

    head = loaded.app.head_position()
    appended = families["followup_events_appended"]
    assert value(appended, "followup_events_appended_total", forum="gfmd") == head
    lag = families["followup_projection_lag_events"]
    assert {s.labels["projection"] for s in lag} == set(loaded.runner.positions())
    assert all(s.value == 0 for s in lag)
    assert value(families["followup_store_up"], "followup_store_up") == 1

    append_unprojected(loaded, 4)
    families = scrape(client)
    assert value(families["followup_events_appended"], "followup_events_appended_total") == (
        head + 4
    )
    lag = families["followup_projection_lag_events"]
    assert value(lag, "followup_projection_lag_events", projection="timeline") == 4


# -- request ids in JSON logs ------------------------------------------------------------------


@contextmanager
def captured_logs(json: bool) -> Iterator[io.StringIO]:
    """``configure_logging`` as ``serve`` calls it, into a buffer; the process's logging set-up
    restored afterwards."""
    loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.error", "uvicorn.access")]
    saved = [(lg.handlers[:], lg.propagate, lg.level) for lg in loggers]
    stream = io.StringIO()
    configure_logging("info", json=json, stream=stream)
    try:
        yield stream
    finally:
        for logger, (handlers, propagate, level) in zip(loggers, saved, strict=True):
            logger.handlers[:] = handlers
            logger.propagate, logger.level = propagate, level


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    with captured_logs(json=True) as stream:
        yield stream


def records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_each_request_has_an_id_in_its_response_and_in_every_log_line_about_it(
    loaded: Container, log_lines: io.StringIO
) -> None:
    loaded.settings = loaded.settings.model_copy(update={"readiness_max_lag": 0})
    with live_server(create_app(loaded, background=False)) as base:
        append_unprojected(loaded, 1)  # so /readyz logs why it is not ready
        with httpx.Client(base_url=base) as http:
            given = http.get("/readyz", headers={"X-Request-ID": "lb-7f3a.42"})
            made = http.get("/api/v1/outcomes", headers={"X-Request-ID": "not an id; DROP"})
    assert given.status_code == 503 and given.headers["X-Request-ID"] == "lb-7f3a.42"
    generated = made.headers["X-Request-ID"]
    assert len(generated) == 32 and generated != "not an id; DROP"

    lines = records(log_lines)
    about_given = [r for r in lines if r.get("request_id") == "lb-7f3a.42"]
    warning = next(r for r in about_given if r["logger"] == "followup.api.routes.health")
    assert warning["level"] == "WARNING" and warning["forum"] == "gfmd"
    assert "projection:timeline lags 1 event(s)" in warning["message"]
    [access] = [r for r in about_given if r["logger"] == ACCESS]
    assert access["method"] == "GET" and access["path"] == "/readyz"
    assert access["status"] == 503 and access["forum"] == "gfmd"
    assert access["duration_ms"] >= 0 and "time" in access
    [other] = [
        r for r in lines if r["logger"] == "followup.access" and r["request_id"] == generated
    ]
    assert other["path"] == "/api/v1/outcomes" and other["status"] == 200


def test_text_logs_carry_the_request_id_too(loaded: Container) -> None:
    app = create_app(loaded, background=False)
    with captured_logs(json=False) as stream, live_server(app) as base:
        httpx.get(f"{base}/healthz", headers={"X-Request-ID": "abc123"})
    assert "INFO followup.access [gfmd abc123] GET /healthz 200" in stream.getvalue()
