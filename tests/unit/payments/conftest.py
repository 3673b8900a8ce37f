"""A payments world on SQLite with fake Stripe, members and clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from common.batching import GroupCommit
from common.identity import Identity
from contracts.events import PAYMENT_STATUS_EVENTS
from services.payments.domain.checkout import Invoice
from services.payments.service_layer import checkout, refunds, webhooks
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork
from tests.unit.payments import fakes

STAFF = Identity(sub="staff-1", role="staff")


@dataclass
class World:
    uow: Callable[[], PaymentsUnitOfWork]
    invoices: fakes.FakeInvoices
    provider: fakes.FakeProvider
    clock: fakes.FakeClock

    def checkout(
        self, invoice: Invoice, caller: Identity | None = None
    ) -> Mapping[str, Any]:
        who = caller or Identity(sub="m", role="member", member_id=invoice.member_id)
        return checkout.create_dues_checkout(
            self.uow,
            who,
            self.invoices,
            self.provider,
            self.clock,
            timedelta(hours=1),
            invoice.invoice_id,
            "https://app.example.org/paid",
            "https://app.example.org/cancel",
        )

    def deliver(
        self, event: dict[str, Any], together: GroupCommit[Any, Any] | None = None
    ) -> dict[str, Any]:
        payload, signature = fakes.signed(event)
        return webhooks.receive_stripe_webhook(
            self.uow,
            fakes.verifier(),
            self.provider,
            self.invoices,
            self.clock,
            payload,
            signature,
            together,
        )

    def refund(
        self, payment_id: str, amount: int | None, reason: str = "requested_by_customer"
    ) -> Mapping[str, Any]:
        return refunds.refund_payment(
            self.uow, STAFF, self.provider, self.clock, payment_id, amount, reason
        )

    def payment(self, payment_id: str) -> Any:
        with self.uow() as uow:
            return uow.payments.get(payment_id)

    def events(self, event_type: str) -> list[dict[str, Any]]:
        return fakes.of_type(fakes.emitted(self.uow), event_type)

    def status_changes(self) -> list[tuple[str | None, str]]:
        """(old, new) of every change announced, by any of its four events."""
        return [
            (e["payload"]["old_status"], e["payload"]["new_status"])
            for e in fakes.emitted(self.uow)
            if e["type"] in PAYMENT_STATUS_EVENTS
        ]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(
        fakes.sqlite_uow_factory(tmp_path),
        fakes.FakeInvoices(),
        fakes.FakeProvider(),
        fakes.FakeClock(),
    )
