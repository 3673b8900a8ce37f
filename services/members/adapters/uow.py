"""The members unit of work: repositories, bulk events, the clock and locks."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, text

from common import correlation
from common.envelope import Envelope
from common.uow import UnitOfWork
from services.members.adapters import settings
from services.members.adapters.history_repository import HistoryRepository
from services.members.adapters.invoice_repository import InvoiceRepository
from services.members.adapters.member_repository import MemberRepository
from services.members.adapters.orm import clock
from services.members.adapters.schedule_repository import ScheduleRepository

ENVELOPE_FIELDS = tuple(f.name for f in fields(Envelope))


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

    def emit_many(self, event_type: str, payloads: Sequence[dict[str, Any]]) -> None:
        """`emit` for a batch (opening a dues year): one executemany, same outbox."""
        if not payloads:
            return
        stamp = datetime.now(UTC)
        rows = []
        for payload in payloads:
            envelope = Envelope(
                type=event_type,
                producer=self.producer,
                payload=payload,
                correlation_id=correlation.current(),
            )
            rows.append(
                {
                    "event_id": envelope.event_id,
                    "event_type": event_type,
                    "producer": self.producer,
                    # Envelope.to_dict's shape, without asdict's deep copy of
                    # each payload (a third of the time of opening a year).
                    "envelope": {f: getattr(envelope, f) for f in ENVELOPE_FIELDS},
                    "created_at": stamp,
                }
            )
        self.session.execute(insert(self._outbox), rows)
        self._emitted += len(rows)

    def lock(self, name: str) -> None:
        """Serialize a batch job (daily run, opening a year) across processes.

        PostgreSQL: a transaction-scoped advisory lock. SQLite allows one
        writer at a time anyway.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(f"members:{name}".encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    # --- the clock -------------------------------------------------------------

    def today(self) -> date:
        """The business date: the real UTC date, unless a test clock is set."""
        if settings.clock_control_enabled():
            stored: date | None = self.session.execute(select(clock.c.today)).scalar()
            if stored is not None:
                return stored
        return datetime.now(UTC).date()

    def set_today(self, day: date | None) -> None:
        self.session.execute(delete(clock))
        if day is not None:
            self.session.execute(
                insert(clock).values(id=1, today=day, set_at=datetime.now(UTC))
            )
