"""nameko's `@rpc`, with replies encoded once and sent without confirms.

nameko confirms every reply: the worker waits a broker round trip after each
call, and the broker does the bookkeeping. A confirm buys an RPC reply
nothing: the reply queue is the caller's own exclusive, non-durable queue, so
a reply lost with the broker is lost either way, and the caller's timeout is
what copes with it. nameko also encodes every reply twice (a trial `dumps`,
then the publish); here the trial's bytes are what is sent. Together: a
directory page through the gateway cost ~10% less CPU across service and
broker (docs/benchmarks.md). Events and the outbox keep their confirms.

Every entrypoint of a service must come from here: nameko shares one
`RpcConsumer` per class, and two would split the service's queue.
"""

from __future__ import annotations

import inspect
import sys
from functools import cached_property
from typing import Any

import amqp
import kombu.serialization
from kombu import Connection
from kombu.pools import ProducerPool, producers
from nameko.amqp.publish import DEFAULT_TRANSPORT_OPTIONS
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.exceptions import (
    IncorrectSignature,
    UnserializableValueError,
    serialize,
)
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange

from common.plain_json import dumps_plain


def encode_reply(reply: Any, serializer: str) -> tuple[str, str, bytes | str]:
    """(content type, content encoding, body), as kombu's `dumps` gives them;
    plain JSON by orjson (`common.plain_json`), the rest by kombu."""
    if serializer == "json" and (body := dumps_plain(reply)) is not None:
        return "application/json", "utf-8", body
    content_type, content_encoding, body = kombu.serialization.dumps(reply, serializer)
    return content_type, content_encoding, body


_reply_pools: dict[tuple[str, str, str | None], ProducerPool] = {}


def reply_producers(
    amqp_uri: str, ssl: Any = None, login_method: str | None = None
) -> ProducerPool:
    """kombu's pool of unconfirmed producers for the broker, looked up once.

    nameko's `get_producer` builds a kombu `Connection` from the URI on every
    call to find the pool (~8% of a directory page's CPU in the service).
    """
    key = (amqp_uri, repr(ssl), login_method)
    pool = _reply_pools.get(key)
    if pool is None:
        options = {**DEFAULT_TRANSPORT_OPTIONS, "confirm_publish": False}
        conn = Connection(
            amqp_uri, transport_options=options, ssl=ssl, login_method=login_method
        )
        pool = _reply_pools[key] = producers[conn]
    return pool


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
        # Straight on the pooled producer's AMQP channel: kombu's
        # `Producer.publish` (what nameko's Publisher calls) doubled the CPU of
        # sending a reply. Transient, like the caller's own reply queue.
        pool = reply_producers(self.amqp_uri, self.ssl, self.login_method)
        with pool.acquire(block=True) as producer:
            producer.channel.basic_publish(
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
        return result, exc_info


class ReplyingRpcConsumer(RpcConsumer):
    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        # nameko's RpcConsumer.handle_result, with our responder
        config = self.container.config
        responder = ReplyResponder(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class UnconfirmedReplyRpc(Rpc):
    rpc_consumer = ReplyingRpcConsumer()

    def check_signature(self, args: Any, kwargs: Any) -> None:
        # nameko's check calls `inspect.getcallargs` per call (~50 us); a
        # Signature made once binds the same arguments in ~10 us.
        try:
            self._signature.bind(None, *args, **kwargs)
        except TypeError as exc:
            raise IncorrectSignature(str(exc)) from None

    @cached_property
    def _signature(self) -> inspect.Signature:
        return inspect.signature(getattr(self.container.service_cls, self.method_name))


rpc = UnconfirmedReplyRpc.decorator
