"""The pruner deletes published outbox rows and processed-event records older
than the retention window, in small batches, and nothing else: unpublished
rows stay, and so does every record a message that comes again could still
need. On PostgreSQL and on SQLite, on a migrated service database."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from common.config import EventRetry
from common.db import make_engine, make_session_factory
from common.envelope import Envelope
from common.migrate import upgrade
from common.retention import Pruner, Retention, RetentionTooShort, retry_path
from common.uow import UnitOfWork
from services.members.adapters.orm import outbox, processed_events
from tests.support import infra

RETRY = EventRetry(max_attempts=3, base_delay_ms=1000)
REPLAY_WITHIN = timedelta(hours=168)
# The shortest window allowed: exactly the longest redelivery.
SHORTEST = retry_path(RETRY) + REPLAY_WITHIN
CONSUMER = "members.on_payment_succeeded"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    def made(url: str) -> Engine:
        upgrade("members", url)
        return make_engine(url, pool_size=2, max_overflow=2)

    if request.param == "sqlite":
        built = made(f"sqlite:///{tmp_path / 'members.db'}")
        yield built
        built.dispose()
        return
    with infra.scratch_database("retention") as url:
        built = made(url)
        try:
            yield built
        finally:
            built.dispose()


def pruner(engine: Engine, window: timedelta = SHORTEST, batch: int = 3) -> Pruner:
    retention = Retention(
        window=window,
        replay_within=REPLAY_WITHIN,
        retry=RETRY,
        batch_size=batch,
        pause_seconds=0,
    )
    return Pruner(make_session_factory(engine), outbox, processed_events, retention)


def outbox_row(at: datetime, published: bool) -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": "member_updated",
        "producer": "members",
        "envelope": {},
        "created_at": at,
        "published_at": at if published else None,
    }


def record(at: datetime) -> dict[str, object]:
    return {
        "consumer": CONSUMER,
        "event_id": str(uuid.uuid4()),
        "event_type": "payment_succeeded",
        "processed_at": at,
    }


def remaining(engine: Engine) -> tuple[set[str], set[str]]:
    with engine.connect() as conn:
        events = set(conn.execute(select(outbox.c.event_id)).scalars())
        records = set(conn.execute(select(processed_events.c.event_id)).scalars())
    return events, records


def test_prunes_old_published_rows_and_old_records_only(engine: Engine) -> None:
    now = datetime.now(UTC)
    old, young = now - SHORTEST - timedelta(minutes=1), now - timedelta(hours=1)
    # Interleaved, more than a batch of each: the walk crosses several ranges.
    rows = [
        outbox_row(at, published)
        for _ in range(4)
        for at, published in ((old, True), (old, False), (old, True), (young, True))
    ]
    records = [record(at) for _ in range(4) for at in (old, young, old)]
    with engine.begin() as conn:
        conn.execute(insert(outbox), rows)
        conn.execute(insert(processed_events), records)

    pruned = pruner(engine).prune(now)

    events, kept_records = remaining(engine)
    assert events == {
        r["event_id"]
        for r in rows
        if r["published_at"] is None or r["created_at"] == young
    }
    assert kept_records == {
        r["event_id"] for r in records if r["processed_at"] == young
    }
    assert (pruned.outbox, pruned.processed) == (8, 8)
    # Unpublished, however old: still waiting for the relay.
    assert len([r for r in rows if r["published_at"] is None]) == 4


def handle(
    sessions: sessionmaker[Session], envelope: Envelope, effects: list[str]
) -> None:
    """A handler as the services write them: claim, then act, one commit."""
    with UnitOfWork(sessions, "members", outbox, processed_events) as uow:
        if uow.claim(CONSUMER, envelope):
            effects.append(envelope.event_id)
        uow.commit()


def test_never_removes_a_record_a_redelivered_message_could_still_need(
    engine: Engine,
) -> None:
    sessions = make_session_factory(engine)
    effects: list[str] = []
    event = Envelope(type="payment_succeeded", producer="payments", payload={})
    handle(sessions, event, effects)
    with engine.connect() as conn:
        handled_at = conn.execute(
            select(processed_events.c.processed_at).where(
                processed_events.c.event_id == event.event_id
            )
        ).scalar_one()
    if handled_at.tzinfo is None:  # SQLite
        handled_at = handled_at.replace(tzinfo=UTC)
    # An older record, beyond any redelivery: the same run prunes it.
    stale = record(handled_at - SHORTEST - timedelta(seconds=1))
    with engine.begin() as conn:
        conn.execute(insert(processed_events), [stale])

    # A copy of the event (its ack lost, or published twice) fails its
    # retries, is parked, and is replayed at the last moment allowed; the
    # pruner runs, with the shortest window allowed, just before it comes.
    latest_copy = handled_at + retry_path(RETRY) + REPLAY_WITHIN
    pruned = pruner(engine).prune(latest_copy)
    handle(sessions, event, effects)

    assert effects == [event.event_id]  # handled once
    assert pruned.processed == 1
    assert remaining(engine)[1] == {event.event_id}


def test_a_window_shorter_than_a_redelivery_is_refused() -> None:
    with pytest.raises(RetentionTooShort, match=r"^EVENT_RETENTION_HOURS: "):
        Retention(
            window=SHORTEST - timedelta(seconds=1),
            replay_within=REPLAY_WITHIN,
            retry=RETRY,
        )


def test_a_row_another_transaction_holds_is_skipped_not_waited_for() -> None:
    """PostgreSQL: the pruner takes no lock anyone waits on, and waits on none."""
    with infra.scratch_database("retention_lock") as url:
        upgrade("members", url)
        engine = make_engine(url, pool_size=2, max_overflow=2)
        try:
            now = datetime.now(UTC)
            old = now - SHORTEST - timedelta(minutes=1)
            held, free = record(old), record(old)
            with engine.begin() as conn:
                conn.execute(insert(processed_events), [held, free])
            with engine.connect() as holder:
                holder.execute(
                    update(processed_events)
                    .where(processed_events.c.event_id == held["event_id"])
                    .values(event_type="payment_succeeded")
                )  # its row lock is held until the rollback below
                done = threading.Event()

                def prune() -> None:
                    pruner(engine).prune(now)
                    done.set()

                worker = threading.Thread(target=prune, daemon=True)
                worker.start()
                finished = done.wait(20)
                holder.rollback()
                worker.join(20)
            assert finished, "the pruner waited on a row lock"
            # The held record is left for the next run; the other one went.
            assert remaining(engine)[1] == {held["event_id"]}
            assert free["event_id"] != held["event_id"]
        finally:
            engine.dispose()
