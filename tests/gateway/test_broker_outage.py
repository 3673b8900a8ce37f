"""The gateway while its broker is away (a TCP proxy between them, cut and
opened again): calls and webhooks are refused at once, not after a timeout,
and all is well again once the broker is back."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aio_pika
import httpx
import pytest
import pytest_asyncio
from yarl import URL

from gateway.errors import ServiceError
from gateway.rpc import RpcClient
from gateway.subscriptions import RECONNECTED, PaymentStatusHub
from tests.gateway import harness
from tests.support.tcpproxy import TcpProxy

# Far above what "at once" takes: a refusal that waited would show.
AT_ONCE = 1.0


@pytest.fixture
def proxy(gw_amqp_uri: str) -> Iterator[tuple[TcpProxy, str]]:
    """A way to the broker the test can cut, and the URI that goes through it."""
    url = URL(gw_amqp_uri)
    port = harness.free_port()
    proxy = TcpProxy(port, (url.host or "127.0.0.1", url.port or 5672))
    proxy.start()
    try:
        yield proxy, str(url.with_port(port))
    finally:
        proxy.cut()


@pytest_asyncio.fixture(loop_scope="session")
async def silent_service(gw_amqp_uri: str) -> AsyncIterator[str]:
    """A service whose queue exists but which never answers."""
    name = f"silent{uuid.uuid4().hex[:6]}"
    connection = await aio_pika.connect(gw_amqp_uri)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            "nameko-rpc", aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(f"rpc-{name}", durable=True)
        await queue.bind(exchange, f"{name}.*")
        yield name
        await queue.delete(if_unused=False, if_empty=False)


async def refused_at_once(call: object) -> ServiceError:
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        await call  # type: ignore[misc]
    assert time.monotonic() - started < AT_ONCE
    assert caught.value.code == "UNAVAILABLE"
    return caught.value


async def test_calls_fail_at_once_while_the_broker_is_away(
    echo_service: harness.Child,
    silent_service: str,
    proxy: tuple[TcpProxy, str],
) -> None:
    cut, uri = proxy
    async with RpcClient(uri, timeout=10, reconnect_interval=0.2) as client:
        assert await client.echo.add(1, 2) == 3
        waiting = asyncio.ensure_future(client.call(silent_service, "anything"))

        async def sent() -> bool:
            return bool(client._pending)

        await harness.wait_for(sent, message="the call sent")

        cut.cut()
        # The call in flight can get no reply: it fails now, not in 10 s.
        await refused_at_once(waiting)
        assert not client.connected
        for _ in range(3):
            await refused_at_once(client.echo.add(1, 1))

        cut.start()

        async def answers() -> bool:
            return client.connected and await client.echo.add(2, 2) == 4

        await harness.wait_for(answers, timeout=20, message="calls answered again")


async def test_webhooks_get_503_at_once_while_the_broker_is_away(
    proxy: tuple[TcpProxy, str], gw_logs: Path
) -> None:
    cut, uri = proxy
    gateway = harness.gateway(
        "gateway-outage", "gateway", uri, gw_logs, RPC_TIMEOUT_SECONDS="10"
    )
    gateway.child.start()
    try:
        await harness.wait_gateway(gateway)
        cut.cut()

        async def broker(state: str) -> bool:
            async with httpx.AsyncClient(base_url=gateway.url, timeout=5) as http:
                health = (await http.get("/healthz")).json()
            return bool(health["broker"] == state)

        await harness.wait_for(lambda: broker("DOWN"), message="broker DOWN")
        async with httpx.AsyncClient(base_url=gateway.url, timeout=5) as http:
            unready = await http.get("/readyz")
        assert unready.status_code == 503, unready.text
        assert unready.json()["problems"] == ["broker connection lost"]
        async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
            started = time.monotonic()
            webhook = await http.post(
                "/webhooks/stripe",
                content=b'{"id": "evt_outage"}',
                headers={"Stripe-Signature": "t=1,v1=00"},
            )
            assert time.monotonic() - started < AT_ONCE
            assert webhook.status_code == 503, webhook.text  # Stripe retries

            started = time.monotonic()
            query = await http.post(
                "/graphql", json={"query": "{ health { service status } }"}
            )
            assert time.monotonic() - started < AT_ONCE
        services = query.json()["data"]["health"]
        assert {s["status"] for s in services} == {"DOWN"}

        cut.start()
        await harness.wait_for(lambda: broker("UP"), timeout=20, message="broker UP")
    finally:
        gateway.child.stop()


async def announce(amqp_uri: str, payment_id: str, new_status: str) -> None:
    """A status change of a payment, as payments' outbox relay publishes it."""
    connection = await aio_pika.connect(amqp_uri)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            "payments.events", aio_pika.ExchangeType.TOPIC, durable=True
        )
        payload = {
            "payment_id": payment_id,
            "old_status": "PENDING",
            "new_status": new_status,
            "changed_at": "2026-01-01T00:00:00+00:00",
        }
        body = json.dumps({"type": "payment_succeeded", "payload": payload})
        await exchange.publish(
            aio_pika.Message(body.encode(), content_type="application/json"),
            routing_key="payment_succeeded",
        )


async def test_payment_status_is_followed_again_after_the_broker_was_away(
    gw_amqp_uri: str, proxy: tuple[TcpProxy, str]
) -> None:
    cut, uri = proxy
    hub = PaymentStatusHub(uri)
    try:
        async with hub.listen("pay-before") as before:
            await announce(gw_amqp_uri, "pay-before", "FAILED")
            first = await asyncio.wait_for(before.get(), 5)
            assert first["new_status"] == "FAILED"

            cut.cut()  # its queue goes with its connection: changes are lost

            async def away() -> bool:
                return not hub.listening

            await harness.wait_for(away, timeout=5, message="the hub away")
            await announce(gw_amqp_uri, "pay-before", "REFUNDED")  # missed
            cut.start()

            # A new subscriber is listened for once it is in (it may be told
            # of the reconnect too: it came in while the hub was away).
            async with hub.listen("pay-after") as after:
                await announce(gw_amqp_uri, "pay-after", "SUCCEEDED")
                news = await asyncio.wait_for(after.get(), 5)
                if news is RECONNECTED:
                    news = await asyncio.wait_for(after.get(), 5)
                assert news["new_status"] == "SUCCEEDED"
            # One from before is told to read the payment again.
            assert await asyncio.wait_for(before.get(), 5) is RECONNECTED
    finally:
        await hub.close()
