"""``Idempotency-Key`` support, which localstripe ignores.

Like Stripe: the first response to a key (errors included, 5xx excluded) is
replayed for every later request with that key; reusing the key with different
parameters is an ``idempotency_error``. The SDK sends a key on every POST and
reuses it when it retries, so this also makes SDK retries safe.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from localstripe.errors import UserError
from localstripe.server import get_post_data

from devstripe.errors import ApiError

MAX_KEYS = 10_000  # Stripe keeps keys 24h; a dev process just caps memory.


@dataclass(frozen=True)
class _Stored:
    fingerprint: str
    status: int
    body: bytes
    content_type: str


class IdempotencyCache:
    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self._entries: OrderedDict[tuple[str, str], _Stored] = OrderedDict()
        self._max_keys = max_keys
        # Handlers under /v1 never await, so one lock costs nothing and makes
        # two concurrent requests with the same key impossible to interleave.
        self.lock = asyncio.Lock()

    def get(self, scope: tuple[str, str]) -> _Stored | None:
        return self._entries.get(scope)

    def put(self, scope: tuple[str, str], entry: _Stored) -> None:
        self._entries[scope] = entry
        while len(self._entries) > self._max_keys:
            self._entries.popitem(last=False)


async def _fingerprint(request: web.Request) -> str:
    params = await get_post_data(request, remove_auth=False) or {}
    return request.path + "?" + json.dumps(params, sort_keys=True, default=str)


def idempotency_middleware(cache: IdempotencyCache) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key or not request.path.startswith("/v1/"):
            return await handler(request)
        scope = (request.headers.get("Authorization", ""), key)
        fingerprint = await _fingerprint(request)
        async with cache.lock:
            stored = cache.get(scope)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    raise ApiError(
                        400,
                        "Keys for idempotent requests can only be used with the "
                        "same parameters they were first used with. Try using a "
                        f"key other than '{key}' if you meant to execute a "
                        "different request.",
                        type_="idempotency_error",
                    )
                replay = web.Response(
                    status=stored.status,
                    body=stored.body,
                    content_type=stored.content_type,
                )
                replay.headers["Idempotency-Key"] = key
                replay.headers["Idempotent-Replayed"] = "true"
                return replay
            try:
                response = await handler(request)
            except UserError as exc:  # cache Stripe errors too, as Stripe does
                response = exc.to_response()
            body = getattr(response, "body", None)
            if response.status < 500 and isinstance(body, bytes):
                cache.put(
                    scope,
                    _Stored(fingerprint, response.status, body, response.content_type),
                )
            response.headers["Idempotency-Key"] = key
            return response

    return middleware
