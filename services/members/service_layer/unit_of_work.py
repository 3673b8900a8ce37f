"""The members unit of work: repositories, bulk events and locks."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from sqlalchemy import text

from common.uow import UnitOfWork
from services.members.adapters.history_repository import HistoryRepository
from services.members.adapters.invoice_repository import InvoiceRepository
from services.members.adapters.member_repository import MemberRepository
from services.members.adapters.schedule_repository import ScheduleRepository


class MembersUnitOfWork(UnitOfWork):
    members: MemberRepository
    invoices: InvoiceRepository
    schedules: ScheduleRepository
    history: HistoryRepository

    def _start(self) -> None:
        self.members = MemberRepository(self.session)
        self.invoices = InvoiceRepository(self.session)
        self.schedules = ScheduleRepository(self.session)
        self.history = HistoryRepository(self.session)

    def lock(self, name: str) -> None:
        """Serialize a batch job (daily run, opening a year) across processes.

        PostgreSQL: a transaction-scoped advisory lock. SQLite allows one
        writer at a time anyway.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(f"members:{name}".encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


UowFactory = Callable[[], MembersUnitOfWork]
