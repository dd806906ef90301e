"""One deployment, two forums, served by one real server and told apart by host name: each its
own store, users, tokens, session key and languages. Nothing of one is visible from the other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from adapters.api_tokens import TokenStore
from adapters.clock import FixedClock
from adapters.users import UserStore
from followup.api.hosting import create_hosting
from followup.bootstrap import Container
from followup.forums import Role, open_forums
from followup.importing.importer import Importer
from followup.settings import Settings
from tests.conftest import REFERENCE
from tests.live_server import live_server
from tests.pages_server import csrf_of

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
GFMD, RCP = "gfmd.test", "rcp.test"


@dataclass
class Deployment:
    base: str
    forums: dict[str, Container]
    tokens: dict[str, str]

    def client(self, host: str, token: str | None = None) -> httpx.Client:
        headers = {"Host": host}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.base, headers=headers, timeout=60)


def regional_history() -> str:
    """The reference history recorded as another forum's (a regional process)."""
    return (
        REFERENCE.read_text(encoding="utf-8")
        .replace("  code: gfmd\n", "  code: rcp\n", 1)
        .replace("name: Global Forum on Migration and Development", "name: Regional Process", 1)
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    shared_url = None
    if request.param == "postgres":  # one database, a schema per forum
        shared_url = request.getfixturevalue("database_url_postgres")
    settings = Settings(
        data_dir=tmp_path,
        database_url=shared_url,
        secret_key="one-secret-for-the-whole-deployment",
        forums={
            "gfmd": {"hosts": [GFMD]},
            "rcp": {"hosts": [RCP], "languages": ["es", "en"], "public_api": False},
        },
    )
    clock = FixedClock(NOW)
    containers = open_forums(settings, Role.SERVE, migrate=True, clock=clock)
    for container in containers:
        container.projects_inline = True  # one process here: project after each write
    forums = {c.settings.forum: c for c in containers}
    histories = {"gfmd": REFERENCE.read_text(encoding="utf-8"), "rcp": regional_history()}
    tokens = {}
    for code, container in forums.items():
        assert Importer(container.app, "import:test").run(histories[code]).ok
        container.settle()
        _, tokens[code] = TokenStore(container.engine).create(
            f"{code} secretariat", "secretariat", [], NOW
        )
    UserStore(forums["gfmd"].engine).create("alice", "Alice", "secretariat", "alice-pw-123", NOW)
    # another person, with the same user name, in the other forum
    UserStore(forums["rcp"].engine).create("alice", "Alicia", "secretariat", "alicia-pw-456", NOW)
    try:
        with live_server(create_hosting(containers, background=False)) as base:  # type: ignore[arg-type]
            yield Deployment(base, forums, tokens)
    finally:
        for container in containers:
            container.close()


def first_outcome(deployment: Deployment, host: str, token: str) -> str:
    with deployment.client(host, token) as client:
        listing = client.get("/api/v1/outcomes")
    assert listing.status_code == 200, listing.text
    return str(listing.json()["items"][0]["id"])


def test_a_token_of_one_forum_can_neither_read_nor_write_another(deployment: Deployment) -> None:
    outcome = first_outcome(deployment, GFMD, deployment.tokens["gfmd"])
    heads = {code: c.app.head_position() for code, c in deployment.forums.items()}
    report = {"summary": "a working group met", "occurred_on": "2026-11-20"}
    for host, stranger in ((RCP, deployment.tokens["gfmd"]), (GFMD, deployment.tokens["rcp"])):
        with deployment.client(host, stranger) as client:
            read = client.get("/api/v1/outcomes")
            one = client.get(f"/api/v1/outcomes/{outcome}")
            write = client.post(f"/api/v1/outcomes/{outcome}/progress", json=report)
        for response in (read, one, write):
            assert response.status_code == 401, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["detail"] == "the token is unknown or revoked"
    after = {code: c.app.head_position() for code, c in deployment.forums.items()}
    assert after == heads  # the refused writes appended nothing


def test_a_write_lands_in_its_own_forum_only(deployment: Deployment) -> None:
    outcome = first_outcome(deployment, GFMD, deployment.tokens["gfmd"])
    heads = {code: c.app.head_position() for code, c in deployment.forums.items()}
    with deployment.client(GFMD, deployment.tokens["gfmd"]) as client:
        written = client.post(
            f"/api/v1/outcomes/{outcome}/progress",
            json={"summary": "only in the global forum", "occurred_on": "2026-11-20"},
        )
        assert written.status_code == 201, written.text
        here = client.get(f"/api/v1/outcomes/{outcome}/history").json()
    with deployment.client(RCP, deployment.tokens["rcp"]) as client:
        listing = client.get("/api/v1/outcomes").json()
        there = [client.get(f"/api/v1/outcomes/{o['id']}/history").json() for o in listing["items"]]
    assert "only in the global forum" in str(here)
    assert "only in the global forum" not in str(there)
    assert deployment.forums["gfmd"].app.head_position() == heads["gfmd"] + 1
    assert deployment.forums["rcp"].app.head_position() == heads["rcp"]


def test_each_forum_decides_whether_its_api_is_public(deployment: Deployment) -> None:
    with deployment.client(GFMD) as client:
        assert client.get("/api/v1/outcomes").status_code == 200
    with deployment.client(RCP) as client:
        closed = client.get("/api/v1/outcomes")
    assert closed.status_code == 401
    assert closed.json()["detail"] == "this forum's API needs a bearer token"
    with deployment.client(RCP, deployment.tokens["rcp"]) as client:
        assert client.get("/api/v1/outcomes").json()["total"] == 30


def test_a_host_no_forum_claims_is_refused(deployment: Deployment) -> None:
    with deployment.client("elsewhere.test") as client:
        response = client.get("/api/v1/outcomes")
    assert response.status_code == 404
    assert response.json()["detail"] == "no forum is served at the host 'elsewhere.test'"


def test_each_forum_offers_its_own_languages(deployment: Deployment) -> None:
    with deployment.client(RCP) as client:
        page = client.get("/sign-in")
        french = client.get("/language/fr")
    assert page.status_code == 200
    assert '<html lang="es"' in page.text  # the forum's first language, none asked for
    assert "/language/en" in page.text and "/language/fr" not in page.text
    assert french.status_code == 404
    with deployment.client(GFMD) as client:
        page = client.get("/sign-in")
    assert '<html lang="en"' in page.text and "/language/fr" in page.text


def test_a_session_of_one_forum_is_worthless_on_another(deployment: Deployment) -> None:
    with deployment.client(GFMD) as client:
        form = client.get("/sign-in")
        signed = client.post(
            "/sign-in",
            data={
                "username": "alice",
                "password": "alice-pw-123",
                "csrf_token": csrf_of(form.text),
                "next": "/",
            },
        )
        assert signed.status_code == 303
        cookie = client.cookies["followup_session"]
        assert client.get("/secretariat/focal-points").status_code == 200
    with deployment.client(RCP) as client:
        client.cookies.set("followup_session", cookie)
        elsewhere = client.get("/secretariat/focal-points")
    assert elsewhere.status_code == 303
    assert elsewhere.headers["location"].startswith("/sign-in")
