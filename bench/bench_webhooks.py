"""Payments benchmark (by hand: `.venv/bin/python -m bench.bench_webhooks`).

Sustained signed Stripe webhooks, from the POST to the gateway's
`/webhooks/stripe` until the member is ACTIVE (members' own
`membership_status_changed` event, read off the broker), beside the raw kombu
confirmed publish->consume rate measured in the same run.

Setup (not timed): a scratch vhost and scratch PostgreSQL databases, members,
payments, the gateway and devstripe as real processes; N members registered
with an open dues invoice and a checkout session each (through payments, so
each payment is PENDING exactly as in production). Then `--clients`
concurrent HTTP clients post one signed `checkout.session.completed` per
payment, as Stripe would, and the clock runs from the first POST to the last
member ACTIVE. Latency per webhook: its POST until its member's ACTIVE event.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

from kombu import Connection, Consumer, Exchange, Queue
from nameko.standalone.rpc import ClusterRpcProxy

from bench.support import (
    cpu_seconds,
    cpu_seconds_of,
    machine,
    platform_pids,
    raw_kombu_rate,
    scratch_databases,
    scratch_vhost,
    spread,
    summarize,
    wrk_path,
)
from common.identity import Identity
from common.migrate import upgrade
from devstripe.testing import free_port, start_devstripe, stop_devstripe, wait_ready
from tests.support.platform import Platform, Process

SECRET = "whsec_bench"
STAFF = Identity(sub="bench", role="staff")
BANDS = [
    {"min_population": low, "max_population": high, "amount_cents": cents}
    for (low, high), cents in (
        ((1, 25_000), 10_000),
        ((25_001, 50_000), 20_000),
        ((50_001, 100_000), 30_000),
        ((100_001, 300_000), 40_000),
        ((300_001, 500_000), 50_000),
        ((500_001, None), 60_000),
    )
]


def sign(payload: bytes) -> str:
    ts = int(time.time())
    mac = hmac.new(SECRET.encode(), str(ts).encode() + b"." + payload, hashlib.sha256)
    return f"t={ts},v1={mac.hexdigest()}"


def completed_event(invoice: dict[str, Any], checkout: dict[str, Any]) -> bytes:
    """What Stripe sends when the payer paid (devstripe's shape)."""
    event = {
        "id": f"evt_bench_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": checkout["checkout_session_id"],
                "object": "checkout.session",
                "amount_total": invoice["amount_cents"],
                "currency": invoice["currency"].lower(),
                "client_reference_id": invoice["invoice_id"],
                "metadata": {
                    "payment_id": checkout["payment_id"],
                    "invoice_id": invoice["invoice_id"],
                    "member_id": invoice["member_id"],
                    "purpose": "DUES",
                },
                "payment_intent": f"pi_bench_{uuid.uuid4().hex[:14]}",
                "payment_status": "paid",
                "status": "complete",
                "customer_details": {"email": "bench@example.org"},
                "expires_at": int(time.time()) + 3600,
                "url": None,
            }
        },
    }
    return json.dumps(event).encode()


def prepare(
    uri: str, count: int, workers: int
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """N members with an open invoice and a PENDING payment each."""
    context = {"identity": STAFF.to_header()}
    with ClusterRpcProxy({"AMQP_URI": uri}, timeout=30, context_data=context) as rpc:
        year = date.fromisoformat(rpc.members.get_clock()["today"]).year
        if rpc.members.get_dues_schedule(year) is None:
            rpc.members.set_dues_schedule(year, BANDS)
    local = threading.local()

    def one(i: int) -> tuple[dict[str, Any], dict[str, Any]]:
        if not hasattr(local, "rpc"):
            local.cluster = ClusterRpcProxy(
                {"AMQP_URI": uri}, timeout=30, context_data=context
            )
            local.rpc = local.cluster.__enter__()
        member = local.rpc.members.register_member(
            {
                "name": f"Benchville {i} {uuid.uuid4().hex[:6]}",
                "kind": "CITY",
                "state": "OH",
                "population": 10_000 + i,
                "contact_email": "clerk@bench.example",
            }
        )
        (invoices,) = local.rpc.members.member_invoices([member["member_id"]])
        invoice = next(i for i in invoices if i["status"] == "OPEN")
        checkout = local.rpc.payments.create_dues_checkout(
            invoice["invoice_id"],
            "https://bench.example/ok",
            "https://bench.example/cancel",
        )
        return invoice, checkout

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(count)))


class ActiveWatcher:
    """Records when each member's ACTIVE status event reaches the broker."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.active_at: dict[str, float] = {}
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        exchange = Exchange("members.events", type="topic", durable=True)
        queue = Queue(
            f"bench-active-{uuid.uuid4().hex[:6]}",
            exchange,
            routing_key="membership_status_changed",
            auto_delete=True,
        )

        def on_message(body: Any, message: Any) -> None:
            payload = body["payload"] if isinstance(body, dict) else {}
            if payload.get("new_status") == "ACTIVE":
                self.active_at.setdefault(payload["member_id"], time.perf_counter())

        with (
            Connection(self.uri) as conn,
            # No acks: the watcher shares the two cores with what it measures.
            Consumer(conn.channel(), [queue], callbacks=[on_message], no_ack=True),
        ):
            self._ready.set()
            while not self._stop.is_set():
                with suppress(TimeoutError):
                    conn.drain_events(timeout=0.5)


WEBHOOK_SCRIPT = Path(__file__).with_name("webhook_load.lua")


class Poster:
    """Every webhook POSTed once over `clients` connections by wrk, which keeps
    each sent time (time.perf_counter's clock). Signed just before: Stripe's
    tolerance is 300 s."""

    def __init__(
        self, url: str, items: list[tuple[dict[str, Any], dict[str, Any]]], clients: int
    ) -> None:
        wrk = wrk_path()
        self.items = items
        self.dir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
        webhooks, self.times = self.dir / "webhooks.tsv", self.dir / "times.txt"
        lines = []
        for invoice, checkout in items:
            body = completed_event(invoice, checkout)
            lines.append(f"{sign(body)}\t{body.decode()}\n")
        webhooks.write_text("".join(lines))
        env = {**os.environ, "WEBHOOKS": str(webhooks), "TIMES": str(self.times)}
        command = [wrk, "-t1", f"-c{clients}", "-d3600s", "--timeout", "60s"]
        command += ["-s", str(WEBHOOK_SCRIPT), url]
        self.wrk = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def finish(self) -> tuple[dict[str, float], float]:
        """Stop wrk; member -> POST time, and when the last POST was answered."""
        self.wrk.send_signal(signal.SIGINT)
        out, _ = self.wrk.communicate(timeout=30)
        found = re.search(
            r"RESULT answered=(\d+) failed=(\d+) finished_at=([\d.]+)", out
        )
        assert found, out
        assert found.group(1, 2) == (str(len(self.items)), "0"), out
        sent = dict(line.split() for line in self.times.read_text().splitlines())
        shutil.rmtree(self.dir)
        posted = {
            invoice["member_id"]: float(sent[str(i)])
            for i, (invoice, _) in enumerate(self.items, start=1)
        }
        return posted, float(found.group(3))


def one_load(
    platform: Platform, uri: str, gateway: str, args: Any
) -> tuple[float, dict[str, float]]:
    """Webhooks/s from the first POST to the last member ACTIVE, and CPU ms
    per webhook of each process."""
    items = prepare(uri, args.webhooks, args.setup_workers)
    watcher = ActiveWatcher(uri)
    watcher.start()
    before = cpu_seconds(platform_pids(platform)) | cpu_seconds_of()
    poster = Poster(gateway, items, args.clients)
    deadline = time.monotonic() + 300
    while len(watcher.active_at) < len(items) and time.monotonic() < deadline:
        time.sleep(0.05)
    watcher.stop()
    posted, _ = poster.finish()
    after = cpu_seconds(platform_pids(platform)) | cpu_seconds_of()
    done = [m for m in posted if m in watcher.active_at]
    assert len(done) == len(items), f"only {len(done)} of {len(items)} became ACTIVE"
    wall = max(watcher.active_at[m] for m in done) - min(posted.values())
    used = {n: (after[n] - before[n]) / len(items) * 1e3 for n in after}
    return len(items) / wall, used


def compare_writes_together(
    platform: Platform,
    uri: str,
    gateway: str,
    args: Any,
    members_env: dict[str, str],
    payments_env: dict[str, str],
) -> None:
    name = "psycopg2.writes_together"
    runs: dict[str, list[tuple[float, dict[str, float]]]] = {"": [], name: []}
    for round_ in range(1, args.compare_fastpaths + 1):
        for off in runs:
            platform.restart("members", env={**members_env, "FASTPATHS_OFF": off})
            platform.restart("payments", env={**payments_env, "FASTPATHS_OFF": off})
            rate, used = one_load(platform, uri, gateway, args)
            runs[off].append((rate, used))
            cpu = ", ".join(f"{n} {ms:.2f}" for n, ms in used.items())
            print(
                f"round {round_} {off or 'all on'}: {rate:,.1f} webhooks/s end to "
                f"end, CPU ms per webhook: {cpu}",
                flush=True,
            )
    print(f"\nMachine: {machine()}")
    print(f"{args.webhooks} webhooks a run, {args.clients} clients")
    on, off_runs = runs[""], runs[name]
    faster = [a[0] / b[0] - 1 for a, b in zip(on, off_runs, strict=True)]
    saved = {
        n: [1 - a[1][n] / b[1][n] for a, b in zip(on, off_runs, strict=True)]
        for n in ("payments", "members", "postgres")
    }
    print(f"{name}: webhooks/s {spread(faster)} faster with it")
    for n, values in saved.items():
        print(f"{name}: {n} CPU per webhook {spread(values)} saved")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=600)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--setup-workers", type=int, default=8)
    parser.add_argument("--raw", type=int, default=3000, help="raw kombu messages")
    parser.add_argument("--log-level", default="INFO", help="of the payments service")
    parser.add_argument(
        "--max-workers",
        type=int,
        help="nameko workers of members and payments (default: the runner's 20)",
    )
    parser.add_argument("--profile-payments", metavar="PATH", help="cProfile stats")
    parser.add_argument(
        "--compare-fastpaths",
        type=int,
        metavar="ROUNDS",
        default=0,
        help="instead: --webhooks with psycopg2.writes_together on, then off "
        "(members and payments restarted), ROUNDS times",
    )
    args = parser.parse_args()
    services = ["members", "partnerships", "grants", "payments"]
    with scratch_vhost() as uri, scratch_databases(services) as urls:
        for service in ("members", "payments"):
            upgrade(service, urls[service])
        platform = Platform(uri, urls, Path(tempfile.mkdtemp(prefix="bench-pay-")))
        stripe_port = free_port()
        try:
            gateway = platform.start_gateway()
            devstripe = start_devstripe(
                stripe_port, f"{gateway}/webhooks/stripe", SECRET, platform.workdir
            )
            wait_ready(stripe_port, proc=devstripe)
            workers = {"MAX_WORKERS": str(args.max_workers)} if args.max_workers else {}
            platform.start("members", env=workers)
            payments_env = {
                **workers,
                "STRIPE_API_BASE": f"http://127.0.0.1:{stripe_port}",
                "STRIPE_API_KEY": "sk_test_bench",
                "STRIPE_WEBHOOK_SECRET": SECRET,
                "LOG_LEVEL": args.log_level,
            }
            if args.profile_payments:
                # cProfile around the service process (stats written on stop).
                argv = [sys.executable, "-m", "cProfile", "-o"]
                argv += [args.profile_payments, "-m", "common.runner", "payments"]
                proc = Process(
                    "payments", argv, {**platform.env, **payments_env}, platform.logs
                )
                platform.processes["payments"] = proc
                proc.start()
                platform.wait_healthy("payments")
            else:
                platform.start("payments", env=payments_env)
            if args.compare_fastpaths:
                compare_writes_together(
                    platform, uri, gateway, args, {**workers}, payments_env
                )
                return
            print(f"preparing {args.webhooks} members, invoices and checkouts ...")
            items = prepare(uri, args.webhooks, args.setup_workers)
            raw = raw_kombu_rate(uri, args.raw)
            watcher = ActiveWatcher(uri)
            watcher.start()
            cpu_before = cpu_seconds(platform_pids(platform)) | cpu_seconds_of()
            poster = Poster(gateway, items, args.clients)
            deadline = time.monotonic() + 300
            while len(watcher.active_at) < len(items) and time.monotonic() < deadline:
                time.sleep(0.05)
            watcher.stop()
            posted, answered_at = poster.finish()
            start = min(posted.values())  # the first POST
            posting = answered_at - start
            cpu_after = cpu_seconds(platform_pids(platform)) | cpu_seconds_of()
        finally:
            platform.shutdown()
            with suppress(NameError):
                stop_devstripe(devstripe)
    done = [m for m in posted if m in watcher.active_at]
    assert len(done) == len(items), f"only {len(done)} of {len(items)} became ACTIVE"
    end_to_end = max(watcher.active_at[m] for m in done) - start
    latency = summarize([watcher.active_at[m] - posted[m] for m in done], end_to_end)
    print(f"\nMachine: {machine()}")
    print(f"raw kombu confirmed publish->consume: {raw:,.0f} msg/s")
    print(
        f"webhooks accepted (2xx) at {len(items) / posting:,.0f}/s "
        f"({args.clients} clients)"
    )
    print(
        f"POST -> member ACTIVE: {latency.per_second:,.0f} webhooks/s, "
        f"p50 {latency.p50_ms:.0f} ms, p99 {latency.p99_ms:.0f} ms "
        f"over {latency.count} ({latency.per_second / raw:.2f} of raw kombu)"
    )
    used = {n: (cpu_after[n] - cpu_before[n]) / len(items) * 1e3 for n in cpu_after}
    cpu = ", ".join(f"{name} {ms:.2f}" for name, ms in used.items())
    print(f"CPU ms per webhook: {cpu}; all {sum(used.values()):.2f}")


if __name__ == "__main__":
    main()
