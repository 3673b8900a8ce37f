"""A node of the three-node cluster killed (SIGKILL) while members register
and pay their dues in a stream, then started again: every client moved to
another node by itself (no process restarted), every request served (the
test retries what the platform refused, as a careful client would), every
effect exactly once, no dead letter. The tests print their counts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.chaos.rabbit_node import RabbitCluster, RabbitNode
from tests.chaos.test_broker_restart import status, subscribe
from tests.chaos.world import ChaosWorld, Journey
from tests.cluster.conftest import GATEWAY_NODE, SERVICES_NODE
from tests.support.wait import wait_until

PAYERS = 3
AFTER_THE_KILL = 6  # journeys completed after the kill, at least


@contextmanager
def journeys_in_stream(world: ChaosWorld) -> Iterator[list[Journey]]:
    """Members registering, checking out and paying, one after the other in
    each of PAYERS threads, while the block runs; yields those done."""
    done: list[Journey] = []
    producing = threading.Event()
    producing.set()
    failures: list[BaseException] = []

    def payer(n: int) -> None:
        try:
            while producing.is_set():
                done.append(world.journey(f"cluster {n}"))
        except BaseException as exc:  # reported by the test, not lost in a thread
            failures.append(exc)

    threads = [threading.Thread(target=payer, args=(n,)) for n in range(PAYERS)]
    for thread in threads:
        thread.start()
    try:
        yield done
    finally:
        producing.clear()
        for thread in threads:
            thread.join(240)
    assert not failures, f"{failures}\n{logs(world)}"


def logs(world: ChaosWorld) -> str:
    """Each process's last lines: what a failure here needs to be understood."""
    return "\n".join(
        f"--- {name} ---\n{proc.log_tail(40)}"
        for name, proc in world.platform.processes.items()
    )


def kill_mid_stream(world: ChaosWorld, node: RabbitNode) -> list[Journey]:
    with journeys_in_stream(world) as done:
        wait_until(lambda: len(done) >= 3, timeout=120, message="journeys under way")
        node.kill()
        killed_at = len(done)
        try:
            wait_until(
                lambda: len(done) >= killed_at + AFTER_THE_KILL,
                timeout=120,
                message=f"{AFTER_THE_KILL} journeys after the kill",
            )
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}; {len(done) - killed_at} done\n{logs(world)}"
            ) from None
    return done


def settle_and_count(world: ChaosWorld, journeys: list[Journey]) -> str:
    world.wait_settled(journeys)
    counts = world.assert_exactly_once(journeys)
    assert world.dead_letters() == []
    return counts


def test_the_gateways_node_killed(world: ChaosWorld, cluster: RabbitCluster) -> None:
    node = cluster.nodes[GATEWAY_NODE]
    others = [n for n in cluster.nodes if n is not node]
    # Followed live from before the kill, paid after it.
    early = Journey(f"Chaosville early {time.time_ns()}")
    world.register(early)
    world.check_out(early)
    followed = subscribe(world, early)
    assert status(followed.next()) == "PENDING"
    connected = node.connection_names()
    assert "gateway rpc" in connected and "gateway-payment-status" in connected
    pids = world.pids()

    done = kill_mid_stream(world, node)

    # Its RPC client and its payment status hub are on other nodes now.
    world.pay(early)
    assert status(followed.next(timeout=60)) == "SUCCEEDED"
    followed.close()
    moved = "".join(n.connection_names() for n in others)
    assert "gateway rpc" in moved and "gateway-payment-status" in moved
    restarted_in = node.start()
    counts = settle_and_count(world, [*done, early])
    world.assert_same_processes(pids)  # nothing restarted by hand
    print(
        f"\ngateway's node killed: {len(done)} journeys, {counts}; "
        f"refused {world.refusals.summary()}; node back in {restarted_in:.1f} s"
    )


def test_the_services_node_and_queue_leaders_killed(
    world: ChaosWorld, cluster: RabbitCluster
) -> None:
    node = cluster.nodes[SERVICES_NODE]
    survivor = next(n for n in cluster.nodes if n is not node)
    types = dict(row[:2] for row in survivor.queues("name", "type"))
    if types.get("rpc-members") != "quorum":
        pytest.skip(
            "the services' queues are classic: a node takes them with it "
            "(quorum queues are replicated)"
        )
    pids = world.pids()
    started = time.monotonic()

    done = kill_mid_stream(world, node)

    # Every quorum queue's leader is on a surviving node.
    leaders = {
        name: leader
        for name, kind, leader in survivor.queues("name", "type", "leader")
        if kind == "quorum"
    }
    assert leaders and node.name not in leaders.values(), leaders
    restarted_in = node.start()
    counts = settle_and_count(world, done)
    world.assert_same_processes(pids)
    print(
        f"\nservices' node killed: {len(done)} journeys in "
        f"{time.monotonic() - started:.0f} s, {counts}; "
        f"{len(leaders)} quorum queues led elsewhere; "
        f"refused {world.refusals.summary()}; node back in {restarted_in:.1f} s"
    )
