"""Directory benchmark (run by hand: `.venv/bin/python -m bench.bench_directory`).

On a scratch vhost and a scratch PostgreSQL database:
1. import 100,000 partnerships through the import use case (the seed's code
   path, members mapped from `us_communities.csv` instead of asked over RPC):
   the 3,850 real rows plus synthetic rows drawn from their distribution
   (U.S. community and partner country as often as in the real rows, a
   partner community of that country from the gazetteer, a known year as
   rarely as in the real rows);
2. the running partnerships service and gateway: `{ __typename }` and
   directory searches, requests/s, p50 and p99 at 10 concurrent clients, as
   an anonymous caller (the public directory), in the same run.

The outbox rows the import wrote (three events a row) are marked published
before the service starts, so the relay does not publish 300,000 events
during the measurement; the import's time includes writing them.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from bench.support import (
    Latency,
    compare_fastpaths,
    cpu_seconds,
    http_load,
    machine,
    platform_pids,
    scratch_databases,
    scratch_vhost,
)
from common.config import REPO_ROOT
from common.migrate import upgrade
from services.partnerships.adapters.gazetteer import places
from services.partnerships.adapters.orm import partnerships
from services.partnerships.domain.text import normalize
from services.partnerships.seed import read_rows, unit_of_work_factory
from services.partnerships.service_layer.importing import (
    SourceRow,
    import_rows,
    member_key,
)
from tests.support.platform import Platform

FIELDS = "totalCount edges { cursor node { id partnerCity countryName memberName "
FIELDS += "memberState signedOn recognized } }"
QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "directory, first page (no filter)": ("{}", {}),
    "country JP": ('{country: "JP"}', {}),
    "search 'san' (accent-free)": ('{search: "san"}', {}),
    "search 'tromso'": ('{search: "tromso"}', {}),
    "state CA + continent EU, by date": ('{state: "CA", continent: "EU"}', {}),
    "focus region AFRICA": ("{focusRegion: AFRICA}", {}),
}


def distinct_searches(rows: list[SourceRow]) -> list[dict[str, Any]]:
    """A new search (a partner name's first word) each time: no cached count.

    As a frontend sends them: one query text, the search in its variables.
    """
    words = sorted({normalize(r.partner_city).split()[0] for r in rows})
    random.Random(3).shuffle(words)
    text = (
        "query Search($filter: PartnershipFilter) { partnerships(filter: $filter, "
        f"first: 20, orderBy: NAME_ASC) {{ {FIELDS} }} }}"
    )
    return [
        {
            "query": text,
            "variables": {
                "filter": {"search": word, "country": COUNTRIES[i % len(COUNTRIES)]}
            },
        }
        for i, word in enumerate(words)
    ]


# The fast paths a directory page takes (common/fastpaths).
FASTPATHS_COMPARED = (
    "graphql_core.plain_fields",
    "strawberry.documents",
    "nameko.replies",
)

COUNTRIES = ("JP", "MX", "CN", "DE", "GB", "FR", "IT", "RU", "TW", "KR")


def query(filter_literal: str, order: str = "NAME_ASC") -> dict[str, Any]:
    return {
        "query": f"{{ partnerships(filter: {filter_literal}, first: 20, "
        f"orderBy: {order}) {{ {FIELDS} }} }}"
    }


def member_snapshots() -> dict[tuple[str, str], dict[str, Any]]:
    """Members as members' RPC would describe them, in good standing."""
    found = {}
    path = REPO_ROOT / "data" / "us_communities.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            found[member_key(row["us_city"], row["us_state"])] = {
                "member_id": str(uuid.uuid4()),
                "name": row["us_city"],
                "kind": row["kind"].upper(),
                "state": row["us_state"],
                "population": int(row["population"]) if row["population"] else None,
                "status": "ACTIVE",
                "good_standing": True,
            }
    return found


def synthetic_rows(real: list[SourceRow], total: int, seed: int = 7) -> list[SourceRow]:
    """`total` rows: the real ones, then draws from their distribution."""
    rng = random.Random(seed)
    by_country: dict[str, list[str]] = {}
    for place in places():
        by_country.setdefault(place.country, []).append(place.name)
    communities = [(r.us_city, r.us_state) for r in real]  # weighted by use
    countries = [r.country for r in real]
    known_year = sum(1 for r in real if r.established_year) / len(real)
    taken = {
        (member_key(r.us_city, r.us_state), r.country, normalize(r.partner_city))
        for r in real
    }
    rows = list(real)
    while len(rows) < total:
        city, state = rng.choice(communities)
        country = rng.choice(countries)
        names = by_country.get(country) or [r.partner_city for r in real]
        partner = rng.choice(names)
        key = (member_key(city, state), country, normalize(partner))
        if key in taken:
            partner = f"{partner} {len(rows)}"  # a district of it, say
            key = (member_key(city, state), country, normalize(partner))
        taken.add(key)
        year = str(rng.randint(1950, 2025)) if rng.random() < known_year else ""
        rows.append(SourceRow(len(rows) + 2, city, state, partner, None, country, year))
    return rows


def import_all(url: str, rows: list[SourceRow]) -> tuple[float, Any]:
    uow, engine = unit_of_work_factory(url)
    now = datetime.now(UTC)
    started = time.perf_counter()
    report = import_rows(uow, rows, member_snapshots(), now, now.date())
    seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET published_at = now()"))
    # Vacuumed before measuring: otherwise autovacuum catches up on the
    # 300,000 outbox rows just updated in the middle of a line (one line
    # once fell to 32 req/s while it ran).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    return seconds, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument(
        "--compare-fastpaths",
        type=int,
        metavar="ROUNDS",
        default=0,
        help="instead of the lines: the first page with all fast paths on, then "
        "with each of the gateway's and the services' turned off, ROUNDS times",
    )
    args = parser.parse_args()
    real = read_rows(REPO_ROOT / "data" / "us_sister_cities.csv")
    rows = synthetic_rows(real, args.rows)
    results: list[tuple[str, Latency]] = []
    cpu: list[str] = []  # CPU ms per request of each platform process, per line
    with scratch_vhost() as uri, scratch_databases(["partnerships"]) as urls:
        upgrade("partnerships", urls["partnerships"])
        seconds, report = import_all(urls["partnerships"], rows)
        platform = Platform(uri, urls, Path(tempfile.mkdtemp(prefix="bench-dir-")))
        try:
            platform.start("partnerships")
            count = (
                platform.engine("partnerships")
                .connect()
                .execute(select(func.count()).select_from(partnerships))
                .scalar_one()
            )
            url = platform.start_gateway() + "/graphql"

            if args.compare_fastpaths:
                compare_fastpaths(
                    platform,
                    ["partnerships"],
                    query("{}"),
                    FASTPATHS_COMPARED,
                    rounds=args.compare_fastpaths,
                    clients=args.clients,
                    seconds=args.seconds,
                )
                return
            pids = platform_pids(platform)

            def load(body: dict[str, Any] | list[dict[str, Any]]) -> Latency:
                before = cpu_seconds(pids)
                latency = http_load(
                    url, body, clients=args.clients, seconds=args.seconds
                )
                after = cpu_seconds(pids)
                cpu.append(
                    ", ".join(
                        f"{n} {(after[n] - before[n]) / latency.count * 1e3:.2f}"
                        for n in sorted(pids)
                    )
                )
                return latency

            results.append(("{ __typename }", load({"query": "{ __typename }"})))
            for label, (literal, _) in QUERIES.items():
                order = "DATE_DESC" if "by date" in label else "NAME_ASC"
                results.append((label, load(query(literal, order))))
            cold = load(distinct_searches(real))
            results.append(("a new search + country each request (cold)", cold))
            again = load({"query": "{ __typename }"})
            results.append(("{ __typename } (again)", again))
        finally:
            platform.shutdown()
    top = Counter(r.country for r in rows).most_common(3)
    print(f"\nMachine: {machine()}")
    print(
        f"import: {report.taken:,} of {len(rows):,} rows in {seconds:.1f} s "
        f"({report.taken / seconds:,.0f} rows/s; {len(report.skipped)} skipped); "
        f"{count:,} partnerships in the database; top countries {top}"
    )
    print(
        f"{args.clients} concurrent clients (wrk), {args.seconds:g} s each, anonymous"
    )
    print(f"partner names drawn from {len(places()):,} GeoNames places")
    print("| query | req/s | p50 ms | p99 ms | requests | CPU ms per request |")
    print("|---|---|---|---|---|---|")
    for (label, latency), used in zip(results, cpu, strict=True):
        print(f"{latency.row(label)} {used} |")


if __name__ == "__main__":
    main()
