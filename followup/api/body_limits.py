"""Hostile bodies are refused before they are parsed: too large (413) or nested too deep (422)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from followup.api.problems import PROBLEM_JSON

MAX_BODY = 256 * 1024  # bytes: a progress report or a form is a few kilobytes
MAX_DEPTH = 16


def nesting_depth(body: bytes) -> int:
    """How deep ``[`` and ``{`` nest, outside strings (without building anything)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class BodyLimits:
    """ASGI middleware: reads at most ``MAX_BODY`` bytes of a request, checks JSON nesting."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY, max_depth: int = MAX_DEPTH) -> None:
        self.app = app
        self.max_body = max_body
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await refuse(send, 413, f"the body is larger than {self.max_body} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await refuse(send, 413, f"the body is larger than {self.max_body} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"")
        if b"json" in content_type and nesting_depth(body) > self.max_depth:
            await refuse(send, 422, f"the JSON nests deeper than {self.max_depth} levels")
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def refuse(send: Send, status: int, detail: str) -> None:
    title = "Content Too Large" if status == 413 else "Unprocessable Content"
    payload: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": "",
        "errors": [],
    }
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
