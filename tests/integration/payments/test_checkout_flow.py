"""Dues checkout on the real platform: session, signed webhook, invoice paid."""

from __future__ import annotations

import pytest
from nameko.exceptions import RemoteError

from common.identity import Identity
from tests.integration.payments.world import STAFF, PaymentsWorld, member_user


def test_paid_checkout_marks_invoice_paid_and_member_active(
    world: PaymentsWorld,
) -> None:
    invoice = world.new_invoice()
    answer = world.checkout(invoice)
    assert answer["status"] == "PENDING"
    assert answer["checkout_url"].startswith(world.stripe_base + "/checkout/")

    session = world.stripe.v1.checkout.sessions.retrieve(answer["checkout_session_id"])
    assert session.client_reference_id == invoice["invoice_id"]
    assert session.metadata is not None
    assert session.metadata["member_id"] == invoice["member_id"]
    assert session.metadata["fiscal_year"] == str(invoice["fiscal_year"])
    assert session.metadata["band"] == invoice["band"]
    assert session.amount_total == invoice["amount_cents"]

    world.pay(answer["checkout_session_id"], email="treasurer@paytown.example")
    paid = world.wait_payment(answer["payment_id"], "SUCCEEDED")
    assert paid["amount_paid_cents"] == invoice["amount_cents"]
    assert [c["new_status"] for c in paid["history"]] == ["PENDING", "SUCCEEDED"]
    receipt = paid["receipt"]
    assert receipt["invoice_id"] == invoice["invoice_id"]
    assert receipt["payer_email"] == "treasurer@paytown.example"
    assert receipt["payer_name"].startswith("Paytown ")
    world.wait_invoice(invoice["invoice_id"], "PAID")
    world.wait_member(invoice["member_id"], "ACTIVE")


def test_asking_twice_gives_the_same_open_session(world: PaymentsWorld) -> None:
    invoice = world.new_invoice()
    first = world.checkout(invoice)
    again = world.checkout(invoice, identity=STAFF)
    assert again["checkout_session_id"] == first["checkout_session_id"]
    assert again["payment_id"] == first["payment_id"]


def test_paid_void_unknown_and_foreign_invoices_are_refused(
    world: PaymentsWorld,
) -> None:
    invoice, _ = world.paid_payment()
    world.wait_invoice(invoice["invoice_id"], "PAID")
    with pytest.raises(RemoteError) as paid:
        world.checkout(invoice)
    assert paid.value.exc_type == "Conflict"

    with pytest.raises(RemoteError) as unknown:
        world.checkout({"invoice_id": "no-such-invoice", "member_id": "x"}, STAFF)
    assert unknown.value.exc_type == "NotFound"

    other = world.new_invoice()
    stranger = member_user(invoice["member_id"])
    with pytest.raises(RemoteError) as foreign:
        world.checkout(other, identity=stranger)
    # Another member's invoice is answered as an unknown one: a caller learns
    # nothing of what it may not see.
    assert foreign.value.exc_type == "NotFound"

    with pytest.raises(RemoteError) as anonymous:
        world.checkout(other, identity=Identity())
    assert anonymous.value.exc_type == "Unauthenticated"


def test_failed_and_expired_sessions(world: PaymentsWorld) -> None:
    invoice = world.new_invoice()
    first = world.checkout(invoice)
    world.fail(first["checkout_session_id"])
    failed = world.wait_payment(first["payment_id"], "FAILED")
    assert failed["failure_reason"]
    (event,) = world.outbox("payment_failed", first["payment_id"])
    assert event["invoice_id"] == invoice["invoice_id"]

    second = world.checkout(invoice)
    assert second["payment_id"] != first["payment_id"]
    world.stripe.v1.checkout.sessions.expire(second["checkout_session_id"])
    world.wait_payment(second["payment_id"], "EXPIRED")
    assert world.invoice(invoice["invoice_id"])["status"] == "OPEN"

    third = world.checkout(invoice)
    assert third["payment_id"] not in (first["payment_id"], second["payment_id"])
    assert world.payment(third["payment_id"])["attempt"] == 3
