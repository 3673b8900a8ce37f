"""`common.amqp.frames_together` on a real broker: a batch of publishes or acks
leaves in one socket write when the block ends, whole and in order."""

from __future__ import annotations

from typing import Any

import amqp
import pytest
from kombu import Connection

from common.amqp import frames_together
from tests.support.wait import wait_until


def publish(channel: Any, queue: str, body: bytes) -> None:
    """A publish that waits for no answer (as the relay sends them)."""
    message = amqp.Message(body)
    channel.send_method(
        amqp.spec.Basic.Publish, "Bssbb", (0, "", queue, False, False), message
    )


def depth(conn: Connection, queue: str) -> int:
    return int(conn.default_channel.queue_declare(queue, passive=True)[1])


def counted_writes(connection: amqp.Connection) -> list[int]:
    """The sizes of the socket writes made on `connection` from now on."""
    sizes: list[int] = []
    send = connection.transport._write

    def write(data: Any) -> None:
        sizes.append(len(data))
        send(data)

    connection.transport._write = write
    return sizes


def test_publishes_wait_for_the_end_of_the_block_then_go_in_one_write(
    amqp_uri: str, scratch_queue: tuple[Connection, str]
) -> None:
    watcher, name = scratch_queue
    with Connection(amqp_uri) as conn:
        channel = conn.default_channel
        writes = counted_writes(conn.connection)
        with frames_together(conn.connection):
            for n in range(50):
                publish(channel, name, f"{n}".encode())
            assert writes == []
            assert depth(watcher, name) == 0  # nothing left the process yet
        assert len(writes) == 1
        wait_until(lambda: depth(watcher, name) == 50, message="50 messages")
    got = []
    while (message := watcher.default_channel.basic_get(name, no_ack=True)) is not None:
        got.append(int(message.body))
    assert got == list(range(50))


def test_acks_of_a_list_go_in_one_write_and_settle_every_message(
    amqp_uri: str, scratch_queue: tuple[Connection, str]
) -> None:
    watcher, name = scratch_queue
    for n in range(20):
        watcher.default_channel.basic_publish(
            amqp.Message(str(n)), exchange="", routing_key=name
        )
    wait_until(lambda: depth(watcher, name) == 20, message="20 messages")
    with Connection(amqp_uri) as conn:
        channel = conn.default_channel
        taken = [channel.basic_get(name) for _ in range(20)]
        writes = counted_writes(conn.connection)
        with frames_together(conn.connection):
            for message in taken:
                channel.basic_ack(message.delivery_tag)
        assert len(writes) == 1
        channel.basic_recover(requeue=True)  # anything unacked would come back
    assert depth(watcher, name) == 0


def test_frames_held_when_the_block_fails_still_go_out(
    amqp_uri: str, scratch_queue: tuple[Connection, str]
) -> None:
    watcher, name = scratch_queue
    with Connection(amqp_uri) as conn:
        channel = conn.default_channel
        with pytest.raises(RuntimeError), frames_together(conn.connection):
            publish(channel, name, b"before the failure")
            raise RuntimeError("the block failed")
        # The connection writes as usual again.
        channel.basic_publish(amqp.Message(b"after"), exchange="", routing_key=name)
        wait_until(lambda: depth(watcher, name) == 2, message="both messages")
