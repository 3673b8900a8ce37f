"""The unit of work: one transaction for a state change and the events it causes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from common import correlation
from common.envelope import Envelope


class UnitOfWork:
    """Open a session; `emit` writes events to the outbox in the same transaction.

    Services subclass it to attach their repositories in `_start`. Nothing is
    committed unless `commit` is called; leaving the block rolls back the rest.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        producer: str,
        outbox: Table,
        processed: Table,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.producer = producer
        self._outbox = outbox
        self._processed = processed
        self._on_commit = on_commit
        self._emitted = 0
        self.session: Session

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._emitted = 0
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
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def emit(
        self, event_type: str, payload: dict[str, Any], schema_version: int = 1
    ) -> Envelope:
        envelope = Envelope(
            type=event_type,
            producer=self.producer,
            payload=payload,
            schema_version=schema_version,
            correlation_id=correlation.current(),
        )
        self.session.execute(
            insert(self._outbox).values(
                event_id=envelope.event_id,
                event_type=event_type,
                producer=self.producer,
                envelope=envelope.to_dict(),
                created_at=datetime.now(UTC),
            )
        )
        self._emitted += 1
        return envelope

    def claim(self, consumer: str, envelope: Envelope) -> bool:
        """Record that `consumer` handles this event; False if it already had.

        The row is written in this transaction, so a handler that fails leaves
        no record and the retry runs it again. One round trip: the insert
        either adds the row or finds the key taken.
        """
        values = {
            "consumer": consumer,
            "event_id": envelope.event_id,
            "event_type": envelope.type,
            "processed_at": datetime.now(UTC),
        }
        dialect = self.session.get_bind().dialect.name
        insert_fn = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(dialect)
        if insert_fn is None:  # any other database: check, then insert
            return self._claim_portably(values)
        statement = insert_fn(self._processed).values(**values)
        result = self.session.execute(
            statement.on_conflict_do_nothing()  # type: ignore[attr-defined]
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

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

    def commit(self) -> None:
        self.session.commit()
        if self._emitted and self._on_commit:
            self._on_commit()
        self._emitted = 0

    def rollback(self) -> None:
        self.session.rollback()
        self._emitted = 0
