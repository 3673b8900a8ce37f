"""The asyncio RPC client against a real nameko service on a real broker."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from common.identity import Identity
from gateway.errors import ServiceError
from gateway.rpc import BrokerUnavailable, RpcClient, RpcTimeout, UnknownService
from tests.gateway import harness
from tests.support import infra

pytestmark = pytest.mark.usefixtures("echo_service")


async def test_returns_the_result(rpc: RpcClient) -> None:
    assert await rpc.call("echo", "add", 2, 3) == 5
    assert await rpc.echo.add(a=4, b=5) == 9
    # Keywords named like call options still reach the remote method.
    reply = await rpc.echo.echo("x", timeout=7, identity="not-the-caller")
    assert reply == {
        "value": "x",
        "kwargs": {"timeout": 7, "identity": "not-the-caller"},
    }


async def test_values_keep_their_types_across_the_wire(rpc: RpcClient) -> None:
    when = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    reply = await rpc.echo.typed(when, Decimal("9.99"))
    assert reply == {"when": when, "amount": Decimal("10.99"), "kinds": ["datetime"]}


async def test_domain_error_keeps_code_message_and_field(rpc: RpcClient) -> None:
    with pytest.raises(ServiceError) as caught:
        await rpc.echo.missing("42")
    assert (caught.value.code, caught.value.field) == ("NOT_FOUND", "id")
    assert caught.value.message == "no such member 42"
    assert caught.value.public


async def test_unexpected_error_is_masked(rpc: RpcClient) -> None:
    with pytest.raises(ServiceError) as caught:
        await rpc.echo.boom()
    error = caught.value
    assert (error.code, error.message, error.public) == (
        "INTERNAL",
        "internal error",
        False,
    )
    assert "RuntimeError" in (error.detail or "")  # for the logs only


async def test_a_database_refusing_connections_is_unavailable_not_internal(
    rpc: RpcClient, echo_service: harness.Child
) -> None:
    """PostgreSQL at `max_connections` (what several replicas under load
    did to a shared server) refuses the handler's connection: the caller
    gets UNAVAILABLE, which clients retry, and the service logs the cause."""
    with infra.full_server() as url, pytest.raises(ServiceError) as caught:
        await rpc.echo.select_one(url)
    error = caught.value
    assert (error.code, error.public) == ("UNAVAILABLE", True)
    assert "its database is not answering" in error.message
    assert "too many connections" not in error.message  # internals stay inside

    async def logged() -> bool:
        return "too many connections" in echo_service.log_path.read_text()

    await harness.wait_for(logged, message="the cause logged")


async def test_a_result_that_cannot_be_sent_is_an_error_not_a_hang(
    rpc: RpcClient,
) -> None:
    with pytest.raises(ServiceError) as caught:
        await rpc.echo.unencodable()
    assert caught.value.code == "INTERNAL"
    assert "UnserializableValueError" in (caught.value.detail or "")
    assert await rpc.echo.add(2, 3) == 5  # the service lives on


async def test_missing_method_is_an_internal_error(rpc: RpcClient) -> None:
    with pytest.raises(ServiceError) as caught:
        await rpc.echo.no_such_method()
    assert caught.value.code == "METHOD_NOT_FOUND"
    assert not caught.value.public


async def test_unknown_service_fails_at_once(rpc: RpcClient) -> None:
    started = time.monotonic()
    with pytest.raises(UnknownService) as caught:
        await rpc.call("nosuchservice", "health", timeout=5)
    assert time.monotonic() - started < 0.5
    assert caught.value.code == "UNAVAILABLE"
    assert "nosuchservice" in caught.value.message


async def test_stopped_service_is_unavailable_within_the_timeout(
    rpc: RpcClient, gw_amqp_uri: str, gw_logs: Path
) -> None:
    name = f"ephemeral{uuid.uuid4().hex[:6]}"
    child = await harness.start_service(
        rpc, "Echo", gw_amqp_uri, gw_logs, name, ECHO_SERVICE_NAME=name
    )
    assert await rpc.call(name, "add", 1, 1) == 2
    child.stop()
    assert not child.running
    started = time.monotonic()
    with pytest.raises(RpcTimeout) as caught:
        await rpc.call(name, "add", 1, 1, timeout=1)
    assert 0.9 <= time.monotonic() - started < 2.0
    assert caught.value.code == "UNAVAILABLE"
    await harness.forget_service(gw_amqp_uri, name)


async def test_twenty_concurrent_calls_each_get_their_own_answer(
    rpc: RpcClient,
) -> None:
    results = await asyncio.gather(*(rpc.echo.add(n, 1000) for n in range(20)))
    assert results == [n + 1000 for n in range(20)]


async def test_identity_and_correlation_id_reach_the_service(rpc: RpcClient) -> None:
    member = Identity(sub="user-1", role="member", member_id="m-7")
    bound = rpc.bind(member, "cid-gateway-test")
    reply = await bound.echo.whoami()
    assert reply == {
        "identity": {
            "sub": "user-1",
            "role": "member",
            "member_id": "m-7",
            "reviewer_id": None,
        },
        "correlation_id": "cid-gateway-test",
    }


async def test_without_identity_the_service_sees_anonymous(rpc: RpcClient) -> None:
    reply = await rpc.call("echo", "whoami", correlation_id="cid-anon")
    assert reply["identity"]["role"] == "anonymous"
    assert reply["correlation_id"] == "cid-anon"


async def test_no_broker_means_unavailable_not_a_hang() -> None:
    port = harness.free_port()  # nothing listens there
    client = RpcClient(f"amqp://guest:guest@127.0.0.1:{port}/", connect_timeout=1)
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        async with client:
            pass
    assert caught.value.code == "UNAVAILABLE"
    assert time.monotonic() - started < 3
    # A started client that cannot connect answers calls UNAVAILABLE at once.
    await client.start()
    try:
        started = time.monotonic()
        with pytest.raises(BrokerUnavailable):
            await client.call("echo", "add", 1, 1, timeout=5)
        assert time.monotonic() - started < 1
    finally:
        await client.close()


async def test_reconnects_after_the_broker_drops_the_connection(
    gw_amqp_uri: str,
) -> None:
    name = f"gateway-reconnect-{uuid.uuid4().hex[:8]}"
    async with RpcClient(gw_amqp_uri, name=name, timeout=2) as client:
        assert await client.echo.add(1, 2) == 3
        dropped = harness.drop_connections(name)
        assert len(dropped) == 1

        async def answers_on_a_new_connection() -> bool:
            fresh = await asyncio.to_thread(harness.connections_named, name)
            return bool(fresh) and fresh != dropped and await client.echo.add(2, 2) == 4

        # The reply queue and its consumer are restored with the connection.
        await harness.wait_for(answers_on_a_new_connection, timeout=20)
        results = await asyncio.gather(*(client.echo.add(n, n) for n in range(5)))
        assert results == [2 * n for n in range(5)]
