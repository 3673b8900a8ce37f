"""Members benchmark: opening a dues year for 10,000 members (run by hand).

    .venv/bin/python -m bench.bench_dues [--members 10000]

On a scratch PostgreSQL database (and the embedded SQLite default beside it),
with N members registered beforehand (not timed), measures in one run:
1. `open_dues_year` for N members, through the service-layer handler the RPC
   calls: wall time, and invoices + outbox events written;
2. the same year opened again (issues nothing);
3. peak memory of opening a year: tracemalloc's peak of Python allocations
   during the call (a separate run on the other open year: tracemalloc slows
   what it watches) and the process' max RSS;
4. the daily job on the day after the grace period (N members move to LAPSED);
5. the outbox relay publishing the N `dues_invoice_issued` events to RabbitMQ
   (scratch vhost, publisher confirms), events/s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.support import machine, scratch_databases, scratch_vhost
from common.clock_control import TestClock
from common.db import make_engine, make_session_factory
from common.identity import SERVICE
from common.migrate import upgrade
from common.relay import OutboxRelay
from services.members.adapters import settings
from services.members.adapters.orm import invoices, outbox, processed_events
from services.members.domain.bands import BANDS
from services.members.domain.community import new_member
from services.members.service_layer import dues, standing
from services.members.service_layer.unit_of_work import MembersUnitOfWork

os.environ["MEMBERS_CLOCK_CONTROL"] = "1"  # the bench moves its own clock
AMOUNTS = (25_000, 50_000, 90_000, 150_000, 250_000, 400_000)


@dataclass
class Figures:
    database: str
    members: int
    open_seconds: float = 0.0
    issued: int = 0
    reopen_seconds: float = 0.0
    peak_traced_mb: float = 0.0
    daily_seconds: float = 0.0
    lapsed: int = 0
    relay_per_second: float = 0.0


def stores(url: str) -> tuple[Callable[[], MembersUnitOfWork], Any]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)

    def uow() -> MembersUnitOfWork:
        return MembersUnitOfWork(sessions, "members", outbox, processed_events)

    return uow, engine


def test_clock(uow: Callable[[], MembersUnitOfWork]) -> TestClock:
    clock = uow().clock  # MEMBERS_CLOCK_CONTROL is on
    assert isinstance(clock, TestClock)
    return clock


def register_many(uow: Callable[[], MembersUnitOfWork], count: int) -> None:
    """N valid members, populations spread over every band (not timed)."""
    rng = random.Random(7)
    with uow() as work:
        today = work.clock.today()
        batch = []
        for n in range(count):
            data = {
                "name": f"Benchtown {n:05d} {uuid.uuid4().hex[:4]}",
                "kind": "CITY",
                "state": rng.choice(["OH", "CA", "TX", "NY", "WA", "FL"]),
                "population": rng.choice([900, 30_000, 75_000, 250_000, 400_000])
                + rng.randrange(1_000),
                "contact_email": f"clerk{n}@bench.example",
            }
            batch.append(new_member(str(uuid.uuid4()), data, today))
        work.members.add_many(batch)
        work.commit()


def bench(url: str, label: str, count: int, amqp_uri: str | None) -> Figures:
    upgrade("members", url)
    uow, engine = stores(url)
    policy = settings.policy()
    figures = Figures(label, count)
    try:
        # Members joined last year (so setting this year's schedule bills no
        # joiners); it is now November: this year and next can be opened.
        clock = test_clock(uow)
        year = policy.calendar.year_of(clock.today())
        clock.move_to(policy.calendar.start_of(year - 1) + timedelta(days=150))
        register_many(uow, count)
        clock.move_to(policy.calendar.start_of(year) + timedelta(days=305))
        bands = [
            {
                "min_population": b.min_population,
                "max_population": b.max_population,
                "amount_cents": a,
            }
            for b, a in zip(BANDS, AMOUNTS, strict=True)
        ]
        for fiscal_year in (year, year + 1):
            dues.set_dues_schedule(uow, SERVICE, policy, fiscal_year, bands)

        start = time.perf_counter()
        figures.issued = dues.open_dues_year(uow, SERVICE, policy, year + 1)["issued"]
        figures.open_seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = dues.open_dues_year(uow, SERVICE, policy, year + 1)["issued"]
        figures.reopen_seconds = time.perf_counter() - start
        assert again == 0, again

        tracemalloc.start()
        dues.open_dues_year(uow, SERVICE, policy, year)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures.peak_traced_mb = peak / 2**20

        with engine.connect() as conn:
            written = conn.execute(
                select(func.count())
                .select_from(invoices)
                .where(invoices.c.fiscal_year == year + 1)
            ).scalar_one()
        assert written == count == figures.issued, (written, count)

        # The day after next year's grace period: every member is LAPSED.
        after_grace = policy.calendar.start_of(year + 1) + timedelta(
            days=policy.default_grace_days + 1
        )
        start = time.perf_counter()
        daily = standing.run_daily(uow, SERVICE, policy, after_grace)
        figures.daily_seconds = time.perf_counter() - start
        figures.lapsed = daily["transitions"]

        if amqp_uri:
            figures.relay_per_second = drain_outbox(url, amqp_uri)
    finally:
        engine.dispose()
    return figures


def drain_outbox(url: str, amqp_uri: str) -> float:
    """Publish every outbox row with the shared relay; events/s."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
    relay = OutboxRelay(sessions, outbox, amqp_uri, batch_size=500)
    thread = threading.Thread(target=relay.run, daemon=True)
    start = time.perf_counter()
    thread.start()
    while True:
        with engine.connect() as conn:
            left = conn.execute(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.published_at.is_(None))
            ).scalar_one()
        if not left:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    relay.stop()
    thread.join(10)
    engine.dispose()
    return float(total) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_dues")
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    results = []
    with scratch_vhost() as uri, scratch_databases(["members"]) as urls:
        results.append(bench(urls["members"], "PostgreSQL", args.members, uri))
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{Path(folder) / 'members.db'}"
        results.append(bench(sqlite, "SQLite (embedded)", args.members, None))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nMachine: {machine()}; load average at the end {load}")
    print(
        "| database | members | open year s | invoices/s | reopen s | "
        "peak traced MB | daily job s (all lapse) | relay events/s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for f in results:
        relay = f"{f.relay_per_second:,.0f}" if f.relay_per_second else "-"
        print(
            f"| {f.database} | {f.members:,} | {f.open_seconds:.2f} | "
            f"{f.issued / f.open_seconds:,.0f} | {f.reopen_seconds:.2f} | "
            f"{f.peak_traced_mb:.1f} | {f.daily_seconds:.2f} ({f.lapsed:,}) | "
            f"{relay} |"
        )
    print(f"process max RSS over the whole run: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
