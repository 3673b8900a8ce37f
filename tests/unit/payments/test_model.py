"""The payment's rules: outcomes depend on the facts, not their order."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.payments.domain.model import Flag, Payment, PaymentStatus, Purpose

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def pending(amount: int = 10_000) -> Payment:
    return Payment(
        payment_id="p1",
        purpose=Purpose.DUES,
        invoice_id="inv-1",
        member_id="m-1",
        fiscal_year=2026,
        band="A",
        amount_cents=amount,
        currency="USD",
        attempt=1,
        created_at=T0,
    )


def paid(payment: Payment, amount: int = 10_000) -> bool:
    return payment.succeed(
        amount_cents=amount,
        currency="usd",
        payment_intent_id="pi_1",
        paid_at=T0,
        source="s",
    )


def test_success_is_recorded_once() -> None:
    payment = pending()
    assert paid(payment)
    assert not paid(payment)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.fulfilled
    assert [c.new_status for c in payment.history] == [PaymentStatus.SUCCEEDED]


def test_amount_mismatch_is_held_for_staff() -> None:
    payment = pending(10_000)
    assert paid(payment, 9_999)
    assert payment.flag == Flag.AMOUNT_MISMATCH
    assert not payment.fulfilled
    assert "9999 USD" in (payment.flag_detail or "")


def test_currency_mismatch_is_held_for_staff() -> None:
    payment = pending()
    payment.succeed(
        amount_cents=10_000,
        currency="eur",
        payment_intent_id="pi",
        paid_at=T0,
        source="s",
    )
    assert payment.flag == Flag.AMOUNT_MISMATCH


def test_second_payment_for_a_paid_invoice_is_held() -> None:
    payment = pending()
    payment.succeed(
        amount_cents=10_000,
        currency="USD",
        payment_intent_id="pi",
        paid_at=T0,
        source="s",
        invoice_already_paid=True,
    )
    assert payment.flag == Flag.DUPLICATE_PAYMENT


def test_late_expiry_or_failure_never_undoes_money() -> None:
    payment = pending()
    paid(payment)
    assert not payment.expire(T0, "s")
    assert not payment.fail("declined", T0, "s")
    assert payment.status == PaymentStatus.SUCCEEDED


def test_money_after_expiry_still_counts() -> None:
    payment = pending()
    payment.expire(T0, "s")
    assert paid(payment)
    assert payment.status == PaymentStatus.SUCCEEDED


def test_refund_totals_only_grow() -> None:
    payment = pending()
    paid(payment)
    assert payment.record_refunded_total(4_000, T0, "a")
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert not payment.record_refunded_total(3_000, T0, "late news")
    assert payment.amount_refunded_cents == 4_000
    assert payment.record_refunded_total(10_000, T0, "b")
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.refundable_cents == 0


def test_refund_of_unpaid_payment_is_ignored() -> None:
    payment = pending()
    assert not payment.record_refunded_total(100, T0, "s")
    assert payment.status == PaymentStatus.PENDING


FACTS = ["paid", "expired", "failed", "refund_4000", "refund_10000"]


def apply(payment: Payment, fact: str, at: datetime) -> None:
    if fact == "paid":
        paid(payment)
    elif fact == "expired":
        payment.expire(at, fact)
    elif fact == "failed":
        payment.fail("declined", at, fact)
    elif fact.startswith("refund_"):
        if not payment.is_paid:
            paid(payment)  # as the webhook does: a refund proves the charge
        payment.record_refunded_total(int(fact.split("_")[1]), at, fact)


def outcome(facts: tuple[str, ...]) -> tuple[PaymentStatus, int]:
    payment = pending()
    for i, fact in enumerate(facts):
        apply(payment, fact, T0 + timedelta(seconds=i))
    return payment.status, payment.amount_refunded_cents


def test_money_facts_give_the_same_outcome_in_every_order() -> None:
    money = ("paid", "refund_4000", "refund_10000")
    results = {outcome(order) for order in itertools.permutations(money)}
    assert results == {(PaymentStatus.REFUNDED, 10_000)}


@given(
    st.lists(st.sampled_from(["paid", "refund_4000"]), min_size=1, max_size=6),
    st.randoms(),
)
def test_duplicates_and_order_of_money_facts_do_not_matter(
    facts: list[str], rnd: object
) -> None:
    shuffled = list(facts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert outcome(tuple(facts)) == outcome(tuple(shuffled))
