"""What a payment's changes tell the rest of the platform, in the same transaction.

Called after a domain transition and before saving: every status change
becomes a `payment_status_changed` event and, depending on the change,
`payment_succeeded` (+ a receipt), `payment_failed` or `payment_refunded`.
Money held for staff (a flag) is not announced as dues paid or refunded.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from services.payments.domain.model import Payment, PaymentStatus
from services.payments.domain.receipts import issue_receipt
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork


def iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def publish_changes(uow: PaymentsUnitOfWork, payment: Payment, now: datetime) -> None:
    for change in payment.new_changes:
        uow.emit(
            "payment_status_changed",
            {
                "payment_id": payment.payment_id,
                "old_status": change.old_status.value if change.old_status else None,
                "new_status": change.new_status.value,
                "invoice_id": payment.invoice_id,
                "member_id": payment.member_id,
                "changed_at": change.changed_at.isoformat(),
                "flag": payment.flag.value if payment.flag else None,
                "amount_refunded_cents": payment.amount_refunded_cents,
            },
        )
        new = change.new_status
        if new == PaymentStatus.SUCCEEDED and payment.fulfilled:
            if not uow.receipts_due:  # one step issues all of them
                uow.last_steps.append(lambda: _succeeded(uow))
            uow.receipts_due.append((payment, now))
        elif new == PaymentStatus.FAILED:
            uow.emit(
                "payment_failed",
                {
                    "payment_id": payment.payment_id,
                    "purpose": payment.purpose.value,
                    "invoice_id": payment.invoice_id,
                    "member_id": payment.member_id,
                    "reason": payment.failure_reason or "payment failed",
                },
            )
        elif (
            new in (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED)
            and payment.flag is None
        ):
            uow.emit(
                "payment_refunded",
                {
                    "payment_id": payment.payment_id,
                    "purpose": payment.purpose.value,
                    "invoice_id": payment.invoice_id,
                    "member_id": payment.member_id,
                    # The running total, so consumers can ignore older news.
                    "amount_refunded_cents": payment.amount_refunded_cents,
                    "fully_refunded": new == PaymentStatus.REFUNDED,
                    "refunded_at": change.changed_at.isoformat(),
                    "currency": payment.paid_currency or payment.currency,
                },
            )


def _succeeded(uow: PaymentsUnitOfWork) -> None:
    """Receipts for the payments fulfilled in this transaction, and the news."""
    due, uow.receipts_due = uow.receipts_due, []
    by_year: dict[int, list[tuple[Payment, datetime]]] = defaultdict(list)
    for payment, now in due:
        by_year[now.year].append((payment, now))
    for year, items in by_year.items():
        numbers = uow.receipts.next_sequences(year, len(items))
        receipts = [
            issue_receipt(payment, number, now)
            for (payment, now), number in zip(items, numbers, strict=True)
        ]
        uow.receipts.add_many(receipts)
        for (payment, now), receipt in zip(items, receipts, strict=True):
            assert payment.amount_paid_cents is not None
            uow.emit(
                "payment_succeeded",
                {
                    "payment_id": payment.payment_id,
                    "purpose": payment.purpose.value,
                    "invoice_id": payment.invoice_id,
                    "member_id": payment.member_id,
                    "amount_cents": payment.amount_paid_cents,
                    "currency": payment.paid_currency or payment.currency,
                    "paid_at": iso(payment.paid_at) or now.isoformat(),
                    "receipt_number": receipt.number,
                },
            )
