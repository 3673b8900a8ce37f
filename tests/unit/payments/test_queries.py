"""Reading payments: who sees what, filters and Relay pages."""

from __future__ import annotations

import pytest

from common.errors import BadInput, Forbidden, NotFound, Unauthenticated
from common.identity import ANONYMOUS, Identity
from services.payments.service_layer import queries
from tests.unit.payments import fakes
from tests.unit.payments.conftest import STAFF, World


def member_of(invoice_member: str) -> Identity:
    return Identity(sub="u", role="member", member_id=invoice_member)


def test_a_member_sees_only_its_own_payments(world: World) -> None:
    mine = world.invoices.add()
    theirs = world.invoices.add()
    my_payment = world.checkout(mine)["payment_id"]
    their_payment = world.checkout(theirs)["payment_id"]
    me = member_of(mine.member_id)

    assert queries.get_payment(world.uow, me, my_payment)["invoice_id"] == (
        mine.invoice_id
    )
    with pytest.raises(NotFound):
        queries.get_payment(world.uow, me, their_payment)
    with pytest.raises(Unauthenticated):
        queries.get_payment(world.uow, ANONYMOUS, my_payment)
    assert queries.get_payments(world.uow, me, [their_payment, my_payment]) == [
        None,
        queries.get_payment(world.uow, me, my_payment),
    ]
    page = queries.list_payments(world.uow, me, None, 10, None)
    assert [e["node"]["payment_id"] for e in page["edges"]] == [my_payment]
    with pytest.raises(Forbidden):
        queries.list_payments(world.uow, me, {"member_id": theirs.member_id}, 10, None)
    assert queries.payments_for_invoices(
        world.uow, me, [mine.invoice_id, theirs.invoice_id]
    ) == [[queries.get_payment(world.uow, me, my_payment)], []]


def test_pages_follow_cursors_newest_first(world: World) -> None:
    ids = []
    for _ in range(5):
        world.clock.advance(seconds=1)
        ids.append(world.checkout(world.invoices.add())["payment_id"])
    seen: list[str] = []
    after = None
    while True:
        page = queries.list_payments(world.uow, STAFF, None, 2, after)
        assert page["total_count"] == 5
        seen += [e["node"]["payment_id"] for e in page["edges"]]
        if not page["page_info"]["has_next_page"]:
            break
        after = page["page_info"]["end_cursor"]
        assert page["page_info"]["start_cursor"] == page["edges"][0]["cursor"]
    assert seen == list(reversed(ids))


def test_filters(world: World) -> None:
    invoice = world.invoices.add()
    answer = world.checkout(invoice)
    world.deliver(
        fakes.session_event(
            "checkout.session.completed",
            answer["checkout_session_id"],
            payment_id=answer["payment_id"],
            invoice=invoice,
            amount=1,
        )
    )
    flagged = queries.list_payments(world.uow, STAFF, {"flagged": True}, 10, None)
    assert [e["node"]["flag"] for e in flagged["edges"]] == ["AMOUNT_MISMATCH"]
    day = world.clock.now().date().isoformat()
    same_day = {"from": day, "to": day, "status": "SUCCEEDED"}
    assert (
        queries.list_payments(world.uow, STAFF, same_day, 10, None)["total_count"] == 1
    )
    for bad, field in (
        ({"status": "PAID"}, "filter.status"),
        ({"from": "yesterday"}, "filter.from"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "filter.to"),
    ):
        with pytest.raises(BadInput) as info:
            queries.list_payments(world.uow, STAFF, bad, 10, None)
        assert info.value.field == field
    for first, after, field in ((101, None, "first"), (-1, None, "first"),
                                (5, "garbage", "after")):  # fmt: skip
        with pytest.raises(BadInput) as info:
            queries.list_payments(world.uow, STAFF, None, first, after)
        assert info.value.field == field


def test_receipts_for_staff_and_the_paying_member(world: World) -> None:
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
    issued = queries.get_payment(world.uow, STAFF, answer["payment_id"])["receipt"]
    assert issued is not None
    number = issued["number"]
    receipt = queries.get_receipt(world.uow, member_of(invoice.member_id), number)
    assert receipt["payer_name"] == "Springfield"
    assert receipt["amount_cents"] == invoice.amount_cents
    with pytest.raises(NotFound):
        queries.get_receipt(world.uow, member_of("someone-else"), number)


def test_ids_and_text_with_control_characters_are_bad_input(world: World) -> None:
    """PostgreSQL refuses NUL outright: such input must never reach a query."""
    from services.payments.service_layer import checkout, disbursements

    with pytest.raises(BadInput):
        queries.get_payment(world.uow, STAFF, "pay\x00ment")
    with pytest.raises(BadInput):
        queries.list_payments(world.uow, STAFF, {"member_id": "m\x00"}, 5, None)
    with pytest.raises(BadInput):
        queries.get_receipt(world.uow, STAFF, "R-\x00")
    with pytest.raises(BadInput):
        world.refund("a-payment", 100, reason="dup\x00licate")
    with pytest.raises(BadInput):
        disbursements.mark_disbursement_paid(
            world.uow, STAFF, world.clock, "d-1", "ACH\x00"
        )
    invoice = world.invoices.add()
    for success in ("https://ok.example/\x00", "https://ok.example/a b"):
        with pytest.raises(BadInput) as info:
            checkout.create_dues_checkout(
                world.uow, STAFF, world.invoices, world.provider, world.clock,
                __import__("datetime").timedelta(hours=1), invoice.invoice_id,
                success, "https://ok.example/no",
            )  # fmt: skip
        assert info.value.field == "successUrl"
    with pytest.raises(BadInput):
        world.checkout(fakes.FakeInvoices().add().__class__(
            invoice_id="inv\x00", member_id="m", fiscal_year=2026, amount_cents=1,
            currency="USD", status="OPEN", band="A",
        ))  # fmt: skip
