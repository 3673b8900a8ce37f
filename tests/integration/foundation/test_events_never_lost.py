"""The outbox, the relay, idempotent consumers and dead letters, for real:
RabbitMQ on the session's vhost, PostgreSQL, nameko service processes."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from kombu import Connection, Consumer, Queue
from kombu.message import Message
from sqlalchemy import create_engine, select

from common import amqp
from common.db import make_session_factory
from common.deadletters import DeadLetter, list_dead_letters, replay
from common.relay import OutboxRelay
from common.uow import UnitOfWork
from tests.integration.foundation import fixture_services as fx
from tests.support import infra
from tests.support.platform import Platform, free_port
from tests.support.tcpproxy import TcpProxy
from tests.support.wait import wait_until

SERVICES = (
    "ledger=tests.integration.foundation.fixture_services:Ledger",
    "audit=tests.integration.foundation.fixture_services:Audit",
    "plain=tests.integration.foundation.fixture_services:Plain",
)


@pytest.fixture(scope="module")
def fixture_dbs(run_id: str) -> Iterator[dict[str, str]]:
    urls = {}
    for name, metadata in (
        ("ledger", fx.ledger_metadata),
        ("audit", fx.audit_metadata),
    ):
        urls[name] = infra.create_database(f"t_{run_id}_fx_{name}")
        engine = create_engine(urls[name])
        metadata.create_all(engine)
        engine.dispose()
    yield urls
    for name in urls:
        infra.drop_database(f"t_{run_id}_fx_{name}")


@pytest.fixture(scope="module")
def infra_platform(platform: Platform, fixture_dbs: dict[str, str]) -> Platform:
    env = {f"{k.upper()}_DATABASE_URL": v for k, v in fixture_dbs.items()}
    platform.database_urls.update(fixture_dbs)
    platform.start(*SERVICES, env=env)
    return platform


def note(prefix: str = "n") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def parked(platform: Platform, text: str) -> list[DeadLetter]:
    """audit's dead letters of the note `text` (their error names it)."""
    letters = list_dead_letters("audit", platform.amqp_uri)
    return [d for d in letters if text in str(d.error)]


def both_parked(platform: Platform, text: str) -> list[DeadLetter]:
    """Once both of audit's handlers have parked the note `text`."""
    return wait_until(
        lambda: len(found := parked(platform, text)) == 2 and found,
        timeout=20,
        message="both handlers' messages parked",
    )


def seen_by_both(platform: Platform, text: str) -> None:
    """Until both of audit's handlers have recorded the note `text`."""

    def handled() -> bool:
        with platform.engine("audit").connect() as conn:
            rows = conn.execute(select(fx.seen).where(fx.seen.c.note == text)).all()
        return len(rows) == 2

    wait_until(handled, message="both handlers handled it")


def test_relayed_event_reaches_a_plain_nameko_handler_in_its_envelope(
    infra_platform: Platform,
) -> None:
    text = note()
    infra_platform.rpc("ledger", "record", text)
    received = wait_until(
        lambda: [
            e
            for e in infra_platform.rpc("plain", "received")
            if e["payload"]["note"] == text
        ],
        message="plain handler got the event",
    )
    envelope = received[0]
    assert envelope["type"] == "entry_recorded"
    assert envelope["producer"] == "ledger"
    assert envelope["schema_version"] == 1
    uuid.UUID(envelope["event_id"])
    assert envelope["occurred_at"] and envelope["correlation_id"]


def test_an_event_sent_twice_is_handled_once_by_each_consumer(
    infra_platform: Platform,
) -> None:
    text = note()
    event_id = str(uuid.uuid4())
    for _ in range(2):
        infra_platform.publish_event(
            "ledger", "entry_recorded", {"note": text}, event_id
        )
    counters = wait_until(
        lambda: (
            (c := infra_platform.rpc("audit", "counters", text))
            and c["duplicates:first"] == 1
            and c["duplicates:second"] == 1
            and c
        ),
        message="both deliveries handled by both consumers",
    )
    assert counters["attempts:first"] == 2 and counters["attempts:second"] == 2
    with infra_platform.engine("audit").connect() as conn:
        rows = conn.execute(select(fx.seen).where(fx.seen.c.note == text)).all()
    assert sorted(r.handler for r in rows) == ["first", "second"]


def test_a_handler_failing_three_times_is_parked_and_can_be_replayed(
    infra_platform: Platform,
) -> None:
    text = note("fail")
    infra_platform.rpc("ledger", "record", text)
    letters = both_parked(infra_platform, text)
    assert {d.attempts for d in letters} == {3}
    assert all("boom" in d.error and d.event_type == "entry_recorded" for d in letters)
    # Retries arrive through the default exchange; the origin is the first one.
    assert {(d.exchange, d.routing_key) for d in letters} == {
        ("ledger.events", "entry_recorded")
    }
    counters = infra_platform.rpc("audit", "counters", text)
    assert counters["attempts:first"] == 3 and counters["attempts:second"] == 3
    # It went through quorum queues: its handlers', two delay queues (their
    # dead-lettering at least once) and the dead-letter queue.
    queues = infra.queues(infra_platform.amqp_uri)
    audits = [q for name, q in queues.items() if "--audit." in name]
    retries = [q for q in audits if ".retry-" in q["name"]]
    assert len(retries) == 4, sorted(queues)  # 100 and 200 ms for each handler
    for queue in retries:
        assert queue["type"] == "quorum"
        assert queue["arguments"]["x-dead-letter-strategy"] == "at-least-once"
    assert len(audits) == 6 and {q["type"] for q in audits} == {"quorum"}
    assert queues["audit.dead-letters"]["type"] == "quorum"

    infra_platform.rpc("audit", "heal", text)
    event_ids = {d.event_id for d in letters}
    replayed = replay("audit", event_ids, infra_platform.amqp_uri).replayed
    assert len(replayed) == 2

    seen_by_both(infra_platform, text)
    assert not parked(infra_platform, text)


def test_a_letter_parked_past_the_replay_window_stays_parked_unless_told(
    infra_platform: Platform,
) -> None:
    text = note("fail-old")
    infra_platform.rpc("ledger", "record", text)
    letters = both_parked(infra_platform, text)
    infra_platform.rpc("audit", "heal", text)
    event_ids = {d.event_id for d in letters}
    # A week and an hour on (DEAD_LETTER_REPLAY_HOURS is 168): the records
    # that make a replay idempotent may be pruned, so nothing goes.
    later = max(datetime.fromisoformat(d.failed_at) for d in letters)
    late = replay(
        "audit", event_ids, infra_platform.amqp_uri, now=later + timedelta(hours=169)
    )
    assert late.replayed == [] and {d.event_id for d in late.kept} == event_ids
    assert len(parked(infra_platform, text)) == 2
    # Within the window it goes; past it only when the operator says so.
    within = replay(
        "audit", event_ids, infra_platform.amqp_uri, now=later + timedelta(hours=167)
    )
    assert within.kept == [] and len(within.replayed) == 2

    seen_by_both(infra_platform, text)
    assert not parked(infra_platform, text)


def test_a_body_that_is_not_json_is_parked_with_its_origin_and_replayed(
    infra_platform: Platform,
) -> None:
    event_id = str(uuid.uuid4())
    infra_platform.publish_raw(
        "ledger",
        "entry_recorded",
        b"{not json at all",
        headers={"nameko.event_id": event_id},
    )

    def parked() -> list[Any]:
        letters = list_dead_letters("audit", infra_platform.amqp_uri)
        return [d for d in letters if d.event_id == event_id]

    letters = wait_until(
        lambda: len(parked()) == 2 and parked(), message="both handlers parked it"
    )
    queues = {d.queue for d in letters}
    assert len(queues) == 2 and all(q.endswith(("first", "second")) for q in queues)
    for letter in letters:
        assert letter.attempts == 1  # no retry can decode it
        assert "cannot decode the body" in letter.error
        assert (letter.event_type, letter.exchange) == (
            "entry_recorded",
            "ledger.events",
        )
    failed_at = {d.failed_at for d in letters}

    # Replayed, it fails again and is parked again, its origin kept.
    assert len(replay("audit", {event_id}, infra_platform.amqp_uri).replayed) == 2
    again = wait_until(
        lambda: (
            len(found := parked()) == 2
            and not failed_at & {d.failed_at for d in found}
            and found
        ),
        message="parked again after the replay",
    )
    assert {(d.event_type, d.exchange, d.attempts) for d in again} == {
        ("entry_recorded", "ledger.events", 1)
    }
    assert {d.queue for d in again} == queues


def test_a_rolled_back_transaction_publishes_nothing(infra_platform: Platform) -> None:
    doomed, later = note("doomed"), note("later")
    with pytest.raises(Exception, match="rolled back on purpose"):
        infra_platform.rpc("ledger", "record", doomed, fail_before_commit=True)
    infra_platform.rpc("ledger", "record", later)

    def notes() -> set[str]:
        return {e["payload"]["note"] for e in infra_platform.rpc("plain", "received")}

    # The relay publishes in commit order, so once `later` is in, `doomed` would be.
    wait_until(lambda: later in notes(), message="the later event")
    assert doomed not in notes()
    with infra_platform.engine("ledger").connect() as conn:
        rows = conn.execute(select(fx.entries).where(fx.entries.c.note == doomed)).all()
    assert rows == []


def test_events_written_while_the_broker_is_unreachable_are_published_later(
    platform: Platform, fixture_dbs: dict[str, str]
) -> None:
    engine = create_engine(fixture_dbs["ledger"])
    sessions = make_session_factory(engine)
    outbox = fx.ledger_metadata.tables["outbox"]
    processed = fx.ledger_metadata.tables["processed_events"]
    port = free_port()
    broker_host = Connection(platform.amqp_uri)
    vhost = broker_host.virtual_host
    relay = OutboxRelay(
        sessions,
        outbox,
        f"amqp://guest:guest@127.0.0.1:{port}/{vhost}",
        idle_poll_seconds=0.1,
    )
    text = note("offline")
    with UnitOfWork(sessions, "ledger", outbox, processed, relay.wake) as uow:
        uow.emit("entry_recorded", {"note": text})
        uow.commit()

    received: list[dict[str, Any]] = []

    def keep(body: dict[str, Any], message: Message) -> None:
        received.append(body)
        message.ack()

    queue = Queue(
        f"test-offline-{text}",
        amqp.event_exchange("ledger"),
        routing_key="entry_recorded",
        auto_delete=True,
    )
    with Connection(platform.amqp_uri) as conn:
        channel = conn.channel()
        consumer = Consumer(
            channel,
            [queue],
            callbacks=[keep],
        )
        consumer.consume()
        thread = threading.Thread(target=relay.run, daemon=True)
        thread.start()
        try:
            wait_until(lambda: relay.failures >= 2, message="relay tried and failed")
            with sessions() as session:
                pending = session.execute(
                    select(outbox.c.published_at).where(
                        outbox.c.envelope["payload"]["note"].as_string() == text
                    )
                ).scalar_one()
            assert pending is None
            proxy = TcpProxy(port, ("127.0.0.1", 5672))
            proxy.start()
            try:

                def arrived() -> bool:
                    with contextlib.suppress(TimeoutError, OSError):
                        conn.drain_events(timeout=0.2)
                    return any(e["payload"]["note"] == text for e in received)

                wait_until(
                    arrived, timeout=20, interval=0, message="event after outage"
                )
            finally:
                relay.stop()
                thread.join(10)
                proxy.stop()
        finally:
            relay.stop()
    engine.dispose()
