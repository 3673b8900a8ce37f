"""Verify a Stripe webhook and turn its event into our news objects."""

from __future__ import annotations

import json
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


def _when(timestamp: Any) -> datetime:
    return datetime.fromtimestamp(int(timestamp), UTC)


def _id(value: Any) -> str | None:
    """An id, whether Stripe sent it bare or as an expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


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
        return parse_event(event)


def parse_event(event: dict[str, Any]) -> ProviderEvent:
    try:
        event_id = str(event["id"])
        event_type = str(event["type"])
        created = _when(event["created"])
        obj = event["data"]["object"]
    except (KeyError, TypeError, ValueError):
        raise BadInput("the payload is not a Stripe event", "payload") from None
    outcome = SESSION_EVENTS.get(event_type)
    if outcome is not None:
        details = obj.get("customer_details") or {}
        return SessionNews(
            event_id=event_id,
            event_type=event_type,
            created=created,
            outcome=outcome,
            session_id=str(obj["id"]),
            paid=obj.get("payment_status") in ("paid", "no_payment_required"),
            amount_total=obj.get("amount_total"),
            currency=(obj.get("currency") or "").upper() or None,
            payment_intent_id=_id(obj.get("payment_intent")),
            client_reference_id=obj.get("client_reference_id"),
            metadata={str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
            payer_email=details.get("email") or obj.get("customer_email"),
            url=obj.get("url"),
            expires_at=_when(obj["expires_at"]) if obj.get("expires_at") else None,
        )
    if event_type == "charge.refunded":
        return RefundNews(
            event_id=event_id,
            event_type=event_type,
            created=created,
            charge_id=str(obj["id"]),
            payment_intent_id=_id(obj.get("payment_intent")),
            amount=int(obj.get("amount") or 0),
            amount_refunded=int(obj.get("amount_refunded") or 0),
            currency=(obj.get("currency") or "").upper(),
            metadata={str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
        )
    return OtherNews(event_id=event_id, event_type=event_type, created=created)
