"""Replicas benchmark (by hand: `.venv/bin/python -m bench.bench_replicas`).

Webhooks end to end (`bench.bench_webhooks`' flow: a signed
`checkout.session.completed` POSTed to the gateway until the member's ACTIVE
event is on the broker) with one and with two replicas of `payments` and
`members`, on the same scratch vhost and databases, in the same run, each
phase beside the raw kombu confirmed publish->consume rate measured just
before it. Phases go 1, 2, 2, 1, ... (`--rounds` pairs) so that the machine's
drift falls on both sides. One gateway throughout (wrk posts to one address).

Each phase first drives `--warmup` webhooks untimed (a replica just started
is cold), prepares its own members, invoices and checkout sessions (not
timed), then clocks the first POST to the last member ACTIVE, and reads the
CPU each process (and PostgreSQL's backends, and RabbitMQ) used per webhook:
from those, what more cores should give (printed last; docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from bench.bench_webhooks import SECRET, ActiveWatcher, Poster, prepare
from bench.support import (
    Latency,
    cpu_seconds,
    cpu_seconds_of,
    machine,
    platform_pids,
    raw_kombu_rate,
    scratch_databases,
    scratch_vhost,
    summarize,
)
from common.migrate import upgrade
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.support.platform import Platform

SCALED = ("members", "payments")


@dataclass
class Phase:
    replicas: int
    raw: float
    latency: Latency
    cpu_ms: dict[str, float]  # per webhook, by process kind (replicas summed)
    commits: dict[str, float]  # transactions per webhook, by service database

    def row(self) -> str:
        rate = self.latency.per_second
        return (
            f"| {self.replicas} | {self.raw:,.0f} | {rate:,.1f} | "
            f"{rate / self.raw:.3f} | {self.latency.p50_ms:,.0f} | "
            f"{self.latency.p99_ms:,.0f} | {sum(self.cpu_ms.values()):.1f} |"
        )


def kind(name: str) -> str:
    """`members-2` -> `members`: a process's service (or command)."""
    head, _, tail = name.rpartition("-")
    return head if head and tail.isdigit() else name


def commits(urls: dict[str, str]) -> dict[str, int]:
    """Transactions committed so far in each service's database (the view
    covers every database: any of them answers for all)."""
    names = {make_url(url).database: service for service, url in urls.items()}
    engine = create_engine(next(iter(urls.values())), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT datname, xact_commit FROM pg_stat_database"
                    " WHERE datname = ANY(:names)"
                ),
                {"names": list(names)},
            )
            return {names[name]: count for name, count in rows}
    finally:
        engine.dispose()


def settled_commits(urls: dict[str, str]) -> dict[str, int]:
    # Backends report their counts at most once a second (PostgreSQL 15).
    time.sleep(1.5)
    return commits(urls)


def drive(
    uri: str, gateway: str, items: list[Any], clients: int
) -> tuple[dict[str, float], dict[str, float]]:
    """POST every item's webhook; when each was posted, and when each member
    turned ACTIVE (by member id)."""
    watcher = ActiveWatcher(uri)
    watcher.start()
    poster = Poster(gateway, items, clients)
    deadline = time.monotonic() + 300
    while len(watcher.active_at) < len(items) and time.monotonic() < deadline:
        time.sleep(0.05)
    watcher.stop()
    posted, _answered_at = poster.finish()
    return posted, watcher.active_at


def run_phase(
    platform: Platform,
    uri: str,
    urls: dict[str, str],
    gateway: str,
    replicas: int,
    args: argparse.Namespace,
) -> Phase:
    for service in SCALED:
        for extra in range(replicas + 1, 3):
            name = f"{service}-{extra}"
            if name in platform.processes:
                platform.stop(name)
    platform.start(*SCALED, replicas=replicas)
    # Untimed, every phase alike: replicas just started are cold (empty
    # statement caches, new database backends), which a timed phase would
    # count against them.
    if args.warmup:
        drive(uri, gateway, prepare(uri, args.warmup, args.setup_workers), args.clients)
    items = prepare(uri, args.webhooks, args.setup_workers)
    raw = raw_kombu_rate(uri, args.raw)
    pids = platform_pids(platform)
    commits_before = settled_commits(urls)
    cpu_before = cpu_seconds(pids) | cpu_seconds_of()
    posted, active_at = drive(uri, gateway, items, args.clients)
    cpu_after = cpu_seconds(pids) | cpu_seconds_of()
    commits_after = settled_commits(urls)
    done = [m for m in posted if m in active_at]
    assert len(done) == len(items), f"only {len(done)} of {len(items)} became ACTIVE"
    start = min(posted.values())
    end_to_end = max(active_at[m] for m in done) - start
    latency = summarize([active_at[m] - posted[m] for m in done], end_to_end)
    cpu_ms: dict[str, float] = defaultdict(float)
    for name in cpu_after:
        cpu_ms[kind(name)] += (cpu_after[name] - cpu_before[name]) / len(items) * 1e3
    per_webhook = {
        service: (commits_after[service] - commits_before[service]) / len(items)
        for service in SCALED
    }
    phase = Phase(replicas, raw, latency, dict(cpu_ms), per_webhook)
    print(phase.row(), flush=True)
    return phase


def projection(phases: list[Phase], cores: tuple[int, ...] = (2, 4, 8, 16)) -> str:
    """What more cores should give, from the CPU per webhook of the
    two-replica phases: bounded by all the CPU a webhook takes over the
    cores, and by each Python process's one core (its GIL) times its
    replicas. RabbitMQ and PostgreSQL are counted as if they spread."""
    two = [p for p in phases if p.replicas == 2] or phases
    ms: dict[str, float] = defaultdict(float)
    for phase in two:
        for name, value in phase.cpu_ms.items():
            ms[name] += value / len(two)
    lines = ["CPU ms per webhook: " + ", ".join(f"{n} {v:.2f}" for n, v in ms.items())]
    total = sum(ms.values())
    for count in cores:
        bounds = {"all CPU": count * 1000 / total}
        for name in (*SCALED, "gateway"):
            # As many replicas as cores, for the scaled services and the gateway.
            bounds[f"{name} x{count}"] = count * 1000 / ms[name]
        limit = min(bounds, key=lambda b: bounds[b])
        lines.append(
            f"{count} cores, {count} replicas of members, payments and the "
            f"gateway: <= {bounds[limit]:,.0f} webhooks/s (bound: {limit})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=1500, help="per phase")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of phases")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--setup-workers", type=int, default=8)
    parser.add_argument("--raw", type=int, default=3000, help="raw kombu messages")
    parser.add_argument(
        "--warmup", type=int, default=300, help="untimed webhooks per phase"
    )
    args = parser.parse_args()
    services = ["members", "partnerships", "grants", "payments"]
    phases: list[Phase] = []
    with scratch_vhost() as uri, scratch_databases(services) as urls:
        for service in SCALED:
            upgrade(service, urls[service])
        platform = Platform(uri, urls, Path(tempfile.mkdtemp(prefix="bench-rep-")))
        stripe_port = free_port()
        try:
            gateway = platform.start_gateway()
            devstripe = start_devstripe(
                stripe_port, f"{gateway}/webhooks/stripe", SECRET, platform.workdir
            )
            wait_ready(stripe_port, proc=devstripe)
            platform.env.update(
                STRIPE_API_BASE=f"http://127.0.0.1:{stripe_port}",
                STRIPE_API_KEY="sk_test_bench",
                STRIPE_WEBHOOK_SECRET=SECRET,
            )
            print(
                "| replicas of members and payments | raw kombu msg/s | "
                "webhooks/s | of raw | p50 ms | p99 ms | CPU ms/webhook |"
            )
            print("|---|---|---|---|---|---|---|")
            for round_ in range(args.rounds):
                order = (1, 2) if round_ % 2 == 0 else (2, 1)
                for replicas in order:
                    phases.append(
                        run_phase(platform, uri, urls, gateway, replicas, args)
                    )
        finally:
            platform.shutdown()
            with suppress(NameError):
                stop_devstripe(devstripe)
    kinds = sorted({k for p in phases for k in p.cpu_ms})
    print("\nCPU ms per webhook by process (replicas summed), and transactions")
    print("per webhook in each scaled service's database:\n")
    heads = [*kinds, *(f"{s} commits" for s in SCALED)]
    print("| replicas | " + " | ".join(heads) + " |")
    print("|---" * (len(heads) + 1) + "|")
    for p in phases:
        cells = [f"{p.cpu_ms.get(k, 0.0):.2f}" for k in kinds]
        cells += [f"{p.commits[s]:.2f}" for s in SCALED]
        print(f"| {p.replicas} | {' | '.join(cells)} |")
    print(f"\nMachine: {machine()}")
    for replicas in (1, 2):
        mine = [p for p in phases if p.replicas == replicas]
        rate = sum(p.latency.per_second / p.raw for p in mine) / len(mine)
        absolute = sum(p.latency.per_second for p in mine) / len(mine)
        print(
            f"{replicas} replica(s): mean {rate:.3f} of raw kombu, "
            f"{absolute:,.1f} webhooks/s"
        )
    print(projection(phases))


if __name__ == "__main__":
    main()
