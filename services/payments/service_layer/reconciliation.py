"""Use case: compare the ledger with Stripe's payment intents for a date range.

Reads both sides and reports; it changes nothing. Each side is widened by the
other's references (an intent created just outside the range, a payment dated
differently), so a boundary never shows up as a false difference.
"""

from __future__ import annotations

from datetime import datetime

from services.payments.domain.reconciliation import Difference, compare
from services.payments.service_layer.ports import PaymentProvider
from services.payments.service_layer.unit_of_work import UowFactory


def reconcile(
    uow_factory: UowFactory,
    provider: PaymentProvider,
    start: datetime,
    end: datetime,
) -> list[Difference]:
    intents = provider.payment_intents(start, end)
    with uow_factory() as uow:
        ledger = uow.payments.ledger_paid_between(start, end)
        known = {e.payment_id for e in ledger}
        ledger += [
            e
            for e in uow.payments.ledger_for(
                [i.payment_intent_id for i in intents],
                [i.payment_id for i in intents if i.payment_id],
            )
            if e.payment_id not in known
        ]
    listed = {i.payment_intent_id for i in intents}
    for entry in ledger:
        if (
            entry.paid
            and entry.payment_intent_id
            and entry.payment_intent_id not in listed
        ):
            intent = provider.payment_intent(entry.payment_intent_id)
            if intent is not None:
                intents.append(intent)
                listed.add(intent.payment_intent_id)
    return compare(ledger, intents)
