"""Foundation benchmark (run by hand: `.venv/bin/python -m bench.bench_foundation`).

Measures in one run, on a scratch vhost and scratch PostgreSQL databases:
1. raw kombu confirmed publish -> consume, messages/s (the baseline: persistent
   messages to a durable queue, bodies as big as the relay's envelopes);
2. outbox -> relay -> retrying idempotent nameko handler, events/s, through
   the shared package (events already committed; the clock runs from relay
   start to the last event recorded by the handler); 1 and 2 run back to back
   `--rounds` times, each pair's ratio printed, and the median;
3. the gateway: `{ __typename }` and `{ health { status } }` requests/s, p50
   and p99 at 10 concurrent clients.
"""

from __future__ import annotations

import argparse
import json
import statistics
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
    spread,
)
from common import fastpaths
from common.db import infrastructure_tables, make_session_factory
from common.envelope import Envelope
from common.relay import OutboxRelay
from common.uow import UnitOfWork
from tests.support.platform import Platform, Process
from tests.support.wait import wait_until

TICK = {"pad": "x" * 200}

# The relay's fast paths (common/fastpaths); the relay runs in this process.
FASTPATHS_COMPARED = (
    "py_amqp.frames_together",
    "py_amqp.send_method",
    "psycopg2.writes_together",
)


def outbox_rate(platform: Platform, urls: dict[str, str], count: int) -> float:
    return outbox_run(platform, urls, count)[0]


def outbox_run(
    platform: Platform, urls: dict[str, str], count: int
) -> tuple[float, float]:
    """Events/s from the relay's start to the last event recorded, and the CPU
    seconds of the relay's thread."""
    source_meta = MetaData()
    outbox, processed = infrastructure_tables(source_meta)
    source = create_engine(urls["benchsrc"])
    source_meta.create_all(source)
    sessions = make_session_factory(source)
    for start in range(0, count, 100):
        with UnitOfWork(sessions, "benchsrc", outbox, processed) as uow:
            for _ in range(min(100, count - start)):
                uow.emit("tick", TICK)
            uow.commit()
    sink = create_engine(urls["sink"])
    with sink.connect() as conn:
        already = conn.execute(select(func.count()).select_from(event_sink.ticks))
        target = already.scalar_one() + count
    relay = OutboxRelay(sessions, outbox, platform.amqp_uri, batch_size=500)
    begin = time.perf_counter()
    relay_cpu: list[float] = []

    def run() -> None:
        relay.run()
        relay_cpu.append(time.thread_time())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while True:
        with sink.connect() as conn:
            done = conn.execute(select(func.count()).select_from(event_sink.ticks))
            if done.scalar_one() >= target:
                break
        time.sleep(0.02)
    elapsed = time.perf_counter() - begin
    relay.stop()
    thread.join(10)
    sink.dispose()
    source.dispose()
    return count / elapsed, relay_cpu[0] if relay_cpu else float("nan")


def compare_relay_fastpaths(
    platform: Platform, urls: dict[str, str], events: int, rounds: int
) -> None:
    """The outbox rate and the relay thread's CPU per event, each fast path
    off in turn, `rounds` times."""
    variants = ["", *FASTPATHS_COMPARED]
    runs: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    outbox_rate(platform, urls, 500)  # warm up
    for round_ in range(1, rounds + 1):
        for off in variants:
            for name in FASTPATHS_COMPARED:
                fastpaths.switch(name, name != off)
            rate, cpu = outbox_run(platform, urls, events)
            per_event = cpu / events * 1e3
            runs[off].append((rate, per_event))
            print(
                f"round {round_} {off or 'all on'}: {rate:,.0f} events/s, "
                f"relay thread CPU ms/event {per_event:.3f}",
                flush=True,
            )
    print(f"\nMachine: {machine()}")
    print(f"{events} events a run, {rounds} rounds")
    print(
        "| fast path off | events/s, median (min-max) | relay CPU ms/event, median "
        "| gain in events/s, median (min to max) | CPU saved, median (min to max) |"
    )
    print("|---|---|---|---|---|")
    base = runs[""]
    for off in variants:
        rates = [r for r, _ in runs[off]]
        cpus = [c for _, c in runs[off]]
        if off:
            faster = [b[0] / o[0] - 1 for b, o in zip(base, runs[off], strict=True)]
            saved = [1 - b[1] / o[1] for b, o in zip(base, runs[off], strict=True)]
            gains = f"| {spread(faster)} | {spread(saved)} |"
        else:
            gains = "| - | - |"
        print(
            f"| {off or '(none: all on)'} | {statistics.median(rates):,.0f} "
            f"({min(rates):,.0f}-{max(rates):,.0f}) | {statistics.median(cpus):.3f} "
            + gains
        )


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
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--consumers", type=int, default=1)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="raw/outbox pairs, back to back (the machine is shared and noisy)",
    )
    parser.add_argument(
        "--compare-fastpaths",
        type=int,
        metavar="ROUNDS",
        default=0,
        help="instead: the outbox with all of the relay's fast paths on, then "
        "with each turned off, ROUNDS times",
    )
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
            # The baseline moves bodies as big as the relay's envelopes.
            body = json.dumps(
                Envelope(type="tick", producer="benchsrc", payload=TICK).to_dict()
            )
            if args.compare_fastpaths:
                compare_relay_fastpaths(
                    platform, urls, args.events, args.compare_fastpaths
                )
                return
            pairs = []
            for _ in range(args.rounds):
                raw = raw_kombu_rate(uri, args.events, body_size=len(body))
                pairs.append((raw, outbox_rate(platform, urls, args.events)))
            platform.start("members", "partnerships", "grants", "payments")
            url = platform.start_gateway() + "/graphql"
            typename = http_load(url, {"query": "{ __typename }"}, seconds=args.seconds)
            health = http_load(
                url, {"query": "{ health { status } }"}, seconds=args.seconds
            )
        finally:
            platform.shutdown()
    print(f"\nMachine: {machine()}")
    print(f"{args.events} messages each way, {len(body)}-byte JSON bodies, persistent")
    print(
        "| round | raw kombu confirmed publish->consume msg/s "
        "| outbox -> relay -> handler events/s | ratio |"
    )
    print("|---|---|---|---|")
    for n, (raw, outbox) in enumerate(pairs, 1):
        print(f"| {n} | {raw:,.0f} | {outbox:,.0f} | {outbox / raw:.2f} |")
    ratios = sorted(outbox / raw for raw, outbox in pairs)
    print(f"median ratio outbox/raw: {statistics.median(ratios):.2f}")
    print("| query | req/s | p50 ms | p99 ms | requests |")
    print("|---|---|---|---|---|")
    print(typename.row("{ __typename }"))
    print(health.row("{ health { status } }"))


if __name__ == "__main__":
    main()
