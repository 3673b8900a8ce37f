"""`Observability`: a service's metrics, and its /healthz, /readyz, /metrics.

A DependencyProvider, because nameko tells a dependency about every worker
(`worker_setup`, `worker_result`): that is where RPC calls and events are
counted and timed, for every entrypoint of the service, with no code in
`service.py`.

The HTTP server is eventlet's own WSGI server on a port of the service's own
(`<SERVICE>_HTTP_PORT`; off when unset, a random free port when 0), in a
thread the container manages. Not nameko's `http` entrypoint: its requests
are workers, so a probe would wait behind `max_workers` busy ones and count
as the service's load; nor prometheus-client's `start_http_server`, a real
OS thread running wsgiref, outside the container's lifetime (it never stops).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from typing import Any

import eventlet
import eventlet.wsgi
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc

from common import metrics
from common.fastpaths.nameko import consumer_problems, queue_consumers
from common.nameko_ext.events import RetryingEventHandler
from common.nameko_ext.storage import Storage

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
# How long /readyz waits for the database before calling it down.
DATABASE_CHECK_SECONDS = 2.0

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def http_port(service: str) -> int | None:
    """`<SERVICE>_HTTP_PORT`: None (no server) when unset or empty."""
    name = f"{service.upper()}_HTTP_PORT"
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        port = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a port number, not {raw!r}") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"{name} must be between 0 and 65535, not {port}")
    return port


class Observability(DependencyProvider):
    """Counts and times every worker; serves the probes and /metrics."""

    def setup(self) -> None:
        self.service = self.container.service_name
        self.port = http_port(self.service)
        self.host = os.environ.get("SERVICE_HTTP_HOST") or DEFAULT_HOST
        self._started: dict[Any, float] = {}
        self._server_thread: Any = None
        self._socket: Any = None
        self._backlog_key: int | None = None
        self.bound_port: int | None = None

    def start(self) -> None:
        storage = self._storage()
        if storage is not None:
            self._backlog_key = metrics.BACKLOG.add(
                self.service, partial(self._backlog, storage)
            )
        if self.port is None:
            return
        self._socket = eventlet.listen((self.host, self.port))
        self.bound_port = self._socket.getsockname()[1]
        self._server_thread = self.container.spawn_managed_thread(
            self._serve, identifier=f"{self.service}.http"
        )
        log.info(
            "%s: /healthz, /readyz and /metrics on http://%s:%d",
            self.service,
            self.host,
            self.bound_port,
        )

    def stop(self) -> None:
        self._close()

    def kill(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._backlog_key is not None:
            metrics.BACKLOG.remove(self._backlog_key)
            self._backlog_key = None
        if self._server_thread is not None:
            self._server_thread.kill()
            self._server_thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    # --- workers -------------------------------------------------------------

    def get_dependency(self, worker_ctx: Any) -> None:
        return None

    def worker_setup(self, worker_ctx: Any) -> None:
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(
        self, worker_ctx: Any, result: Any = None, exc_info: Any = None
    ) -> None:
        started = self._started.pop(worker_ctx, None)
        entrypoint = worker_ctx.entrypoint
        exc = exc_info[1] if exc_info else None
        if isinstance(entrypoint, Rpc):
            method = entrypoint.method_name
            metrics.RPC_REQUESTS.labels(self.service, method).inc()
            if exc is not None:
                kind = metrics.error_kind(exc)
                metrics.RPC_ERRORS.labels(self.service, method, kind).inc()
            if started is not None:
                metrics.RPC_LATENCY.labels(self.service, method).observe(
                    time.perf_counter() - started
                )
        elif isinstance(entrypoint, RetryingEventHandler):
            # A batching handler's worker gets a list of events.
            args = worker_ctx.args
            count = len(args[0]) if args and isinstance(args[0], list) else 1
            outcome = "ok" if exc is None else "failed"
            metrics.EVENTS_HANDLED.labels(
                self.service, entrypoint.event_type, outcome
            ).inc(count)

    def worker_teardown(self, worker_ctx: Any) -> None:
        self._started.pop(worker_ctx, None)

    # --- probes --------------------------------------------------------------

    def _storage(self) -> Storage | None:
        for dependency in self.container.dependencies:
            if isinstance(dependency, Storage):
                return dependency
        return None

    @staticmethod
    def _backlog(storage: Storage) -> metrics.Backlog:
        return metrics.outbox_backlog(storage.engine, storage.outbox, datetime.now(UTC))

    def problems(self) -> list[str]:
        """Why the service should get no traffic now; empty when ready."""
        found: list[str] = []
        consumers = queue_consumers(self.container)
        if not consumers:
            found.append("no broker consumers")
        for consumer in consumers:
            for problem in consumer_problems(consumer):
                if problem not in found:
                    found.append(problem)
        storage = self._storage()
        if storage is not None and not self._database_answers(storage):
            found.append("database not answering")
        return found

    @staticmethod
    def _database_answers(storage: Storage) -> bool:
        with eventlet.Timeout(DATABASE_CHECK_SECONDS, False):
            return storage.ping()
        return False

    def _serve(self) -> None:
        eventlet.wsgi.server(
            self._socket,
            self.wsgi,
            log_output=False,
            # Probes and scrapes are small: no keep-alive threads to linger.
            keepalive=False,
            max_size=16,
        )

    def wsgi(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _answer(start, "405 Method Not Allowed", {"error": "GET only"})
        if path == "/healthz":
            return _answer(start, "200 OK", {"status": "UP", "service": self.service})
        if path == "/readyz":
            problems = self.problems()
            status = "200 OK" if not problems else "503 Service Unavailable"
            body = {
                "status": "UP" if not problems else "DOWN",
                "service": self.service,
                "problems": problems,
            }
            return _answer(start, status, body)
        if path == "/metrics":
            data, content_type = metrics.exposition()
            start("200 OK", [("Content-Type", content_type)])
            return [data]
        return _answer(start, "404 Not Found", {"error": f"no page {path}"})


def _answer(start: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    start(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]
