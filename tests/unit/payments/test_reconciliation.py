"""Reconciliation reports every difference between ledger and Stripe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.payments.domain.model import PaymentStatus
from services.payments.domain.reconciliation import (
    DifferenceKind,
    LedgerEntry,
    StripeIntent,
    compare,
)
from services.payments.service_layer.reconciliation import reconcile
from tests.unit.payments import fakes
from tests.unit.payments.conftest import World

T = datetime(2026, 3, 1, tzinfo=UTC)


def entry(
    pid: str,
    pi: str | None,
    status: PaymentStatus = PaymentStatus.SUCCEEDED,
    amount: int = 100,
    refunded: int = 0,
) -> LedgerEntry:
    return LedgerEntry(pid, pi, status, amount, "USD", refunded, T)


def intent(
    pi: str,
    pid: str | None,
    status: str = "succeeded",
    amount: int = 100,
    refunded: int = 0,
) -> StripeIntent:
    return StripeIntent(pi, status, amount, "usd", refunded, T, pid)


def kinds(
    ledger: list[LedgerEntry], intents: list[StripeIntent]
) -> set[tuple[DifferenceKind, str | None]]:
    return {
        (d.kind, d.payment_id or d.payment_intent_id) for d in compare(ledger, intents)
    }


def test_matching_sides_have_no_difference() -> None:
    assert compare([entry("p1", "pi1")], [intent("pi1", "p1")]) == []


def test_every_kind_of_difference() -> None:
    ledger = [
        entry("p-missing-in-stripe", "pi-gone"),
        entry("p-amount", "pi-amount", amount=100),
        entry("p-status", None, status=PaymentStatus.PENDING),
        entry(
            "p-refund",
            "pi-refund",
            status=PaymentStatus.PARTIALLY_REFUNDED,
            refunded=10,
        ),
    ]
    intents = [
        intent("pi-extra", None),
        intent("pi-amount", "p-amount", amount=90),
        intent("pi-status", "p-status"),
        intent("pi-refund", "p-refund", refunded=30),
        intent("pi-failed-attempt", None, status="requires_payment_method"),
    ]
    assert kinds(ledger, intents) == {
        (DifferenceKind.MISSING_IN_STRIPE, "p-missing-in-stripe"),
        (DifferenceKind.MISSING_IN_LEDGER, "pi-extra"),
        (DifferenceKind.AMOUNT_MISMATCH, "p-amount"),
        (DifferenceKind.STATUS_MISMATCH, "p-status"),
        (DifferenceKind.REFUND_MISMATCH, "p-refund"),
    }


def test_reconcile_widens_both_sides_and_changes_nothing(world: World) -> None:
    invoice = world.invoices.add(25_000)
    answer = world.checkout(invoice)
    world.deliver(
        fakes.session_event(
            "checkout.session.completed",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
            intent="pi_ok",
        )
    )
    paid_at = world.payment(answer["payment_id"]).paid_at
    # Stripe dated the intent a day earlier than our range: still matched.
    world.provider.intents["pi_ok"] = StripeIntent(
        "pi_ok",
        "succeeded",
        25_000,
        "usd",
        0,
        paid_at - timedelta(days=1),
        answer["payment_id"],
    )
    world.provider.intents["pi_planted"] = StripeIntent(
        "pi_planted", "succeeded", 999, "usd", 0, paid_at, None
    )
    before = fakes.emitted(world.uow)
    found = reconcile(
        world.uow,
        world.provider,
        paid_at - timedelta(hours=1),
        paid_at + timedelta(hours=1),
    )
    assert [(d.kind, d.payment_intent_id) for d in found] == [
        (DifferenceKind.MISSING_IN_LEDGER, "pi_planted")
    ]
    assert fakes.emitted(world.uow) == before
