"""`python -m common.queues migrate`: a service's classic queues, holding
messages, become quorum queues of the same names, and every message arrives
exactly once at the service started again, including those published while
the move runs."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Producer
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from common import amqp
from common.deadletters import list_dead_letters, replay
from tests.integration.foundation import fixture_services as fx
from tests.support import infra
from tests.support.platform import REPO_ROOT, Platform
from tests.support.wait import wait_until

AUDIT = "tests.integration.foundation.fixture_services:Audit"
WAITING = 60  # events published while the service is stopped


@pytest.fixture
def own_platform(run_id: str, tmp_path: Path) -> Iterator[Platform]:
    """A vhost and an audit database of this test's own: its queues start
    classic, whatever the session's platform declared."""
    uri = infra.create_vhost(f"test-{run_id}-migrate")
    url = infra.create_database(f"t_{run_id}_migrate_audit")
    engine = create_engine(url)
    fx.audit_metadata.create_all(engine)
    engine.dispose()
    platform = Platform(uri, {"audit": url}, tmp_path)
    try:
        yield platform
    finally:
        platform.shutdown()
        infra.delete_vhost(f"test-{run_id}-migrate")
        infra.drop_database(f"t_{run_id}_migrate_audit")


def request_heal(platform: Platform, note: str) -> None:
    """An RPC request left in the service's queue (its reply goes nowhere)."""
    with amqp.connection(platform.amqp_uri) as conn:
        Producer(conn.channel()).publish(
            {"args": [note], "kwargs": {}},
            exchange="nameko-rpc",
            routing_key="audit.heal",
            reply_to="nobody",
            correlation_id=str(uuid.uuid4()),
            serializer="json",
            delivery_mode=2,
        )


def waiting(platform: Platform, queue: str) -> int:
    """Messages ready in `queue`, from the queue itself (`rabbitmqctl`'s
    counts of a quorum queue are statistics, a few seconds late)."""
    with amqp.connection(platform.amqp_uri) as conn:
        return int(conn.channel().queue_declare(queue, passive=True).message_count)


def migrate(platform: Platform) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "common.queues", "migrate", AUDIT],
        env={**platform.env, "AMQP_URI": platform.amqp_uri},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_classic_queues_move_to_quorum_with_every_message_once(
    own_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = own_platform
    # The deadletters command, here in the test, declares as the services do.
    monkeypatch.setenv("AMQP_QUEUE_TYPE", "classic")
    platform.start(f"audit={AUDIT}", env={"AMQP_QUEUE_TYPE": "classic"})
    # A parked event: through the classic retry queues into the dead letters.
    poison = f"fail-{uuid.uuid4().hex[:8]}"
    platform.publish_event("ledger", "entry_recorded", {"note": poison})
    wait_until(
        lambda: len(list_dead_letters("audit", platform.amqp_uri)) == 2,
        timeout=30,
        message="the poison parked by both handlers",
    )
    platform.stop("audit")
    run = uuid.uuid4().hex[:8]
    notes = [f"waiting-{run}-{n}" for n in range(WAITING)]
    for text in notes:  # each confirmed by the broker
        platform.publish_event("ledger", "entry_recorded", {"note": text})
    request_heal(platform, poison)
    before = infra.queues(platform.amqp_uri)
    handlers = [f"evt-ledger-entry_recorded--audit.{h}" for h in ("first", "second")]
    for name in handlers:
        assert (before[name]["type"], before[name]["messages"]) == ("classic", WAITING)
    assert (before["rpc-audit"]["type"], before["rpc-audit"]["messages"]) == (
        "classic",
        1,
    )
    assert before["audit.dead-letters"]["messages"] == 2

    # Producers carry on while the queues move.
    during: list[str] = []
    moving = threading.Event()
    moving.set()

    def publish_meanwhile() -> None:
        while moving.is_set() or len(during) < 5:
            text = f"during-{run}-{len(during)}"
            platform.publish_event("ledger", "entry_recorded", {"note": text})
            during.append(text)

    publisher = threading.Thread(target=publish_meanwhile)
    publisher.start()
    try:
        report = migrate(platform)
    finally:
        moving.clear()
        publisher.join(30)
    # Two handler queues, their four retry queues, the RPC and dead-letter queues.
    assert "8 queue(s) moved to quorum" in report, report

    after = infra.queues(platform.amqp_uri)
    assert not [name for name in after if name.endswith(".moving")], sorted(after)
    moved = [*handlers, "rpc-audit", "audit.dead-letters"]
    assert {after[name]["type"] for name in moved} == {"quorum"}, after
    assert waiting(platform, "rpc-audit") == 1, report
    assert waiting(platform, "audit.dead-letters") == 2, report
    assert all(waiting(platform, name) >= WAITING for name in handlers), report

    # The service, started again with quorum queues (the default), gets
    # every event once per handler; the RPC request heals the poison.
    platform.start(f"audit={AUDIT}", env={"AMQP_QUEUE_TYPE": "quorum"})
    monkeypatch.setenv("AMQP_QUEUE_TYPE", "quorum")
    expected = notes + during
    engine = platform.engine("audit")

    def handled() -> list[tuple[str, str]]:
        return [(h, n) for h, n in seen(engine) if f"-{run}-" in n]

    wait_until(
        lambda: len(handled()) >= 2 * len(expected),
        timeout=60,
        message=f"{2 * len(expected)} events handled",
    )
    rows = handled()
    assert sorted(rows) == sorted((h, n) for n in expected for h in ("first", "second"))

    def healed() -> bool:
        with engine.connect() as conn:
            query = select(fx.healed).where(fx.healed.c.note == poison)
            return bool(conn.execute(query).all())

    wait_until(healed, timeout=20, message="the waiting RPC request served")
    # Parked ones kept what replay needs.
    assert len(replay("audit", None, platform.amqp_uri).replayed) == 2
    wait_until(
        lambda: {h for h, n in seen(engine) if n == poison} == {"first", "second"},
        timeout=30,
        message="the replayed poison handled",
    )
    print(
        f"\nmoved {WAITING} waiting events, 1 RPC request, 2 dead letters; "
        f"{len(during)} events published during the move; all handled once"
    )


def seen(engine: Engine) -> list[tuple[str, str]]:
    """(handler, note) of every event the audit service handled."""
    with engine.connect() as conn:
        rows = conn.execute(select(fx.seen.c.handler, fx.seen.c.note)).all()
    return [(r.handler, r.note) for r in rows]
