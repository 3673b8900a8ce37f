"""What the replica tests do and read: members registering (through both
gateways in turn) and paying through the offline Stripe, every event the
relays publish as a tap on the broker sees it, and each process's /metrics."""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import httpx
from kombu import Connection, Consumer, Queue
from prometheus_client.parser import text_string_to_metric_families

from common import amqp, config
from common.deadletters import DeadLetter, list_dead_letters
from tests.chaos.rabbit_node import RabbitNode
from tests.chaos.world import ChaosWorld, Journey
from tests.support.platform import Platform, Process

REPLICAS = 2
PROCESSES = (*config.SERVICES, "gateway")


@dataclass(frozen=True)
class _Broker:
    """What ChaosWorld reads of its broker node: its address."""

    amqp_uri: str


class EventTap:
    """Every event published on the services' exchanges, by event id: a
    queue of the test's own bound to each exchange with `#`."""

    def __init__(self, amqp_uri: str) -> None:
        self.amqp_uri = amqp_uri
        self.seen: Counter[str] = Counter()
        self.types: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(30):
            raise AssertionError("the event tap did not start")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        with Connection(self.amqp_uri) as conn:
            channel = conn.channel()
            queues = []
            for service in config.SERVICES:
                exchange = amqp.event_exchange(service)(channel)
                exchange.declare()
                queues.append(
                    Queue(
                        f"tap-{service}-{id(self)}",
                        exchange=exchange,
                        routing_key="#",
                        exclusive=True,
                        auto_delete=True,
                    )
                )
            with Consumer(channel, queues, callbacks=[self._on], no_ack=True):
                self._ready.set()
                while not self._stop.is_set():
                    try:
                        conn.drain_events(timeout=0.5)
                    except TimeoutError:
                        continue

    def _on(self, body: Any, message: Any) -> None:
        envelope = body if isinstance(body, dict) else json.loads(body)
        with self._lock:
            self.seen[str(envelope.get("event_id"))] += 1
            self.types[str(envelope.get("type"))] += 1

    def doubled(self) -> dict[str, int]:
        with self._lock:
            return {key: n for key, n in self.seen.items() if n > 1}

    def total(self) -> int:
        with self._lock:
            return sum(self.seen.values())


class ReplicaWorld(ChaosWorld):
    def __init__(self, platform: Platform, stripe_base: str) -> None:
        broker = cast(RabbitNode, _Broker(platform.amqp_uri))
        super().__init__(platform, broker, stripe_base)
        self._gateways = itertools.cycle(platform.gateway_urls)
        self._turn = threading.Lock()
        self.events: EventTap | None = None

    @contextmanager
    def tap(self) -> Iterator[EventTap]:
        self.events = EventTap(self.platform.amqp_uri)
        self.events.start()
        try:
            yield self.events
        finally:
            self.events.stop()

    # --- clients: each request to the next running gateway -----------------------

    def next_gateway(self) -> str:
        with self._turn:
            for _ in self.platform.gateway_urls:
                url = next(self._gateways)
                owner = [
                    p for p in self.platform.replicas("gateway") if p.http_url == url
                ]
                if owner and owner[0].running:
                    return url
        raise AssertionError("no gateway running")

    def stream(
        self,
        journeys: list[Journey],
        pay: Callable[[Journey], bool] = lambda _j: True,
        threads: int = 8,
    ) -> None:
        """Each journey registered and checked out, then paid if `pay` says
        so, `threads` at a time."""

        def one(journey: Journey) -> None:
            self.register(journey)
            if pay(journey):
                self.check_out(journey)
                self.pay(journey)

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, journeys))

    # --- what happened ----------------------------------------------------------

    def dead_letters(self) -> list[DeadLetter]:
        return [
            letter
            for service in config.SERVICES
            for letter in list_dead_letters(service, self.platform.amqp_uri)
        ]

    def processed_counts(self, event_type: str) -> dict[str, int]:
        """Per consumer: how many `event_type` events its service recorded."""
        found: dict[str, int] = {}
        for service in config.SERVICES:
            for consumer, count in self.rows(
                service,
                "SELECT consumer, count(*) FROM processed_events "
                "WHERE event_type = :t GROUP BY consumer",
                t=event_type,
            ):
                found[f"{service}:{consumer}"] = int(count)
        return found

    def outbox_count(self, service: str, event_type: str) -> int:
        return int(
            self.rows(
                service,
                "SELECT count(*) FROM outbox WHERE event_type = :t",
                t=event_type,
            )[0][0]
        )

    def metrics(
        self, proc: Process
    ) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """A process's /metrics: sample (name, sorted labels) -> value."""
        text = httpx.get(f"{proc.http_url}/metrics", timeout=10).text
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }


def sample(
    page: dict[tuple[str, tuple[tuple[str, str], ...]], float],
    name: str,
    **labels: str,
) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(
        value
        for (each, found), value in page.items()
        if each == name and wanted <= set(found)
    )
