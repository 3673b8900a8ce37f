"""Small services that exercise the shared infrastructure, nothing else."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import eventlet
from nameko.events import event_handler as plain_event_handler
from nameko.rpc import rpc
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
)

from common.db import infrastructure_tables
from common.envelope import Envelope
from common.nameko_ext import rpc as replying
from common.nameko_ext.context import Caller
from common.nameko_ext.events import event_handler
from common.nameko_ext.storage import Storage
from common.uow import UnitOfWork

ledger_metadata = MetaData()
infrastructure_tables(ledger_metadata)
entries = Table(
    "entries",
    ledger_metadata,
    Column("id", Integer, primary_key=True),
    Column("note", String(200)),
)

audit_metadata = MetaData()
infrastructure_tables(audit_metadata)
seen = Table(
    "seen",
    audit_metadata,
    Column("id", Integer, primary_key=True),
    Column("handler", String(50)),
    Column("event_id", String(36)),
    Column("note", String(200)),
    Column("correlation_id", String(64)),
)
healed = Table("healed", audit_metadata, Column("note", String(200), primary_key=True))

# Per process: how often each handler ran and skipped (not transactional on purpose).
attempts: Counter[str] = Counter()
duplicates: Counter[str] = Counter()
plain_received: list[dict[str, Any]] = []


class Ledger:
    """Producer: writes an entry and its event in one transaction."""

    name = "ledger"
    uow = Storage("ledger", ledger_metadata)
    caller = Caller()

    @rpc
    def record(self, note: str, fail_before_commit: bool = False) -> None:
        with self.uow() as uow:
            uow.session.execute(insert(entries).values(note=note))
            uow.emit("entry_recorded", {"note": note})
            if fail_before_commit:
                raise RuntimeError("rolled back on purpose")
            uow.commit()

    @rpc
    def health(self) -> dict[str, str]:
        return {"service": self.name, "status": "UP", "version": "test"}


def _record(uow: UnitOfWork, handler: str, body: dict[str, Any]) -> None:
    envelope = Envelope.from_dict(body)
    note = envelope.payload["note"]
    attempts[f"{handler}:{note}"] += 1
    if not uow.claim(f"audit.{handler}", envelope):
        duplicates[f"{handler}:{note}"] += 1
        return
    if note.startswith("fail"):
        cured = uow.session.execute(select(healed).where(healed.c.note == note)).first()
        if not cured:
            raise RuntimeError(f"boom: cannot take {note}")
    uow.session.execute(
        insert(seen).values(
            handler=handler,
            event_id=envelope.event_id,
            note=note,
            correlation_id=envelope.correlation_id,
        )
    )
    uow.commit()


def seen_count(engine: Engine, note: str) -> int:
    """How many of a consumer's handlers have recorded `note` (on its database)."""
    with engine.connect() as conn:
        query = select(func.count()).where(seen.c.note == note)
        return int(conn.execute(query).scalar_one())


class Audit:
    """Consumer with two idempotent, retrying handlers of the same event (its
    queues all of the configured type: `common.queues` moves them)."""

    name = "audit"
    uow = Storage("audit", audit_metadata, relay=False)

    @event_handler("ledger", "entry_recorded")
    def first(self, body: dict[str, Any]) -> None:
        with self.uow() as uow:
            _record(uow, "first", body)

    @event_handler("ledger", "entry_recorded")
    def second(self, body: dict[str, Any]) -> None:
        with self.uow() as uow:
            _record(uow, "second", body)

    @replying.rpc
    def heal(self, note: str) -> None:
        with self.uow() as uow:
            uow.session.execute(insert(healed).values(note=note))
            uow.commit()

    @replying.rpc
    def counters(self, note: str) -> dict[str, int]:
        return {
            f"{kind}:{h}": counter[f"{h}:{note}"]
            for kind, counter in (("attempts", attempts), ("duplicates", duplicates))
            for h in ("first", "second")
        }

    @replying.rpc
    def health(self) -> dict[str, str]:
        return {"service": self.name, "status": "UP", "version": "test"}


class Plain:
    """A plain nameko handler: proves relayed events need nothing special."""

    name = "plain"

    @plain_event_handler("ledger", "entry_recorded")
    def on_entry(self, body: dict[str, Any]) -> None:
        plain_received.append(body)

    @rpc
    def received(self) -> list[dict[str, Any]]:
        return plain_received

    @rpc
    def health(self) -> dict[str, str]:
        return {"service": self.name, "status": "UP", "version": "test"}


naps: Counter[str] = Counter()


class Napper:
    """Entrypoints of `common.nameko_ext.rpc`: a slow call whose reply may
    find the broker gone."""

    name = "napper"

    @replying.rpc
    def nap(self, seconds: float) -> str:
        naps["started"] += 1
        eventlet.sleep(seconds)
        return "rested"

    @replying.rpc
    def naps_started(self) -> int:
        return naps["started"]

    @replying.rpc
    def health(self) -> dict[str, str]:
        return {"service": self.name, "status": "UP", "version": "test"}


class Watchful(Audit):
    """Audit's handlers on a database a test takes away (its URL goes through
    a proxy the test cuts)."""

    name = "watchful"
    uow = Storage("watchful", audit_metadata, relay=False)


def _crash_on(body: dict[str, Any]) -> None:
    """A "crash-" note kills the process mid-handling, before any ack, as a
    segfault or the kernel's OOM killer would."""
    if Envelope.from_dict(body).payload["note"].startswith("crash"):
        os._exit(70)


class Fragile(Audit):
    """Audit's handlers, which a "crash-" note kills together with their
    process, every time it comes."""

    name = "fragile"
    uow = Storage("fragile", audit_metadata, relay=False)

    @event_handler("ledger", "entry_recorded")
    def first(self, body: dict[str, Any]) -> None:
        _crash_on(body)
        with self.uow() as uow:
            _record(uow, "first", body)

    @event_handler("ledger", "entry_recorded")
    def second(self, body: dict[str, Any]) -> None:
        _crash_on(body)
        with self.uow() as uow:
            _record(uow, "second", body)
