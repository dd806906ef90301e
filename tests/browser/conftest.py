"""Fixtures of the browser tests: one live pages server and one headless Chromium.

Playwright's sync API is used directly (no pytest-playwright). Playwright's own browser download
does not work here, so the Debian Chromium is launched; without it the suite skips locally and
fails under CI=true, like the PostgreSQL tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from domain.identity import record_id
from followup.authorization import Principal, Role
from followup.commands.outcomes import OutcomeCommands
from tests.pages_server import PASSWORDS, PagesServer, pages_server

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("FOLLOWUP_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The reference history makes nothing public; this one is, so /public has a page to show.
PUBLIC_OUTCOME = "mnl-2008-rt3.2-coherence-on-agenda"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PagesServer]:
    with pages_server(tmp_path_factory.mktemp("browser-pages")) as running:
        OutcomeCommands(running.container, Principal("browser-tests", Role.SECRETARIAT)).set_public(
            record_id("gfmd", "outcome", PUBLIC_OUTCOME),
            True,
            None,
            source="browser tests: one outcome is public",
        )
        yield running


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required under CI=true and is missing: {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def new_context(browser: Browser, server: PagesServer) -> BrowserContext:
    """An isolated context (own cookies) on the server, in English unless told otherwise."""
    context = browser.new_context(
        base_url=server.base,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    return context


def sign_in(page: Page, username: str) -> None:
    """Sign in through the sign-in form, as a person would."""
    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.endswith("/sign-in"))


@pytest.fixture(scope="module")
def alice(browser: Browser, server: PagesServer) -> Iterator[Page]:
    """A page signed in as the secretariat, shared by the read-only checks of a module."""
    context = new_context(browser, server)
    page = context.new_page()
    sign_in(page, "alice")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def alice_in_french(browser: Browser, server: PagesServer) -> Iterator[Page]:
    """The secretariat, after choosing French with the language switch."""
    context = new_context(browser, server)
    page = context.new_page()
    sign_in(page, "alice")
    page.goto("/language/fr?next=/")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def anonymous(browser: Browser, server: PagesServer) -> Iterator[Page]:
    context = new_context(browser, server)
    try:
        yield context.new_page()
    finally:
        context.close()
