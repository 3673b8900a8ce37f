"""nameko's `@rpc` for every service entrypoint: replies encoded once and
sent without confirms (`common.fastpaths.nameko`, which says why).

Every entrypoint of a service must come from here: nameko shares one
`RpcConsumer` per class, and two would split the service's queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from kombu import Queue

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
