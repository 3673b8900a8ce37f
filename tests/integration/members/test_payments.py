"""payments' news for dues invoices: duplicates and any order change nothing more."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from common.deadletters import list_dead_letters
from tests.integration.members.conftest import Members
from tests.support.wait import wait_until


def processed(members: Members, event_id: str) -> int:
    (row,) = members.db(
        "SELECT count(*) FROM processed_events WHERE event_id = :e", e=event_id
    )
    return int(row[0])


def billed_member(members: Members, year: int) -> tuple[str, dict[str, Any]]:
    members.set_today(date(year, 2, 1))
    if members.rpc("get_dues_schedule", year) is None:
        members.schedule(year)
    member_id = members.register(population=30_000)["member_id"]
    return member_id, members.invoice_for(member_id, year)


def test_a_duplicate_payment_event_counts_once(members: Members) -> None:
    member_id, invoice = billed_member(members, 2042)
    event_id = str(uuid.uuid4())
    members.pay(invoice, event_id=event_id, payment_id="pay_dup")
    members.pay(invoice, event_id=event_id, payment_id="pay_dup")
    members.wait_invoice(member_id, 2042, "PAID")
    # The duplicate is claimed already: wait until both deliveries were handled.
    wait_until(lambda: processed(members, event_id) == 1, message="claimed")
    marker = members.pay(invoice, payment_id="pay_marker")  # same queue, after both
    wait_until(lambda: processed(members, marker.event_id) == 1, message="marker")
    assert members.statuses(member_id) == ["PENDING", "ACTIVE"]
    rows = members.db(
        "SELECT payment_id FROM invoice_payments WHERE invoice_id = :i ORDER BY 1",
        i=invoice["invoice_id"],
    )
    assert [r[0] for r in rows] == ["pay_dup", "pay_marker"]


def test_a_refund_before_its_payment_ends_the_same_as_after(members: Members) -> None:
    in_order, invoice_a = billed_member(members, 2042)
    members.pay(invoice_a, payment_id="pay_a")
    members.wait_invoice(in_order, 2042, "PAID")
    members.refund(invoice_a, "pay_a")
    members.wait_invoice(in_order, 2042, "REFUNDED")

    out_of_order, invoice_b = billed_member(members, 2042)
    refund = members.refund(invoice_b, "pay_b")
    wait_until(lambda: processed(members, refund.event_id) == 1, message="refund seen")
    assert members.invoice_for(out_of_order, 2042)["status"] == "OPEN"  # waits
    members.pay(invoice_b, payment_id="pay_b")
    members.wait_invoice(out_of_order, 2042, "REFUNDED")

    for member_id in (in_order, out_of_order):
        member = members.member(member_id)
        assert (member["status"], member["good_standing"]) == ("PENDING", False)
    assert members.statuses(in_order) == ["PENDING", "ACTIVE", "PENDING"]
    assert members.statuses(out_of_order) == ["PENDING"]

    # A new payment after a full refund pays the invoice again.
    members.pay(invoice_b, payment_id="pay_b2")
    members.wait_invoice(out_of_order, 2042, "PAID")
    assert members.member(out_of_order)["status"] == "ACTIVE"


def test_other_payments_are_not_ours(members: Members) -> None:
    event = members.platform.publish_event(
        "payments",
        "payment_succeeded",
        {
            "payment_id": "pay_grant",
            "purpose": "DISBURSEMENT",
            "invoice_id": None,
            "member_id": None,
            "amount_cents": 100,
            "currency": "USD",
            "paid_at": "2042-01-01T00:00:00+00:00",
        },
    )
    wait_until(lambda: processed(members, event.event_id) == 1, message="ignored")


def test_a_burst_of_news_with_a_bad_one_parks_only_the_bad_one(
    members: Members,
) -> None:
    """News arriving together is applied in batches; an event for an unknown
    invoice fails its batch, and then alone, without holding up the rest."""
    billed = [billed_member(members, 2043) for _ in range(12)]
    stranger = {
        "invoice_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "amount_cents": 100,
        "currency": "USD",
    }
    events = [members.pay(invoice) for _, invoice in billed[:6]]
    bad = members.pay(stranger)
    events += [members.pay(invoice) for _, invoice in billed[6:]]
    for member_id, _ in billed:
        members.wait_invoice(member_id, 2043, "PAID")
    assert all(members.statuses(m) == ["PENDING", "ACTIVE"] for m, _ in billed)
    assert all(processed(members, e.event_id) == 1 for e in events)

    def parked() -> list[Any]:
        letters = list_dead_letters("members", members.platform.amqp_uri)
        return [d for d in letters if d.event_id == bad.event_id]

    (letter,) = wait_until(parked, timeout=20, message="the bad event parked")
    assert "no dues invoice" in letter.error
    assert processed(members, bad.event_id) == 0
