"""Receipts: one per payment applied to an invoice, numbered without gaps per year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.payments.domain.model import Payment


@dataclass(frozen=True)
class Receipt:
    number: str
    payment_id: str
    issued_at: datetime
    member_id: str
    payer_name: str | None
    payer_email: str | None
    amount_cents: int
    currency: str
    invoice_id: str
    fiscal_year: int


def receipt_number(year: int, sequence: int) -> str:
    return f"R-{year}-{sequence:06d}"


def issue_receipt(payment: Payment, sequence: int, at: datetime) -> Receipt:
    """The receipt for a fulfilled payment; `sequence` is the year's next number."""
    assert payment.fulfilled and payment.amount_paid_cents is not None
    return Receipt(
        number=receipt_number(at.year, sequence),
        payment_id=payment.payment_id,
        issued_at=at,
        member_id=payment.member_id,
        payer_name=payment.payer_name,
        payer_email=payment.payer_email,
        amount_cents=payment.amount_paid_cents,
        currency=payment.paid_currency or payment.currency,
        invoice_id=payment.invoice_id,
        fiscal_year=payment.fiscal_year,
    )
