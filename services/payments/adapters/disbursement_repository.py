"""Disbursements of grant instalments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from services.payments.adapters import orm
from services.payments.adapters.pagination import Page, fetch_page
from services.payments.adapters.repository import utc
from services.payments.domain.disbursements import Disbursement, DisbursementStatus

t = orm.disbursements


def _to_disbursement(row: Row[Any]) -> Disbursement:
    data = dict(row._mapping)
    data["status"] = DisbursementStatus(data["status"])
    data["scheduled_at"] = utc(data["scheduled_at"])
    data["paid_at"] = utc(data["paid_at"])
    return Disbursement(**data)


def _values(d: Disbursement) -> dict[str, Any]:
    values = dict(d.__dict__)
    values["status"] = d.status.value
    return values


class DisbursementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, disbursement: Disbursement) -> None:
        self.session.execute(insert(t).values(**_values(disbursement)))

    def save(self, disbursement: Disbursement) -> None:
        values = _values(disbursement)
        del values["disbursement_id"]
        self.session.execute(
            update(t)
            .where(t.c.disbursement_id == disbursement.disbursement_id)
            .values(**values)
        )

    def get(self, disbursement_id: str, lock: bool = False) -> Disbursement | None:
        query = select(t).where(t.c.disbursement_id == disbursement_id)
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _to_disbursement(row) if row else None

    def by_instalment(self, instalment_id: str) -> Disbursement | None:
        row = self.session.execute(
            select(t).where(t.c.instalment_id == instalment_id)
        ).first()
        return _to_disbursement(row) if row else None

    def page(
        self,
        *,
        member_id: str | None,
        award_id: str | None,
        status: str | None,
        first: int | None,
        after: str | None,
    ) -> tuple[list[Disbursement], Page]:
        query = select(t)
        if member_id:
            query = query.where(t.c.member_id == member_id)
        if award_id:
            query = query.where(t.c.award_id == award_id)
        if status:
            query = query.where(t.c.status == status)
        page = fetch_page(
            self.session, query, t.c.scheduled_at, t.c.disbursement_id, first, after
        )
        return [_to_disbursement(r) for r in page.rows], page
