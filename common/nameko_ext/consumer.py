"""nameko's queue consumer, with acks that never take a service down.

A worker acks (or requeues) its message when it ends, on the connection the
message came on. When the broker node at the other end has just died, that
write fails with the socket's error (`ConnectionResetError`,
`BrokenPipeError`, a timeout): nameko's `QueueConsumer` lets through all but
py-amqp's own `ConnectionError`, the worker's thread ends with it, and nameko
kills the whole container, so the process exits instead of reconnecting to
another node (seen under load when a cluster node was killed: the worker
ended before the consumer's own thread noticed the lost connection). The
ack is moot then: the broker hands the unacked message out again (the
handlers are idempotent), and the consumer's thread reconnects.

Every queue consumer of the platform's entrypoints and RPC replies is this
one (tests/unit/common/test_lost_acks.py checks each service's).
"""

from __future__ import annotations

import logging
from typing import Any

from nameko.messaging import QueueConsumer

from common.fastpaths.nameko import BROKER_GONE

log = logging.getLogger(__name__)


class SafeAckQueueConsumer(QueueConsumer):
    def ack_message(self, message: Any) -> None:
        try:
            super().ack_message(message)
        except BROKER_GONE as exc:
            _lost("ack", message, exc)

    def requeue_message(self, message: Any) -> None:
        try:
            super().requeue_message(message)
        except BROKER_GONE as exc:
            _lost("requeue", message, exc)


def _lost(what: str, message: Any, exc: BaseException) -> None:
    log.warning(
        "%s of a message (%s) lost with its broker connection: %r; "
        "the broker delivers it again",
        what,
        (getattr(message, "delivery_info", None) or {}).get("routing_key"),
        exc,
    )
