"""The dashboard keeps its last answer only while nothing changed: a new fact shows at once."""

from __future__ import annotations

from pathlib import Path

from tests.pages_server import adopt_for_finland, pages_server, signed_in_client


def test_a_new_outcome_shows_on_the_dashboard_at_once(tmp_path: Path) -> None:
    with pages_server(tmp_path) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            before = bob.get("/").text
            assert bob.get("/").text == before  # asked again: the same answer
            assert "30 outcomes in the portfolio." in before
            adopt_for_finland(server)
            after = bob.get("/").text
        finally:
            bob.close()
    assert "31 outcomes in the portfolio." in after
    assert after.count(">FI<") >= before.count(">FI<")
