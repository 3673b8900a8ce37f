"""Invoices, their payments and reminders sent, on SQLAlchemy Core."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from services.members.adapters.clock_stamp import now
from services.members.adapters.orm import (
    invoice_payments,
    invoices,
    members,
    reminders_sent,
)
from services.members.domain.bands import Band
from services.members.domain.invoices import Invoice, InvoiceStatus, PaymentRecord
from services.members.domain.reminders import Reminder
from services.members.domain.standing import MembershipStatus

UNPAID = (InvoiceStatus.OPEN.value, InvoiceStatus.REFUNDED.value)


def _invoice(row: Row[Any]) -> Invoice:
    return Invoice(
        invoice_id=row.invoice_id,
        member_id=row.member_id,
        fiscal_year=row.fiscal_year,
        band=Band(row.band),
        amount_cents=row.amount_cents,
        full_amount_cents=row.full_amount_cents,
        currency=row.currency,
        status=InvoiceStatus(row.status),
        issued_on=row.issued_on,
        due_date=row.due_date,
        grace_days=row.grace_days,
        covered_days=row.covered_days,
        year_days=row.year_days,
    )


class InvoiceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, new: Sequence[Invoice]) -> None:
        if not new:
            return
        stamp = now()
        self.session.execute(
            insert(invoices),
            [
                {
                    "invoice_id": i.invoice_id,
                    "member_id": i.member_id,
                    "fiscal_year": i.fiscal_year,
                    "band": i.band.value,
                    "amount_cents": i.amount_cents,
                    "full_amount_cents": i.full_amount_cents,
                    "currency": i.currency,
                    "status": i.status.value,
                    "issued_on": i.issued_on,
                    "due_date": i.due_date,
                    "grace_days": i.grace_days,
                    "covered_days": i.covered_days,
                    "year_days": i.year_days,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                for i in new
            ],
        )

    def get(self, invoice_id: str, for_update: bool = False) -> Invoice | None:
        query = select(invoices).where(invoices.c.invoice_id == invoice_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _invoice(row) if row else None

    def get_many(self, invoice_ids: Iterable[str]) -> dict[str, Invoice]:
        ids = list(set(invoice_ids))
        if not ids:
            return {}
        rows = self.session.execute(
            select(invoices).where(invoices.c.invoice_id.in_(ids))
        )
        return {row.invoice_id: _invoice(row) for row in rows}

    def for_members(self, member_ids: Iterable[str]) -> dict[str, list[Invoice]]:
        """Each member's invoices, newest fiscal year first."""
        ids = list(set(member_ids))
        found: dict[str, list[Invoice]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = self.session.execute(
            select(invoices)
            .where(invoices.c.member_id.in_(ids))
            .order_by(invoices.c.fiscal_year.desc())
        )
        for row in rows:
            found[row.member_id].append(_invoice(row))
        return found

    def for_member(self, member_id: str) -> list[Invoice]:
        return self.for_members([member_id])[member_id]

    def any_for_year(self, fiscal_year: int) -> bool:
        query = select(invoices.c.invoice_id).where(
            invoices.c.fiscal_year == fiscal_year
        )
        return self.session.execute(query.limit(1)).first() is not None

    def set_status(self, invoice_id: str, status: InvoiceStatus) -> None:
        self.session.execute(
            update(invoices)
            .where(invoices.c.invoice_id == invoice_id)
            .values(status=status.value, updated_at=now())
        )

    def set_statuses(self, statuses: Mapping[str, InvoiceStatus]) -> None:
        """Invoices to their new statuses: one UPDATE per status."""
        by_status: dict[InvoiceStatus, list[str]] = defaultdict(list)
        for invoice_id, status in statuses.items():
            by_status[status].append(invoice_id)
        for status, ids in by_status.items():
            self.set_status_many(ids, status)

    def set_status_many(
        self, invoice_ids: Sequence[str], status: InvoiceStatus
    ) -> None:
        for start in range(0, len(invoice_ids), 1000):
            self.session.execute(
                update(invoices)
                .where(invoices.c.invoice_id.in_(invoice_ids[start : start + 1000]))
                .values(status=status.value, updated_at=now())
            )

    def void_open(self, member_id: str) -> int:
        result = self.session.execute(
            update(invoices)
            .where(
                invoices.c.member_id == member_id,
                invoices.c.status == InvoiceStatus.OPEN.value,
            )
            .values(status=InvoiceStatus.VOID.value, updated_at=now())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def reopen_void(self, member_id: str, from_year: int) -> int:
        result = self.session.execute(
            update(invoices)
            .where(
                invoices.c.member_id == member_id,
                invoices.c.status == InvoiceStatus.VOID.value,
                invoices.c.fiscal_year >= from_year,
            )
            .values(status=InvoiceStatus.OPEN.value, updated_at=now())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def standing_facts(self, today: date) -> dict[str, list[Invoice]]:
        """For the daily job, per member: its overdue unpaid invoices and its
        latest paid one, which is all a status derivation on `today` needs."""
        found: dict[str, list[Invoice]] = defaultdict(list)
        overdue = self.session.execute(
            select(invoices).where(
                invoices.c.status.in_(UNPAID), invoices.c.due_date < today
            )
        )
        for row in overdue:
            found[row.member_id].append(_invoice(row))
        latest_paid = (
            select(
                invoices.c.member_id,
                func.max(invoices.c.fiscal_year).label("fiscal_year"),
            )
            .where(invoices.c.status == InvoiceStatus.PAID.value)
            .group_by(invoices.c.member_id)
            .subquery()
        )
        paid = self.session.execute(
            select(invoices).join(
                latest_paid,
                and_(
                    invoices.c.member_id == latest_paid.c.member_id,
                    invoices.c.fiscal_year == latest_paid.c.fiscal_year,
                ),
            )
        )
        for row in paid:
            found[row.member_id].append(_invoice(row))
        return found

    def needing_reminders(self, today: date, lookahead_days: int) -> list[Invoice]:
        """Unpaid invoices of members not cancelled, due soon or overdue."""
        horizon = date.fromordinal(today.toordinal() + lookahead_days)
        query = (
            select(invoices)
            .join(members, members.c.member_id == invoices.c.member_id)
            .where(
                invoices.c.status.in_(UNPAID),
                invoices.c.due_date <= horizon,
                members.c.status != MembershipStatus.CANCELLED.value,
            )
        )
        return [_invoice(row) for row in self.session.execute(query)]

    # payments

    def payments(self, invoice_id: str) -> list[PaymentRecord]:
        return self.payments_of([invoice_id])[invoice_id]

    def payments_of(self, invoice_ids: Iterable[str]) -> dict[str, list[PaymentRecord]]:
        """What payments told us about each invoice."""
        found: dict[str, list[PaymentRecord]] = {i: [] for i in invoice_ids}
        if not found:
            return found
        rows = self.session.execute(
            select(invoice_payments).where(invoice_payments.c.invoice_id.in_(found))
        )
        for r in rows:
            found[r.invoice_id].append(
                PaymentRecord(
                    invoice_id=r.invoice_id,
                    payment_id=r.payment_id,
                    succeeded=r.succeeded,
                    fully_refunded=r.fully_refunded,
                    amount_cents=r.amount_cents,
                    amount_refunded_cents=r.amount_refunded_cents,
                )
            )
        return found

    def update_payments(self, records: Sequence[PaymentRecord]) -> None:
        """Known payments' new facts (one executemany)."""
        if records:
            p = invoice_payments.c
            self.session.execute(
                update(invoice_payments)
                .where(
                    p.invoice_id == bindparam("b_invoice_id"),
                    p.payment_id == bindparam("b_payment_id"),
                )
                .values(
                    succeeded=bindparam("b_succeeded"),
                    fully_refunded=bindparam("b_fully_refunded"),
                    amount_cents=bindparam("b_amount_cents"),
                    amount_refunded_cents=bindparam("b_amount_refunded_cents"),
                    updated_at=bindparam("b_updated_at"),
                ),
                [
                    {
                        "b_invoice_id": r.invoice_id,
                        "b_payment_id": r.payment_id,
                        "b_succeeded": r.succeeded,
                        "b_fully_refunded": r.fully_refunded,
                        "b_amount_cents": r.amount_cents,
                        "b_amount_refunded_cents": r.amount_refunded_cents,
                        "b_updated_at": now(),
                    }
                    for r in records
                ],
            )

    def put_payments(self, records: Sequence[PaymentRecord]) -> None:
        if records:
            stamp = now()
            self.session.execute(
                insert(invoice_payments),
                [
                    {
                        "invoice_id": r.invoice_id,
                        "payment_id": r.payment_id,
                        "succeeded": r.succeeded,
                        "fully_refunded": r.fully_refunded,
                        "amount_cents": r.amount_cents,
                        "amount_refunded_cents": r.amount_refunded_cents,
                        "updated_at": stamp,
                    }
                    for r in records
                ],
            )

    # reminders

    def reminders_sent(self, invoice_ids: Iterable[str]) -> dict[str, set[Reminder]]:
        ids = list(set(invoice_ids))
        found: dict[str, set[Reminder]] = defaultdict(set)
        for start in range(0, len(ids), 1000):
            rows = self.session.execute(
                select(reminders_sent).where(
                    reminders_sent.c.invoice_id.in_(ids[start : start + 1000])
                )
            )
            for row in rows:
                found[row.invoice_id].add(Reminder(row.reminder))
        return found

    def record_reminders(
        self, sent: Sequence[tuple[str, Reminder]], today: date
    ) -> None:
        if sent:
            self.session.execute(
                insert(reminders_sent),
                [
                    {"invoice_id": i, "reminder": r.value, "sent_on": today}
                    for i, r in sent
                ],
            )
