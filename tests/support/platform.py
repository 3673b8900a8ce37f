"""The platform under test: real service processes on the session's vhost and DBs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

import httpx
import jwt
from kombu import Producer
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import Engine, MetaData, create_engine

from common import amqp
from common.config import REPO_ROOT, SERVICES
from common.db import infrastructure_tables
from common.envelope import Envelope
from common.identity import SERVICE, Identity
from common.metrics import outbox_backlog
from tests.support import infra
from tests.support.wait import wait_until

JWT_SECRET = "test-secret-not-for-production-use-only"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """One child process with its log file; restartable."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str],
        logs: Path,
        http_url: str = "",
    ):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = logs / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        # Its /healthz, /readyz and /metrics, when it serves them.
        self.http_url = http_url

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> Self:
        with self.log_path.open("ab") as log:  # the child keeps its own handle
            self.proc = subprocess.Popen(
                self.argv,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def stop(self, timeout: float = 15) -> None:
        if not self.running:
            return
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def kill(self) -> None:
        if self.running:
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait(5)

    def log_tail(self, lines: int = 40) -> str:
        with suppress(FileNotFoundError):
            return "\n".join(
                self.log_path.read_text(errors="replace").splitlines()[-lines:]
            )
        return ""


class Platform:
    def __init__(self, amqp_uri: str, database_urls: dict[str, str], workdir: Path):
        self.amqp_uri = amqp_uri
        self.database_urls = database_urls
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env: dict[str, str] = {
            **os.environ,
            "AMQP_URI": amqp_uri,
            "DATA_DIR": str(workdir / "data"),
            "AUTH_JWT_SECRET": JWT_SECRET,
            "EVENT_RETRY_BASE_MS": "100",
            "EVENT_MAX_ATTEMPTS": "3",
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": os.environ.get("TEST_LOG_LEVEL", "INFO"),
            # Suites send many requests from one address (tests/security
            # checks the limits on gateways of its own).
            "RATE_LIMIT_PER_MINUTE": "0",
            "RATE_LIMIT_COST_PER_MINUTE": "0",
            "FAILURE_LIMIT_PER_MINUTE": "0",
            # Several platforms and the suites' own engines share one
            # PostgreSQL (100 connections): few idle connections per process.
            "DB_POOL_SIZE": "2",
            **{f"{s.upper()}_DATABASE_URL": url for s, url in database_urls.items()},
            # No HTTP probes unless a test asks (a port of its own): a port
            # from the caller's shell would be fought over by every platform.
            **{f"{s.upper()}_HTTP_PORT": "" for s in SERVICES},
            # The suites move these services' time (common.clock's test clock).
            "MEMBERS_CLOCK_CONTROL": "1",
            "GRANTS_CLOCK_CONTROL": "1",
        }
        self.processes: dict[str, Process] = {}
        self._proxies: dict[tuple[str, float], Any] = {}
        self._engines: dict[str, Engine] = {}
        self.gateway_url = ""
        self.gateway_urls: list[str] = []

    # --- services -----------------------------------------------------------

    def start(
        self, *targets: str, env: dict[str, str] | None = None, replicas: int = 1
    ) -> None:
        """Start services by name (or `module:Class` as NAME=module:Class).

        With `replicas` > 1, each service runs as that many processes on the
        same vhost and databases (`members`, `members-2`, ...), each serving
        /readyz and /metrics on a port of its own (its `http_url`): a health
        RPC cannot say which replica answered."""
        started = []
        for target in targets:
            name, _, spec = target.partition("=")
            for replica in range(1, replicas + 1):
                started.append(self._start_one(name, spec, env, replica, replicas))
        for name in started:
            self.wait_healthy(name)

    def _start_one(
        self,
        service: str,
        spec: str,
        env: dict[str, str] | None,
        replica: int,
        replicas: int,
    ) -> str:
        name = service if replica == 1 else f"{service}-{replica}"
        proc = self.processes.get(name)
        if proc is None:
            argv = [sys.executable, "-m", "common.runner", spec or service]
            penv, http_url = {**self.env, **(env or {})}, ""
            if replicas > 1:
                port = free_port()
                penv[f"{service.upper()}_HTTP_PORT"] = str(port)
                http_url = f"http://127.0.0.1:{port}"
            proc = Process(name, argv, penv, self.logs, http_url)
            self.processes[name] = proc
        elif env:
            port_name = f"{service.upper()}_HTTP_PORT"
            kept = {port_name: proc.env[port_name]} if proc.http_url else {}
            proc.env = {**self.env, **env, **kept}
        if not proc.running:
            proc.start()
        return name

    def replicas(self, service: str) -> list[Process]:
        """The processes of `service` (or of the gateway): the first, `-2`, ..."""
        return [
            proc
            for name, proc in self.processes.items()
            if name == service
            or (name.startswith(f"{service}-") and name[len(service) + 1 :].isdigit())
        ]

    def wait_healthy(self, name: str, timeout: float = 60) -> None:
        proc = self.processes[name]

        def healthy() -> bool:
            if not proc.running:
                raise AssertionError(f"{name} exited:\n{proc.log_tail()}")
            if proc.http_url:
                return httpx.get(f"{proc.http_url}/readyz", timeout=2).is_success
            return self.rpc(name, "health", timeout=2)["status"] == "UP"

        try:
            wait_until(healthy, timeout=timeout, interval=0.2, message=f"{name} up")
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}\n--- {name} log ---\n{proc.log_tail()}"
            ) from None

    def restart(self, name: str, env: dict[str, str] | None = None) -> None:
        """Stop a service and start it again, with `env` added if given."""
        self.processes[name].stop()
        self.start(name, env=env)

    def stop(self, *names: str) -> None:
        for name in names:
            self.processes[name].stop()

    def kill(self, *names: str) -> None:
        for name in names:
            self.processes[name].kill()

    def shutdown(self) -> None:
        for proxy in self._proxies.values():
            with suppress(Exception):
                proxy.__exit__(None, None, None)
        for proc in self.processes.values():
            proc.stop()
        for engine in self._engines.values():
            engine.dispose()

    # --- talking to services --------------------------------------------------

    def rpc(
        self,
        service: str,
        method: str,
        *args: Any,
        identity: Identity = SERVICE,
        timeout: float = 10,
        **kwargs: Any,
    ) -> Any:
        proxy = self._proxy(identity, timeout)
        return getattr(getattr(proxy, service), method)(*args, **kwargs)

    def forget_rpc_connections(self) -> None:
        """Close the RPC proxies (after a broker restart they are dead)."""
        proxies, self._proxies = self._proxies, {}
        for proxy in proxies.values():
            with suppress(Exception):
                proxy.__exit__(None, None, None)

    def _proxy(self, identity: Identity, timeout: float) -> Any:
        key = (identity.to_header(), timeout)
        if key not in self._proxies:
            cluster = ClusterRpcProxy(
                {"AMQP_URI": self.amqp_uri},
                timeout=timeout,
                context_data={"identity": identity.to_header()},
            )
            self._proxies[key] = cluster.__enter__()
        return self._proxies[key]

    def publish_event(
        self,
        producer: str,
        event_type: str,
        payload: dict[str, Any],
        event_id: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        """Publish exactly what the outbox relay would publish."""
        envelope = Envelope(
            type=event_type,
            producer=producer,
            payload=payload,
            correlation_id=correlation_id,
        )
        if event_id:
            envelope = Envelope(**{**envelope.to_dict(), "event_id": event_id})
        with amqp.connection(self.amqp_uri) as conn:
            channel = conn.channel()
            amqp.event_exchange(producer)(channel).declare()
            amqp.publish_envelope(Producer(channel), envelope.to_dict())
        return envelope

    def publish_raw(
        self,
        producer: str,
        routing_key: str,
        body: bytes,
        headers: dict[str, Any] | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Publish any bytes on a producer's event exchange (poison, say)."""
        with amqp.connection(self.amqp_uri) as conn:
            channel = conn.channel()
            exchange = amqp.event_exchange(producer)(channel)
            exchange.declare()
            Producer(channel).publish(
                body,
                exchange=exchange,
                routing_key=routing_key,
                headers=headers or {},
                content_type=content_type,
                content_encoding="utf-8",
                delivery_mode=2,
            )

    def wait_settled(self, timeout: float = 60) -> None:
        """Until nothing is in flight: no running service's outbox holds an
        unpublished event and no queue a message, ready or being handled
        (dead letters aside: they wait for an operator). What an earlier test
        set going (a member lapsing, say) has then reached every service."""

        outbox, _ = infrastructure_tables(MetaData())

        def unpublished(service: str) -> int:
            now = datetime.now(UTC)
            return outbox_backlog(self.engine(service), outbox, now).unpublished

        def settled() -> bool:
            running = [s for s in self.database_urls if self._running(s)]
            return not any(unpublished(s) for s in running) and not any(
                q["messages"]
                for name, q in infra.queues(self.amqp_uri).items()
                if not name.endswith(".dead-letters")
            )

        wait_until(settled, timeout=timeout, interval=0.2, message="platform settled")

    def _running(self, service: str) -> bool:
        return any(p.running for p in self.replicas(service))

    def engine(self, service: str) -> Engine:
        if service not in self._engines:
            self._engines[service] = create_engine(self.database_urls[service])
        return self._engines[service]

    # --- gateway ----------------------------------------------------------------

    def start_gateway(
        self, env: dict[str, str] | None = None, replicas: int = 1
    ) -> str:
        """Start the gateway (`replicas` of them: `gateway`, `gateway-2`, ...,
        each on a port of its own, all in `gateway_urls`); the first one's URL."""
        for replica in range(1, replicas + 1):
            self._start_gateway(
                env, "gateway" if replica == 1 else f"gateway-{replica}"
            )
        return self.gateway_url

    def _start_gateway(self, env: dict[str, str] | None, name: str) -> None:
        proc = self.processes.get(name)
        if proc is None:
            fixed = (env or {}).get("GATEWAY_PORT") if name == "gateway" else None
            port = int(fixed or free_port())
            genv = {**self.env, **(env or {}), "GATEWAY_PORT": str(port)}
            url = f"http://127.0.0.1:{port}"
            argv = [sys.executable, "-m", "gateway"]
            proc = Process(name, argv, genv, self.logs, url)
            self.processes[name] = proc
            self.gateway_urls.append(url)
            if name == "gateway":
                self.gateway_url = url
        if not proc.running:
            proc.start()
            url = proc.http_url

            def up() -> bool:
                if not proc.running:
                    raise AssertionError(f"{name} exited:\n{proc.log_tail()}")
                return httpx.get(f"{url}/healthz", timeout=2).status_code == 200

            wait_until(up, timeout=30, interval=0.1, message=f"{name} up")

    def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(
            f"{self.gateway_url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=timeout,
        )
        body: dict[str, Any] = response.json()
        return body

    @staticmethod
    def token(
        role: str,
        member_id: str | None = None,
        reviewer_id: str | None = None,
        sub: str | None = None,
        expires_in: timedelta = timedelta(hours=1),
    ) -> str:
        claims: dict[str, Any] = {
            "sub": sub or f"test-{role}",
            "role": role,
            "exp": datetime.now(UTC) + expires_in,
        }
        if member_id:
            claims["member_id"] = member_id
        if reviewer_id:
            claims["reviewer_id"] = reviewer_id
        return jwt.encode(claims, JWT_SECRET, algorithm="HS256")
