"""The gateway's aio-pika connections over several broker addresses (the
machine's RabbitMQ on 5672 for the one that answers)."""

from __future__ import annotations

import asyncio

from gateway import broker
from tests.support.platform import free_port

NODES = "amqp://u:secret@rabbit-0:5672/v;amqp://u:secret@rabbit-1:5673/v"


def test_addresses_in_turn_without_credentials_in_messages() -> None:
    assert [broker.address(NODES, n).port for n in range(3)] == [5672, 5673, 5672]
    assert "secret" not in broker.safe(NODES)


def test_the_first_connect_tries_the_next_address_when_one_refuses() -> None:
    closed = free_port()  # nothing listens there
    uri = f"amqp://guest:guest@127.0.0.1:{closed}/;amqp://guest:guest@127.0.0.1:5672/"

    async def connect() -> int | None:
        connection = await broker.connect_robust(uri, timeout=5)
        try:
            return connection.url.port
        finally:
            await connection.close()

    assert asyncio.run(connect()) == 5672
