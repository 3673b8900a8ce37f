"""GraphQL types of the payments domain, built from the payments service's JSON."""

from __future__ import annotations

from datetime import datetime

import strawberry

import contracts.payments
from contracts.payments import (
    CheckoutView,
    DisbursementView,
    PaymentView,
    ReceiptView,
    RefundStatus,
    RefundView,
    StatusChangeView,
)
from gateway.schema.views import from_view

# Contract enums under their GraphQL names, exported (mypy --strict) for the
# inputs and root fields: they import them from here, after the
# strawberry.enum calls below have named them (the order matters).
DisbursementStatus = contracts.payments.DisbursementStatus
PaymentFlag = contracts.payments.PaymentFlag
PaymentStatus = contracts.payments.PaymentStatus

# The wire's enums are the schema's: strawberry marks each class in place.
strawberry.enum(PaymentStatus)
strawberry.enum(
    PaymentFlag,
    description="Why money that arrived was not applied to the invoice.",
)
strawberry.enum(RefundStatus)
strawberry.enum(DisbursementStatus)


@strawberry.type(description="One change of a payment's status.")
class PaymentStatusChange:
    old_status: PaymentStatus | None
    new_status: PaymentStatus
    changed_at: datetime
    source: str = strawberry.field(
        description="What caused it: checkout, stripe:<event id>, refund:<id>."
    )
    note: str

    of = from_view(StatusChangeView)


@strawberry.type
class Payer:
    member_id: strawberry.ID
    name: str | None
    email: str | None


@strawberry.type(description="Proof of a dues payment applied to its invoice.")
class Receipt:
    number: str
    issued_at: datetime
    payer: Payer
    amount_cents: int
    currency: str
    invoice_id: strawberry.ID
    fiscal_year: int
    payment_id: strawberry.ID

    of = from_view(
        ReceiptView,
        payer=lambda r: Payer(
            member_id=strawberry.ID(r["member_id"]),
            name=r["payer_name"],
            email=r["payer_email"],
        ),
    )


@strawberry.type
class Refund:
    id: strawberry.ID
    amount_cents: int
    currency: str
    reason: str
    status: RefundStatus
    failure: str | None
    requested_by: str
    created_at: datetime

    of = from_view(RefundView, id="refund_id")


@strawberry.type(description="One attempt to pay a dues invoice through Stripe.")
class Payment:
    id: strawberry.ID
    status: PaymentStatus
    purpose: str
    amount_cents: int = strawberry.field(description="What the invoice asks for.")
    currency: str
    amount_paid_cents: int | None = strawberry.field(
        description="What Stripe took (null until paid)."
    )
    amount_refunded_cents: int
    invoice_id: strawberry.ID
    member_id: strawberry.ID
    fiscal_year: int
    band: str
    attempt: int
    checkout_session_id: str | None
    checkout_url: str | None
    session_expires_at: datetime | None
    payment_intent_id: str | None
    paid_at: datetime | None
    created_at: datetime
    flag: PaymentFlag | None = strawberry.field(
        description="Set when the money is held for staff instead of paying the "
        "invoice."
    )
    flag_detail: str | None
    failure_reason: str | None
    history: list[PaymentStatusChange]
    receipt: Receipt | None
    refunds: list[Refund]

    of = from_view(PaymentView, id="payment_id")


@strawberry.type(description="Where to send the payer to pay the invoice.")
class DuesCheckout:
    payment_id: strawberry.ID
    checkout_url: str | None
    checkout_session_id: str | None
    status: PaymentStatus
    expires_at: datetime | None

    of = from_view(CheckoutView)


@strawberry.type
class RefundResult:
    refund: Refund
    payment: Payment


@strawberry.type(description="A payment's status as it changes (subscription).")
class PaymentStatusUpdate:
    payment_id: strawberry.ID
    status: PaymentStatus
    old_status: PaymentStatus | None
    changed_at: datetime
    invoice_id: strawberry.ID | None
    flag: PaymentFlag | None
    amount_refunded_cents: int | None


@strawberry.type(description="A grant instalment the organization pays out.")
class Disbursement:
    id: strawberry.ID
    instalment_id: strawberry.ID
    award_id: strawberry.ID
    member_id: strawberry.ID
    amount_cents: int
    currency: str
    status: DisbursementStatus
    reference: str | None
    scheduled_at: datetime
    paid_at: datetime | None

    of = from_view(DisbursementView, id="disbursement_id")
