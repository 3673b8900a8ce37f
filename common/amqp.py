"""Broker plumbing shared by the relay, the retrying consumers and admin tools."""

from __future__ import annotations

from typing import Any

import amqp
import orjson
from kombu.connection import Connection
from kombu.entity import Exchange, Queue
from kombu.exceptions import OperationalError
from kombu.messaging import Producer

from common import config
from common.fastpaths import py_amqp

# A batch's frames in one socket write (the relay, the event consumers' acks).
from common.fastpaths.py_amqp import frames_together as frames_together

# Confirms make publish() return only once the broker has taken the message.
CONFIRMED = {"confirm_publish": True}


# What a publish or a call raises while its broker node goes away (the
# connection lost, kombu's retries spent, a nack from a queue between
# leaders): a fault of the moment, not of the call.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    amqp.exceptions.ConnectionError,
    amqp.exceptions.MessageNacked,
    ConnectionError,
    TimeoutError,
)


def connection(uri: str | None = None) -> Connection:
    return Connection(uri or config.amqp_uri(), transport_options=CONFIRMED)


def event_exchange_name(producer: str) -> str:
    return f"{producer}.events"


def event_exchange(producer: str) -> Exchange:
    """The same exchange nameko's EventDispatcher declares for `producer`."""
    return Exchange(
        event_exchange_name(producer), type="topic", durable=True, delivery_mode=2
    )


# Publishing here with routing key = a queue's name reaches exactly that queue.
DEFAULT_EXCHANGE = Exchange("")


def queue_arguments(
    arguments: dict[str, Any] | None = None, kind: str | None = None
) -> dict[str, Any]:
    """A durable queue's arguments, of the queue type `AMQP_QUEUE_TYPE` sets
    (`config.queue_type`). Classic ones get no `x-queue-type`: exactly what
    the platform declared before, so they match the queues a broker holds."""
    found = dict(arguments or {})
    if (kind or config.queue_type()) == "quorum":
        found["x-queue-type"] = "quorum"
        if "x-dead-letter-exchange" in found:
            # Dead-lettered (a retry's delay over) only once the target queue
            # has taken it: quorum queues drop a dead letter by default when
            # the target cannot take it. At-least-once needs reject-publish.
            found["x-dead-letter-strategy"] = "at-least-once"
            found["x-overflow"] = "reject-publish"
    return found


def durable_queue(
    name: str,
    exchange: Exchange = DEFAULT_EXCHANGE,
    routing_key: str | None = None,
    arguments: dict[str, Any] | None = None,
    kind: str | None = None,
) -> Queue:
    """A queue that outlives its consumers, of the configured type."""
    return Queue(
        name,
        exchange,
        routing_key=name if routing_key is None else routing_key,
        durable=True,
        queue_arguments=queue_arguments(arguments, kind) or None,
    )


def typed(queue: Queue) -> Queue:
    """nameko's own declaration of a queue (an RPC or event handler queue),
    of the configured type when it is durable and shared. Exclusive or
    auto-delete ones (nameko's broadcast handlers) stay classic: quorum
    queues are neither."""
    if not queue.durable or queue.exclusive or queue.auto_delete:
        return queue
    return Queue(
        queue.name,
        queue.exchange,
        routing_key=queue.routing_key,
        durable=True,
        queue_arguments=queue_arguments(getattr(queue, "queue_arguments", None))
        or None,
        bindings=queue.bindings,
    )


def dead_letter_queue(service: str, kind: str | None = None) -> Queue:
    return durable_queue(f"{service}.dead-letters", kind=kind)


def retry_queue(queue_name: str, delay_ms: int, kind: str | None = None) -> Queue:
    """A delay queue: its messages expire after `delay_ms` back into `queue_name`."""
    return durable_queue(
        f"{queue_name}.retry-{delay_ms}ms",
        arguments={
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": queue_name,
        },
        kind=kind,
    )


def safe_uri(uri: str) -> str:
    """The URI without its passwords (each broker address's), for messages."""
    return ";".join(
        str(Connection(url).as_uri(include_password=False))
        for url in config.broker_urls(uri)
    )


def is_reachable(uri: str | None = None, timeout: float = 2.0) -> bool:
    """Whether any of the broker's addresses takes a connection."""
    uri = uri or config.amqp_uri()
    conn = Connection(uri, connect_timeout=timeout)
    try:
        conn.ensure_connection(max_retries=config.connect_retries(uri), timeout=timeout)
        return True
    except Exception:
        return False
    finally:
        conn.release()


def publish_envelope(producer: Producer, envelope: dict[str, Any]) -> None:
    """Publish an event envelope where nameko's EventDispatcher would.

    Context headers carry the correlation id and the trace context (W3C,
    `common.tracing`) on to the consumer's worker.
    Straight on the AMQP channel, with the body encoded by orjson: kombu's
    `Producer.publish` cost twice the CPU per event in the relay (the exchange
    is declared by whoever publishes first). Envelopes hold JSON values only.
    """
    headers = {"nameko.event_id": envelope["event_id"]}
    if envelope.get("correlation_id"):
        headers["nameko.correlation_id"] = envelope["correlation_id"]
    for key, value in (envelope.get("trace_context") or {}).items():
        headers[f"nameko.{key}"] = value  # traceparent, tracestate
    message = amqp.Message(
        orjson.dumps(envelope),
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        application_headers=headers,
        message_id=envelope["event_id"],
    )
    py_amqp.publish(
        producer.channel,
        message,
        exchange=event_exchange_name(envelope["producer"]),
        routing_key=envelope["type"],
    )
