"""What a payment's changes tell the rest of the platform, in the same transaction.

Called after a domain transition and before saving. Each status change is
announced by exactly one event (see `contracts.events.PaymentStatusChange`):
`payment_succeeded` (with its receipt), `payment_failed` or
`payment_refunded` when it moves money for its purpose, else
`payment_status_changed`. Money held for staff (a flag) is not announced as
dues paid or refunded. One event per change, not a general one beside each
specific one: the second was half of payments' outbox rows per webhook and
one broker message in five, and nobody needed both (docs/payments.md).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import cast

from contracts.events import (
    PaymentFailed,
    PaymentRefunded,
    PaymentStatusChanged,
    PaymentSucceeded,
)
from services.payments.domain.model import Payment, PaymentStatus, StatusChange
from services.payments.domain.receipts import issue_receipt
from services.payments.service_layer.unit_of_work import News, PaymentsUnitOfWork

SUCCEEDED = "payment_succeeded"


def iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def publish_changes(uow: PaymentsUnitOfWork, payment: Payment, now: datetime) -> None:
    news = [_news(payment, change, now) for change in payment.new_changes]
    if not any(event_type == SUCCEEDED for event_type, _ in news):
        uow.emit_many(news)
        return
    # A success names its receipt, numbered with the transaction's others in
    # one step at the end; the payment's news waits for it, to keep its order.
    if not uow.receipts_due:
        uow.last_steps.append(lambda: _issue_receipts(uow))
    uow.receipts_due.append((payment, now, news))


def _news(payment: Payment, change: StatusChange, now: datetime) -> News:
    new = change.new_status
    status: PaymentStatusChanged = {
        "payment_id": payment.payment_id,
        "invoice_id": payment.invoice_id,
        "member_id": payment.member_id,
        "old_status": change.old_status.value if change.old_status else None,
        "new_status": new.value,
        "changed_at": change.changed_at.isoformat(),
        "flag": payment.flag.value if payment.flag else None,
        "amount_refunded_cents": payment.amount_refunded_cents,
    }
    purpose = payment.purpose.value
    if new == PaymentStatus.SUCCEEDED and payment.fulfilled:
        assert payment.amount_paid_cents is not None
        succeeded: PaymentSucceeded = {
            **status,
            "purpose": purpose,
            "amount_cents": payment.amount_paid_cents,
            "currency": payment.paid_currency or payment.currency,
            "paid_at": iso(payment.paid_at) or now.isoformat(),
        }
        return SUCCEEDED, succeeded
    if new == PaymentStatus.FAILED:
        reason = payment.failure_reason or "payment failed"
        failed: PaymentFailed = {**status, "purpose": purpose, "reason": reason}
        return "payment_failed", failed
    refunded = (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED)
    if new in refunded and payment.flag is None:
        refund: PaymentRefunded = {
            **status,
            "purpose": purpose,
            "fully_refunded": new == PaymentStatus.REFUNDED,
            "refunded_at": status["changed_at"],
            "currency": payment.paid_currency or payment.currency,
        }
        return "payment_refunded", refund
    return "payment_status_changed", status


def _issue_receipts(uow: PaymentsUnitOfWork) -> None:
    """Receipts for the payments fulfilled in this transaction, then their news."""
    due, uow.receipts_due = uow.receipts_due, []
    by_year: dict[int, list[tuple[Payment, datetime, list[News]]]] = defaultdict(list)
    for payment, now, news in due:
        by_year[now.year].append((payment, now, news))
    for year, items in by_year.items():
        numbers = uow.receipts.next_sequences(year, len(items))
        receipts = [
            issue_receipt(payment, number, now)
            for (payment, now, _), number in zip(items, numbers, strict=True)
        ]
        uow.receipts.add_many(receipts)
        for (_, _, news), receipt in zip(items, receipts, strict=True):
            for event_type, payload in news:
                if event_type == SUCCEEDED:
                    cast(PaymentSucceeded, payload)["receipt_number"] = receipt.number
    uow.emit_many(event for _, _, news in due for event in news)
