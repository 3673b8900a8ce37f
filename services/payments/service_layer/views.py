"""Domain objects as the RPC methods answer with them: contracts.payments'
views (snake_case, ISO times)."""

from __future__ import annotations

from contracts.payments import (
    DisbursementView,
    PaymentView,
    ReceiptView,
    RefundView,
    StatusChangeView,
)
from services.payments.domain.disbursements import Disbursement
from services.payments.domain.model import Payment, StatusChange
from services.payments.domain.receipts import Receipt
from services.payments.domain.refunds import Refund
from services.payments.service_layer.publishing import iso


def change(c: StatusChange) -> StatusChangeView:
    return {
        "old_status": c.old_status,
        "new_status": c.new_status,
        "changed_at": c.changed_at.isoformat(),
        "source": c.source,
        "note": c.note,
    }


def payment(p: Payment) -> PaymentView:
    return {
        "payment_id": p.payment_id,
        "purpose": p.purpose,
        "invoice_id": p.invoice_id,
        "member_id": p.member_id,
        "fiscal_year": p.fiscal_year,
        "band": p.band,
        "status": p.status,
        "amount_cents": p.amount_cents,
        "currency": p.currency,
        "attempt": p.attempt,
        "checkout_session_id": p.checkout_session_id,
        "checkout_url": p.checkout_url,
        "session_expires_at": iso(p.session_expires_at),
        "payment_intent_id": p.payment_intent_id,
        "amount_paid_cents": p.amount_paid_cents,
        "paid_currency": p.paid_currency,
        "amount_refunded_cents": p.amount_refunded_cents,
        "paid_at": iso(p.paid_at),
        "payer_name": p.payer_name,
        "payer_email": p.payer_email,
        "flag": p.flag,
        "flag_detail": p.flag_detail,
        "failure_reason": p.failure_reason,
        "created_at": p.created_at.isoformat(),
        "updated_at": iso(p.updated_at),
        "history": [change(c) for c in p.history],
    }


def refund(r: Refund) -> RefundView:
    return {
        "refund_id": r.refund_id,
        "payment_id": r.payment_id,
        "amount_cents": r.amount_cents,
        "currency": r.currency,
        "reason": r.reason,
        "status": r.status,
        "stripe_refund_id": r.stripe_refund_id,
        "failure": r.failure,
        "requested_by": r.requested_by,
        "created_at": r.created_at.isoformat(),
    }


def receipt(r: Receipt) -> ReceiptView:
    return {
        "number": r.number,
        "payment_id": r.payment_id,
        "issued_at": r.issued_at.isoformat(),
        "member_id": r.member_id,
        "payer_name": r.payer_name,
        "payer_email": r.payer_email,
        "amount_cents": r.amount_cents,
        "currency": r.currency,
        "invoice_id": r.invoice_id,
        "fiscal_year": r.fiscal_year,
    }


def disbursement(d: Disbursement) -> DisbursementView:
    return {
        "disbursement_id": d.disbursement_id,
        "instalment_id": d.instalment_id,
        "award_id": d.award_id,
        "member_id": d.member_id,
        "amount_cents": d.amount_cents,
        "currency": d.currency,
        "status": d.status,
        "reference": d.reference,
        "scheduled_at": d.scheduled_at.isoformat(),
        "paid_at": iso(d.paid_at),
    }
