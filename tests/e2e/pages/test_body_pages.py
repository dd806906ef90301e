"""States, working groups, surveys, the calendar and its iCalendar feed."""

from __future__ import annotations

import httpx
from icalendar import Calendar


def test_a_state_page_lists_its_obligations(bob: httpx.Client) -> None:
    page = bob.get("/states/AU").text
    assert "<h1>Australia" in page and "mnl-2008-rt3.3-iom-rcp-chairs-meeting" in page
    belgium = bob.get("/states/BE").text
    assert "Chair-in-Office 2007, from 2007" in belgium


def test_a_working_group_page_shows_members_leads_and_expert_meetings(bob: httpx.Client) -> None:
    page = bob.get("/working-groups/wg-policy-coherence-data-research").text
    assert "Morocco</a> (co-chair)" in page
    assert "June 26, 2012" in page or "Jun 26, 2012" in page
    assert "mnl-2008-rt3.2-coherence-on-agenda" in page
    before = bob.get(
        "/working-groups/wg-policy-coherence-data-research", params={"as_of": "2008-10-30"}
    )
    assert before.status_code == 404  # not formed yet on that day


def test_the_survey_page_shows_the_trend_across_runs(bob: httpx.Client) -> None:
    page = bob.get("/surveys/policy-coherence-survey").text
    assert ">45<" in page and ">53 <" in page and "▲" in page
    assert "9 of 45" in page and "26 of 53" in page
    assert "84%" in page
    first_only = bob.get("/surveys/policy-coherence-survey", params={"as_of": "2007-12-31"}).text
    assert "26 of 53" not in first_only and "9 of 45" in first_only


def test_the_calendar_and_its_feed(bob: httpx.Client) -> None:
    page = bob.get("/calendar", params={"as_of": "2008-10-30"}).text
    assert "Chair-in-Office: Philippines (2008)." in page
    assert "Next meeting convened by the Chair: Third GFMD meeting, Athens" in page
    feed = bob.get("/calendar.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    meetings = [e for e in events if str(e["UID"]).startswith("meeting-")]
    assert len(meetings) == 8
    assert all(int(e["SEQUENCE"]) == 0 for e in meetings)
    assert any(str(e["SUMMARY"]).startswith("Due: ") for e in events)
