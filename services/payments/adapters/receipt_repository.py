"""Receipts and their gapless yearly numbering."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, insert, select
from sqlalchemy.orm import Session

from common.upsert import dialect_insert
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

    def next_sequences(self, year: int, count: int) -> list[int]:
        """The year's next `count` receipt numbers, in one round trip: from a
        sequence on PostgreSQL (no lock held, so payments never queue here);
        on SQLite, the year's counter, in one atomic upsert."""
        if self.session.get_bind().dialect.name == "postgresql":
            rows = self.session.execute(
                select(orm.receipt_number_seq.next_value()).select_from(
                    func.generate_series(1, count)
                )
            )
            return sorted(int(r[0]) for r in rows)
        statement = (
            dialect_insert(self.session, counters)
            .values(year=year, last_number=count)
            .on_conflict_do_update(
                index_elements=[counters.c.year],
                set_={"last_number": counters.c.last_number + count},
            )
            .returning(counters.c.last_number)
        )
        last = int(self.session.execute(statement).scalar_one())
        return list(range(last - count + 1, last + 1))

    def add_many(self, receipts: list[Receipt]) -> None:
        if receipts:
            self.session.execute(insert(t), [r.__dict__ for r in receipts])

    def for_payments(self, payment_ids: list[str]) -> dict[str, Receipt]:
        if not payment_ids:
            return {}
        rows = self.session.execute(select(t).where(t.c.payment_id.in_(payment_ids)))
        return {r.payment_id: _to_receipt(r) for r in rows}

    def by_number(self, number: str) -> Receipt | None:
        row = self.session.execute(select(t).where(t.c.number == number)).first()
        return _to_receipt(row) if row else None
