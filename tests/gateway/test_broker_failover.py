"""The gateway's aio-pika connections over several broker addresses, on the
real broker: a way to it the test can cut (the node that goes away), a port
where nothing listens (a node that is down) and the broker itself."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from yarl import URL

from gateway import broker
from tests.gateway import harness
from tests.support.tcpproxy import TcpProxy


@pytest.fixture
def addresses(gw_amqp_uri: str) -> Iterator[tuple[TcpProxy, str]]:
    """(the proxy, AMQP_URI of: through the proxy; a closed port; direct)."""
    url = URL(gw_amqp_uri)
    proxy = TcpProxy(harness.free_port(), (url.host or "127.0.0.1", url.port or 5672))
    proxy.start()
    down = url.with_port(harness.free_port())  # nothing listens there
    try:
        yield proxy, f"{url.with_port(proxy.listen_port)};{down};{url}"
    finally:
        proxy.cut()


def test_the_first_connect_skips_an_address_that_refuses(gw_amqp_uri: str) -> None:
    url = URL(gw_amqp_uri)
    uri = f"{url.with_port(harness.free_port())};{url}"

    async def connect() -> int | None:
        connection = await broker.connect_robust(uri, timeout=5)
        try:
            return connection.url.port
        finally:
            await connection.close()

    assert asyncio.run(connect()) == url.port


def test_a_lost_node_is_left_for_the_next_address_that_answers(
    addresses: tuple[TcpProxy, str], gw_amqp_uri: str
) -> None:
    proxy, uri = addresses

    async def scenario() -> tuple[int | None, int | None]:
        connection = await broker.connect_robust(uri, timeout=5, reconnect_interval=0.1)
        try:
            first = connection.url.port
            back = asyncio.Event()
            connection.reconnect_callbacks.add(lambda *_: back.set())
            proxy.cut()  # its node went away; the next address refuses
            async with asyncio.timeout(10):
                await back.wait()
            channel = await connection.channel()  # serves again
            await channel.close()
            return first, connection.url.port
        finally:
            await connection.close()

    first, now = asyncio.run(scenario())
    assert first == proxy.listen_port
    assert now == URL(gw_amqp_uri).port
