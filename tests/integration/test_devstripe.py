"""devstripe, exercised as the platform uses it: a real subprocess, the official
stripe SDK over HTTP, and a local webhook receiver checking Stripe signatures."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe

from devstripe.testing import (
    LOG_NAME,
    admin_request,
    free_port,
    start_devstripe,
    stop_devstripe,
    wait_ready,
)
from tests.support.wait import wait_until

SECRET = "whsec_test_devstripe"
TIMEOUT = 15.0


# -- webhook receiver ----------------------------------------------------------


class Receiver:
    """A tiny threaded HTTP server that records every webhook it is sent."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/webhooks/stripe"
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._cond:
                    receiver.deliveries.append((dict(self.headers), body))
                    receiver._cond.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def matching(
        self, event_type: str, object_id: str
    ) -> list[tuple[dict[str, str], bytes]]:
        found = []
        for headers, body in list(self.deliveries):
            event = json.loads(body)
            if event["type"] == event_type and event["data"]["object"]["id"] == (
                object_id
            ):
                found.append((headers, body))
        return found

    def wait_for(
        self, event_type: str, object_id: str, count: int = 1
    ) -> list[tuple[dict[str, str], bytes]]:
        with self._cond:
            ok = self._cond.wait_for(
                lambda: len(self.matching(event_type, object_id)) >= count, TIMEOUT
            )
        assert ok, f"no {count}x {event_type} for {object_id} within {TIMEOUT}s"
        return self.matching(event_type, object_id)


def verified(delivery: tuple[dict[str, str], bytes]) -> stripe.Event:
    headers, body = delivery
    return stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)


# -- fixtures --------------------------------------------------------------------


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    rec = Receiver(free_port()).start()
    yield rec
    rec.stop()


@pytest.fixture(scope="module")
def port(receiver: Receiver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    workdir: Path = tmp_path_factory.mktemp("devstripe")
    port = free_port()
    proc = start_devstripe(port, receiver.url, SECRET, workdir)
    try:
        wait_ready(port, proc=proc)
        yield port
    finally:
        stop_devstripe(proc)
        print((workdir / LOG_NAME).read_text()[-5000:])  # shown on failure


@pytest.fixture(scope="module")
def client(port: int) -> stripe.StripeClient:
    return stripe.StripeClient(
        "sk_test_devstripe", base_addresses={"api": f"http://127.0.0.1:{port}"}
    )


def session_params(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 2500,
                    "product_data": {"name": "Membership dues 2025"},
                },
            }
        ],
        "client_reference_id": "member-42",
        "metadata": {"member_id": "42", "dues_year": "2025"},
        "customer_email": "treasurer@example.org",
        "success_url": "http://127.0.0.1:9/ok?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://127.0.0.1:9/cancel",
        "expires_at": int(time.time()) + 3600,
    }
    params.update(overrides)
    return params


def create(client: stripe.StripeClient, **overrides: Any) -> stripe.checkout.Session:
    return client.v1.checkout.sessions.create(
        params=session_params(**overrides),  # type: ignore[arg-type]
        options={"idempotency_key": str(uuid.uuid4())},
    )


def pay(port: int, session_id: str, **body: Any) -> dict[str, Any]:
    result: dict[str, Any] = admin_request(
        port, f"/checkout/{session_id}/pay", method="POST", data=body or None
    )
    return result


def events_log(port: int, event_type: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = admin_request(
        port, f"/_devstripe/events?type={event_type}"
    )["data"]
    return data


# -- checkout sessions -----------------------------------------------------------


def test_create_retrieve_list(client: stripe.StripeClient, port: int) -> None:
    session = create(client)

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"http://127.0.0.1:{port}/checkout/{session.id}"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert session.amount_total == 2500
    assert session.currency == "eur"
    assert session.client_reference_id == "member-42"
    assert session.to_dict()["metadata"] == {"member_id": "42", "dues_year": "2025"}
    assert session.payment_intent is None
    assert session.mode == "payment"

    fetched = client.v1.checkout.sessions.retrieve(session.id)
    assert fetched.to_dict() == session.to_dict()

    newest = client.v1.checkout.sessions.list(params={"limit": 1})
    assert [s.id for s in newest.data] == [session.id]
    assert create(client).id in [
        s.id for s in client.v1.checkout.sessions.list(params={"limit": 5}).data
    ]


def test_expire_sends_expired_event(
    client: stripe.StripeClient, receiver: Receiver
) -> None:
    session = create(client)
    expired = client.v1.checkout.sessions.expire(session.id)

    assert expired.status == "expired"
    assert expired.url is None
    event = verified(receiver.wait_for("checkout.session.expired", session.id)[0])
    assert event.data.object.status == "expired"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(session.id)


def test_session_past_expires_at_expires_by_itself(
    client: stripe.StripeClient, receiver: Receiver
) -> None:
    session = create(client, expires_at=int(time.time()) + 2)
    receiver.wait_for("checkout.session.expired", session.id)
    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_same_idempotency_key_returns_same_session(
    client: stripe.StripeClient,
) -> None:
    key = str(uuid.uuid4())
    params = session_params()
    first = client.v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    again = client.v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    assert again.id == first.id
    listed = client.v1.checkout.sessions.list(params={"limit": 100}).data
    assert [s.id for s in listed].count(first.id) == 1

    with pytest.raises(stripe.IdempotencyError):
        client.v1.checkout.sessions.create(
            params=session_params(client_reference_id="someone-else"),  # type: ignore[arg-type]
            options={"idempotency_key": key},
        )


def test_unknown_session_and_missing_key(
    client: stripe.StripeClient, port: int
) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.retrieve("cs_test_nope")
    anonymous = httpx.get(f"http://127.0.0.1:{port}/v1/checkout/sessions")
    assert anonymous.status_code == 401


# -- paying ----------------------------------------------------------------------


def test_pay_sends_signed_completed_event(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    session = create(client)
    paid = pay(port, session.id)
    assert (paid["status"], paid["payment_status"]) == ("complete", "paid")

    delivery = receiver.wait_for("checkout.session.completed", session.id)[0]
    event = verified(delivery)
    assert event.id.startswith("evt_")
    assert event.created > 0
    obj = event.data.object
    assert obj.amount_total == 2500
    assert obj.client_reference_id == "member-42"
    assert obj.metadata.to_dict() == {"member_id": "42", "dues_year": "2025"}
    assert obj.payment_status == "paid"
    assert obj.payment_intent == paid["payment_intent"]

    headers, body = delivery
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_wrong")

    # Reconciliation sees the money through the ordinary API.
    intents = client.v1.payment_intents.list(
        params={"limit": 100, "created": {"gte": session.created}}
    ).data
    intent = next(pi for pi in intents if pi.id == obj.payment_intent)
    assert (intent.amount, intent.currency, intent.status) == (2500, "eur", "succeeded")
    retrieved = client.v1.checkout.sessions.retrieve(session.id)
    assert (retrieved.status, retrieved.payment_status) == ("complete", "paid")


def test_pay_with_amount_override_simulates_mismatch(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    session = create(client)
    pay(port, session.id, amount_total=1999)

    event = verified(receiver.wait_for("checkout.session.completed", session.id)[0])
    assert event.data.object.amount_total == 1999
    intent = client.v1.payment_intents.retrieve(event.data.object.payment_intent)
    assert intent.amount == 1999


def test_fail_sends_async_payment_failed(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    session = create(client)
    failed: dict[str, Any] = admin_request(
        port, f"/checkout/{session.id}/fail", method="POST"
    )
    assert failed["payment_status"] == "unpaid"

    event = verified(
        receiver.wait_for("checkout.session.async_payment_failed", session.id)[0]
    )
    assert event.data.object.payment_status == "unpaid"
    with pytest.raises(urllib.error.HTTPError):  # no longer open
        pay(port, session.id)


def test_checkout_page_pays_and_redirects(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    session = create(client)
    assert session.url is not None
    page = httpx.get(session.url)
    assert page.status_code == 200
    assert "25.00 EUR" in page.text
    assert "Membership dues 2025" in page.text
    assert f'action="/checkout/{session.id}/pay"' in page.text
    assert f'action="/checkout/{session.id}/fail"' in page.text

    clicked = httpx.post(
        f"http://127.0.0.1:{port}/checkout/{session.id}/pay",
        data={"from_page": "1"},
        follow_redirects=False,
    )
    assert clicked.status_code == 303
    assert clicked.headers["Location"] == f"http://127.0.0.1:9/ok?session={session.id}"
    receiver.wait_for("checkout.session.completed", session.id)


# -- refunds ---------------------------------------------------------------------


def test_refund_sends_charge_refunded(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    session = create(client)
    intent_id = pay(port, session.id)["payment_intent"]
    key = str(uuid.uuid4())

    refund = client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 500},
        options={"idempotency_key": key},
    )
    replay = client.v1.refunds.create(
        params={"payment_intent": intent_id, "amount": 500},
        options={"idempotency_key": key},
    )
    assert replay.id == refund.id
    assert refund.amount == 500

    charge_id = refund.charge
    assert isinstance(charge_id, str)
    event = verified(receiver.wait_for("charge.refunded", charge_id)[0])
    charge = event.data.object
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (
        2500,
        500,
        False,
    )
    assert charge.payment_intent == intent_id

    rest = client.v1.refunds.create(params={"charge": charge_id})
    assert rest.amount == 2000  # what is left, as Stripe does
    final = [verified(d) for d in receiver.wait_for("charge.refunded", charge_id, 2)]
    assert {(e.data.object.amount_refunded, e.data.object.refunded) for e in final} == {
        (500, False),
        (2500, True),
    }
    assert len(receiver.matching("charge.refunded", charge_id)) == 2  # no replay event

    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(params={"charge": charge_id, "amount": 1})


# -- delivery --------------------------------------------------------------------


def test_event_reaches_receiver_that_was_down(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    late = Receiver(free_port())
    admin_request(port, "/_config/webhook_url", method="POST", data={"url": late.url})
    try:
        session = create(client)
        pay(port, session.id)

        def failed_twice() -> bool:
            return any(
                e["event"]["data"]["object"]["id"] == session.id
                and e["attempts"] >= 2
                and not e["delivered"]
                for e in events_log(port, "checkout.session.completed")
            )

        wait_until(failed_twice, TIMEOUT, message="two refused delivery attempts")
        late.start()
        event = verified(late.wait_for("checkout.session.completed", session.id)[0])
        assert event.data.object.id == session.id
        wait_until(
            lambda: any(
                e["id"] == event.id and e["delivered"]
                for e in events_log(port, "checkout.session.completed")
            ),
            TIMEOUT,
            message="delivery recorded",
        )
    finally:
        admin_request(
            port, "/_config/webhook_url", method="POST", data={"url": receiver.url}
        )
        late.stop()


def test_resend_delivers_identical_event(
    client: stripe.StripeClient, port: int, receiver: Receiver
) -> None:
    session = create(client)
    pay(port, session.id)
    first = receiver.wait_for("checkout.session.completed", session.id)[0]
    event_id = json.loads(first[1])["id"]

    for _ in range(4):
        result = admin_request(
            port, f"/_devstripe/events/{event_id}/resend?wait=true", method="POST"
        )
        assert result["deliveries"][0]["status"] == "delivered"

    deliveries = receiver.wait_for("checkout.session.completed", session.id, 5)
    assert len(deliveries) == 5
    assert {verified(d).id for d in deliveries} == {event_id}
    assert {body for _, body in deliveries} == {first[1]}
