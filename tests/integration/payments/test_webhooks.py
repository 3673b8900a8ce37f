"""Signed webhooks through the gateway: exactly once, whatever the deliveries."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.integration.payments.world import SECRET, PaymentsWorld
from tests.support.wait import wait_until


def sign(payload: bytes, secret: str = SECRET, at: int | None = None) -> str:
    ts = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), str(ts).encode() + b"." + payload, hashlib.sha256)
    return f"t={ts},v1={mac.hexdigest()}"


def completed_event(world: PaymentsWorld, session_id: str) -> dict:
    (event,) = world.stripe_events("checkout.session.completed", session_id)
    return event


def test_the_same_webhook_five_times_fulfils_once(world: PaymentsWorld) -> None:
    invoice, payment = world.paid_payment()
    event = completed_event(world, payment["checkout_session_id"])
    for _ in range(4):
        resent = world.resend(event["id"])
        assert [d["last_status_code"] for d in resent["deliveries"]] == [200]
    deliveries = world.stripe_get(f"/_devstripe/events/{event['id']}")
    assert deliveries["attempts"] == 5
    pid = payment["payment_id"]
    assert len(world.outbox("payment_succeeded", pid)) == 1
    assert world.db("SELECT count(*) FROM receipts WHERE payment_id = :p", p=pid) == [
        (1,)
    ]
    assert world.db(
        "SELECT count(*) FROM stripe_events WHERE event_id = :e", e=event["id"]
    ) == [(1,)]
    assert [c["new_status"] for c in world.payment(pid)["history"]] == [
        "PENDING",
        "SUCCEEDED",
    ]
    world.wait_invoice(invoice["invoice_id"], "PAID")


def _post(world: PaymentsWorld, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return httpx.post(
        f"{world.platform.gateway_url}/webhooks/stripe",
        content=body,
        headers=headers,
        timeout=30,
    )


def test_forged_expired_or_missing_signature_is_400_and_changes_nothing(
    world: PaymentsWorld,
) -> None:
    invoice = world.new_invoice()
    answer = world.checkout(invoice)
    session = world.stripe.v1.checkout.sessions.retrieve(answer["checkout_session_id"])
    event = {
        "id": f"evt_forged_{uuid.uuid4().hex[:10]}",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                **session.to_dict(),
                "status": "complete",
                "payment_status": "paid",
                "payment_intent": "pi_forged",
            }
        },
    }
    body = json.dumps(event).encode()
    attempts = {
        "forged": sign(body, secret="whsec_not_ours"),
        "expired": sign(body, at=int(time.time()) - 301),
        "tampered": sign(body.replace(b"complete", b"COMPLETE")),
        "missing": None,
    }
    for name, signature in attempts.items():
        response = _post(world, body, signature)
        assert response.status_code == 400, (name, response.text)
    assert world.payment(answer["payment_id"])["status"] == "PENDING"
    assert world.db(
        "SELECT count(*) FROM stripe_events WHERE event_id = :e", e=event["id"]
    ) == [(0,)]
    # The same body, correctly signed now, is accepted: only the signature was bad.
    assert _post(world, body, sign(body)).status_code == 200
    world.wait_payment(answer["payment_id"], "SUCCEEDED")


def test_amount_mismatch_is_flagged_for_staff_not_fulfilled(
    world: PaymentsWorld,
) -> None:
    invoice = world.new_invoice()
    answer = world.checkout(invoice)
    world.pay(answer["checkout_session_id"], amount_total=invoice["amount_cents"] - 1)
    payment = world.wait_payment(answer["payment_id"], "SUCCEEDED")
    assert payment["flag"] == "AMOUNT_MISMATCH"
    assert payment["receipt"] is None
    assert world.outbox("payment_succeeded", answer["payment_id"]) == []
    flagged = world.rpc("list_payments", {"flagged": True}, 100)
    assert answer["payment_id"] in [e["node"]["payment_id"] for e in flagged["edges"]]
    assert world.invoice(invoice["invoice_id"])["status"] == "OPEN"
    assert world.member(invoice["member_id"])["status"] == "PENDING"


def test_completed_before_the_platform_recorded_the_session(
    world: PaymentsWorld,
) -> None:
    """The session exists at Stripe but payments never recorded it (it crashed
    between Stripe's answer and its own commit): the paid webhook is enough."""
    invoice = world.new_invoice()
    payment_id = str(uuid.uuid4())
    metadata = {
        "payment_id": payment_id,
        "purpose": "DUES",
        "invoice_id": invoice["invoice_id"],
        "member_id": invoice["member_id"],
    }
    session = world.stripe.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "client_reference_id": invoice["invoice_id"],
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "success_url": "https://members.example.org/ok",
            "cancel_url": "https://members.example.org/no",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": invoice["amount_cents"],
                        "product_data": {"name": "dues"},
                    },
                }
            ],
        }
    )
    assert world.db(
        "SELECT count(*) FROM payments WHERE invoice_id = :i", i=invoice["invoice_id"]
    ) == [(0,)]
    world.pay(session.id)
    payment = world.wait_payment(payment_id, "SUCCEEDED")
    assert payment["checkout_session_id"] == session.id
    assert payment["receipt"] is not None
    world.wait_member(invoice["member_id"], "ACTIVE")
    # Asking for a checkout now is refused: the invoice is paid.
    wait_until(lambda: world.invoice(invoice["invoice_id"])["status"] == "PAID")


def test_payments_down_while_stripe_delivers_loses_nothing(
    world: PaymentsWorld,
) -> None:
    invoice = world.new_invoice()
    answer = world.checkout(invoice)
    world.platform.stop("payments")
    try:
        world.pay(answer["checkout_session_id"])

        def refused() -> bool:
            (event,) = world.stripe_events(
                "checkout.session.completed", answer["checkout_session_id"]
            )
            delivery = event["deliveries"][0]
            # An attempt that ended, refused (the gateway answers 503 after its
            # RPC timeout), not one still waiting for its answer.
            return delivery["last_error"] is not None

        wait_until(refused, timeout=40, message="a refused delivery")
        (event,) = world.stripe_events(
            "checkout.session.completed", answer["checkout_session_id"]
        )
        assert event["deliveries"][0]["last_status_code"] == 503
    finally:
        world.platform.start("payments")
    world.wait_payment(answer["payment_id"], "SUCCEEDED", timeout=60)
    (event,) = world.stripe_events(
        "checkout.session.completed", answer["checkout_session_id"]
    )
    assert event["deliveries"][0]["status"] == "delivered"
    assert event["attempts"] >= 2
    world.wait_member(invoice["member_id"], "ACTIVE")


def test_members_down_while_a_payment_succeeds(world: PaymentsWorld) -> None:
    invoice = world.new_invoice()
    answer = world.checkout(invoice)
    world.platform.stop("members")
    try:
        world.pay(answer["checkout_session_id"])
        world.wait_payment(answer["payment_id"], "SUCCEEDED")
        assert len(world.outbox("payment_succeeded", answer["payment_id"])) == 1
    finally:
        world.platform.start("members")
    world.wait_invoice(invoice["invoice_id"], "PAID", timeout=30)
    world.wait_member(invoice["member_id"], "ACTIVE", timeout=30)


def test_concurrent_deliveries_apply_once_and_number_receipts_uniquely(
    world: PaymentsWorld,
) -> None:
    """Ten payments at once, each event delivered three times at the same moment."""
    started = []
    for _ in range(10):
        invoice = world.new_invoice()
        started.append((invoice, world.checkout(invoice)))
    bodies = []
    for _, answer in started:
        session = world.stripe.v1.checkout.sessions.retrieve(
            answer["checkout_session_id"]
        )
        event = {
            "id": f"evt_concurrent_{uuid.uuid4().hex[:12]}",
            "object": "event",
            "type": "checkout.session.completed",
            "created": int(time.time()),
            "data": {
                "object": {
                    **session.to_dict(),
                    "status": "complete",
                    "payment_status": "paid",
                    "payment_intent": f"pi_concurrent_{uuid.uuid4().hex[:10]}",
                }
            },
        }
        bodies += [json.dumps(event).encode()] * 3
    with ThreadPoolExecutor(len(bodies)) as pool:
        codes = list(pool.map(lambda b: _post(world, b, sign(b)).status_code, bodies))
    assert codes == [200] * len(bodies)
    numbers = []
    for _, answer in started:
        pid = answer["payment_id"]
        payment = world.payment(pid)
        assert payment["status"] == "SUCCEEDED"
        assert [c["new_status"] for c in payment["history"]] == ["PENDING", "SUCCEEDED"]
        assert len(world.outbox("payment_succeeded", pid)) == 1
        numbers.append(payment["receipt"]["number"])
    assert len(set(numbers)) == len(numbers)
