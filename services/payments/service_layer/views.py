"""Domain objects as the JSON the RPC methods answer with (snake_case, ISO times)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.payments.domain.disbursements import Disbursement
from services.payments.domain.model import Payment, StatusChange
from services.payments.domain.receipts import Receipt
from services.payments.domain.refunds import Refund
from services.payments.service_layer.publishing import iso

Json = dict[str, Any]


def connection(
    cursors: Sequence[str],
    nodes: Sequence[Json],
    total_count: int,
    has_next_page: bool,
    after: str | None,
) -> Json:
    """A Relay-style page: edges, page_info and total_count."""
    return {
        "edges": [
            {"cursor": c, "node": n} for c, n in zip(cursors, nodes, strict=True)
        ],
        "page_info": {
            "has_next_page": has_next_page,
            "has_previous_page": after is not None,
            "start_cursor": cursors[0] if cursors else None,
            "end_cursor": cursors[-1] if cursors else None,
        },
        "total_count": total_count,
    }


def change(c: StatusChange) -> Json:
    return {
        "old_status": c.old_status.value if c.old_status else None,
        "new_status": c.new_status.value,
        "changed_at": c.changed_at.isoformat(),
        "source": c.source,
        "note": c.note,
    }


def payment(p: Payment) -> Json:
    return {
        "payment_id": p.payment_id,
        "purpose": p.purpose.value,
        "invoice_id": p.invoice_id,
        "member_id": p.member_id,
        "fiscal_year": p.fiscal_year,
        "band": p.band,
        "status": p.status.value,
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
        "flag": p.flag.value if p.flag else None,
        "flag_detail": p.flag_detail,
        "failure_reason": p.failure_reason,
        "created_at": p.created_at.isoformat(),
        "updated_at": iso(p.updated_at),
        "history": [change(c) for c in p.history],
    }


def refund(r: Refund) -> Json:
    return {
        "refund_id": r.refund_id,
        "payment_id": r.payment_id,
        "amount_cents": r.amount_cents,
        "currency": r.currency,
        "reason": r.reason,
        "status": r.status.value,
        "stripe_refund_id": r.stripe_refund_id,
        "failure": r.failure,
        "requested_by": r.requested_by,
        "created_at": r.created_at.isoformat(),
    }


def receipt(r: Receipt) -> Json:
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


def disbursement(d: Disbursement) -> Json:
    return {
        "disbursement_id": d.disbursement_id,
        "instalment_id": d.instalment_id,
        "award_id": d.award_id,
        "member_id": d.member_id,
        "amount_cents": d.amount_cents,
        "currency": d.currency,
        "status": d.status.value,
        "reference": d.reference,
        "scheduled_at": d.scheduled_at.isoformat(),
        "paid_at": iso(d.paid_at),
    }
