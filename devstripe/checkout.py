"""Checkout Sessions: the model, lookups and state transitions.

Sessions live in localstripe's store (key ``checkout.session:<id>``) so they are
persisted and flushed together with the payment intents and charges they create.
Paying creates a real PaymentIntent and Charge in localstripe, so reconciliation
through ``GET /v1/payment_intents`` sees what the webhook announced.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from localstripe.resources import Customer, PaymentIntent, PaymentMethod, store

from devstripe import session_params
from devstripe.errors import ApiError, bad_request, not_found
from devstripe.webhooks import Dispatcher

KEY_PREFIX = "checkout.session:"
SUCCEEDING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


@dataclass
class CheckoutSession:
    id: str
    created: int
    expires_at: int
    currency: str
    amount_total: int
    line_items: list[dict[str, Any]]
    base_url: str
    mode: str = "payment"
    success_url: str | None = None
    cancel_url: str | None = None
    client_reference_id: str | None = None
    customer: str | None = None
    customer_email: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    payment_intent_data: dict[str, Any] = field(default_factory=dict)
    locale: str | None = None
    submit_type: str | None = None
    payment_method_types: list[str] = field(default_factory=lambda: ["card"])
    status: str = "open"  # open | complete | expired
    payment_status: str = "unpaid"  # unpaid | paid
    payment_intent: str | None = None
    customer_details: dict[str, Any] | None = None

    @property
    def url(self) -> str | None:
        # Stripe only exposes the URL while the session can still be paid.
        return f"{self.base_url}/checkout/{self.id}" if self.status == "open" else None

    @property
    def description(self) -> str:
        return ", ".join(str(li["description"]) for li in self.line_items)

    def to_stripe(self, expand: list[str] | None = None) -> dict[str, Any]:
        expand = expand or []
        obj: dict[str, Any] = {
            "id": self.id,
            "object": "checkout.session",
            "after_expiration": None,
            "amount_subtotal": self.amount_total,
            "amount_total": self.amount_total,
            "cancel_url": self.cancel_url,
            "client_reference_id": self.client_reference_id,
            "created": self.created,
            "currency": self.currency,
            "customer": self.customer,
            "customer_details": self.customer_details,
            "customer_email": self.customer_email,
            "expires_at": self.expires_at,
            "invoice": None,
            "livemode": False,
            "locale": self.locale,
            "metadata": dict(self.metadata),
            "mode": self.mode,
            "payment_intent": self.payment_intent,
            "payment_method_types": list(self.payment_method_types),
            "payment_status": self.payment_status,
            "status": self.status,
            "submit_type": self.submit_type,
            "subscription": None,
            "success_url": self.success_url,
            "ui_mode": "hosted",
            "url": self.url,
        }
        if "line_items" in expand:
            obj["line_items"] = self.line_items_list()
        if "payment_intent" in expand and self.payment_intent:
            obj["payment_intent"] = PaymentIntent._api_retrieve(
                self.payment_intent
            )._export()
        if "customer" in expand and self.customer:
            obj["customer"] = Customer._api_retrieve(self.customer)._export()
        return obj

    def line_items_list(self) -> dict[str, Any]:
        return {
            "object": "list",
            "url": f"/v1/checkout/sessions/{self.id}/line_items",
            "has_more": False,
            "data": [dict(li) for li in self.line_items],
        }


# -- creation and lookups ---------------------------------------------------


def create_session(params: Mapping[str, Any], base_url: str) -> CheckoutSession:
    now = int(time.time())
    session = CheckoutSession(
        id=session_params.random_id("cs_test_", 58),
        created=now,
        base_url=base_url,
        **session_params.parse_create(params, now),
    )
    store[KEY_PREFIX + session.id] = session
    return session


def get_session(session_id: str) -> CheckoutSession:
    session = store.get(KEY_PREFIX + session_id)
    if not isinstance(session, CheckoutSession):
        raise not_found("checkout.session", session_id, "session")
    return session


def all_sessions() -> list[CheckoutSession]:
    return [
        v
        for k, v in store.items()
        if k.startswith(KEY_PREFIX) and isinstance(v, CheckoutSession)
    ]


def update_metadata(session: CheckoutSession, params: Mapping[str, Any]) -> None:
    session.metadata = session_params.merge_metadata(session.metadata, params)


# -- transitions -------------------------------------------------------------


def _require_open(session: CheckoutSession, action: str) -> None:
    if session.status != "open":
        raise ApiError(
            400,
            f"Cannot {action} a Checkout Session with status {session.status!r}; "
            "only sessions with status 'open' can be.",
            code="checkout_session_not_open",
        )


def _create_payment(
    session: CheckoutSession, amount: int, card_number: str, email: str
) -> Any:
    """A confirmed PaymentIntent (and its Charge) inside localstripe's state."""
    method = PaymentMethod(
        type="card",
        card={
            "number": card_number,
            "exp_month": 12,
            "exp_year": time.gmtime().tm_year + 3,
            "cvc": "123",
        },
        billing_details={"email": email},
    )
    pi_data = session.payment_intent_data
    intent = PaymentIntent(
        amount=amount,
        currency=session.currency,
        customer=session.customer,
        payment_method=method.id,
        metadata=dict(pi_data.get("metadata") or {}),
        capture_method="automatic",
    )
    intent.description = pi_data.get("description")
    # Declines are reported by webhook (payment_intent.payment_failed), not
    # raised: the async failure callback does exactly that.
    intent._confirm(on_failure_now=intent._report_async_failure)
    return intent


def pay(
    session: CheckoutSession,
    dispatcher: Dispatcher,
    *,
    amount_total: int | None = None,
    email: str | None = None,
) -> CheckoutSession:
    """The customer paid: complete the session and tell the platform."""
    expire_if_overdue(session, dispatcher)
    _require_open(session, "pay")
    amount = session.amount_total if amount_total is None else amount_total
    if amount < 1:
        raise bad_request("amount_total must be positive", param="amount_total")
    email = email or session.customer_email or "customer@example.com"
    intent = _create_payment(session, amount, SUCCEEDING_CARD, email)
    # An override simulates Stripe reporting a different amount than we asked.
    session.amount_total = amount
    session.payment_intent = intent.id
    session.customer_details = {"email": email, "name": None, "phone": None}
    session.status = "complete"
    session.payment_status = "paid"
    dispatcher.emit("checkout.session.completed", session.to_stripe())
    return session


def fail(
    session: CheckoutSession, dispatcher: Dispatcher, *, email: str | None = None
) -> CheckoutSession:
    """The (asynchronous) payment failed after the customer submitted."""
    expire_if_overdue(session, dispatcher)
    _require_open(session, "fail")
    email = email or session.customer_email or "customer@example.com"
    intent = _create_payment(session, session.amount_total, DECLINED_CARD, email)
    # Stripe's async-failure shape: the session is complete but never paid.
    session.payment_intent = intent.id
    session.customer_details = {"email": email, "name": None, "phone": None}
    session.status = "complete"
    session.payment_status = "unpaid"
    dispatcher.emit("checkout.session.async_payment_failed", session.to_stripe())
    return session


def expire(session: CheckoutSession, dispatcher: Dispatcher) -> CheckoutSession:
    _require_open(session, "expire")
    session.status = "expired"
    dispatcher.emit("checkout.session.expired", session.to_stripe())
    return session


def expire_if_overdue(session: CheckoutSession, dispatcher: Dispatcher) -> bool:
    if session.status == "open" and session.expires_at <= time.time():
        expire(session, dispatcher)
        return True
    return False


def expire_overdue(dispatcher: Dispatcher) -> int:
    """Expire every open session past its expires_at; returns how many."""
    return sum(expire_if_overdue(s, dispatcher) for s in all_sessions())
