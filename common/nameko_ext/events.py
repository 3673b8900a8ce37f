"""`event_handler`: nameko's, with retries and a dead-letter queue.

nameko acks a message whose handler raised and drops it (or, with
requeue_on_error, redelivers it at once, forever). Here a failed message is
republished to a delay queue whose TTL sends it back to the handler's queue,
with exponential back-off; after the last attempt it is parked, with its error,
in the service's dead-letter queue. The original is acked only after the copy
was confirmed by the broker, so a failure never loses the event. A body that
cannot even be decoded (not JSON) is parked at once: kombu's consumer would
ack and drop it with one log line.

A message the broker hands out again and again without an answer (its
consumer went away before the ack, `EventRetry.max_deliveries` times: the
quorum queue's `x-delivery-count`) is parked before its handler runs: it may
be what crashes the process, and would otherwise hold its service in a crash
loop. Messages delivered beside it return as often and are parked with it;
nothing is lost, and a replay brings each back once the cause is fixed.
Classic queues count no returns, so there the check never fires.

A parked message records where it came from (`x-original-exchange`,
`x-original-routing-key`: the producer's exchange and the event type), noted
at its first failure and kept through retries and replays, which arrive
through the default exchange.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from functools import partial
from typing import Any, NamedTuple

import eventlet
from kombu.entity import Queue
from kombu.pools import producers
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled

from common import amqp, config, metrics
from common.db import database_unavailable
from common.fastpaths.nameko import BROKER_GONE
from common.nameko_ext.consumer import SafeAckQueueConsumer
from common.sharing import QueueSharing

log = logging.getLogger(__name__)

ATTEMPT = "x-attempt"
# Retries through a database outage, and when the first of them began.
OUTAGE_RETRY = "x-outage-retry"
OUTAGE_SINCE = "x-outage-since"
ORIGINAL_EXCHANGE = "x-original-exchange"
ORIGINAL_ROUTING_KEY = "x-original-routing-key"
# Set by a quorum queue on each delivery: how often the message came back
# unanswered. The broker's own, so never copied onto a retry or a letter.
DELIVERY_COUNT = "x-delivery-count"


class Retry(NamedTuple):
    delay_ms: int
    counted: bool  # an attempt spent; else a retry through a database outage


def next_delay(
    headers: dict[str, Any],
    policy: config.EventRetry,
    now: datetime,
    park: bool = False,
    outage: bool = False,
) -> Retry | None:
    """How long a failed message waits before its next attempt, and whether
    the attempt counts, its `headers` updated for it; None when it is to be
    parked.

    A failure of the database (`outage`) is retried without counting as an
    attempt, for `policy.outage_seconds` from its message's first such
    failure; any other counts, up to `policy.max_attempts`."""
    if park:
        return None
    if outage:
        since = headers.setdefault(OUTAGE_SINCE, now.isoformat())
        began = datetime.fromisoformat(str(since))
        if (now - began).total_seconds() < policy.outage_seconds:
            retry = int(headers.get(OUTAGE_RETRY, 0)) + 1
            headers[OUTAGE_RETRY] = retry
            return Retry(policy.outage_delay_ms(retry), counted=False)
    attempt = int(headers.get(ATTEMPT, 1))
    if attempt < policy.max_attempts:
        headers[ATTEMPT] = attempt + 1
        return Retry(policy.delay_ms(attempt), counted=True)
    return None


class ParkingQueueConsumer(SafeAckQueueConsumer):
    """The consumer of retrying handlers: a message whose body cannot be
    decoded goes to its handler's dead-letter queue instead of being acked
    and dropped (kombu's `on_decode_error`); an ack lost with the broker
    connection is moot (`common.nameko_ext.consumer`)."""

    def get_consumers(self, consumer_cls: Any, channel: Any) -> Any:
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            if isinstance(provider, RetryingEventHandler):
                consumer.on_decode_error = provider.park_undecodable
        return consumers


class RetryingEventHandler(EventHandler):
    queue_consumer = ParkingQueueConsumer()
    queue: Queue  # nameko's, declared in `setup`

    def setup(self) -> None:
        super().setup()
        # nameko's queue for this handler, of the configured type (quorum).
        self.queue = amqp.typed(self.queue)
        self.policy = config.EventRetry.from_env()
        self.uri = self.container.config.get("AMQP_URI", config.amqp_uri())

    def unpack_message_headers(self, message: Any) -> dict[str, Any]:
        # Only nameko's own headers are context; ours (x-...) stay on the message.
        return {
            key[len("nameko.") :]: value
            for key, value in (message.headers or {}).items()
            if key.startswith("nameko.")
        }

    def handle_message(self, body: Any, message: Any) -> None:
        if not self.park_if_returned_too_often(message):
            super().handle_message(body, message)

    def park_if_returned_too_often(self, message: Any) -> bool:
        """Park a message handed out `max_deliveries` times unanswered,
        before its handler can run (and maybe crash the process) again."""
        returned = int((message.headers or {}).get(DELIVERY_COUNT, 0))
        if returned < self.policy.max_deliveries:
            return False
        self._reroute_or_requeue(
            message,
            f"returned to its queue unanswered {returned} times "
            f"(EVENT_MAX_DELIVERIES={self.policy.max_deliveries}): its consumer "
            f"went away before the ack each time; the handler may crash the process",
            park=True,
        )
        return True

    def handle_message_processed(
        self, message: Any, result: Any = None, exc_info: Any = None
    ) -> None:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
        outage = database_unavailable(exc_info[1])
        self._reroute_or_requeue(message, error, outage=outage)

    def park_undecodable(self, message: Any, exc: Exception) -> None:
        """A body that is not JSON: parked at once (no retry can decode it)."""
        self._reroute_or_requeue(
            message, f"cannot decode the body: {type(exc).__name__}: {exc}", park=True
        )

    def _reroute_or_requeue(
        self, message: Any, error: str, park: bool = False, outage: bool = False
    ) -> None:
        try:
            self._reroute(message, error, park, outage)
        except Exception:
            # Broker trouble: put it back rather than lose it.
            log.exception("could not reroute failed event; requeueing it")
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _reroute(
        self, message: Any, error: str, park: bool = False, outage: bool = False
    ) -> None:
        headers = dict(message.headers or {})
        headers.pop(DELIVERY_COUNT, None)
        attempt = int(headers.get(ATTEMPT, 1))
        now = datetime.now(UTC)
        # Noted at the first failure: a retry or a replay comes back through
        # the default exchange, with the queue's name as its routing key.
        headers.setdefault(ORIGINAL_EXCHANGE, message.delivery_info.get("exchange"))
        headers.setdefault(
            ORIGINAL_ROUTING_KEY, message.delivery_info.get("routing_key")
        )
        queue_name = self.queue.name
        retry = next_delay(headers, self.policy, now, park=park, outage=outage)
        retried = retry is not None
        if retry is not None:
            target = amqp.retry_queue(queue_name, retry.delay_ms)
            log.warning(
                "handler %s failed (%s), retrying in %d ms: %s",
                self.method_name,
                f"attempt {attempt}"
                if retry.counted
                else f"database outage, retry {headers[OUTAGE_RETRY]}, not counted",
                retry.delay_ms,
                error.strip(),
            )
        else:
            target = amqp.dead_letter_queue(self.container.service_name)
            headers.update(
                {
                    "x-original-queue": queue_name,
                    "x-attempts": attempt,
                    "x-error": error.strip()[:4000],
                    "x-failed-at": now.isoformat(),
                }
            )
            log.error(
                "handler %s failed (attempt %d of %d); parked in %s: %s",
                self.method_name,
                attempt,
                self.policy.max_attempts,
                target.name,
                error.strip(),
            )
        with (
            amqp.connection(self.uri) as conn,
            producers[conn].acquire(block=True) as producer,
        ):
            producer.publish(
                message.body,
                exchange=amqp.DEFAULT_EXCHANGE,
                routing_key=target.name,
                declare=[target],
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                delivery_mode=2,
                retry=True,
                retry_policy={"max_retries": 3},
            )
        counter = metrics.EVENTS_RETRIED if retried else metrics.EVENTS_DEAD_LETTERED
        counter.labels(self.container.service_name, self.event_type).inc()


event_handler = RetryingEventHandler.decorator


class _BatchQueueConsumer(ParkingQueueConsumer):
    """The consumer of batching handlers, with room for a list to gather
    while the previous one is handled (nameko's prefetch is `max_workers`)."""

    @property
    def prefetch_count(self) -> int:
        return 2 * config.EventBatching.from_env().max_size


class BatchingEventHandler(RetryingEventHandler):
    """Hands the method a list of the messages that arrived meanwhile.

    Under load one transaction then serves many events, which is what bounds
    a service's throughput: its cost is mostly per transaction, not per
    event. When idle, a list holds the one message that just came, so
    batching adds no wait. When busy (messages wait as a list ends), the next
    list starts `linger_ms` after the previous one started, or as soon as
    `max_size` messages wait: at most one list per linger under load, each as
    large as the load makes it (members at 200 news/s: ~30, against ~10 when
    lists followed each other at once). With N consumers on the queue (the
    service's replicas), the linger is N times as long: each sees 1/N of the
    news, and the queue's lists stay as long as one consumer's would
    (`common.sharing`). One list is in flight per consumer. The
    method must apply a list all or nothing: when it raises, each message is
    handled again alone, in order, and only the ones that fail again are
    retried (then parked) as with `event_handler`.
    """

    queue_consumer = _BatchQueueConsumer()
    # When to start the next list: `later(seconds, fn)` (a test replaces it).
    later: Callable[[float, Callable[[], None]], Any] = staticmethod(
        eventlet.spawn_after
    )
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def setup(self) -> None:
        super().setup()
        self.batching = config.EventBatching.from_env()
        self.sharing = QueueSharing(self.uri, self.queue.name)
        self._waiting: list[tuple[Any, Any]] = []
        self._busy = False
        self._started = 0.0
        self._lingering: Any = None  # the pending start of the next list

    def start(self) -> None:
        super().start()
        self.sharing.start()

    def stop(self) -> None:
        # A list that was to start after its linger stays unacked: the broker
        # hands its messages out again.
        self.sharing.stop()
        self._cancel_linger()
        super().stop()

    def kill(self) -> None:
        self.sharing.stop()
        super().kill()

    def handle_message(self, body: Any, message: Any) -> None:
        if self.park_if_returned_too_often(message):
            return
        self._waiting.append((body, message))
        # Start a list now when idle, or when a full one waits out a linger.
        full = len(self._waiting) >= self._max
        if not self._busy or (full and self._cancel_linger()):
            self._next()

    def _cancel_linger(self) -> bool:
        """Call off the pending start of the next list; whether one was pending."""
        if self._lingering is None:
            return False
        self._lingering.cancel()
        self._lingering = None
        return True

    @property
    def _max(self) -> int:
        return self.batching.max_size

    def _next(self) -> None:
        batch, self._waiting = self._waiting[: self._max], self._waiting[self._max :]
        self._busy = bool(batch)
        if batch:
            self._started = self.clock()
            self._spawn(batch, partial(self._batch_done, batch), batch)

    def _after_list(self) -> None:
        """A list is done: start the next now, or once the linger is over."""
        wait = (
            self._started + self.batching.linger(self.sharing.consumers) - self.clock()
        )
        if not self._waiting or wait <= 0 or len(self._waiting) >= self._max:
            self._next()
            return

        def linger_over() -> None:
            self._lingering = None
            self._next()

        self._lingering = self.later(wait, linger_over)

    def _spawn(
        self, batch: list[tuple[Any, Any]], done: Any, unhandled: list[tuple[Any, Any]]
    ) -> None:
        context = self.unpack_message_headers(batch[0][1])
        try:
            self.container.spawn_worker(
                self,
                ([body for body, _ in batch],),
                {},
                context_data=context,
                handle_result=done,
            )
        except ContainerBeingKilled:
            # Stopping: the broker hands them out again later.
            for _, message in unhandled + self._waiting:
                self.queue_consumer.requeue_message(message)
            self._waiting = []
            self._busy = False

    def _batch_done(
        self,
        batch: list[tuple[Any, Any]],
        worker_ctx: Any,
        result: Any = None,
        exc_info: Any = None,
    ) -> tuple[Any, Any]:
        if exc_info is None:
            # The list's acks in one write (an ack waits for no answer). On a
            # connection that is gone they are moot, as in the consumer's own
            # ack: the broker hands the messages out again.
            with (
                suppress(*BROKER_GONE),
                amqp.frames_together(batch[0][1].channel.connection),
            ):
                for _, message in batch:
                    self.handle_message_processed(message, result, exc_info)
            self._after_list()
        elif len(batch) == 1 or database_unavailable(exc_info[1]):
            # Alone, or the database could not serve: handling each alone
            # would only ask it again; each waits out the outage instead.
            for _, message in batch:
                self.handle_message_processed(message, result, exc_info)
            self._after_list()
        else:
            log.warning(
                "handler %s failed on a batch of %d; handling each alone: %s",
                self.method_name,
                len(batch),
                exc_info[1],
            )
            self._alone(batch)
        return result, exc_info

    def _alone(self, rest: list[tuple[Any, Any]]) -> None:
        if not rest:
            self._next()
            return
        first, later = rest[0], rest[1:]

        def done(
            worker_ctx: Any, result: Any = None, exc_info: Any = None
        ) -> tuple[Any, Any]:
            self.handle_message_processed(first[1], result, exc_info)
            self._alone(later)
            return result, exc_info

        self._spawn([first], done, rest)


batch_event_handler = BatchingEventHandler.decorator
