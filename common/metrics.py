"""Prometheus metrics of every process, in the process's default registry.

Each process (a service, the gateway) serves them at `/metrics` in the
prometheus-client text format. Labels are bounded: a service's own method and
event names (its code's), outcomes from fixed sets, and GraphQL operation
names capped by `OperationNames` (a client chooses those).

The outbox backlog is not counted as it changes: `OutboxBacklog` asks each
live service's database when scraped (one indexed query per service).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Table, func, select
from sqlalchemy.engine import Engine

from common.correlation import REFUSALS
from common.errors import DomainError

log = logging.getLogger(__name__)

# No `_created` series beside every counter: twice the lines, for nothing
# a rate() needs.
disable_created_metrics()

# Latency buckets (seconds): from a cached read (~2 ms) to an RPC timeout.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

RPC_REQUESTS = Counter(
    "rpc_requests", "RPC calls handled, by service and method", ["service", "method"]
)
RPC_ERRORS = Counter(
    "rpc_errors",
    "RPC calls that raised, by service, method and kind "
    "(refused: the caller's input; failed: the service's fault)",
    ["service", "method", "kind"],
)
RPC_LATENCY = Histogram(
    "rpc_duration_seconds",
    "Time to handle an RPC call in the service",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_HANDLED = Counter(
    "events_handled",
    "Events handled by a service's handlers, by event type and outcome "
    "(ok, or failed: retried or parked after)",
    ["service", "event_type", "outcome"],
)
EVENTS_RETRIED = Counter(
    "events_retried",
    "Failed events sent to a retry-delay queue",
    ["service", "event_type"],
)
EVENTS_DEAD_LETTERED = Counter(
    "events_dead_lettered",
    "Events parked in the service's dead-letter queue",
    ["service", "event_type"],
)
RELAY_PUBLISHED = Counter(
    "outbox_relay_published",
    "Outbox events this process's relay published (the broker confirmed "
    "them), by producing service",
    ["service"],
)
GRAPHQL_REQUESTS = Counter(
    "graphql_operations",
    "GraphQL operations executed by the gateway, by operation name and type",
    ["operation", "type"],
)
GRAPHQL_ERRORS = Counter(
    "graphql_operation_errors",
    "GraphQL operations whose result carried errors",
    ["operation", "type"],
)
GRAPHQL_LATENCY = Histogram(
    "graphql_operation_duration_seconds",
    "Time to execute a GraphQL operation in the gateway",
    ["operation", "type"],
    buckets=LATENCY_BUCKETS,
)
WEBHOOKS = Counter(
    "webhooks",
    "Stripe webhooks by where they were counted (gateway: its HTTP answer; "
    "payments: what the service did with the event) and outcome",
    ["component", "outcome"],
)

ANONYMOUS_OPERATION = "anonymous"
OTHER_OPERATION = "other"
_GRAPHQL_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")


class OperationNames:
    """Bounded labels for client-chosen GraphQL operation names: a named
    operation keeps its name until `cap` names were seen, later new names
    count as "other"; an unnamed one is "anonymous"."""

    def __init__(self, cap: int = 200) -> None:
        self.cap = cap
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS_OPERATION
        if not _GRAPHQL_NAME.match(name):
            return OTHER_OPERATION
        if name in self._seen:
            return name
        with self._lock:
            if len(self._seen) >= self.cap:
                return OTHER_OPERATION
            self._seen.add(name)
        return name


def error_kind(exc: BaseException | None) -> str:
    """`refused` for a caller's error (`common.correlation.REFUSALS`), else
    `failed`."""
    if isinstance(exc, DomainError) and exc.code in REFUSALS:
        return "refused"
    return "failed"


def webhook_outcome(reply: Any) -> str:
    """What the payments service did with a webhook, from its reply:
    `duplicate`, or the outcome it recorded (APPLIED, STALE, ...), lower case."""
    if not isinstance(reply, dict):
        return "unknown"
    if reply.get("duplicate"):
        return "duplicate"
    outcome = reply.get("outcome")
    return str(outcome).lower() if isinstance(outcome, str) else "unknown"


def webhook_error_outcome(exc: BaseException) -> str:
    """A webhook that raised: its error code (a fixed set), lower case."""
    code = exc.code if isinstance(exc, DomainError) else "INTERNAL"
    return code.lower()


@dataclass(frozen=True)
class Backlog:
    unpublished: int
    oldest_age_seconds: float


def outbox_backlog(engine: Engine, outbox: Table, now: datetime) -> Backlog:
    """How many outbox rows wait to be published, and how long the oldest
    has waited: one query on the relay's partial index of unpublished rows."""
    query = select(func.count(), func.min(outbox.c.created_at)).where(
        outbox.c.published_at.is_(None)
    )
    with engine.connect() as conn:
        count, oldest = conn.execute(query).one()
    if oldest is None:
        return Backlog(int(count), 0.0)
    if oldest.tzinfo is None:  # SQLite gives naive datetimes, written in UTC
        oldest = oldest.replace(tzinfo=UTC)
    return Backlog(int(count), max(0.0, (now - oldest).total_seconds()))


class OutboxBacklog(Collector):
    """The outbox backlog of every service running in this process, measured
    when scraped. A database that does not answer leaves its service out of
    that scrape (and /readyz says why)."""

    def __init__(self) -> None:
        self._sources: dict[int, tuple[str, Callable[[], Backlog]]] = {}
        self._lock = threading.Lock()

    def add(self, service: str, measure: Callable[[], Backlog]) -> int:
        with self._lock:
            key = id(measure)
            self._sources[key] = (service, measure)
        return key

    def remove(self, key: int) -> None:
        with self._lock:
            self._sources.pop(key, None)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        count = GaugeMetricFamily(
            "outbox_unpublished_events",
            "Outbox rows not yet published to the broker",
            labels=["service"],
        )
        age = GaugeMetricFamily(
            "outbox_oldest_unpublished_age_seconds",
            "Age of the oldest unpublished outbox row (0 when none waits)",
            labels=["service"],
        )
        with self._lock:
            sources = list(self._sources.values())
        for service, measure in sources:
            try:
                backlog = measure()
            except Exception as exc:
                log.warning("outbox backlog of %s not measured: %s", service, exc)
                continue
            count.add_metric([service], backlog.unpublished)
            age.add_metric([service], backlog.oldest_age_seconds)
        yield count
        yield age

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())


BACKLOG = OutboxBacklog()
REGISTRY.register(BACKLOG)


def exposition() -> tuple[bytes, str]:
    """(body, content type) of /metrics."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
