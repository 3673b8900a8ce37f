"""News from the payment provider, in our words (parsed from Stripe events)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SessionOutcome(StrEnum):
    COMPLETED = "COMPLETED"  # the payer finished; `paid` says if money arrived
    ASYNC_SUCCEEDED = "ASYNC_SUCCEEDED"
    ASYNC_FAILED = "ASYNC_FAILED"
    EXPIRED = "EXPIRED"


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    event_type: str
    created: datetime


@dataclass(frozen=True)
class SessionNews(ProviderEvent):
    outcome: SessionOutcome
    session_id: str
    paid: bool
    amount_total: int | None
    currency: str | None
    payment_intent_id: str | None
    client_reference_id: str | None  # our invoice id
    metadata: dict[str, str] = field(default_factory=dict)
    payer_email: str | None = None
    url: str | None = None
    expires_at: datetime | None = None

    @property
    def payment_id(self) -> str | None:
        return self.metadata.get("payment_id") or None


@dataclass(frozen=True)
class RefundNews(ProviderEvent):
    charge_id: str
    payment_intent_id: str | None
    amount: int
    amount_refunded: int  # running total on the charge
    currency: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OtherNews(ProviderEvent):
    """A verified event type we do not act on (recorded, answered 2xx)."""


@dataclass(frozen=True)
class ProviderSession:
    """A checkout session as the provider itself records it (retrieved, not
    taken from an event): what a session we never created is worth."""

    session_id: str
    paid: bool
    amount_total: int | None
    currency: str | None
    invoice_id: str | None  # client_reference_id, else metadata invoice_id
    payment_intent_id: str | None
    metadata: dict[str, str] = field(default_factory=dict)
