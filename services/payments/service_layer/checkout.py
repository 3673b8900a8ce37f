"""Use case: a member (or staff) starts paying a dues invoice through Stripe.

Three steps so that no crash or retry can open two sessions for one attempt:
1. record the attempt (PENDING, with the exact session parameters) and commit;
2. ask Stripe for the session with the attempt's idempotency key;
3. record the session on the attempt.
Stripe's webhook carries our payment id in metadata, so it finds the attempt
even when it arrives between steps 2 and 3 (or step 3 never happens).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from common.clock import Clock
from common.errors import Conflict, Unavailable
from common.identity import Identity
from contracts.payments import CheckoutView
from services.payments.domain.checkout import (
    Invoice,
    SessionRequest,
    check_return_url,
    require_payable,
)
from services.payments.domain.model import Payment, PaymentStatus, Purpose
from services.payments.domain.text import check_id
from services.payments.service_layer import views
from services.payments.service_layer.ports import (
    InvoiceDirectory,
    MembersUnavailable,
    PaymentProvider,
    ProviderRejected,
    ProviderUnavailable,
)
from services.payments.service_layer.publishing import publish_changes
from services.payments.service_layer.unit_of_work import UowFactory

# An attempt whose session would close within this margin is not handed out.
REUSE_MARGIN = timedelta(minutes=2)
UNREACHABLE = "the payment provider cannot be reached just now; try again shortly"


def create_dues_checkout(
    uow_factory: UowFactory,
    caller: Identity,
    invoices: InvoiceDirectory,
    provider: PaymentProvider,
    clock: Clock,
    session_ttl: timedelta,
    invoice_id: str,
    success_url: str,
    cancel_url: str,
) -> CheckoutView:
    caller.require_authenticated()
    invoice_id = check_id(invoice_id, "invoiceId")
    success_url = check_return_url(success_url, "successUrl")
    cancel_url = check_return_url(cancel_url, "cancelUrl")
    try:
        invoice = invoices.invoice(invoice_id)
    except MembersUnavailable:
        raise Unavailable(
            "invoices cannot be read just now (members is not answering); "
            "try again shortly",
            "invoiceId",
        ) from None
    caller.require_member(invoice.member_id)
    require_payable(invoice)
    payer_name = invoices.member_name(invoice.member_id)

    payment = _reserve_attempt(
        uow_factory, clock, session_ttl, invoice, success_url, cancel_url, payer_name
    )
    if payment.session_open_at(clock.now()) or payment.status != PaymentStatus.PENDING:
        return _answer(payment)
    assert payment.session_expires_at is not None
    request = SessionRequest(
        payment_id=payment.payment_id,
        invoice=invoice,
        success_url=payment.success_url,
        cancel_url=payment.cancel_url,
        expires_at=payment.session_expires_at,
        idempotency_key=payment.idempotency_key,
    )
    try:
        opened = provider.open_checkout(request)
    except ProviderUnavailable:
        # The attempt stays PENDING; asking again resumes it with the same key.
        raise Unavailable(UNREACHABLE, "invoiceId") from None
    except ProviderRejected as exc:
        _abandon(uow_factory, clock, payment.payment_id, str(exc))
        raise Conflict(f"the payment provider refused: {exc}", "invoiceId") from None
    with uow_factory() as uow:
        recorded = uow.payments.get(payment.payment_id, lock=True)
        assert recorded is not None
        recorded.attach_session(opened.session_id, opened.url, opened.expires_at)
        uow.payments.save(recorded)
        uow.commit()
    return _answer(recorded)


def _answer(payment: Payment) -> CheckoutView:
    return {
        "payment_id": payment.payment_id,
        "checkout_url": payment.checkout_url,
        "checkout_session_id": payment.checkout_session_id,
        "status": payment.status,
        "expires_at": views.iso(payment.session_expires_at),
    }


def _reserve_attempt(
    uow_factory: UowFactory,
    clock: Clock,
    session_ttl: timedelta,
    invoice: Invoice,
    success_url: str,
    cancel_url: str,
    payer_name: str | None,
) -> Payment:
    """The attempt to (re)use or a new one, committed before Stripe is called."""
    for tries in range(3):
        try:
            return _reserve_once(
                uow_factory,
                clock,
                session_ttl,
                invoice,
                success_url,
                cancel_url,
                payer_name,
            )
        except AttemptTaken:
            # A concurrent request took this attempt number: look again.
            if tries == 2:
                raise Conflict(
                    "another checkout for this invoice is starting", "invoiceId"
                ) from None
    raise AssertionError("unreachable")


class AttemptTaken(Exception):
    pass


def _reserve_once(
    uow_factory: UowFactory,
    clock: Clock,
    session_ttl: timedelta,
    invoice: Invoice,
    success_url: str,
    cancel_url: str,
    payer_name: str | None,
) -> Payment:
    now = clock.now()
    with uow_factory() as uow:
        attempts = uow.payments.for_invoice(invoice.invoice_id, lock=True)
        if any(p.fulfilled and p.status != PaymentStatus.REFUNDED for p in attempts):
            raise Conflict("this invoice is already paid", "invoiceId")
        reuse: Payment | None = None
        for attempt in reversed(attempts):
            if attempt.status != PaymentStatus.PENDING:
                continue
            if _usable(attempt, now) and reuse is None:
                reuse = attempt
                continue
            # Its session is over (or about to be): never hand it out again.
            attempt.expire(now, "checkout: session lifetime over")
            publish_changes(uow, attempt, now)
            uow.payments.save(attempt)
        if reuse is not None:
            uow.commit()
            return reuse
        payment = Payment(
            payment_id=str(uuid.uuid4()),
            purpose=Purpose.DUES,
            invoice_id=invoice.invoice_id,
            member_id=invoice.member_id,
            fiscal_year=invoice.fiscal_year,
            band=invoice.band,
            amount_cents=invoice.amount_cents,
            currency=invoice.currency.upper(),
            attempt=uow.payments.next_attempt(invoice.invoice_id),
            created_at=now,
            updated_at=now,
            success_url=success_url,
            cancel_url=cancel_url,
            session_expires_at=_trim(clock.real_now() + session_ttl),
            payer_name=payer_name,
        )
        payment.record_created()
        publish_changes(uow, payment, now)
        if not uow.payments.try_add(payment):
            raise AttemptTaken()
        uow.commit()
        return payment


def _usable(attempt: Payment, now: datetime) -> bool:
    expires = attempt.session_expires_at
    return expires is not None and expires > now + REUSE_MARGIN


def _trim(at: datetime) -> datetime:
    # Whole seconds: Stripe's expires_at is a Unix timestamp.
    return at.replace(microsecond=0)


def _abandon(
    uow_factory: UowFactory, clock: Clock, payment_id: str, reason: str
) -> None:
    now = clock.now()
    with uow_factory() as uow:
        payment = uow.payments.get(payment_id, lock=True)
        if payment is not None and payment.fail(
            f"checkout refused: {reason}", now, "checkout"
        ):
            publish_changes(uow, payment, now)
            uow.payments.save(payment)
            uow.commit()
