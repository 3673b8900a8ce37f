"""Staff refunds: full or partial, through Stripe, never twice."""

from __future__ import annotations

import pytest

from common.errors import BadInput, Conflict, Forbidden, NotFound
from common.identity import Identity
from services.payments.domain.model import PaymentStatus
from services.payments.service_layer import refunds
from tests.unit.payments import fakes
from tests.unit.payments.conftest import World


def paid_payment(world: World, amount: int = 25_000) -> str:
    invoice = world.invoices.add(amount)
    answer = world.checkout(invoice)
    world.deliver(
        fakes.session_event(
            "checkout.session.completed",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
            intent=f"pi_{answer['payment_id'][:8]}",
        )
    )
    return str(answer["payment_id"])


def test_partial_then_full_refund(world: World) -> None:
    pid = paid_payment(world)
    first = world.refund(pid, 10_000, "duplicate")
    assert first["refund"]["status"] == "SUCCEEDED"
    assert first["payment"]["status"] == "PARTIALLY_REFUNDED"
    assert world.provider.refunds[0]["reason"] == "duplicate"
    assert world.provider.refunds[0]["key"] == f"refund-{pid}-1"
    rest = world.refund(pid, None, "member left the programme")
    assert rest["refund"]["amount_cents"] == 15_000
    assert world.provider.refunds[1]["reason"] == "requested_by_customer"
    assert rest["payment"]["status"] == "REFUNDED"
    events = world.events("payment_refunded")
    assert [(e["amount_refunded_cents"], e["fully_refunded"]) for e in events] == [
        (10_000, False),
        (25_000, True),
    ]


def test_webhook_after_the_refund_changes_nothing(world: World) -> None:
    pid = paid_payment(world)
    world.refund(pid, 10_000, "duplicate")
    payment = world.payment(pid)
    world.deliver(fakes.refund_event(payment.payment_intent_id, 25_000, 10_000))
    assert len(world.events("payment_refunded")) == 1


def test_refund_made_in_the_stripe_dashboard_is_followed(world: World) -> None:
    pid = paid_payment(world)
    payment = world.payment(pid)
    world.deliver(fakes.refund_event(payment.payment_intent_id, 25_000, 5_000))
    assert world.payment(pid).status == PaymentStatus.PARTIALLY_REFUNDED


def test_too_much_or_nothing_is_refused(world: World) -> None:
    pid = paid_payment(world)
    for amount in (0, -5, 25_001):
        with pytest.raises(BadInput) as info:
            world.refund(pid, amount)
        assert info.value.field == "amountCents"
    with pytest.raises(BadInput):
        world.refund(pid, 100, reason="  ")
    assert world.provider.refunds == []


def test_only_staff_and_only_paid_payments(world: World) -> None:
    pid = paid_payment(world)
    member = Identity(sub="m", role="member", member_id=world.payment(pid).member_id)
    with pytest.raises(Forbidden):
        refunds.refund_payment(
            world.uow, member, world.provider, world.clock, pid, 100, "x"
        )
    with pytest.raises(NotFound):
        world.refund("no-such-payment", 100)
    invoice = world.invoices.add()
    unpaid = world.checkout(invoice)["payment_id"]
    with pytest.raises(Conflict):
        world.refund(unpaid, 100)


def test_lost_answer_then_retry_refunds_once(world: World) -> None:
    pid = paid_payment(world)
    world.provider.unavailable = True
    with pytest.raises(Conflict):
        world.refund(pid, 7_000)
    with pytest.raises(Conflict):
        world.refund(pid, 3_000)  # a different refund must wait for the first
    world.provider.unavailable = False
    answer = world.refund(pid, 7_000)
    assert answer["payment"]["amount_refunded_cents"] == 7_000
    assert len(world.provider.refunds) == 1


def test_pending_refund_waits_for_the_webhook(world: World) -> None:
    pid = paid_payment(world)
    world.provider.refund_status = "pending"
    answer = world.refund(pid, 5_000)
    assert answer["refund"]["status"] == "PENDING"
    assert answer["payment"]["status"] == "SUCCEEDED"
    payment = world.payment(pid)
    world.deliver(fakes.refund_event(payment.payment_intent_id, 25_000, 5_000))
    assert world.payment(pid).status == PaymentStatus.PARTIALLY_REFUNDED
