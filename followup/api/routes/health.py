"""Liveness (``/healthz``), readiness (``/readyz``) and Prometheus metrics (``/metrics``).

Liveness answers 200 while the process runs, whatever the database does: restarting a process
does not bring a database back. Readiness is what a load balancer asks before sending traffic.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from followup.api.deps import ContainerDep
from followup.api.schemas import Health, Readiness, ReadinessCheck
from followup.observability.probe import database_answers

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)
LAG_COUNTED_UP_TO = 10_000


@router.get("/healthz", response_model=Health)
def healthz(container: ContainerDep) -> Health:
    """Liveness (always 200 while the process runs), whether the event store answers, and how
    far each read model lags."""
    try:
        if not database_answers(container.engine):
            raise ConnectionError("the database does not answer")
        head = container.app.head_position()
        lag = container.runner.lag()
    except Exception:  # any driver error means the store is not reachable
        return Health(
            status="unavailable", store="unreachable", head_position=None, projection_lag={}
        )
    return Health(status="ok", store="reachable", head_position=head, projection_lag=lag)


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(container: ContainerDep) -> Readiness | JSONResponse:
    """200 when the event store answers and every read model is within
    ``FOLLOWUP_READINESS_MAX_LAG`` events of the head; otherwise 503 naming what failed."""
    limit = container.settings.readiness_max_lag
    cap = max(LAG_COUNTED_UP_TO, limit + 1)
    try:
        if not database_answers(container.engine):
            raise ConnectionError("the database does not answer")
        head = container.app.head_position()
        lag = container.runner.lag(cap=cap)
    except Exception as error:  # any driver error means the store is not reachable
        store = ReadinessCheck(
            name="store",
            ok=False,
            detail=f"the event store does not answer ({type(error).__name__})",
        )
        return _not_ready(
            Readiness(status="not_ready", head_position=None, max_lag=limit, checks=[store])
        )
    checks = [ReadinessCheck(name="store", ok=True, detail=f"answers; log head at {head}")]
    for name, behind in sorted(lag.items()):
        counted = f"at least {behind}" if behind >= cap else str(behind)
        checks.append(
            ReadinessCheck(
                name=f"projection:{name}",
                ok=behind <= limit,
                detail=f"lags {counted} event(s) behind the head (at most {limit})",
            )
        )
    answer = Readiness(
        status="ready" if all(c.ok for c in checks) else "not_ready",
        head_position=head,
        max_lag=limit,
        checks=checks,
    )
    return answer if answer.status == "ready" else _not_ready(answer)


def _not_ready(answer: Readiness) -> JSONResponse:
    failed = "; ".join(f"{c.name} {c.detail}" for c in answer.checks if not c.ok)
    log.warning("not ready: %s", failed)
    return JSONResponse(answer.model_dump(), status_code=503)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus text exposition of this forum's registry (figures from the store are read
    now, so any process of a fleet gives the same)."""
    body = generate_latest(request.app.state.metrics_registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
