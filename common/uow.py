"""The unit of work: one transaction for a state change and the events it causes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session, sessionmaker

from common import correlation, tracing
from common.clock import Clock
from common.clock_control import service_clock
from common.db import autocommit
from common.envelope import Envelope
from common.fastpaths.psycopg2 import send_waiting, writes_together
from common.upsert import insert_many_unless_taken

# An event's payload: one of contracts.events' TypedDicts (or a plain dict).
Payload = Mapping[str, Any]


class UnitOfWork:
    """Open a session; `emit` writes events to the outbox in the same transaction.

    Services subclass it (`services/<name>/service_layer/unit_of_work.py`)
    to attach their repositories in `_start`; `clock` is the service's clock.
    Nothing is committed unless `commit` is called; leaving the block rolls
    back the rest.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        producer: str,
        outbox: Table,
        processed: Table,
        on_commit: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.producer = producer
        # The service's time (`common.clock`): handlers read `uow.clock`.
        self.clock = clock or service_clock(producer, session_factory)
        self._outbox = outbox
        self._processed = processed
        self._on_commit = on_commit
        self._outbox_rows: list[dict[str, Any]] = []
        self._read_only = False
        self.session: Session

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._outbox_rows = []
        self._read_only = False
        self._start()
        return self

    def _start(self) -> None:
        """Hook for subclasses: build repositories on `self.session`."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._read_only:
            # Nothing to roll back: close() alone releases the connection
            # (~50 us less CPU per read than rollback() first).
            self.session.close()
            return
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def read_only(self) -> Self:
        """Run this unit's statements outside a transaction: no BEGIN and no
        ROLLBACK round trips around a read. Only for work that writes nothing;
        each statement reads the latest committed data, as it would under
        READ COMMITTED anyway. Call first, before any statement."""
        autocommit(self.session.connection().connection.dbapi_connection)
        self._read_only = True
        return self

    def emit(
        self, event_type: str, payload: Payload, schema_version: int = 1
    ) -> Envelope:
        return self._write_outbox([(event_type, payload)], schema_version)[0]

    def emit_all(self, event_type: str, payloads: Iterable[Payload]) -> list[Envelope]:
        """One event of `event_type` per payload (batch jobs)."""
        return self.emit_many((event_type, payload) for payload in payloads)

    def emit_many(
        self, events: Iterable[tuple[str, Payload]], schema_version: int = 1
    ) -> list[Envelope]:
        """Outbox rows for these events, written with the transaction's commit."""
        return self._write_outbox(events, schema_version)

    def _write_outbox(
        self, events: Iterable[tuple[str, Payload]], schema_version: int
    ) -> list[Envelope]:
        now = datetime.now(UTC)
        cid = correlation.current()
        events = list(events)
        trace_context = tracing.outbox_span(self.producer, [t for t, _ in events])
        envelopes = [
            Envelope(
                type=event_type,
                producer=self.producer,
                # A dict at run time: contracts.events' TypedDicts are dicts.
                payload=cast(dict[str, Any], payload),
                schema_version=schema_version,
                correlation_id=cid,
                trace_context=trace_context,
            )
            for event_type, payload in events
        ]
        # Written at commit, all in one round trip, in the order emitted.
        self._outbox_rows.extend(
            {
                "event_id": e.event_id,
                "event_type": e.type,
                "producer": self.producer,
                "envelope": e.to_dict(),
                "created_at": now,
            }
            for e in envelopes
        )
        return envelopes

    def claim(self, consumer: str, envelope: Envelope) -> bool:
        """Record that `consumer` handles this event; False if it already had.

        The row is written in this transaction, so a handler that fails leaves
        no record and the retry runs it again. One round trip: the insert
        either adds the row or finds the key taken.
        """
        values = _processed_row(consumer, envelope, datetime.now(UTC))
        dialect = self.session.get_bind().dialect.name
        if dialect not in ("postgresql", "sqlite"):  # check, then insert
            return self._claim_portably(values)
        return bool(
            insert_many_unless_taken(
                self.session, self._processed, [values], ("event_id",)
            )
        )

    def claim_many(
        self, claims: Iterable[tuple[str, Envelope]]
    ) -> set[tuple[str, str]]:
        """`claim` for a batch: the (consumer, event id) pairs newly claimed.

        One round trip on PostgreSQL and SQLite (`INSERT .. ON CONFLICT DO
        NOTHING RETURNING`); a pair repeated within the batch is claimed once.
        """
        stamp = datetime.now(UTC)
        rows = {
            (consumer, e.event_id): _processed_row(consumer, e, stamp)
            for consumer, e in claims
        }
        if not rows:
            return set()
        dialect = self.session.get_bind().dialect.name
        if dialect not in ("postgresql", "sqlite"):
            return {key for key, values in rows.items() if self._claim_portably(values)}
        found = insert_many_unless_taken(
            self.session, self._processed, list(rows.values()), ("consumer", "event_id")
        )
        return {(r[0], r[1]) for r in found}

    def _claim_portably(self, values: dict[str, Any]) -> bool:
        seen = self.session.execute(
            select(self._processed.c.event_id).where(
                self._processed.c.consumer == values["consumer"],
                self._processed.c.event_id == values["event_id"],
            )
        ).first()
        if seen:
            return False
        self.session.execute(insert(self._processed).values(**values))
        return True

    def writes_together(self) -> AbstractContextManager[None]:
        """Hold the block's writes back and send them in one round trip
        (`common.fastpaths.psycopg2`): for writes whose row counts nobody reads."""
        return writes_together(self.session)

    def commit(self) -> None:
        rows, self._outbox_rows = self._outbox_rows, []
        if rows:
            # inline: no implicit RETURNING of the id, so inside a
            # `writes_together` block it waits with the other writes.
            self.session.execute(insert(self._outbox).inline(), rows)
        send_waiting(self.session.connection())  # what such a block holds
        self.session.commit()
        if rows and self._on_commit:
            self._on_commit()

    def rollback(self) -> None:
        self.session.rollback()
        self._outbox_rows = []


def _processed_row(consumer: str, e: Envelope, at: datetime) -> dict[str, Any]:
    return {
        "consumer": consumer,
        "event_id": e.event_id,
        "event_type": e.type,
        "processed_at": at,
    }
