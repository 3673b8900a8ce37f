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


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


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

    @classmethod
    def of(cls, c: StatusChangeView) -> PaymentStatusChange:
        return cls(
            old_status=PaymentStatus(c["old_status"]) if c["old_status"] else None,
            new_status=PaymentStatus(c["new_status"]),
            changed_at=datetime.fromisoformat(c["changed_at"]),
            source=c["source"],
            note=c["note"],
        )


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

    @classmethod
    def of(cls, r: ReceiptView) -> Receipt:
        return cls(
            number=r["number"],
            issued_at=datetime.fromisoformat(r["issued_at"]),
            payer=Payer(
                member_id=strawberry.ID(r["member_id"]),
                name=r["payer_name"],
                email=r["payer_email"],
            ),
            amount_cents=r["amount_cents"],
            currency=r["currency"],
            invoice_id=strawberry.ID(r["invoice_id"]),
            fiscal_year=r["fiscal_year"],
            payment_id=strawberry.ID(r["payment_id"]),
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

    @classmethod
    def of(cls, r: RefundView) -> Refund:
        return cls(
            id=strawberry.ID(r["refund_id"]),
            amount_cents=r["amount_cents"],
            currency=r["currency"],
            reason=r["reason"],
            status=RefundStatus(r["status"]),
            failure=r["failure"],
            requested_by=r["requested_by"],
            created_at=datetime.fromisoformat(r["created_at"]),
        )


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

    @classmethod
    def of(cls, p: PaymentView) -> Payment:
        return cls(
            id=strawberry.ID(p["payment_id"]),
            status=PaymentStatus(p["status"]),
            purpose=p["purpose"],
            amount_cents=p["amount_cents"],
            currency=p["currency"],
            amount_paid_cents=p["amount_paid_cents"],
            amount_refunded_cents=p["amount_refunded_cents"],
            invoice_id=strawberry.ID(p["invoice_id"]),
            member_id=strawberry.ID(p["member_id"]),
            fiscal_year=p["fiscal_year"],
            band=p["band"],
            attempt=p["attempt"],
            checkout_session_id=p["checkout_session_id"],
            checkout_url=p["checkout_url"],
            session_expires_at=_when(p["session_expires_at"]),
            payment_intent_id=p["payment_intent_id"],
            paid_at=_when(p["paid_at"]),
            created_at=datetime.fromisoformat(p["created_at"]),
            flag=PaymentFlag(p["flag"]) if p["flag"] else None,
            flag_detail=p["flag_detail"],
            failure_reason=p["failure_reason"],
            history=[PaymentStatusChange.of(c) for c in p["history"]],
            receipt=Receipt.of(receipt) if (receipt := p.get("receipt")) else None,
            refunds=[Refund.of(r) for r in p.get("refunds", [])],
        )


@strawberry.type(description="Where to send the payer to pay the invoice.")
class DuesCheckout:
    payment_id: strawberry.ID
    checkout_url: str | None
    checkout_session_id: str | None
    status: PaymentStatus
    expires_at: datetime | None

    @classmethod
    def of(cls, c: CheckoutView) -> DuesCheckout:
        return cls(
            payment_id=strawberry.ID(c["payment_id"]),
            checkout_url=c["checkout_url"],
            checkout_session_id=c["checkout_session_id"],
            status=PaymentStatus(c["status"]),
            expires_at=_when(c["expires_at"]),
        )


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

    @classmethod
    def of(cls, d: DisbursementView) -> Disbursement:
        return cls(
            id=strawberry.ID(d["disbursement_id"]),
            instalment_id=strawberry.ID(d["instalment_id"]),
            award_id=strawberry.ID(d["award_id"]),
            member_id=strawberry.ID(d["member_id"]),
            amount_cents=d["amount_cents"],
            currency=d["currency"],
            status=DisbursementStatus(d["status"]),
            reference=d["reference"],
            scheduled_at=datetime.fromisoformat(d["scheduled_at"]),
            paid_at=_when(d["paid_at"]),
        )
