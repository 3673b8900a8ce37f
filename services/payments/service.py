"""nameko entrypoints of payments: they only call service-layer handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common import metrics
from common.batching import GroupCommit
from common.clock import Clock
from common.envelope import Envelope
from common.identity import Identity
from common.nameko_ext.clock import ServiceClock
from common.nameko_ext.context import Caller
from common.nameko_ext.events import event_handler
from common.nameko_ext.health import HealthRpc
from common.nameko_ext.rpc import rpc
from common.nameko_ext.shared import SharedAcrossReplicas
from common.nameko_ext.storage import Storage
from contracts.page import Page, Sample
from contracts.payments import (
    CheckoutView,
    DisbursementView,
    PaymentView,
    ReceiptView,
    RefundResultView,
)
from contracts.rpc import Json, Payments
from services.payments.adapters.dependencies import Outside, OutsideWorld
from services.payments.adapters.members import Members, MembersDirectory
from services.payments.adapters.orm import metadata
from services.payments.adapters.settings import (
    checkout_session_ttl,
    production_problems,
)
from services.payments.service_layer import (
    checkout,
    disbursements,
    queries,
    refunds,
    webhooks,
)
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork

__all__ = ["Service", "production_problems"]  # the latter: common.runner


class Service(HealthRpc):
    name = "payments"

    uow: Callable[[], PaymentsUnitOfWork] = Storage(
        "payments", metadata, uow_class=PaymentsUnitOfWork
    )
    caller: Identity = Caller()
    clock: Clock = ServiceClock()
    members: MembersDirectory = Members()
    outside: Outside = OutsideWorld()
    # Webhooks arriving together are applied in one transaction; replicas
    # wait for more as long as their siblings' transactions take.
    webhooks_together: GroupCommit[Any, Any] = SharedAcrossReplicas(
        lambda share: GroupCommit(share=share)
    )

    # --- dues checkout and Stripe --------------------------------------------

    @rpc
    def create_dues_checkout(
        self, invoice_id: str, success_url: str, cancel_url: str
    ) -> CheckoutView:
        o = self.outside
        return checkout.create_dues_checkout(
            self.uow,
            self.caller,
            self.members,
            o.provider,
            self.clock,
            checkout_session_ttl(),
            invoice_id,
            success_url,
            cancel_url,
        )

    @rpc
    def receive_stripe_webhook(self, payload: str, signature: str) -> Json:
        o = self.outside
        try:
            reply = webhooks.receive_stripe_webhook(
                self.uow,
                o.verifier,
                o.provider,
                self.members,
                self.clock,
                payload,
                signature,
                self.webhooks_together,
            )
        except Exception as exc:
            outcome = metrics.webhook_error_outcome(exc)
            metrics.WEBHOOKS.labels("payments", outcome).inc()
            raise
        metrics.WEBHOOKS.labels("payments", metrics.webhook_outcome(reply)).inc()
        return reply

    @rpc
    def refund_payment(
        self, payment_id: str, amount_cents: int | None = None, reason: str = ""
    ) -> RefundResultView:
        o = self.outside
        return refunds.refund_payment(
            self.uow,
            self.caller,
            o.provider,
            self.clock,
            payment_id,
            amount_cents,
            reason,
        )

    # --- reading ---------------------------------------------------------------

    @rpc
    def get_payment(self, payment_id: str) -> PaymentView:
        return queries.get_payment(self.uow, self.caller, payment_id)

    @rpc
    def get_payments(self, payment_ids: list[str]) -> list[PaymentView | None]:
        return queries.get_payments(self.uow, self.caller, payment_ids)

    @rpc
    def payments_for_invoices(self, invoice_ids: list[str]) -> list[list[PaymentView]]:
        return queries.payments_for_invoices(self.uow, self.caller, invoice_ids)

    @rpc
    def list_payments(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[PaymentView]:
        return queries.list_payments(self.uow, self.caller, filter, first, after)

    @rpc
    def held_payments(self, first: int = 5) -> Sample[PaymentView]:
        return queries.held_payments(self.uow, self.caller, first)

    @rpc
    def get_receipt(self, number: str) -> ReceiptView:
        return queries.get_receipt(self.uow, self.caller, number)

    # --- disbursements ---------------------------------------------------------

    @event_handler("grants", "instalment_released")
    def on_instalment_released(self, body: Json) -> None:
        disbursements.instalment_released(
            self.uow, self.clock, Envelope.from_dict(body)
        )

    @rpc
    def mark_disbursement_paid(
        self, disbursement_id: str, reference: str
    ) -> DisbursementView:
        return disbursements.mark_disbursement_paid(
            self.uow, self.caller, self.clock, disbursement_id, reference
        )

    @rpc
    def get_disbursement(self, disbursement_id: str) -> DisbursementView:
        return disbursements.get_disbursement(self.uow, self.caller, disbursement_id)

    @rpc
    def list_disbursements(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[DisbursementView]:
        return disbursements.list_disbursements(
            self.uow, self.caller, filter, first, after
        )


# mypy checks here that the service keeps the promises of contracts/rpc.py.
_implements: type[Payments] = Service
