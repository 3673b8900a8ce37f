"""Stripe through its official SDK: checkout sessions, refunds, payment intents.

`STRIPE_API_BASE` points the same code at the offline Stripe (devstripe) in
development and tests; unset, it talks to real Stripe with `STRIPE_API_KEY`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe

from services.payments.adapters.settings import StripeSettings
from services.payments.domain.checkout import (
    OpenedSession,
    SessionRequest,
    product_name,
)
from services.payments.domain.news import ProviderSession
from services.payments.domain.reconciliation import StripeIntent
from services.payments.service_layer.ports import (
    ProviderRefund,
    ProviderRejected,
    ProviderUnavailable,
)


def _when(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


def _call(action: Any, *args: Any, **kwargs: Any) -> Any:
    """Stripe's errors in our words: its side or the network vs a refusal."""
    try:
        return action(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise ProviderUnavailable(str(exc.user_message or exc)) from exc
    except stripe.StripeError as exc:
        status = exc.http_status or 500
        if status >= 500 or status == 409:  # 409: idempotent request in flight
            raise ProviderUnavailable(str(exc.user_message or exc)) from exc
        raise ProviderRejected(str(exc.user_message or exc)) from exc


class StripeProvider:
    def __init__(self, settings: StripeSettings) -> None:
        base = {"api": settings.api_base} if settings.api_base else None
        self._client = stripe.StripeClient(
            settings.api_key,
            base_addresses=base,  # type: ignore[arg-type]
            max_network_retries=settings.network_retries,
        )

    def open_checkout(self, request: SessionRequest) -> OpenedSession:
        invoice = request.invoice
        metadata = {
            "payment_id": request.payment_id,
            "purpose": "DUES",
            "invoice_id": invoice.invoice_id,
            "member_id": invoice.member_id,
            "band": invoice.band,
            "fiscal_year": str(invoice.fiscal_year),
        }
        params: dict[str, Any] = {
            "mode": "payment",
            "client_reference_id": invoice.invoice_id,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "expires_at": int(request.expires_at.timestamp()),
            "metadata": metadata,
            # Also on the intent, so reconciliation can name our payment.
            "payment_intent_data": {"metadata": metadata},
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": invoice.currency.lower(),
                        "unit_amount": invoice.amount_cents,
                        "product_data": {"name": product_name(invoice)},
                    },
                }
            ],
        }
        session = _call(
            self._client.v1.checkout.sessions.create,
            params=params,
            options={"idempotency_key": request.idempotency_key},
        )
        return OpenedSession(
            session_id=session.id,
            url=session.url,
            expires_at=_when(session.expires_at),
            status=session.status or "open",
        )

    def refund(
        self,
        *,
        payment_intent_id: str,
        amount_cents: int,
        reason: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> ProviderRefund:
        refund = _call(
            self._client.v1.refunds.create,
            params={
                "payment_intent": payment_intent_id,
                "amount": amount_cents,
                "reason": reason,
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
        return ProviderRefund(refund_id=refund.id, status=refund.status or "pending")

    def intent_payment_id(self, payment_intent_id: str) -> str | None:
        intent = self._retrieve(payment_intent_id)
        return intent.payment_id if intent else None

    def payment_intent(self, payment_intent_id: str) -> StripeIntent | None:
        return self._retrieve(payment_intent_id)

    def _retrieve(self, payment_intent_id: str) -> StripeIntent | None:
        try:
            intent = _call(
                self._client.v1.payment_intents.retrieve,
                payment_intent_id,
                params={"expand": ["latest_charge"]},
            )
        except ProviderRejected:
            return None  # no such intent
        return _intent(intent.to_dict())

    def checkout_session(self, session_id: str) -> ProviderSession | None:
        try:
            found = _call(self._client.v1.checkout.sessions.retrieve, session_id)
        except ProviderRejected:
            return None  # no such session
        data = found.to_dict()
        metadata = {str(k): str(v) for k, v in (data.get("metadata") or {}).items()}
        intent = data.get("payment_intent")
        if isinstance(intent, dict):
            intent = intent.get("id")
        currency = data.get("currency")
        return ProviderSession(
            session_id=str(data["id"]),
            paid=data.get("payment_status") in ("paid", "no_payment_required"),
            amount_total=data.get("amount_total"),
            currency=str(currency).upper() if currency else None,
            invoice_id=data.get("client_reference_id") or metadata.get("invoice_id"),
            payment_intent_id=str(intent) if intent else None,
            metadata=metadata,
        )

    def payment_intents(self, start: datetime, end: datetime) -> list[StripeIntent]:
        listing = _call(
            self._client.v1.payment_intents.list,
            params={
                "created": {
                    "gte": int(start.timestamp()),
                    "lt": int(end.timestamp()),
                },
                "limit": 100,
                "expand": ["data.latest_charge"],
            },
        )
        return [_intent(i.to_dict()) for i in listing.auto_paging_iter()]


def _intent(data: dict[str, Any]) -> StripeIntent:
    charge = data.get("latest_charge")
    charge = charge if isinstance(charge, dict) else {}
    status = str(data.get("status") or "")
    received = data.get("amount_received")
    if received is None:  # localstripe does not report it
        received = data.get("amount", 0) if status == "succeeded" else 0
    metadata = data.get("metadata") or {}
    return StripeIntent(
        payment_intent_id=str(data["id"]),
        status=status,
        amount_received=int(received),
        currency=str(data.get("currency") or ""),
        amount_refunded=int(charge.get("amount_refunded") or 0),
        created=_when(data.get("created")) or datetime.now(UTC),
        payment_id=metadata.get("payment_id"),
    )
