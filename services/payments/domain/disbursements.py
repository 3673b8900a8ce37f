"""Disbursements: grant instalments the organization pays out to members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from common.errors import BadInput, Conflict
from contracts.payments import DisbursementStatus
from services.payments.domain.text import check_text

MAX_REFERENCE_LENGTH = 200


@dataclass
class Disbursement:
    disbursement_id: str
    instalment_id: str  # one disbursement per instalment, however often told
    award_id: str
    member_id: str
    amount_cents: int
    currency: str
    scheduled_at: datetime
    status: DisbursementStatus = DisbursementStatus.SCHEDULED
    reference: str | None = None
    paid_at: datetime | None = None
    paid_by: str | None = None

    def mark_paid(self, reference: str, at: datetime, by: str) -> bool:
        """False when it was already paid with this reference (a retry)."""
        if self.status == DisbursementStatus.PAID:
            if self.reference == reference:
                return False
            raise Conflict(
                f"already paid (reference {self.reference})", "disbursementId"
            )
        self.status = DisbursementStatus.PAID
        self.reference = reference
        self.paid_at = at
        self.paid_by = by
        return True


def check_reference(reference: str | None) -> str:
    """The bank transfer or cheque reference staff paid it with."""
    if not isinstance(reference, str) or not reference.strip():
        raise BadInput("the payment reference is required", "reference")
    return check_text(reference, "reference", MAX_REFERENCE_LENGTH)


def check_instalment(payload: dict[str, object]) -> None:
    """An `instalment_released` payload we can act on (else it is parked)."""
    amount = payload.get("amount_cents")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValueError(f"instalment amount must be positive cents: {amount!r}")
    for key in ("instalment_id", "award_id", "member_id", "currency"):
        if not payload.get(key):
            raise ValueError(f"instalment_released without {key}")
