"""The broker stopped for 20 s while members register and pay, then started:
every process still running (none restarted), no outbox row left
unpublished, every effect exactly once, calls refused at once while it was
away, and `paymentStatus` subscriptions delivering again."""

from __future__ import annotations

import threading
import time
from typing import Any

from tests.chaos.rabbit_node import RabbitNode
from tests.chaos.world import ChaosWorld, Journey
from tests.e2e.test_payments_e2e import Subscription
from tests.support.wait import wait_until

OUTAGE_SECONDS = 20
PAYERS = 3
STATUS = "subscription($p: ID!) { paymentStatus(paymentId: $p) { paymentId status } }"


def subscribe(world: ChaosWorld, journey: Journey) -> Subscription:
    token = world.platform.token("member", member_id=journey.member_id)
    return Subscription(
        world.platform.gateway_url, token, STATUS, {"p": journey.payment_id}
    )


def status(message: dict[str, Any]) -> str:
    assert message["type"] == "next", message
    return str(message["payload"]["data"]["paymentStatus"]["status"])


def test_a_broker_restart_costs_nothing_and_needs_no_restart(
    chaos: ChaosWorld,
) -> None:
    world, rabbit = chaos, chaos.rabbit
    assert isinstance(rabbit, RabbitNode)  # the `chaos` fixture's single node
    pids = world.pids()
    letters_before = len(world.dead_letters())

    # Followed live from before the outage; paid while the broker is away.
    early = Journey(f"Chaosville early {time.time_ns()}")
    world.register(early)
    world.check_out(early)
    followed = subscribe(world, early)
    assert status(followed.next()) == "PENDING"

    done: list[Journey] = []
    producing = threading.Event()
    producing.set()
    failures: list[BaseException] = []

    def payer(n: int) -> None:
        try:
            while producing.is_set():
                done.append(world.journey(f"outage {n}"))
        except BaseException as exc:  # reported by the test, not lost in a thread
            failures.append(exc)

    threads = [threading.Thread(target=payer, args=(n,)) for n in range(PAYERS)]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(done) >= 6, timeout=120, message="journeys under way")

    # Calls in flight as the broker goes: members' callers wait on its table,
    # so their replies are sent once the broker is gone (and lost).
    with world.calls_held("members", "members") as waiting:
        wait_until(lambda: waiting() >= 1, message="a members call in flight")
        stopped_in = rabbit.stop()
        in_flight = waiting()
    before_outage = len(done)
    world.pay(early)  # Stripe keeps retrying its webhook
    # The outage itself: its length is the scenario, not a wait for anything.
    outage = threading.Event()
    outage.wait(OUTAGE_SECONDS)
    alive_during = {n: p.running for n, p in world.platform.processes.items()}
    started_in = rabbit.start()
    world.platform.forget_rpc_connections()  # the test's own, not the platform's

    wait_until(
        lambda: len(done) >= before_outage + 6,
        timeout=180,
        message="journeys after the outage",
    )
    producing.clear()
    for thread in threads:
        thread.join(180)
    assert not failures, failures
    journeys = [*done, early]
    world.wait_settled(journeys, timeout=180)

    # The subscription from before: it sees the payment made meanwhile.
    assert status(followed.next(timeout=60)) == "SUCCEEDED"
    followed.close()
    # A new one after: its current state, then the live change.
    late = Journey(f"Chaosville late {time.time_ns()}")
    world.register(late)
    world.check_out(late)
    fresh = subscribe(world, late)
    assert status(fresh.next()) == "PENDING"
    world.pay(late)
    assert status(fresh.next(timeout=30)) == "SUCCEEDED"
    fresh.close()

    journeys.append(late)
    world.wait_settled(journeys)
    lost = sum(world.logged("reply lost").values())
    killed = world.logged("killing <ServiceContainer")
    print(f"\nreplies lost {world.logged('reply lost')}, containers killed {killed}")
    assert not any(killed.values()), killed
    assert all(alive_during.values()), alive_during
    world.assert_same_processes(pids)  # every process still running, none restarted
    assert not any(world.unpublished().values())
    counts = world.assert_exactly_once(journeys)
    assert len(world.dead_letters()) == letters_before
    refused = world.refusals
    # At once, not after the 5 s RPC timeout (a loaded machine answers slower).
    assert refused.seconds and sorted(refused.seconds)[len(refused.seconds) // 2] < 1
    print(
        f"\nchaos broker restart: broker stopped in {stopped_in:.1f} s, away "
        f"{OUTAGE_SECONDS} s, started in {started_in:.1f} s; {len(journeys)} "
        f"members registered and paid ({before_outage} before the stop); "
        f"{in_flight} members calls in flight as it stopped, {lost} replies "
        f"lost; {len(pids)} processes running, none restarted; 0 outbox rows "
        f"unpublished; 0 parked; calls refused meanwhile: {refused.summary()}; "
        f"subscriptions: the one from before saw SUCCEEDED, a new one PENDING "
        f"then SUCCEEDED; {counts}"
    )
