"""Retention: published outbox rows and processed-event records, pruned.

Both tables only grow: the outbox keeps every event once published, and
`processed_events` a record of every event each handler took. The pruner
deletes those older than `EVENT_RETENTION_HOURS`, in small batches of
consecutive primary keys, one short transaction each, so neither the relay
nor a handler waits on it for long: each batch reads the next keys in order
(an index range), then deletes the old rows among them (on PostgreSQL
`FOR UPDATE SKIP LOCKED`: a row another transaction holds is left for the
next run). Unpublished outbox rows are never touched.

A processed-event record is what makes a handler idempotent: a message that
comes again finds it and is not handled twice. So the window must outlast
the latest moment a copy of a handled event can still arrive. That is, after
the handler took it, the path of a copy (a duplicate the relay publishes
again, a message whose ack was lost):

- the handler's retries: `EVENT_MAX_ATTEMPTS - 1` delays of
  `EVENT_RETRY_BASE_MS`, doubling, each at most 5 minutes, plus the retries
  through a database outage, `EVENT_OUTAGE_RETRY_SECONDS`
  (`common.config.EventRetry`), and then
- its wait in the dead-letter queue until someone replays it with
  `python -m common.deadletters replay`: `DEAD_LETTER_REPLAY_HOURS`, the
  longest an operator promises to leave a message parked.

`Retention.from_env` refuses a window shorter than their sum, naming the
setting; `docs/operations.md` says why.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from common.config import EventRetry, env

log = logging.getLogger(__name__)


class RetentionTooShort(ValueError):
    """`EVENT_RETENTION_HOURS` is shorter than a redelivery can take."""


def retry_path(retry: EventRetry) -> timedelta:
    """From a handler's first attempt to its last: the sum of the delays, and
    the retries through a database outage (`EventRetry.outage_seconds`)."""
    counted = sum(retry.delay_ms(a) for a in range(1, retry.max_attempts))
    outage = retry.outage_seconds * 1000
    if outage:  # the window, and the wait of the retry made at its very end
        outage += retry.OUTAGE_MAX_DELAY_MS
    return timedelta(milliseconds=counted + outage)


def replay_window() -> timedelta:
    """`DEAD_LETTER_REPLAY_HOURS`: the longest a message may stay parked and
    still be replayed safely (its copies' records are kept that long)."""
    return timedelta(hours=_hours("DEAD_LETTER_REPLAY_HOURS", "168"))


def _hours(name: str, default: str) -> float:
    raw = env(name, default)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}: not a number of hours: {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name}: must not be negative, got {raw!r}")
    return value


def _positive(name: str, default: str, kind: type[int] | type[float]) -> Any:
    raw = env(name, default)
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}: not a {kind.__name__}: {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name}: must be positive, got {raw!r}")
    return value


@dataclass(frozen=True)
class Retention:
    """How long published events and processed records are kept, and how
    the pruner goes about deleting the older ones."""

    window: timedelta | None  # None: keep everything (EVENT_RETENTION_HOURS=0)
    replay_within: timedelta  # DEAD_LETTER_REPLAY_HOURS
    retry: EventRetry
    batch_size: int = 500
    interval_seconds: float = 600.0
    pause_seconds: float = 0.05  # between batches: writers get their turn

    def __post_init__(self) -> None:
        if self.window is not None and self.window < self.longest_redelivery:
            raise RetentionTooShort(
                f"EVENT_RETENTION_HOURS: {_shown(self.window)} is shorter than "
                f"the longest a handled event can take to come again, "
                f"{_shown(self.longest_redelivery)} (the retries of "
                f"EVENT_MAX_ATTEMPTS={self.retry.max_attempts} and "
                f"EVENT_RETRY_BASE_MS={self.retry.base_delay_ms} and "
                f"EVENT_OUTAGE_RETRY_SECONDS={self.retry.outage_seconds:g}, "
                f"{_shown(retry_path(self.retry))}, plus "
                f"DEAD_LETTER_REPLAY_HOURS, {_shown(self.replay_within)}); a "
                f"shorter window could let such a message be handled twice"
            )

    @property
    def longest_redelivery(self) -> timedelta:
        return retry_path(self.retry) + self.replay_within

    @classmethod
    def from_env(cls, retry: EventRetry | None = None) -> Retention:
        hours = _hours("EVENT_RETENTION_HOURS", "336")
        return cls(
            window=timedelta(hours=hours) if hours else None,
            replay_within=replay_window(),
            retry=retry or EventRetry.from_env(),
            batch_size=_positive("RETENTION_BATCH_SIZE", "500", int),
            interval_seconds=_positive("RETENTION_INTERVAL_SECONDS", "600", float),
        )


def _shown(span: timedelta) -> str:
    seconds = span.total_seconds()
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    return f"{seconds:g} s"


@dataclass(frozen=True)
class Pruned:
    outbox: int
    processed: int


class Pruner:
    """Deletes what `Retention` lets go, on a timer of its own (`run`)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        outbox: Table,
        processed: Table,
        retention: Retention,
    ) -> None:
        self._sessions = session_factory
        self._outbox = outbox
        self._processed = processed
        self.retention = retention
        self._stopped = threading.Event()
        self.runs = 0  # counters for health and tests
        self.failures = 0

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        """Prune every `interval_seconds`, the first time one interval after
        start: a message redelivered when the service comes back after a long
        stop is handled (or found handled) before anything is pruned."""
        if self.retention.window is None:
            return
        while not self._stopped.wait(self.retention.interval_seconds):
            try:
                pruned = self.prune()
                self.runs += 1
                if pruned.outbox or pruned.processed:
                    log.info(
                        "pruned %d published outbox rows and %d processed-event "
                        "records older than %s",
                        pruned.outbox,
                        pruned.processed,
                        self.retention.window,
                    )
            except Exception as exc:  # the database may be away: next time
                self.failures += 1
                log.warning("pruning failed, will try again: %s", exc)

    def prune(self, now: datetime | None = None) -> Pruned:
        """Delete, batch by batch, what is older than the window at `now`."""
        window = self.retention.window
        if window is None:
            return Pruned(0, 0)
        cutoff = (now or datetime.now(UTC)) - window
        o, p = self._outbox.c, self._processed.c
        outbox = self._walk(
            self._outbox,
            [o.id],
            o.published_at < cutoff,
            young=o.created_at,
            cutoff=cutoff,
        )
        processed = self._walk(
            self._processed, [p.consumer, p.event_id], p.processed_at < cutoff
        )
        return Pruned(outbox, processed)

    def _walk(
        self,
        table: Table,
        key: Sequence[Any],
        old: ColumnElement[bool],
        young: Any = None,
        cutoff: datetime | None = None,
    ) -> int:
        """Walk `table` in primary-key order, `batch_size` keys a transaction,
        deleting the `old` rows of each range. With `young`, stop at a range
        whose rows all have `young >= cutoff` (the later ones are younger)."""
        deleted = 0
        after: tuple[Any, ...] | None = None
        keyed = tuple_(*key) if len(key) > 1 else key[0]
        while not self._stopped.is_set():
            with self._sessions() as session:
                columns = [*key, young] if young is not None else list(key)
                page = select(*columns).order_by(*key).limit(self.retention.batch_size)
                if after is not None:
                    page = page.where(keyed > _bound(after))
                rows = session.execute(page).all()
                if not rows:
                    session.commit()
                    return deleted
                first, last = _key(rows[0], len(key)), _key(rows[-1], len(key))
                victims = select(*key).where(
                    and_(keyed >= _bound(first), keyed <= _bound(last), old)
                )
                if session.get_bind().dialect.name == "postgresql":
                    victims = victims.with_for_update(skip_locked=True)
                result = session.execute(
                    delete(table).where(keyed.in_(victims)),
                    execution_options={"synchronize_session": False},
                )
                session.commit()
            deleted += int(getattr(result, "rowcount", 0) or 0)
            after = last
            if len(rows) < self.retention.batch_size:
                return deleted
            if (
                young is not None
                and cutoff is not None
                and all(_aware(row[-1]) >= cutoff for row in rows)
            ):
                return deleted
            self._stopped.wait(self.retention.pause_seconds)
        return deleted


def _key(row: Any, width: int) -> tuple[Any, ...]:
    return tuple(row[:width])


def _bound(key: tuple[Any, ...]) -> Any:
    return tuple_(*key) if len(key) > 1 else key[0]


def _aware(stamp: datetime) -> datetime:
    """SQLite hands timestamps back without their zone (they were UTC)."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
