"""Live payment status for GraphQL subscriptions, from payments' events.

One consumer per gateway process listens to the events that announce a
payment's status changes (`contracts.events.PAYMENT_STATUS_EVENTS`, one per
change) on the `payments.events` topic exchange (through an exclusive,
auto-deleted queue of its own, so every gateway instance sees every change)
and fans each event out to the subscribers of that payment. Nothing is
stored: a subscriber first reads the payment's current state over RPC, then
follows the events.

The connection is kept by a loop of our own rather than aio-pika's robust
connection, which after a broker restart sometimes came back with no channel
and no queue (1 restart in 3 or 4): each time the loop connects it declares a
new queue, binds and consumes, then waits for the connection or channel to
close, and starts again. Events published while it was away are lost with its
queue, so every subscriber is then handed `RECONNECTED` and reads the
payment's state again. A new subscriber waits for the hub to be listening
(at most `LISTEN_TIMEOUT_SECONDS`), so nothing it reads can be missed.

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

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from common import config
from contracts.events import PAYMENT_STATUS_EVENTS
from contracts.rpc import Json
from gateway import broker

log = logging.getLogger(__name__)

EXCHANGE = "payments.events"
# A subscriber slower than this many pending changes is cut off (it can
# resubscribe and read the current state again).
MAX_PENDING = 100
# How long a new subscriber waits for the hub to be listening.
LISTEN_TIMEOUT_SECONDS = 5.0
# Between two attempts to connect: from the first to the last.
RETRY_SECONDS = (0.2, 5.0)

# Handed to every subscriber after the hub was away: changes may be missed.
RECONNECTED: Json = {"reconnected": True}


class HubUnavailable(Exception):
    """The hub is not listening to the broker (and did not start to in time)."""


class PaymentStatusHub:
    def __init__(self, amqp_uri: str | None = None) -> None:
        self._uri = amqp_uri
        self._subscribers: dict[str, set[asyncio.Queue[Json]]] = defaultdict(set)
        self._listening = asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None
        self._last_error: BaseException | None = None
        self.connections = 0  # how many times it connected (tests, logs)
        self._attempts = 0

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    async def start(self, timeout: float = LISTEN_TIMEOUT_SECONDS) -> None:
        """Keep listening from now on; return once listening, or raise
        HubUnavailable after `timeout`."""
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.create_task(self._keep_listening())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._listening.wait()
        if not self._listening.is_set():
            raise HubUnavailable(f"not listening to the broker: {self._last_error!r}")

    async def _keep_listening(self) -> None:
        pause = RETRY_SECONDS[0]
        while True:
            try:
                await self._listen_until_lost()
                log.warning("payment status hub lost the broker; reconnecting")
                pause = RETRY_SECONDS[0]
            except Exception as exc:
                self._last_error = exc
                log.warning("payment status hub cannot listen yet: %r", exc)
            await asyncio.sleep(pause)
            pause = min(pause * 2, RETRY_SECONDS[1])

    async def _listen_until_lost(self) -> None:
        """Connect, declare a queue of its own and consume; return once the
        connection or the channel is closed."""
        lost = asyncio.Event()
        # Each attempt on the next of the broker's addresses (round robin):
        # after its node went away, another one.
        self._attempts += 1
        connection = await aio_pika.connect(
            broker.address(self._uri or config.amqp_uri(), self._attempts - 1),
            timeout=LISTEN_TIMEOUT_SECONDS,
            client_properties={"connection_name": "gateway-payment-status"},
        )
        try:
            connection.close_callbacks.add(lambda *_: lost.set())
            channel = await connection.channel(publisher_confirms=False)
            channel.close_callbacks.add(lambda *_: lost.set())
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
            self.connections += 1
            self._listening.set()
            log.info("payment status hub listening on %s", EXCHANGE)
            if self.connections > 1:
                # What happened while it was away is lost with its old queue.
                for queues in self._subscribers.values():
                    for subscriber in queues:
                        subscriber.put_nowait(RECONNECTED)
            await lost.wait()
        finally:
            self._listening.clear()
            with contextlib.suppress(Exception):
                await connection.close()

    async def close(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        self._keeper = None
        self._listening.clear()

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
        """Changes of one payment, from now on, while the block runs; after
        the hub was away, `RECONNECTED` (read the payment again)."""
        queue: asyncio.Queue[Json] = asyncio.Queue()
        # Counted before it waits: a reconnect meanwhile hands it RECONNECTED.
        self._subscribers[payment_id].add(queue)
        try:
            await self.start()
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
