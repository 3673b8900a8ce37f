"""Payments and their history: rows in, domain objects out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from common.upsert import insert_unless_taken
from services.payments.adapters import orm
from services.payments.adapters.pagination import Page, fetch_page
from services.payments.domain.model import (
    PAID_STATES,
    Flag,
    Payment,
    PaymentStatus,
    Purpose,
    StatusChange,
)
from services.payments.domain.reconciliation import LedgerEntry

t = orm.payments
h = orm.payment_history

_FIELDS = (
    "payment_id",
    "purpose",
    "invoice_id",
    "member_id",
    "fiscal_year",
    "band",
    "amount_cents",
    "currency",
    "attempt",
    "status",
    "checkout_session_id",
    "checkout_url",
    "session_expires_at",
    "success_url",
    "cancel_url",
    "payment_intent_id",
    "amount_paid_cents",
    "paid_currency",
    "amount_refunded_cents",
    "paid_at",
    "payer_name",
    "payer_email",
    "flag",
    "flag_detail",
    "failure_reason",
    "created_at",
    "updated_at",
)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _to_payment(row: Row[Any]) -> Payment:
    data = dict(row._mapping)
    for name in ("session_expires_at", "paid_at", "created_at", "updated_at"):
        data[name] = utc(data[name])
    data["status"] = PaymentStatus(data["status"])
    data["purpose"] = Purpose(data["purpose"])
    data["flag"] = Flag(data["flag"]) if data["flag"] else None
    return Payment(**data)


def _to_change(row: Row[Any]) -> StatusChange:
    return StatusChange(
        old_status=PaymentStatus(row.old_status) if row.old_status else None,
        new_status=PaymentStatus(row.new_status),
        changed_at=utc(row.changed_at),  # type: ignore[arg-type]
        source=row.source,
        note=row.note or "",
    )


def _values(payment: Payment) -> dict[str, Any]:
    values = {name: getattr(payment, name) for name in _FIELDS}
    values["status"] = payment.status.value
    values["purpose"] = payment.purpose.value
    values["flag"] = payment.flag.value if payment.flag else None
    values["updated_at"] = payment.updated_at or payment.created_at
    return values


# Built once: values travel as parameters, not as per-call statement clauses
# (the webhook path saves every column of a payment).
_INSERT = insert(t)
_UPDATE = update(t).where(t.c.payment_id == bindparam("key"))


class PaymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._deferred: dict[str, Payment] | None = None

    # --- writing -------------------------------------------------------------

    def add(self, payment: Payment) -> None:
        self.session.execute(_INSERT, _values(payment))
        self._write_changes(payment)

    def try_add(self, payment: Payment) -> bool:
        """Add unless its (invoice, attempt) is taken by a concurrent request."""
        taken = not insert_unless_taken(
            self.session, t, _values(payment), [t.c.invoice_id, t.c.attempt]
        )
        if taken:
            return False
        self._write_changes(payment)
        return True

    def save(self, payment: Payment) -> None:
        if self._deferred is not None:
            self._deferred[payment.payment_id] = payment
        else:
            self._save_all([payment])

    def defer_saves(self) -> None:
        """From now on `save` waits for `flush`: a batch writes its payments
        in two round trips, not two each."""
        if self._deferred is None:
            self._deferred = {}

    def flush(self) -> None:
        if self._deferred:
            pending, self._deferred = list(self._deferred.values()), {}
            self._save_all(pending)

    def _save_all(self, payments: list[Payment]) -> None:
        rows = []
        for payment in payments:
            values = _values(payment)
            values["key"] = values.pop("payment_id")
            rows.append(values)
        self.session.execute(_UPDATE, rows if len(rows) > 1 else rows[0])
        self._write_changes(*payments)

    def _write_changes(self, *payments: Payment) -> None:
        rows = [
            {
                "payment_id": payment.payment_id,
                "old_status": c.old_status.value if c.old_status else None,
                "new_status": c.new_status.value,
                "changed_at": c.changed_at,
                "source": c.source[:300],
                "note": c.note,
            }
            for payment in payments
            for c in payment.new_changes
        ]
        if rows:
            self.session.execute(insert(h).inline(), rows)
        for payment in payments:
            payment.new_changes = []

    # --- reading -------------------------------------------------------------

    def _one(self, query: Select[Any], lock: bool, history: bool) -> Payment | None:
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        if row is None:
            return None
        payment = _to_payment(row)
        if history:
            payment.history = self.histories([payment.payment_id])[payment.payment_id]
        return payment

    def get(
        self, payment_id: str, lock: bool = False, history: bool = True
    ) -> Payment | None:
        query = select(t).where(t.c.payment_id == payment_id)
        return self._one(query, lock, history)

    def by_session(
        self, session_id: str, lock: bool = False, history: bool = True
    ) -> Payment | None:
        query = select(t).where(t.c.checkout_session_id == session_id)
        return self._one(query, lock, history)

    def by_intent(
        self, intent_id: str, lock: bool = False, history: bool = True
    ) -> Payment | None:
        query = select(t).where(t.c.payment_intent_id == intent_id)
        return self._one(query, lock, history)

    def for_invoice(self, invoice_id: str, lock: bool = False) -> list[Payment]:
        query = select(t).where(t.c.invoice_id == invoice_id).order_by(t.c.attempt)
        if lock:
            query = query.with_for_update()
        return [_to_payment(r) for r in self.session.execute(query)]

    def for_invoices(self, invoice_ids: list[str], lock: bool = False) -> list[Payment]:
        query = select(t).where(t.c.invoice_id.in_(invoice_ids))
        if lock:  # in one order for every locker: no deadlocks between batches
            query = query.order_by(t.c.invoice_id, t.c.attempt).with_for_update()
        else:
            query = query.order_by(t.c.attempt)
        return [_to_payment(r) for r in self.session.execute(query)]

    def many(self, payment_ids: Iterable[str]) -> dict[str, Payment]:
        query = select(t).where(t.c.payment_id.in_(list(payment_ids)))
        found = {p.payment_id: p for p in map(_to_payment, self.session.execute(query))}
        for pid, changes in self.histories(list(found)).items():
            found[pid].history = changes
        return found

    def histories(self, payment_ids: list[str]) -> dict[str, list[StatusChange]]:
        result: dict[str, list[StatusChange]] = {pid: [] for pid in payment_ids}
        if not payment_ids:
            return result
        rows = self.session.execute(
            select(h).where(h.c.payment_id.in_(payment_ids)).order_by(h.c.id)
        )
        for row in rows:
            result[row.payment_id].append(_to_change(row))
        return result

    def page(
        self,
        *,
        member_id: str | None,
        status: str | None,
        created_from: datetime | None,
        created_to: datetime | None,
        flagged: bool | None,
        first: int | None,
        after: str | None,
    ) -> tuple[list[Payment], Page]:
        query = select(t)
        if member_id:
            query = query.where(t.c.member_id == member_id)
        if status:
            query = query.where(t.c.status == status)
        if created_from:
            query = query.where(t.c.created_at >= created_from)
        if created_to:
            query = query.where(t.c.created_at < created_to)
        if flagged is not None:
            query = query.where(
                t.c.flag.is_not(None) if flagged else t.c.flag.is_(None)
            )
        page = fetch_page(
            self.session, query, t.c.created_at, t.c.payment_id, first, after
        )
        payments = [_to_payment(r) for r in page.rows]
        histories = self.histories([p.payment_id for p in payments])
        for p in payments:
            p.history = histories[p.payment_id]
        return payments, page

    def held_for_mismatch(self, first: int) -> tuple[list[Payment], int]:
        """Money held for staff because it did not match its invoice (and not
        refunded in full since): the oldest `first`, and how many in all."""
        held = (t.c.flag == Flag.AMOUNT_MISMATCH.value) & (
            t.c.status != PaymentStatus.REFUNDED.value
        )
        total = self.session.execute(select(func.count()).where(held)).scalar_one()
        rows = self.session.execute(
            select(t).where(held).order_by(t.c.created_at, t.c.payment_id).limit(first)
        )
        return [_to_payment(r) for r in rows], int(total)

    # --- reconciliation ------------------------------------------------------

    def ledger_paid_between(self, start: datetime, end: datetime) -> list[LedgerEntry]:
        query = select(t).where(
            t.c.status.in_([s.value for s in PAID_STATES]),
            t.c.paid_at >= start,
            t.c.paid_at < end,
        )
        return [_ledger(r) for r in self.session.execute(query)]

    def ledger_for(
        self, intent_ids: list[str], payment_ids: list[str]
    ) -> list[LedgerEntry]:
        if not intent_ids and not payment_ids:
            return []
        query = select(t).where(
            t.c.payment_intent_id.in_(intent_ids) | t.c.payment_id.in_(payment_ids)
        )
        return [_ledger(r) for r in self.session.execute(query)]

    def next_attempt(self, invoice_id: str) -> int:
        last = self.session.execute(
            select(func.max(t.c.attempt)).where(t.c.invoice_id == invoice_id)
        ).scalar()
        return int(last or 0) + 1


def _ledger(row: Row[Any]) -> LedgerEntry:
    return LedgerEntry(
        payment_id=row.payment_id,
        payment_intent_id=row.payment_intent_id,
        status=PaymentStatus(row.status),
        amount_paid_cents=row.amount_paid_cents,
        currency=row.paid_currency,
        amount_refunded_cents=row.amount_refunded_cents,
        paid_at=utc(row.paid_at),
    )
