"""Careless and hostile clients: huge bodies, deep JSON, scripts in every text field."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import WriteServer

OUTCOME = "/api/v1/outcomes/mnl-2008-rt3.2-coherence-on-agenda"


def auth(server: WriteServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.tokens['secretariat']}"}


def test_an_oversized_body_is_refused_before_it_is_read(write_server: WriteServer) -> None:
    with httpx.Client(base_url=write_server.base, timeout=30) as http:
        before = http.get("/healthz").json()["head_position"]
        big = {"summary": "x" * (300 * 1024)}
        response = http.post(f"{OUTCOME}/progress", json=big, headers=auth(write_server))
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert http.get("/healthz").json()["head_position"] == before


def test_deeply_nested_json_is_refused(write_server: WriteServer) -> None:
    with httpx.Client(base_url=write_server.base, timeout=30) as http:
        deep = "[" * 5000 + "]" * 5000
        response = http.post(
            f"{OUTCOME}/progress",
            content=deep,
            headers={**auth(write_server), "Content-Type": "application/json"},
        )
        assert response.status_code == 422
        assert "nests deeper" in response.json()["detail"]
        fine = http.post(
            f"{OUTCOME}/progress",
            json={"summary": "a [bracket] in a {string}"},
            headers=auth(write_server),
        )
        assert fine.status_code == 201


def test_scripts_in_every_text_field_stay_text_in_api_and_pages(write_server: WriteServer) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with httpx.Client(base_url=write_server.base, timeout=30) as http:
        adopted = http.post(
            "/api/v1/outcomes",
            headers=auth(write_server),
            json={
                "code": "xss-everywhere",
                "title": payload,
                "summary": payload,
                "roundtable": "<b>1</b>",
                "session": payload[:30],
                "source": payload,
            },
        )
        assert adopted.status_code == 201, adopted.text
        reported = http.post(
            "/api/v1/outcomes/xss-everywhere/progress",
            headers=auth(write_server),
            json={"summary": payload, "source": payload},
        )
        assert reported.status_code == 201
        body = http.get("/api/v1/outcomes/xss-everywhere").json()
        assert body["title"] == payload  # the API returns data as given: JSON, not HTML
        assert (
            http.get("/api/v1/outcomes/xss-everywhere").headers["content-type"]
            == "application/json"
        )
