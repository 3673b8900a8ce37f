"""#17 item 14: a signed `checkout.session.completed` for a session the
platform never created is checked with Stripe (here the offline Stripe):
a made-up session pays nothing, and a real one counts for what Stripe's own
record says (amount, currency, invoice), not for what the event claims."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest
import stripe

from tests.integration.payments.world import SECRET, PaymentsWorld
from tests.security.conftest import Gateway
from tests.support.wait import wait_until


@pytest.fixture(scope="module")
def world(payments: PaymentsWorld) -> PaymentsWorld:
    return payments


def deliver(gateway: Gateway, event: dict[str, Any]) -> httpx.Response:
    payload = json.dumps(event)
    at = int(time.time())
    mac = stripe.WebhookSignature._compute_signature(f"{at}.{payload}", SECRET)
    return httpx.post(
        f"{gateway.url}/webhooks/stripe",
        content=payload,
        headers={"Stripe-Signature": f"t={at},v1={mac}"},
        timeout=30,
    )


def completed(session_id: str, invoice: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What a forger sends: paid, the invoice's full amount."""
    return {
        "id": f"evt_forged_{uuid.uuid4().hex}",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "payment_status": "paid",
                "status": "complete",
                "amount_total": invoice["amount_cents"],
                "currency": invoice["currency"].lower(),
                "client_reference_id": invoice["invoice_id"],
                "metadata": {"invoice_id": invoice["invoice_id"], "purpose": "DUES"},
                **extra,
            }
        },
    }


def test_a_made_up_session_pays_nothing(world: PaymentsWorld, gateway: Gateway) -> None:
    invoice = world.new_invoice()
    response = deliver(gateway, completed(f"cs_made_up_{uuid.uuid4().hex}", invoice))
    assert response.status_code == 200, response.text
    assert world.invoice(invoice["invoice_id"])["status"] == "OPEN"
    assert world.member(invoice["member_id"])["status"] == "PENDING"
    assert world.db(
        "SELECT count(*) FROM payments WHERE invoice_id = :i", i=invoice["invoice_id"]
    ) == [(0,)]
    (outcome,) = world.db(
        "SELECT outcome FROM stripe_events WHERE event_id LIKE 'evt_forged_%' "
        "ORDER BY received_at DESC LIMIT 1"
    )
    assert outcome[0] == "UNMATCHED"


def test_a_made_up_session_naming_a_real_payment_pays_nothing(
    world: PaymentsWorld, gateway: Gateway
) -> None:
    invoice = world.new_invoice()
    answer = world.checkout(invoice)
    forged = completed(
        f"cs_made_up_{uuid.uuid4().hex}",
        invoice,
        metadata={
            "invoice_id": invoice["invoice_id"],
            "payment_id": answer["payment_id"],
        },
    )
    assert deliver(gateway, forged).status_code == 200
    assert world.payment(answer["payment_id"])["status"] == "PENDING"
    assert world.invoice(invoice["invoice_id"])["status"] == "OPEN"


def test_a_real_session_counts_for_what_stripe_recorded(
    world: PaymentsWorld, gateway: Gateway
) -> None:
    """A session made at Stripe (not by the platform) for 1.00 USD on the
    invoice; the event claims the full amount and is paid at once, before
    Stripe's own news of the real payment arrives."""
    invoice = world.new_invoice()
    session = world.stripe.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "client_reference_id": invoice["invoice_id"],
            "metadata": {"purpose": "DUES", "invoice_id": invoice["invoice_id"]},
            "success_url": "https://members.example.org/ok",
            "cancel_url": "https://members.example.org/no",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 100,
                        "product_data": {"name": "not the dues"},
                    },
                }
            ],
        }
    )
    # Unpaid at Stripe: the forged "paid" changes nothing.
    assert deliver(gateway, completed(session.id, invoice)).status_code == 200
    assert world.invoice(invoice["invoice_id"])["status"] == "OPEN"
    # Paid at Stripe (1.00): the forged event now counts for Stripe's amount.
    world.pay(session.id)
    deliver(gateway, completed(session.id, invoice))

    def recorded() -> Any:
        rows = world.db(
            "SELECT amount_paid_cents, flag, status FROM payments "
            "WHERE invoice_id = :i",
            i=invoice["invoice_id"],
        )
        return rows and rows[0][2] == "SUCCEEDED" and rows

    (row,) = wait_until(recorded, timeout=30, message="the session adopted")
    assert row[0] == 100 and row[1] == "AMOUNT_MISMATCH"
    assert world.invoice(invoice["invoice_id"])["status"] == "OPEN"
    assert world.member(invoice["member_id"])["status"] == "PENDING"
