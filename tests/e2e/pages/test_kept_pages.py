"""The dashboard and the outcome list keep their content while nothing it shows has moved: the
kept part is never another reader's, never in another language, never another filter's, and a
new fact shows at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from adapters.clock import FixedClock
from tests.pages_server import (
    adopt_for_finland,
    csrf_of,
    pages_server,
    signed_in_client,
)

FINLAND = "/outcomes?state=FI"
MATCHES = re.compile(r"(\d+) outcomes? match")


def matching(html: str) -> int:
    found = MATCHES.search(html)
    assert found, "the list says nothing of how many outcomes match"
    return int(found.group(1))


def content_of(html: str) -> str:
    return html.split('<main id="main" tabindex="-1">', 1)[1].split("</main>", 1)[0]


def test_a_new_outcome_shows_on_the_filtered_list_at_once(tmp_path: Path) -> None:
    with pages_server(tmp_path) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            before = bob.get(FINLAND).text
            assert bob.get(FINLAND).text == before  # asked again: the same answer
            adopt_for_finland(server)
            after = bob.get(FINLAND).text
        finally:
            bob.close()
    assert matching(after) == matching(before) + 1


def test_each_filter_and_page_of_the_list_has_its_own_answer(tmp_path: Path) -> None:
    with pages_server(tmp_path) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            finland = bob.get(FINLAND).text
            belgium = bob.get("/outcomes?state=BE").text
            everything = bob.get("/outcomes").text
            finland_by_title = bob.get(FINLAND + "&sort=title").text
        finally:
            bob.close()
    assert 'value="FI" selected' in finland and 'value="BE" selected' in belgium
    assert matching(everything) > matching(finland)
    assert '<option value="title" selected>' in finland_by_title
    assert '<option value="title" selected>' not in finland


def test_a_kept_list_and_dashboard_show_each_reader_their_own_name_and_csrf_token(
    tmp_path: Path,
) -> None:
    with pages_server(tmp_path) as server:
        alice = signed_in_client(server.base, "alice")
        bob = signed_in_client(server.base, "bob")
        try:
            pages = {path: (alice.get(path).text, bob.get(path).text) for path in ("/", FINLAND)}
        finally:
            alice.close()
            bob.close()
    for for_alice, for_bob in pages.values():
        assert "Alice (Support Unit)" in for_alice and "Alice" not in for_bob
        assert "Bob (Troika)" in for_bob
        assert 'href="/secretariat"' in for_alice and 'href="/secretariat"' not in for_bob
        assert csrf_of(for_alice) != csrf_of(for_bob)
        assert content_of(for_alice) == content_of(for_bob)  # the kept part is nobody's


def test_a_kept_page_is_never_shown_in_the_language_it_was_first_asked_in(
    tmp_path: Path,
) -> None:
    with pages_server(tmp_path) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            english = {path: bob.get(path).text for path in ("/", FINLAND)}
            bob.get("/language/fr", params={"next": "/"})  # the cookie: the same query strings
            french = {path: bob.get(path).text for path in ("/", FINLAND)}
        finally:
            bob.close()
    assert "Tableau de bord" not in english["/"] and "<h1>Tableau de bord</h1>" in french["/"]
    assert "<h1>Outcomes</h1>" in english[FINLAND] and "<h1>Résultats</h1>" in french[FINLAND]


def test_a_list_as_of_a_day_is_its_own_answer(tmp_path: Path) -> None:
    with pages_server(tmp_path) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            today = bob.get("/outcomes").text
            back_then = bob.get("/outcomes?as_of=2008-10-30").text
        finally:
            bob.close()
    assert matching(back_then) < matching(today)
    assert "As of" in back_then and "As of" not in today


def test_the_flash_message_shows_once_on_a_kept_page(tmp_path: Path) -> None:
    with pages_server(tmp_path) as server:
        alice = signed_in_client(server.base, "alice")
        bob = signed_in_client(server.base, "bob")
        try:
            path = "/secretariat/outcomes/mnl-2008-rt3.2-focal-points/progress"
            recorded = alice.post(
                path,
                data={
                    "summary": "Focal points met in Geneva",
                    "occurred_on": "2009-03-02",
                    "csrf_token": csrf_of(alice.get(path).text),
                },
            )
            assert recorded.status_code == 303  # alice's session holds "recorded"
            bob.get(FINLAND)  # the list as it stands now is kept
            first = alice.get(FINLAND).text
            second = alice.get(FINLAND).text
        finally:
            alice.close()
            bob.close()
    assert 'class="flash"' in first and 'class="flash"' not in second
    assert content_of(first).replace(FLASH, "") == content_of(second)


FLASH = '<p class="flash" role="status">Recorded.</p>'


def test_statuses_whose_day_has_come_show_on_the_kept_pages_as_a_fresh_server_shows_them(
    tmp_path: Path,
) -> None:
    pages = ("/", "/outcomes?status=overdue", "/outcomes?status=due_soon")
    later = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    clock = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    with pages_server(tmp_path / "running", clock) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            before = {path: content_of(bob.get(path).text) for path in pages}
            clock.move_to(later)
            kept = {path: content_of(bob.get(path).text) for path in pages}
        finally:
            bob.close()
    with pages_server(tmp_path / "fresh", FixedClock(later)) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            fresh = {path: content_of(bob.get(path).text) for path in pages}
        finally:
            bob.close()
    assert kept == fresh
    assert kept != before
