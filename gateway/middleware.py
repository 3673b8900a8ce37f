"""Every request gets a correlation id, and one log line when it ends.

The id comes from the `X-Correlation-ID` header when it is a sane token, is
new otherwise, is set for the request's task (so every log line and every RPC
call carries it) and is echoed in the response's `X-Correlation-ID`.
"""

from __future__ import annotations

import logging
import re
import time

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common import correlation

log = logging.getLogger("gateway.access")

HEADER = "x-correlation-id"
# Ids end up in logs and headers: no spaces, no control characters.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def correlation_id_from(headers: Headers) -> str:
    given = headers.get(HEADER, "")
    return given if VALID_ID.fullmatch(given) else correlation.new_id()


class CorrelationMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cid = correlation_id_from(Headers(scope=scope))
        correlation.set_current(cid)
        status: int | str = "-"
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (HEADER.encode(), cid.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            method = scope.get("method", "WS")
            log.info(
                "%s %s %s %.1fms",
                method,
                scope.get("path", ""),
                status,
                (time.perf_counter() - started) * 1000,
            )
