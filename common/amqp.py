"""Broker plumbing shared by the relay, the retrying consumers and admin tools."""

from __future__ import annotations

from typing import Any

import amqp
import orjson
from kombu import Connection, Exchange, Producer, Queue

from common import config
from common.fastpaths import py_amqp

# A batch's frames in one socket write (the relay, the event consumers' acks).
from common.fastpaths.py_amqp import frames_together as frames_together

# Confirms make publish() return only once the broker has taken the message.
CONFIRMED = {"confirm_publish": True}


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


def dead_letter_queue(service: str) -> Queue:
    name = f"{service}.dead-letters"
    return Queue(name, DEFAULT_EXCHANGE, routing_key=name, durable=True)


def retry_queue(queue_name: str, delay_ms: int) -> Queue:
    """A delay queue: its messages expire after `delay_ms` back into `queue_name`."""
    name = f"{queue_name}.retry-{delay_ms}ms"
    return Queue(
        name,
        DEFAULT_EXCHANGE,
        routing_key=name,
        durable=True,
        queue_arguments={
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": queue_name,
        },
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
