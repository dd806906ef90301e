"""The read API over HTTP, against ``followup demo`` serving the reference history."""

from __future__ import annotations

import httpx
import pytest

PROBLEM = "application/problem+json"


def test_statuses_as_they_stood_at_the_manila_summit(client: httpx.Client) -> None:
    response = client.get("/api/v1/outcomes", params={"as_of": "2008-10-30", "limit": 1000})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2008-10-30" and body["total"] == 24
    statuses = {o["code"]: o["status"] for o in body["items"]}
    assert statuses["mnl-2008-rt3.1-data-research-wg"] == "not_started"
    assert statuses["bru-2007-rt3.2-coherent-policy-planning"] == "in_progress"


def test_today_the_working_group_outcome_is_completed(client: httpx.Client) -> None:
    body = client.get("/api/v1/outcomes/mnl-2008-rt3.1-data-research-wg").json()
    assert body["status"] == "completed" and body["status_reason"] == "completed on 2009"
    assert body["working_group"]["code"] == "wg-policy-coherence-data-research"


def test_filters_by_state_working_group_meeting_and_status(client: httpx.Client) -> None:
    by_state = client.get("/api/v1/outcomes", params={"state": "AU"}).json()
    assert [o["code"] for o in by_state["items"]] == ["mnl-2008-rt3.3-iom-rcp-chairs-meeting"]
    assert by_state["items"][0]["responsible_states"] == [{"state": "AU", "role": "support"}]
    by_group = client.get(
        "/api/v1/outcomes", params={"working_group": "wg-policy-coherence-data-research"}
    ).json()
    assert by_group["total"] == 2
    by_meeting = client.get(
        "/api/v1/outcomes", params={"meeting": "summit-2008-manila", "as_of": "2008-10-30"}
    ).json()
    assert by_meeting["total"] == 13
    completed = client.get("/api/v1/outcomes", params={"status": "completed"}).json()
    assert {o["code"] for o in completed["items"]} == {"mnl-2008-rt3.1-data-research-wg"}


def test_history_shows_each_fact_with_both_dates(client: httpx.Client) -> None:
    body = client.get("/api/v1/outcomes/bru-2007-rt3.2-coherent-policy-planning/history").json()
    events = body["events"]
    assert [e["event_type"] for e in events] == [
        "Outcome.Adopted",
        "Outcome.ProgressReported",
        "Outcome.ProgressReported",
    ]
    assert events[1]["occurred_on"] == "2008-06-01" and events[1]["precision"] == "month"
    assert all(e["recorded_at"].startswith("20") for e in events)
    assert events[1]["recorded_at"][:10] != events[1]["occurred_on"]
    assert events[0]["actor"] == "import:reference-history.yaml"
    assert "seed 002" in events[1]["source"]


def test_the_next_chair_meeting_as_of_manila_is_athens(client: httpx.Client) -> None:
    body = client.get("/api/v1/meetings/next", params={"as_of": "2008-10-30"}).json()
    assert body["meeting"]["code"] == "summit-2009-athens"
    assert "mnl-2008-rt3.2-experts-evaluation-methods" in {o["code"] for o in body["due"]}


@pytest.mark.parametrize("as_of", ["2008-13-01", "30/10/2008", "1225238400", "2008-10-30x"])
def test_a_malformed_as_of_is_a_422_naming_the_field(client: httpx.Client, as_of: str) -> None:
    response = client.get("/api/v1/outcomes", params={"as_of": as_of})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["as_of"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "XX"}, "state"),
        ({"status": "done"}, "status"),
        ({"working_group": "nope"}, "working_group"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_filters_are_422_naming_the_field(
    client: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/outcomes", params=params)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_unknown_outcomes_are_404_problems(client: httpx.Client) -> None:
    for path in [
        "/api/v1/outcomes/no-such-code",
        "/api/v1/outcomes/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/history",
    ]:
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM


def test_an_outcome_before_its_adoption_is_404(client: httpx.Client) -> None:
    response = client.get(
        "/api/v1/outcomes/bxl-2012-pcd-rec6-private-sector", params={"as_of": "2010-01-01"}
    )
    assert response.status_code == 404


def test_health_and_openapi(client: httpx.Client) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["store"] == "reachable"
    spec = client.get("/openapi.json").json()
    assert {
        "/api/v1/outcomes",
        "/api/v1/outcomes/{outcome_id}",
        "/api/v1/outcomes/{outcome_id}/history",
        "/api/v1/meetings/next",
        "/healthz",
    } <= set(spec["paths"])


def test_the_plan_shows_each_milestone_and_the_fact_that_fulfilled_it(client: httpx.Client) -> None:
    body = client.get("/api/v1/outcomes/mnl-2008-rt3.1-data-research-wg").json()
    [milestone] = body["plan"]
    assert milestone["state"] == "reached" and milestone["kind"] == "form_working_group"
    assert milestone["reached_by"]["event_type"] == "WorkingGroup.Formed"
    assert milestone["reached_by"]["record_code"] == "wg-policy-coherence-data-research"
    before = client.get(
        "/api/v1/outcomes/mnl-2008-rt3.1-data-research-wg", params={"as_of": "2008-12-31"}
    ).json()
    assert before["plan"][0]["state"] == "open" and before["plan"][0]["due_on"] == "2009-11-02"
