"""Stripe's webhooks: verified, recorded once, applied exactly once in any order."""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from common.batching import GroupCommit
from common.errors import BadInput, Unavailable
from services.payments.adapters import orm
from services.payments.domain.checkout import Invoice
from services.payments.domain.model import Flag, PaymentStatus
from services.payments.domain.reconciliation import StripeIntent
from services.payments.service_layer import webhooks
from services.payments.service_layer.ports import MembersUnavailable
from tests.support.wait import wait_until
from tests.unit.payments import fakes
from tests.unit.payments.conftest import World


def started(world: World, amount: int = 25_000) -> tuple[Invoice, Mapping[str, Any]]:
    invoice = world.invoices.add(amount)
    answer = world.checkout(invoice)
    return invoice, answer


def completed(invoice: Invoice, answer: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
    return fakes.session_event(
        "checkout.session.completed",
        answer["checkout_session_id"],
        payment_id=answer["payment_id"],
        invoice=invoice,
        **kw,
    )


def count(world: World, table: Table) -> int:
    with world.uow() as uow:
        return int(
            uow.session.execute(select(func.count()).select_from(table)).scalar_one()
        )


def test_same_event_five_times_changes_things_once(world: World) -> None:
    invoice, answer = started(world)
    event = completed(invoice, answer)
    replies = [world.deliver(event) for _ in range(5)]
    assert [r["duplicate"] for r in replies] == [False, True, True, True, True]
    assert all(r["ok"] for r in replies)
    payment = world.payment(answer["payment_id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    assert len(world.events("payment_succeeded")) == 1
    assert count(world, orm.receipts) == 1
    assert count(world, orm.stripe_events) == 1


def test_success_announces_payment_and_receipt(world: World) -> None:
    invoice, answer = started(world)
    world.deliver(completed(invoice, answer))
    (event,) = world.events("payment_succeeded")
    assert event["purpose"] == "DUES"
    assert event["invoice_id"] == invoice.invoice_id
    assert event["member_id"] == invoice.member_id
    assert event["amount_cents"] == 25_000
    assert event["currency"] == "USD"
    assert event["receipt_number"].startswith("R-2026-")
    assert event["old_status"] == "PENDING"
    assert event["new_status"] == "SUCCEEDED"
    assert world.status_changes() == [(None, "PENDING"), ("PENDING", "SUCCEEDED")]


def test_history_is_dated_when_we_learn_the_news(world: World) -> None:
    """Stripe's event times have whole seconds and may predate our own record
    of the checkout; the history (and the live updates) must stay in order."""
    invoice, answer = started(world)
    world.clock.advance(seconds=5)
    world.deliver(completed(invoice, answer, created=1_000_000_000))
    payment = world.payment(answer["payment_id"])
    created, paid = payment.history
    assert paid.changed_at == world.clock.now() > created.changed_at
    assert payment.paid_at.timestamp() == 1_000_000_000  # Stripe's own time


def test_forged_signature_changes_nothing(world: World) -> None:
    invoice, answer = started(world)
    payload, _ = fakes.signed(completed(invoice, answer))
    _, forged = fakes.signed(completed(invoice, answer), secret="whsec_wrong")
    with pytest.raises(BadInput) as info:
        webhooks.receive_stripe_webhook(
            world.uow, fakes.verifier(), world.provider, world.invoices,
            world.clock, payload, forged,
        )  # fmt: skip
    assert info.value.field == "Stripe-Signature"
    assert world.payment(answer["payment_id"]).status == PaymentStatus.PENDING
    assert count(world, orm.stripe_events) == 0


def test_expired_timestamp_changes_nothing(world: World) -> None:
    invoice, answer = started(world)
    payload, old = fakes.signed(completed(invoice, answer), at=int(time.time()) - 301)
    with pytest.raises(BadInput):
        webhooks.receive_stripe_webhook(
            world.uow, fakes.verifier(), world.provider, world.invoices,
            world.clock, payload, old,
        )  # fmt: skip
    assert count(world, orm.stripe_events) == 0


def test_missing_signature_and_garbage_payload(world: World) -> None:
    for payload, signature in (("{}", ""), ("not json", "t=1,v1=00")):
        with pytest.raises(BadInput):
            webhooks.receive_stripe_webhook(
                world.uow, fakes.verifier(), world.provider, world.invoices,
                world.clock, payload, signature,
            )  # fmt: skip


def test_amount_mismatch_is_flagged_not_fulfilled(world: World) -> None:
    invoice, answer = started(world, 25_000)
    world.deliver(completed(invoice, answer, amount=100))
    payment = world.payment(answer["payment_id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.flag == Flag.AMOUNT_MISMATCH
    assert world.events("payment_succeeded") == []
    assert count(world, orm.receipts) == 0
    (last,) = world.events("payment_status_changed")[-1:]
    assert last["flag"] == "AMOUNT_MISMATCH"


def test_session_we_never_recorded_is_adopted_from_the_invoice(world: World) -> None:
    invoice = world.invoices.add(25_000)
    event = fakes.session_event(
        "checkout.session.completed", "cs_test_lost", payment_id=None, invoice=invoice
    )
    world.provider.knows(event)  # Stripe has the session: our record was lost
    reply = world.deliver(event)
    assert reply["outcome"] == "APPLIED"
    payment = world.payment(reply["payment_id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.invoice_id == invoice.invoice_id
    assert world.invoices.calls == [(invoice.invoice_id, True)]  # as the service
    assert len(world.events("payment_succeeded")) == 1


def test_a_session_stripe_never_had_is_not_fulfilled(world: World) -> None:
    invoice = world.invoices.add(25_000)
    made_up = fakes.session_event(
        "checkout.session.completed", "cs_made_up", payment_id=None, invoice=invoice
    )
    reply = world.deliver(made_up)
    assert reply["outcome"] == "UNMATCHED"
    assert world.events("payment_succeeded") == []
    assert world.invoices.calls == []  # nothing was adopted


def test_an_unrecorded_session_takes_its_facts_from_stripe(world: World) -> None:
    invoice = world.invoices.add(25_000)
    other = world.invoices.add(40_000)
    claims = fakes.session_event(
        "checkout.session.completed",
        "cs_real",
        payment_id=None,
        invoice=invoice,
        amount=25_000,
    )
    # Stripe's record: 100 cents paid, for the other invoice.
    world.provider.knows(claims, amount_total=100, invoice_id=other.invoice_id)
    reply = world.deliver(claims)
    payment = world.payment(reply["payment_id"])
    assert payment.invoice_id == other.invoice_id
    assert payment.amount_paid_cents == 100
    assert payment.flag == Flag.AMOUNT_MISMATCH  # held for staff, not applied
    assert world.events("payment_succeeded") == []


def test_an_event_naming_our_payment_with_another_session_is_checked(
    world: World,
) -> None:
    invoice, answer = started(world)
    forged = fakes.session_event(
        "checkout.session.completed",
        "cs_someone_elses",
        payment_id=answer["payment_id"],
        invoice=invoice,
    )
    assert world.deliver(forged)["outcome"] == "UNMATCHED"
    assert world.payment(answer["payment_id"]).status == PaymentStatus.PENDING


def test_stripe_down_while_checking_a_session_records_nothing(world: World) -> None:
    invoice = world.invoices.add(25_000)
    event = fakes.session_event(
        "checkout.session.completed", "cs_later", payment_id=None, invoice=invoice
    )
    world.provider.knows(event)
    world.provider.unavailable = True
    with pytest.raises(Unavailable):
        world.deliver(event)  # 503 at the gateway: Stripe delivers it again
    assert count(world, orm.stripe_events) == 0
    world.provider.unavailable = False
    assert world.deliver(event)["outcome"] == "APPLIED"


def test_unknown_session_for_unknown_invoice_is_unmatched(world: World) -> None:
    ghost = fakes.FakeInvoices().add()
    reply = world.deliver(
        fakes.session_event(
            "checkout.session.completed", "cs_x", payment_id=None, invoice=ghost
        )
    )
    assert reply == {**reply, "ok": True, "outcome": "UNMATCHED"}
    assert world.events("payment_succeeded") == []


def test_async_failure_and_expiry(world: World) -> None:
    invoice, answer = started(world)
    world.deliver(
        fakes.session_event(
            "checkout.session.async_payment_failed",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
            paid=False,
        )
    )
    assert world.payment(answer["payment_id"]).status == PaymentStatus.FAILED
    (failed,) = world.events("payment_failed")
    assert failed["invoice_id"] == invoice.invoice_id
    # A late expiry of the same session changes nothing.
    reply = world.deliver(
        fakes.session_event(
            "checkout.session.expired",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
            paid=False,
        )
    )
    assert reply["outcome"] == "STALE"


def test_completed_unpaid_waits_for_the_async_outcome(world: World) -> None:
    invoice, answer = started(world)
    world.deliver(completed(invoice, answer, paid=False))
    assert world.payment(answer["payment_id"]).status == PaymentStatus.PENDING
    world.deliver(
        fakes.session_event(
            "checkout.session.async_payment_succeeded",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
        )
    )
    assert world.payment(answer["payment_id"]).status == PaymentStatus.SUCCEEDED


def test_refund_news_before_the_completion_news(world: World) -> None:
    invoice, answer = started(world)
    intent = "pi_early"
    world.provider.intents[intent] = StripeIntent(
        intent,
        "succeeded",
        25_000,
        "usd",
        25_000,
        world.clock.now(),
        answer["payment_id"],
    )
    world.deliver(fakes.refund_event(intent, 25_000, 25_000))
    payment = world.payment(answer["payment_id"])
    assert payment.status == PaymentStatus.REFUNDED
    world.deliver(completed(invoice, answer, intent=intent))  # late: no change
    assert world.payment(answer["payment_id"]).status == PaymentStatus.REFUNDED
    assert len(world.events("payment_succeeded")) == 1
    (refunded,) = world.events("payment_refunded")
    assert refunded["fully_refunded"] is True
    # Announced in the order they happened, though the success waited for
    # its receipt number.
    history = world.payment(answer["payment_id"]).history
    assert world.status_changes() == [
        (c.old_status.value if c.old_status else None, c.new_status.value)
        for c in history
    ]
    assert [s for _, s in world.status_changes()] == [
        "PENDING",
        "SUCCEEDED",
        "REFUNDED",
    ]


def test_other_event_types_are_recorded_and_ignored(world: World) -> None:
    reply = world.deliver(
        {
            "id": "evt_other",
            "type": "customer.created",
            "created": int(time.time()),
            "data": {"object": {"id": "cus_1"}},
        }
    )
    assert reply["outcome"] == "IGNORED"
    assert world.deliver(
        {
            "id": "evt_other",
            "type": "customer.created",
            "created": int(time.time()),
            "data": {"object": {"id": "cus_1"}},
        }
    )["duplicate"]


def test_members_down_during_adoption_records_nothing_so_stripe_retries(
    world: World,
) -> None:
    invoice = world.invoices.add(25_000)
    event = fakes.session_event(
        "checkout.session.completed", "cs_test_lost2", payment_id=None, invoice=invoice
    )
    world.provider.knows(event)
    world.invoices.down = True
    with pytest.raises(MembersUnavailable):
        world.deliver(event)  # -> 5xx at the gateway: Stripe delivers it again
    assert count(world, orm.stripe_events) == 0
    world.invoices.down = False
    assert world.deliver(event)["outcome"] == "APPLIED"


def test_payload_or_signature_that_is_not_text(world: World) -> None:
    for payload, signature in ((None, "t=1,v1=00"), ("{}", None), (b"{}", "x")):
        with pytest.raises(BadInput):
            webhooks.receive_stripe_webhook(
                world.uow, fakes.verifier(), world.provider, world.invoices,
                world.clock, payload, signature,  # type: ignore[arg-type]
            )  # fmt: skip


class Gathering(GroupCommit[Any, Any]):
    """Holds its first run until `size` webhooks wait, so they share it."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.sizes: list[int] = []

    def _lead(self, run: Any) -> None:
        if not self.sizes:
            wait_until(lambda: len(self._waiting) >= self.size, message="gathered")
        self.sizes.append(min(len(self._waiting), self.limit))
        super()._lead(run)


def test_webhooks_arriving_together_end_as_one_at_a_time(world: World) -> None:
    (inv_a, a), (inv_b, b) = started(world), started(world)
    first = completed(inv_a, a)
    again_for_a = completed(inv_a, a)  # another event id, the same invoice
    stranger = completed(
        fakes.FakeInvoices().add(9_000),
        {
            "checkout_session_id": "cs_never_recorded",
            "payment_id": None,
        },
    )
    events = [first, first, completed(inv_b, b), again_for_a, stranger]
    together = Gathering(size=len(events))
    with ThreadPoolExecutor(len(events)) as pool:
        replies = list(pool.map(lambda e: world.deliver(e, together=together), events))

    assert together.sizes[0] == len(events)  # one transaction took them first
    assert [r["duplicate"] for r in replies] == [False, True, False, False, False]
    assert [r.get("outcome") for r in replies] == [
        "APPLIED",
        None,
        "APPLIED",
        "STALE",  # alone, after the batch: nothing new for a paid invoice
        "UNMATCHED",  # alone: no checkout of ours, no invoice known
    ]
    for answer in (a, b):
        payment = world.payment(answer["payment_id"])
        assert payment.status == PaymentStatus.SUCCEEDED
        assert [c.new_status for c in payment.history] == [
            PaymentStatus.PENDING,
            PaymentStatus.SUCCEEDED,
        ]
    assert len(world.events("payment_succeeded")) == 2
    assert count(world, orm.receipts) == 2
    assert count(world, orm.stripe_events) == 4  # every distinct event, once
