"""Validation of Checkout Session parameters, with Stripe's rules and errors.

Values arrive form-decoded (strings, nested dicts, lists) as the SDK sends them.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from localstripe.errors import UserError
from localstripe.resources import Customer

from devstripe.errors import bad_request, not_found

MAX_LIFETIME = 24 * 3600  # Stripe's cap on expires_at

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


def random_id(prefix: str, length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


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
        "id": random_id("li_", 24),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": currency.lower(),
        "description": name or price_data.get("product"),
        "price": {
            "id": random_id("price_", 24),
            "object": "price",
            "currency": currency.lower(),
            "product": price_data.get("product") or random_id("prod_", 14),
            "type": "one_time",
            "unit_amount": unit_amount,
        },
        "quantity": quantity,
    }


def parse_create(params: Mapping[str, Any], now: int) -> dict[str, Any]:
    """Validate create parameters into CheckoutSession fields, as Stripe would."""
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

    return dict(
        expires_at=expires_at,
        currency=items[0]["currency"],
        amount_total=sum(li["amount_total"] for li in items),
        line_items=items,
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


def merge_metadata(
    current: Mapping[str, str], params: Mapping[str, Any]
) -> dict[str, str]:
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
        return {} if raw == "" else dict(current)
    if not isinstance(raw, Mapping):
        raise bad_request("Invalid object", param="metadata")
    merged = dict(current)
    for key, value in raw.items():
        if value == "":
            merged.pop(str(key), None)
        else:
            merged[str(key)] = value
    return parse_metadata(merged)
