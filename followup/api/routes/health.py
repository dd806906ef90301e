"""Liveness and store reachability."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from followup.api.deps import ContainerDep
from followup.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(container: ContainerDep) -> Health | JSONResponse:
    """Liveness, whether the event store answers, and how far each read model lags."""
    try:
        head = container.app.head_position()
        lag = container.runner.lag()
    except Exception:  # any driver error means the store is not reachable
        body = Health(
            status="unavailable", store="unreachable", head_position=None, projection_lag={}
        )
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", store="reachable", head_position=head, projection_lag=lag)
