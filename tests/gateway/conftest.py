"""Fixtures of the gateway tests: a vhost of their own (test-gw-*), the echo
service, an RPC client, the real gateway and the gateway with probe fields."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from gateway.auth import issue_token
from gateway.rpc import RpcClient
from gateway.settings import Settings
from tests.gateway import harness


@pytest.fixture(scope="session")
def gw_amqp_uri() -> Iterator[str]:
    name, uri = harness.create_vhost()
    yield uri
    harness.delete_vhost(name)


@pytest.fixture(scope="session")
def gw_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway-logs")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def rpc(gw_amqp_uri: str) -> AsyncIterator[RpcClient]:
    async with RpcClient(gw_amqp_uri, timeout=5) as client:
        yield client


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def echo_service(
    rpc: RpcClient, gw_amqp_uri: str, gw_logs: Path
) -> AsyncIterator[harness.Child]:
    child = await harness.start_service(rpc, "Echo", gw_amqp_uri, gw_logs, "echo")
    yield child
    child.stop()


async def _gateway(
    name: str, module: str, amqp_uri: str, logs: Path
) -> harness.Gateway:
    # A short RPC timeout bounds every test that reaches a stopped service.
    gateway = harness.gateway(name, module, amqp_uri, logs, RPC_TIMEOUT_SECONDS="3")
    gateway.child.start()
    try:
        await harness.wait_gateway(gateway)
    except BaseException:
        gateway.child.stop()
        raise
    return gateway


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def gateway(gw_amqp_uri: str, gw_logs: Path) -> AsyncIterator[harness.Gateway]:
    """`python -m gateway` itself."""
    running = await _gateway("gateway", "gateway", gw_amqp_uri, gw_logs)
    yield running
    running.child.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def probe_gateway(
    gw_amqp_uri: str, gw_logs: Path, echo_service: harness.Child
) -> AsyncIterator[harness.Gateway]:
    """The gateway with tests/gateway/probe_schema.py merged in."""
    running = await _gateway(
        "probe-gateway", "tests.gateway.probe_gateway", gw_amqp_uri, gw_logs
    )
    yield running
    running.child.stop()


@pytest.fixture(scope="session")
def test_settings() -> Settings:
    """Settings as the gateway processes see them (for issuing tokens)."""
    return dataclasses.replace(Settings.from_env(), jwt_secret=harness.JWT_SECRET)


@pytest.fixture(scope="session")
def staff_token(test_settings: Settings) -> str:
    return issue_token(test_settings, "staff")
