"""nameko's `@rpc` for every service entrypoint: replies encoded once and
sent without confirms (`common.fastpaths.nameko`, which says why).

Every entrypoint of a service must come from here: nameko shares one
`RpcConsumer` per class, and two would split the service's queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from kombu.entity import Queue
from nameko.exceptions import RemoteError
from nameko.rpc import ReplyListener as NamekoReplyListener
from nameko.rpc import RpcProxy as NamekoRpcProxy

from common import amqp
from common.db import database_unavailable
from common.errors import Unavailable
from common.fastpaths.nameko import ReplyingRpcConsumer, UnconfirmedReplyRpc
from common.nameko_ext.consumer import SafeAckQueueConsumer

UNAVAILABLE = "{service} cannot serve this just now ({why}); try again shortly"


def as_unavailable(service: str, exc: BaseException) -> Unavailable | None:
    """The `Unavailable` a caller should see for `exc`, if it is a fault of
    the moment rather than of the call: the database not serving (a full
    `max_connections`, a lost connection, a deadlock), a service this one
    called answering that it was unavailable, or the broker failing such a
    call (a node gone: `amqp.BROKER_ERRORS`). Else None (the error stands).
    The caller (the gateway) then answers UNAVAILABLE, which a client
    retries, instead of INTERNAL_SERVER_ERROR."""
    if database_unavailable(exc):
        why = "its database is not answering"
    elif isinstance(exc, RemoteError) and exc.exc_type == "Unavailable":
        why = "a service it needs is not answering"
    elif isinstance(exc, amqp.BROKER_ERRORS):
        why = "its broker connection is failing over"
    else:
        return None
    return Unavailable(UNAVAILABLE.format(service=service, why=why))


class TypedRpcConsumer(ReplyingRpcConsumer):
    """The service's `rpc-<service>` queue, of the configured type (quorum).

    A call that failed because of a fault of the moment is answered as
    `Unavailable` (`as_unavailable`); nameko has logged the original. An ack
    lost with the broker connection is moot (its consumer, shared with the
    reply listener's: `common.nameko_ext.consumer`)."""

    queue_consumer = SafeAckQueueConsumer()
    queue: Queue  # nameko's, declared in `setup`

    def setup(self) -> None:
        super().setup()
        self.queue = amqp.typed(self.queue)

    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        if exc_info is not None:
            exc = exc_info[1]
            if (answer := as_unavailable(self.container.service_name, exc)) is not None:
                answer.__cause__ = exc
                exc_info = (Unavailable, answer, exc_info[2])
        return super().handle_result(message, result, exc_info)


class Rpc(UnconfirmedReplyRpc):
    rpc_consumer = TypedRpcConsumer()


class ReplyListener(NamekoReplyListener):
    """Replies to a service's own calls, on a transient queue.

    nameko declares `rpc.reply-<service>-<uuid>` durable. On a cluster a durable
    classic queue lives on one node: with that node down it can be declared
    nowhere (404 "home node down"), so the service's consumer never comes back.
    A transient queue goes with its node and is declared again on a live one;
    only the replies in flight then are lost, and their calls time out.
    """

    queue_consumer = SafeAckQueueConsumer()  # the RPC entrypoints' too
    queue: Queue

    def setup(self) -> None:
        super().setup()
        self.queue.durable = False


class RpcProxy(NamekoRpcProxy):
    """nameko's `RpcProxy`, replies on a transient queue (see `ReplyListener`).

    Every call from one service to another must use this one.
    """

    rpc_reply_listener = ReplyListener()


_Method = TypeVar("_Method", bound=Callable[..., Any])


@overload
def rpc(method: _Method, /) -> _Method: ...
@overload
def rpc(
    *, expected_exceptions: type[Exception] | tuple[type[Exception], ...] = ...
) -> Callable[[_Method], _Method]: ...
def rpc(method: Any = None, /, **options: Any) -> Any:
    """nameko's `@rpc` (ours) or `rpc(expected_exceptions=...)`, keeping the
    method's type: mypy then checks a service against its contracts/rpc.py
    Protocol."""
    if method is None:
        return Rpc.decorator(**options)
    return Rpc.decorator(method)
