"""The payments service implements what contracts/rpc.py promises."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Mapping
from typing import Any

from contracts.events import CATALOGUE, PAYMENT_STATUS_EVENTS
from contracts.rpc import Payments
from services.payments.domain.checkout import Invoice
from services.payments.service import Service
from tests.unit.payments import fakes
from tests.unit.payments.conftest import World
from tests.unit.payments.test_refunds import paid_payment


def _params(fn: object) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]  # type: ignore[arg-type]


def test_every_promised_method_exists_with_its_parameters() -> None:
    promised = {
        name: fn
        for name, fn in vars(Payments).items()
        if callable(fn) and not name.startswith("_")
    }
    assert "create_dues_checkout" in promised
    for name, fn in promised.items():
        assert hasattr(Service, name), name
        assert _params(getattr(Service, name)) == _params(fn), name


def test_events_we_emit_are_in_the_catalogue() -> None:
    for name in (
        "payment_succeeded",
        "payment_failed",
        "payment_refunded",
        "payment_status_changed",
        "disbursement_scheduled",
        "disbursement_paid",
    ):
        assert CATALOGUE[name].producer == "payments"


def started(world: World, amount: int = 25_000) -> tuple[Invoice, Mapping[str, Any]]:
    invoice = world.invoices.add(amount)
    return invoice, world.checkout(invoice)


def news(
    world: World, kind: str, started: tuple[Invoice, Mapping[str, Any]], **kw: Any
) -> None:
    invoice, checkout = started
    world.deliver(
        fakes.session_event(
            kind,
            checkout["checkout_session_id"],
            payment_id=checkout["payment_id"],
            invoice=invoice,
            **kw,
        )
    )


def _every_kind_of_change(world: World) -> list[str]:
    """Payments that went through every status and every kind of news."""
    paid = paid_payment(world)
    world.refund(paid, 10_000, "duplicate")  # PARTIALLY_REFUNDED
    world.refund(paid, None)  # REFUNDED
    failed, expired, flagged = started(world), started(world), started(world)
    news(world, "checkout.session.async_payment_failed", failed, paid=False)
    news(world, "checkout.session.expired", expired, paid=False)
    news(world, "checkout.session.completed", flagged, amount=100)  # too little
    world.refund(flagged[1]["payment_id"], None)  # held for staff, then returned
    return [paid] + [c["payment_id"] for _, c in (failed, expired, flagged)]


def test_each_status_change_is_announced_once_in_its_order(world: World) -> None:
    payments = _every_kind_of_change(world)
    announced: dict[str, list[tuple[str | None, str]]] = {p: [] for p in payments}
    for e in fakes.emitted(world.uow):
        if e["type"] in PAYMENT_STATUS_EVENTS:
            p = e["payload"]
            announced[p["payment_id"]].append((p["old_status"], p["new_status"]))
    kinds = {e["type"] for e in fakes.emitted(world.uow)}
    assert set(PAYMENT_STATUS_EVENTS) <= kinds
    for payment_id in payments:
        history = [
            (c.old_status.value if c.old_status else None, c.new_status.value)
            for c in world.payment(payment_id).history
        ]
        assert announced[payment_id] == history, payment_id


def test_payloads_are_what_the_catalogue_promises(world: World) -> None:
    _every_kind_of_change(world)
    for envelope in fakes.emitted(world.uow):
        shape = CATALOGUE[envelope["type"]].payload
        keys = set(envelope["payload"])
        required = shape.__required_keys__  # type: ignore[attr-defined]
        assert required <= keys, envelope["type"]
        assert keys <= set(typing.get_type_hints(shape)), envelope["type"]
