"""Refund requests and what Stripe answered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from services.payments.adapters import orm
from services.payments.adapters.repository import utc
from services.payments.domain.refunds import Refund, RefundStatus

t = orm.refunds


def _to_refund(row: Row[Any]) -> Refund:
    data = dict(row._mapping)
    data["status"] = RefundStatus(data["status"])
    data["created_at"] = utc(data["created_at"])
    data["updated_at"] = utc(data["updated_at"])
    return Refund(**data)


def _values(refund: Refund) -> dict[str, Any]:
    return {
        "refund_id": refund.refund_id,
        "payment_id": refund.payment_id,
        "sequence": refund.sequence,
        "amount_cents": refund.amount_cents,
        "currency": refund.currency,
        "reason": refund.reason,
        "requested_by": refund.requested_by,
        "status": refund.status.value,
        "stripe_refund_id": refund.stripe_refund_id,
        "failure": refund.failure,
        "created_at": refund.created_at,
        "updated_at": refund.updated_at or refund.created_at,
    }


class RefundRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, refund: Refund) -> None:
        self.session.execute(insert(t).values(**_values(refund)))

    def save(self, refund: Refund) -> None:
        values = _values(refund)
        del values["refund_id"]
        self.session.execute(
            update(t).where(t.c.refund_id == refund.refund_id).values(**values)
        )

    def get(self, refund_id: str) -> Refund | None:
        row = self.session.execute(select(t).where(t.c.refund_id == refund_id)).first()
        return _to_refund(row) if row else None

    def for_payment(self, payment_id: str) -> list[Refund]:
        rows = self.session.execute(
            select(t).where(t.c.payment_id == payment_id).order_by(t.c.sequence)
        )
        return [_to_refund(r) for r in rows]

    def for_payments(self, payment_ids: list[str]) -> dict[str, list[Refund]]:
        result: dict[str, list[Refund]] = {pid: [] for pid in payment_ids}
        if payment_ids:
            rows = self.session.execute(
                select(t).where(t.c.payment_id.in_(payment_ids)).order_by(t.c.sequence)
            )
            for row in rows:
                result[row.payment_id].append(_to_refund(row))
        return result
