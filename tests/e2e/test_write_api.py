"""The write API over HTTP against a real server: the whole chain from adoption to completion."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.identity import forum_id
from tests.e2e.conftest import WriteServer, followup

GROUP = "wg-policy-coherence-data-research"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def http(write_server: WriteServer) -> Any:
    with httpx.Client(base_url=write_server.base, timeout=30) as client:
        yield client


def head(http: httpx.Client) -> int:
    return int(http.get("/healthz").json()["head_position"])


def test_from_adoption_to_completion_with_the_actor_on_every_fact(
    http: httpx.Client, write_server: WriteServer
) -> None:
    tokens = write_server.tokens
    adopted = http.post(
        "/api/v1/outcomes",
        headers=auth(tokens["secretariat"]),
        json={
            "code": "pl-2012-coherence-toolkit",
            "title": "Compile a toolkit on policy coherence",
            "meeting": "summit-2012-port-louis",
            "occurred_on": "2012-11-22",
            "source": "Port Louis summit report",
            "working_group": GROUP,
            "responsible": [{"state": "MA", "role": "lead"}],
            "deadline": {"kind": "date", "due_on": "2013-06-30"},
        },
    )
    assert adopted.status_code == 201, adopted.text
    outcome_id = adopted.json()["id"]
    assert adopted.headers["etag"] == '"4"'

    progress = http.post(
        f"/api/v1/outcomes/{outcome_id}/progress",
        headers={**auth(tokens["pcdr_lead"]), "If-Match": '"4"'},
        json={
            "summary": "Draft toolkit circulated",
            "percent_complete": 50,
            "evidence_urls": ["https://example.org/draft.pdf"],
            "occurred_on": "2013-02-01",
        },
    )
    assert progress.status_code == 201, progress.text
    # read-your-writes: the list reflects the report as soon as the response is sent
    listed = http.get("/api/v1/outcomes", params={"working_group": GROUP}).json()["items"]
    row = next(o for o in listed if o["id"] == outcome_id)
    assert row["progress_reports"] == 1 and row["percent_complete"] == 50

    done = http.post(
        f"/api/v1/outcomes/{outcome_id}/completion",
        headers=auth(tokens["pcdr_lead"]),
        json={
            "summary": "Toolkit published",
            "evidence_urls": ["https://example.org/toolkit.pdf"],
            "occurred_on": "2013-05-15",
        },
    )
    assert done.status_code == 201, done.text
    detail = http.get(f"/api/v1/outcomes/{outcome_id}").json()
    assert detail["status"] == "completed" and detail["version"] == 6
    assert "https://example.org/toolkit.pdf" in detail["evidence_urls"]

    history = http.get(f"/api/v1/outcomes/{outcome_id}/history").json()["events"]
    secretariat_id = tokens["secretariat"][3:].split(".")[0]
    lead_id = tokens["pcdr_lead"][3:].split(".")[0]
    assert [(e["event_type"], e["actor"]) for e in history] == [
        ("Outcome.Adopted", f"token:{secretariat_id}"),
        ("Outcome.ResponsibilityAssigned", f"token:{secretariat_id}"),
        ("Outcome.WorkingGroupAssigned", f"token:{secretariat_id}"),
        ("Outcome.DeadlineSet", f"token:{secretariat_id}"),
        ("Outcome.ProgressReported", f"token:{lead_id}"),
        ("Outcome.Completed", f"token:{lead_id}"),
    ]
    assert history[4]["occurred_on"] == "2013-02-01" and history[4]["recorded_at"] > "2026"


def test_a_lead_of_another_group_is_forbidden_and_nothing_is_appended(
    http: httpx.Client, write_server: WriteServer
) -> None:
    before = head(http)
    response = http.post(
        "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda/progress",
        headers=auth(write_server.tokens["migrants_lead"]),
        json={"summary": "not ours"},
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert head(http) == before


def test_a_stale_if_match_is_412_with_the_current_version(
    http: httpx.Client, write_server: WriteServer
) -> None:
    outcome = "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda"
    current = http.get(outcome).json()["version"]
    before = head(http)
    response = http.post(
        f"{outcome}/progress",
        headers={**auth(write_server.tokens["pcdr_lead"]), "If-Match": f'"{current - 1}"'},
        json={"summary": "based on an old read"},
    )
    assert response.status_code == 412
    assert response.headers["etag"] == f'"{current}"'
    assert response.json()["errors"] == [
        {"field": "If-Match", "message": f"current version is {current}"}
    ]
    assert head(http) == before


def test_a_replayed_idempotency_key_appends_nothing(
    http: httpx.Client, write_server: WriteServer
) -> None:
    outcome = "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda/progress"
    headers = {**auth(write_server.tokens["pcdr_lead"]), "Idempotency-Key": "report-2012-07"}
    body = {"summary": "Workshop report circulated", "occurred_on": "2012-07-15"}
    first = http.post(outcome, headers=headers, json=body)
    assert first.status_code == 201
    after_first = head(http)
    replay = http.post(outcome, headers=headers, json=body)
    assert replay.status_code == 201 and replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"
    assert head(http) == after_first
    other = http.post(outcome, headers=headers, json={**body, "summary": "something else"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert head(http) == after_first


def test_a_retraction_is_a_new_event_and_the_report_stays(
    http: httpx.Client, write_server: WriteServer
) -> None:
    outcome = "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda"
    lead = auth(write_server.tokens["pcdr_lead"])
    created = http.post(f"{outcome}/progress", headers=lead, json={"summary": "wrong outcome"})
    report_id = created.json()["created_id"]
    retracted = http.post(
        f"{outcome}/progress/{report_id}/retraction",
        headers=lead,
        json={"reason": "reported against the wrong outcome"},
    )
    assert retracted.status_code == 201, retracted.text
    report = next(r for r in http.get(outcome).json()["progress"] if r["id"] == report_id)
    assert report["retracted_on"] is not None
    assert report["retraction_reason"] == "reported against the wrong outcome"
    again = http.post(
        f"{outcome}/progress/{report_id}/retraction", headers=lead, json={"reason": "twice"}
    )
    assert again.status_code == 404


def test_without_a_token_or_with_a_revoked_one_is_401(
    http: httpx.Client, write_server: WriteServer
) -> None:
    outcome = "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda/progress"
    assert http.post(outcome, json={"summary": "x"}).status_code == 401
    bearer = followup(
        write_server.env, "tokens", "create", "--role", "secretariat", "--name", "tmp"
    )
    assert http.post(outcome, headers=auth(bearer), json={"summary": "ok"}).status_code == 201
    followup(write_server.env, "tokens", "revoke", bearer[3:].split(".")[0])
    refused = http.post(outcome, headers=auth(bearer), json={"summary": "after revocation"})
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"


def test_bad_input_is_422_naming_each_field_and_appends_nothing(
    http: httpx.Client, write_server: WriteServer
) -> None:
    before = head(http)
    response = http.post(
        "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda/progress",
        headers=auth(write_server.tokens["pcdr_lead"]),
        json={
            "summary": "",
            "percent_complete": 140,
            "evidence_urls": ["not a url"],
            "occurred_on": "2031-01-01",
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"summary", "percent_complete", "evidence_urls[0]"} <= fields
    future = http.post(
        "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda/progress",
        headers=auth(write_server.tokens["pcdr_lead"]),
        json={"summary": "from the future", "occurred_on": "2099-01-01"},
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "occurred_on"
    assert head(http) == before


def test_progress_on_a_withdrawn_outcome_is_a_conflict(
    http: httpx.Client, write_server: WriteServer
) -> None:
    tokens = write_server.tokens
    outcome = "/api/v1/outcomes/mnl-2008-rt3.1-census-2010-migration-questions"
    withdrawn = http.post(
        f"{outcome}/withdrawal",
        headers=auth(tokens["secretariat"]),
        json={"reason": "overtaken by the 2010 census round"},
    )
    assert withdrawn.status_code == 201
    assert http.get(outcome).json()["status"] == "withdrawn"
    late = http.post(
        f"{outcome}/progress", headers=auth(tokens["secretariat"]), json={"summary": "too late"}
    )
    assert late.status_code == 409


@pytest.mark.parametrize(
    "key", ["mnl-2008-rt9.9-never-adopted", "0f8e3c1a-4b7d-4c55-9e0a-3d2b1c0a9f8e"]
)
def test_a_write_to_an_outcome_the_store_does_not_hold_is_404_naming_it(
    http: httpx.Client, write_server: WriteServer, key: str
) -> None:
    """The write asks the store only through its command's load; the 404 still names the
    outcome as the client did, and nothing is appended."""
    lead = auth(write_server.tokens["pcdr_lead"])
    before = head(http)
    for path, body in [
        ("progress", {"summary": "for nobody"}),
        ("completion", {"summary": "done", "evidence_urls": ["https://example.org/r"]}),
        ("progress/6d1f6a52-5a8e-4a0e-9a57-2f1f1b8f0c11/retraction", {"reason": "none"}),
    ]:
        response = http.post(f"/api/v1/outcomes/{key}/{path}", headers=lead, json=body)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["detail"] == f"no outcome {key!r}"
    assert head(http) == before


def test_a_write_naming_another_kind_of_record_as_an_outcome_is_404(
    http: httpx.Client, write_server: WriteServer
) -> None:
    forum = str(forum_id("gfmd"))  # the forum's own record
    response = http.post(
        f"/api/v1/outcomes/{forum}/progress",
        headers=auth(write_server.tokens["secretariat"]),
        json={"summary": "a working group is no outcome"},
    )
    assert response.status_code == 404
    assert response.json()["detail"] == f"no outcome {forum!r}"
