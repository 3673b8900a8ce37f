"""`common.sharing` on a real broker: a consumer learns how many consumers
share its queue (its service's replicas), as they come and go."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from kombu import Connection

from common import sharing
from common.sharing import QueueSharing
from tests.support.wait import wait_until


def consume(conn: Connection, queue: str) -> Any:
    """One more consumer of `queue`, on a channel of its own (closing the
    channel ends it)."""
    channel = conn.channel()
    channel.basic_consume(queue, callback=lambda *_: None)
    return channel


def test_the_count_follows_the_consumers_of_the_queue(
    amqp_uri: str,
    scratch_queue: tuple[Connection, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sharing, "EVERY", 0.1)
    monkeypatch.setattr(sharing, "SOON", 0.05)
    _, name = scratch_queue
    missing = QueueSharing(amqp_uri, f"never-declared-{uuid.uuid4().hex[:6]}")
    shared = QueueSharing(amqp_uri, name)
    with Connection(amqp_uri) as replicas:
        first = consume(replicas, name)
        consume(replicas, name)
        missing.start()  # a queue the broker does not know spoils no count
        shared.start()
        try:
            wait_until(lambda: shared.consumers == 2, timeout=10, message="two")
            consume(replicas, name)
            wait_until(lambda: shared.consumers == 3, timeout=10, message="three")
            first.close()
            wait_until(lambda: shared.consumers == 2, timeout=10, message="two again")
            assert missing.consumers == 1
        finally:
            shared.stop()
            missing.stop()
