"""The payments service on the wire: its enums and the views it returns.

Views are JSON objects (snake_case keys, ISO times as strings); an enum
field carries the enum's value (see contracts/members.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    REFUNDED = "REFUNDED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"


class Purpose(StrEnum):
    DUES = "DUES"


class PaymentFlag(StrEnum):
    """Why money that arrived was not applied to the invoice (staff must look)."""

    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    DUPLICATE_PAYMENT = "DUPLICATE_PAYMENT"


class RefundStatus(StrEnum):
    REQUESTED = "REQUESTED"  # recorded, Stripe not (yet) confirmed
    PENDING = "PENDING"  # Stripe accepted it, the money has not moved yet
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class DisbursementStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    PAID = "PAID"


class StatusChangeView(TypedDict):
    old_status: PaymentStatus | None
    new_status: PaymentStatus
    changed_at: str
    source: str  # "checkout", "stripe:evt_...", "refund:<id>"
    note: str


class ReceiptView(TypedDict):
    number: str
    payment_id: str
    issued_at: str
    member_id: str
    payer_name: str | None
    payer_email: str | None
    amount_cents: int
    currency: str
    invoice_id: str
    fiscal_year: int


class RefundView(TypedDict):
    refund_id: str
    payment_id: str
    amount_cents: int
    currency: str
    reason: str
    status: RefundStatus
    stripe_refund_id: str | None
    failure: str | None
    requested_by: str
    created_at: str


class PaymentView(TypedDict):
    payment_id: str
    purpose: Purpose
    invoice_id: str
    member_id: str
    fiscal_year: int
    band: str
    status: PaymentStatus
    amount_cents: int
    currency: str
    attempt: int
    checkout_session_id: str | None
    checkout_url: str | None
    session_expires_at: str | None
    payment_intent_id: str | None
    amount_paid_cents: int | None
    paid_currency: str | None
    amount_refunded_cents: int
    paid_at: str | None
    payer_name: str | None
    payer_email: str | None
    flag: PaymentFlag | None
    flag_detail: str | None
    failure_reason: str | None
    created_at: str
    updated_at: str | None
    history: list[StatusChangeView]
    # Reads (not the staff digest's sample) add what followed the payment.
    receipt: NotRequired[ReceiptView | None]
    refunds: NotRequired[list[RefundView]]


class CheckoutView(TypedDict):
    payment_id: str
    checkout_url: str | None
    checkout_session_id: str | None
    status: PaymentStatus
    expires_at: str | None


class RefundResultView(TypedDict):
    refund: RefundView
    payment: PaymentView


class DisbursementView(TypedDict):
    disbursement_id: str
    instalment_id: str
    award_id: str
    member_id: str
    amount_cents: int
    currency: str
    status: DisbursementStatus
    reference: str | None
    scheduled_at: str
    paid_at: str | None
