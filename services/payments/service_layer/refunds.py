"""Use case: staff refund a payment, in full or in part, through Stripe.

Like checkout: the refund is recorded first (with its sequence number, the
source of its idempotency key), Stripe is asked, then its answer is recorded.
A request repeated after a lost answer resumes the same refund, so Stripe
never refunds twice. The payment's totals follow from Stripe's answer here and
from its `charge.refunded` webhook, whichever comes first (totals only grow).
"""

from __future__ import annotations

import uuid

from common.clock import Clock
from common.errors import Conflict, NotFound
from common.identity import Identity
from contracts.payments import RefundResultView
from services.payments.domain.refunds import (
    Refund,
    RefundStatus,
    check_reason,
    refund_amount,
)
from services.payments.domain.text import check_id
from services.payments.service_layer import views
from services.payments.service_layer.ports import (
    PaymentProvider,
    ProviderRejected,
    ProviderUnavailable,
)
from services.payments.service_layer.publishing import publish_changes
from services.payments.service_layer.unit_of_work import UowFactory

# Stripe's refund statuses; "pending" waits for the charge.refunded webhook.
STATUS_FROM_PROVIDER = {
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.FAILED,
}


def refund_payment(
    uow_factory: UowFactory,
    caller: Identity,
    provider: PaymentProvider,
    clock: Clock,
    payment_id: str,
    amount_cents: int | None,
    reason: str,
) -> RefundResultView:
    caller.require_staff()
    payment_id = check_id(payment_id, "paymentId")
    reason = check_reason(reason)
    refund, intent_id = _record_request(
        uow_factory, caller, clock, payment_id, amount_cents, reason
    )
    try:
        answer = provider.refund(
            payment_intent_id=intent_id,
            amount_cents=refund.amount_cents,
            reason=refund.stripe_reason,
            metadata={
                "payment_id": refund.payment_id,
                "refund_id": refund.refund_id,
                "reason": refund.reason[:500],
            },
            idempotency_key=refund.idempotency_key,
        )
    except ProviderUnavailable:
        raise Conflict(
            "the payment provider cannot be reached; the refund is recorded "
            "and asking again (same amount) completes it",
            "paymentId",
        ) from None
    except ProviderRejected as exc:
        _settle(uow_factory, clock, refund.refund_id, None, "failed", str(exc))
        raise Conflict(f"the payment provider refused: {exc}", "paymentId") from None
    return _settle(
        uow_factory, clock, refund.refund_id, answer.refund_id, answer.status, None
    )


def _record_request(
    uow_factory: UowFactory,
    caller: Identity,
    clock: Clock,
    payment_id: str,
    amount_cents: int | None,
    reason: str,
) -> tuple[Refund, str]:
    now = clock.now()
    with uow_factory() as uow:
        payment = uow.payments.get(payment_id, lock=True)
        if payment is None:
            raise NotFound("no such payment", "paymentId")
        earlier = uow.refunds.for_payment(payment_id)
        unconfirmed = [r for r in earlier if r.status == RefundStatus.REQUESTED]
        if unconfirmed:
            pending = unconfirmed[0]
            if amount_cents not in (None, pending.amount_cents):
                raise Conflict(
                    f"a refund of {pending.amount_cents} cents is not confirmed by "
                    "the payment provider yet; repeat it first",
                    "amountCents",
                )
            return pending, payment.payment_intent_id or ""
        in_flight = sum(
            r.amount_cents for r in earlier if r.status == RefundStatus.PENDING
        )
        amount = refund_amount(payment, amount_cents, in_flight_cents=in_flight)
        if not payment.payment_intent_id:
            raise Conflict("this payment has no charge to refund", "paymentId")
        refund = Refund(
            refund_id=str(uuid.uuid4()),
            payment_id=payment_id,
            sequence=len(earlier) + 1,
            amount_cents=amount,
            currency=payment.paid_currency or payment.currency,
            reason=reason,
            requested_by=caller.sub or caller.role,
            created_at=now,
            updated_at=now,
        )
        uow.refunds.add(refund)
        uow.commit()
        return refund, payment.payment_intent_id


def _settle(
    uow_factory: UowFactory,
    clock: Clock,
    refund_id: str,
    stripe_refund_id: str | None,
    provider_status: str,
    failure: str | None,
) -> RefundResultView:
    now = clock.now()
    with uow_factory() as uow:
        refund = uow.refunds.get(refund_id)
        assert refund is not None
        payment = uow.payments.get(refund.payment_id, lock=True)
        assert payment is not None
        if refund.status in (RefundStatus.REQUESTED, RefundStatus.PENDING):
            refund.status = STATUS_FROM_PROVIDER.get(
                provider_status, RefundStatus.PENDING
            )
            refund.stripe_refund_id = stripe_refund_id or refund.stripe_refund_id
            refund.failure = failure or (
                f"refund {provider_status}"
                if refund.status == RefundStatus.FAILED
                else None
            )
            refund.updated_at = now
            uow.refunds.save(refund)
        if refund.status == RefundStatus.SUCCEEDED:
            total = sum(
                r.amount_cents
                for r in uow.refunds.for_payment(payment.payment_id)
                if r.status == RefundStatus.SUCCEEDED
            )
            if payment.record_refunded_total(total, now, f"refund:{refund_id}"):
                publish_changes(uow, payment, now)
                uow.payments.save(payment)
        uow.commit()
    return {"refund": views.refund(refund), "payment": views.payment(payment)}
