"""Receipts and their gapless yearly numbering."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from services.payments.adapters import orm
from services.payments.adapters.repository import utc
from services.payments.domain.receipts import Receipt

t = orm.receipts
counters = orm.receipt_counters


def _to_receipt(row: Row[Any]) -> Receipt:
    data = dict(row._mapping)
    data["issued_at"] = utc(data["issued_at"])
    return Receipt(**data)


class ReceiptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next_sequence(self, year: int) -> int:
        """Taken in the issuing transaction, under the counter's row lock, so
        numbers are never skipped nor given twice."""
        current = self.session.execute(
            select(counters.c.last_number)
            .where(counters.c.year == year)
            .with_for_update()
        ).scalar()
        if current is None:
            self.session.execute(insert(counters).values(year=year, last_number=1))
            return 1
        self.session.execute(
            update(counters)
            .where(counters.c.year == year)
            .values(last_number=current + 1)
        )
        return int(current) + 1

    def add(self, receipt: Receipt) -> None:
        self.session.execute(insert(t).values(**receipt.__dict__))

    def for_payments(self, payment_ids: list[str]) -> dict[str, Receipt]:
        if not payment_ids:
            return {}
        rows = self.session.execute(select(t).where(t.c.payment_id.in_(payment_ids)))
        return {r.payment_id: _to_receipt(r) for r in rows}

    def by_number(self, number: str) -> Receipt | None:
        row = self.session.execute(select(t).where(t.c.number == number)).first()
        return _to_receipt(row) if row else None
