"""The payments unit of work: one transaction, its repositories and its outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from common.uow import UnitOfWork
from contracts.events import (
    PaymentFailed,
    PaymentRefunded,
    PaymentStatusChanged,
    PaymentSucceeded,
)
from services.payments.adapters.disbursement_repository import DisbursementRepository
from services.payments.adapters.receipt_repository import ReceiptRepository
from services.payments.adapters.refund_repository import RefundRepository
from services.payments.adapters.repository import PaymentRepository
from services.payments.adapters.stripe_events import StripeEventLog
from services.payments.domain.model import Payment

# An event to emit: its type and payload.
News = tuple[
    str, PaymentSucceeded | PaymentFailed | PaymentRefunded | PaymentStatusChanged
]


class PaymentsUnitOfWork(UnitOfWork):
    payments: PaymentRepository
    refunds: RefundRepository
    receipts: ReceiptRepository
    disbursements: DisbursementRepository
    stripe_events: StripeEventLog

    def _start(self) -> None:
        # Work that takes a shared lock (the SQLite receipt counter) runs at
        # the commit, so the lock is held as briefly as possible.
        self.last_steps: list[Callable[[], None]] = []
        # Fulfilled payments, when, and their news (waiting for receipt numbers).
        self.receipts_due: list[tuple[Payment, datetime, list[News]]] = []
        self.payments = PaymentRepository(self.session)
        self.refunds = RefundRepository(self.session)
        self.receipts = ReceiptRepository(self.session)
        self.disbursements = DisbursementRepository(self.session)
        self.stripe_events = StripeEventLog(self.session)

    def commit(self) -> None:
        # The last steps first: they read answers (receipt numbers) and the
        # writes held back before them would go in their round trip.
        steps, self.last_steps = self.last_steps, []
        with self.writes_together():
            for step in steps:
                step()
            self.payments.flush()
            super().commit()


UowFactory = Callable[[], PaymentsUnitOfWork]
