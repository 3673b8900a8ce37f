"""Dues schedules per fiscal year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from services.members.adapters.clock_stamp import now
from services.members.adapters.orm import dues_schedules
from services.members.domain.bands import Band, DuesSchedule


@dataclass(frozen=True)
class StoredSchedule:
    schedule: DuesSchedule
    opened: bool


class ScheduleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, fiscal_year: int) -> StoredSchedule | None:
        row = self.session.execute(
            select(dues_schedules).where(dues_schedules.c.fiscal_year == fiscal_year)
        ).first()
        return self._stored(row) if row else None

    @staticmethod
    def _stored(row: Row[Any]) -> StoredSchedule:
        schedule = DuesSchedule(
            fiscal_year=row.fiscal_year,
            amounts={Band(k): int(v) for k, v in row.amounts.items()},
            grace_days=row.grace_days,
            currency=row.currency,
        )
        return StoredSchedule(schedule, row.opened_at is not None)

    def put(self, schedule: DuesSchedule) -> None:
        values = {
            "amounts": {band.value: cents for band, cents in schedule.amounts.items()},
            "currency": schedule.currency,
            "grace_days": schedule.grace_days,
            "set_at": now(),
        }
        done = self.session.execute(
            update(dues_schedules)
            .where(dues_schedules.c.fiscal_year == schedule.fiscal_year)
            .values(**values)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            self.session.execute(
                insert(dues_schedules).values(
                    fiscal_year=schedule.fiscal_year, **values
                )
            )

    def mark_opened(self, fiscal_year: int) -> None:
        self.session.execute(
            update(dues_schedules)
            .where(
                dues_schedules.c.fiscal_year == fiscal_year,
                dues_schedules.c.opened_at.is_(None),
            )
            .values(opened_at=now())
        )
