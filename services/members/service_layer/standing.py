"""Membership status over time: transitions, the daily job, payment events."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from common.envelope import Envelope
from common.errors import NotFound
from common.identity import Identity
from contracts.members import DailyRun
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.invoices import (
    InvoiceStatus,
    PaymentRecord,
    settled_status,
)
from services.members.domain.reminders import Reminder, max_lookahead_days, reminder_due
from services.members.domain.standing import (
    MembershipStatus,
    StatusChange,
    derive_standing,
)
from services.members.service_layer import events

if TYPE_CHECKING:
    from services.members.domain.community import Member
    from services.members.service_layer.unit_of_work import (
        MembersUnitOfWork,
        UowFactory,
    )

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
    standing = derive_standing(
        uow.invoices.for_member(member.member_id), today, member.imported
    )
    reason = f"{standing.reason} ({cause})" if cause else standing.reason
    moved = record_transitions(uow, [(member, standing.status, reason)], today)
    return moved[0] if moved else member


# --- the daily job ---------------------------------------------------------------


def run_daily(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    as_of: date | None = None,
) -> DailyRun:
    """Move members into GRACE / LAPSED on time and send due reminders.

    Idempotent: a second run on the same date finds nothing to move and every
    reminder already recorded. Runs are serialized by a lock.
    """
    caller.require_staff()
    with uow_factory() as uow:
        uow.lock("daily")
        today = as_of or uow.clock.today()
        facts = uow.invoices.standing_facts(today)
        stale = {
            m.member_id
            for m in uow.members.not_cancelled()
            if derive_standing(facts.get(m.member_id, []), today, m.imported).status
            != m.status
        }
        # Re-read the few that move under a row lock: a payment may just have landed.
        locked = uow.members.lock_many(stale)
        fresh = uow.invoices.for_members(locked)
        moves = []
        for member in locked.values():
            if member.status is MembershipStatus.CANCELLED:
                continue
            standing = derive_standing(fresh[member.member_id], today, member.imported)
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


@dataclass(frozen=True)
class PaymentNews:
    """One of payments' events, as a fact about an invoice."""

    envelope: Envelope
    consumer: str  # the name the event is claimed under
    record: PaymentRecord
    cause: str

    @classmethod
    def of(cls, envelope: Envelope) -> PaymentNews:
        p = envelope.payload
        invoice_id, payment_id = str(p.get("invoice_id")), str(p["payment_id"])
        if envelope.type == "payment_succeeded":
            record = PaymentRecord(
                invoice_id=invoice_id,
                payment_id=payment_id,
                succeeded=True,
                amount_cents=p.get("amount_cents"),
            )
            cause = f"payment {payment_id} received"
        elif envelope.type == "payment_refunded":
            record = PaymentRecord(
                invoice_id=invoice_id,
                payment_id=payment_id,
                fully_refunded=bool(p.get("fully_refunded")),
                amount_refunded_cents=int(p.get("amount_refunded_cents") or 0),
            )
            cause = f"payment {payment_id} refunded"
        else:
            raise ValueError(f"not payment news: {envelope.type}")
        return cls(envelope, f"members.{envelope.type}", record, cause)

    @property
    def about_dues(self) -> bool:
        p = self.envelope.payload
        return p.get("purpose") == "DUES" and bool(p.get("invoice_id"))


def payment_news(uow_factory: UowFactory, envelopes: Sequence[Envelope]) -> None:
    """Merge payments' facts into their invoices and re-derive the members.

    A batch is one transaction, with the same rows, history and events as
    applying the news one at a time in this order. Facts merge (a refund
    known before its payment waits for it), so the result is the same in any
    order; the claim makes a duplicate (even within the batch) a no-op. An
    unknown invoice fails the whole batch, which the caller then retries one
    event at a time.
    """
    news = [PaymentNews.of(e) for e in envelopes]
    # Its writes go in one round trip at the commit (none reads a row count).
    with uow_factory() as uow, uow.writes_together():
        claimed = uow.claim_many((n.consumer, n.envelope) for n in news)
        fresh = []
        for n in news:
            key = (n.consumer, n.envelope.event_id)
            if key in claimed:
                claimed.discard(key)  # a repeat later in the batch is a duplicate
                fresh.append(n)
        dues = [n for n in fresh if n.about_dues]  # others: remembered, ignored
        if dues:
            _merge_payment_news(uow, dues)
        uow.commit()


def _merge_payment_news(uow: MembersUnitOfWork, news: list[PaymentNews]) -> None:
    invoices = uow.invoices.get_many(n.record.invoice_id for n in news)
    for n in news:
        if n.record.invoice_id not in invoices:
            # Retried, then parked in the dead-letter queue for a human to look at.
            raise NotFound(f"no dues invoice {n.record.invoice_id}", "invoice_id")
    members = uow.members.lock_many(i.member_id for i in invoices.values())
    known = {
        invoice_id: {p.payment_id: p for p in records}
        for invoice_id, records in uow.invoices.payments_of(invoices).items()
    }
    stored = {(i, p) for i, records in known.items() for p in records}
    held = uow.invoices.for_members(members)
    today = uow.clock.today()
    touched: dict[tuple[str, str], PaymentRecord] = {}
    statuses: dict[str, InvoiceStatus] = {}
    # A member moving twice in one batch moves in two rounds (two versions).
    rounds: list[list[tuple[Member, MembershipStatus, str]]] = []
    moved: Counter[str] = Counter()
    for n in news:
        invoice = invoices[n.record.invoice_id]
        payments = known[invoice.invoice_id]
        before = payments.get(n.record.payment_id)
        merged = before.merge(n.record) if before else n.record
        payments[merged.payment_id] = touched[
            (invoice.invoice_id, merged.payment_id)
        ] = merged
        status = settled_status(invoice.status, payments.values())
        if status != invoice.status:
            log.info("invoice %s: %s -> %s", invoice.invoice_id, invoice.status, status)
            invoice = invoices[invoice.invoice_id] = replace(invoice, status=status)
            statuses[invoice.invoice_id] = status
            held[invoice.member_id] = [
                invoice if i.invoice_id == invoice.invoice_id else i
                for i in held[invoice.member_id]
            ]
        member = members[invoice.member_id]
        if member.status is MembershipStatus.CANCELLED:
            continue
        standing = derive_standing(held[member.member_id], today, member.imported)
        if standing.status != member.status:
            turn = moved[member.member_id]
            moved[member.member_id] += 1
            if turn == len(rounds):
                rounds.append([])
            reason = f"{standing.reason} ({n.cause})"
            rounds[turn].append((member, standing.status, reason))
            members[member.member_id] = replace(
                member, status=standing.status, version=member.version + 1
            )
    uow.invoices.put_payments([p for k, p in touched.items() if k not in stored])
    uow.invoices.update_payments([p for k, p in touched.items() if k in stored])
    uow.invoices.set_statuses(statuses)
    for moves in rounds:
        record_transitions(uow, moves, today)
