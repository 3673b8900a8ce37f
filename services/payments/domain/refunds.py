"""Refunds staff ask for: what can be refunded and how Stripe is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.errors import BadInput, Conflict
from contracts.payments import RefundStatus
from services.payments.domain.model import Payment
from services.payments.domain.text import check_text

MAX_REASON_LENGTH = 500
# Stripe accepts only these as `reason`; anything else travels in metadata.
STRIPE_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


@dataclass
class Refund:
    refund_id: str
    payment_id: str
    sequence: int  # 1, 2, ... per payment: part of the idempotency key
    amount_cents: int
    currency: str
    reason: str
    requested_by: str
    created_at: datetime
    status: RefundStatus = RefundStatus.REQUESTED
    stripe_refund_id: str | None = None
    failure: str | None = None
    updated_at: datetime | None = None

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.payment_id}-{self.sequence}"

    @property
    def stripe_reason(self) -> str:
        text = self.reason.strip().lower()
        return text if text in STRIPE_REASONS else "requested_by_customer"


def check_reason(reason: str | None) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise BadInput("say why the payment is refunded", "reason")
    return check_text(reason, "reason", MAX_REASON_LENGTH)


def refund_amount(
    payment: Payment, amount_cents: int | None, in_flight_cents: int
) -> int:
    """The amount to refund (None = all that is left), or why it cannot be."""
    if not payment.is_paid or payment.amount_paid_cents is None:
        raise Conflict(
            f"only a paid payment can be refunded (this one is {payment.status})",
            "paymentId",
        )
    left = payment.refundable_cents - in_flight_cents
    if left <= 0:
        raise Conflict("nothing is left to refund on this payment", "paymentId")
    if amount_cents is None:
        return left
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise BadInput("must be a whole number of cents", "amountCents")
    if amount_cents <= 0:
        raise BadInput("must be more than zero", "amountCents")
    if amount_cents > left:
        raise BadInput(
            f"at most {left} {payment.paid_currency} cents can still be refunded",
            "amountCents",
        )
    return amount_cents
