"""Membership status over time: transitions, the daily job, payment events."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from common.envelope import Envelope
from common.errors import NotFound
from common.identity import Identity
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.invoices import PaymentRecord, settled_status
from services.members.domain.reminders import Reminder, max_lookahead_days, reminder_due
from services.members.domain.standing import (
    MembershipStatus,
    StatusChange,
    derive_standing,
)
from services.members.service_layer import events

if TYPE_CHECKING:
    from services.members.adapters.uow import MembersUnitOfWork
    from services.members.domain.community import Member
    from services.members.service_layer import UowFactory

log = logging.getLogger(__name__)


def record_transitions(
    uow: MembersUnitOfWork,
    moves: Sequence[tuple[Member, MembershipStatus, str]],
    today: date,
) -> list[Member]:
    """Apply (member, new status, reason) moves: row, history and event each."""
    stamp = datetime.now(UTC)
    updated, changes = [], []
    for member, status, reason in moves:
        if status == member.status:
            continue
        moved = replace(member, status=status, version=member.version + 1)
        updated.append(moved)
        changes.append(
            StatusChange(member.member_id, member.status, status, reason, today, stamp)
        )
    uow.members.save_status_moves(updated)
    uow.history.add_many(changes)
    uow.emit_all(
        "membership_status_changed",
        [
            events.membership_status_changed(m, c)
            for m, c in zip(updated, changes, strict=True)
        ],
    )
    return updated


def record_first_status(
    uow: MembersUnitOfWork, new: Sequence[Member], reason: str, today: date
) -> None:
    """A new member's first history line (no old status) and its event."""
    stamp = datetime.now(UTC)
    changes = [
        StatusChange(m.member_id, None, m.status, reason, today, stamp) for m in new
    ]
    uow.history.add_many(changes)
    uow.emit_all(
        "membership_status_changed",
        [
            events.membership_status_changed(m, c)
            for m, c in zip(new, changes, strict=True)
        ],
    )


def refresh(
    uow: MembersUnitOfWork,
    member: Member,
    today: date,
    cause: str | None = None,
) -> Member:
    """Re-derive one member's status from its invoices (cancelled stays put)."""
    if member.status is MembershipStatus.CANCELLED:
        return member
    standing = derive_standing(uow.invoices.for_member(member.member_id), today)
    reason = f"{standing.reason} ({cause})" if cause else standing.reason
    moved = record_transitions(uow, [(member, standing.status, reason)], today)
    return moved[0] if moved else member


# --- the daily job ---------------------------------------------------------------


def run_daily(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Move members into GRACE / LAPSED on time and send due reminders.

    Idempotent: a second run on the same date finds nothing to move and every
    reminder already recorded. Runs are serialized by a lock.
    """
    caller.require_staff()
    with uow_factory() as uow:
        uow.lock("daily")
        today = as_of or uow.today()
        facts = uow.invoices.standing_facts(today)
        stale = {
            m.member_id
            for m in uow.members.not_cancelled()
            if derive_standing(facts.get(m.member_id, []), today).status != m.status
        }
        # Re-read the few that move under a row lock: a payment may just have landed.
        locked = uow.members.lock_many(stale)
        fresh = uow.invoices.for_members(locked)
        moves = []
        for member in locked.values():
            if member.status is MembershipStatus.CANCELLED:
                continue
            standing = derive_standing(fresh[member.member_id], today)
            moves.append((member, standing.status, standing.reason))
        moved = record_transitions(uow, moves, today)
        reminders = _send_reminders(uow, today)
        uow.commit()
    counts: dict[str, int] = {}
    for member in moved:
        counts[member.status.value] = counts.get(member.status.value, 0) + 1
    return {
        "as_of": today.isoformat(),
        "transitions": len(moved),
        "moved_to": counts,
        "reminders": reminders,
    }


def _send_reminders(uow: MembersUnitOfWork, today: date) -> int:
    candidates = uow.invoices.needing_reminders(today, max_lookahead_days())
    sent_before = uow.invoices.reminders_sent(i.invoice_id for i in candidates)
    due: list[tuple[Any, Reminder]] = []
    for invoice in candidates:
        reminder = reminder_due(
            invoice, today, sent_before.get(invoice.invoice_id, set())
        )
        if reminder is not None:
            due.append((invoice, reminder))
    owners = uow.members.get_many(i.member_id for i, _ in due)
    uow.invoices.record_reminders([(i.invoice_id, r) for i, r in due], today)
    uow.emit_all(
        "dues_reminder_due",
        [events.dues_reminder_due(i, r, owners[i.member_id]) for i, r in due],
    )
    return len(due)


# --- payments ---------------------------------------------------------------------


def payment_succeeded(uow_factory: UowFactory, envelope: Envelope) -> None:
    p = envelope.payload
    record = PaymentRecord(
        invoice_id=str(p.get("invoice_id")),
        payment_id=str(p["payment_id"]),
        succeeded=True,
        amount_cents=p.get("amount_cents"),
    )
    _apply_payment_news(
        uow_factory,
        envelope,
        "members.payment_succeeded",
        record,
        f"payment {record.payment_id} received",
    )


def payment_refunded(uow_factory: UowFactory, envelope: Envelope) -> None:
    p = envelope.payload
    record = PaymentRecord(
        invoice_id=str(p.get("invoice_id")),
        payment_id=str(p["payment_id"]),
        fully_refunded=bool(p.get("fully_refunded")),
        amount_refunded_cents=int(p.get("amount_refunded_cents") or 0),
    )
    _apply_payment_news(
        uow_factory,
        envelope,
        "members.payment_refunded",
        record,
        f"payment {record.payment_id} refunded",
    )


def _apply_payment_news(
    uow_factory: UowFactory,
    envelope: Envelope,
    consumer: str,
    news: PaymentRecord,
    cause: str,
) -> None:
    """Merge one payment fact into the invoice; re-derive invoice and member.

    Facts merge (a refund known before its payment waits for it), so the
    result is the same in any order; `claim` makes a duplicate a no-op.
    """
    with uow_factory() as uow:
        if not uow.claim(consumer, envelope):
            return
        if envelope.payload.get("purpose") != "DUES" or not envelope.payload.get(
            "invoice_id"
        ):
            uow.commit()  # not ours (a grant disbursement): remember, ignore
            return
        invoice = uow.invoices.get(news.invoice_id)
        if invoice is None:
            # Retried, then parked in the dead-letter queue for a human to look at.
            raise NotFound(f"no dues invoice {news.invoice_id}", "invoice_id")
        member = uow.members.get(invoice.member_id, for_update=True)
        assert member is not None, "invoices belong to members (foreign key)"
        known = {p.payment_id: p for p in uow.invoices.payments(invoice.invoice_id)}
        before = known.get(news.payment_id)
        merged = before.merge(news) if before else news
        uow.invoices.put_payment(merged, is_new=before is None)
        known[merged.payment_id] = merged
        status = settled_status(invoice.status, known.values())
        if status != invoice.status:
            uow.invoices.set_status(invoice.invoice_id, status)
            log.info("invoice %s: %s -> %s", invoice.invoice_id, invoice.status, status)
        refresh(uow, member, uow.today(), cause)
        uow.commit()
