"""Per-caller rate limits: token buckets, refused with 429 and `RATE_LIMITED`.

Every GraphQL request (HTTP, or a WebSocket connection) takes one token from
its caller's bucket: the caller is the verified token's subject, else the
client's address. `RATE_LIMIT_PER_MINUTE` tokens come back each minute, up to
`RATE_LIMIT_BURST`. Each operation also spends its cost (gateway/limits.py)
from the caller's bucket of cost, `RATE_LIMIT_COST_PER_MINUTE` up to
`RATE_LIMIT_COST_BURST` (checked by `QueryCost`, when the cost is known): the
costliest query allowed, sent back to back, would otherwise keep the
gateway's one thread busy. Apart from those, what a forger tries is counted per
client address in a smaller bucket (`FAILURE_LIMIT_PER_MINUTE`,
`FAILURE_LIMIT_BURST`): a refused token, and a webhook the payments service
refused (bad signature or payload). Stripe's own deliveries are never
refused, so they are never counted, however many arrive at once.

The client's address is uvicorn's: the peer, or `X-Forwarded-For` when the
peer is one of `FORWARDED_ALLOW_IPS` (a proxy in front of the gateway).

Own code rather than a library: the buckets live in the gateway's one event
loop (no locks, no store), take ~1 us, and are about 30 lines; what a bucket
is keyed by needs the gateway's own authentication anyway.
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.errors import DomainError
from gateway.auth import Authenticator
from gateway.errors import ServiceError

# Buckets kept at most; the least recently used go first (and come back full).
MAX_CALLERS = 100_000


class TokenBuckets:
    def __init__(
        self,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_CALLERS,
    ) -> None:
        self.rate = per_minute / 60.0  # tokens per second
        self.burst = float(max(burst, 1))
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, key: str, now: float) -> float:
        found = self._buckets.get(key)
        if found is None:
            return self.burst
        tokens, then = found
        return min(self.burst, tokens + (now - then) * self.rate)

    def wait(self, key: str) -> float:
        """Seconds until `key` has a token (0: it has one now); takes none."""
        level = self._level(key, self.clock())
        return 0.0 if level >= 1 else (1 - level) / self.rate

    def take(self, key: str, tokens: float = 1) -> float:
        """Take `tokens` (at most a full bucket): 0 if there were as many,
        else the seconds to wait for them."""
        tokens = min(tokens, self.burst)
        now = self.clock()
        level = self._level(key, now)
        if level < tokens:
            return (tokens - level) / self.rate
        self._buckets[key] = (level - tokens, now)
        self._buckets.move_to_end(key)
        if len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return 0.0


def buckets(per_minute: int, burst: int) -> TokenBuckets | None:
    return TokenBuckets(per_minute, burst) if per_minute > 0 else None


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:-"


def caller_key(identity: Any, client: Any) -> str:
    """Whose bucket: the verified token's subject, else the client address."""
    sub = getattr(identity, "sub", None)
    if sub and not getattr(identity, "is_anonymous", True):
        return f"sub:{sub}"
    return f"ip:{client[0]}" if client else "ip:-"


class RateLimit:
    def __init__(
        self,
        app: ASGIApp,
        auth: Authenticator,
        requests: TokenBuckets | None,
        failures: TokenBuckets | None,
    ) -> None:
        self.app = app
        self.auth = auth
        self.requests = requests
        self.failures = failures

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path")
        if scope["type"] in ("http", "websocket") and path == "/graphql":
            wait = await self._graphql(scope)
            if wait:
                await _refuse(scope, send, wait)
                return
        elif scope["type"] == "http" and path == "/webhooks/stripe" and self.failures:
            await self._webhook(scope, receive, send, self.failures)
            return
        await self.app(scope, receive, send)

    async def _graphql(self, scope: Scope) -> float:
        """Seconds the caller must wait (0: go on)."""
        address = _address(scope)
        caller = address
        header = Headers(scope=scope).get("authorization")
        if header:
            try:
                identity = await self.auth.identity(header)
            except DomainError:  # a refused token: the forger's count
                if self.failures and (wait := self.failures.take(address)):
                    return wait
            except ServiceError:
                pass  # keys unavailable: the request will say so
            else:
                caller = caller_key(identity, scope.get("client"))
        return self.requests.take(caller) if self.requests else 0.0

    async def _webhook(
        self, scope: Scope, receive: Receive, send: Send, failures: TokenBuckets
    ) -> None:
        address = _address(scope)
        if wait := failures.wait(address):
            await _refuse(scope, send, wait)
            return
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched)
        if 400 <= status < 500:  # refused: a forger's try, never Stripe's
            failures.take(address)


async def _refuse(scope: Scope, send: Send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    message = f"too many requests: try again in {seconds} s"
    if scope.get("path") == "/graphql":
        body: object = {
            "data": None,
            "errors": [
                {
                    "message": message,
                    "extensions": {"code": "RATE_LIMITED", "retryAfter": seconds},
                }
            ],
        }
    else:
        body = {"error": message}
    encoded = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(encoded)).encode()),
        (b"retry-after", str(seconds).encode()),
    ]
    if scope["type"] == "websocket":
        if "websocket.http.response" not in scope.get("extensions", {}):
            await send({"type": "websocket.close", "code": 1008})
            return
        prefix = "websocket."
    else:
        prefix = ""
    await send(
        {"type": f"{prefix}http.response.start", "status": 429, "headers": headers}
    )
    await send({"type": f"{prefix}http.response.body", "body": encoded})
