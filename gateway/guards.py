"""ASGI guards in front of every route: request sizes and security headers.

`BodySizeLimit` answers 413 to a body larger than its route allows, before
the app reads it: a 2.2 MB query once stalled the gateway for 5.5 s. A
declared `Content-Length` is refused at once; a chunked body is counted as it
arrives and refused when it passes the limit. (A GET's query string needs no
limit of ours: uvicorn's HTTP parser refuses a request line over ~64 KiB.)

`SecurityHeaders` puts on every HTTP response what a browser needs to keep
the app and GraphiQL from being framed, sniffed or fed foreign scripts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


def _answer(path: str, status: int, message: str) -> tuple[bytes, bytes]:
    """(content type, body) of a refusal, in the route's own shape."""
    if path == "/graphql":
        body: object = {
            "data": None,
            "errors": [
                {"message": message, "extensions": {"code": "REQUEST_TOO_LARGE"}}
            ],
        }
    else:
        body = {"error": message}
    return b"application/json", json.dumps(body).encode()


async def _refuse(send: Send, path: str, status: int, message: str) -> None:
    content_type, body = _answer(path, status, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limits: Mapping[str, int], default: int) -> None:
        self.app = app
        self.limits = dict(limits)
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.limits.get(path, self.default)
        too_large = f"the request is larger than the {limit} bytes allowed here"
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, path, 413, too_large)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(send, path, 413, too_large)


NONE = "'none'"


def content_security_policy(extra_origins: tuple[str, ...] = ()) -> str:
    """What the web app and GraphiQL need, and nothing else: their own
    scripts (no inline script, no eval), inline styles (Mantine's style
    attributes, GraphiQL's page), fetch and WebSocket to this origin
    ('self' covers ws: and wss: of the same host) and, for the OpenID
    Connect sign-in, the identity provider's origin. No framing at all."""
    others = " ".join(extra_origins)
    connect = f"'self' {others}".strip()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            f"frame-src {others or NONE}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """Sets the security headers on every HTTP response, errors included."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"content-security-policy", csp.encode()),
        ]
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in self.names
                ]
                message["headers"] = [*kept, *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
