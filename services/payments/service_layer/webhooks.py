"""Use case: Stripe tells us something happened (a verified webhook).

The event is recorded under its Stripe id in the same transaction as its
effect, so a repeated delivery changes nothing and is still acknowledged.
Anything we need from elsewhere (the invoice for a checkout we never
recorded, the payment behind an unknown charge) is fetched before the
transaction opens, so no lock is held across a network call.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from common.batching import BatchFailed, GroupCommit
from common.clock import Clock
from common.errors import NotFound, Unavailable
from services.payments.domain.checkout import Invoice
from services.payments.domain.model import Payment, Purpose
from services.payments.domain.news import (
    ProviderEvent,
    ProviderSession,
    RefundNews,
    SessionNews,
    SessionOutcome,
)
from services.payments.service_layer.ports import (
    InvoiceDirectory,
    PaymentProvider,
    ProviderUnavailable,
    WebhookVerifier,
)
from services.payments.service_layer.publishing import publish_changes
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork, UowFactory

Answer = dict[str, Any] | None

# Outcomes recorded beside each event (for staff and the tests).
APPLIED, STALE, UNMATCHED, IGNORED = "APPLIED", "STALE", "UNMATCHED", "IGNORED"


@dataclass(frozen=True)
class Lookups:
    """What was fetched from outside before the transaction."""

    invoice: Invoice | None = None
    payment_id: str | None = None
    # A session we never recorded, as Stripe records it: its facts, not the
    # event's, decide what is adopted.
    session: ProviderSession | None = None


def receive_stripe_webhook(
    uow_factory: UowFactory,
    verifier: WebhookVerifier,
    provider: PaymentProvider,
    invoices: InvoiceDirectory,
    clock: Clock,
    payload: str,
    signature: str,
    together: GroupCommit[ProviderEvent, Answer] | None = None,
) -> dict[str, Any]:
    """Verify, then apply and record the event: with the other webhooks
    arriving at the same time (`together`) when it is news about a checkout
    we know, else (or if that batch failed) alone."""
    event = verifier.verify(payload, signature)  # BadInput: nothing recorded
    if together is not None and _invoice_of(event):
        with suppress(BatchFailed):
            answer = together.submit(
                event, lambda batch: _apply_and_record_many(uow_factory, batch, clock)
            )
            if answer is not None:
                return answer
    answer = _apply_and_record(uow_factory, event, None, clock.now())
    if answer is None:
        # Nothing of ours matched: learn more outside any transaction, retry.
        with uow_factory() as uow:
            if uow.stripe_events.seen(event.event_id):
                return _duplicate(event)
        lookups = _look_up(event, provider, invoices)
        answer = _apply_and_record(uow_factory, event, lookups, clock.now())
    assert answer is not None
    return answer


def _duplicate(event: ProviderEvent) -> dict[str, Any]:
    return {"ok": True, "duplicate": True, "event_id": event.event_id}


def _apply_and_record(
    uow_factory: UowFactory,
    event: ProviderEvent,
    lookups: Lookups | None,
    now: datetime,
) -> dict[str, Any] | None:
    """One transaction: the event's effect and its record, or nothing at all.

    The record goes in last, as `INSERT .. ON CONFLICT DO NOTHING`: a repeated
    event (even one delivered concurrently: it waits on the payment's row lock
    first) finds its id taken, and its transaction is rolled back. None (and
    nothing written) when the event needs lookups we have not made yet.
    """
    with uow_factory() as uow:
        payment, siblings = _find(uow, event)
        if lookups is None and _needs_lookup(event, payment):
            return None
        outcome, payment_id = _apply(
            uow, event, payment, siblings, lookups or Lookups(), now
        )
        record = _record(event, now, outcome, payment_id)
        if not uow.stripe_events.record_many([record]):
            return _duplicate(event)
        uow.commit()
    return _applied(event, outcome, payment_id)


def _apply_and_record_many(
    uow_factory: UowFactory, events: Sequence[ProviderEvent], clock: Clock
) -> list[Answer]:
    """`_apply_and_record` for a batch of checkout news, in one transaction.

    At most one event per invoice is applied (the rest of a batch never sees
    another's changes); an event it cannot apply here (a second one for an
    invoice, a checkout we have no record of) gets None and goes alone.
    Raises (so nothing is written) if another transaction recorded one of
    these events meanwhile.
    """
    now = clock.now()
    # Its writes go in one round trip at the commit: deliveries wait on it.
    with uow_factory() as uow, uow.writes_together():
        uow.payments.defer_saves()
        seen = uow.stripe_events.seen_many([e.event_id for e in events])
        invoice_ids = sorted({i for e in events if (i := _invoice_of(e))})
        attempts: dict[str, list[Payment]] = {i: [] for i in invoice_ids}
        for attempt in uow.payments.for_invoices(invoice_ids, lock=True):
            attempts[attempt.invoice_id].append(attempt)
        answers: list[Answer] = []
        records: list[dict[str, Any]] = []
        taken: set[str] = set()
        for event in events:
            invoice_id = _invoice_of(event)
            assert isinstance(event, SessionNews) and invoice_id
            if event.event_id in seen:
                answers.append(_duplicate(event))
                continue
            payment = _match(attempts[invoice_id], event)
            if payment is None or invoice_id in taken or _needs_lookup(event, payment):
                answers.append(None)
                continue
            taken.add(invoice_id)
            seen.add(event.event_id)  # a repeat later in the batch is a duplicate
            siblings = [a for a in attempts[invoice_id] if a is not payment]
            outcome, payment_id = _apply(uow, event, payment, siblings, Lookups(), now)
            records.append(_record(event, now, outcome, payment_id))
            answers.append(_applied(event, outcome, payment_id))
        # An id taken meanwhile (a concurrent delivery) fails the whole batch.
        uow.stripe_events.add_many(records)
        uow.commit()
    return answers


def _invoice_of(event: ProviderEvent) -> str | None:
    if isinstance(event, SessionNews):
        return event.client_reference_id or event.metadata.get("invoice_id") or None
    return None


def _match(attempts: list[Payment], news: SessionNews) -> Payment | None:
    found = None
    for attempt in attempts:
        if attempt.checkout_session_id == news.session_id or (
            news.payment_id == attempt.payment_id and _may_be(attempt, news)
        ):
            found = attempt
    return found


def _may_be(payment: Payment, news: SessionNews) -> bool:
    """A payment an event names may be the session's own if no session is
    recorded for it yet (the news overtook our checkout call); one recorded
    with another session is not."""
    return payment.checkout_session_id in (None, news.session_id)


def _record(
    event: ProviderEvent, now: datetime, outcome: str, payment_id: str | None
) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "created": event.created,
        "received_at": now,
        "outcome": outcome,
        "payment_id": payment_id,
    }


def _applied(
    event: ProviderEvent, outcome: str, payment_id: str | None
) -> dict[str, Any]:
    return {
        "ok": True,
        "duplicate": False,
        "event_id": event.event_id,
        "outcome": outcome,
        "payment_id": payment_id,
    }


def _needs_lookup(event: ProviderEvent, payment: Payment | None) -> bool:
    if isinstance(event, SessionNews):
        return _brings_money(event) and not _recorded(payment, event)
    return (
        payment is None
        and isinstance(event, RefundNews)
        and event.payment_intent_id is not None
    )


def _recorded(payment: Payment | None, news: SessionNews) -> bool:
    """Whether the session is one we recorded: only then are the event's
    facts (amount, invoice) taken as they come."""
    return payment is not None and payment.checkout_session_id == news.session_id


def _find(
    uow: PaymentsUnitOfWork, event: ProviderEvent
) -> tuple[Payment | None, list[Payment]]:
    """The payment the event is about and the other attempts on its invoice,
    all locked: news about one invoice is applied one at a time."""
    payment: Payment | None = None
    if isinstance(event, SessionNews):
        invoice_id = _invoice_of(event)
        attempts = uow.payments.for_invoice(invoice_id, lock=True) if invoice_id else []
        payment = _match(attempts, event)
        if payment is None:  # the metadata did not name the invoice we know
            payment = uow.payments.by_session(
                event.session_id, lock=True, history=False
            )
            if payment is None and event.payment_id:
                named = uow.payments.get(event.payment_id, lock=True, history=False)
                if named is not None and _may_be(named, event):
                    payment = named
            attempts = []
    elif isinstance(event, RefundNews) and event.payment_intent_id:
        payment = uow.payments.by_intent(
            event.payment_intent_id, lock=True, history=False
        )
        attempts = []
    else:
        return None, []
    return payment, [
        a for a in attempts if payment and a.payment_id != payment.payment_id
    ]


def _look_up(
    event: ProviderEvent, provider: PaymentProvider, invoices: InvoiceDirectory
) -> Lookups:
    if isinstance(event, SessionNews) and _brings_money(event):
        # A paid session we never recorded (our record of it was lost, or it
        # is not ours at all): Stripe's own record of it says what it is for
        # and what was paid, whatever the event says.
        try:
            session = provider.checkout_session(event.session_id)
        except ProviderUnavailable:
            raise Unavailable("Stripe cannot be asked about the session now") from None
        if session is None or not session.paid:
            return Lookups()
        if not session.invoice_id or session.metadata.get("purpose", "DUES") != "DUES":
            return Lookups()
        try:
            invoice = invoices.invoice(session.invoice_id, as_service=True)
        except NotFound:
            return Lookups()
        return Lookups(invoice=invoice, session=session)
    if isinstance(event, RefundNews) and event.payment_intent_id:
        # A refund of a charge whose checkout news has not reached us yet.
        payment_id = event.metadata.get("payment_id") or provider.intent_payment_id(
            event.payment_intent_id
        )
        return Lookups(payment_id=payment_id)
    return Lookups()


def _as_recorded(news: SessionNews, session: ProviderSession) -> SessionNews:
    """The event's news with Stripe's record of the session in place of
    what the event claims: amount, currency, invoice, intent, metadata."""
    return replace(
        news,
        paid=session.paid,
        amount_total=session.amount_total,
        currency=session.currency,
        client_reference_id=session.invoice_id,
        payment_intent_id=session.payment_intent_id,
        metadata=session.metadata,
    )


def _brings_money(news: SessionNews) -> bool:
    return news.outcome == SessionOutcome.ASYNC_SUCCEEDED or (
        news.outcome == SessionOutcome.COMPLETED and news.paid
    )


def _apply(
    uow: PaymentsUnitOfWork,
    event: ProviderEvent,
    payment: Payment | None,
    siblings: list[Payment],
    lookups: Lookups,
    now: datetime,
) -> tuple[str, str | None]:
    source = f"stripe:{event.event_id}"
    if isinstance(event, SessionNews):
        if _brings_money(event) and not _recorded(payment, event):
            # Money for a session we never recorded: Stripe's record of it
            # decides, or nothing happens.
            session = lookups.session
            if session is None:
                return UNMATCHED, None
            event = _as_recorded(event, session)
            if payment is not None and payment.invoice_id != session.invoice_id:
                payment = None
            if payment is None:
                if lookups.invoice is None:
                    return UNMATCHED, None
                payment = _adopt(uow, event, lookups.invoice, source)
                siblings = [
                    p
                    for p in uow.payments.for_invoice(payment.invoice_id, lock=True)
                    if p.payment_id != payment.payment_id
                ]
        if payment is None:
            return UNMATCHED, None
        changed, dirty = _apply_session(payment, siblings, event, source, now)
    elif isinstance(event, RefundNews):
        if payment is None and lookups.payment_id:
            payment = uow.payments.get(lookups.payment_id, lock=True, history=False)
        if payment is None:
            return UNMATCHED, None
        changed = dirty = _apply_refund(uow, payment, event, source, now)
    else:
        return IGNORED, None
    if dirty or payment.new_changes:
        publish_changes(uow, payment, now)
        uow.payments.save(payment)
    return (APPLIED if changed else STALE), payment.payment_id


def _adopt(
    uow: PaymentsUnitOfWork, news: SessionNews, invoice: Invoice, source: str
) -> Payment:
    """Record a paid session we have no attempt for (our record of it was lost
    or never made); the invoice says what the money should have been."""
    wanted = news.payment_id
    payment_id = wanted if wanted and uow.payments.get(wanted) is None else None
    payment = Payment(
        payment_id=payment_id or str(uuid.uuid4()),
        purpose=Purpose.DUES,
        invoice_id=invoice.invoice_id,
        member_id=invoice.member_id,
        fiscal_year=invoice.fiscal_year,
        band=invoice.band,
        amount_cents=invoice.amount_cents,
        currency=invoice.currency.upper(),
        attempt=uow.payments.next_attempt(invoice.invoice_id),
        created_at=news.created,
        updated_at=news.created,
        checkout_session_id=news.session_id,
    )
    payment.record_created(source)
    uow.payments.add(payment)
    return payment


def _apply_session(
    payment: Payment,
    siblings: list[Payment],
    news: SessionNews,
    source: str,
    now: datetime,
) -> tuple[bool, bool]:
    """(status changed, anything to save). History is dated when we learn the
    news (Stripe's own times have one-second resolution, and may be older
    than our record of the checkout)."""
    attached = payment.attach_session(news.session_id, news.url, news.expires_at)
    if _brings_money(news):
        changed = payment.succeed(
            amount_cents=news.amount_total or 0,
            currency=news.currency or payment.currency,
            payment_intent_id=news.payment_intent_id,
            paid_at=news.created,
            source=source,
            payer_email=news.payer_email,
            invoice_already_paid=any(p.fulfilled for p in siblings),
            recorded_at=now,
        )
        return changed, changed or attached
    if news.payment_intent_id and payment.payment_intent_id is None:
        payment.payment_intent_id = news.payment_intent_id
        attached = True
    if news.outcome == SessionOutcome.ASYNC_FAILED:
        changed = payment.fail("the payment did not go through", now, source)
    elif news.outcome == SessionOutcome.EXPIRED:
        changed = payment.expire(now, source)
    else:
        changed = False  # completed but unpaid: the async outcome follows
    return changed, changed or attached


def _apply_refund(
    uow: PaymentsUnitOfWork,
    payment: Payment,
    news: RefundNews,
    source: str,
    now: datetime,
) -> bool:
    changed = False
    if not payment.is_paid:
        # The refund proves the charge succeeded; its checkout news is late.
        changed = payment.succeed(
            amount_cents=news.amount,
            currency=news.currency,
            payment_intent_id=news.payment_intent_id,
            paid_at=news.created,
            source=source,
            invoice_already_paid=any(
                p.fulfilled and p.payment_id != payment.payment_id
                for p in uow.payments.for_invoice(payment.invoice_id)
            ),
            recorded_at=now,
        )
    return payment.record_refunded_total(news.amount_refunded, now, source) or changed
