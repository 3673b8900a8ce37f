"""RPC replies (common/fastpaths/nameko.py) on a real broker: a connection that
broke is replaced, and the reply still arrives."""

from __future__ import annotations

import amqp
from kombu import Connection

from common.fastpaths.nameko import ReplyConnections
from tests.support.wait import wait_until


def arrived(conn: Connection, queue: str, count: int) -> list[bytes]:
    """The queue's messages once `count` are there (replies are unconfirmed:
    the broker routes them a moment after the publish returns)."""

    def waiting() -> int:
        return int(conn.default_channel.queue_declare(queue, passive=True)[1])

    wait_until(lambda: waiting() >= count, message=f"{count} replies in {queue}")
    bodies = []
    while (message := conn.default_channel.basic_get(queue, no_ack=True)) is not None:
        bodies.append(message.body)
    return bodies


def test_replies_reuse_one_connection_and_survive_a_broken_one(
    amqp_uri: str, scratch_queue: tuple[Connection, str]
) -> None:
    conn, queue = scratch_queue
    replies = ReplyConnections(amqp_uri)
    replies.publish(amqp.Message(b"first"), exchange="", routing_key=queue)
    replies.publish(amqp.Message(b"second"), exchange="", routing_key=queue)
    assert len(replies._free) == 1  # one reply at a time: one connection
    assert arrived(conn, queue, 2) == [b"first", b"second"]
    # The broker's side of it goes away (a restart, a network cut).
    replies._free[0].connection.transport.sock.close()
    replies.publish(amqp.Message(b"third"), exchange="", routing_key=queue)
    assert len(replies._free) == 1
    assert arrived(conn, queue, 1) == [b"third"]


def test_after_a_broker_restart_no_reply_is_lost_on_idle_connections(
    amqp_uri: str, scratch_queue: tuple[Connection, str]
) -> None:
    conn, queue = scratch_queue
    replies = ReplyConnections(amqp_uri)
    idle = [replies._connect() for _ in range(3)]
    for each in idle:
        each.connect()  # connected, then left idle
        each.connection.transport.sock.close()  # and cut
    replies._free.extend(idle)
    replies.publish(amqp.Message(b"after"), exchange="", routing_key=queue)
    assert len(replies._free) == 1  # the broken ones are gone
    assert arrived(conn, queue, 1) == [b"after"]
