"""The outcome page works out its reader itself (one thread hop): the same sign-in, language,
as-of and error answers as every other page."""

from __future__ import annotations

import httpx

from adapters.users import UserStore
from tests.pages_server import PagesServer, csrf_of

OUTCOME = "/outcomes/mnl-2008-rt3.1-data-research-wg"


def test_a_signed_out_reader_of_an_outcome_is_sent_to_sign_in_and_back(
    anonymous: httpx.Client,
) -> None:
    response = anonymous.get(OUTCOME, params={"as_of": "2008-10-30"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next={OUTCOME}?as_of=2008-10-30"


def test_a_bad_day_on_an_outcome_page_is_explained_in_the_readers_language(
    bob: httpx.Client,
) -> None:
    english = bob.get(OUTCOME, params={"as_of": "2008-13-45"})
    french = bob.get(OUTCOME, params={"as_of": "2008-13-45", "lang": "fr"})
    assert english.status_code == french.status_code == 400
    assert "This date is not valid." in english.text
    assert french.headers["content-language"] == "fr"
    assert "This date is not valid." not in french.text


def test_an_outcome_page_shows_the_reader_their_language_and_the_day(bob: httpx.Client) -> None:
    page = bob.get(OUTCOME, params={"as_of": "2008-10-30", "lang": "es"})
    assert page.status_code == 200 and page.headers["content-language"] == "es"
    assert '<html lang="es">' in page.text
    assert 'name="as_of" value="2008-10-30"' in page.text
    assert "Bob (Troika)" in page.text


def test_a_disabled_readers_session_no_longer_opens_an_outcome(server: PagesServer) -> None:
    users = UserStore(server.container.engine)
    now = server.container.clock.now()
    users.create("carol", "Carol", "reviewer", "carol-the-reviewer-pw", now)
    carol = httpx.Client(base_url=server.base, timeout=60, follow_redirects=False)
    try:
        form = carol.get("/sign-in")
        carol.post(
            "/sign-in",
            data={
                "username": "carol",
                "password": "carol-the-reviewer-pw",
                "csrf_token": csrf_of(form.text),
                "next": "/",
            },
        )
        assert carol.get(OUTCOME).status_code == 200
        users.disable("carol", now)
        response = carol.get(OUTCOME, follow_redirects=False)
    finally:
        carol.close()
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=")


def test_each_reader_sees_their_own_frame_around_the_same_outcome(
    alice: httpx.Client, bob: httpx.Client
) -> None:
    for_bob = bob.get(OUTCOME).text
    for_alice = alice.get(OUTCOME).text
    for_bob_again = bob.get(OUTCOME).text  # the frames kept: still each reader's own
    assert for_bob_again == for_bob
    assert "Bob (Troika)" in for_bob and "Alice (Support Unit)" not in for_bob
    assert "Alice (Support Unit)" in for_alice and "Bob (Troika)" not in for_alice
    assert csrf_of(for_alice) != csrf_of(for_bob)
    assert "Record a decision" in for_alice and "Record a decision" not in for_bob
    assert 'href="/secretariat"' in for_alice and 'href="/secretariat"' not in for_bob


def test_the_flash_message_shows_once_on_the_outcome_page_recorded_to(
    alice: httpx.Client,
) -> None:
    path = "/secretariat/outcomes/mnl-2008-rt3.2-focal-points/progress"
    recorded = alice.post(
        path,
        data={
            "summary": "Focal points met in Lisbon",
            "occurred_on": "2009-04-02",
            "csrf_token": csrf_of(alice.get(path).text),
        },
    )
    assert recorded.status_code == 303
    first = alice.get(recorded.headers["location"]).text
    second = alice.get(recorded.headers["location"]).text
    flash = '<p class="flash" role="status">Recorded.</p>'
    assert flash in first and flash not in second
    assert "Focal points met in Lisbon" in first and first.replace(flash, "") == second
