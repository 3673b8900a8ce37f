"""nameko's internals: its RPC entrypoint with replies encoded once and sent
without confirms (fast path `nameko.replies`), and what /readyz reads of a
queue consumer. Written for the versions in `WRITTEN_FOR`: it overrides
`Responder.send_response` and `RpcConsumer.handle_result`, and reads the
private state of nameko's `QueueConsumer`.

Replies:

nameko confirms every reply: the worker waits a broker round trip after each
call, and the broker does the bookkeeping. A confirm buys an RPC reply
nothing: the reply queue is the caller's own exclusive, non-durable queue, so
a reply lost with the broker is lost either way, and the caller's timeout is
what copes with it. nameko also encodes every reply twice (a trial `dumps`,
then the publish); here the trial's bytes are what is sent. Together: a
directory page through the gateway cost ~10% less CPU across service and
broker (docs/benchmarks.md). Events and the outbox keep their confirms.

Every entrypoint of a service must come from here (through
`common.nameko_ext.rpc.rpc`): nameko shares one `RpcConsumer` per class, and
two would split the service's queue.
"""

from __future__ import annotations

import logging
import sys
from contextlib import suppress
from typing import Any

import amqp
import kombu.exceptions
import kombu.serialization
from kombu.connection import Connection
from nameko.amqp.publish import DEFAULT_TRANSPORT_OPTIONS
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.exceptions import (
    UnserializableValueError,
    serialize,
)
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange

from common import fastpaths
from common.plain_json import dumps_plain

REPLIES = "nameko.replies"
# The versions this module was written for (tests/unit/fastpaths checks the lock).
WRITTEN_FOR = {"nameko": "2.14.1", "kombu": "5.7.0"}

log = logging.getLogger(__name__)

# What a publish raises when the broker is unreachable or went away.
BROKER_GONE = (kombu.exceptions.OperationalError, amqp.ConnectionError, OSError)


def encode_reply(reply: Any, serializer: str) -> tuple[str, str, bytes | str]:
    """(content type, content encoding, body), as kombu's `dumps` gives them;
    plain JSON by orjson (`common.plain_json`), the rest by kombu."""
    if serializer == "json" and (body := dumps_plain(reply)) is not None:
        return "application/json", "utf-8", body
    content_type, content_encoding, body = kombu.serialization.dumps(reply, serializer)
    return content_type, content_encoding, body


class ReplyConnections:
    """Connections to publish replies on: one per reply being sent at a time.

    kombu's producer pool (what nameko's publisher takes a producer from)
    revives the producer on every acquire: a channel look-up and a copy of the
    exchange per reply, ~10% of a directory page's CPU in the service. A reply
    needs only an AMQP channel, so this keeps connections on a free list. One
    per concurrent reply, as kombu's pool: two greenthreads writing frames on
    one socket could interleave them. A connection that fails is dropped and
    the reply sent once more on a new one (a duplicate reply is ignored by the
    caller, a lost one would cost it a timeout).
    """

    def __init__(self, amqp_uri: str, ssl: Any = None, login_method: Any = None):
        self.amqp_uri = amqp_uri
        self.ssl = ssl
        self.login_method = login_method
        self._free: list[Connection] = []

    def publish(self, message: amqp.Message, exchange: str, routing_key: str) -> None:
        for attempt in (1, 2):
            conn = self._free.pop() if self._free and attempt == 1 else self._connect()
            try:
                conn.default_channel.basic_publish(
                    message, exchange=exchange, routing_key=routing_key
                )
            except conn.connection_errors:
                # A broker that went away took the idle connections with it.
                broken, self._free = [conn, *self._free], []
                for each in broken:
                    with suppress(Exception):
                        each.close()
                if attempt == 2:
                    raise
            else:
                self._free.append(conn)
                return

    def _connect(self) -> Connection:
        options = {**DEFAULT_TRANSPORT_OPTIONS, "confirm_publish": False}
        return Connection(
            self.amqp_uri,
            transport_options=options,
            ssl=self.ssl,
            login_method=self.login_method,
        )


_reply_connections: dict[tuple[str, str, str | None], ReplyConnections] = {}


def reply_connections(
    amqp_uri: str, ssl: Any = None, login_method: str | None = None
) -> ReplyConnections:
    """The broker's reply connections, looked up once per process."""
    key = (amqp_uri, repr(ssl), login_method)
    found = _reply_connections.get(key)
    if found is None:
        found = _reply_connections[key] = ReplyConnections(amqp_uri, ssl, login_method)
    return found


class ReplyResponder(Responder):
    def send_response(self, result: Any, exc_info: Any) -> tuple[Any, Any]:
        # nameko's Responder.send_response, encoding the reply only once
        error = serialize(exc_info[1]) if exc_info is not None else None
        content_type = self.message.properties["content_type"]
        serializer = kombu.serialization.registry.type_to_name[content_type]
        try:
            body = encode_reply({"result": result, "error": error}, serializer)
        except Exception:
            # a result that cannot be encoded is the caller's error, not a crash
            exc_info = sys.exc_info()
            result, error = None, serialize(UnserializableValueError(result))
            body = encode_reply({"result": None, "error": error}, serializer)
        content_type, content_encoding, data = body
        # Straight on an AMQP channel: kombu's `Producer.publish` (what
        # nameko's Publisher calls) doubled the CPU of sending a reply.
        # Transient, like the caller's own reply queue.
        reply_connections(self.amqp_uri, self.ssl, self.login_method).publish(
            amqp.Message(
                data,
                content_type=content_type,
                content_encoding=content_encoding,
                correlation_id=self.message.properties.get("correlation_id"),
                delivery_mode=1,
            ),
            exchange=self.exchange.name,
            routing_key=self.message.properties["reply_to"],
        )
        fastpaths.taken[REPLIES] += 1
        return result, exc_info


class ReplyingRpcConsumer(RpcConsumer):
    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        # nameko's RpcConsumer.handle_result, with our responder
        config = self.container.config
        kind = ReplyResponder if fastpaths.on(REPLIES) else Responder
        responder = kind(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        try:
            result, exc_info = responder.send_response(result, exc_info)
        except Exception as exc:
            # nameko kills the whole container when this raises. A reply that
            # cannot be sent costs its caller a timeout, never the service.
            broker_gone = isinstance(exc, BROKER_GONE)
            log.log(
                logging.WARNING if broker_gone else logging.ERROR,
                "reply lost (%s to %s): %r",
                message.delivery_info.get("routing_key"),
                message.properties.get("reply_to"),
                exc,
                exc_info=not broker_gone,
            )
        self.queue_consumer.ack_message(message)
        return result, exc_info


class UnconfirmedReplyRpc(Rpc):
    rpc_consumer = ReplyingRpcConsumer()


# What /readyz reads of nameko's queue consumers.


def queue_consumers(container: Any) -> list[Any]:
    """The shared queue consumers of the container's entrypoints (an RPC
    entrypoint's through its `rpc_consumer`)."""
    found: dict[int, Any] = {}
    for entrypoint in container.entrypoints:
        owner = getattr(entrypoint, "rpc_consumer", entrypoint)
        consumer = getattr(owner, "queue_consumer", None)
        if consumer is not None:
            found[id(consumer)] = consumer
    return list(found.values())


def consumer_problems(consumer: Any) -> list[str]:
    """Why a nameko `QueueConsumer` is not consuming, if it is not: its
    thread ended, it never started, or a consumer's channel lost its broker
    connection (kombu then reconnects and makes new consumers). Reads
    nameko's private state: `_gt`, `_consumers_ready`, `_consumers`."""
    thread = getattr(consumer, "_gt", None)
    if thread is None or thread.dead:
        return ["broker consumer not running"]
    if not consumer._consumers_ready.ready():
        return ["broker consumers not started"]
    for each in list(consumer._consumers.values()):
        channel = getattr(each, "channel", None)
        connection = getattr(channel, "connection", None)
        if connection is None or not getattr(connection, "connected", False):
            return ["broker connection lost"]
    return []
