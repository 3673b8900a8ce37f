"""Fixtures of the foundation's broker tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from kombu import Connection

from tests.support.platform import Platform, free_port
from tests.support.tcpproxy import TcpProxy


@pytest.fixture
def scratch_queue(amqp_uri: str) -> Iterator[tuple[Connection, str]]:
    """A queue of its own (deleted afterwards) and a connection to watch it."""
    name = f"scratch-{uuid.uuid4().hex[:8]}"
    with Connection(amqp_uri) as conn:
        conn.default_channel.queue_declare(name, auto_delete=False)
        try:
            yield conn, name
        finally:
            conn.default_channel.queue_delete(name)


@pytest.fixture
def proxy(platform: Platform) -> Iterator[tuple[TcpProxy, str]]:
    """A way to the session's broker that the test can cut, and its URI."""
    port = free_port()
    proxy = TcpProxy(port, ("127.0.0.1", Connection(platform.amqp_uri).port or 5672))
    proxy.start()
    vhost = Connection(platform.amqp_uri).virtual_host
    try:
        yield proxy, f"amqp://guest:guest@127.0.0.1:{port}/{vhost}"
    finally:
        proxy.cut()
