"""Fakes for the payments ports, and a real SQLite unit of work to run on."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from common.db import make_engine, make_session_factory
from common.errors import NotFound
from services.payments.adapters import orm
from services.payments.adapters.stripe_webhooks import StripeWebhookVerifier
from services.payments.domain.checkout import Invoice, OpenedSession, SessionRequest
from services.payments.domain.news import ProviderSession
from services.payments.domain.reconciliation import StripeIntent
from services.payments.service_layer.ports import (
    MembersUnavailable,
    ProviderRefund,
    ProviderUnavailable,
)
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork

SECRET = "whsec_unit_tests"


def sqlite_uow_factory(folder: Path) -> Callable[[], PaymentsUnitOfWork]:
    engine = make_engine(f"sqlite:///{folder / 'payments.db'}")
    orm.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    return lambda: PaymentsUnitOfWork(
        sessions, "payments", orm.outbox, orm.processed_events
    )


def emitted(uow_factory: Callable[[], PaymentsUnitOfWork]) -> list[dict[str, Any]]:
    """Every envelope written to the outbox, oldest first."""
    with uow_factory() as uow:
        rows = uow.session.execute(
            select(orm.outbox.c.envelope).order_by(orm.outbox.c.id)
        )
        return [dict(r.envelope) for r in rows]


def of_type(envelopes: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    return [e["payload"] for e in envelopes if e["type"] == event_type]


class FakeClock:
    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()

    def real_now(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


@dataclass
class FakeInvoices:
    invoices: dict[str, Invoice] = field(default_factory=dict)
    down: bool = False
    calls: list[tuple[str, bool]] = field(default_factory=list)

    def add(self, amount_cents: int = 25_000, status: str = "OPEN") -> Invoice:
        invoice = Invoice(
            invoice_id=f"inv-{uuid.uuid4().hex[:8]}",
            member_id=f"mem-{uuid.uuid4().hex[:8]}",
            fiscal_year=2026,
            amount_cents=amount_cents,
            currency="USD",
            status=status,
            band="B",
        )
        self.invoices[invoice.invoice_id] = invoice
        return invoice

    def invoice(self, invoice_id: str, *, as_service: bool = False) -> Invoice:
        self.calls.append((invoice_id, as_service))
        if self.down:
            raise MembersUnavailable("members down")
        if invoice_id not in self.invoices:
            raise NotFound("no such invoice", "invoiceId")
        return self.invoices[invoice_id]

    def member_name(self, member_id: str) -> str | None:
        return "Springfield"


@dataclass
class FakeProvider:
    """Stripe as far as the use cases see it; honours idempotency keys."""

    sessions: dict[str, OpenedSession] = field(default_factory=dict)
    requests: list[SessionRequest] = field(default_factory=list)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    intents: dict[str, StripeIntent] = field(default_factory=dict)
    unavailable: bool = False
    refund_status: str = "succeeded"
    # Called inside open_checkout, before it returns (to stage races).
    during_open: Callable[[SessionRequest, OpenedSession], None] | None = None

    def open_checkout(self, request: SessionRequest) -> OpenedSession:
        self.requests.append(request)
        if self.unavailable:
            raise ProviderUnavailable("no network")
        if request.idempotency_key in self.sessions:
            return self.sessions[request.idempotency_key]
        sid = f"cs_test_{uuid.uuid4().hex}"
        opened = OpenedSession(
            sid, f"http://stripe.test/checkout/{sid}", request.expires_at, "open"
        )
        self.sessions[request.idempotency_key] = opened
        if self.during_open:
            self.during_open(request, opened)
        return opened

    def refund(
        self,
        *,
        payment_intent_id: str,
        amount_cents: int,
        reason: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> ProviderRefund:
        if self.unavailable:
            raise ProviderUnavailable("no network")
        for earlier in self.refunds:
            if earlier["key"] == idempotency_key:
                return ProviderRefund(earlier["id"], self.refund_status)
        refund_id = f"re_{uuid.uuid4().hex[:12]}"
        self.refunds.append(
            {
                "id": refund_id,
                "key": idempotency_key,
                "intent": payment_intent_id,
                "amount": amount_cents,
                "reason": reason,
            }
        )
        return ProviderRefund(refund_id, self.refund_status)

    def intent_payment_id(self, payment_intent_id: str) -> str | None:
        intent = self.intents.get(payment_intent_id)
        return intent.payment_id if intent else None

    def payment_intents(self, start: datetime, end: datetime) -> list[StripeIntent]:
        return [i for i in self.intents.values() if start <= i.created < end]

    def payment_intent(self, payment_intent_id: str) -> StripeIntent | None:
        return self.intents.get(payment_intent_id)

    # Sessions as Stripe records them (what `checkout_session` retrieves).
    recorded: dict[str, ProviderSession] = field(default_factory=dict)

    def checkout_session(self, session_id: str) -> ProviderSession | None:
        if self.unavailable:
            raise ProviderUnavailable("no network")
        return self.recorded.get(session_id)

    def knows(self, event: dict[str, Any], **changes: Any) -> ProviderSession:
        """Stripe's record of the session of a session event (paid), with
        `changes` to what the event says."""
        obj = event["data"]["object"]
        metadata = obj.get("metadata") or {}
        session = ProviderSession(
            session_id=obj["id"],
            paid=obj.get("payment_status") == "paid",
            amount_total=obj.get("amount_total"),
            currency=(obj.get("currency") or "").upper() or None,
            invoice_id=obj.get("client_reference_id") or metadata.get("invoice_id"),
            payment_intent_id=obj.get("payment_intent"),
            metadata=dict(metadata),
        )
        session = replace(session, **changes)
        self.recorded[session.session_id] = session
        return session


def signed(
    event: dict[str, Any], secret: str = SECRET, at: int | None = None
) -> tuple[str, str]:
    """(payload, Stripe-Signature) as Stripe would send them."""
    payload = json.dumps(event)
    ts = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{ts}.{payload}".encode(), hashlib.sha256)
    return payload, f"t={ts},v1={mac.hexdigest()}"


def verifier() -> StripeWebhookVerifier:
    return StripeWebhookVerifier(SECRET)


def session_event(
    event_type: str,
    session_id: str,
    *,
    payment_id: str | None,
    invoice: Invoice,
    amount: int | None = None,
    currency: str = "usd",
    paid: bool = True,
    intent: str | None = None,
    created: int | None = None,
) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "type": event_type,
        "created": created or int(time.time()),
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "amount_total": invoice.amount_cents if amount is None else amount,
                "currency": currency,
                "client_reference_id": invoice.invoice_id,
                "metadata": {
                    "invoice_id": invoice.invoice_id,
                    "member_id": invoice.member_id,
                    "purpose": "DUES",
                    **({"payment_id": payment_id} if payment_id else {}),
                },
                "payment_intent": intent or f"pi_{uuid.uuid4().hex[:12]}",
                "payment_status": "paid" if paid else "unpaid",
                "status": "complete",
                "customer_details": {"email": "treasurer@example.org"},
                "url": None,
                "expires_at": int(time.time()) + 3600,
            }
        },
    }


def refund_event(
    intent: str, amount: int, refunded: int, currency: str = "usd"
) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "type": "charge.refunded",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": f"ch_{uuid.uuid4().hex[:12]}",
                "object": "charge",
                "amount": amount,
                "amount_refunded": refunded,
                "currency": currency,
                "payment_intent": intent,
                "refunded": refunded >= amount,
            }
        },
    }
