"""A payment and the rules of its life: what each piece of news from Stripe does.

Stripe may deliver news late, twice or out of order. The rules below make the
outcome depend only on the set of facts received, not on their order:
money facts (paid, refunded) always count; the softer endings (expired,
failed) only end a payment that is still waiting; refund totals only grow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from contracts.payments import PaymentFlag as Flag
from contracts.payments import PaymentStatus, Purpose

PAID_STATES = frozenset(
    {
        PaymentStatus.SUCCEEDED,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    }
)


@dataclass(frozen=True)
class StatusChange:
    old_status: PaymentStatus | None
    new_status: PaymentStatus
    changed_at: datetime
    source: str  # "checkout", "stripe:evt_...", "refund:<id>"
    note: str = ""


@dataclass
class Payment:
    payment_id: str
    purpose: Purpose
    invoice_id: str
    member_id: str
    fiscal_year: int
    band: str
    amount_cents: int  # what the invoice asks for
    currency: str  # ISO 4217, upper case
    attempt: int
    created_at: datetime
    status: PaymentStatus = PaymentStatus.PENDING
    checkout_session_id: str | None = None
    checkout_url: str | None = None
    session_expires_at: datetime | None = None
    success_url: str = ""
    cancel_url: str = ""
    payment_intent_id: str | None = None
    amount_paid_cents: int | None = None
    paid_currency: str | None = None
    amount_refunded_cents: int = 0
    paid_at: datetime | None = None
    payer_name: str | None = None
    payer_email: str | None = None
    flag: Flag | None = None
    flag_detail: str | None = None
    failure_reason: str | None = None
    updated_at: datetime | None = None
    history: list[StatusChange] = field(default_factory=list)
    # Changes made in this unit of work, for the repository to append.
    new_changes: list[StatusChange] = field(default_factory=list)

    @property
    def is_paid(self) -> bool:
        return self.status in PAID_STATES

    @property
    def fulfilled(self) -> bool:
        """Money arrived and was applied to the invoice (not held for staff)."""
        return self.is_paid and self.flag is None

    @property
    def refundable_cents(self) -> int:
        if not self.is_paid or self.amount_paid_cents is None:
            return 0
        return self.amount_paid_cents - self.amount_refunded_cents

    @property
    def idempotency_key(self) -> str:
        # One Stripe session per (invoice, attempt): a retried create returns it.
        return f"dues-checkout-{self.invoice_id}-{self.attempt}"

    def session_open_at(self, now: datetime) -> bool:
        return (
            self.status == PaymentStatus.PENDING
            and self.checkout_url is not None
            and self.session_expires_at is not None
            and self.session_expires_at > now
        )

    def _move(self, new: PaymentStatus, at: datetime, source: str, note: str) -> None:
        change = StatusChange(self.status, new, at, source, note)
        self.status = new
        self.updated_at = at
        self.new_changes.append(change)
        self.history.append(change)

    def record_created(self, source: str = "checkout") -> None:
        change = StatusChange(None, PaymentStatus.PENDING, self.created_at, source)
        self.new_changes.append(change)
        self.history.append(change)

    def attach_session(
        self, session_id: str, url: str | None, expires_at: datetime | None
    ) -> bool:
        """Recorded by whichever comes first: our checkout call or Stripe's news.
        True if anything was new."""
        before = (self.checkout_session_id, self.checkout_url, self.session_expires_at)
        if self.checkout_session_id is None:
            self.checkout_session_id = session_id
        if url and self.checkout_url is None:
            self.checkout_url = url
        if expires_at and self.session_expires_at is None:
            self.session_expires_at = expires_at
        after = (self.checkout_session_id, self.checkout_url, self.session_expires_at)
        return before != after

    def succeed(
        self,
        *,
        amount_cents: int,
        currency: str,
        payment_intent_id: str | None,
        paid_at: datetime,
        source: str,
        payer_email: str | None = None,
        invoice_already_paid: bool = False,
        recorded_at: datetime | None = None,
    ) -> bool:
        """Stripe took the money (at `paid_at`, by Stripe's clock); we learnt it
        at `recorded_at`. False if we already knew (nothing changes).

        The money is recorded whatever happens; it is applied to the invoice
        only when it matches the invoice and the invoice was not paid already.
        """
        if self.is_paid:
            return False
        self.amount_paid_cents = amount_cents
        self.paid_currency = currency.upper()
        self.payment_intent_id = payment_intent_id or self.payment_intent_id
        self.paid_at = paid_at
        self.payer_email = payer_email or self.payer_email
        note = ""
        if amount_cents != self.amount_cents or self.paid_currency != self.currency:
            self.flag = Flag.AMOUNT_MISMATCH
            self.flag_detail = (
                f"paid {amount_cents} {self.paid_currency}, "
                f"invoice asks {self.amount_cents} {self.currency}"
            )
            note = "held for staff: amount mismatch"
        elif invoice_already_paid:
            self.flag = Flag.DUPLICATE_PAYMENT
            self.flag_detail = "the invoice was already paid by another payment"
            note = "held for staff: invoice already paid"
        self._move(PaymentStatus.SUCCEEDED, recorded_at or paid_at, source, note)
        return True

    def fail(self, reason: str, at: datetime, source: str) -> bool:
        if self.status != PaymentStatus.PENDING:
            return False  # a late failure never undoes money that arrived
        self.failure_reason = reason
        self._move(PaymentStatus.FAILED, at, source, reason)
        return True

    def expire(self, at: datetime, source: str) -> bool:
        if self.status != PaymentStatus.PENDING:
            return False
        self._move(PaymentStatus.EXPIRED, at, source, "checkout session expired")
        return True

    def record_refunded_total(
        self, total_refunded_cents: int, at: datetime, source: str
    ) -> bool:
        """Stripe's running total of refunds on the charge. Totals only grow,
        so an older total arriving late changes nothing."""
        if not self.is_paid or self.amount_paid_cents is None:
            return False
        total = min(total_refunded_cents, self.amount_paid_cents)
        if total <= self.amount_refunded_cents:
            return False
        self.amount_refunded_cents = total
        new = (
            PaymentStatus.REFUNDED
            if total >= self.amount_paid_cents
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        note = f"refunded {total} of {self.amount_paid_cents} {self.paid_currency}"
        self._move(new, at, source, note)
        return True
