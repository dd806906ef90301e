"""English, French and Spanish: the switch, the texts, dates and numbers in the reader's tongue."""

from __future__ import annotations

import httpx

from tests.pages_server import csrf_of


def switch(client: httpx.Client, language: str, back_to: str) -> httpx.Response:
    response = client.get(f"/language/{language}", params={"next": back_to})
    assert response.status_code == 303 and response.headers["location"] == back_to
    return client.get(back_to)


def test_the_switch_keeps_the_page_and_changes_its_language(bob: httpx.Client) -> None:
    page = switch(bob, "fr", "/outcomes/mnl-2008-rt3.1-data-research-wg?as_of=2008-10-30")
    assert page.headers["content-language"] == "fr"
    assert '<html lang="fr">' in page.text
    assert "Résultats" in page.text and "Non commencé" in page.text
    assert "30 oct. 2008" in page.text  # dates in French
    spanish = switch(bob, "es", "/?as_of=2008-10-30")
    assert '<html lang="es">' in spanish.text and "Resultados" in spanish.text
    assert "30 de octubre de 2008" in spanish.text
    switch(bob, "en", "/")


def test_the_browser_preference_is_the_default(server_base: str) -> None:
    with httpx.Client(base_url=server_base) as client:
        page = client.get("/sign-in", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
        assert page.headers["content-language"] == "es"
        assert '<html lang="es">' in page.text


def test_an_unknown_language_is_a_404_page(bob: httpx.Client) -> None:
    assert bob.get("/language/de").status_code == 404


def test_exports_name_their_columns_in_the_readers_language(bob: httpx.Client) -> None:
    switch(bob, "fr", "/outcomes")
    header = bob.get("/outcomes.csv").text.splitlines()[0]
    assert header.startswith("Code,Titre,")
    switch(bob, "en", "/")


def test_the_timeline_speaks_the_readers_language_from_one_request_to_the_next(
    bob: httpx.Client,
) -> None:
    path = "/outcomes/mnl-2008-rt3.1-data-research-wg"
    french = switch(bob, "fr", path).text.split('id="timeline"', 1)[1]
    english = switch(bob, "en", path).text.split('id="timeline"', 1)[1]
    assert "<strong>Adopté</strong>" in french and "<strong>Adopted</strong>" not in french
    assert "30 oct. 2008" in french
    assert "<strong>Adopted</strong>" in english and "Oct 30, 2008" in english


def test_progress_reports_speak_the_readers_language_from_one_request_to_the_next(
    alice: httpx.Client,
) -> None:
    code = "mnl-2008-rt3.2-focal-points"
    path = f"/secretariat/outcomes/{code}/progress"
    recorded = alice.post(
        path,
        data={
            "summary": "Working group met in Rabat",
            "percent_complete": "40",
            "evidence_url": "https://example.org/rabat.pdf",
            "occurred_on": "2009-03-02",
            "csrf_token": csrf_of(alice.get(path).text),
        },
    )
    assert recorded.status_code == 303, recorded.text.split("<main", 1)[1][:1500]
    path = f"/secretariat/outcomes/{code}/retraction"
    form = alice.get(path).text
    retracted = alice.post(
        path,
        data={
            "report": form.split('<option value="')[1].split('"')[0],
            "reason": "another meeting",
            "csrf_token": csrf_of(form),
        },
    )
    assert retracted.status_code == 303
    french = switch(alice, "fr", f"/outcomes/{code}").text.split('id="reports"', 1)[1]
    english = switch(alice, "en", f"/outcomes/{code}").text.split('id="reports"', 1)[1]
    assert "2 mars 2009" in french and "annulé le" in french and "retracted on" not in french
    assert "Mar 2, 2009" in english and "retracted on" in english and "(40%)" in english
    assert ">pièce justificative</a>" in french and ">evidence</a>" in english
