"""Shared pieces of the hand-run benchmarks: a scratch vhost and databases,
latency statistics, concurrent HTTP load, and the raw kombu baseline that every
benchmark reports beside its own figure (the machine is shared and noisy, so
only ratios measured in the same run mean much)."""

from __future__ import annotations

import asyncio
import json
import platform as pyplatform
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from kombu import Connection, Consumer, Exchange, Producer, Queue

from tests.support import infra


@dataclass
class Latency:
    count: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.per_second:,.0f} | {self.p50_ms:.1f} | "
            f"{self.p99_ms:.1f} | {self.count} |"
        )


def summarize(samples: list[float], seconds: float) -> Latency:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Latency(len(samples), seconds, statistics.median(ordered) * 1e3, p99 * 1e3)


def machine() -> str:
    import os

    return (
        f"{pyplatform.node()} ({os.cpu_count()} cores, {pyplatform.machine()}, "
        f"Python {pyplatform.python_version()}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


@contextmanager
def scratch_vhost() -> Iterator[str]:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    uri = infra.create_vhost(name)
    try:
        yield uri
    finally:
        infra.delete_vhost(name)


@contextmanager
def scratch_databases(names: list[str]) -> Iterator[dict[str, str]]:
    tag = uuid.uuid4().hex[:8]
    urls = {n: infra.create_database(f"bench_{tag}_{n}") for n in names}
    try:
        yield urls
    finally:
        for n in names:
            infra.drop_database(f"bench_{tag}_{n}")


def raw_kombu_rate(uri: str, count: int = 3000, body_size: int = 222) -> float:
    """Confirmed publish -> consume, messages/s: the baseline of every benchmark.

    Each message is a persistent JSON body of `body_size` bytes (pass the size
    of the messages being compared, so both sides move the same bytes).
    """
    pad = "x" * max(0, body_size - len(json.dumps({"n": 0, "pad": ""})))
    exchange = Exchange("bench.raw", type="topic", durable=True)
    queue = Queue(
        f"bench-raw-{uuid.uuid4().hex[:6]}", exchange, routing_key="x", auto_delete=True
    )
    got = 0
    done = threading.Event()

    def consume() -> None:
        nonlocal got
        with Connection(uri) as conn:

            def on_message(body: Any, message: Any) -> None:
                nonlocal got
                message.ack()
                got += 1
                if got >= count:
                    done.set()

            with Consumer(
                conn.channel(), [queue], callbacks=[on_message], prefetch_count=100
            ):
                ready.set()
                while not done.is_set():
                    with suppress(TimeoutError):
                        conn.drain_events(timeout=0.5)

    ready = threading.Event()
    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    ready.wait(10)
    with Connection(uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel())
        start = time.perf_counter()
        for i in range(count):
            producer.publish(
                {"n": i % 10, "pad": pad},
                exchange=exchange,
                routing_key="x",
                delivery_mode=2,
                declare=[queue] if i == 0 else [],
            )
        done.wait(120)
        elapsed = time.perf_counter() - start
    thread.join(5)
    return count / elapsed


async def http_load(
    url: str,
    body: dict[str, Any],
    clients: int = 10,
    requests: int = 2000,
    headers: dict[str, str] | None = None,
) -> Latency:
    """`clients` concurrent clients POST `body` until `requests` are answered."""
    samples: list[float] = []
    remaining = requests

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t0 = time.perf_counter()
            response = await http.post(url, json=body, headers=headers)
            response.raise_for_status()
            assert "errors" not in response.json(), response.text[:300]
            samples.append(time.perf_counter() - t0)

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await http.post(url, json=body, headers=headers)  # warm up
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return summarize(samples, elapsed)
