"""Sign-in sessions, CSRF tokens on every form, a sign-in throttle, and security headers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import defaultdict, deque
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.clock import Clock

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Every response gets the headers; pages are never framed and never sniffed.

    A plain ASGI middleware: it only touches the response's start message, where starlette's
    ``BaseHTTPMiddleware`` ran each request through a task group and a streamed copy of its body
    (a measurable part of a page's time)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def session_secret(configured: str | None, data_dir: Path) -> str:
    """The configured secret, or one kept in the data directory (created once, mode 0600)."""
    if configured:
        return configured
    path = data_dir / "session-secret"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret, encoding="utf-8")
    path.chmod(0o600)
    return secret


def forum_key(secret: str, forum: str) -> str:
    """Each hosted forum signs its sessions with its own key: a session cookie of one forum
    is worthless on another, even where both share the deployment's secret."""
    return hmac.new(secret.encode(), f"session:{forum}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))


class SignInThrottle:
    """At most ``per_user`` failed sign-ins per username, and ``per_client`` per address (an
    office behind one address has several people), in ``window``."""

    def __init__(
        self,
        clock: Clock,
        per_user: int = 5,
        per_client: int = 20,
        window: timedelta = timedelta(minutes=15),
    ) -> None:
        self.clock = clock
        self.limits = {"user": per_user, "client": per_client}
        self.window = window
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[datetime]:
        failures = self._failures[key]
        cutoff = self.clock.now() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures

    def blocked(self, client: str, username: str) -> bool:
        with self._lock:
            return any(
                len(self._recent(key)) >= self.limits[key.split(":")[0]]
                for key in (f"client:{client}", f"user:{username.lower()}")
            )

    def failed(self, client: str, username: str) -> None:
        with self._lock:
            for key in (f"client:{client}", f"user:{username.lower()}"):
                self._recent(key).append(self.clock.now())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{username.lower()}", None)
