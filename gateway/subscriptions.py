"""Live payment status for GraphQL subscriptions, from payments' events.

One aio-pika consumer per gateway process listens to the events that announce
a payment's status changes (`contracts.events.PAYMENT_STATUS_EVENTS`, one per
change) on the `payments.events` topic exchange (through an exclusive, auto-deleted
queue of its own, so every gateway instance sees every change) and fans each
event out to the subscribers of that payment. Nothing is stored: a subscriber
first reads the payment's current state over RPC, then follows the events.

Started lazily by the first subscriber; `close()` stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from common import config
from contracts.events import PAYMENT_STATUS_EVENTS

log = logging.getLogger(__name__)

EXCHANGE = "payments.events"
# A subscriber slower than this many pending changes is cut off (it can
# resubscribe and read the current state again).
MAX_PENDING = 100

Json = dict[str, Any]


class PaymentStatusHub:
    def __init__(self, amqp_uri: str | None = None) -> None:
        self._uri = amqp_uri
        self._subscribers: dict[str, set[asyncio.Queue[Json]]] = defaultdict(set)
        self._connection: AbstractRobustConnection | None = None
        self._ready: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Connect and start consuming (once; concurrent callers wait for it)."""
        if self._ready is None or (self._ready.done() and self._ready.exception()):
            self._ready = asyncio.ensure_future(self._connect())
        await asyncio.shield(self._ready)

    async def _connect(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self._uri or config.amqp_uri(),
            client_properties={"connection_name": "gateway-payment-status"},
        )
        channel = await self._connection.channel()
        # Declared exactly as nameko and the outbox relay declare it.
        exchange = await channel.declare_exchange(
            EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(
            f"gateway-payment-status-{uuid.uuid4().hex[:12]}",
            exclusive=True,
            auto_delete=True,
        )
        for event_type in PAYMENT_STATUS_EVENTS:
            await queue.bind(exchange, event_type)
        await queue.consume(self._on_message, no_ack=True)
        log.info("payment status hub listening on %s", EXCHANGE)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        self._connection = None
        self._ready = None

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            payload = json.loads(message.body)["payload"]
            payment_id = str(payload["payment_id"])
            if "new_status" not in payload:  # news from before events carried it
                raise KeyError("new_status")
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a payment event that announces no status change")
            return
        for queue in list(self._subscribers.get(payment_id, ())):
            if queue.qsize() >= MAX_PENDING:
                continue  # the subscriber's own loop ends it (see listen)
            queue.put_nowait(payload)

    @contextlib.asynccontextmanager
    async def listen(self, payment_id: str) -> AsyncIterator[asyncio.Queue[Json]]:
        """Changes of one payment, from now on, while the block runs."""
        await self.start()
        queue: asyncio.Queue[Json] = asyncio.Queue()
        self._subscribers[payment_id].add(queue)
        try:
            yield queue
        finally:
            subscribers = self._subscribers.get(payment_id)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._subscribers[payment_id]

    @property
    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())


hub = PaymentStatusHub()
