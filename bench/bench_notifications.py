"""Notifications benchmark: the dues reminders of N members, from the daily
job to the last message in the SMTP sink (run by hand).

    .venv/bin/python -m bench.bench_notifications [--members 10000]

On a scratch vhost and scratch PostgreSQL databases, with real processes:
members (test clock on), notifications and the devmail sink. N members with
an open invoice are written beforehand straight into members' database (not
timed; their events are marked published, so no invoice mail is sent). Then,
timed: `members.run_daily` on the day 30 days before the invoices are due
(one transaction: N `dues_reminder_due` events into the outbox), the relay,
notifications (contacts over RPC, deliveries recorded, rendered, sent over
SMTP), until the sink holds N messages. Raw kombu (confirmed publish ->
consume, same body size) is measured in the same run, as every benchmark
here reports it. Goal: under 60 s for 10,000.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text, update

from bench.support import (
    cpu_seconds,
    cpu_seconds_of,
    machine,
    platform_pids,
    raw_kombu_rate,
    scratch_databases,
    scratch_vhost,
)
from common.clock_control import TestClock
from common.db import make_engine, make_session_factory
from common.identity import SERVICE, Identity
from common.migrate import upgrade
from services.members.adapters import settings
from services.members.adapters.orm import outbox, processed_events
from services.members.domain.bands import BANDS
from services.members.domain.community import new_member
from services.members.service_layer import dues
from services.members.service_layer.unit_of_work import MembersUnitOfWork
from tests.support.mailsink import MailSink
from tests.support.platform import Platform
from tests.support.wait import wait_until

os.environ["MEMBERS_CLOCK_CONTROL"] = "1"
STAFF = Identity(sub="bench", role="staff")
AMOUNTS = (25_000, 50_000, 90_000, 150_000, 250_000, 400_000)


def prepare_members(url: str, count: int) -> date:
    """N members, each with an open invoice for next year; its due date."""
    upgrade("members", url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)

    def uow() -> MembersUnitOfWork:
        return MembersUnitOfWork(sessions, "members", outbox, processed_events)

    policy = settings.policy()
    rng = random.Random(7)
    clock = uow().clock  # MEMBERS_CLOCK_CONTROL is on
    assert isinstance(clock, TestClock)
    year = policy.calendar.year_of(clock.today())
    clock.move_to(policy.calendar.start_of(year - 1) + timedelta(days=150))
    with uow() as work:
        today = work.clock.today()
        work.members.add_many(
            [
                new_member(
                    str(uuid.uuid4()),
                    {
                        "name": f"Benchtown {n:05d} {uuid.uuid4().hex[:4]}",
                        "kind": "CITY",
                        "state": rng.choice(["OH", "CA", "TX", "NY", "WA", "FL"]),
                        "population": rng.choice([900, 30_000, 75_000, 250_000])
                        + rng.randrange(1_000),
                        "contact_email": f"clerk{n}@bench.example",
                    },
                    today,
                )
                for n in range(count)
            ]
        )
        work.commit()
    clock.move_to(policy.calendar.start_of(year) + timedelta(days=305))
    bands = [
        {
            "min_population": b.min_population,
            "max_population": b.max_population,
            "amount_cents": a,
        }
        for b, a in zip(BANDS, AMOUNTS, strict=True)
    ]
    dues.set_dues_schedule(uow, SERVICE, policy, year + 1, bands)
    issued = dues.open_dues_year(uow, SERVICE, policy, year + 1)["issued"]
    assert issued == count, issued
    with engine.begin() as conn:
        # Announced before the consumers exist: nobody is told of these.
        conn.execute(update(outbox).values(published_at=text("now()")))
        due = conn.execute(
            text("SELECT min(due_date) FROM invoices WHERE fiscal_year = :y"),
            {"y": year + 1},
        ).scalar_one()
    engine.dispose()
    return date.fromisoformat(str(due))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_notifications")
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    count = args.members
    with (
        scratch_vhost() as uri,
        scratch_databases(["members", "notifications"]) as urls,
        tempfile.TemporaryDirectory(prefix="bench-notifications-") as folder,
    ):
        workdir = Path(folder)
        upgrade("notifications", urls["notifications"])
        print(f"preparing {count:,} members with open invoices ...", flush=True)
        due = prepare_members(urls["members"], count)
        platform = Platform(uri, urls, workdir)
        sink = MailSink(workdir, platform.env).start()
        try:
            platform.start("members", env={"MEMBERS_CLOCK_CONTROL": "1"})
            platform.start("notifications", env={"SMTP_URL": sink.smtp_url})
            platform.rpc(
                "members",
                "set_clock",
                (due - timedelta(days=30)).isoformat(),
                identity=STAFF,
            )
            pids = {**platform_pids(platform), "devmail": sink.process.proc.pid}  # type: ignore[union-attr]
            cpu_before, shared_before = cpu_seconds(pids), cpu_seconds_of()
            start = time.perf_counter()
            result = platform.rpc("members", "run_daily", identity=STAFF, timeout=300)
            daily = time.perf_counter() - start
            assert result["reminders"] == count, result
            first_seen: list[float] = []

            def all_in() -> bool:
                got = sink.stats()["messages"]
                if got and not first_seen:
                    first_seen.append(time.perf_counter() - start)
                return got >= count

            wait_until(all_in, timeout=600, interval=0.2, message="every reminder")
            total = time.perf_counter() - start
            cpu_after, shared_after = cpu_seconds(pids), cpu_seconds_of()
            stats = sink.stats()
            with platform.engine("notifications").connect() as conn:
                rows = conn.execute(
                    text("SELECT status, count(*) FROM deliveries GROUP BY status")
                ).all()
                statuses = {str(r[0]): int(r[1]) for r in rows}
            baseline = raw_kombu_rate(uri, count=3000, body_size=420)
        finally:
            platform.shutdown()
            sink.stop()
    used = {n: cpu_after[n] - cpu_before[n] for n in pids}
    shared = {n: shared_after[n] - shared_before[n] for n in shared_before}
    print(f"\nMachine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print("\n| figure | value |\n|---|---|")
    print(f"| members | {count:,} |")
    print(f"| run_daily (the RPC, one transaction) | {daily:.1f} s |")
    print(f"| first message in the sink | {first_seen[0] if first_seen else 0:.1f} s |")
    print(f"| last message in the sink | {total:.1f} s |")
    print(f"| messages per second, end to end | {count / total:,.0f} |")
    print(f"| deliveries by status | {statuses} |")
    handed = f"{stats['messages']:,} / {stats['handoffs']:,}"
    print(f"| sink: messages / hand-offs | {handed} |")
    print(f"| raw kombu, same run (msg/s) | {baseline:,.0f} |")
    print(
        "| CPU seconds | "
        + ", ".join(f"{n} {s:.1f}" for n, s in {**used, **shared}.items())
        + " |"
    )
    print("\nGoal: under 60 s:", "met" if total < 60 else "NOT met")


if __name__ == "__main__":
    main()
