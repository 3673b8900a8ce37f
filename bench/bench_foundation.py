"""Foundation benchmark (run by hand: `.venv/bin/python -m bench.bench_foundation`).

Measures in one run, on a scratch vhost and scratch PostgreSQL databases:
1. raw kombu confirmed publish -> consume, messages/s (the baseline);
2. outbox -> relay -> retrying idempotent nameko handler, events/s, through
   the shared package (events already committed; the clock runs from relay
   start to the last event recorded by the handler);
3. the gateway: `{ __typename }` and `{ health { status } }` requests/s, p50
   and p99 at 10 concurrent clients.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import MetaData, create_engine, func, select

from bench import event_sink
from bench.support import (
    http_load,
    machine,
    raw_kombu_rate,
    scratch_databases,
    scratch_vhost,
)
from common.db import infrastructure_tables, make_session_factory
from common.relay import OutboxRelay
from common.uow import UnitOfWork
from tests.support.platform import Platform, Process
from tests.support.wait import wait_until


def outbox_rate(platform: Platform, urls: dict[str, str], count: int) -> float:
    source_meta = MetaData()
    outbox, processed = infrastructure_tables(source_meta)
    source = create_engine(urls["benchsrc"])
    source_meta.create_all(source)
    sessions = make_session_factory(source)
    for start in range(0, count, 100):
        with UnitOfWork(sessions, "benchsrc", outbox, processed) as uow:
            for _ in range(min(100, count - start)):
                uow.emit("tick", {"pad": "x" * 200})
            uow.commit()
    sink = create_engine(urls["sink"])
    relay = OutboxRelay(sessions, outbox, platform.amqp_uri, batch_size=500)
    begin = time.perf_counter()
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    while True:
        with sink.connect() as conn:
            done = conn.execute(select(func.count()).select_from(event_sink.ticks))
            if done.scalar_one() >= count:
                break
        time.sleep(0.02)
    elapsed = time.perf_counter() - begin
    relay.stop()
    thread.join(10)
    return count / elapsed


def start_sinks(platform: Platform, url: str, instances: int) -> None:
    """Instances of one service share its handler's queue, as a scaled one would."""
    for i in range(instances):
        argv = [sys.executable, "-m", "common.runner", "bench.event_sink:Sink"]
        env = {**platform.env, "SINK_DATABASE_URL": url}
        proc = Process(f"sink{i}", argv, env, platform.logs)
        platform.processes[proc.name] = proc
        proc.start()
    wait_until(
        lambda: platform.rpc("sink", "health", timeout=2),
        timeout=60,
        message="sink up",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--consumers", type=int, default=1)
    args = parser.parse_args()
    with (
        scratch_vhost() as uri,
        scratch_databases(
            ["benchsrc", "sink", "members", "partnerships", "grants", "payments"]
        ) as urls,
    ):
        from common.migrate import upgrade

        for service in ("members", "partnerships", "grants", "payments"):
            upgrade(service, urls[service])
        sink = create_engine(urls["sink"])
        event_sink.metadata.create_all(sink)
        platform = Platform(uri, urls, Path(tempfile.mkdtemp(prefix="bench-")))
        try:
            start_sinks(platform, urls["sink"], args.consumers)
            raw = raw_kombu_rate(uri, args.events)
            outbox = outbox_rate(platform, urls, args.events)
            platform.start("members", "partnerships", "grants", "payments")
            url = platform.start_gateway() + "/graphql"
            typename = asyncio.run(
                http_load(url, {"query": "{ __typename }"}, requests=args.requests)
            )
            health = asyncio.run(
                http_load(
                    url, {"query": "{ health { status } }"}, requests=args.requests
                )
            )
        finally:
            platform.shutdown()
    print(f"\nMachine: {machine()}")
    print(f"raw kombu confirmed publish->consume: {raw:,.0f} msg/s")
    print(
        f"outbox -> relay -> handler: {outbox:,.0f} events/s "
        f"({outbox / raw:.2f} of raw)"
    )
    print("| query | req/s | p50 ms | p99 ms | requests |")
    print("|---|---|---|---|---|")
    print(typename.row("{ __typename }"))
    print(health.row("{ health { status } }"))


if __name__ == "__main__":
    main()
