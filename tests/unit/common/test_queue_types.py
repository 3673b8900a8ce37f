"""`AMQP_QUEUE_TYPE`: the one setting that makes the platform's durable
queues quorum (the default) or classic (while a broker still holds classic
ones), and the arguments each kind of queue is declared with."""

from __future__ import annotations

from typing import Any, cast

import pytest
from kombu import Exchange, Queue

from common import amqp, config


def declared_arguments(queue: Queue) -> object:
    """The arguments `queue` is declared with (kombu sets the attribute from
    its constructor's keywords, so its annotations do not name it)."""
    return cast(Any, queue).queue_arguments


def test_quorum_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMQP_QUEUE_TYPE", raising=False)
    assert config.queue_type() == "quorum"
    assert declared_arguments(amqp.dead_letter_queue("members")) == {
        "x-queue-type": "quorum"
    }


def test_a_retry_queue_dead_letters_at_least_once_on_quorum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AMQP_QUEUE_TYPE", "quorum")
    queue = amqp.retry_queue("evt-a-b--c.d", 400)
    assert queue.name == "evt-a-b--c.d.retry-400ms"
    assert declared_arguments(queue) == {
        "x-queue-type": "quorum",
        "x-message-ttl": 400,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": "evt-a-b--c.d",
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def test_classic_declares_what_the_platform_declared_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AMQP_QUEUE_TYPE", " Classic ")
    assert declared_arguments(amqp.dead_letter_queue("members")) is None
    assert declared_arguments(amqp.retry_queue("q", 100)) == {
        "x-message-ttl": 100,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": "q",
    }


def test_an_unknown_queue_type_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AMQP_QUEUE_TYPE", "mirrored")
    with pytest.raises(ValueError, match=r"AMQP_QUEUE_TYPE: 'mirrored'.*quorum"):
        amqp.dead_letter_queue("members")


def test_nameko_queues_typed_only_when_shared_and_durable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AMQP_QUEUE_TYPE", raising=False)
    exchange = Exchange("nameko-rpc", type="topic", durable=True)
    rpc = amqp.typed(Queue("rpc-members", exchange, "members.*", durable=True))
    assert (rpc.name, rpc.routing_key, rpc.exchange) == (
        "rpc-members",
        "members.*",
        exchange,
    )
    assert declared_arguments(rpc) == {"x-queue-type": "quorum"}
    broadcast = Queue("evt-x", exchange, "x", exclusive=True, auto_delete=True)
    assert amqp.typed(broadcast) is broadcast
    unreliable = Queue("evt-y", exchange, "y", auto_delete=True)
    assert amqp.typed(unreliable) is unreliable
