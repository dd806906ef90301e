"""The secretariat's forms: validation next to the field, nothing appended on error, every text
escaped, and the facts they record visible at once with the user's name."""

from __future__ import annotations

import httpx
from icalendar import Calendar

from tests.pages_server import PagesServer, csrf_of


def submit(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    token = csrf_of(client.get(path).text)
    return client.post(path, data={**data, "csrf_token": token})


def test_a_bad_form_shows_the_message_next_to_the_field_and_appends_nothing(
    alice: httpx.Client, server: PagesServer
) -> None:
    before = server.container.app.head_position()
    response = submit(
        alice,
        "/secretariat/adopt",
        {
            "code": "Not A Code",
            "title": "",
            "kind": "date",
            "occurred_on": "2031-02-30",
        },
    )
    assert response.status_code == 422
    page = response.text
    assert "Nothing was recorded: please correct what is marked below." in page
    assert 'id="f-code" name="code" type="text" value="Not A Code" aria-invalid="true"' in page
    for name in ("code", "title", "kind", "occurred_on"):
        assert f'id="{name}-error"' in page
    assert "This kind of deadline needs its date, meeting kind or number of months." in page
    assert "Give the day as YYYY-MM-DD, for example 2008-10-30." in page
    assert server.container.app.head_position() == before


def test_adopting_through_the_form_records_it_with_the_users_name(
    alice: httpx.Client, server: PagesServer
) -> None:
    response = submit(
        alice,
        "/secretariat/adopt",
        {
            "code": "pl-2012-form-test",
            "title": "Report on coherence tools",
            "meeting": "summit-2012-port-louis",
            "responsible_state": "MA",
            "responsible_role": "lead",
            "working_group": "wg-policy-coherence-data-research",
            "kind": "next_meeting",
            "meeting_kind": "summit",
            "occurred_on": "2012-11-22",
            "source": "Port Louis report",
        },
    )
    assert (
        response.status_code == 303
        and response.headers["location"] == "/outcomes/pl-2012-form-test"
    )
    page = alice.get("/outcomes/pl-2012-form-test").text
    assert "Recorded." in page and "Alice (Support Unit)" in page
    assert "MA (lead)" in page and "Port Louis report" in page


def test_user_text_is_shown_as_text_never_run(alice: httpx.Client, server: PagesServer) -> None:
    payload = '<script>alert("x")</script>'
    response = submit(
        alice,
        "/secretariat/adopt",
        {
            "code": "xss-probe",
            "title": payload,
            "summary": f"<img src=x onerror=alert(1)>{payload}",
            "occurred_on": "2012-11-22",
        },
    )
    assert response.status_code == 303
    reported = submit(
        alice,
        "/secretariat/outcomes/xss-probe/progress",
        {
            "summary": payload,
            "source": payload,
            "occurred_on": "2012-11-23",
        },
    )
    assert reported.status_code == 303
    for path in ["/outcomes/xss-probe", "/outcomes?q=xss", "/", "/briefing"]:
        page = alice.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in alice.get("/outcomes/xss-probe").text
    )


def test_a_reschedule_moves_the_deadline_and_raises_the_feeds_sequence(
    alice: httpx.Client,
) -> None:
    scheduled = submit(
        alice,
        "/secretariat/meeting",
        {
            "code": "sg-2027-03-geneva",
            "kind": "steering_group",
            "title": "Steering Group, Geneva",
            "place": "Geneva",
            "starts_on": "2027-03-10",
            "convened_by": "MU",
        },
    )
    assert scheduled.status_code == 303, scheduled.text
    adopted = submit(
        alice,
        "/secretariat/adopt",
        {
            "code": "sg-2027-report",
            "title": "Report to the Steering Group",
            "kind": "next_meeting",
            "meeting_kind": "steering_group",
        },
    )
    assert adopted.status_code == 303, adopted.text
    assert "Mar 10, 2027" in alice.get("/outcomes/sg-2027-report").text
    moved = submit(
        alice,
        "/secretariat/reschedule",
        {
            "meeting": "sg-2027-03-geneva",
            "starts_on": "2027-04-14",
            "ends_on": "2027-04-15",
        },
    )
    assert moved.status_code == 303, moved.text
    assert "Apr 14, 2027" in alice.get("/outcomes/sg-2027-report").text
    feed = Calendar.from_ical(alice.get("/calendar.ics").content)
    [meeting] = [e for e in feed.walk("VEVENT") if str(e["SUMMARY"]) == "Steering Group, Geneva"]
    assert int(meeting["SEQUENCE"]) == 1
    held = submit(
        alice,
        "/secretariat/reschedule",
        {
            "meeting": "summit-2012-port-louis",
            "starts_on": "2012-11-26",
        },
    )
    assert held.status_code == 422 and "already held" in held.text


def test_an_outcome_marked_public_shows_without_sign_in(
    alice: httpx.Client, anonymous: httpx.Client
) -> None:
    code = "mnl-2008-rt3.2-good-practice"
    assert anonymous.get(f"/public/outcomes/{code}").status_code == 404
    response = submit(alice, f"/secretariat/outcomes/{code}/publicity", {"public": "true"})
    assert response.status_code == 303
    assert code in anonymous.get("/public").text
    page = anonymous.get(f"/public/outcomes/{code}")
    assert page.status_code == 200 and "Record a decision" not in page.text


def test_a_domain_refusal_is_shown_on_the_form(alice: httpx.Client, server: PagesServer) -> None:
    before = server.container.app.head_position()
    response = submit(
        alice,
        "/secretariat/outcomes/mnl-2008-rt3.2-good-practice/reopening",
        {"reason": "not completed in the first place"},
    )
    assert response.status_code == 422
    assert "is not completed" in response.text
    assert server.container.app.head_position() == before


def test_the_secretariat_records_a_leads_work_through_forms(
    alice: httpx.Client, server: PagesServer
) -> None:
    code = "mnl-2008-rt3.2-focal-points"
    progress = submit(
        alice,
        f"/secretariat/outcomes/{code}/progress",
        {
            "summary": "Focal points met in Geneva",
            "percent_complete": "30",
            "evidence_url": "https://example.org/minutes.pdf",
            "occurred_on": "2009-03-02",
        },
    )
    assert progress.status_code == 303, progress.text
    page = alice.get(f"/outcomes/{code}").text
    assert "Focal points met in Geneva" in page and "30%" in page
    form = alice.get(f"/secretariat/outcomes/{code}/retraction").text
    report = form.split('<option value="')[1].split('"')[0]
    retracted = submit(
        alice,
        f"/secretariat/outcomes/{code}/retraction",
        {"report": report, "reason": "minutes were of another meeting"},
    )
    assert retracted.status_code == 303
    page = alice.get(f"/outcomes/{code}").text
    assert "retracted on" in page
    assert page.count("retracted later") == 1  # on the timeline, beside the report taken back
    bad = submit(alice, f"/secretariat/outcomes/{code}/completion", {"evidence_url": "not a url"})
    assert bad.status_code == 422 and 'id="evidence_url-error"' in bad.text
    done = submit(
        alice,
        f"/secretariat/outcomes/{code}/completion",
        {"evidence_url": "https://example.org/final.pdf"},
    )
    assert done.status_code == 303
    assert "Completed" in alice.get(f"/outcomes/{code}").text


def test_a_survey_run_with_its_figures_through_the_form(
    alice: httpx.Client, server: PagesServer
) -> None:
    path = "/secretariat/surveys/policy-coherence-survey/run"
    bad = submit(
        alice,
        path,
        {"code": "2010", "responses": "61", "figures": "national-plan | National plan | 70 | 61"},
    )
    assert bad.status_code == 422 and "line 1" in bad.text
    good = submit(
        alice,
        path,
        {
            "code": "2010",
            "responses": "61",
            "occurred_on": "2010-06-30",
            "figures": "national-plan | States with a national plan | 33 | 61",
        },
    )
    assert good.status_code == 303, good.text
    page = alice.get("/surveys/policy-coherence-survey").text
    assert "33 of 61" in page and ">61 <" in page


def test_an_expert_meeting_and_a_release_through_forms(alice: httpx.Client) -> None:
    group = "wg-protecting-empowering-migrants"
    held = submit(
        alice,
        f"/secretariat/working-groups/{group}/expert-meeting",
        {
            "code": "pem-experts-2011",
            "title": "Experts on migrant protection",
            "place": "Geneva",
            "occurred_on": "2011-05-10",
        },
    )
    assert held.status_code == 303, held.text
    assert "Experts on migrant protection" in alice.get(f"/working-groups/{group}").text
    code = "mnl-2008-rt3.3-iom-rcp-chairs-meeting"
    released = submit(alice, f"/secretariat/outcomes/{code}/release", {"state": "AU"})
    assert released.status_code == 303, released.text
    page = alice.get(f"/outcomes/{code}").text
    assert "<dt>Responsible states</dt>\n  <dd>none named</dd>" in page
    assert "Responsibility released" in page  # and the history keeps the assignment


def test_the_outcome_page_shows_the_plan_with_a_link_to_the_fact(bob: httpx.Client) -> None:
    page = bob.get("/outcomes/mnl-2008-rt3.1-data-research-wg").text
    assert "Form the working group" in page
    assert (
        '<a href="/working-groups/wg-policy-coherence-data-research">Working group formed</a>, 2009'
        in page
    )


def test_a_plan_is_picked_at_adoption_and_edited_through_forms(
    alice: httpx.Client, server: PagesServer
) -> None:
    adopted = submit(
        alice,
        "/secretariat/adopt",
        {
            "code": "pl-2012-survey",
            "title": "Re-run the survey",
            "occurred_on": "2012-11-22",
            "plan_template": "rerun_survey",
            "plan_survey": "policy-coherence-survey",
            "plan_every_months": "24",
        },
    )
    assert adopted.status_code == 303, adopted.text
    page = alice.get("/outcomes/pl-2012-survey").text
    assert "Run the survey (cycle 1)" in page and "Nov 22, 2014" in page
    added = submit(
        alice,
        "/secretariat/outcomes/pl-2012-survey/milestone",
        {
            "kind": "custom",
            "title": "Add open-ended questions",
            "due_on": "2013-06-30",
        },
    )
    assert added.status_code == 303, added.text
    assert "Add open-ended questions" in alice.get("/outcomes/pl-2012-survey").text
    form = alice.get("/secretariat/outcomes/pl-2012-survey/milestone-removal").text
    value = form.split("Add open-ended questions")[0].rsplit('<option value="', 1)[1].split('"')[0]
    removed = submit(
        alice,
        "/secretariat/outcomes/pl-2012-survey/milestone-removal",
        {"milestone": value, "reason": "asked in the next cycle"},
    )
    assert removed.status_code == 303
    assert "Add open-ended questions</th>" not in alice.get("/outcomes/pl-2012-survey").text


def test_exports_defuse_spreadsheet_formulas(alice: httpx.Client) -> None:
    response = submit(
        alice,
        "/secretariat/adopt",
        {
            "code": "formula-probe",
            "title": '=HYPERLINK("http://evil.example","click")',
            "occurred_on": "2012-11-22",
        },
    )
    assert response.status_code == 303
    exported = alice.get("/outcomes.csv", params={"q": "formula-probe"}).text
    assert "'=HYPERLINK" in exported
    import io

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(alice.get("/outcomes.xlsx", params={"q": "formula-probe"}).content)
    )
    assert book["outcomes"]["B2"].value.startswith("'=HYPERLINK")
