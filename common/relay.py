"""The outbox relay: publishes committed events, then marks them sent.

It runs beside each service (see `common.nameko_ext.storage`). An event is
marked sent only after the broker confirmed it, so a crash between commit and
publish delays an event but never loses it; a crash between confirm and mark
publishes it again, which idempotent consumers absorb.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import UTC, datetime
from typing import Any

from kombu import Connection, Producer
from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, sessionmaker

from common import amqp

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        outbox: Table,
        amqp_uri: str,
        batch_size: int = 200,
        idle_poll_seconds: float = 1.0,
    ) -> None:
        self._sessions = session_factory
        self._outbox = outbox
        self._uri = amqp_uri
        self._batch = batch_size
        self._idle = idle_poll_seconds
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._conn: Connection | None = None
        self._producer: Producer | None = None
        self._declared: set[str] = set()
        self.published = 0  # counters for health and tests
        self.failures = 0

    def wake(self) -> None:
        """Called after a commit that wrote events: publish now, not at next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        backoff = 0.2
        while not self._stopped.is_set():
            try:
                sent = self.publish_pending()
                backoff = 0.2
            except Exception as exc:
                self.failures += 1
                log.warning("outbox relay cannot publish yet: %s", exc)
                self._disconnect()
                self._stopped.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if sent < self._batch:
                self._wake.wait(self._idle)
                self._wake.clear()
        self._disconnect()

    def publish_pending(self) -> int:
        """Publish one batch of unsent events in order; return how many."""
        with self._sessions() as session:
            query = (
                select(self._outbox.c.id, self._outbox.c.envelope)
                .where(self._outbox.c.published_at.is_(None))
                .order_by(self._outbox.c.id)
                .limit(self._batch)
            )
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                # Several instances of a service share the outbox without racing.
                query = query.with_for_update(skip_locked=True)
            rows = session.execute(query).all()
            if not rows:
                return 0
            producer = self._ensure_producer()
            sent: list[int] = []
            try:
                for row_id, envelope in rows:
                    self._publish(producer, envelope)
                    sent.append(row_id)
            finally:
                if sent:
                    session.execute(
                        update(self._outbox)
                        .where(self._outbox.c.id.in_(sent))
                        .values(published_at=datetime.now(UTC))
                    )
                session.commit()
            self.published += len(sent)
            return len(sent)

    def _publish(self, producer: Producer, envelope: dict[str, Any]) -> None:
        exchange = amqp.event_exchange(envelope["producer"])
        if exchange.name not in self._declared:
            exchange.declare(channel=producer.channel)
            self._declared.add(exchange.name)
        amqp.publish_envelope(producer, envelope)

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            self._conn = amqp.connection(self._uri)
            self._conn.ensure_connection(max_retries=1)
            self._producer = Producer(self._conn.channel())
        return self._producer

    def _disconnect(self) -> None:
        if self._conn is not None:
            # The connection may already be gone; releasing it is best effort.
            with contextlib.suppress(Exception):
                self._conn.release()
        self._conn = None
        self._producer = None
        self._declared.clear()
