"""#17 item 9: malformed requests get 400 with a message, never 500. Bodies
that are JSON but not an object, or not UTF-8; searches of any length (capped
as the partnerships directory caps them); signed Stripe events of odd shapes
(answered 400, so Stripe does not retry them for days) change nothing."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest
import stripe

from tests.integration.payments.world import SECRET, PaymentsWorld
from tests.security.conftest import Gateway


@pytest.mark.parametrize(
    "body",
    [b"null", b"1", b'"x"', b"true", b"\xff\xfe\xfd", b'{"query": "\xff"}'],
    ids=["null", "1", "string", "true", "not-utf8", "not-utf8-inside"],
)
def test_a_body_that_is_not_a_request_gets_400(gateway: Gateway, body: bytes) -> None:
    response = gateway.client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.text.strip(), "a 400 says why"
    assert "internal" not in response.text.lower()


@pytest.mark.parametrize("listing", ["members", "partnerships"])
def test_a_long_search_is_bad_input(gateway: Gateway, listing: str) -> None:
    query = (
        "query($s: String) { "
        + listing
        + "(filter: {search: $s}) { edges { node { id } } } }"
    )
    long_search = "Springfield " * 5000  # 60 kB: what the body limit lets in
    body = gateway.graphql(query, {"s": long_search}).json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] in ("filter.search", "search")
    assert "at most 200 characters" in error["message"]
    assert len(error["message"]) < 200


def signed(payload: str, secret: str = SECRET) -> dict[str, str]:
    at = int(time.time())
    mac = stripe.WebhookSignature._compute_signature(f"{at}.{payload}", secret)
    return {"Stripe-Signature": f"t={at},v1={mac}"}


def event(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"evt_odd_{uuid.uuid4().hex}",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": f"cs_odd_{uuid.uuid4().hex}",
                "payment_status": "paid",
                "amount_total": 100,
                "currency": "usd",
                "metadata": {"invoice_id": "inv"},
            }
        },
    }
    for path, value in changes.items():
        target = base
        *parents, leaf = path.split("__")
        for name in parents:
            target = target[name]
        target[leaf] = value
    return base


ODD = {
    "created far in the future": event(created=10**20),
    "created not a number": event(created="yesterday"),
    "metadata a list": event(data__object__metadata=[1, 2]),
    "object a string": event(data__object="x"),
    "data missing": {k: v for k, v in event().items() if k != "data"},
    "amount a word": event(data__object__amount_total="abc"),
    "refund total a word": event(
        type="charge.refunded",
        data__object={"id": "ch_1", "amount": 100, "amount_refunded": "abc"},
    ),
    "refund metadata a string": event(
        type="charge.refunded",
        data__object={"id": "ch_1", "amount": 100, "metadata": "x"},
    ),
    "id not text": event(id=12),
    "session id missing": event(data__object__id=None),
}


@pytest.mark.parametrize("name", list(ODD))
def test_a_signed_event_of_an_odd_shape_gets_400(
    payments: PaymentsWorld, gateway: Gateway, name: str
) -> None:
    payload = json.dumps(ODD[name])
    response = httpx.post(
        f"{gateway.url}/webhooks/stripe", content=payload, headers=signed(payload)
    )
    assert response.status_code == 400, (name, response.status_code, response.text)
    assert "Stripe event" in response.json()["error"]
    event_id = ODD[name].get("id")
    if isinstance(event_id, str):
        assert not payments.db(
            "SELECT 1 FROM stripe_events WHERE event_id = :e", e=event_id
        )
