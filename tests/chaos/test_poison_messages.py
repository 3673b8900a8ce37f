"""Poison messages of each kind are parked in the consumer's dead-letter queue
with their origin while the rest flows, and an operator can replay them.

The three kinds, all on `payments.events` as `payment_succeeded`, which
members consumes: a real payment's event for an invoice members cannot find
(its row hidden for the test, as if restored from an older backup), a JSON
body that is not an envelope, and a body that is not JSON at all.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from common.deadletters import DeadLetter
from tests.chaos.world import ChaosWorld, Journey
from tests.support.wait import wait_until


def test_poison_is_parked_with_its_origin_while_the_rest_flows_and_replays(
    chaos: ChaosWorld,
) -> None:
    world, platform = chaos, chaos.platform
    already = {(d.service, d.event_id) for d in world.dead_letters()}

    def members_db(sql: str, **params: str) -> None:
        with platform.engine("members").begin() as conn:
            conn.execute(text(sql), params)

    # 1. A real payment of an invoice that members does not have.
    hidden = Journey(f"Chaosville hidden {uuid.uuid4().hex[:8]}")
    world.register(hidden)
    world.check_out(hidden)
    stand_in = str(uuid.uuid4())
    members_db(
        "UPDATE invoices SET invoice_id = :s WHERE invoice_id = :i",
        s=stand_in,
        i=hidden.invoice_id,
    )
    world.pay(hidden)
    # 2. JSON that is not an envelope; 3. not JSON (not even UTF-8).
    not_envelope, not_json = str(uuid.uuid4()), str(uuid.uuid4())
    for event_id, body in ((not_envelope, b'{"hello": "world"}'), (not_json, b"\xff{")):
        platform.publish_raw(
            "payments",
            "payment_succeeded",
            body,
            headers={"nameko.event_id": event_id},
        )

    # Meanwhile the rest flows.
    with ThreadPoolExecutor(3) as pool:
        flowing = list(pool.map(world.journey, ["flowing"] * 6))
    world.wait_settled(flowing)

    def parked(service: str, count: int) -> dict[str, DeadLetter] | None:
        """What this test parked in `service`, once there are `count`."""
        found = {
            d.event_id: d
            for d in world.dead_letters()
            if d.service == service and (d.service, d.event_id) not in already
        }
        return found if len(found) == count else None

    letters = wait_until(
        lambda: parked("members", 3), timeout=30, message="members parked three"
    )
    assert letters is not None
    # notifications takes payment_succeeded too: it parks what no one sent.
    theirs = wait_until(
        lambda: parked("notifications", 2), timeout=30, message="notifications"
    )
    assert theirs is not None and set(theirs) == {not_envelope, not_json}
    assert {(d.exchange, d.event_type) for d in theirs.values()} == {
        ("payments.events", "payment_succeeded")
    }
    by_kind = {
        "unknown invoice": next(
            d for d in letters.values() if "no dues invoice" in d.error
        ),
        "not an envelope": letters[not_envelope],
        "not JSON": letters[not_json],
    }
    for kind, letter in by_kind.items():
        assert letter.service == "members", kind
        assert (letter.exchange, letter.event_type) == (
            "payments.events",
            "payment_succeeded",
        ), kind
        assert letter.queue.startswith("evt-payments-payment_succeeded--members")
    assert by_kind["unknown invoice"].attempts == 3
    assert by_kind["not an envelope"].attempts == 3
    assert by_kind["not JSON"].attempts == 1  # no retry can decode it
    listed = world.deadletters_command("list", "members")
    for letter in by_kind.values():
        line = next(x for x in listed.splitlines() if letter.event_id in x)
        assert "payment_succeeded" in line and "from=payments.events" in line

    # The operator restores the invoice and replays: the payment is applied
    # once; what cannot be fixed is parked again, its origin kept.
    members_db(
        "UPDATE invoices SET invoice_id = :i WHERE invoice_id = :s",
        s=stand_in,
        i=hidden.invoice_id,
    )
    replayed = world.deadletters_command("replay", "members")
    assert "3 replayed" in replayed, replayed
    world.wait_settled([hidden])
    again = wait_until(
        lambda: parked("members", 2), timeout=30, message="two parked again"
    )
    assert again is not None and set(again) == {not_envelope, not_json}
    assert {(d.exchange, d.event_type) for d in again.values()} == {
        ("payments.events", "payment_succeeded")
    }
    counts = world.assert_exactly_once([hidden, *flowing])
    print(
        f"\nchaos poison: members parked 3 (unknown invoice after "
        f"{by_kind['unknown invoice'].attempts} attempts, not an envelope after "
        f"{by_kind['not an envelope'].attempts}, not JSON after "
        f"{by_kind['not JSON'].attempts}), each from payments.events/"
        f"payment_succeeded, and notifications the 2 no one sent; "
        f"{len(flowing)} other members paid meanwhile; "
        f"replayed 3: 1 applied, 2 parked again; {counts}"
    )
