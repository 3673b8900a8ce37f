"""nameko's `@rpc` for every service entrypoint: replies encoded once and
sent without confirms (`common.fastpaths.nameko`, which says why).

Every entrypoint of a service must come from here: nameko shares one
`RpcConsumer` per class, and two would split the service's queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from kombu.entity import Queue
from nameko.rpc import ReplyListener as NamekoReplyListener
from nameko.rpc import RpcProxy as NamekoRpcProxy

from common import amqp
from common.fastpaths.nameko import ReplyingRpcConsumer, UnconfirmedReplyRpc


class TypedRpcConsumer(ReplyingRpcConsumer):
    """The service's `rpc-<service>` queue, of the configured type (quorum)."""

    queue: Queue  # nameko's, declared in `setup`

    def setup(self) -> None:
        super().setup()
        self.queue = amqp.typed(self.queue)


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
