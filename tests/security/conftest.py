"""The security suite: the platform of the test session (its vhost and
databases, tests/conftest.py) and gateways of the suite's own, started as
`python -m gateway` with the settings each test needs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.integration.payments.world import PaymentsWorld
from tests.support.platform import Platform, Process, free_port
from tests.support.wait import wait_until

SERVICES = ("members", "partnerships", "grants", "payments")


@dataclass
class Gateway:
    """A gateway process of the suite's own and how to talk to it."""

    process: Process
    url: str
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.url, timeout=30)

    def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        return self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=sent,
        )

    def data(self, query: str, **kwargs: Any) -> dict[str, Any]:
        """The `data` of an answer that must have no errors."""
        body = self.graphql(query, **kwargs).json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def errors(self, query: str, **kwargs: Any) -> list[dict[str, Any]]:
        """The errors of an answer that must have some."""
        body = self.graphql(query, **kwargs).json()
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors

    def log(self) -> str:
        return self.process.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.client.close()
        self.process.stop()


def start_gateway(
    platform: Platform, name: str, base: dict[str, str] | None = None, **env: str
) -> Gateway:
    """`python -m gateway` on a port of its own, with the settings `base`
    (the session's platform's: its vhost) and `env` on top."""
    port = free_port()
    process = Process(
        name,
        [sys.executable, "-m", "gateway"],
        {**(platform.env if base is None else base), "GATEWAY_PORT": str(port), **env},
        platform.logs,
    )
    process.start()
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if not process.running:
            raise AssertionError(f"{name} exited:\n{process.log_tail()}")
        return httpx.get(f"{url}/healthz", timeout=2).json()["broker"] == "UP"

    wait_until(up, timeout=30, interval=0.1, message=f"{name} up")
    return Gateway(process, url)


@pytest.fixture(scope="session")
def services(platform: Platform) -> Platform:
    """The four services running (started once, shared with other suites)."""
    platform.start(*SERVICES)
    return platform


@pytest.fixture(scope="session")
def payments(services: Platform) -> PaymentsWorld:
    """members and payments with the offline Stripe (its webhooks go to the
    session's shared gateway), as the payments tests run them."""
    return PaymentsWorld(services)


@pytest.fixture(scope="module")
def gateway(services: Platform) -> Iterator[Gateway]:
    """A development gateway with the default limits on queries and bodies,
    and no rate limits (tests/security/test_rate_limits.py has its own)."""
    running = start_gateway(
        services,
        "security-gateway",
        RATE_LIMIT_PER_MINUTE="0",
        RATE_LIMIT_COST_PER_MINUTE="0",
        FAILURE_LIMIT_PER_MINUTE="0",
    )
    yield running
    running.stop()
