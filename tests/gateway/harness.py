"""What the gateway tests run against: a vhost of their own, nameko services
and gateway processes, and waiting on conditions (never on the clock)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aio_pika
import httpx

from common.config import REPO_ROOT
from gateway.rpc import RpcClient
from tests.support import infra
from tests.support.platform import Process, free_port

T = TypeVar("T")

JWT_SECRET = "gateway-tests-secret-0123456789abcdef"
BIN = Path(sys.executable).parent


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


def create_vhost() -> tuple[str, str]:
    """A vhost of our own: (name, amqp uri)."""
    name = f"test-gw-{uuid.uuid4().hex[:8]}"
    return name, infra.create_vhost(name)


delete_vhost = infra.delete_vhost


def connections_named(name: str) -> list[str]:
    """Broker pids of the connections whose client properties mention `name`."""
    listed = subprocess.run(
        ["rabbitmqctl", "-q", "list_connections", "pid", "client_properties"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("\t", 1)[0] for line in listed.splitlines() if name in line]


def drop_connections(name: str) -> list[str]:
    """Make the broker close those connections, as a broker restart would."""
    pids = connections_named(name)
    for pid in pids:
        _rabbitmqctl("close_connection", pid, "gateway test: dropped on purpose")
    return pids


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT)
    # eventlet's deprecation notice is noise in the service logs, nothing more.
    env["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
    env.update(extra)
    return env


class Child(Process):
    """A subprocess with its output in a log file."""

    def check_alive(self) -> None:
        if not self.running:
            raise AssertionError(f"{self.name} exited:\n{self.log_tail()}")


def nameko_service(
    target: str, amqp_uri: str, logs: Path, name: str | None = None, **env: str
) -> Child:
    """`nameko run` one class of tests/gateway/nameko_echo_service.py."""
    argv = [
        str(BIN / "nameko"),
        "run",
        "--broker",
        amqp_uri,
        f"tests.gateway.nameko_echo_service:{target}",
    ]
    return Child(name or target.lower(), argv, child_env(**env), logs)


@dataclass(frozen=True)
class Gateway:
    child: Child
    url: str

    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        async with httpx.AsyncClient(base_url=self.url, timeout=15) as client:
            return await client.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers=sent,
            )


def gateway(name: str, module: str, amqp_uri: str, logs: Path, **env: str) -> Gateway:
    """`python -m <module>` serving a gateway on a free port."""
    port = free_port()
    child = Child(
        name,
        [sys.executable, "-m", module],
        child_env(
            AMQP_URI=amqp_uri,
            GATEWAY_HOST="127.0.0.1",
            GATEWAY_PORT=str(port),
            AUTH_JWT_SECRET=JWT_SECRET,
            **env,
        ),
        logs,
    )
    return Gateway(child, f"http://127.0.0.1:{port}")


async def wait_for(
    probe: Callable[[], Awaitable[T]],
    timeout: float = 30.0,
    message: str = "condition",
    alive: Child | None = None,
) -> T:
    """Poll `probe` until it returns something truthy without raising."""
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        if alive is not None:
            alive.check_alive()
        try:
            if value := await probe():
                return value
        except Exception as exc:  # not ready yet is what we are waiting out
            last = exc
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}: {last!r}")
        await asyncio.sleep(0.1)  # poll interval, not a guess at readiness


async def start_service(
    rpc: RpcClient, target: str, amqp_uri: str, logs: Path, service: str, **env: str
) -> Child:
    """A nameko service, once it answers `health`."""
    child = nameko_service(target, amqp_uri, logs, name=service, **env)
    child.start()
    try:
        await wait_for(
            lambda: rpc.call(service, "health", timeout=1),
            message=f"{service} answering",
            alive=child,
        )
    except BaseException:
        child.stop()
        raise
    return child


async def forget_service(amqp_uri: str, service: str) -> None:
    """Delete a stopped service's durable queue: calls fail fast again, as if
    it never ran (so later tests do not wait out timeouts on it)."""
    connection = await aio_pika.connect(amqp_uri)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(f"rpc-{service}")


async def wait_gateway(gateway: Gateway, timeout: float = 30.0) -> None:
    async def ready() -> bool:
        async with httpx.AsyncClient() as client:
            reply = await client.get(f"{gateway.url}/healthz", timeout=2)
        return reply.status_code == 200 and reply.json()["broker"] == "UP"

    name = f"{gateway.child.name} at {gateway.url}"
    await wait_for(ready, timeout, name, alive=gateway.child)
