"""What the use cases need from the outside world, as interfaces.

Adapters implement them (`adapters/stripe_client.py`, `adapters/members.py`);
unit tests pass fakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.payments.domain.checkout import Invoice, OpenedSession, SessionRequest
from services.payments.domain.news import ProviderEvent, ProviderSession
from services.payments.domain.reconciliation import StripeIntent


class ProviderUnavailable(Exception):
    """Stripe could not be reached or failed on its side: try again later."""


class MembersUnavailable(Exception):
    """The members service did not answer in time."""


class ProviderRejected(Exception):
    """Stripe refused the request (its message says why)."""


@dataclass(frozen=True)
class ProviderRefund:
    refund_id: str
    status: str  # Stripe's: succeeded | pending | failed | canceled | ...


class PaymentProvider(Protocol):
    def open_checkout(self, request: SessionRequest) -> OpenedSession: ...

    def refund(
        self,
        *,
        payment_intent_id: str,
        amount_cents: int,
        reason: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> ProviderRefund: ...

    def intent_payment_id(self, payment_intent_id: str) -> str | None:
        """Our payment id from the intent's metadata (None if unknown)."""

    def payment_intents(self, start: datetime, end: datetime) -> list[StripeIntent]:
        """Every payment intent created in [start, end)."""

    def payment_intent(self, payment_intent_id: str) -> StripeIntent | None: ...

    def checkout_session(self, session_id: str) -> ProviderSession | None:
        """The session as Stripe records it (None: Stripe has no such session);
        ProviderUnavailable if Stripe cannot be asked now."""


class WebhookVerifier(Protocol):
    def verify(self, payload: str, signature: str) -> ProviderEvent:
        """The verified event; BadInput for a bad signature or payload."""


class InvoiceDirectory(Protocol):
    def invoice(self, invoice_id: str, *, as_service: bool = False) -> Invoice:
        """From members; NotFound if there is no such invoice."""

    def member_name(self, member_id: str) -> str | None: ...
