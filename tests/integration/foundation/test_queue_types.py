"""Every durable queue a running platform declares is a quorum queue (the
replicated kind); reply and subscription queues stay exclusive and transient."""

from __future__ import annotations

from typing import Any

from common import config
from common.deadletters import count_dead_letters
from tests.support import infra
from tests.support.platform import Platform


def shared(queue: dict[str, Any]) -> bool:
    """A queue that outlives its consumers: what must be replicated."""
    return queue["durable"] and not queue["auto_delete"] and not queue["exclusive"]


def platforms(name: str) -> bool:
    """A queue of the platform's services: the session's vhost also holds the
    queues of other tests' fixture services (`rpc-plain`, ...)."""
    return any(service in name for service in config.SERVICES)


def nameko_reply_queue(queue: dict[str, Any]) -> bool:
    """nameko's RPC proxies' reply queues (`rpc.reply-<caller>-<uuid>`): one
    per process, gone `x-expires` after it, like the gateway's exclusive one."""
    return queue["name"].startswith("rpc.reply-") and "x-expires" in queue["arguments"]


def test_every_durable_queue_of_the_running_platform_is_a_quorum_queue(
    platform: Platform,
) -> None:
    platform.start(*config.SERVICES)
    platform.start_gateway()
    count_dead_letters(config.SERVICES, platform.amqp_uri)  # declares them

    queues = infra.queues(platform.amqp_uri)

    durable = {name: q for name, q in queues.items() if shared(q) and platforms(name)}
    for service in config.SERVICES:
        assert f"rpc-{service}" in durable, sorted(queues)
        assert f"{service}.dead-letters" in durable
    assert any(name.startswith("evt-") for name in durable), sorted(queues)
    classic = {
        name: q["arguments"]
        for name, q in durable.items()
        if q["type"] != "quorum" and not nameko_reply_queue(q)
    }
    assert classic == {}
    # The gateway's reply queue: its own, exclusive, gone with it.
    replies = [q for name, q in queues.items() if name.startswith("rpc-reply-")]
    assert replies and all(q["exclusive"] and q["type"] == "classic" for q in replies)
