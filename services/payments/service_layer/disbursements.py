"""Use cases: grants releases an instalment; staff record that it was paid."""

from __future__ import annotations

import uuid
from typing import Any

from common.clock import Clock
from common.envelope import Envelope
from common.errors import NotFound
from common.identity import Identity
from contracts.events import DisbursementPaid, DisbursementScheduled
from contracts.page import Page, page_of
from contracts.payments import DisbursementView
from services.payments.domain.disbursements import (
    Disbursement,
    DisbursementStatus,
    check_instalment,
    check_reference,
)
from services.payments.domain.text import check_id
from services.payments.service_layer import filters, views
from services.payments.service_layer.unit_of_work import UowFactory

CONSUMER = "payments.instalment_released"


def instalment_released(
    uow_factory: UowFactory, clock: Clock, envelope: Envelope
) -> None:
    """Schedule one disbursement per instalment, however often we are told."""
    payload = envelope.payload
    check_instalment(payload)  # a malformed event fails and is parked
    now = clock.now()
    with uow_factory() as uow:
        if not uow.claim(CONSUMER, envelope):
            return
        if uow.disbursements.by_instalment(str(payload["instalment_id"])) is None:
            disbursement = Disbursement(
                disbursement_id=str(uuid.uuid4()),
                instalment_id=str(payload["instalment_id"]),
                award_id=str(payload["award_id"]),
                member_id=str(payload["member_id"]),
                amount_cents=int(payload["amount_cents"]),
                currency=str(payload["currency"]).upper(),
                scheduled_at=now,
            )
            uow.disbursements.add(disbursement)
            uow.emit("disbursement_scheduled", _event(disbursement))
        uow.commit()


def mark_disbursement_paid(
    uow_factory: UowFactory,
    caller: Identity,
    clock: Clock,
    disbursement_id: str,
    reference: str,
) -> DisbursementView:
    caller.require_staff()
    disbursement_id = check_id(disbursement_id, "id")
    reference = check_reference(reference)
    now = clock.now()
    with uow_factory() as uow:
        disbursement = uow.disbursements.get(disbursement_id, lock=True)
        if disbursement is None:
            raise NotFound("no such disbursement", "id")
        if disbursement.mark_paid(reference, now, caller.sub or caller.role):
            uow.disbursements.save(disbursement)
            paid: DisbursementPaid = {
                **_event(disbursement),
                "paid_at": now.isoformat(),
                "reference": reference,
            }
            uow.emit("disbursement_paid", paid)
            uow.commit()
        return views.disbursement(disbursement)


def _event(d: Disbursement) -> DisbursementScheduled:
    return {
        "disbursement_id": d.disbursement_id,
        "award_id": d.award_id,
        "instalment_id": d.instalment_id,
        "member_id": d.member_id,
        "amount_cents": d.amount_cents,
        "currency": d.currency,
    }


def _visible(caller: Identity, d: Disbursement) -> bool:
    return caller.is_staff or (
        caller.role == "member" and caller.member_id == d.member_id
    )


def get_disbursement(
    uow_factory: UowFactory, caller: Identity, disbursement_id: str
) -> DisbursementView:
    caller.require_authenticated()
    disbursement_id = check_id(disbursement_id, "id")
    with uow_factory() as uow:
        found = uow.disbursements.get(disbursement_id)
    if found is None or not _visible(caller, found):
        raise NotFound("no such disbursement", "id")
    return views.disbursement(found)


def list_disbursements(
    uow_factory: UowFactory,
    caller: Identity,
    filter: dict[str, Any] | None,
    first: int | None,
    after: str | None,
) -> Page[DisbursementView]:
    """Staff see all; a member sees the disbursements to their community."""
    caller.require_authenticated()
    wanted = dict(filter or {})
    member_id = filters.member_scope(caller, wanted)
    award_id = wanted.get("award_id")
    if award_id is not None:
        award_id = check_id(award_id, "filter.awardId")
    status = filters.status(wanted, DisbursementStatus, "disbursement")
    with uow_factory() as uow:
        items, page = uow.disbursements.page(
            member_id=member_id,
            award_id=award_id,
            status=status,
            first=first,
            after=after,
        )
    return page_of(
        [views.disbursement(d) for d in items],
        page.cursors,
        page.total_count,
        has_next=page.has_next_page,
        has_previous=after is not None,
    )
