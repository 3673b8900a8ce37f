"""A service's engine after PostgreSQL dropped its connections (a restart, a
failover): an idle connection is checked before use, a busy one fails once
and the pool is replaced (common/db.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.exc import OperationalError

from common.db import infrastructure_tables, make_engine, make_session_factory
from common.uow import UnitOfWork
from tests.support import infra

IDLE = 0.3


@pytest.fixture
def engine() -> Iterator[Engine]:
    with infra.scratch_database("reconnect") as url:
        made = make_engine(url, pool_size=2, max_overflow=0)
        try:
            yield made
        finally:
            made.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def kill_backends(engine: Engine) -> None:
    """What a server restart does to the pool's connections."""
    assert engine.url.database
    infra.terminate_connections(engine.url.database)


def test_an_idle_connection_is_checked_and_replaced(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("common.db.PING_AFTER_IDLE_SECONDS", IDLE)
    fresh = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        before = backend_pid(fresh)
        kill_backends(fresh)
        time.sleep(IDLE * 2)  # the connection has now been idle that long
        after = backend_pid(fresh)  # no error: the ping found it dead
        assert after != before
    finally:
        fresh.dispose()


def test_a_busy_connection_fails_once_then_the_pool_is_new(engine: Engine) -> None:
    before = backend_pid(engine)  # used moments ago: not pinged again
    kill_backends(engine)
    with pytest.raises(OperationalError):
        backend_pid(engine)
    # SQLAlchemy saw the disconnect and replaced the pool: the next one works.
    assert backend_pid(engine) != before


def test_a_read_only_unit_sends_no_transaction_and_leaves_none_behind(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`UnitOfWork.read_only`: no BEGIN / ROLLBACK around the read, and the
    connection goes back to the pool transactional (what the next unit of
    work on it writes is atomic again). Also after an idle ping."""
    monkeypatch.setattr("common.db.PING_AFTER_IDLE_SECONDS", IDLE)
    fresh = make_engine(
        engine.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0
    )
    outbox, processed = infrastructure_tables(MetaData())
    with fresh.begin() as conn:
        conn.execute(text("CREATE TABLE notes (body text)"))
    unit = UnitOfWork(make_session_factory(fresh), "test", outbox, processed)
    try:
        for wait in (0.0, IDLE * 2):  # a busy connection, then a pinged one
            time.sleep(wait)
            with unit as uow:
                uow.read_only()
                uow.session.execute(text("SELECT 1"))
                # In a transaction the second statement would see the
                # transaction's older start time; here it starts its own.
                own = text("SELECT now() = statement_timestamp()")
                assert uow.session.execute(own).scalar() is True
        # The same (only) pooled connection, used to write: atomic again.
        with unit as uow:
            uow.session.execute(text("INSERT INTO notes VALUES ('kept?')"))
            # no commit: leaving the block must roll it back
        with fresh.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM notes")).scalar() == 0
    finally:
        fresh.dispose()
