"""An ack on a connection whose broker node just died: moot, never fatal.

When a cluster node was killed under load, a notifications replica exited:
a worker's ack hit the dead socket (`ConnectionResetError`), nameko's queue
consumer let it through, and nameko killed the container. Here the same
error comes from a fake channel; tests/cluster/test_consumers_survive_kill.py
kills a real node under a stream of events.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import amqp.exceptions
import pytest
from nameko.containers import ServiceContainer
from nameko.messaging import QueueConsumer

from common import config
from common.nameko_ext.consumer import SafeAckQueueConsumer
from common.nameko_ext.events import RetryingEventHandler


class DeadSocketMessage:
    """A message whose channel still looks connected, but whose writes fail."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.channel = SimpleNamespace(connection=object())
        self.delivery_info = {"routing_key": "payment_succeeded"}
        self.headers: dict[str, Any] = {}

    def ack(self) -> None:
        raise self.error

    def requeue(self) -> None:
        raise self.error


ERRORS = [
    ConnectionResetError(104, "Connection reset by peer"),
    BrokenPipeError(32, "Broken pipe"),
    TimeoutError("timed out"),
    OSError("Server unexpectedly closed connection"),
    amqp.exceptions.RecoverableConnectionError("connection already closed"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_a_lost_ack_or_requeue_does_not_raise(error: BaseException) -> None:
    consumer = SafeAckQueueConsumer.__new__(SafeAckQueueConsumer)
    consumer.ack_message(DeadSocketMessage(error))
    consumer.requeue_message(DeadSocketMessage(error))


def test_nameko_s_own_consumer_lets_the_socket_error_through() -> None:
    """What made the worker, and so the container, die (nameko 2.14)."""
    consumer = QueueConsumer.__new__(QueueConsumer)
    with pytest.raises(ConnectionResetError):
        consumer.ack_message(DeadSocketMessage(ERRORS[0]))


def test_an_event_handler_s_worker_ends_cleanly_on_a_dead_socket() -> None:
    handler = RetryingEventHandler.__new__(RetryingEventHandler)  # its own consumer
    handler.handle_message_processed(DeadSocketMessage(ERRORS[0]))


def test_other_errors_still_raise() -> None:
    consumer = SafeAckQueueConsumer.__new__(SafeAckQueueConsumer)
    with pytest.raises(ValueError):
        consumer.ack_message(DeadSocketMessage(ValueError("a bug")))


@pytest.mark.parametrize("service", config.SERVICES)
def test_every_queue_consumer_of_a_service_survives_a_lost_ack(service: str) -> None:
    # Not common.runner's look-up: importing it patches this process for eventlet.
    cls = importlib.import_module(f"services.{service}.service").Service
    container = ServiceContainer(cls, {"AMQP_URI": "memory://"})
    consumers = [ext for ext in container.extensions if isinstance(ext, QueueConsumer)]
    assert consumers
    assert all(isinstance(c, SafeAckQueueConsumer) for c in consumers), consumers
