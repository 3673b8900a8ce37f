"""Verify a Stripe webhook and turn its event into our news objects."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import stripe

from common.errors import BadInput
from services.payments.domain.news import (
    OtherNews,
    ProviderEvent,
    RefundNews,
    SessionNews,
    SessionOutcome,
)

SESSION_EVENTS = {
    "checkout.session.completed": SessionOutcome.COMPLETED,
    "checkout.session.async_payment_succeeded": SessionOutcome.ASYNC_SUCCEEDED,
    "checkout.session.async_payment_failed": SessionOutcome.ASYNC_FAILED,
    "checkout.session.expired": SessionOutcome.EXPIRED,
}


# Stripe's timestamps are seconds since 1970; anything past year 9999 is not one.
LATEST_TIMESTAMP = 253_402_300_799
# A Stripe amount is at most eight digits in the smallest unit; this is lenient.
LARGEST_AMOUNT = 10**12


def _bad(field: str, problem: str) -> BadInput:
    # Signed by Stripe and still odd: refused (400) rather than retried (500).
    return BadInput(f"the Stripe event's {field} {problem}", "payload")


def _when(value: Any, field: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(field, "is not a Unix timestamp")
    if not 0 <= value <= LATEST_TIMESTAMP:
        raise _bad(field, "is out of range")
    return datetime.fromtimestamp(value, UTC)


def _text(value: Any, field: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise _bad(field, "is missing")
        return None
    if not isinstance(value, str):
        raise _bad(field, "is not text")
    return value


def _amount(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(field, "is not a whole number")
    if not 0 <= value <= LARGEST_AMOUNT:
        raise _bad(field, "is out of range")
    return value


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(field, "is not an object")
    return value


def _metadata(value: Any, field: str) -> dict[str, str]:
    if value is None:
        return {}
    return {str(k): str(v) for k, v in _object(value, field).items()}


def _id(value: Any, field: str) -> str | None:
    """An id, whether Stripe sent it bare or as an expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return _text(value, field)


class StripeWebhookVerifier:
    def __init__(self, secret: str, tolerance: int = 300) -> None:
        self._secret = secret
        self._tolerance = tolerance

    def verify(self, payload: str, signature: str) -> ProviderEvent:
        if not isinstance(payload, str) or not isinstance(signature, str):
            raise BadInput("the payload and its signature must be text", "payload")
        try:
            # What stripe.Webhook.construct_event does, without building the
            # SDK's Event object only to turn it back into a dict.
            stripe.WebhookSignature.verify_header(
                payload, signature or "", self._secret, self._tolerance
            )
            event = json.loads(payload)
        except stripe.SignatureVerificationError:
            raise BadInput(
                "the Stripe-Signature does not match this payload (or is too old)",
                "Stripe-Signature",
            ) from None
        except ValueError:
            raise BadInput("the payload is not a Stripe event", "payload") from None
        if not isinstance(event, dict):
            raise BadInput("the payload is not a Stripe event", "payload")
        if _signed_at(signature) > time.time() + self._tolerance:
            # Stripe only checks for old ones; a future date would outlive them.
            raise BadInput(
                "the Stripe-Signature is dated in the future", "Stripe-Signature"
            )
        return parse_event(event)


def _signed_at(signature: str) -> int:
    """The `t=` of a Stripe-Signature that verified (so it has one)."""
    for part in signature.split(","):
        key, _, value = part.partition("=")
        if key.strip() == "t":
            return int(value)
    return 0


def parse_event(event: dict[str, Any]) -> ProviderEvent:
    """Our news from a verified event; BadInput naming what does not fit."""
    event_id = _text(event.get("id"), "id", required=True)
    event_type = _text(event.get("type"), "type", required=True)
    assert event_id is not None and event_type is not None
    created = _when(event.get("created"), "created")
    data = _object(event.get("data"), "data")
    obj = _object(data.get("object"), "data.object")
    outcome = SESSION_EVENTS.get(event_type)
    if outcome is not None:
        details = _object(obj.get("customer_details") or {}, "customer_details")
        currency = _text(obj.get("currency"), "currency")
        expires_at = obj.get("expires_at")
        session_id = _text(obj.get("id"), "data.object.id", required=True)
        assert session_id is not None
        return SessionNews(
            event_id=event_id,
            event_type=event_type,
            created=created,
            outcome=outcome,
            session_id=session_id,
            paid=obj.get("payment_status") in ("paid", "no_payment_required"),
            amount_total=_amount(obj.get("amount_total"), "amount_total"),
            currency=currency.upper() if currency else None,
            payment_intent_id=_id(obj.get("payment_intent"), "payment_intent"),
            client_reference_id=_text(
                obj.get("client_reference_id"), "client_reference_id"
            ),
            metadata=_metadata(obj.get("metadata"), "metadata"),
            payer_email=_text(details.get("email"), "customer_details.email")
            or _text(obj.get("customer_email"), "customer_email"),
            url=_text(obj.get("url"), "url"),
            expires_at=_when(expires_at, "expires_at") if expires_at else None,
        )
    if event_type == "charge.refunded":
        charge_id = _text(obj.get("id"), "data.object.id", required=True)
        assert charge_id is not None
        return RefundNews(
            event_id=event_id,
            event_type=event_type,
            created=created,
            charge_id=charge_id,
            payment_intent_id=_id(obj.get("payment_intent"), "payment_intent"),
            amount=_amount(obj.get("amount"), "amount") or 0,
            amount_refunded=_amount(obj.get("amount_refunded"), "amount_refunded") or 0,
            currency=(_text(obj.get("currency"), "currency") or "").upper(),
            metadata=_metadata(obj.get("metadata"), "metadata"),
        )
    return OtherNews(event_id=event_id, event_type=event_type, created=created)
