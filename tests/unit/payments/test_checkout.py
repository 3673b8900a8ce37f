"""Starting a dues checkout: who may, which invoices, one session per attempt."""

from __future__ import annotations

import pytest

from common.errors import (
    BadInput,
    Conflict,
    Forbidden,
    NotFound,
    Unauthenticated,
    Unavailable,
)
from common.identity import ANONYMOUS, Identity
from services.payments.domain.checkout import OpenedSession, SessionRequest
from services.payments.domain.model import PaymentStatus
from tests.unit.payments import fakes
from tests.unit.payments.conftest import STAFF, World


def test_member_gets_a_session_for_an_open_invoice(world: World) -> None:
    invoice = world.invoices.add(25_000)
    answer = world.checkout(invoice)
    assert answer["status"] == "PENDING"
    assert answer["checkout_url"].startswith("http://stripe.test/checkout/")
    request = world.provider.requests[0]
    assert request.idempotency_key == f"dues-checkout-{invoice.invoice_id}-1"
    assert request.invoice.amount_cents == 25_000
    payment = world.payment(answer["payment_id"])
    assert payment.checkout_session_id == answer["checkout_session_id"]
    assert payment.payer_name == "Springfield"
    assert world.status_changes() == [(None, "PENDING")]


def test_asking_again_returns_the_open_session(world: World) -> None:
    invoice = world.invoices.add()
    first = world.checkout(invoice)
    second = world.checkout(invoice, caller=STAFF)
    assert second["payment_id"] == first["payment_id"]
    assert second["checkout_url"] == first["checkout_url"]
    assert len(world.provider.requests) == 1


def test_stripe_unreachable_then_retry_uses_the_same_key(world: World) -> None:
    invoice = world.invoices.add()
    world.provider.unavailable = True
    with pytest.raises(Unavailable):
        world.checkout(invoice)
    world.provider.unavailable = False
    answer = world.checkout(invoice)
    keys = [r.idempotency_key for r in world.provider.requests]
    assert keys == [keys[0], keys[0]]
    # Same parameters too, or Stripe would refuse the replayed key.
    first, again = world.provider.requests
    assert (first.expires_at, first.success_url) == (
        again.expires_at,
        again.success_url,
    )
    assert answer["checkout_url"]


def test_an_expired_session_gives_a_new_attempt(world: World) -> None:
    invoice = world.invoices.add()
    first = world.checkout(invoice)
    world.clock.advance(hours=2)
    second = world.checkout(invoice)
    assert second["payment_id"] != first["payment_id"]
    assert world.provider.requests[-1].idempotency_key.endswith("-2")
    assert world.payment(first["payment_id"]).status == PaymentStatus.EXPIRED


@pytest.mark.parametrize("status", ["PAID", "VOID", "REFUNDED"])
def test_closed_invoices_are_refused(world: World, status: str) -> None:
    invoice = world.invoices.add(status=status)
    with pytest.raises(Conflict) as info:
        world.checkout(invoice)
    assert info.value.field == "invoiceId"
    assert world.provider.requests == []


def test_unknown_invoice_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.checkout(
            fakes.FakeInvoices().add()  # never registered in world.invoices
        )


def test_only_the_owning_member_or_staff(world: World) -> None:
    invoice = world.invoices.add()
    other = Identity(sub="x", role="member", member_id="someone-else")
    with pytest.raises(Forbidden):
        world.checkout(invoice, caller=other)
    with pytest.raises(Unauthenticated):
        world.checkout(invoice, caller=ANONYMOUS)
    assert world.checkout(invoice, caller=STAFF)["status"] == "PENDING"


def test_bad_urls_are_refused_before_anything(world: World) -> None:
    from services.payments.service_layer import checkout

    invoice = world.invoices.add()
    with pytest.raises(BadInput) as info:
        checkout.create_dues_checkout(
            world.uow,
            STAFF,
            world.invoices,
            world.provider,
            world.clock,
            __import__("datetime").timedelta(hours=1),
            invoice.invoice_id,
            "javascript:alert(1)",
            "https://ok.example.org",
        )
    assert info.value.field == "successUrl"
    assert world.invoices.calls == []


def test_members_down_is_a_clear_error(world: World) -> None:
    invoice = world.invoices.add()
    world.invoices.down = True
    with pytest.raises(Unavailable, match="members"):
        world.checkout(invoice)


def test_paid_invoice_in_our_ledger_is_refused_even_if_members_lags(
    world: World,
) -> None:
    invoice = world.invoices.add()
    answer = world.checkout(invoice)
    world.deliver(
        fakes.session_event(
            "checkout.session.completed",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
        )
    )
    with pytest.raises(Conflict, match="already paid"):
        world.checkout(invoice)


def test_completed_webhook_before_the_session_is_recorded(world: World) -> None:
    """Stripe's news arrives between Stripe's answer and our recording of it."""
    invoice = world.invoices.add()
    outcomes = []

    def pay_at_once(request: SessionRequest, opened: OpenedSession) -> None:
        event = fakes.session_event(
            "checkout.session.completed",
            opened.session_id,
            payment_id=request.payment_id,
            invoice=invoice,
        )
        # Not recorded yet: the service asks Stripe, whose record says paid.
        world.provider.knows(event)
        outcomes.append(world.deliver(event))

    world.provider.during_open = pay_at_once
    answer = world.checkout(invoice)
    assert outcomes[0]["outcome"] == "APPLIED"
    payment = world.payment(answer["payment_id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.checkout_session_id == answer["checkout_session_id"]
    assert len(world.events("payment_succeeded")) == 1
