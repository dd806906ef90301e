"""The reminders page, a digest's preview, and the focal-point registry (personal data)."""

from __future__ import annotations

import httpx

from tests.e2e.pages.test_forms import submit
from tests.pages_server import PagesServer, csrf_of


def test_the_focal_point_registry_adds_validates_and_erases(
    alice: httpx.Client, server: PagesServer
) -> None:
    before = server.container.app.head_position()
    bad = submit(
        alice,
        "/secretariat/focal-points",
        {"state": "XX", "name": "", "email": "not-an-address", "language": "de"},
    )
    assert bad.status_code == 422
    for name in ("state", "name", "email", "language"):
        assert f'id="{name}-error"' in bad.text
    good = submit(
        alice,
        "/secretariat/focal-points",
        {"state": "MA", "name": "Amal <b>Benali</b>", "email": "amal@example.ma", "language": "fr"},
    )
    assert good.status_code == 303
    page = alice.get("/secretariat/focal-points").text
    assert "amal@example.ma" in page and "Amal &lt;b&gt;Benali&lt;/b&gt;" in page
    assert server.container.app.head_position() == before  # personal data never becomes an event
    point_id = page.split("/secretariat/focal-points/")[1].split("/erase")[0]
    erased = alice.post(
        f"/secretariat/focal-points/{point_id}/erase", data={"csrf_token": csrf_of(page)}
    )
    assert erased.status_code == 303
    assert "amal@example.ma" not in alice.get("/secretariat/focal-points").text


def test_reviewers_see_the_ledger_but_not_the_registry(bob: httpx.Client) -> None:
    assert bob.get("/reminders").status_code == 200
    assert bob.get("/secretariat/focal-points").status_code == 403


def test_a_preview_needs_an_upcoming_meeting(alice: httpx.Client) -> None:
    response = alice.get("/secretariat/reminders/preview/AU")
    assert response.status_code == 404
    assert "There is no digest to preview for this recipient now." in response.text
    assert "no upcoming meeting triggers reminders" in response.text
