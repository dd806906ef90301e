"""Sign-in, sessions, CSRF, the throttle, security headers, error pages."""

from __future__ import annotations

import httpx

from tests.pages_server import PASSWORDS, PagesServer, csrf_of


def test_pages_need_a_sign_in_and_come_back_after_it(anonymous: httpx.Client) -> None:
    response = anonymous.get("/outcomes?status=overdue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/outcomes?status=overdue"
    form = anonymous.get("/sign-in?next=/outcomes")
    signed = anonymous.post(
        "/sign-in",
        data={
            "username": "bob",
            "password": PASSWORDS["bob"],
            "csrf_token": csrf_of(form.text),
            "next": "/outcomes",
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/outcomes"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert anonymous.get("/outcomes").status_code == 200


def test_a_sign_in_never_redirects_off_site(anonymous: httpx.Client) -> None:
    form = anonymous.get("/sign-in")
    signed = anonymous.post(
        "/sign-in",
        data={
            "username": "bob",
            "password": PASSWORDS["bob"],
            "csrf_token": csrf_of(form.text),
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/"


def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(
    server: PagesServer,
) -> None:
    with httpx.Client(base_url=server.base, timeout=60) as client:
        token = csrf_of(client.get("/sign-in").text)
        statuses = [
            client.post(
                "/sign-in", data={"username": "carol", "password": "nope", "csrf_token": token}
            ).status_code
            for _ in range(5)
        ]
        assert statuses == [401] * 5
        blocked = client.post(
            "/sign-in", data={"username": "carol", "password": "nope", "csrf_token": token}
        )
        assert blocked.status_code == 429
        assert "Too many failed attempts" in blocked.text


def test_forms_without_a_csrf_token_are_refused(alice: httpx.Client, server: PagesServer) -> None:
    before = server.container.app.head_position()
    response = alice.post("/secretariat/state", data={"code": "NO", "name": "Norway"})
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert alice.post("/sign-out", data={}).status_code == 400
    assert server.container.app.head_position() == before


def test_a_reviewer_cannot_open_the_secretariat_forms(bob: httpx.Client) -> None:
    response = bob.get("/secretariat/adopt")
    assert response.status_code == 403
    assert "Only the secretariat may do this." in response.text


def test_sign_out_ends_the_session(alice: httpx.Client) -> None:
    token = csrf_of(alice.get("/").text)
    assert (
        alice.post("/sign-out", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert alice.get("/", follow_redirects=False).status_code == 303


def test_every_page_carries_the_security_headers(bob: httpx.Client) -> None:
    for path in ["/", "/outcomes", "/sign-in", "/static/style.css", "/no-such-page"]:
        headers = bob.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_unknown_ids_give_a_404_page_and_a_bad_date_a_clear_message(bob: httpx.Client) -> None:
    missing = bob.get("/outcomes/no-such-outcome")
    assert missing.status_code == 404
    assert "There is no such outcome." in missing.text and "Traceback" not in missing.text
    assert bob.get("/states/XX").status_code == 404
    assert bob.get("/working-groups/nope").status_code == 404
    bad = bob.get("/outcomes?as_of=2008-13-45")
    assert bad.status_code == 400
    assert "This date is not valid." in bad.text and "YYYY-MM-DD" in bad.text
    assert bob.get("/dashboard-that-is-not-there").status_code == 404
