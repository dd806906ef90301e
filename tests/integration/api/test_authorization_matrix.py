"""Role x operation x scope, over every write operation of the API (table-driven).

Allowed means the authorisation let the request through (any answer but 401/403); refused means
403 with nothing appended. A lead is scoped to the policy-coherence group's records.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from adapters.api_tokens import TokenStore
from adapters.clock import FixedClock
from domain.identity import record_id
from followup.api.app import API_ROUTERS, create_app
from followup.api.auth import READ_METHODS, bearer_of_write
from followup.api.write_threads import RUNS_AS_WRITE
from followup.authorization import LEAD_OPERATIONS, Operation, Principal, Role
from followup.bootstrap import Container, bootstrap
from followup.commands.groups import GroupCommands
from followup.importing.importer import Importer
from followup.settings import Settings
from tests.live_server import live_server

OWN = "wg-policy-coherence-data-research"
OTHER = "wg-protecting-empowering-migrants"
OUTCOME = "mnl-2008-rt3.2-coherence-on-agenda"  # assigned to OWN in the reference history
REFERENCE = Path(__file__).parents[3] / "data" / "reference-history.yaml"

REQUESTS: dict[Operation, tuple[str, dict[str, Any]]] = {
    Operation.REPORT_PROGRESS: (f"/api/v1/outcomes/{OUTCOME}/progress", {"summary": "x"}),
    Operation.COMPLETE_OUTCOME: (
        f"/api/v1/outcomes/{OUTCOME}/completion",
        {"evidence_urls": ["https://e.org/r"]},
    ),
    Operation.RETRACT_PROGRESS: (
        f"/api/v1/outcomes/{OUTCOME}/progress/00000000-0000-4000-8000-000000000000/retraction",
        {"reason": "x"},
    ),
    Operation.RECORD_EXPERT_MEETING: (
        f"/api/v1/working-groups/{OWN}/expert-meetings",
        {"code": "expert-x", "title": "Experts"},
    ),
    Operation.RECORD_SURVEY_RUN: (
        "/api/v1/surveys/pcdr-survey/runs",
        {"code": "r1", "responses": 3},
    ),
    Operation.ADOPT_OUTCOME: ("/api/v1/outcomes", {"code": "new-outcome", "title": "New"}),
    Operation.ASSIGN_RESPONSIBILITY: (
        f"/api/v1/outcomes/{OUTCOME}/responsibilities",
        {"state": "MA", "role": "lead"},
    ),
    Operation.RELEASE_RESPONSIBILITY: (
        f"/api/v1/outcomes/{OUTCOME}/responsibilities/MA/release",
        {},
    ),
    Operation.ASSIGN_WORKING_GROUP: (
        f"/api/v1/outcomes/{OUTCOME}/working-group",
        {"working_group": OWN},
    ),
    Operation.SET_DEADLINE: (
        f"/api/v1/outcomes/{OUTCOME}/deadline",
        {"kind": "next_meeting", "meeting_kind": "summit"},
    ),
    Operation.WITHDRAW_OUTCOME: (f"/api/v1/outcomes/{OUTCOME}/withdrawal", {"reason": "x"}),
    Operation.SUPERSEDE_OUTCOME: (
        f"/api/v1/outcomes/{OUTCOME}/supersession",
        {"successor": "mnl-2008-rt3.2-good-practice"},
    ),
    Operation.REOPEN_OUTCOME: (f"/api/v1/outcomes/{OUTCOME}/reopening", {"reason": "x"}),
    Operation.SET_PUBLICITY: (f"/api/v1/outcomes/{OUTCOME}/publicity", {"public": True}),
    Operation.EDIT_PLAN: (
        f"/api/v1/outcomes/{OUTCOME}/milestones",
        {"kind": "custom", "title": "A milestone"},
    ),
    Operation.FORM_WORKING_GROUP: ("/api/v1/working-groups", {"code": "wg-new", "name": "New"}),
    Operation.ADMIT_MEMBER: (f"/api/v1/working-groups/{OWN}/members", {"state": "SE"}),
    Operation.CHANGE_MEMBER_ROLE: (
        f"/api/v1/working-groups/{OWN}/members/MA/role",
        {"role": "member"},
    ),
    Operation.REMOVE_MEMBER: (f"/api/v1/working-groups/{OWN}/members/MA/departure", {}),
    Operation.LAUNCH_SURVEY: ("/api/v1/surveys", {"code": "new-survey", "title": "New"}),
    Operation.ADMIT_STATE: ("/api/v1/states", {"code": "NO", "name": "Norway"}),
    Operation.ASSUME_CHAIRMANSHIP: ("/api/v1/chairmanships", {"state": "SE", "term": "2013"}),
    Operation.SCHEDULE_MEETING: (
        "/api/v1/meetings",
        {"code": "sg-2013", "kind": "steering_group", "title": "SG", "starts_on": "2027-03-01"},
    ),
    Operation.RESCHEDULE_MEETING: (
        "/api/v1/meetings/summit-2012-port-louis/reschedule",
        {"starts_on": "2012-11-20"},
    ),
    Operation.CANCEL_MEETING: (
        "/api/v1/meetings/summit-2012-port-louis/cancellation",
        {"reason": "x"},
    ),
    Operation.MARK_MEETING_HELD: ("/api/v1/meetings/summit-2012-port-louis/held", {}),
}

CALLERS = {
    "secretariat": (Role.SECRETARIAT, None),
    "reviewer": (Role.REVIEWER, None),
    "lead of the record's group": (Role.WG_LEAD, OWN),
    "lead of another group": (Role.WG_LEAD, OTHER),
}


def expected_allowed(caller: str, operation: Operation) -> bool:
    if caller == "secretariat":
        return True
    return caller == "lead of the record's group" and operation in LEAD_OPERATIONS


CASES = [
    pytest.param(caller, operation, expected_allowed(caller, operation), id=f"{caller}-{operation}")
    for operation in Operation
    for caller in CALLERS
]


def test_the_matrix_covers_every_operation() -> None:
    assert set(REQUESTS) == set(Operation)


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[httpx.Client, Container, dict[str, str]]]:
    data = tmp_path_factory.mktemp("matrix")
    container = bootstrap(
        Settings(data_dir=data), clock=FixedClock(datetime(2026, 11, 22, tzinfo=UTC))
    )
    assert Importer(container.app, "import:test").run(REFERENCE.read_text(encoding="utf-8")).ok
    GroupCommands(container, Principal("setup", Role.SECRETARIAT)).launch_survey(
        "pcdr-survey", "Survey of the group", None, OWN, None
    )
    store = TokenStore(container.engine)
    tokens = {}
    for caller, (role, group) in CALLERS.items():
        groups = [str(record_id("gfmd", "working_group", group))] if group else []
        tokens[caller] = store.create(caller, str(role), groups, container.clock.now())[1]
    with (
        live_server(create_app(container, background=False)) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        yield client, container, tokens
    container.close()


@pytest.mark.parametrize(("caller", "operation", "allowed"), CASES)
def test_authorisation(
    api: tuple[httpx.Client, Container, dict[str, str]],
    caller: str,
    operation: Operation,
    allowed: bool,
) -> None:
    client, container, tokens = api
    path, body = REQUESTS[operation]
    before = container.app.head_position()
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {tokens[caller]}"})
    if allowed:
        assert response.status_code not in {401, 403}, response.text
    else:
        assert response.status_code == 403, response.text
        assert container.app.head_position() == before


@pytest.mark.parametrize("operation", list(Operation))
def test_every_write_needs_a_token(
    api: tuple[httpx.Client, Container, dict[str, str]], operation: Operation
) -> None:
    client, container, _ = api
    path, body = REQUESTS[operation]
    before = container.app.head_position()
    assert client.post(path, json=body).status_code == 401
    assert (
        client.post(path, json=body, headers={"Authorization": "Bearer fu_x.y"}).status_code == 401
    )
    assert container.app.head_position() == before


def test_every_api_route_that_is_not_a_read_takes_a_writers_token(
    api: tuple[httpx.Client, Container, dict[str, str]],
) -> None:
    """The readers' check lets anything but a read through to the route's own check of its
    token (on the write's thread): a route that writes without taking one would be open."""
    client, _, _ = api

    def takes_a_token(dependant: Dependant) -> bool:
        return any(d.call is bearer_of_write or takes_a_token(d) for d in dependant.dependencies)

    writes = [
        route
        for router in API_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        and route.path.startswith("/api/")
        and (route.methods or set()) - READ_METHODS
    ]
    assert len(writes) >= len(Operation)
    assert [r.path for r in writes if not takes_a_token(r.dependant)] == []
    # and a route taking one runs as a write, which checks it (the endpoint gets a principal)
    taking = [r for router in API_ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert [
        r.path
        for r in taking
        if takes_a_token(r.dependant) and not getattr(r.endpoint, RUNS_AS_WRITE, False)
    ] == []
    assert client.post("/api/v1/outcomes", json={}).status_code == 401
