"""Members benchmark: the `members` connection at 10 concurrent clients (by hand).

    .venv/bin/python -m bench.bench_members_query [--members 10000] [--seconds 15]

A scratch vhost and PostgreSQL database hold the real communities (the demo
seed) topped up with synthetic ones to N members; the members service and the
gateway run as real processes. In one run it measures, through HTTP,
requests/s, p50 and p99 of `{ __typename }` (the gateway alone, for scale)
and of pages of the directory: anonymous (one RPC), filtered by state and
name, and staff with dues and history (three RPCs per page, batched).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from bench.bench_dues import register_many, stores
from bench.support import Latency, http_load, machine, scratch_databases, scratch_vhost
from common.migrate import upgrade
from services.members.adapters.orm import members
from tests.support.platform import Platform

QUERIES = {
    "{ __typename }": ("{ __typename }", False),
    "members(first: 20), anonymous": (
        "{ members(first: 20) { totalCount pageInfo { hasNextPage endCursor } "
        "edges { cursor node { id name kind state } } } }",
        False,
    ),
    'members(filter: {state: "CA", search: "san"}), anonymous': (
        '{ members(filter: {state: "CA", search: "san"}, first: 20) { totalCount '
        "edges { node { id name kind state } } } }",
        False,
    ),
    "members(first: 20) with dues and history, staff": (
        "{ members(first: 20) { totalCount edges { node { id name status "
        "goodStanding duesBand currentInvoice { amountCents status dueDate } "
        "statusHistory { newStatus reason } } } } }",
        True,
    ),
}


def fill(url: str, total: int) -> int:
    """The demo seed, then synthetic members up to `total`; the count."""
    os.environ["MEMBERS_DATABASE_URL"] = url
    from services.members.seed import DEFAULT_CSV, seed

    seed(DEFAULT_CSV, progress=False)
    uow, engine = stores(url)
    with engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(members)).scalar_one()
    if total > have:
        register_many(uow, total - have)
    engine.dispose()
    return max(total, int(have))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_members_query")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    results: list[tuple[str, Latency]] = []
    with scratch_vhost() as uri, scratch_databases(["members"]) as urls:
        upgrade("members", urls["members"])
        count = fill(urls["members"], args.members)
        platform = Platform(uri, urls, Path(tempfile.mkdtemp(prefix="bench-")))
        try:
            platform.start("members")
            url = platform.start_gateway() + "/graphql"
            staff = {"Authorization": f"Bearer {platform.token('staff')}"}
            for label, (query, as_staff) in QUERIES.items():
                latency = http_load(
                    url,
                    {"query": query},
                    clients=args.clients,
                    seconds=args.seconds,
                    headers=staff if as_staff else None,
                )
                results.append((label, latency))
        finally:
            platform.shutdown()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nMachine: {machine()}; load average at the end {load}")
    print(f"{count:,} members, {args.clients} concurrent clients")
    print("| query | req/s | p50 ms | p99 ms | requests |")
    print("|---|---|---|---|---|")
    for label, latency in results:
        print(latency.row(label))


if __name__ == "__main__":
    main()
