"""An asyncio client for nameko 2.14's AMQP RPC protocol, on aio-pika.

The wire format is the one nameko's own proxies use (nameko/rpc.py):

* request: JSON `{"args": [...], "kwargs": {...}}` published to the durable
  topic exchange `nameko-rpc` with routing key `<service>.<method>`,
  `reply_to`, `correlation_id`, content type `application/json`, and the
  caller's context as `nameko.<key>` headers (`nameko.identity`,
  `nameko.correlation_id`), which nameko hands to the worker as context data;
* reply: JSON `{"result": ..., "error": null | {exc_type, exc_path, exc_args,
  value}}`, published by the service to `nameko-rpc` with routing key =
  our `reply_to` and our `correlation_id`.

nameko binds queue `rpc-<service>` with key `<service>.*`. We publish with
`mandatory=True` and publisher confirms, so a service that never declared its
queue returns the message at once (`UnknownService`) instead of timing out.
A declared but stopped service keeps its durable queue: the call then times
out, and the request's per-message TTL (= the call timeout) makes the broker
drop it rather than let the service run it late.

While the connection to the broker is lost, a call fails at once with
UNAVAILABLE (it would only wait out its timeout), and so do the calls in
flight when it is lost: their replies were to come to the exclusive reply
queue that went with the connection.

Requests and replies go on channels of their own: a nack renews the
requests' channel (`RpcClient._renew_requests` says why) while replies keep
coming on theirs.

Requests are transient (nameko's proxies make them persistent): a request
outlives its caller's timeout by no more than its TTL, so a broker restart
that loses it loses nothing the caller's timeout does not already report,
and the broker is spared writing every call to its message store (half its
CPU per directory page; docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import aio_pika
from aio_pika.abc import AbstractRobustChannel, AbstractRobustConnection
from aio_pika.exceptions import (
    AMQPError,
    ChannelInvalidStateError,
    DeliveryError,
    PublishError,
)
from aiormq.abc import DeliveredMessage
from pamqp.commands import Basic

from common import correlation, tracing
from common.config import env
from common.errors import CODES
from common.identity import Identity
from gateway import broker, wire
from gateway.errors import INTERNAL, MASKED_MESSAGE, ServiceError, unavailable

log = logging.getLogger(__name__)

RPC_EXCHANGE = "nameko-rpc"
RPC_TIMEOUT_SECONDS = float(env("RPC_TIMEOUT_SECONDS", "10"))
RENEW_INTERVAL_SECONDS = 0.25  # between two renewals of the requests' channel
# Broker trouble: any of these means "try again later", not a bug.
_BROKER_ERRORS = (AMQPError, ChannelInvalidStateError, ConnectionError, OSError)


class UnknownService(ServiceError):
    """No queue is bound for `service.method`: the service never ran here."""

    def __init__(self, service: str) -> None:
        super().__init__("UNAVAILABLE", f"unknown service {service!r}")
        self.service = service


class BrokerUnavailable(ServiceError):
    """Not connected to the broker (yet, or any more): the call was not sent,
    or its reply can no longer come."""

    def __init__(self, service: str, detail: str = "not connected to the broker"):
        super().__init__("UNAVAILABLE", f"{service} is unavailable", detail=detail)
        self.service = service


class RpcTimeout(ServiceError):
    def __init__(self, service: str, timeout: float, connected: bool = True) -> None:
        super().__init__(
            "UNAVAILABLE",
            f"{service} did not answer in {timeout:g}s",
            detail=None if connected else "not connected to the broker",
        )
        self.service = service


def error_from_reply(
    service: str, method: str, error: Mapping[str, Any]
) -> ServiceError:
    """Map nameko's serialized exception to a ServiceError."""
    exc_type = str(error.get("exc_type"))
    args = list(error.get("exc_args") or [])
    remote = f"{service}.{method} raised {exc_type}: {error.get('value')}"
    if exc_type in CODES:
        message = str(args[0]) if args else str(error.get("value", ""))
        # nameko stringifies every non-string arg, so a missing field is "None".
        field = (
            str(args[1]) if len(args) > 1 and args[1] not in (None, "None") else None
        )
        return ServiceError(CODES[exc_type], message, field)
    if exc_type == "MethodNotFound":
        # Our bug or a version skew, not the client's: masked, logged loudly.
        return ServiceError("METHOD_NOT_FOUND", MASKED_MESSAGE, detail=remote)
    return ServiceError(INTERNAL, MASKED_MESSAGE, detail=remote)


class RpcClient:
    """One broker connection, one exclusive reply queue, many calls in flight.

        async with RpcClient(amqp_uri) as rpc:
            await rpc.call("members", "health", timeout=2)
            await rpc.members.get_member(member_id)

    Per request, `bind(identity, correlation_id)` gives a view that sends the
    caller's context with every call.
    """

    def __init__(
        self,
        amqp_uri: str,
        *,
        timeout: float = RPC_TIMEOUT_SECONDS,
        connect_timeout: float = 5.0,
        reconnect_interval: float = 1.0,
        name: str = "gateway",
    ) -> None:
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        # A `reconnect_interval` in the URI's query wins over ours.
        self.reconnect_interval = (
            None
            if "reconnect_interval" in broker.addresses(amqp_uri)[0].query
            else reconnect_interval
        )
        self.name = name
        # No dots: a reply key can never match a service's `<service>.*` binding.
        self.reply_to = f"rpc-reply-{name.replace('.', '-')}-{uuid.uuid4().hex}"
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._ready = asyncio.Event()  # connected once: the client is set up
        self._live = False  # connected now, the reply consumer in place
        self._connector: asyncio.Task[None] | None = None
        self._renewed_at = float("-inf")
        self._renewal: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        await self.start()
        if not await self.wait_ready(self.connect_timeout):
            await self.close()
            raise unavailable(f"no broker at {self._safe_uri} yet")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def _safe_uri(self) -> str:
        return broker.safe(self.amqp_uri)  # no credentials in messages

    @property
    def connected(self) -> bool:
        return self._live

    async def start(self) -> None:
        """Connect in the background, retrying until the broker is there."""
        if self._connector is None:
            self._connector = asyncio.create_task(self._connect())

    async def wait_ready(self, timeout: float) -> bool:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._ready.wait()
        return self._ready.is_set()

    async def _connect(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._setup()
                return
            except (*_BROKER_ERRORS, TimeoutError) as exc:
                log.warning("broker %s not reachable: %r", self._safe_uri, exc)
                if self._connection is not None:
                    await self._connection.close()
                    self._connection = None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _setup(self) -> None:
        # A robust connection restores the channel, exchange, queue, binding
        # and consumer by itself after the first connect, on the next of the
        # broker's addresses when its node went away.
        self._connection = await broker.connect_robust(
            self.amqp_uri,
            timeout=self.connect_timeout,
            reconnect_interval=self.reconnect_interval,
            client_properties={"connection_name": f"{self.name} rpc"},
        )
        # Replies come on a channel of their own, so that the requests'
        # channel can be renewed (`_renew_requests`) without missing one.
        replies = await self._connection.channel(publisher_confirms=False)
        exchange = await replies.declare_exchange(
            RPC_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await replies.declare_queue(
            self.reply_to, exclusive=True, auto_delete=True
        )
        await queue.bind(exchange, routing_key=self.reply_to)
        await self._consume_replies(replies)
        # After a reconnect aio-pika declares and binds the queue again; the
        # consumer is ours to restore.
        replies.reopen_callbacks.add(self._consume_replies)
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self._connection.close_callbacks.add(self._on_connection_lost)
        # Called once every channel (and so our consumer) is restored.
        self._connection.reconnect_callbacks.add(self._on_reconnected)
        self._live = True
        self._ready.set()
        log.info("rpc client connected to %s", self._safe_uri)

    def _on_connection_lost(self, _sender: Any, exc: BaseException | None) -> None:
        if not self._live:
            return
        self._live = False
        log.warning("rpc client lost the broker at %s: %r", self._safe_uri, exc)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionError("lost the broker connection"))

    def _renew_requests(self) -> None:
        """A new channel for requests, after a nack: once the node holding a
        quorum queue's leader is gone, RabbitMQ 3.10 can leave a channel that
        was opened while the queue elected its next leader nacking every
        publish to that queue until the old node is back, while a channel
        opened later is served (tests/cluster). One renewal at a time, at
        most one per RENEW_INTERVAL_SECONDS: a renewal made while the queue
        is still electing may need another, and nacks that never stop are
        not the channel's (no renewal storm)."""
        now = asyncio.get_running_loop().time()
        renewing = self._renewal is not None and not self._renewal.done()
        if renewing or self._renewed_at + RENEW_INTERVAL_SECONDS > now:
            return
        self._renewed_at = now
        self._renewal = asyncio.create_task(self._renew_requests_channel())

    async def _renew_requests_channel(self) -> None:
        channel = self._channel
        if channel is None:
            return
        log.warning("the broker nacked a request: renewing the requests' channel")
        with contextlib.suppress(*_BROKER_ERRORS):
            # Closed under it, aio-pika's robust channel opens a new one.
            underlay = await channel.get_underlay_channel()
            await underlay.close()

    def _on_reconnected(self, _sender: Any) -> None:
        self._live = True
        log.info("rpc client reconnected to %s", self._safe_uri)

    async def close(self) -> None:
        if self._renewal is not None:
            self._renewal.cancel()
        if self._connector is not None:
            self._connector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connector
            self._connector = None
        for future in self._pending.values():
            if not future.done():
                future.set_exception(unavailable("gateway shutting down"))
        self._ready.clear()
        self._live = False
        self._channel = None
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def _consume_replies(self, channel: AbstractRobustChannel | None) -> None:
        # Straight on aiormq's channel: aio-pika wraps each delivery in an
        # IncomingMessage and a second task, ~15% of a call's gateway CPU.
        if channel is None:
            return
        underlay = await channel.get_underlay_channel()
        await underlay.basic_consume(self.reply_to, self._on_reply, no_ack=True)

    async def _on_reply(self, message: DeliveredMessage) -> None:
        call_id = message.header.properties.correlation_id
        future = self._pending.get(call_id or "")
        if future is None or future.done():
            log.debug("reply for unknown call %s", call_id)
            return
        try:
            reply = wire.loads(message.body)
            if not isinstance(reply, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            future.set_exception(
                ServiceError(INTERNAL, MASKED_MESSAGE, detail=f"bad reply: {exc}")
            )
        else:
            future.set_result(reply)

    async def call(
        self,
        service: str,
        method: str,
        *args: Any,
        timeout: float | None = None,
        identity: Identity | None = None,
        correlation_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call `service.method(*args, **kwargs)`; raise ServiceError on failure.

        `timeout`, `identity` and `correlation_id` are the call's, not the
        method's: use `invoke` to pass method arguments of those names.
        """
        return await self.invoke(
            service, method, args, kwargs, timeout, identity, correlation_id
        )

    @tracing.rpc_client_span
    async def invoke(
        self,
        service: str,
        method: str,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        identity: Identity | None = None,
        correlation_id: str | None = None,
    ) -> Any:
        timeout = self.timeout if timeout is None else timeout
        cid = correlation_id or correlation.current() or correlation.new_id()
        headers: dict[str, Any] = {"nameko.correlation_id": cid}
        if identity is not None:
            headers["nameko.identity"] = identity.to_header()
        tracing.inject(headers)  # nameko.traceparent: the call's span
        call_id = uuid.uuid4().hex
        body = wire.dumps({"args": list(args), "kwargs": dict(kwargs or {})})
        properties = Basic.Properties(
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=1,  # transient
            correlation_id=call_id,
            reply_to=self.reply_to,
            headers=headers,
            expiration=str(int(timeout * 1000)),  # a late request is dropped
            message_id=call_id,
            app_id="gateway",
        )
        if not self._live:
            raise BrokerUnavailable(service)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        try:
            async with asyncio.timeout(timeout):
                assert self._channel is not None
                # Straight on aiormq's channel: aio-pika's Message and
                # Exchange.publish add nothing a request needs.
                channel = await self._channel.get_underlay_channel()
                await channel.basic_publish(
                    body,
                    exchange=RPC_EXCHANGE,
                    routing_key=f"{service}.{method}",
                    properties=properties,
                    mandatory=True,
                )
                reply = await future
        except TimeoutError:
            raise RpcTimeout(service, timeout, self._live) from None
        except PublishError:
            raise UnknownService(service) from None
        except DeliveryError as exc:  # a nack: the request was not taken
            self._renew_requests()
            raise unavailable(f"{service} is unavailable", detail=repr(exc)) from exc
        except _BROKER_ERRORS as exc:
            raise unavailable(f"{service} is unavailable", detail=repr(exc)) from exc
        finally:
            self._pending.pop(call_id, None)
        if reply.get("error"):
            raise error_from_reply(service, method, reply["error"])
        return reply.get("result")

    def bind(self, identity: Identity, correlation_id: str) -> BoundRpc:
        return BoundRpc(self, identity, correlation_id)

    def __getattr__(self, service: str) -> ServiceProxy:
        if service.startswith("_"):
            raise AttributeError(service)
        return ServiceProxy(self.invoke, service)


class BoundRpc:
    """The RPC client as one caller: their identity and correlation id go along."""

    def __init__(self, client: RpcClient, identity: Identity, correlation_id: str):
        self.client = client
        self.identity = identity
        self.correlation_id = correlation_id

    async def call(
        self,
        service: str,
        method: str,
        *args: Any,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        return await self.invoke(service, method, args, kwargs, timeout)

    async def invoke(
        self,
        service: str,
        method: str,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        return await self.client.invoke(
            service, method, args, kwargs, timeout, self.identity, self.correlation_id
        )

    def __getattr__(self, service: str) -> ServiceProxy:
        if service.startswith("_"):
            raise AttributeError(service)
        return ServiceProxy(self.invoke, service)


Invoke = Callable[..., Awaitable[Any]]


class ServiceProxy:
    """`proxy.method(*args, **kwargs)`: every keyword goes to the remote method."""

    def __init__(self, invoke: Invoke, service: str, timeout: float | None = None):
        self._invoke = invoke
        self._service = service
        self._timeout = timeout

    def with_timeout(self, timeout: float) -> ServiceProxy:
        return ServiceProxy(self._invoke, self._service, timeout)

    def __getattr__(self, method: str) -> Callable[..., Awaitable[Any]]:
        if method.startswith("_"):
            raise AttributeError(method)

        async def remote(*args: Any, **kwargs: Any) -> Any:
            return await self._invoke(
                self._service, method, args, kwargs, self._timeout
            )

        remote.__name__ = f"{self._service}.{method}"
        return remote
