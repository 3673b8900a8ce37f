"""Refunds through Stripe and reconciliation against it, on the real platform."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from nameko.exceptions import RemoteError

from common.config import REPO_ROOT
from tests.integration.payments.world import PaymentsWorld, member_user
from tests.support.wait import wait_until


def test_partial_then_full_refund(world: PaymentsWorld) -> None:
    invoice, payment = world.paid_payment()
    pid = payment["payment_id"]
    world.wait_member(invoice["member_id"], "ACTIVE")
    amount = invoice["amount_cents"]

    with pytest.raises(RemoteError) as refused:
        world.rpc(
            "refund_payment",
            pid,
            100,
            "duplicate",
            identity=member_user(invoice["member_id"]),
        )
    assert refused.value.exc_type == "Forbidden"
    with pytest.raises(RemoteError) as too_much:
        world.rpc("refund_payment", pid, amount + 1, "duplicate")
    assert too_much.value.exc_type == "BadInput"

    part = world.rpc("refund_payment", pid, 4_000, "requested_by_customer")
    assert part["refund"]["status"] == "SUCCEEDED"
    assert part["payment"]["status"] == "PARTIALLY_REFUNDED"
    world.wait_payment(pid, "PARTIALLY_REFUNDED")
    assert world.invoice(invoice["invoice_id"])["status"] == "PAID"

    rest = world.rpc("refund_payment", pid, None, "the member left the programme")
    assert rest["refund"]["amount_cents"] == amount - 4_000
    assert rest["payment"]["status"] == "REFUNDED"
    world.wait_invoice(invoice["invoice_id"], "REFUNDED")
    intent = world.stripe.v1.payment_intents.retrieve(payment["payment_intent_id"])
    refunds = world.stripe.v1.refunds.list(params={"payment_intent": intent.id})
    assert sorted(r.amount for r in refunds.data) == sorted([4_000, amount - 4_000])

    # Stripe's charge.refunded webhooks arrived too, and changed nothing more.
    events = world.outbox("payment_refunded", pid)
    assert [(e["amount_refunded_cents"], e["fully_refunded"]) for e in events] == [
        (4_000, False),
        (amount, True),
    ]
    assert [c["new_status"] for c in world.payment(pid)["history"]] == [
        "PENDING",
        "SUCCEEDED",
        "PARTIALLY_REFUNDED",
        "REFUNDED",
    ]
    with pytest.raises(RemoteError) as nothing_left:
        world.rpc("refund_payment", pid, None, "again")
    assert nothing_left.value.exc_type == "Conflict"


def reconcile(world: PaymentsWorld, day: str) -> tuple[int, dict]:
    env = {
        **world.platform.env,
        **world.env,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.payments.reconcile",
            "--from",
            day,
            "--to",
            day,
            "--json",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_reconciliation_finds_planted_differences_and_changes_nothing(
    world: PaymentsWorld,
) -> None:
    _, clean = world.paid_payment()
    _, tampered = world.paid_payment()
    # Planted 1: the ledger says one cent more than Stripe took.
    assert (
        world.db_write(
            "UPDATE payments SET amount_paid_cents = amount_paid_cents + 1 "
            "WHERE payment_id = :p",
            p=tampered["payment_id"],
        )
        == 1
    )
    # Planted 2: money at Stripe the platform never heard of.
    stray = world.stripe.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "success_url": "https://example.org/ok",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 777,
                        "product_data": {"name": "not dues"},
                    },
                }
            ],
        }
    )
    stray_intent = world.pay(stray.id)["payment_intent"]
    before = world.db(
        "SELECT payment_id, status, amount_paid_cents FROM payments ORDER BY 1"
    )

    day = datetime.now(UTC).date().isoformat()
    code, report = reconcile(world, day)
    assert code == 1
    found = {
        (d["kind"], d["payment_id"] or d["payment_intent_id"])
        for d in report["differences"]
    }
    assert ("AMOUNT_MISMATCH", tampered["payment_id"]) in found
    assert ("MISSING_IN_LEDGER", stray_intent) in found
    assert not any(clean["payment_id"] == pid for _, pid in found)
    assert (
        world.db(
            "SELECT payment_id, status, amount_paid_cents FROM payments ORDER BY 1"
        )
        == before
    )

    # Undo the plant: that difference is gone.
    world.db_write(
        "UPDATE payments SET amount_paid_cents = amount_paid_cents - 1 "
        "WHERE payment_id = :p",
        p=tampered["payment_id"],
    )
    _, report = reconcile(world, day)
    assert tampered["payment_id"] not in [
        d["payment_id"] for d in report["differences"]
    ]


def test_disbursements_from_released_instalments(world: PaymentsWorld) -> None:
    payload = {
        "instalment_id": f"inst-{datetime.now(UTC).timestamp()}",
        "award_id": "award-payments-test",
        "member_id": "member-payments-test",
        "amount_cents": 125_000,
        "currency": "USD",
    }
    first = world.platform.publish_event("grants", "instalment_released", payload)
    world.platform.publish_event(
        "grants", "instalment_released", payload, event_id=first.event_id
    )
    world.platform.publish_event("grants", "instalment_released", payload)

    def scheduled() -> list:
        page = world.rpc("list_disbursements", {"award_id": "award-payments-test"}, 100)
        return [
            e["node"]
            for e in page["edges"]
            if e["node"]["instalment_id"] == payload["instalment_id"]
        ]

    (disbursement,) = wait_until(scheduled, message="disbursement scheduled")
    assert disbursement["status"] == "SCHEDULED"

    # Through GraphQL: staff list and pay it; the receiving member only reads.
    platform = world.platform
    listed = platform.graphql(
        """query($a: ID!) { disbursements(filter: {awardId: $a, status: SCHEDULED},
             first: 50) { totalCount edges { node { id instalmentId amountCents
             currency status } } } }""",
        {"a": "award-payments-test"},
        token=platform.token("staff"),
    )
    nodes = [e["node"] for e in listed["data"]["disbursements"]["edges"]]
    assert {
        "id": disbursement["disbursement_id"],
        "instalmentId": payload["instalment_id"],
        "amountCents": 125_000,
        "currency": "USD",
        "status": "SCHEDULED",
    } in nodes
    mark = """mutation($d: ID!, $r: String!) { markDisbursementPaid(id: $d,
        reference: $r) { id status reference paidAt } }"""
    member_token = platform.token("member", member_id="member-payments-test")
    refused = platform.graphql(
        mark, {"d": disbursement["disbursement_id"], "r": "X"}, token=member_token
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    paid = platform.graphql(
        mark,
        {"d": disbursement["disbursement_id"], "r": "ACH-2026-0042"},
        token=platform.token("staff"),
    )["data"]["markDisbursementPaid"]
    assert (paid["status"], paid["reference"]) == ("PAID", "ACH-2026-0042")
    mine = platform.graphql(
        "{ disbursements(first: 50) { edges { node { id status } } } }",
        token=member_token,
    )["data"]["disbursements"]["edges"]
    assert {"id": disbursement["disbursement_id"], "status": "PAID"} in [
        e["node"] for e in mine
    ]
    assert len(scheduled()) == 1
    rows = world.db(
        "SELECT event_type FROM outbox WHERE envelope::jsonb -> 'payload' ->> "
        "'disbursement_id' = :d ORDER BY id",
        d=disbursement["disbursement_id"],
    )
    assert [r[0] for r in rows] == ["disbursement_scheduled", "disbursement_paid"]
