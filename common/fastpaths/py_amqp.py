"""py-amqp's internals: a batch's frames in one socket write (fast path
`py_amqp.frames_together`) and a publish without `basic_publish`'s poll of
the socket (`py_amqp.send_method`). Written for the versions in
`WRITTEN_FOR`: they replace the transport's private `_write` for a while and
call `Channel.send_method` with `basic_publish`'s argument signature.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import amqp
from amqp import spec

from common import fastpaths

FRAMES_TOGETHER = "py_amqp.frames_together"
SEND_METHOD = "py_amqp.send_method"
# The versions this module was written for (tests/unit/fastpaths checks the lock).
WRITTEN_FOR = {"amqp": "5.4.2"}


def publish(
    channel: amqp.Channel, message: amqp.Message, exchange: str, routing_key: str
) -> None:
    """`channel.basic_publish(message, exchange, routing_key)`, not mandatory,
    not immediate, sent without waiting for anything.

    send_method rather than basic_publish, which first polls the socket for
    a `connection.blocked` notice on every call (a third of the relay's CPU
    per publish); the relay reads what the broker sent when it waits for
    confirms."""
    if not fastpaths.on(SEND_METHOD):
        channel.basic_publish(message, exchange=exchange, routing_key=routing_key)
        return
    fastpaths.taken[SEND_METHOD] += 1
    channel.send_method(
        spec.Basic.Publish,
        "Bssbb",  # basic_publish's own argument signature
        (0, exchange, routing_key, False, False),
        message,
    )


@contextmanager
def frames_together(connection: amqp.Connection | None) -> Iterator[None]:
    """The frames written on `connection` inside the block go out in one
    socket write as it ends, in order: one send (and one wake-up of the
    broker) for a batch of publishes or acks instead of one per message.

    Nothing inside may wait for the broker's answer (a declare would wait for
    a frame still held here). py-amqp writes each frame as it comes and has
    no buffering of its own.
    """
    transport = connection.transport if connection is not None else None
    # closed (each write fails, or is skipped, as usual), or turned off
    if transport is None or not fastpaths.on(FRAMES_TOGETHER):
        yield
        return
    send = transport._write
    frames: list[bytes] = []
    # A copy: py-amqp renders every frame into one reused buffer.
    transport._write = lambda data: frames.append(bytes(data))
    try:
        yield
    finally:
        transport._write = send
        if frames:
            fastpaths.taken[FRAMES_TOGETHER] += 1
            transport.write(b"".join(frames))  # marks a broken transport, as ever
