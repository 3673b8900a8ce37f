"""payments and members killed with SIGKILL while webhooks stream in, then
started again: every paid session gives one SUCCEEDED payment, one PAID
invoice and one ACTIVE member."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.chaos.world import ChaosWorld, Journey
from tests.support.wait import wait_until

SESSIONS = 40


def test_payments_and_members_killed_mid_stream_lose_and_double_nothing(
    chaos: ChaosWorld,
) -> None:
    world, platform = chaos, chaos.platform
    letters_before = len(world.dead_letters())
    run = time.time_ns()
    journeys = [Journey(f"Chaosville killed {i} {run}") for i in range(SESSIONS)]

    def prepared(journey: Journey) -> Journey:
        world.register(journey)
        world.check_out(journey)
        return journey

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(prepared, journeys))

    # Payers pay at Stripe, a few a second; Stripe sends the webhooks.
    def pay_all() -> None:
        for journey in journeys:
            world.pay(journey)
            time.sleep(0.1)  # a stream, not one burst: the kills land inside it

    payers = threading.Thread(target=pay_all)
    payers.start()
    wait_until(
        lambda: sum(j.paid for j in journeys) >= SESSIONS // 4,
        timeout=60,
        message="a quarter paid",
    )
    platform.kill("payments", "members")
    killed_at = sum(j.paid for j in journeys)
    started = time.monotonic()
    platform.start("payments", "members")
    back_in = time.monotonic() - started
    payers.join(120)
    assert all(j.paid for j in journeys)

    world.wait_settled(journeys, timeout=180)
    counts = world.assert_exactly_once(journeys)
    assert len(world.dead_letters()) == letters_before
    assert all(p.running for p in platform.processes.values())
    print(
        f"\nchaos SIGKILL: {SESSIONS} sessions paid; payments and members killed "
        f"after {killed_at} payments, running again in {back_in:.1f} s; "
        f"{counts}; no message parked, no outbox row unpublished"
    )
