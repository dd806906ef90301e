"""The pages in a real Chromium: the Done-when flow, axe-core on every page, small screens, print.

Screenshots (and the downloaded CSV, the briefing PDF) go to ``test-artifacts/`` for a human look.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import ARTIFACTS, PUBLIC_OUTCOME, new_context, sign_in
from tests.pages_server import PagesServer

AS_OF = "2008-10-30"
TIMELINE_OUTCOME = "bru-2007-rt3.2-coherent-policy-planning"
COMPLETED_SINCE = "mnl-2008-rt3.1-data-research-wg"  # not started on AS_OF, completed today
BLOCKING = {"serious", "critical"}
# The timeline of TIMELINE_OUTCOME: (happened, fact, source), as the reference history gives it.
TIMELINE = [
    ("Jul 11, 2007", "Adopted", "seed 001 (Brussels 2007, roundtable sessions, session 3.2)"),
    (
        "June 2008",
        "Progress reported",
        "seed 002 (Sweden, background paper for Manila 2008 RT 3.2)",
    ),
    (
        "October 2008",
        "Progress reported",
        "seed 004 (Manila 2008, final roundtable themes, session 3.2); seed 002; "
        "seed 000 (Manila 2008, RT 3 closing report, 3.2)",
    ),
]


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def listed_codes(page: Page) -> list[str]:
    return page.locator("table.outcomes tbody tr .code").all_inner_texts()


def listed_statuses(page: Page) -> list[str]:
    return page.locator("table.outcomes tbody tr .status").all_inner_texts()


def matches_shown(page: Page) -> int:
    count = page.locator(".result-count").inner_text()
    found = re.search(r"\d+", count)
    assert found, count
    return int(found.group())


def row_of(page: Page, code: str) -> Locator:
    return page.locator("table.outcomes tbody tr").filter(
        has=page.locator(".code", has_text=re.compile(f"^{re.escape(code)}$"))
    )


# -- the Done-when flow ----------------------------------------------------------------------


def test_a_reviewer_filters_looks_back_reads_a_timeline_downloads_and_switches_language(
    browser: Browser, server: PagesServer, screenshots: Path
) -> None:
    context = new_context(browser, server)
    page = context.new_page()
    try:
        # Sign in as bob, the reviewer.
        sign_in(page, "bob")
        expect(page).to_have_url(f"{server.base}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
        expect(page.locator(".account")).to_contain_text("Bob (Troika)")
        shot(page, screenshots, "flow-01-signed-in")

        # Filter the outcome list: in progress.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Outcomes").click()
        expect(page).to_have_url(f"{server.base}/outcomes")
        page.select_option("#status", "in_progress")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"/outcomes\?.*status=in_progress"))
        in_progress = listed_codes(page)
        assert len(in_progress) == matches_shown(page) > 0
        assert set(listed_statuses(page)) == {"In progress"}
        assert TIMELINE_OUTCOME in in_progress
        assert COMPLETED_SINCE not in in_progress
        shot(page, screenshots, "flow-02-in-progress")

        # Then a text search within it: the filters add up.
        expect(page.locator("#status")).to_have_value("in_progress")
        page.fill("#q", "policy")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"q=policy"))
        expect(page).to_have_url(re.compile(r"status=in_progress"))
        searched = listed_codes(page)
        assert searched == [c for c in in_progress if c in searched]
        assert set(searched) == {
            "bru-2007-rt1.3-private-sector-guidelines",  # "policy guidelines"
            TIMELINE_OUTCOME,  # "policy planning"
            "mnl-2008-rt3.2-coherence-on-agenda",  # "policy and institutional coherence"
        }
        assert matches_shown(page) == len(searched)
        titles = page.locator("table.outcomes tbody tr td:first-child a").all_inner_texts()
        shot(page, screenshots, "flow-03-searched")

        # Download the CSV through its link: exactly the rows shown.
        with page.expect_download() as downloading:
            page.get_by_role("link", name="Download as CSV").click()
        download = downloading.value
        assert download.suggested_filename == "followup-outcomes-2026-11-22.csv"
        saved = ARTIFACTS / download.suggested_filename
        download.save_as(saved)
        with saved.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [r["Code"] for r in rows] == searched
        assert [r["Title"] for r in rows] == titles
        assert {r["Status"] for r in rows} == {"In progress"}

        # Open an outcome and read its timeline.
        page.get_by_role("link", name=titles[searched.index(TIMELINE_OUTCOME)]).click()
        expect(page).to_have_url(f"{server.base}/outcomes/{TIMELINE_OUTCOME}")
        expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
        timeline = page.locator("table.timeline tbody tr")
        expect(timeline).to_have_count(3)
        cells = [row.locator("td") for row in timeline.all()]
        seen = [
            (c.nth(0).inner_text(), c.nth(1).locator("strong").inner_text(), c.nth(4).inner_text())
            for c in cells
        ]
        assert seen == TIMELINE
        assert {c.nth(3).inner_text() for c in cells} == {"import:reference-history.yaml"}
        expect(timeline.nth(1)).to_contain_text("Sweden sent a follow-up questionnaire")
        shot(page, screenshots, "flow-04-timeline")

        # Look back: as it stood on the day of the Manila summit, through the header date field.
        page.locator(".breadcrumb").get_by_role("link", name="Outcomes").click()
        expect(page).to_have_url(f"{server.base}/outcomes")
        page.fill("#as-of-date", AS_OF)
        page.get_by_role("button", name="Show", exact=True).click()
        expect(page).to_have_url(f"{server.base}/outcomes?as_of={AS_OF}")
        banner = page.locator(".as-of-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("As of October 30, 2008.")
        expect(page.locator("#as-of-date")).to_have_value(AS_OF)
        assert matches_shown(page) == 24
        expect(page.locator("table.outcomes tbody tr")).to_have_count(24)
        expect(row_of(page, COMPLETED_SINCE).locator(".status")).to_have_text("Not started")
        shot(page, screenshots, "flow-05-as-of")

        # The outcome page keeps the day; back to today it is completed.
        row_of(page, COMPLETED_SINCE).get_by_role("link").first.click()
        expect(page).to_have_url(f"{server.base}/outcomes/{COMPLETED_SINCE}?as_of={AS_OF}")
        expect(page.locator(".as-of-banner")).to_be_visible()
        expect(page.locator(".fields .status")).to_have_text("Not started")
        shot(page, screenshots, "flow-06-as-of-outcome")
        page.locator(".as-of-banner").get_by_role("link", name="Back to today").click()
        expect(page).to_have_url(f"{server.base}/outcomes/{COMPLETED_SINCE}")
        expect(page.locator(".as-of-banner")).to_have_count(0)
        expect(page.locator(".fields .status")).to_have_text("Completed")

        # Switch to French: the same page, in French.
        languages = page.locator("nav.languages")
        with page.expect_response(
            lambda r: r.request.is_navigation_request() and r.status == 200
        ) as answered:
            languages.get_by_role("link", name="Français").click()
        assert answered.value.headers["content-language"] == "fr"
        expect(page).to_have_url(f"{server.base}/outcomes/{COMPLETED_SINCE}")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(languages.get_by_role("link", name="Français")).to_have_attribute(
            "aria-current", "true"
        )
        expect(languages.get_by_role("link", name="English")).not_to_have_attribute(
            "aria-current", "true"
        )
        shot(page, screenshots, "flow-07-french")
    finally:
        context.close()


# -- axe-core on every page ------------------------------------------------------------------

PAGES = [
    ("alice", "/"),
    ("alice", f"/?as_of={AS_OF}"),
    ("alice_in_french", "/"),
    ("alice", "/outcomes"),
    ("alice", "/outcomes?status=in_progress&q=policy"),
    ("alice", f"/outcomes?as_of={AS_OF}"),
    ("alice", f"/outcomes/{TIMELINE_OUTCOME}"),
    ("alice", f"/outcomes/{COMPLETED_SINCE}?as_of={AS_OF}"),
    ("alice", "/briefing"),
    ("alice", f"/briefing?as_of={AS_OF}"),
    ("alice", "/states"),
    ("alice", "/states/AU"),
    ("alice", "/working-groups"),
    ("alice", "/working-groups/wg-policy-coherence-data-research"),
    ("alice", "/surveys"),
    ("alice", "/surveys/policy-coherence-survey"),
    ("alice", "/calendar"),
    ("alice", "/public"),
    ("alice", f"/public/outcomes/{PUBLIC_OUTCOME}"),
    ("alice", "/outcomes/no-such-outcome"),
    ("alice", "/reminders"),
    ("alice", "/secretariat"),
    ("alice", "/secretariat/adopt"),
    ("alice", f"/secretariat/outcomes/{TIMELINE_OUTCOME}/deadline"),
    ("alice", "/secretariat/working-groups/wg-policy-coherence-data-research/member"),
    ("alice", "/secretariat/focal-points"),
    ("anonymous", "/sign-in"),
    ("anonymous", "/public"),
    ("anonymous", f"/public/outcomes/{PUBLIC_OUTCOME}"),
]
AXE = Axe()
DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}"""


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}\n        {node['html'][:200]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"        {line}" for line in summary.splitlines())
    return "\n".join(lines)


@pytest.mark.parametrize(("who", "path"), PAGES, ids=[f"{w}:{p}" for w, p in PAGES])
def test_axe_finds_nothing_serious_and_there_is_one_h1(
    request: pytest.FixtureRequest, who: str, path: str
) -> None:
    page: Page = request.getfixturevalue(who)
    response = page.goto(path)
    assert response is not None
    assert response.status == (404 if "no-such" in path else 200)
    expected_lang = "fr" if who == "alice_in_french" else "en"
    expect(page.locator("html")).to_have_attribute("lang", expected_lang)
    assert response.headers["content-language"] == expected_lang
    if "as_of=" in path:
        expect(page.locator(".as-of-banner")).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(DUPLICATE_IDS) == []  # axe-core has retired its duplicate-id rules

    violations = AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if violations:
        print(f"axe on {path} as {who}:\n{describe(violations)}")
    assert not blocking, f"axe on {path} as {who}:\n{describe(blocking)}"


# -- small screens ---------------------------------------------------------------------------

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className) : ""))
    .slice(0, 10);
}"""


@pytest.mark.parametrize("path", ["/", "/outcomes"])
def test_no_horizontal_scrolling_at_375_pixels(alice: Page, screenshots: Path, path: str) -> None:
    page = alice.context.new_page()
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(path)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        shot(page, screenshots, f"narrow-{path.strip('/') or 'dashboard'}")
        assert scroll <= client, f"{path} is {scroll}px wide: {page.evaluate(OVERFLOWING)}"
    finally:
        page.close()


# -- print -----------------------------------------------------------------------------------


def test_the_briefing_prints_as_a_clean_pack(alice: Page, screenshots: Path) -> None:
    page = alice.context.new_page()
    try:
        # As of the Manila summit the next meeting is Athens 2009: a briefing with tables in it.
        page.goto(f"/briefing?as_of={AS_OF}")
        screen_only = [".site-header nav", "form.as-of", "#as-of-date", ".no-print"]
        for selector in screen_only:
            expect(page.locator(selector).first).to_be_visible()
        expect(page.locator(".print-only")).to_be_hidden()

        page.emulate_media(media="print")
        for selector in [".site-header", *screen_only]:
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_have_text("Briefing for the next meeting")
        expect(page.locator(".lead")).to_contain_text("Third GFMD meeting, Athens")
        expect(page.locator(".print-only")).to_be_visible()
        expect(page.locator(".as-of-banner")).to_be_visible()  # the pack says which day it shows
        expect(page.locator("main table").first).to_be_visible()
        shot(page, screenshots, "briefing-print")
        pdf = page.pdf(format="A4", print_background=False)
        assert pdf.startswith(b"%PDF-")
        assert len(pdf) > 5_000
        (ARTIFACTS / "briefing-print.pdf").write_bytes(pdf)
    finally:
        page.close()
