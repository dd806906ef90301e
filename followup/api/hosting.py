"""Several forums behind one address: each forum is its own application over its own store,
chosen by the request's host name. Nothing is shared between them but the process: not the
tables, not the users, not the tokens, not the session key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AsyncExitStack

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from followup.api.app import create_app
from followup.bootstrap import Container


class ForumHosting:
    """An ASGI application dispatching each request to the forum that claims its host."""

    def __init__(
        self, apps: dict[str, FastAPI], hosts: dict[str, str], default: str | None
    ) -> None:
        self.apps = apps
        self.hosts = {host.lower(): forum for host, forum in hosts.items()}
        self.default = default

    def forum_for(self, host: str) -> str | None:
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return self.hosts.get(name.lower(), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        forum = self.forum_for(host)
        if forum is None:
            await self._unknown_host(host, send)
            return
        app: ASGIApp = self.apps[forum]
        await app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """Start every forum's own lifespan (its projections and scheduler) and stop them."""
        message = await receive()
        assert message["type"] == "lifespan.startup"
        async with AsyncExitStack() as stack:
            try:
                for app in self.apps.values():
                    await stack.enter_async_context(app.router.lifespan_context(app))
            except Exception as error:
                await send({"type": "lifespan.startup.failed", "message": str(error)})
                return
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
            assert message["type"] == "lifespan.shutdown"
        await send({"type": "lifespan.shutdown.complete"})

    async def _unknown_host(self, host: str, send: Send) -> None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Not Found",
                "status": 404,
                "detail": f"no forum is served at the host {host!r}",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_hosting(
    containers: Sequence[Container], background: bool = True, default_forum: str | None = None
) -> ASGIApp:
    """One forum's application as it is, or a host dispatcher over several."""
    if len(containers) == 1:
        return create_app(containers[0], background)
    apps = {c.settings.forum: create_app(c, background) for c in containers}
    hosts = {host: c.settings.forum for c in containers for host in c.settings.hosts}
    if default_forum is not None and default_forum not in apps:
        raise ValueError(f"the default forum {default_forum!r} is not among the hosted forums")
    return ForumHosting(apps, hosts, default_forum)
