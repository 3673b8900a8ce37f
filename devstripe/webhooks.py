"""Stripe-style webhook events and their delivery.

Every event (ours and localstripe's own) gets a stable ``evt_`` id, is stored in
localstripe's store (so ``GET /v1/events`` lists it), is serialized once (so a
resend is byte-identical) and is delivered to each matching endpoint with a
fresh ``Stripe-Signature`` per attempt, retrying with exponential back-off on
non-2xx answers and connection errors. localstripe's own sender tries once and
signs with the event's creation time, which breaks retries after five minutes.
"""

from __future__ import annotations

import asyncio
import fnmatch
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from localstripe import resources as ls_resources
from localstripe import webhooks as ls_webhooks

from devstripe.config import Settings

log = logging.getLogger(__name__)

PRIMARY_ENDPOINT = "devstripe"

try:  # Use the API version our SDK pins, as a real account would.
    from stripe._api_version import _ApiVersion

    API_VERSION: str = _ApiVersion.CURRENT
except ImportError:  # pragma: no cover - stripe is a platform dependency
    API_VERSION = "2026-10-28.endive"


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """Stripe's scheme: HMAC-SHA256 of ``"{t}.{payload}"`` keyed by the secret."""
    signed = str(timestamp).encode() + b"." + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Delivery:
    endpoint_id: str
    url: str
    status: str = "pending"  # pending | delivered | failed | abandoned
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    next_attempt_at: float | None = None
    delivered_at: float | None = None
    first_attempt_done: asyncio.Event = field(
        default_factory=asyncio.Event, repr=False, compare=False
    )

    def to_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint_id,
            "url": self.url,
            "status": self.status,
            "attempts": self.attempts,
            "last_status_code": self.last_status_code,
            "last_error": self.last_error,
            "next_attempt_at": self.next_attempt_at,
            "delivered_at": self.delivered_at,
        }


@dataclass
class EventRecord:
    id: str
    type: str
    created: int
    payload: bytes
    deliveries: list[Delivery] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "created": self.created,
            "delivered": any(d.status == "delivered" for d in self.deliveries),
            "attempts": sum(d.attempts for d in self.deliveries),
            "deliveries": [d.to_dict() for d in self.deliveries],
            "event": json.loads(self.payload),
        }


class _Snapshot:
    """Adapter: localstripe's Event wants an object with ``_export()``."""

    def __init__(self, obj: Mapping[str, Any]) -> None:
        self._obj = dict(obj)

    def _export(self, expand: object = None) -> dict[str, Any]:
        return self._obj


def _matches(patterns: list[str] | tuple[str, ...] | None, event_type: str) -> bool:
    if patterns is None:
        return True
    return any(fnmatch.fnmatchcase(event_type, p) for p in patterns)


class Dispatcher:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._events: dict[str, EventRecord] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None

    # -- lifecycle ---------------------------------------------------------

    def install(self) -> None:
        """Become the only webhook sender, for localstripe's events too."""
        s = self._settings
        events = list(s.webhook_events) if s.webhook_events is not None else None
        ls_webhooks.register_webhook(
            PRIMARY_ENDPOINT, s.webhook_url, s.webhook_secret, events
        )
        ls_resources.schedule_webhook = self._dispatch

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()

    # -- endpoints ---------------------------------------------------------

    def primary_endpoint(self) -> dict[str, Any]:
        hook = ls_webhooks._webhooks[PRIMARY_ENDPOINT]
        return {"id": PRIMARY_ENDPOINT, "url": hook.url, "events": hook.events}

    def set_primary_endpoint(
        self, url: str, secret: str | None = None, events: list[str] | None = None
    ) -> None:
        """Retarget future attempts, including retries already scheduled."""
        hook = ls_webhooks._webhooks[PRIMARY_ENDPOINT]
        hook.url = url
        if secret:
            hook.secret = secret
        if events is not None:
            hook.events = None if "*" in events else events

    # -- events ------------------------------------------------------------

    def emit(
        self,
        event_type: str,
        obj: Mapping[str, Any],
        previous_attributes: Mapping[str, Any] | None = None,
    ) -> EventRecord:
        event = ls_resources.Event(event_type, _Snapshot(obj))
        if previous_attributes:
            event.data["previous_attributes"] = dict(previous_attributes)
        return self._dispatch(event)

    def _dispatch(self, event: Any) -> EventRecord:
        # Fields real Stripe events carry that localstripe's lack.
        event.api_version = API_VERSION
        event.pending_webhooks = sum(
            _matches(h.events, event.type) for h in ls_webhooks._webhooks.values()
        )
        event.request = {"id": None, "idempotency_key": None}
        payload = json.dumps(event._export(), indent=2, sort_keys=True).encode()
        record = EventRecord(event.id, event.type, event.created, payload)
        self._events[record.id] = record
        log.info("event %s %s", record.id, record.type)
        self._deliver_to_matching(record)
        return record

    def events(self, event_type: str | None = None) -> list[EventRecord]:
        return [r for r in self._events.values() if event_type in (None, r.type)]

    def get(self, event_id: str) -> EventRecord | None:
        return self._events.get(event_id)

    async def resend(self, record: EventRecord, *, wait: bool) -> list[Delivery]:
        deliveries = self._deliver_to_matching(record)
        if wait and deliveries:
            timeout = self._settings.webhook_timeout + 5
            await asyncio.wait_for(
                asyncio.gather(*(d.first_attempt_done.wait() for d in deliveries)),
                timeout,
            )
        return deliveries

    # -- delivery ----------------------------------------------------------

    def _deliver_to_matching(self, record: EventRecord) -> list[Delivery]:
        new: list[Delivery] = []
        for endpoint_id, hook in list(ls_webhooks._webhooks.items()):
            if not _matches(hook.events, record.type):
                continue
            delivery = Delivery(endpoint_id, hook.url)
            record.deliveries.append(delivery)
            new.append(delivery)
            self._spawn(record, delivery)
        return new

    def _spawn(self, record: EventRecord, delivery: Delivery) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (e.g. import time): leave it pending
            log.warning("event %s created outside the event loop", record.id)
            return
        task = loop.create_task(self._run(record, delivery))
        self._tasks.add(task)  # keep a reference until done
        task.add_done_callback(self._tasks.discard)

    def _backoff(self, attempts: int) -> float:
        s = self._settings
        return float(min(s.retry_base * 2 ** (attempts - 1), s.retry_max_delay))

    async def _run(self, record: EventRecord, delivery: Delivery) -> None:
        try:
            while not await self._attempt(record, delivery):
                if delivery.attempts >= self._settings.max_attempts:
                    delivery.status = "failed"
                    delivery.next_attempt_at = None
                    log.warning(
                        "giving up on %s %s after %d attempts",
                        record.id,
                        record.type,
                        delivery.attempts,
                    )
                    return
                delay = self._backoff(delivery.attempts)
                delivery.next_attempt_at = time.time() + delay
                await asyncio.sleep(delay)
        finally:
            delivery.first_attempt_done.set()

    async def _attempt(self, record: EventRecord, delivery: Delivery) -> bool:
        """One POST; True when no further attempt is wanted."""
        hook = ls_webhooks._webhooks.get(delivery.endpoint_id)
        if hook is None:  # endpoint removed meanwhile
            delivery.status = "abandoned"
            return True
        delivery.url = hook.url
        delivery.attempts += 1
        delivery.next_attempt_at = None
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": sign(record.payload, hook.secret, int(time.time())),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        try:
            async with self._client().post(
                hook.url, data=record.payload, headers=headers
            ) as resp:
                await resp.read()
                delivery.last_status_code = resp.status
                ok = 200 <= resp.status < 300
                delivery.last_error = None if ok else f"HTTP {resp.status}"
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            delivery.last_status_code = None
            delivery.last_error = f"{type(exc).__name__}: {exc}"
            ok = False
        finally:
            delivery.first_attempt_done.set()
        if ok:
            delivery.status = "delivered"
            delivery.delivered_at = time.time()
        log.info(
            "deliver %s %s to %s attempt %d: %s",
            record.id,
            record.type,
            hook.url,
            delivery.attempts,
            "ok" if ok else delivery.last_error,
        )
        return ok

    def _client(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            timeout = aiohttp.ClientTimeout(total=self._settings.webhook_timeout)
            self._http = aiohttp.ClientSession(timeout=timeout)
        return self._http
