"""Engines and the infrastructure tables every service database carries."""

from __future__ import annotations

import os
import time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
)
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from common.fastpaths.psycopg2 import install as hold_back_writes

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so autoincrement works) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def infrastructure_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The outbox and the processed-events (inbox) tables, on a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("producer", String(50), nullable=False),
        Column("envelope", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        # NULL until the broker confirmed it; the relay's partial index finds them.
        Column("published_at", DateTime(timezone=True), nullable=True),
    )
    unpublished = outbox.c.published_at.is_(None)
    Index(
        "ix_outbox_unpublished",
        outbox.c.id,
        postgresql_where=unpublished,
        sqlite_where=unpublished,
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer", String(150), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(100), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    return outbox, processed


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets readers work while the relay writes; FKs are off by default.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if "poolclass" not in kwargs:
        # Room for one connection per nameko worker plus the relay and timers.
        # DB_POOL_SIZE of them stay open when idle (all by default, so none is
        # opened per event); a smaller figure spares a server that many
        # processes share, at the cost of connecting on bursts.
        workers = int(os.environ.get("MAX_WORKERS", "20"))
        idle = min(int(os.environ.get("DB_POOL_SIZE", str(workers))), workers)
        kwargs.setdefault("pool_size", idle)
        kwargs.setdefault("max_overflow", workers + 5 - idle)
    if url.startswith(("postgresql://", "postgresql+psycopg2://")):
        # An executemany UPDATE in pages of statements, not a round trip each.
        kwargs.setdefault("executemany_mode", "values_plus_batch")
    engine = create_engine(url, **kwargs)
    hold_back_writes(engine)  # `writes_together` (psycopg2 only)
    if not kwargs.get("pool_pre_ping"):
        ping_idle_connections(engine, PING_AFTER_IDLE_SECONDS)

    @event.listens_for(engine, "checkin")
    def _end_autocommit(dbapi_conn: Any, _record: Any) -> None:
        # Whatever happened, a connection goes back to the pool transactional.
        if dbapi_conn is not None and not dbapi_conn.closed and dbapi_conn.autocommit:
            dbapi_conn.autocommit = False

    return engine


def autocommit(dbapi_conn: Any) -> None:
    """Put a freshly checked-out PostgreSQL connection in autocommit mode.

    SQLAlchemy's own AUTOCOMMIT isolation level costs a `SET
    default_transaction_isolation` round trip when the connection goes back
    to the pool; psycopg2's `autocommit` is client-side, and the engine's
    `checkin` listener turns it off again. SQLite keeps its transaction.
    """
    if isinstance(getattr(dbapi_conn, "autocommit", None), bool) and hasattr(
        dbapi_conn, "closed"
    ):
        dbapi_conn.autocommit = True


# A connection used moments ago is alive; one that sat in the pool may have
# been closed by a restarted or failed-over server. `pool_pre_ping` pings on
# every checkout, a round trip per transaction (five per dues webhook); this
# pings only connections idle longer than this. The price: a server restart
# in the middle of traffic fails the first statement on each busy process
# (as it fails those already running), after which SQLAlchemy replaces the
# whole pool; an event handler is then retried, an RPC caller gets
# UNAVAILABLE (`database_unavailable`).
PING_AFTER_IDLE_SECONDS = float(os.environ.get("DB_PING_AFTER_IDLE_SECONDS", "2"))


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # new, or in use moments ago
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_conn.rollback()  # end the transaction the ping opened
        except Exception as exc:
            # The pool discards this connection and checks out a fresh one.
            raise DisconnectionError(f"stale connection: {exc}") from exc


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database could not serve just now, not that the
    call was wrong: no connection to be had (the server's `max_connections`
    reached, the pool's checkout timed out), the connection lost, or the
    server aborted the transaction (DB-API's OperationalError: a restart, a
    deadlock, a serialization failure). The transaction was rolled back (or,
    its connection lost during COMMIT, perhaps committed: the services'
    mutations are idempotent), so the call may be made again."""
    if isinstance(exc, DisconnectionError | PoolTimeout | OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def make_relay_engine(engine: Engine) -> Engine:
    """The outbox relay's engine: its own connection (the relay holds it while
    it waits for the broker's confirms). Plain connection settings, no startup
    `options`, so it works through a pooler such as PgBouncer; the relay
    steers the planner inside its own transactions (`common.relay`). SQLite
    shares the service's engine."""
    if engine.dialect.name != "postgresql":
        return engine
    return make_engine(
        engine.url.render_as_string(hide_password=False),
        pool_size=1,
        max_overflow=1,
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
