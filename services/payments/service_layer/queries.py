"""Reading payments, receipts and refunds: staff see all, a member their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from common.errors import BadInput, NotFound
from common.identity import Identity
from contracts.page import Page, Sample, page_of
from contracts.payments import PaymentView, ReceiptView
from services.payments.adapters.pagination import check_first
from services.payments.domain.model import Payment, PaymentStatus
from services.payments.domain.text import check_id, check_ids
from services.payments.service_layer import filters, views
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork, UowFactory


def _visible(caller: Identity, payment: Payment) -> bool:
    return caller.is_staff or (
        caller.role == "member" and caller.member_id == payment.member_id
    )


def _full(uow: PaymentsUnitOfWork, payments: list[Payment]) -> list[PaymentView]:
    ids = [p.payment_id for p in payments]
    receipts = uow.receipts.for_payments(ids)
    refunds = uow.refunds.for_payments(ids)
    out = []
    for p in payments:
        view = views.payment(p)
        receipt = receipts.get(p.payment_id)
        view["receipt"] = views.receipt(receipt) if receipt else None
        view["refunds"] = [views.refund(r) for r in refunds[p.payment_id]]
        out.append(view)
    return out


def get_payment(
    uow_factory: UowFactory, caller: Identity, payment_id: str
) -> PaymentView:
    caller.require_authenticated()
    payment_id = check_id(payment_id, "id")
    with uow_factory() as uow:
        payment = uow.payments.get(payment_id)
        # A member asking about someone else's payment learns nothing.
        if payment is None or not _visible(caller, payment):
            raise NotFound("no such payment", "id")
        return _full(uow, [payment])[0]


def get_payments(
    uow_factory: UowFactory, caller: Identity, payment_ids: list[str]
) -> list[PaymentView | None]:
    """In the order asked, None for unknown or not visible (for DataLoaders)."""
    caller.require_authenticated()
    payment_ids = check_ids(payment_ids, "ids")
    with uow_factory() as uow:
        found = uow.payments.many(payment_ids)
        visible = [p for p in found.values() if _visible(caller, p)]
        by_id = {v["payment_id"]: v for v in _full(uow, visible)}
    return [by_id.get(pid) for pid in payment_ids]


def payments_for_invoices(
    uow_factory: UowFactory, caller: Identity, invoice_ids: list[str]
) -> list[list[PaymentView]]:
    """Each invoice's payment attempts, oldest first (for `Invoice.payments`)."""
    caller.require_authenticated()
    invoice_ids = check_ids(invoice_ids, "invoiceIds")
    with uow_factory() as uow:
        payments = [
            p for p in uow.payments.for_invoices(invoice_ids) if _visible(caller, p)
        ]
        histories = uow.payments.histories([p.payment_id for p in payments])
        for p in payments:
            p.history = histories[p.payment_id]
        full = _full(uow, payments)
    grouped: dict[str, list[PaymentView]] = {iid: [] for iid in invoice_ids}
    for view in full:
        grouped[view["invoice_id"]].append(view)
    return [grouped[iid] for iid in invoice_ids]


def _date(value: str | None, field: str, end_of_day: bool = False) -> datetime | None:
    """An ISO date or time, UTC when no zone is given. A bare date as the end
    of a range means the whole of that day."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadInput("must be an ISO 8601 date or time", field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if end_of_day and len(value) == 10:
        parsed += timedelta(days=1)
    return parsed


def list_payments(
    uow_factory: UowFactory,
    caller: Identity,
    filter: dict[str, Any] | None,
    first: int | None,
    after: str | None,
) -> Page[PaymentView]:
    """A page of payments, newest first; a member sees only their own."""
    caller.require_authenticated()
    wanted = dict(filter or {})
    member_id = filters.member_scope(caller, wanted)
    status = filters.status(wanted, PaymentStatus, "payment")
    start = _date(wanted.get("from"), "filter.from")
    end = _date(wanted.get("to"), "filter.to", end_of_day=True)
    if start and end and end <= start:
        raise BadInput("must not be before filter.from", "filter.to")
    with uow_factory() as uow:
        payments, page = uow.payments.page(
            member_id=member_id,
            status=status,
            created_from=start,
            created_to=end,
            flagged=wanted.get("flagged"),
            first=first,
            after=after,
        )
        nodes = _full(uow, payments)
    return page_of(
        nodes,
        page.cursors,
        page.total_count,
        has_next=page.has_next_page,
        has_previous=after is not None,
    )


def held_payments(
    uow_factory: UowFactory, caller: Identity, first: int = 5
) -> Sample[PaymentView]:
    """Staff: payments held for an amount mismatch, the oldest first (the
    staff digest's)."""
    caller.require_staff()
    size = check_first(first)
    with uow_factory() as uow:
        held, total = uow.payments.held_for_mismatch(size)
        return {"total": total, "items": [views.payment(p) for p in held]}


def get_receipt(uow_factory: UowFactory, caller: Identity, number: str) -> ReceiptView:
    caller.require_authenticated()
    number = check_id(number, "number")
    with uow_factory() as uow:
        receipt = uow.receipts.by_number(number)
        if receipt is None or not (
            caller.is_staff
            or (caller.role == "member" and caller.member_id == receipt.member_id)
        ):
            raise NotFound("no such receipt", "number")
        return views.receipt(receipt)
