"""The payments domain's part of the schema: dues checkout, payments, refunds,
receipts, disbursements, and the live `paymentStatus` subscription.

Every rule and permission is enforced by the payments service; these
resolvers translate. `Invoice.payments` is declared in gateway.schema.links.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Mapping, Sequence
from datetime import datetime
from typing import Any

import strawberry

from contracts.payments import PaymentView
from gateway.clients import PaymentsClient
from gateway.context import Info
from gateway.errors import ServiceError, unavailable
from gateway.schema.decorators import field, mutation, subscription
from gateway.schema.pagination import Connection
from gateway.schema.payments.inputs import DisbursementFilter, PaymentFilter
from gateway.schema.payments.types import (
    Disbursement,
    DuesCheckout,
    Payment,
    PaymentFlag,
    PaymentStatus,
    PaymentStatusUpdate,
    Receipt,
    Refund,
    RefundResult,
)
from gateway.subscriptions import RECONNECTED, hub

# A status change: a payment's history entry, or a `payment_status_changed`
# event from the hub (its payload, which may carry flag and refunded amount).
Change = Mapping[str, Any]


def payments(info: Info) -> PaymentsClient:
    """The payments service, as the caller."""
    return info.context.services.payments


@strawberry.type
class Query:
    @field(description="Staff, or the paying member's own users.")
    async def payment(self, info: Info, id: strawberry.ID) -> Payment:
        return Payment.of(await payments(info).get_payment(str(id)))

    @field(description="Newest first. Staff see all; a member's users see their own.")
    async def payments(
        self,
        info: Info,
        filter: PaymentFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Payment]:
        wanted = filter.wire() if filter else None
        return Connection.of(
            await payments(info).list_payments(wanted, first, after), Payment.of
        )

    @field(description="Staff, or the paying member's own users.")
    async def receipt(self, info: Info, number: str) -> Receipt:
        return Receipt.of(await payments(info).get_receipt(number))

    @field(description="Staff, or the receiving member's own users.")
    async def disbursement(self, info: Info, id: strawberry.ID) -> Disbursement:
        return Disbursement.of(await payments(info).get_disbursement(str(id)))

    @field(description="Newest first. Staff see all; a member's users see their own.")
    async def disbursements(
        self,
        info: Info,
        filter: DisbursementFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Disbursement]:
        wanted = filter.wire() if filter else None
        return Connection.of(
            await payments(info).list_disbursements(wanted, first, after),
            Disbursement.of,
        )


@strawberry.type
class Mutation:
    @mutation(
        description="Staff or the invoice's member: a Stripe Checkout session for "
        "an open dues invoice; asking again while it is open returns the same one."
    )
    async def create_dues_checkout(
        self,
        info: Info,
        invoice_id: strawberry.ID,
        success_url: str,
        cancel_url: str,
    ) -> DuesCheckout:
        found = await payments(info).create_dues_checkout(
            str(invoice_id), success_url, cancel_url
        )
        return DuesCheckout.of(found)

    @mutation(
        description="Staff: refund through Stripe, in part (amountCents) or all "
        "that is left (amountCents null)."
    )
    async def refund_payment(
        self,
        info: Info,
        payment_id: strawberry.ID,
        reason: str,
        amount_cents: int | None = None,
    ) -> RefundResult:
        done = await payments(info).refund_payment(
            str(payment_id), amount_cents, reason
        )
        return RefundResult(
            refund=Refund.of(done["refund"]), payment=Payment.of(done["payment"])
        )

    @mutation(description="Staff: the disbursement was paid out.")
    async def mark_disbursement_paid(
        self, info: Info, id: strawberry.ID, reference: str
    ) -> Disbursement:
        found = await payments(info).mark_disbursement_paid(str(id), reference)
        return Disbursement.of(found)


def _update(change: Change, payment: PaymentView) -> PaymentStatusUpdate:
    flag = change.get("flag", payment.get("flag"))
    return PaymentStatusUpdate(
        payment_id=strawberry.ID(payment["payment_id"]),
        status=PaymentStatus(change["new_status"]),
        old_status=PaymentStatus(change["old_status"])
        if change["old_status"]
        else None,
        changed_at=datetime.fromisoformat(change["changed_at"]),
        invoice_id=strawberry.ID(payment["invoice_id"]),
        flag=PaymentFlag(flag) if flag else None,
        amount_refunded_cents=change.get(
            "amount_refunded_cents", payment.get("amount_refunded_cents")
        ),
    )


async def _read_again(info: Info, payment_id: str, attempts: int = 20) -> PaymentView:
    """The payment, once the broker is back (the RPC client may reconnect a
    moment after the hub)."""
    for _ in range(attempts - 1):
        try:
            return await payments(info).get_payment(payment_id)
        except ServiceError as exc:
            if exc.code != "UNAVAILABLE":
                raise
        await asyncio.sleep(0.5)
    return await payments(info).get_payment(payment_id)


def _key(change: Change) -> tuple[datetime, str]:
    return datetime.fromisoformat(change["changed_at"]), change["new_status"]


@strawberry.type
class Subscription:
    @subscription(
        description="Staff or the paying member: the payment's current status, "
        "then each change as it happens (ends once fully refunded)."
    )
    async def payment_status(
        self, info: Info, payment_id: strawberry.ID
    ) -> AsyncGenerator[PaymentStatusUpdate, None]:
        async with contextlib.AsyncExitStack() as stack:
            try:
                queue = await stack.enter_async_context(hub.listen(str(payment_id)))
            except Exception as exc:
                raise unavailable(
                    "live payment updates are unavailable", str(exc)
                ) from exc
            # Listen first, then read: a change between the two is not missed.
            payment = await payments(info).get_payment(str(payment_id))
            seen = {_key(c) for c in payment["history"]}
            latest: Change = payment["history"][-1]
            yield _update(latest, payment)
            while latest["new_status"] != "REFUNDED":
                news = await queue.get()
                if news is RECONNECTED:
                    # The hub was away: what changed meanwhile is in a new read.
                    payment = await _read_again(info, str(payment_id))
                    changes: Sequence[Change] = payment["history"]
                else:
                    changes = [news]
                for change in changes:
                    if _key(change) in seen:
                        continue  # already in the snapshot
                    seen.add(_key(change))
                    latest = change
                    yield _update(change, payment)
