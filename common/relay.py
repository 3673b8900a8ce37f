"""The outbox relay: publishes committed events, then marks them sent.

It runs beside each service (see `common.nameko_ext.storage`). An event is
marked sent only after the broker confirmed it, so a crash between commit and
publish delays an event but never loses it; a crash between confirm and mark
publishes it again, which idempotent consumers absorb.

Confirms are pipelined: the relay publishes a whole batch on a channel in
confirm mode, then waits for the broker's acks (which may cover several
messages at once). Only the confirmed prefix of the batch, in id order, is
marked sent; a nack, a timeout or a lost connection leaves the rest unsent for
the next attempt on a new connection.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from kombu.connection import Connection
from kombu.messaging import Producer
from sqlalchemy import Select, Table, Update, select, update
from sqlalchemy.orm import Session, sessionmaker

from common import amqp, config, metrics
from common.fastpaths.psycopg2 import along_with_next, writes_together

log = logging.getLogger(__name__)


class PublishNotConfirmed(Exception):
    """The broker nacked a message, or did not confirm it in time."""


class Confirms:
    """Tracks a confirm-mode channel's acks and nacks by delivery tag.

    The broker numbers a channel's publishes 1, 2, 3...; an ack or nack with
    `multiple` covers every tag up to and including its own.
    """

    def __init__(self) -> None:
        self.published = 0  # the last delivery tag used on the channel
        self._acked_through = 0
        self._acked: set[int] = set()
        self.nacked: int | None = None  # the lowest nacked tag, if any

    def on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._acked_through = max(self._acked_through, delivery_tag)
        else:
            self._acked.add(delivery_tag)

    def on_nack(self, delivery_tag: int, multiple: bool) -> None:
        # With `multiple`, every tag up to this one is nacked; the lowest one
        # still unconfirmed is the first the prefix cannot pass.
        first = self.confirmed_through() + 1 if multiple else delivery_tag
        if self.nacked is None or first < self.nacked:
            self.nacked = first

    def confirmed_through(self) -> int:
        """The highest tag such that it and every tag before it were acked."""
        through = self._acked_through
        while through + 1 in self._acked:
            through += 1
        if self._acked:
            self._acked = {tag for tag in self._acked if tag > through}
        self._acked_through = through
        if self.nacked is not None:
            through = min(through, self.nacked - 1)
        return through


def oldest_unpublished(outbox: Table, limit: int) -> Select[tuple[int, Any]]:
    """The oldest events not yet published, in id order (the order they are
    published in)."""
    o = outbox.c
    return (
        select(o.id, o.envelope)
        .where(o.published_at.is_(None))
        .order_by(o.id)
        .limit(limit)
    )


# The outbox is a queue: what the planner knows of it (how many rows wait) is
# stale a moment after it is measured. Given few waiting rows, it picks a
# bitmap scan, which re-reads every dead row version the index still points
# to (one per event published since the last vacuum: milliseconds per poll
# under load). An ordered scan of the partial index marks those entries dead
# as it passes them, and stops at the batch's size; the relay's transaction
# tells the planner to take it. `SET LOCAL` lasts until the transaction ends,
# so it works through PgBouncer in transaction mode (which refuses startup
# `options`, and hands a session-level `SET` on to other clients); it rides
# on the relay's UPDATE in one query string, no round trip of its own.
RELAY_PLANNER = "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off"


def take_unpublished(outbox: Table, limit: int, now: datetime) -> Update:
    """`oldest_unpublished`, marked published as they are taken (PostgreSQL).
    Several instances of a service share the outbox without racing: rows
    another one took are locked, and skipped."""
    o = outbox.c
    taken = (
        oldest_unpublished(outbox, limit)
        .with_only_columns(o.id)
        .with_for_update(skip_locked=True)
    )
    return (
        update(outbox)
        .where(o.id.in_(taken.scalar_subquery()))
        .values(published_at=now)
        .returning(o.id, o.envelope)
    )


class OutboxRelay:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        outbox: Table,
        amqp_uri: str,
        batch_size: int = 200,
        idle_poll_seconds: float = 1.0,
        confirm_timeout: float = 30.0,
    ) -> None:
        self._sessions = session_factory
        self._outbox = outbox
        self._uri = amqp_uri
        self._batch = batch_size
        self._idle = idle_poll_seconds
        self._confirm_timeout = confirm_timeout
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._conn: Connection | None = None
        self._producer: Producer | None = None
        self._confirms = Confirms()
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
        """Publish one batch of unsent events in order; return how many.

        On PostgreSQL the batch is marked sent as it is taken (`UPDATE ..
        RETURNING`, one round trip, rows locked with SKIP LOCKED), in a
        transaction committed only once the broker confirmed it; whatever was
        not confirmed is unmarked first, and a crash before the commit leaves
        every row unsent. On SQLite, where a write locks the whole database,
        the batch is read first and only its confirmed rows are marked after
        the broker's confirms, so writers never wait on the broker. Raises if
        any of the batch was not confirmed.
        """
        o = self._outbox.c
        with self._sessions() as session:
            marks_first = (
                session.bind is not None and session.bind.dialect.name == "postgresql"
            )
            if marks_first:
                take = take_unpublished(self._outbox, self._batch, datetime.now(UTC))
                with writes_together(session):
                    along_with_next(session, RELAY_PLANNER)
                    rows = sorted(session.execute(take).all())
            else:
                oldest = oldest_unpublished(self._outbox, self._batch)
                rows = list(session.execute(oldest).all())
            if not rows:
                session.commit()
                return 0
            # No broker: leaving without a commit unmarks a taken batch.
            producer = self._ensure_producer()
            confirms = self._confirms
            first_tag = confirms.published + 1
            try:
                for _row_id, envelope in rows:
                    self._declare(producer, envelope["producer"])
                with amqp.frames_together(producer.channel.connection):
                    for _row_id, envelope in rows:
                        amqp.publish_envelope(producer, envelope)
                        confirms.published += 1
                self._wait_for_confirms(confirms.published)
            finally:
                done = max(0, confirms.confirmed_through() - first_tag + 1)
                ids = [row_id for row_id, _ in rows]
                to_change, stamp = (
                    (ids[done:], None)
                    if marks_first
                    else (ids[:done], datetime.now(UTC))
                )
                if to_change:
                    session.execute(
                        update(self._outbox)
                        .where(o.id.in_(to_change))
                        .values(published_at=stamp)
                    )
                session.commit()
                self.published += done
                if done:  # one outbox, one producer
                    producer_name = rows[0][1]["producer"]
                    metrics.RELAY_PUBLISHED.labels(producer_name).inc(done)
            return done

    def _wait_for_confirms(self, last_tag: int) -> None:
        assert self._conn is not None
        confirms = self._confirms
        deadline = time.monotonic() + self._confirm_timeout
        while confirms.confirmed_through() < last_tag:
            if confirms.nacked is not None:
                raise PublishNotConfirmed(
                    f"broker nacked delivery tag {confirms.nacked}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishNotConfirmed(
                    f"no confirm within {self._confirm_timeout}s "
                    f"(confirmed through {confirms.confirmed_through()} of {last_tag})"
                )
            with contextlib.suppress(TimeoutError):
                self._conn.drain_events(timeout=min(remaining, 1.0))

    def _declare(self, producer: Producer, producer_name: str) -> None:
        """The producer's exchange, declared once per connection (the broker
        answers a declare, so never while frames are held back)."""
        if producer_name not in self._declared:
            amqp.event_exchange(producer_name).declare(channel=producer.channel)
            self._declared.add(producer_name)

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            # No kombu `confirm_publish` (it waits for each message's confirm):
            # the channel is put in confirm mode here and confirms are counted.
            # Several broker addresses: kombu tries the next when one fails.
            self._conn = Connection(self._uri)
            self._conn.ensure_connection(max_retries=config.connect_retries(self._uri))
            channel = self._conn.channel()
            confirms = Confirms()
            channel.events["basic_ack"].add(confirms.on_ack)
            channel.events["basic_nack"].add(confirms.on_nack)
            channel.confirm_select()
            self._confirms = confirms
            self._producer = Producer(channel)
        return self._producer

    def _disconnect(self) -> None:
        if self._conn is not None:
            # The connection may already be gone; releasing it is best effort.
            with contextlib.suppress(Exception):
                self._conn.release()
        self._conn = None
        self._producer = None
        self._confirms = Confirms()
        self._declared.clear()
