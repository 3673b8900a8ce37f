"""nameko's `@rpc`, with replies published without publisher confirms.

nameko confirms every reply: the worker waits a broker round trip after each
call, and the broker does the bookkeeping. A confirm buys an RPC reply
nothing: the reply queue is the caller's own exclusive, non-durable queue, so
a reply lost with the broker is lost either way, and the caller's timeout is
what copes with it. Without the confirm a directory page through the gateway
cost ~8% less CPU across service and broker (docs/benchmarks.md). Requests,
events and the outbox keep their confirms.

Every entrypoint of a service must come from here: nameko shares one
`RpcConsumer` per class, and two would split the service's queue.
"""

from __future__ import annotations

from typing import Any

from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange


class ReplyPublisher(Publisher):
    use_confirms = False


class ReplyResponder(Responder):
    publisher_cls = ReplyPublisher


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


rpc = UnconfirmedReplyRpc.decorator
