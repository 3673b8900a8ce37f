"""Shared pieces of the hand-run benchmarks: a scratch vhost and databases,
latency statistics, concurrent HTTP load (wrk), and the raw kombu baseline that every
benchmark reports beside its own figure (the machine is shared and noisy, so
only ratios measured in the same run mean much)."""

from __future__ import annotations

import json
import os
import platform as pyplatform
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kombu import Connection, Consumer, Exchange, Producer, Queue

from tests.support import infra

if TYPE_CHECKING:
    from tests.support.platform import Platform


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


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User+system CPU time used so far by each process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, pid in pids.items():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1]
        utime, stime = fields.split()[11:13]
        used[name] = (int(utime) + int(stime)) / tick
    return used


def platform_pids(platform: Platform) -> dict[str, int]:
    """The platform's running processes by name, for `cpu_seconds` (one that
    was stopped is left out)."""
    return {
        n: p.proc.pid for n, p in platform.processes.items() if p.proc and p.running
    }


def cpu_seconds_of(
    commands: tuple[str, ...] = ("postgres", "beam.smp"),
) -> dict[str, float]:
    """CPU time used so far by every process of each command (the database's
    backends, the broker), summed; processes that ended are not counted."""
    tick = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(commands, 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = stat.read_text().rpartition(")")
        except OSError:
            continue  # ended meanwhile
        command = head.partition("(")[2]
        if command in used:
            utime, stime = tail.split()[11:13]
            used[command] += (int(utime) + int(stime)) / tick
    return used


def machine() -> str:
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


WRK_SCRIPT = Path(__file__).with_name("graphql_load.lua")
RESULT = re.compile(
    r"RESULT requests=(\d+) seconds=([\d.]+) p50_us=(\d+) p99_us=(\d+) "
    r"errors=(\d+) socket_errors=(\d+)"
)


def wrk_path() -> str:
    """The load generator of the HTTP benchmarks (Debian's `wrk`)."""
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("the load generator is wrk: `sudo apt-get install wrk`")
    return found


def http_load(
    url: str,
    bodies: dict[str, Any] | list[dict[str, Any]],
    clients: int = 10,
    seconds: float = 10.0,
    headers: dict[str, str] | None = None,
) -> Latency:
    """`clients` keep-alive connections POST `bodies` in turn for `seconds`.

    The load comes from wrk (Debian's `wrk`; C and LuaJIT) rather than a Python
    client: on a two-core machine an httpx client spent ~1.8 ms of CPU per
    request, a third of the machine, and its own CPU showed up as the
    server's latency. Every response is checked (status 200, no GraphQL
    `errors`); any failure stops the benchmark.
    """
    wrk = wrk_path()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        body_file = Path(tmp) / "bodies.jsonl"
        many = bodies if isinstance(bodies, list) else [bodies]
        body_file.write_text("".join(json.dumps(b) + "\n" for b in many))
        header_file = Path(tmp) / "headers.txt"
        header_file.write_text(
            "".join(f"{k}: {v}\n" for k, v in (headers or {}).items())
        )
        env = {**os.environ, "BODIES": str(body_file), "HEADERS": str(header_file)}
        # warm up (connections, caches), then measure
        for duration in (1.0, seconds):
            command = [wrk, "-t1", f"-c{clients}", f"-d{duration:g}s"]
            command += ["--timeout", "30s", "-s", str(WRK_SCRIPT), url]
            out = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    found = RESULT.search(out)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    requests, elapsed, p50, p99, errors, socket_errors = found.groups()
    if int(errors) or int(socket_errors):
        raise RuntimeError(
            f"{errors} bad answers, {socket_errors} socket errors:\n{out}"
        )
    return Latency(int(requests), float(elapsed), int(p50) / 1e3, int(p99) / 1e3)


def compare_fastpaths(
    platform: Platform,
    services: list[str],
    body: dict[str, Any],
    names: tuple[str, ...],
    rounds: int,
    clients: int,
    seconds: float,
) -> None:
    """`body` through the gateway with every fast path on, then with each of
    `names` off (`FASTPATHS_OFF`, the gateway and `services` restarted), in
    turns, `rounds` times; prints each run's rate and CPU per request and, per
    fast path, the median gain and its spread over the rounds."""
    variants = ["", *names]
    # per variant: (req/s, CPU ms per request of the platform's processes)
    runs: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    previous = ""
    for round_ in range(1, rounds + 1):
        for off in variants:
            env = {"FASTPATHS_OFF": off}
            # The services only when their fast paths change: a restart is slow.
            if "nameko." in off + previous:
                for service in services:
                    platform.restart(service, env=env)
            previous = off
            gateway = platform.processes.get("gateway")
            if gateway is not None:
                gateway.stop()
                gateway.env = {**gateway.env, **env}
            url = platform.start_gateway(env) + "/graphql"
            pids = platform_pids(platform)
            for attempt in (1, 2, 3):
                try:
                    http_load(url, body, clients=clients, seconds=2)  # warm up
                    before = {**cpu_seconds(pids), **cpu_seconds_of(("beam.smp",))}
                    latency = http_load(url, body, clients=clients, seconds=seconds)
                    after = {**cpu_seconds(pids), **cpu_seconds_of(("beam.smp",))}
                    break
                except RuntimeError as exc:  # bad answers: the shared machine's
                    # database refusing clients, say
                    print(f"round {round_} {off or 'all on'}: attempt {attempt}, {exc}")
            else:
                continue  # this round goes without it
            per = {n: (after[n] - before[n]) / latency.count * 1e3 for n in after}
            cpu = sum(ms for n, ms in per.items() if n in pids)
            runs[off].append((latency.per_second, cpu))
            used = ", ".join(f"{n} {ms:.2f}" for n, ms in sorted(per.items()))
            print(
                f"round {round_} {off or 'all on'}: {latency.per_second:,.0f} req/s, "
                f"CPU ms/request {cpu:.2f} ({used}; the broker is shared)",
                flush=True,
            )
    print(f"\nMachine: {machine()}")
    print(f"{clients} clients (wrk), {seconds:g} s a run, {rounds} rounds")
    print(
        "| fast path off | req/s, median (min-max) | CPU ms/request, median "
        "| gain in req/s, median (min to max) | CPU saved, median (min to max) |"
    )
    print("|---|---|---|---|---|")
    base = runs[""]
    for off in variants:
        if len(runs[off]) != len(runs[""]):
            print(f"| {off} | (a run failed: see the rounds above) |")
            continue
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
            f"({min(rates):,.0f}-{max(rates):,.0f}) | {statistics.median(cpus):.2f} "
            + gains
        )


def spread(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{statistics.median(values):+.1%} ({low:+.1%} to {high:+.1%})"
