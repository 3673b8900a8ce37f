"""Reconciliation: our ledger beside Stripe's payment intents, every difference.

Pure comparison; gathering both sides is the service layer's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.payments.domain.model import PAID_STATES, PaymentStatus


class DifferenceKind(StrEnum):
    MISSING_IN_LEDGER = "MISSING_IN_LEDGER"  # Stripe took money we never recorded
    MISSING_IN_STRIPE = "MISSING_IN_STRIPE"  # we recorded money Stripe does not have
    STATUS_MISMATCH = "STATUS_MISMATCH"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    REFUND_MISMATCH = "REFUND_MISMATCH"


@dataclass(frozen=True)
class LedgerEntry:
    payment_id: str
    payment_intent_id: str | None
    status: PaymentStatus
    amount_paid_cents: int | None
    currency: str | None
    amount_refunded_cents: int
    paid_at: datetime | None

    @property
    def paid(self) -> bool:
        return self.status in PAID_STATES


@dataclass(frozen=True)
class StripeIntent:
    payment_intent_id: str
    status: str  # Stripe's: succeeded, processing, requires_payment_method, ...
    amount_received: int
    currency: str
    amount_refunded: int
    created: datetime
    payment_id: str | None  # our id, from the intent's metadata

    @property
    def paid(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True)
class Difference:
    kind: DifferenceKind
    payment_id: str | None
    payment_intent_id: str | None
    ledger: str
    stripe: str

    def to_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind.value,
            "payment_id": self.payment_id,
            "payment_intent_id": self.payment_intent_id,
            "ledger": self.ledger,
            "stripe": self.stripe,
        }


def _ledger_text(entry: LedgerEntry) -> str:
    if not entry.paid:
        return entry.status.value
    return (
        f"{entry.status.value} {entry.amount_paid_cents} {entry.currency}, "
        f"refunded {entry.amount_refunded_cents}"
    )


def _stripe_text(intent: StripeIntent) -> str:
    return (
        f"{intent.status} {intent.amount_received} {intent.currency.upper()}, "
        f"refunded {intent.amount_refunded}"
    )


def _compare_pair(entry: LedgerEntry, intent: StripeIntent) -> Difference | None:
    kind: DifferenceKind | None = None
    if entry.paid != intent.paid:
        kind = DifferenceKind.STATUS_MISMATCH
    elif entry.paid and (
        entry.amount_paid_cents != intent.amount_received
        or (entry.currency or "").upper() != intent.currency.upper()
    ):
        kind = DifferenceKind.AMOUNT_MISMATCH
    elif entry.paid and entry.amount_refunded_cents != intent.amount_refunded:
        kind = DifferenceKind.REFUND_MISMATCH
    if kind is None:
        return None
    return Difference(
        kind,
        entry.payment_id,
        intent.payment_intent_id,
        _ledger_text(entry),
        _stripe_text(intent),
    )


def compare(ledger: list[LedgerEntry], intents: list[StripeIntent]) -> list[Difference]:
    """Every difference between the two sides, most serious first."""
    by_intent = {e.payment_intent_id: e for e in ledger if e.payment_intent_id}
    by_payment = {e.payment_id: e for e in ledger}
    matched: set[str] = set()
    found: list[Difference] = []
    for intent in intents:
        entry = by_intent.get(intent.payment_intent_id)
        if entry is None and intent.payment_id:
            candidate = by_payment.get(intent.payment_id)
            # An entry that names another intent is not this intent's record.
            if candidate and candidate.payment_intent_id in (
                None,
                intent.payment_intent_id,
            ):
                entry = candidate
        if entry is None:
            if intent.paid:
                found.append(
                    Difference(
                        DifferenceKind.MISSING_IN_LEDGER,
                        intent.payment_id,
                        intent.payment_intent_id,
                        "no payment recorded",
                        _stripe_text(intent),
                    )
                )
            continue
        matched.add(entry.payment_id)
        difference = _compare_pair(entry, intent)
        if difference:
            found.append(difference)
    for entry in ledger:
        if entry.paid and entry.payment_id not in matched:
            found.append(
                Difference(
                    DifferenceKind.MISSING_IN_STRIPE,
                    entry.payment_id,
                    entry.payment_intent_id,
                    _ledger_text(entry),
                    "no payment intent",
                )
            )
    order = list(DifferenceKind)
    return sorted(found, key=lambda d: (order.index(d.kind), d.payment_id or ""))
