"""Fixtures of the foundation's broker tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from kombu import Connection


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
