"""Hostile-client benchmark (run by hand: `.venv/bin/python -m bench.bench_hostile`).

Does one client sending the costliest query the limits allow slow everyone
else down? On a scratch vhost and scratch PostgreSQL databases, with the real
demo data (1,381 members, 3,850 partnerships, loaded by the seeds), the
gateway's `{ __typename }` is measured under a steady load (wrk, `--clients`
connections), alone and while one more connection sends a hostile query back
to back, in turns, in the same run. The goal (#17): the p99 with the hostile
client at most 3 times the p99 without it.

The hostile queries are the costliest of a few shapes the limits let
through, for an anonymous caller and for a signed-in one (the gateway's
default budgets, or `--max-cost` / `--max-cost-anonymous`): each is checked
against the gateway's own cost plan (gateway/limits.py), and the slowest of
them alone is the one used. Rate limits are off here (the worst case: the
default 1,200 requests a minute would hold the hostile client to 20 a
second). The machine is shared and noisy: run several rounds and read the
median ratio.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from graphql import parse
from sqlalchemy import text

from bench.support import (
    RESULT,
    WRK_SCRIPT,
    Latency,
    cpu_seconds,
    http_load,
    machine,
    platform_pids,
    scratch_databases,
    scratch_vhost,
    wrk_path,
)
from common.config import REPO_ROOT
from common.migrate import upgrade
from gateway.app import limits_of
from gateway.limits import Limits, cost, plan
from gateway.schema import build_schema
from gateway.settings import Settings
from tests.support.platform import Platform
from tests.support.wait import wait_until

PING = {"query": "{ __typename }"}
PARTNERSHIP = (
    "id memberId memberName memberState partnerCity partnerRegion country "
    "countryName continent continentName focusRegions type status programAreas "
    "recognized signedOn establishedYear createdAt updatedAt"
)
MEMBER = "id name kind state"  # what anonymous callers may see


def page(first: int, nested: str = "") -> str:
    return (
        f"partnerships(first: {first}) {{ totalCount edges {{ cursor node {{ "
        f"{PARTNERSHIP} {nested} }} }} }}"
    )


def aliased(parts: list[str]) -> str:
    return "{ " + " ".join(f"a{i}: {p}" for i, p in enumerate(parts)) + " }"


STATISTICS = (
    "partnershipStats { total withKnownYear byCountry { code name count } "
    "byContinent { code name count } byState { code name count } "
    "focusRegions { region name count countries share } "
    "growthByYear { year count cumulative } }"
)
MAX_PAGE = 200  # the partnerships directory's
MAX_MEMBERS = 100  # the members directory's


def candidates(limits: Limits) -> dict[str, tuple[str, bool]]:
    """name -> (query, signed in): the costliest queries of a few shapes that
    the budgets let through (each costs all but a few units of its budget:
    a page is 1 call and 1 per row; a row's member 1 more; a member's
    partnerships 1 call and 5 rows assumed)."""
    anonymous, signed_in = limits.max_cost_anonymous, limits.max_cost
    found: dict[str, tuple[str, bool]] = {}
    for budget, who, is_signed_in in (
        (anonymous, "anonymous", False),
        (signed_in, "signed in", True),
    ):
        pages = -(-budget // (MAX_PAGE + 1))  # as few pages as hold the budget
        rows = min(MAX_PAGE, budget // pages - 1)
        found[f"{who}: {pages} x {rows} partnerships"] = (
            aliased([page(rows)] * pages),
            is_signed_in,
        )
        pages = -(-budget // (2 * MAX_PAGE + 1))
        rows = min(MAX_PAGE, (budget // pages - 1) // 2)
        found[f"{who}: {pages} x {rows} partnerships, each with its member"] = (
            aliased([page(rows, f"member {{ {MEMBER} }}")] * pages),
            is_signed_in,
        )
        members = min(MAX_MEMBERS, (budget - 1) // 7)
        found[f"{who}: {members} members, each with its partnerships"] = (
            "{ members(first: "
            + str(members)
            + ") { edges { node { "
            + MEMBER
            + " partnerships { "
            + PARTNERSHIP
            + " } } } } }",
            is_signed_in,
        )
        times = min(budget // 51, limits.max_aliases)
        found[f"{who}: {times} x every statistic"] = (
            aliased([STATISTICS] * times),
            is_signed_in,
        )
    return found


def checked(schema: Any, limits: Limits) -> dict[str, tuple[str, bool, int]]:
    """Each candidate's cost, which must be within its caller's budget."""
    found = {}
    for name, (query, signed_in) in candidates(limits).items():
        spent = cost(plan(schema, parse(query), None), {}, 10**9)
        budget = limits.max_cost if signed_in else limits.max_cost_anonymous
        if spent > budget:
            raise SystemExit(f"{name}: costs {spent}, over the budget of {budget}")
        found[name] = (query, signed_in, spent)
    return found


def seed(platform: Platform) -> None:
    for module in ("services.members.seed", "services.partnerships.seed"):
        subprocess.run(
            [sys.executable, "-m", module, "--if-empty"],
            env={**platform.env, "PYTHONWARNINGS": "ignore"},
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )


def settled(platform: Platform, names: tuple[str, ...]) -> None:
    """Wait until the seeds' events are published and the services idle: the
    relay publishing ten thousand events would be counted as the queries'."""

    def published() -> bool:
        for name in names:
            with platform.engine(name).connect() as conn:
                waiting = conn.execute(
                    text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                ).scalar_one()
            if waiting:
                return False
        return True

    wait_until(published, timeout=600, interval=1, message="the seeds' events out")
    pids = platform_pids(platform)

    def idle() -> bool:
        before = cpu_seconds(pids)
        time.sleep(1)  # a one-second window of CPU use, not a guess
        after = cpu_seconds(pids)
        return all(after[n] - before[n] < 0.05 for n in pids)

    wait_until(idle, timeout=600, interval=0, message="the services idle")


def alone(
    url: str, body: dict[str, Any], headers: dict[str, str], pids: dict[str, int]
) -> tuple[float, dict[str, float]]:
    """Median seconds of the query alone (ten tries, after one warm-up), and
    the CPU seconds each process spent per query."""
    times = []
    tries = 10
    with httpx.Client(timeout=60) as client:
        client.post(f"{url}/graphql", json=body, headers=headers)
        before = cpu_seconds(pids)
        for _ in range(tries):
            started = time.perf_counter()
            answer = client.post(f"{url}/graphql", json=body, headers=headers).json()
            times.append(time.perf_counter() - started)
            if answer.get("errors"):
                raise SystemExit(f"the hostile query failed: {answer['errors'][:1]}")
        after = cpu_seconds(pids)
    return statistics.median(times), {
        name: (after[name] - before[name]) / tries for name in pids
    }


class Hostile:
    """One wrk connection sending one query back to back, in the background."""

    def __init__(
        self, url: str, body: dict[str, Any], headers: dict[str, str], seconds: float
    ) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-hostile-")
        bodies = Path(self.tmp.name) / "bodies.jsonl"
        bodies.write_text(json.dumps(body) + "\n")
        header_file = Path(self.tmp.name) / "headers.txt"
        header_file.write_text("".join(f"{k}: {v}\n" for k, v in headers.items()))
        env = {**os.environ, "BODIES": str(bodies), "HEADERS": str(header_file)}
        # wrk takes whole seconds
        command = [wrk_path(), "-t1", "-c1", f"-d{round(seconds)}s", "--timeout", "60s"]
        command += ["-s", str(WRK_SCRIPT), url]
        self.proc = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def result(self) -> tuple[int, int]:
        """(requests sent, requests refused or failed) of the hostile client."""
        out, _ = self.proc.communicate(timeout=120)
        self.tmp.cleanup()
        found = RESULT.search(out)
        if found is None:
            raise RuntimeError(f"wrk printed no result:\n{out}")
        requests, _, _, _, errors, _ = found.groups()
        return int(requests), int(errors)


def start_gateway(platform: Platform, env: dict[str, str]) -> str:
    """A gateway with these settings (the one before it stopped)."""
    if (running := platform.processes.pop("gateway", None)) is not None:
        running.stop()
    return platform.start_gateway(env)


def measure(
    url: str,
    query: str,
    headers: dict[str, str],
    clients: int,
    seconds: float,
) -> tuple[Latency, Latency, int, int]:
    """The pings' latency alone, then with the hostile client; the hostile
    client's requests answered and refused (429)."""
    endpoint = f"{url}/graphql"
    quiet = http_load(endpoint, PING, clients, seconds)
    # over the ping load's warm-up second and its run
    hostile = Hostile(endpoint, {"query": query}, headers, seconds + 2)
    loaded = http_load(endpoint, PING, clients, seconds)
    sent, refused = hostile.result()
    return quiet, loaded, sent - refused, refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_hostile")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    shipped = Settings.from_env()
    defaults = limits_of(shipped)
    parser.add_argument("--max-cost", type=int, default=defaults.max_cost)
    parser.add_argument(
        "--max-cost-anonymous", type=int, default=defaults.max_cost_anonymous
    )
    args = parser.parse_args(argv)
    # py-amqp warns of every closing channel of the RPC proxies: noise here.
    logging.getLogger("amqp").setLevel(logging.ERROR)
    limits = replace(
        defaults,
        max_cost=args.max_cost,
        max_cost_anonymous=args.max_cost_anonymous,
    )
    found = checked(build_schema()._schema, limits)
    budgets = {
        "GRAPHQL_MAX_COST": str(limits.max_cost),
        "GRAPHQL_MAX_COST_ANONYMOUS": str(limits.max_cost_anonymous),
        # The pings stand for many callers: no per-caller request limit.
        "RATE_LIMIT_PER_MINUTE": "0",
    }
    modes = {
        "as shipped": {
            **budgets,
            "RATE_LIMIT_COST_PER_MINUTE": str(shipped.cost_limit_per_minute),
            "RATE_LIMIT_COST_BURST": str(shipped.cost_limit_burst),
        },
        "no cost rate limit": {**budgets, "RATE_LIMIT_COST_PER_MINUTE": "0"},
    }
    names = ("members", "partnerships")
    with (
        scratch_vhost() as uri,
        scratch_databases(list(names)) as urls,
        tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp,
    ):
        for service, db_url in urls.items():
            upgrade(service, db_url)
        platform = Platform(uri, urls, Path(tmp))
        try:
            platform.start(*names)
            seed(platform)
            url = start_gateway(platform, modes["no cost rate limit"])
            staff = {"Authorization": f"Bearer {platform.token('staff')}"}
            wait_until(
                lambda: (
                    httpx.post(
                        f"{url}/graphql",
                        json={"query": "{ members(first: 1) { totalCount } }"},
                    ).json()["data"]["members"]["totalCount"]
                    > 1000
                ),
                timeout=60,
                message="the demo data",
            )
            settled(platform, names)
            print(f"# Hostile client, {machine()}")
            print(
                f"ping load: wrk, {args.clients} connections, {args.seconds:g} s; "
                f"budgets {limits.max_cost_anonymous} anonymous, "
                f"{limits.max_cost} signed in; cost rate as shipped "
                f"{shipped.cost_limit_per_minute:,} a minute, burst "
                f"{shipped.cost_limit_burst:,}\n"
            )
            pids = platform_pids(platform)
            print(
                "| hostile query (cost) | alone, ms | CPU ms per query: "
                + ", ".join(pids)
                + " |"
            )
            print("|---|---|---|")
            timed = {}
            for name, (query, signed_in, spent) in found.items():
                headers = staff if signed_in else {}
                timed[name], used = alone(url, {"query": query}, headers, pids)
                cpu = ", ".join(f"{used[n] * 1e3:.0f}" for n in pids)
                print(f"| {name} ({spent}) | {timed[name] * 1e3:.1f} | {cpu} |")
            print(
                "\n| limits | hostile query | ping p99 alone, ms | ping p99 with "
                "it, ms | ratio | pings/s alone / with | hostile answered / "
                "refused |"
            )
            print("|---|---|---|---|---|---|---|")
            ratios: dict[str, list[float]] = {}
            for mode, env in modes.items():
                url = start_gateway(platform, env)
                for signed_in in (False, True):
                    worst = max(
                        (n for n, c in found.items() if c[1] == signed_in),
                        key=timed.__getitem__,
                    )
                    query = found[worst][0]
                    headers = staff if signed_in else {}
                    for _ in range(args.rounds):
                        quiet, loaded, answered, refused = measure(
                            url, query, headers, args.clients, args.seconds
                        )
                        ratio = loaded.p99_ms / quiet.p99_ms
                        ratios.setdefault(mode, []).append(ratio)
                        print(
                            f"| {mode} | {worst} | {quiet.p99_ms:.2f} | "
                            f"{loaded.p99_ms:.2f} | {ratio:.2f} | "
                            f"{quiet.per_second:,.0f} / {loaded.per_second:,.0f} "
                            f"| {answered} / {refused} |",
                            flush=True,
                        )
            print()
            for mode, found_ratios in ratios.items():
                print(
                    f"{mode}: ratio median {statistics.median(found_ratios):.2f}, "
                    f"worst {max(found_ratios):.2f} (goal: at most 3)"
                )
        finally:
            platform.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
