"""The whole platform as `make run` starts it, for the browser tests.

The same commands (the Procfile's), the same environment defaults
(`tools.run_platform.platform_env()`: SQLite files, the offline Stripe, the
development sign-in), the same migrations, the same demo seed
(`tools.seed_demo`) and the production build of the web app (`tools.build_web`)
served by the gateway. The differences: a RabbitMQ vhost and a data folder of
this test session's own, free ports for the gateway, the offline Stripe and the
mail sink, and each process started on its own so a test can stop one and start it again
(`ControlServer`: POST /services/<name>/stop, POST /services/<name>/start).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from common import config
from common.migrate import upgrade
from tests.support import infra
from tests.support.platform import Process, free_port
from tests.support.wait import wait_until
from tools import build_web, run_platform

SERVICES = config.SERVICES  # the nameko services; the Procfile adds gateway, stripe
START_TIMEOUT = 120.0
SEED_TIMEOUT = 600.0
# Settings of a developer's shell that would make this platform differ from
# `make run`'s embedded default (another database, an OIDC issuer).
NOT_INHERITED = (
    *(f"{s.upper()}_DATABASE_URL" for s in SERVICES),
    "AUTH_JWKS_URL",
    "AUTH_ISSUER",
    "AUTH_AUDIENCE",
    "AUTH_CLIENT_ID",
    "AUTH_DEV_LOGIN",
    "SMTP_URL",
    "DEVMAIL_SMTP_PORT",
    "DEVMAIL_HTTP_PORT",
    "DEVMAIL_DIR",
)


class WebPlatform:
    """The Procfile's processes on this session's vhost, each stoppable."""

    def __init__(self, amqp_uri: str, workdir: Path):
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.gateway_port = free_port()
        self.devstripe_port = free_port()
        self.gateway_url = f"http://127.0.0.1:{self.gateway_port}"
        self.devstripe_url = f"http://127.0.0.1:{self.devstripe_port}"
        self.devmail_smtp_port, self.devmail_http_port = free_port(), free_port()
        self.devmail_url = f"http://127.0.0.1:{self.devmail_http_port}"
        self.amqp_uri = amqp_uri
        self.vhost = amqp_uri.rsplit("/", 1)[-1]
        env = run_platform.platform_env()
        for name in NOT_INHERITED:
            env.pop(name, None)
        env.update(
            AMQP_URI=amqp_uri,
            DATA_DIR=str(self.data_dir),
            GATEWAY_HOST="127.0.0.1",
            GATEWAY_PORT=str(self.gateway_port),
            DEVSTRIPE_PORT=str(self.devstripe_port),
            STRIPE_API_BASE=self.devstripe_url,
            DEVSTRIPE_WEBHOOK_URL=f"{self.gateway_url}/webhooks/stripe",
            DEVSTRIPE_STATE_FILE=str(workdir / "devstripe" / "localstripe.pickle"),
            # The Procfile's mail sink on ports of its own.
            DEVMAIL_SMTP_PORT=str(self.devmail_smtp_port),
            DEVMAIL_HTTP_PORT=str(self.devmail_http_port),
            DEVMAIL_DIR=str(workdir / "devmail"),
            SMTP_URL=f"smtp://127.0.0.1:{self.devmail_smtp_port}/?tls=off",
            APP_BASE_URL=self.gateway_url,  # the links in emails
            # The whole suite runs from one address and a few callers: the
            # per-caller rate limits are for people (tests/security checks them).
            RATE_LIMIT_PER_MINUTE="0",
            RATE_LIMIT_COST_PER_MINUTE="0",
        )
        # Each service's probes on a free port of the system's choosing:
        # `make run`'s fixed ones would clash with another platform's.
        env.update({f"{s.upper()}_HTTP_PORT": "0" for s in SERVICES})
        env[run_platform.SINK_SETTING] = "1"
        self.env = env
        self.processes = {
            name: Process(name, shlex.split(command), env, self.logs)
            for name, command in run_platform.processes(env).items()
        }
        self._lock = threading.Lock()
        self._staff_token: str | None = None

    # --- the processes -----------------------------------------------------

    def migrate(self) -> None:
        """Every service's migrations, as `make run` applies them."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for service in SERVICES:
            upgrade(service, self.database_url(service))

    def database_url(self, service: str) -> str:
        return f"sqlite:///{self.data_dir / f'{service}.db'}"

    def start_all(self) -> None:
        for proc in self.processes.values():
            proc.start()
        for name in self.processes:
            self.wait_healthy(name)

    def start(self, name: str) -> None:
        """Start one process (if it is not running) and wait until it is healthy."""
        with self._lock:
            proc = self.processes[name]
            if not proc.running:
                proc.start()
            self.wait_healthy(name)

    def stop(self, name: str) -> None:
        with self._lock:
            self.processes[name].stop()

    def shutdown(self) -> None:
        for proc in self.processes.values():
            proc.stop()

    def wait_healthy(self, name: str, timeout: float = START_TIMEOUT) -> None:
        proc = self.processes[name]

        def healthy() -> bool:
            if not proc.running:
                raise AssertionError(f"{name} exited")
            if name == "gateway":
                body = httpx.get(f"{self.gateway_url}/healthz", timeout=5).json()
                return bool(body["status"] == "UP" and body["broker"] == "UP")
            if name == "stripe":
                url = f"{self.devstripe_url}/_devstripe/health"
                return httpx.get(url, timeout=5).status_code == 200
            if name == "mail":
                url = f"{self.devmail_url}/api/stats"
                return httpx.get(url, timeout=5).status_code == 200
            # A nameko service: as the gateway's clients see it.
            health = self.graphql("{ health { service status } }")["health"]
            return any(h["service"] == name and h["status"] == "UP" for h in health)

        try:
            wait_until(
                healthy, timeout=timeout, interval=0.3, message=f"{name} healthy"
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.log_tails(name)}") from None

    def log_tails(self, *names: str, lines: int = 40) -> str:
        return "\n".join(
            f"--- {name} log ---\n{self.processes[name].log_tail(lines)}"
            for name in names or tuple(self.processes)
        )

    # --- the API --------------------------------------------------------------

    def staff_token(self) -> str:
        if self._staff_token is None:
            response = httpx.post(
                f"{self.gateway_url}/auth/dev/token", json={"role": "staff"}, timeout=10
            )
            response.raise_for_status()
            self._staff_token = str(response.json()["token"])
        return self._staff_token

    def graphql(self, query: str, staff: bool = False) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.staff_token()}"} if staff else {}
        response = httpx.post(
            f"{self.gateway_url}/graphql",
            json={"query": query},
            headers=headers,
            timeout=30,
        )
        body: dict[str, Any] = response.json()
        if body.get("errors") or not body.get("data"):
            raise AssertionError(f"GraphQL {query!r}: {body}")
        data: dict[str, Any] = body["data"]
        return data

    # --- the demo seed ----------------------------------------------------------

    def seed(self) -> None:
        """`make run`'s demo seed (tools.seed_demo), on this platform's settings."""
        log = self.logs / "seed.log"
        with log.open("ab") as out:
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import os; from tools import seed_demo; "
                    "seed_demo.seed_when_ready(dict(os.environ))",
                ],
                cwd=config.REPO_ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=SEED_TIMEOUT,
                check=False,
            )
        text = log.read_text(errors="replace")
        if done.returncode != 0 or "not loaded" in text:
            raise AssertionError(f"the demo seed failed:\n{text[-4000:]}")

    def wait_settled(self, timeout: float = SEED_TIMEOUT) -> dict[str, int]:
        """Until every event is published and consumed (twice, with no new one)."""
        previous: list[tuple[int, ...]] = []

        def settled() -> bool:
            state = self._outbox_state()
            quiet = all(unpublished == 0 for _, unpublished in state)
            quiet = quiet and self._event_messages() == 0
            totals = tuple(total for total, _ in state)
            stable = quiet and previous == [totals]
            previous[:] = [totals] if quiet else []
            return stable

        wait_until(settled, timeout=timeout, interval=0.5, message="events settled")
        counts = self.graphql(
            "{ members { totalCount } partnerships { totalCount } }", staff=True
        )
        return {
            "members": counts["members"]["totalCount"],
            "partnerships": counts["partnerships"]["totalCount"],
        }

    def _outbox_state(self) -> list[tuple[int, int]]:
        """(rows, unpublished rows) of each service's outbox."""
        state = []
        for service in SERVICES:
            path = self.data_dir / f"{service}.db"
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
                total, unpublished = db.execute(
                    "SELECT count(*), count(*) - count(published_at) FROM outbox"
                ).fetchone()
            state.append((int(total), int(unpublished)))
        return state

    def _event_messages(self) -> int:
        """Messages waiting or unacknowledged in the event and retry queues."""
        out = subprocess.run(
            ["rabbitmqctl", "-q", "list_queues", "-p", self.vhost, "name", "messages"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        total = 0
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].startswith("evt-") and parts[1].isdigit():
                total += int(parts[1])
        return total


class ControlServer:
    """HTTP on 127.0.0.1 for the browser tests: stop and start the processes.

    POST /services/<name>/stop   stops it (SIGTERM, then kill)
    POST /services/<name>/start  starts it; answers once it is healthy
    GET  /services               {name: running}
    """

    PATH = re.compile(r"^/services/([a-z]+)/(stop|start)$")

    def __init__(self, platform: WebPlatform):
        control = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/services":
                    return self._answer(404, {"error": "not found"})
                procs = platform.processes.items()
                self._answer(200, {name: p.running for name, p in procs})

            def do_POST(self) -> None:
                match = control.PATH.match(self.path)
                if not match or match[1] not in platform.processes:
                    return self._answer(404, {"error": f"no such service: {self.path}"})
                name, action = match[1], match[2]
                try:
                    (platform.stop if action == "stop" else platform.start)(name)
                except Exception as exc:  # the test sees why
                    return self._answer(500, {"error": str(exc)})
                print(f"[control] {action} {name}: done", flush=True)
                self._answer(200, {"service": name, "running": action == "start"})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the test's output is Playwright's

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ControlServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_frontend() -> None:
    """`make run`'s build of the web app (npm ci first when node_modules is stale).

    With WEB_DIST set, the gateway serves that build as it is instead.
    """
    if os.environ.get("WEB_DIST"):
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: the browser tests need Node.js 20 and npm")
    if build_web.needs_install():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=build_web.FRONTEND, check=True
        )
    assert build_web.build(), "the web app was not built"


@pytest.fixture(scope="session")
def web_platform(run_id: str) -> Iterator[WebPlatform]:
    build_frontend()
    vhost = f"test-{run_id}-webapp"
    amqp_uri = infra.create_vhost(vhost)
    workdir = Path(tempfile.mkdtemp(prefix="webapp-test-"))
    platform = WebPlatform(amqp_uri, workdir)
    try:
        started = time.monotonic()
        platform.migrate()
        platform.start_all()
        up = time.monotonic()
        platform.seed()
        seeded = time.monotonic()
        counts = platform.wait_settled()
        print(
            f"\nplatform up in {up - started:.0f}s, seeded in {seeded - up:.0f}s, "
            f"settled in {time.monotonic() - seeded:.0f}s: "
            f"{counts['members']} members, {counts['partnerships']} partnerships "
            f"at {platform.gateway_url}",
            flush=True,
        )
        assert counts["members"] > 0 and counts["partnerships"] > 0, counts
        yield platform
    finally:
        platform.shutdown()
        infra.delete_vhost(vhost)
        shutil.rmtree(workdir, ignore_errors=True)
