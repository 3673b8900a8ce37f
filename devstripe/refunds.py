"""``POST /v1/refunds``, replacing localstripe's to emit refund webhooks.

localstripe creates refunds but sends no event, refunds the whole charge again
when ``amount`` is omitted after a partial refund, and allows refunding more
than was charged. We validate like Stripe, let localstripe record the refund,
then send ``refund.created`` and ``charge.refunded``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import Charge, PaymentIntent, Refund
from localstripe.server import get_post_data, json_response

from devstripe.context import DISPATCHER
from devstripe.errors import ApiError, bad_request, not_found

REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def _charge_for(params: dict[str, Any]) -> Any:
    charge_id = params.get("charge")
    intent_id = params.get("payment_intent")
    if bool(charge_id) == bool(intent_id):
        raise bad_request("Provide exactly one of charge or payment_intent")
    if intent_id:
        try:
            intent = PaymentIntent._api_retrieve(intent_id)
        except UserError:
            raise not_found("payment_intent", intent_id, "payment_intent") from None
        if intent.latest_charge is None or intent.status != "succeeded":
            raise ApiError(
                400,
                f"PaymentIntent {intent_id} has no successful charge to refund.",
                code="charge_not_refundable",
            )
        return intent.latest_charge
    try:
        return Charge._api_retrieve(charge_id)
    except UserError:
        raise not_found("charge", str(charge_id), "charge") from None


async def create_refund(request: web.Request) -> web.Response:
    params = dict(await get_post_data(request) or {})
    expand = params.pop("expand", None)
    reason = params.pop("reason", None)
    if reason is not None and reason not in REASONS:
        raise bad_request(f"Invalid reason: {reason}", param="reason")
    charge = _charge_for(params)
    if charge.status != "succeeded":
        raise ApiError(
            400, "Cannot refund a failed payment.", code="charge_not_refundable"
        )
    previously_refunded = charge.amount_refunded
    remaining = charge.amount - previously_refunded
    if remaining <= 0:
        raise ApiError(
            400,
            f"Charge {charge.id} has already been refunded.",
            code="charge_already_refunded",
        )
    if params.get("amount") in (None, ""):
        params["amount"] = remaining  # Stripe refunds what is left, not it all
    else:
        try:
            amount = int(params["amount"])
        except (TypeError, ValueError):
            raise bad_request("Invalid integer", param="amount") from None
        if amount > remaining:
            raise ApiError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on "
                f"charge ({remaining})",
                code="amount_too_large",
                param="amount",
            )

    refund = Refund._api_create(**params)
    refund.reason = reason
    if refund.payment_intent is None:  # Stripe always links it
        refund.payment_intent = charge.payment_intent

    dispatcher = request.app[DISPATCHER]
    dispatcher.emit("refund.created", refund._export())
    dispatcher.emit(
        "charge.refunded",
        charge._export(),
        previous_attributes={
            "amount_refunded": previously_refunded,
            "refunded": False,
        },
    )
    return json_response(refund._export(expand=expand))
