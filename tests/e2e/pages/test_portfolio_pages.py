"""Dashboard, the outcome list with its filters and exports, an outcome's page, the briefing."""

from __future__ import annotations

import csv
import io
import re

import httpx
from openpyxl import load_workbook

AS_AT_MANILA = {"as_of": "2008-10-30"}


def codes_in(html: str) -> list[str]:
    return re.findall(r'<span class="code">([a-z0-9.\-]+)</span>', html)


def test_the_dashboard_counts_by_status_roundtable_state_and_group(bob: httpx.Client) -> None:
    page = bob.get("/", params=AS_AT_MANILA).text
    assert "24 outcomes in the portfolio." in page
    assert 'class="as-of-banner"' in page and "As of October 30, 2008." in page
    assert "Second GFMD meeting, Manila, roundtable 3" in page
    assert '<svg role="img"' in page and "Outcomes by status at the end of each quarter" in page
    today = bob.get("/").text
    assert "30 outcomes in the portfolio." in today and "as-of-banner" not in today


def test_the_list_filters_searches_sorts_and_pages(bob: httpx.Client) -> None:
    everything = bob.get("/outcomes").text
    assert "30 outcomes match." in everything
    assert len(codes_in(everything)) == 25 and 'rel="next"' in everything
    second = bob.get("/outcomes", params={"page": "2"}).text
    assert len(codes_in(second)) == 5
    by_state = bob.get("/outcomes", params={"state": "AU"}).text
    assert codes_in(by_state) == ["mnl-2008-rt3.3-iom-rcp-chairs-meeting"]
    group = bob.get("/outcomes", params={"working_group": "wg-policy-coherence-data-research"})
    assert sorted(codes_in(group.text)) == [
        "mnl-2008-rt3.1-data-research-wg",
        "mnl-2008-rt3.2-coherence-on-agenda",
    ]
    roundtable = bob.get("/outcomes", params={"roundtable": "summit-2007-brussels:3"}).text
    assert "3 outcomes match." in roundtable
    search = bob.get("/outcomes", params={"q": "census"}).text
    assert codes_in(search) == ["mnl-2008-rt3.1-census-2010-migration-questions"]
    due = bob.get("/outcomes", params={"due_from": "2009-06-01", "due_to": "2009-06-30"}).text
    assert codes_in(due) == ["mnl-2008-rt3.3-iom-rcp-chairs-meeting"]
    by_code = codes_in(bob.get("/outcomes", params={"sort": "code", "order": "desc"}).text)
    assert by_code == sorted(by_code, reverse=True)
    completed = bob.get("/outcomes", params={"status": "completed", **AS_AT_MANILA}).text
    assert "0 outcomes match." in completed


def test_exports_hold_exactly_the_filtered_list(bob: httpx.Client) -> None:
    params = {"meeting": "summit-2008-manila", "sort": "code", **AS_AT_MANILA}
    shown = bob.get("/outcomes", params=params).text
    exported = bob.get("/outcomes.csv", params=params)
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["x-followup-as-of"] == "2008-10-30"
    assert int(exported.headers["x-followup-log-position"]) > 0
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:3] == ["Code", "Title", "Status"]
    assert [r[0] for r in rows[1:]] == codes_in(shown) and len(rows) == 14
    workbook = bob.get("/outcomes.xlsx", params=params)
    sheet = load_workbook(io.BytesIO(workbook.content))["outcomes"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == codes_in(shown)


def test_an_outcome_page_shows_the_rule_and_the_whole_timeline(bob: httpx.Client) -> None:
    page = bob.get("/outcomes/bru-2007-rt3.2-coherent-policy-planning").text
    assert "2 progress reports, the latest of October 2008; no deadline set." in page
    assert page.count("Progress reported") >= 2 and "June 2008" in page
    assert "seed 002 (Sweden, background paper for Manila 2008 RT 3.2)" in page
    assert "import:reference-history.yaml" in page
    then = bob.get("/outcomes/mnl-2008-rt3.1-data-research-wg", params=AS_AT_MANILA).text
    assert "Not started" in then and "after the as-of day" in then
    assert (
        bob.get("/outcomes/bxl-2012-pcd-rec6-private-sector", params=AS_AT_MANILA).status_code
        == 404
    )


def test_the_briefing_for_the_meeting_after_manila(bob: httpx.Client) -> None:
    page = bob.get("/briefing", params=AS_AT_MANILA).text
    assert "Third GFMD meeting, Athens" in page
    assert "Due by this meeting, by responsible state" in page
    assert "mnl-2008-rt3.2-experts-evaluation-methods" in page
    assert "What changed since the previous meeting of this kind" in page
    assert "Since Second GFMD meeting, Manila" in page  # Manila itself ended that day
    later = bob.get("/briefing", params={"as_of": "2009-10-01"}).text
    assert "Nothing was recorded in that time." not in later
    assert "The ad hoc Working Group on Policy Coherence, Data and Research was set up" in later
    pdf = bob.get("/briefing.pdf", params=AS_AT_MANILA)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
