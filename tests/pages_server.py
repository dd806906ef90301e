"""A live server over the reference history with two accounts, for page and browser tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from adapters.clock import FixedClock
from adapters.users import UserStore
from domain.deadlines import DeadlineKind
from domain.outcome_record import Role as Responsibility
from followup.api.app import create_app
from followup.authorization import Principal, Role
from followup.bootstrap import Container, bootstrap
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, Responsible
from followup.importing.importer import Importer
from followup.settings import Settings
from tests.live_server import live_server

REFERENCE = Path(__file__).parents[1] / "data" / "reference-history.yaml"
PASSWORDS = {"alice": "alice-secretariat-pw", "bob": "bob-the-reviewer-pw"}


@dataclass(frozen=True)
class PagesServer:
    base: str
    container: Container


@contextmanager
def pages_server(data_dir: Path, clock: FixedClock | None = None) -> Iterator[PagesServer]:
    """``alice`` is the secretariat, ``bob`` a reviewer; the clock is fixed on 22 Nov 2026."""
    clock = clock or FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    container = bootstrap(Settings(data_dir=data_dir, secret_key="test-secret"), clock=clock)
    assert (
        Importer(container.app, "import:reference-history.yaml")
        .run(REFERENCE.read_text(encoding="utf-8"))
        .ok
    )
    users = UserStore(container.engine)
    users.create("alice", "Alice (Support Unit)", "secretariat", PASSWORDS["alice"], clock.now())
    users.create("bob", "Bob (Troika)", "reviewer", PASSWORDS["bob"], clock.now())
    try:
        with live_server(create_app(container, background=False)) as base:
            yield PagesServer(base, container)
    finally:
        container.close()


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def signed_in_client(base: str, username: str) -> httpx.Client:
    """An HTTP client with a session cookie for ``username``."""
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "username": username,
            "password": PASSWORDS[username],
            "csrf_token": csrf_of(form.text),
            "next": "/",
        },
    )
    if response.status_code != 303:
        client.close()
        raise AssertionError(f"could not sign in as {username}: {response.status_code}")
    return client


def adopt_for_finland(server: PagesServer) -> None:
    """A new outcome led by Finland, due at the next summit: a fact every kept page must show."""
    OutcomeCommands(server.container, Principal("setup", Role.SECRETARIAT, kind="user")).adopt(
        "fresh-2026-outcome",
        "A fresh outcome",
        date(2026, 11, 20),
        responsible=[Responsible("FI", Responsibility.LEAD)],
        deadline=DeadlineSpec(DeadlineKind.NEXT_MEETING, meeting_kind="summit"),
    )
