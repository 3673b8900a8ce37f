"""Two replicas of every service and two gateways on one vhost and the same
databases, under load: nothing lost, nothing doubled. Competing consumers
share the queues, the relays share each outbox (SKIP LOCKED), the daily job
runs once a day across replicas (an advisory lock), and one replica of each
process killed with SIGKILL mid-load loses nothing either."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from common import config
from common.identity import Identity
from tests.chaos.world import Journey
from tests.integration.replicas.world import REPLICAS, ReplicaWorld, sample
from tests.support.wait import wait_until

MEMBERS = int(os.environ.get("REPLICAS_TEST_MEMBERS", "200"))
STAFF = Identity(sub="replicas-staff", role="staff")


def relay_published(world: ReplicaWorld, service: str) -> dict[str, float]:
    """Per replica of `service`: the events its relay published."""
    return {
        proc.name: sample(
            world.metrics(proc), "outbox_relay_published_total", service=service
        )
        for proc in world.platform.replicas(service)
        if proc.running
    }


def outbox_event_ids(world: ReplicaWorld) -> Counter[str]:
    return Counter(
        str(row[0])
        for service in config.SERVICES
        for row in world.rows(
            service, "SELECT envelope::jsonb ->> 'event_id' FROM outbox"
        )
    )


def invoices_per_member(world: ReplicaWorld, journeys: list[Journey]) -> Counter[str]:
    rows = world.rows(
        "members",
        "SELECT member_id, fiscal_year, count(*) FROM invoices "
        "WHERE member_id = ANY(:m) GROUP BY member_id, fiscal_year",
        m=[j.member_id for j in journeys],
    )
    assert all(count == 1 for _m, _y, count in rows), rows
    return Counter(str(member) for member, _y, _c in rows)


def assert_each_event_handled_once(world: ReplicaWorld, event_type: str) -> None:
    """Every consumer of `event_type` recorded each of its events once (the
    records' key makes a second impossible; none may be missing)."""
    producer = {"payment_succeeded": "payments", "member_registered": "members"}
    published = world.outbox_count(producer[event_type], event_type)
    handled = wait_until(
        lambda: (
            (counts := world.processed_counts(event_type))
            and all(n == published for n in counts.values())
            and counts
        ),
        timeout=60,
        interval=0.5,
        message=f"every {event_type} handled by each consumer",
    )
    assert handled, f"nobody records {event_type}"


def test_two_replicas_of_each_process_share_the_load_and_double_nothing(
    replicas: ReplicaWorld,
) -> None:
    world = replicas
    assert world.events is not None
    letters_before = len(world.dead_letters())
    relays_before = {s: relay_published(world, s) for s in ("members", "payments")}
    run = time.time_ns()
    journeys = [Journey(f"Replicaville {i} {run}") for i in range(MEMBERS)]
    started = time.monotonic()
    # Half of them pay at once; the others' invoices stay open.
    world.stream(journeys, pay=lambda j: journeys.index(j) % 2 == 0)
    took = time.monotonic() - started

    world.wait_settled(journeys, timeout=180)
    counts = world.assert_exactly_once(journeys)
    assert set(invoices_per_member(world, journeys)) == {j.member_id for j in journeys}
    for event_type in ("member_registered", "payment_succeeded"):
        assert_each_event_handled_once(world, event_type)

    # Every outbox row reached the broker exactly once: the tap saw each
    # event once, and nothing the outboxes do not hold.
    written = outbox_event_ids(world)
    wait_until(
        lambda: set(world.events.seen) >= set(written),  # type: ignore[union-attr]
        timeout=30,
        message="the tap saw every event",
    )
    assert world.events.doubled() == {}
    assert set(world.events.seen) == set(written)
    assert len(world.dead_letters()) == letters_before

    # Both relays of a service published a share of its events.
    shares = {}
    for service, before in relays_before.items():
        after = relay_published(world, service)
        shares[service] = {name: after[name] - before.get(name, 0) for name in after}
        assert len(shares[service]) == REPLICAS
        assert all(n > 0 for n in shares[service].values()), shares
    print(
        f"\nreplicas: {MEMBERS} members through {REPLICAS} gateways in {took:.1f} s "
        f"({MEMBERS / took:.1f}/s), half paid; {counts}; relays' shares {shares}; "
        f"{world.events.total()} events seen once each, none parked"
    )


def run_daily(call: tuple[str, date]) -> dict[str, Any]:
    """`run_daily` for a day, on a connection of its own (a proxy serves one
    thread), asked again while members answers `Unavailable` (its database
    full, say), as a careful client does: a day's run is done once."""
    amqp_uri, day = call
    config = {"AMQP_URI": amqp_uri}
    context = {"identity": STAFF.to_header()}
    give_up = time.monotonic() + 120
    with ClusterRpcProxy(config, timeout=30, context_data=context) as cluster:
        while True:
            try:
                reply: dict[str, Any] = cluster.members.run_daily(day.isoformat())
                return reply
            except RemoteError as exc:
                if exc.exc_type != "Unavailable" or time.monotonic() > give_up:
                    raise
            time.sleep(0.2)  # a client's pause before asking again


def test_the_daily_job_runs_once_a_day_across_replicas(
    replicas: ReplicaWorld,
) -> None:
    """Two days: when grace starts (a reminder each), and when it ended (each
    member LAPSED). On each, both replicas' timers (every 2 s) and calls at
    once, spread over both replicas, race for the day's run."""
    world, platform = replicas, replicas.platform
    run = time.time_ns()
    unpaid = [Journey(f"Graceville {i} {run}") for i in range(40)]
    world.stream(unpaid, pay=lambda _j: False)
    ids = [j.member_id for j in unpaid]
    invoices = [j.invoice_id for j in unpaid]
    dues = world.rows(
        "members",
        "SELECT due_date, due_date + grace_days FROM invoices "
        "WHERE invoice_id = ANY(:i)",
        i=invoices,
    )
    grace_starts = max(due for due, _ends in dues) + timedelta(days=1)
    lapses = max(ends for _due, ends in dues) + timedelta(days=1)
    assert grace_starts <= min(ends for _due, ends in dues), dues
    members = platform.replicas("members")

    def run_daily_calls() -> list[float]:
        return [
            sample(world.metrics(p), "rpc_requests_total", method="run_daily")
            for p in members
        ]

    def race(day: date) -> list[dict[str, Any]]:
        """The clock set to `day` (both replicas' timers run it every 2 s),
        and calls for `day`, 8 at once, until each replica took some."""
        platform.rpc("members", "set_clock", day.isoformat(), identity=STAFF)
        replies: list[dict[str, Any]] = []
        before = run_daily_calls()
        for _round in range(10):
            with ThreadPoolExecutor(8) as pool:
                replies += pool.map(run_daily, [(platform.amqp_uri, day)] * 8)
            if all(a > b for a, b in zip(run_daily_calls(), before, strict=True)):
                return replies
        raise AssertionError(f"one replica took every call: {run_daily_calls()}")

    def outbox(event_type: str, field: str, value: str) -> Counter[str]:
        key = "invoice_id" if event_type == "dues_reminder_due" else "member_id"
        rows = world.rows(
            "members",
            f"SELECT envelope::jsonb -> 'payload' ->> '{key}' FROM outbox "
            "WHERE event_type = :t AND envelope::jsonb -> 'payload' ->> :f = :v "
            f"AND envelope::jsonb -> 'payload' ->> '{key}' = ANY(:k)",
            t=event_type,
            f=field,
            v=value,
            k=invoices if key == "invoice_id" else ids,
        )
        return Counter(str(r[0]) for r in rows)

    def mails(event_type: str) -> Counter[str]:
        rows = world.rows(
            "notifications",
            "SELECT member_id FROM deliveries "
            "WHERE event_type = :t AND member_id = ANY(:m)",
            t=event_type,
            m=ids,
        )
        return Counter(str(r[0]) for r in rows)

    try:
        first = race(grace_starts)
        reminded = wait_until(
            lambda: (
                len(found := outbox("dues_reminder_due", "reminder", "GRACE_STARTED"))
                == len(invoices)
                and found
            ),
            timeout=30,
            message="every grace reminder sent",
        )
        recorded = world.rows(
            "members",
            "SELECT invoice_id, count(*) FROM reminders_sent "
            "WHERE invoice_id = ANY(:i) GROUP BY invoice_id",
            i=invoices,
        )
        by_calls = sum(int(r["reminders"]) for r in first)
        sent_that_day = world.rows(
            "members",
            "SELECT count(*) FROM reminders_sent WHERE sent_on = :d",
            d=grace_starts,
        )[0][0]

        second = race(lapses)
        lapsed = wait_until(
            lambda: (
                len(
                    found := outbox("membership_status_changed", "new_status", "LAPSED")
                )
                == len(ids)
                and found
            ),
            timeout=30,
            message="every member lapsed",
        )
        moves = Counter(
            str(r[0])
            for r in world.rows(
                "members",
                "SELECT member_id FROM status_changes "
                "WHERE new_status = 'LAPSED' AND member_id = ANY(:m)",
                m=ids,
            )
        )
        by_calls_lapsed = sum(int(r["transitions"]) for r in second)
        moved_that_day = world.rows(
            "members",
            "SELECT count(*) FROM status_changes WHERE effective_on = :d",
            d=lapses,
        )[0][0]
    finally:
        platform.rpc("members", "set_clock", None, identity=STAFF)

    assert set(reminded.values()) == {1}, reminded
    # Whichever run came first did the day's work; the others found it done.
    assert by_calls <= sent_that_day
    assert by_calls_lapsed <= moved_that_day
    assert sorted(n for _i, n in recorded) == [1] * len(invoices)
    assert set(lapsed.values()) == {1}, lapsed
    assert moves == Counter(ids), moves
    # And notifications mailed each reminder once.
    wait_until(
        lambda: len(mails("dues_reminder_due")) == len(ids),
        timeout=60,
        message="every reminder mailed",
    )
    assert set(mails("dues_reminder_due").values()) == {1}
    print(
        f"\nreplicas: daily job raced on {grace_starts} and {lapses} by "
        f"{len(first) + len(second)} calls over {len(members)} replicas and "
        f"their timers: {len(invoices)} reminders and {len(ids)} lapses, once "
        f"each (the calls did {by_calls} of {sent_that_day} reminders and "
        f"{by_calls_lapsed} of {moved_that_day} transitions, other tests' members "
        "included; the timers the rest)"
    )


def test_a_replica_of_each_process_killed_mid_load_loses_nothing(
    replicas: ReplicaWorld,
) -> None:
    world, platform = replicas, replicas.platform
    assert world.events is not None
    letters_before = len(world.dead_letters())
    seen_before = set(world.events.seen)
    run = time.time_ns()
    journeys = [Journey(f"Killville {i} {run}") for i in range(MEMBERS // 2)]
    victims = [f"{name}-2" for name in (*config.SERVICES, "gateway")]
    survivors = {
        name: proc.proc.pid
        for name, proc in platform.processes.items()
        if name not in victims and proc.proc is not None
    }
    failures: list[BaseException] = []

    def load() -> None:
        try:
            world.stream(journeys, threads=6)
        except BaseException as exc:
            failures.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    try:
        # A client that gave up (a refusal it does not retry) ends the wait.
        wait_until(
            lambda: failures or sum(j.paid for j in journeys) >= len(journeys) // 4,
            timeout=300,
            message="a quarter paid",
        )
        assert not failures, failures
        platform.kill(*victims)
        killed_at = sum(j.paid for j in journeys)
        loader.join(300)
        assert not loader.is_alive(), "the load did not finish"
        assert not failures, failures
        assert all(j.paid for j in journeys)

        world.wait_settled(journeys, timeout=180)
        counts = world.assert_exactly_once(journeys)
        assert set(invoices_per_member(world, journeys)) == {
            j.member_id for j in journeys
        }
        for event_type in ("member_registered", "payment_succeeded"):
            assert_each_event_handled_once(world, event_type)
        written = outbox_event_ids(world)
        wait_until(
            lambda: set(world.events.seen) >= set(written),  # type: ignore[union-attr]
            timeout=30,
            message="the tap saw every event",
        )
        # A relay killed between the broker's confirm and its commit
        # publishes that batch again (consumers absorb it): count, not fail.
        again = {
            k: n for k, n in world.events.doubled().items() if k not in seen_before
        }
        assert len(world.dead_letters()) == letters_before
        # The survivors carried on: none restarted, no hand on them.
        assert {
            name: platform.processes[name].proc.pid  # type: ignore[union-attr]
            for name in survivors
            if platform.processes[name].running
        } == survivors
    finally:
        loader.join(300)
        # The package's other tests want both replicas again.
        platform.start(*config.SERVICES, replicas=REPLICAS)
        platform.start_gateway(replicas=REPLICAS)
    print(
        f"\nreplicas SIGKILL: {len(journeys)} members paid; the second replica of "
        f"every process killed after {killed_at}; {counts}; "
        f"{len(again)} events published again by a killed relay; none parked"
    )
