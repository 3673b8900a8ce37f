"""Use cases after an award: agreement, instalments, payments' news, reports."""

from __future__ import annotations

import logging
from datetime import datetime

from common.envelope import Envelope
from common.errors import BadInput
from common.identity import Identity
from contracts.grants import AwardView, ReportView
from contracts.page import Sample
from contracts.rpc import Json
from services.grants.domain.application import parse_attachments, parse_lines
from services.grants.domain.awards import Award, Condition, InstalmentStatus
from services.grants.domain.reports import (
    SATISFIES,
    GranteeReport,
    ReportKind,
    ReportStatus,
    require_can_submit,
)
from services.grants.service_layer import views
from services.grants.service_layer.shared import clean_input, found, new_id
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork, UowFactory

log = logging.getLogger(__name__)


def _award_view(uow: GrantsUnitOfWork, award: Award) -> AwardView:
    return views.award(
        award, uow.awards.instalments(award.id), uow.reports.for_award(award.id)
    )


@clean_input
def get_award(uow_factory: UowFactory, caller: Identity, award_id: str) -> AwardView:
    caller.require_authenticated()
    with uow_factory() as uow:
        award = found(uow.awards.get(award_id), "award", "awardId")
        caller.require_member_sees(award.member_id, "award", "awardId")
        return _award_view(uow, award)


@clean_input
def sign_agreement(
    uow_factory: UowFactory, caller: Identity, award_id: str
) -> AwardView:
    """The grantee records that the grant agreement is signed."""
    caller.require_authenticated()
    with uow_factory() as uow:
        award = found(uow.awards.get(award_id), "award", "awardId")
        caller.require_member_sees(award.member_id, "award", "awardId")
        award.sign_agreement(uow.clock.now())
        uow.commit()
        return _award_view(uow, award)


@clean_input
def release_instalment(
    uow_factory: UowFactory, caller: Identity, instalment_id: str
) -> AwardView:
    """Hand an instalment whose condition is met to payments, in order."""
    caller.require_staff()
    with uow_factory() as uow:
        instalment = found(
            uow.awards.instalment(instalment_id), "instalment", "instalmentId"
        )
        award = found(uow.awards.get(instalment.award_id), "award")
        siblings = uow.awards.instalments(award.id)
        earlier_released = all(
            i.status is not InstalmentStatus.PENDING
            for i in siblings
            if i.seq < instalment.seq
        )
        accepted = {
            SATISFIES[r.kind]
            for r in uow.reports.for_award(award.id)
            if r.status is ReportStatus.ACCEPTED
        }
        condition = instalment.condition
        met = (
            condition is Condition.NONE
            or (
                condition is Condition.AGREEMENT_SIGNED
                and award.agreement_signed_at is not None
            )
            or condition in accepted
        )
        instalment.release(met, earlier_released, uow.clock.now())
        uow.emit(
            "instalment_released",
            {
                "instalment_id": instalment.id,
                "award_id": award.id,
                "member_id": award.member_id,
                "amount_cents": instalment.amount_cents,
                "currency": instalment.currency,
            },
        )
        uow.commit()
        return _award_view(uow, award)


def disbursement_news(
    uow_factory: UowFactory, envelope: Envelope, to: InstalmentStatus
) -> None:
    """payments' disbursement_scheduled / disbursement_paid, once each, any order."""
    payload = envelope.payload
    with uow_factory() as uow:
        if not uow.claim(f"grants.{envelope.type}", envelope):
            return
        # Locked: news of one instalment (paid, scheduled, in any order) may be
        # handled at once by two workers; each must see the other's result.
        instalment = uow.awards.instalment(str(payload.get("instalment_id")), lock=True)
        if instalment is None:
            log.warning(
                "%s for unknown instalment %s ignored",
                envelope.type,
                payload.get("instalment_id"),
            )
            uow.commit()
            return
        instalment.disbursement_id = instalment.disbursement_id or payload.get(
            "disbursement_id"
        )
        if instalment.advance(to):
            at = _time(payload.get("paid_at")) or _time(envelope.occurred_at)
            if to is InstalmentStatus.SCHEDULED:
                instalment.scheduled_at = at
            else:
                instalment.paid_at = at
                instalment.paid_cents = int(payload.get("amount_cents") or 0) or None
                instalment.reference = str(payload.get("reference") or "")[:200]
        uow.commit()


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@clean_input
def submit_grantee_report(
    uow_factory: UowFactory, caller: Identity, award_id: str, data: Json
) -> ReportView:
    """Interim, final or receipts: narrative, spending lines, attachments."""
    caller.require_authenticated()
    kind = str((data or {}).get("kind") or "").upper()
    if kind not in ReportKind.__members__:
        raise BadInput("must be INTERIM, FINAL or RECEIPTS", "kind")
    narrative = data.get("narrative") or ""
    if not isinstance(narrative, str) or not narrative.strip():
        raise BadInput("a report needs a narrative", "narrative")
    if len(narrative) > 20000:
        raise BadInput("must be at most 20000 characters", "narrative")
    spending = parse_lines(data.get("spending"), "spending")
    attachments = parse_attachments(data.get("attachments"))
    with uow_factory() as uow:
        award = found(uow.awards.get(award_id), "award", "awardId")
        caller.require_member_sees(award.member_id, "award", "awardId")
        require_can_submit(ReportKind(kind), uow.reports.for_award(award.id))
        report = GranteeReport(
            id=new_id(),
            award_id=award.id,
            member_id=award.member_id,
            kind=ReportKind(kind),
            narrative=narrative.strip(),
            spending=spending,
            attachments=attachments,
            status=ReportStatus.SUBMITTED,
            submitted_at=uow.clock.now(),
        )
        uow.reports.add(report)
        uow.commit()
        return views.report(report)


@clean_input
def review_grantee_report(
    uow_factory: UowFactory,
    caller: Identity,
    report_id: str,
    accept: bool,
    comment: str = "",
) -> ReportView:
    caller.require_staff()
    if not isinstance(accept, bool):
        raise BadInput("must be true or false", "accept")
    if not isinstance(comment or "", str) or len(comment or "") > 5000:
        raise BadInput("must be text of at most 5000 characters", "comment")
    with uow_factory() as uow:
        report = found(uow.reports.get(report_id), "report", "reportId")
        report.review(accept, comment or "", uow.clock.now())
        uow.emit(
            "grantee_report_reviewed",
            {
                "report_id": report.id,
                "award_id": report.award_id,
                "member_id": report.member_id,
                "report_kind": report.kind.value,
                "status": report.status.value,
                "staff_comment": report.staff_comment,
                "reviewed_at": (report.reviewed_at or uow.clock.now()).isoformat(),
            },
        )
        uow.commit()
        return views.report(report)


def reports_awaiting_review(
    uow_factory: UowFactory, caller: Identity, first: int = 5
) -> Sample[ReportView]:
    """Staff: grantee reports submitted and not yet reviewed, the oldest
    first: {total, items: [report]} (the staff digest's)."""
    caller.require_staff()
    if isinstance(first, bool) or not isinstance(first, int) or not 0 <= first <= 100:
        raise BadInput("must be a whole number from 0 to 100", "first")
    with uow_factory() as uow:
        reports, total = uow.reports.awaiting_review(first)
        return {"total": total, "items": [views.report(r) for r in reports]}
