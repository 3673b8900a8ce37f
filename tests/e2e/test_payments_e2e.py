"""Dues paid end to end on the running platform, through GraphQL and HTTP only.

A member's user with an open invoice asks for a checkout, follows the
payment over the `paymentStatus` subscription (graphql-transport-ws), pays on
the offline Stripe's checkout page; Stripe's signed webhook reaches the
gateway; the payment is SUCCEEDED with a receipt, the invoice PAID, the member
ACTIVE, and the subscription saw PENDING then SUCCEEDED. Staff then refund it
in two parts, which the subscription sees too, until it completes.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.integration.payments.world import PaymentsWorld
from tests.support.platform import Platform
from tests.support.wait import wait_until

BANDS: list[dict[str, Any]] = [
    {"minPopulation": 1, "maxPopulation": 25_000, "amountCents": 15_000},
    {"minPopulation": 25_001, "maxPopulation": 50_000, "amountCents": 30_000},
    {"minPopulation": 50_001, "maxPopulation": 100_000, "amountCents": 45_000},
    {"minPopulation": 100_001, "maxPopulation": 300_000, "amountCents": 60_000},
    {"minPopulation": 300_001, "maxPopulation": 500_000, "amountCents": 75_000},
    {"minPopulation": 500_001, "maxPopulation": None, "amountCents": 90_000},
]
PAYMENT_FIELDS = """
  id status amountCents currency amountPaidCents amountRefundedCents invoiceId
  checkoutSessionId flag history { oldStatus newStatus changedAt source }
  receipt { number issuedAt amountCents currency invoiceId fiscalYear
            payer { memberId name email } }
  member { id name status }
"""


@pytest.fixture(scope="module")
def world(platform: Platform) -> PaymentsWorld:
    return PaymentsWorld(platform)  # members, payments, gateway, devstripe


def gql(
    platform: Platform, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    body = platform.graphql(query, variables, token=token)
    assert not body.get("errors"), body["errors"]
    data: dict[str, Any] = body["data"]
    return data


class Subscription:
    """A graphql-transport-ws subscription read on a thread of its own."""

    def __init__(self, url: str, token: str, query: str, variables: Any) -> None:
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._stack = contextlib.ExitStack()
        self._ws = self._stack.enter_context(
            connect(
                url.replace("http://", "ws://") + "/graphql",
                subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            )
        )
        self._ws.send(
            json.dumps(
                {
                    "type": "connection_init",
                    "payload": {"Authorization": f"Bearer {token}"},
                }
            )
        )
        assert json.loads(self._ws.recv(timeout=10))["type"] == "connection_ack"
        self._ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables},
                }
            )
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self._ws:
                self.messages.put(json.loads(raw))
        except Exception:  # closed under us at the end of the test
            return

    def next(self, timeout: float = 30) -> dict[str, Any]:
        return self.messages.get(timeout=timeout)

    def close(self) -> None:
        self._stack.close()


def test_member_pays_dues_and_staff_refund_through_graphql(
    world: PaymentsWorld, platform: Platform
) -> None:
    staff = platform.token("staff")
    year = date.today().year
    schedule = gql(
        platform, "query($y: Int!) { duesSchedule(fiscalYear: $y) { fiscalYear } }",
        staff, y=year,
    )  # fmt: skip
    if schedule["duesSchedule"] is None:
        gql(
            platform,
            "mutation($y: Int!, $b: [DuesBandInput!]!) "
            "{ setDuesSchedule(fiscalYear: $y, bands: $b) { fiscalYear } }",
            staff,
            y=year,
            b=BANDS,
        )
    registered = gql(
        platform,
        """mutation($input: RegisterMemberInput!) { registerMember(input: $input) {
             id name status currentInvoice { id amountCents currency status } } }""",
        staff,
        input={
            "name": f"Burlington {uuid.uuid4().hex[:6]}",
            "kind": "CITY",
            "state": "VT",
            "population": 44_000,
            "contactEmail": "treasurer@burlington.example",
        },
    )["registerMember"]
    member_id = registered["id"]
    invoice = registered["currentInvoice"]
    assert invoice["status"] == "OPEN" and registered["status"] == "PENDING"
    member = platform.token("member", member_id=member_id)

    # An unrelated member's user may not start this checkout.
    stranger = platform.token("member", member_id=str(uuid.uuid4()))
    refused = platform.graphql(
        """mutation($i: ID!) { createDuesCheckout(invoiceId: $i,
             successUrl: "https://x.example/ok", cancelUrl: "https://x.example/no")
             { paymentId } }""",
        {"i": invoice["id"]},
        token=stranger,
    )
    # Someone else's invoice is as unknown as one that never was.
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    checkout = gql(
        platform,
        """mutation($i: ID!, $ok: String!, $no: String!) {
             createDuesCheckout(invoiceId: $i, successUrl: $ok, cancelUrl: $no) {
               paymentId checkoutUrl checkoutSessionId status expiresAt } }""",
        member,
        i=invoice["id"],
        ok="https://members.example.org/dues/thanks?session={CHECKOUT_SESSION_ID}",
        no="https://members.example.org/dues",
    )["createDuesCheckout"]
    payment_id = checkout["paymentId"]
    assert checkout["status"] == "PENDING"

    live = Subscription(
        platform.gateway_url,
        member,
        "subscription($p: ID!) { paymentStatus(paymentId: $p) "
        "{ paymentId status oldStatus changedAt amountRefundedCents } }",
        {"p": payment_id},
    )
    try:
        first = live.next()
        assert first["type"] == "next", first
        assert first["payload"]["data"]["paymentStatus"]["status"] == "PENDING"

        # The payer clicks Pay on the offline Stripe's checkout page.
        page = httpx.get(checkout["checkoutUrl"], timeout=10)
        assert page.status_code == 200 and "Pay" in page.text
        paid = httpx.post(
            checkout["checkoutUrl"] + "/pay",
            json={"email": "treasurer@burlington.example"},
            timeout=30,
        )
        assert paid.status_code == 200, paid.text

        second = live.next()
        update = second["payload"]["data"]["paymentStatus"]
        assert (update["oldStatus"], update["status"]) == ("PENDING", "SUCCEEDED")

        payment = gql(
            platform,
            f"query($p: ID!) {{ payment(id: $p) {{ {PAYMENT_FIELDS} }} }}",
            member,
            p=payment_id,
        )["payment"]
        assert payment["status"] == "SUCCEEDED"
        amount = invoice["amountCents"]
        assert payment["amountPaidCents"] == amount > 10_000
        assert payment["invoiceId"] == invoice["id"]
        assert payment["checkoutSessionId"] == checkout["checkoutSessionId"]
        assert [h["newStatus"] for h in payment["history"]] == ["PENDING", "SUCCEEDED"]
        receipt = payment["receipt"]
        assert receipt["number"].startswith("R-")
        assert receipt["payer"] == {
            "memberId": member_id,
            "name": registered["name"],
            "email": "treasurer@burlington.example",
        }
        assert (receipt["amountCents"], receipt["invoiceId"]) == (amount, invoice["id"])
        assert (
            gql(
                platform,
                "query($n: String!) { receipt(number: $n) { number } }",
                member,
                n=receipt["number"],
            )["receipt"]["number"]
            == receipt["number"]
        )

        def member_now() -> dict[str, Any]:
            return gql(
                platform,
                """query($m: ID!) { member(id: $m) { status goodStanding
                     currentInvoice { id status payments { id status } } } }""",
                member,
                m=member_id,
            )["member"]

        active = wait_until(
            lambda: (m := member_now())["status"] == "ACTIVE" and m,
            timeout=20,
            message="member ACTIVE",
        )
        assert active["currentInvoice"]["status"] == "PAID"
        assert active["currentInvoice"]["payments"] == [
            {"id": payment_id, "status": "SUCCEEDED"}
        ]

        # Staff list it; a member may not refund; staff refund in two parts.
        listed = gql(
            platform,
            """query($m: ID!) { payments(filter: {memberId: $m, status: SUCCEEDED},
                 first: 5) { totalCount edges { cursor node { id } }
                 pageInfo { hasNextPage endCursor } } }""",
            staff,
            m=member_id,
        )["payments"]
        assert listed["totalCount"] == 1
        assert listed["edges"][0]["node"]["id"] == payment_id
        refund = """mutation($p: ID!, $a: Int, $r: String!) {
            refundPayment(paymentId: $p, amountCents: $a, reason: $r) {
              refund { status amountCents }
              payment { status amountRefundedCents } } }"""
        denied = platform.graphql(
            refund, {"p": payment_id, "a": 100, "r": "duplicate"}, token=member
        )
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        part = gql(platform, refund, staff, p=payment_id, a=10_000, r="duplicate")
        assert part["refundPayment"]["payment"]["status"] == "PARTIALLY_REFUNDED"
        third = live.next()["payload"]["data"]["paymentStatus"]
        assert (third["status"], third["amountRefundedCents"]) == (
            "PARTIALLY_REFUNDED",
            10_000,
        )
        rest = gql(platform, refund, staff, p=payment_id, a=None, r="left the body")
        assert rest["refundPayment"]["refund"]["amountCents"] == amount - 10_000
        fourth = live.next()["payload"]["data"]["paymentStatus"]
        assert fourth["status"] == "REFUNDED"
        assert live.next()["type"] == "complete"
        wait_until(
            lambda: member_now()["currentInvoice"]["status"] == "REFUNDED",
            timeout=20,
            message="invoice REFUNDED",
        )
    except BaseException:
        for name in ("gateway", "payments", "members"):
            proc = platform.processes.get(name)
            if proc is not None:
                print(f"--- {name} log ---\n{proc.log_tail(60)}")
        raise
    finally:
        live.close()
