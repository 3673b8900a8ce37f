"""Checkout Sessions: the model, parameter validation and state transitions.

Sessions live in localstripe's store (key ``checkout.session:<id>``) so they are
persisted and flushed together with the payment intents and charges they create.
Paying creates a real PaymentIntent and Charge in localstripe, so reconciliation
through ``GET /v1/payment_intents`` sees what the webhook announced.
"""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from localstripe.errors import UserError
from localstripe.resources import Customer, PaymentIntent, PaymentMethod, store

from devstripe.errors import ApiError, bad_request, not_found
from devstripe.webhooks import Dispatcher

KEY_PREFIX = "checkout.session:"
MAX_LIFETIME = 24 * 3600  # Stripe's cap on expires_at
SUCCEEDING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"

# Parameters Stripe accepts on create. We interpret the ones the dues flow uses
# and accept (ignore) the rest so real code is not rejected for using them;
# anything else is a typo and gets Stripe's "unknown parameter" error.
_INTERPRETED = {
    "cancel_url",
    "client_reference_id",
    "currency",
    "customer",
    "customer_email",
    "expand",
    "expires_at",
    "line_items",
    "locale",
    "metadata",
    "mode",
    "payment_intent_data",
    "payment_method_types",
    "submit_type",
    "success_url",
}
_ACCEPTED = _INTERPRETED | {
    "after_expiration",
    "allow_promotion_codes",
    "automatic_tax",
    "billing_address_collection",
    "consent_collection",
    "custom_fields",
    "custom_text",
    "customer_creation",
    "customer_update",
    "discounts",
    "invoice_creation",
    "payment_method_collection",
    "payment_method_configuration",
    "payment_method_options",
    "phone_number_collection",
    "redirect_on_completion",
    "return_url",
    "saved_payment_method_options",
    "shipping_address_collection",
    "shipping_options",
    "tax_id_collection",
    "ui_mode",
}


def _random_id(prefix: str, length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


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


# -- parameter parsing -------------------------------------------------------


def _as_int(value: Any, param: str, *, minimum: int = 0) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise bad_request(f"Invalid integer: {value!r}", param=param) from None
    if number < minimum:
        raise bad_request(f"{param} must be at least {minimum}", param=param)
    return number


def _as_str(value: Any, param: str, *, max_len: int = 5000) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad_request(f"Invalid string: {param}", param=param)
    if len(value) > max_len:
        raise bad_request(f"{param} must be at most {max_len} characters", param=param)
    return value


def parse_metadata(value: Any, param: str = "metadata") -> dict[str, str]:
    """Stripe's limits: 50 keys, 40-char keys, 500-char string values."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise bad_request("Invalid object", param=param)
    if len(value) > 50:
        raise bad_request("metadata may have at most 50 keys", param=param)
    result: dict[str, str] = {}
    for key, item in value.items():
        if len(str(key)) > 40 or not isinstance(item, str) or len(item) > 500:
            raise bad_request(f"Invalid metadata entry {key!r}", param=param)
        result[str(key)] = item
    return result


def _parse_line_item(index: int, raw: Any) -> dict[str, Any]:
    param = f"line_items[{index}]"
    if not isinstance(raw, Mapping):
        raise bad_request("Invalid object", param=param)
    if "price" in raw:
        raise bad_request(
            "devstripe has no Prices: use line_items[][price_data]", param=param
        )
    price_data = raw.get("price_data")
    if not isinstance(price_data, Mapping):
        raise bad_request("Missing required param: price_data", param=param)
    currency = _as_str(price_data.get("currency"), f"{param}[price_data][currency]")
    if not currency:
        raise bad_request(
            "Missing required param: currency", param=f"{param}[price_data][currency]"
        )
    unit_amount = _as_int(
        price_data.get("unit_amount"), f"{param}[price_data][unit_amount]"
    )
    quantity = _as_int(raw.get("quantity"), f"{param}[quantity]", minimum=1)
    product_data = price_data.get("product_data") or {}
    name = product_data.get("name") if isinstance(product_data, Mapping) else None
    if not name and not price_data.get("product"):
        raise bad_request(
            "Missing required param: product_data[name]",
            param=f"{param}[price_data][product_data][name]",
        )
    amount = unit_amount * quantity
    return {
        "id": _random_id("li_", 24),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": currency.lower(),
        "description": name or price_data.get("product"),
        "price": {
            "id": _random_id("price_", 24),
            "object": "price",
            "currency": currency.lower(),
            "product": price_data.get("product") or _random_id("prod_", 14),
            "type": "one_time",
            "unit_amount": unit_amount,
        },
        "quantity": quantity,
    }


def create_session(params: Mapping[str, Any], base_url: str) -> CheckoutSession:
    unknown = sorted(set(params) - _ACCEPTED)
    if unknown:
        raise bad_request(
            f"Received unknown parameter: {unknown[0]}",
            param=unknown[0],
            code="parameter_unknown",
        )
    mode = params.get("mode")
    if mode != "payment":
        raise bad_request(
            "devstripe supports only mode=payment" if mode else "Missing mode",
            param="mode",
        )
    raw_items = params.get("line_items")
    if not isinstance(raw_items, list) or not raw_items:
        raise bad_request("Missing required param: line_items", param="line_items")
    items = [_parse_line_item(i, raw) for i, raw in enumerate(raw_items)]
    currencies = {li["currency"] for li in items}
    if len(currencies) != 1:
        raise bad_request("All line items must share one currency", param="line_items")

    now = int(time.time())
    expires_at = now + MAX_LIFETIME
    if params.get("expires_at") not in (None, ""):
        expires_at = _as_int(params["expires_at"], "expires_at")
        # Stripe also demands >= 30 minutes; we allow shorter for tests.
        if not now < expires_at <= now + MAX_LIFETIME:
            raise bad_request(
                "expires_at must be in the future and at most 24 hours away",
                param="expires_at",
            )

    customer = _as_str(params.get("customer"), "customer")
    customer_email = _as_str(params.get("customer_email"), "customer_email")
    if customer and customer_email:
        raise bad_request(
            "You may only specify one of these parameters: customer, customer_email",
            param="customer_email",
        )
    if customer:
        try:
            Customer._api_retrieve(customer)
        except UserError:
            raise not_found("customer", customer, "customer") from None

    pi_data = params.get("payment_intent_data") or {}
    if not isinstance(pi_data, Mapping):
        raise bad_request("Invalid object", param="payment_intent_data")
    pi_data = dict(pi_data)
    pi_data["metadata"] = parse_metadata(
        pi_data.get("metadata"), "payment_intent_data[metadata]"
    )
    methods = params.get("payment_method_types") or ["card"]

    session = CheckoutSession(
        id=_random_id("cs_test_", 58),
        created=now,
        expires_at=expires_at,
        currency=items[0]["currency"],
        amount_total=sum(li["amount_total"] for li in items),
        line_items=items,
        base_url=base_url,
        mode="payment",
        success_url=_as_str(params.get("success_url"), "success_url"),
        cancel_url=_as_str(params.get("cancel_url"), "cancel_url"),
        client_reference_id=_as_str(
            params.get("client_reference_id"), "client_reference_id", max_len=200
        ),
        customer=customer,
        customer_email=customer_email,
        metadata=parse_metadata(params.get("metadata")),
        payment_intent_data=pi_data,
        locale=_as_str(params.get("locale"), "locale"),
        submit_type=_as_str(params.get("submit_type"), "submit_type"),
        payment_method_types=list(methods) if isinstance(methods, list) else ["card"],
    )
    store[KEY_PREFIX + session.id] = session
    return session


# -- lookups -----------------------------------------------------------------


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
    """Stripe lets you update only metadata; an empty value unsets a key."""
    unknown = sorted(set(params) - {"metadata", "expand"})
    if unknown:
        raise bad_request(
            f"Received unknown parameter: {unknown[0]}",
            param=unknown[0],
            code="parameter_unknown",
        )
    raw = params.get("metadata")
    if raw in (None, ""):  # metadata="" clears everything
        session.metadata = {} if raw == "" else session.metadata
        return
    if not isinstance(raw, Mapping):
        raise bad_request("Invalid object", param="metadata")
    merged = dict(session.metadata)
    for key, value in raw.items():
        if value == "":
            merged.pop(str(key), None)
        else:
            merged[str(key)] = value
    session.metadata = parse_metadata(merged)


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
