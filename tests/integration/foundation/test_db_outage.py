"""PostgreSQL gone from under an event handler: its events are retried
without spending their attempts (EVENT_MAX_ATTEMPTS is 3 in the tests), none
is parked, and each is handled once when the database is back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import make_url

from common.deadletters import list_dead_letters
from tests.integration.foundation import fixture_services as fx
from tests.support import infra
from tests.support.platform import Platform, free_port
from tests.support.tcpproxy import TcpProxy
from tests.support.wait import wait_until


def migrated(label: str, metadata: MetaData) -> Iterator[str]:
    """A scratch database of the test's own with `metadata`'s tables."""
    with infra.scratch_database(label) as url:
        engine = create_engine(url)
        metadata.create_all(engine)
        engine.dispose()
        yield url


@pytest.fixture
def watchful_db() -> Iterator[str]:
    yield from migrated("watchful", fx.audit_metadata)


@pytest.fixture
def ledger_db() -> Iterator[str]:
    yield from migrated("ledger_outage", fx.ledger_metadata)


def test_events_wait_out_a_database_outage_and_none_is_parked(
    platform: Platform, watchful_db: str, ledger_db: str
) -> None:
    real = make_url(watchful_db)
    proxy = TcpProxy(free_port(), (real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    proxied = real.set(host="127.0.0.1", port=proxy.listen_port)
    if "ledger" in platform.processes:
        platform.stop("ledger")  # started by another module on its own database
    platform.start(
        "ledger=tests.integration.foundation.fixture_services:Ledger",
        "watchful=tests.integration.foundation.fixture_services:Watchful",
        env={
            "LEDGER_DATABASE_URL": ledger_db,
            "WATCHFUL_DATABASE_URL": proxied.render_as_string(hide_password=False),
        },
    )
    try:
        note = f"outage-{uuid.uuid4().hex[:8]}"
        proxy.cut()  # the database goes away: refused, open connections reset
        platform.rpc("ledger", "record", note)

        def tries() -> int:
            counts = platform.rpc("watchful", "counters", note)
            return int(counts["attempts:first"] + counts["attempts:second"])

        # Well past 3 attempts per handler, and nothing parked.
        wait_until(lambda: tries() >= 10, timeout=60, message="retried in outage")
        assert list_dead_letters("watchful", platform.amqp_uri) == []

        proxy.start()  # the database is back
        engine = create_engine(watchful_db)
        try:
            wait_until(
                lambda: fx.seen_count(engine, note) == 2,
                timeout=60,
                message="handled after",
            )
        finally:
            engine.dispose()
        counts = platform.rpc("watchful", "counters", note)
        assert counts["duplicates:first"] == counts["duplicates:second"] == 0
        assert list_dead_letters("watchful", platform.amqp_uri) == []
    finally:
        platform.stop("watchful", "ledger")
        proxy.stop()
