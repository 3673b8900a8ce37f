"""The outbox relay finds the waiting events by an ordered scan of the
outbox's partial index, whatever PostgreSQL's statistics say, so a poll reads
a few pages however many events were published before it (until a vacuum,
every published event leaves a dead entry behind in the index). It says so
inside its own transaction, not in startup `options` (which PgBouncer
refuses): the plan checked here is the one the relay's own statement got,
reported by `auto_explain`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert, text, update

from common.db import make_engine, make_relay_engine, make_session_factory
from common.migrate import upgrade
from common.relay import OutboxRelay
from services.members.adapters.orm import outbox
from tests.support import infra

PUBLISHED, WAITING = 20_000, 3


@pytest.fixture
def engine() -> Iterator[Engine]:
    with infra.scratch_database("relayscan") as url:
        upgrade("members", url)
        made = make_engine(url, pool_size=1, max_overflow=0)
        try:
            yield made
        finally:
            made.dispose()


def fill(engine: Engine) -> None:
    """Many events published since the table was analyzed, a few waiting:
    the planner believes few rows are unpublished, as in a busy outbox."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        # An autoanalyze of these rows, started by the inserts, would hold a
        # snapshot that keeps the scan below from marking dead entries.
        conn.execute(text("ALTER TABLE outbox SET (autovacuum_enabled = false)"))
    rows = [
        {
            "event_id": str(uuid.uuid4()),
            "event_type": "member_updated",
            "producer": "members",
            "envelope": {"n": i},
            "created_at": now,
        }
        for i in range(PUBLISHED + WAITING)
    ]
    with engine.begin() as conn:
        conn.execute(insert(outbox), rows)
    with engine.connect() as conn:
        conn.execute(text("COMMIT"))
        conn.execute(text("ANALYZE outbox"))
    with engine.begin() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.id <= PUBLISHED)
            .values(published_at=datetime.now(UTC))
        )


# Nothing listens here: the relay's publish fails, and its rows stay waiting.
NO_BROKER = "amqp://guest:guest@127.0.0.1:1/"


def explain_plans(relay_engine: Engine) -> list[str]:
    """The plans of the relay engine's statements, from now on: auto_explain
    sends each to the client as a notice (the connection's settings are
    plain ones, nothing steers the planner)."""
    plans: list[str] = []

    @event.listens_for(relay_engine, "connect")
    def _explain(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(
            "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;"
            " SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on;"
            " SET auto_explain.log_level = notice; SET client_min_messages = notice"
        )
        cur.close()
        dbapi_conn.commit()  # settings made in a rolled back transaction revert
        dbapi_conn.notices = _Notices(plans)

    return plans


class _Notices:
    """What psycopg2 appends a connection's notices to (not a list, which
    it would trim and fill by hand)."""

    def __init__(self, plans: list[str]) -> None:
        self._plans = plans

    def append(self, notice: str) -> None:
        self._plans.append(notice)


def relay_take_plan(relay_engine: Engine, plans: list[str]) -> str:
    """The plan of the relay's own UPDATE that takes a batch (one poll)."""
    relay = OutboxRelay(make_session_factory(relay_engine), outbox, NO_BROKER)
    del plans[:]
    with pytest.raises(Exception):  # noqa: B017 (no broker: any failure)
        relay.publish_pending()
    taken = [p for p in plans if "RETURNING" in p or "LockRows" in p]
    assert taken, plans
    return taken[0]


def index_scan_pages(plan: str) -> int:
    """Buffers the scan of the partial index touched (index and table)."""
    found = re.search(
        r"Index Scan using ix_outbox_unpublished .*\n(?:.*Filter.*\n)?"
        r"\s*Buffers: shared hit=(\d+)(?: read=(\d+))?",
        plan,
    )
    assert found, plan
    return int(found.group(1)) + int(found.group(2) or 0)


def table_pages(engine: Engine) -> int:
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_relation_size('outbox')")).scalar_one()
    return int(size) // 8192


def test_the_relay_takes_waiting_events_in_order_off_the_partial_index(
    engine: Engine,
) -> None:
    fill(engine)
    relay = make_relay_engine(engine)
    plans = explain_plans(relay)
    try:
        relay_take_plan(relay, plans)  # the first scan marks the dead entries
        plan = relay_take_plan(relay, plans)
        # No startup options: outside the relay's transaction, the planner's
        # settings are the server's (a connection opened with `options` would
        # show them here, and PgBouncer refuses such a connection).
        with relay.connect() as conn:
            dsn = conn.connection.dbapi_connection.get_dsn_parameters()  # type: ignore[union-attr]
            seqscan = conn.execute(text("SHOW enable_seqscan")).scalar_one()
            bitmap = conn.execute(text("SHOW enable_bitmapscan")).scalar_one()
    finally:
        relay.dispose()
    assert not dsn.get("options"), dsn
    assert (seqscan, bitmap) == ("on", "on")
    assert "Index Scan using ix_outbox_unpublished" in plan, plan
    assert "Bitmap" not in plan and "Seq Scan" not in plan, plan
    assert f"rows={WAITING} " in plan, plan
    # It steps over the dead entries without visiting the rows they point to
    # (a bitmap scan reads every table page that holds one).
    assert index_scan_pages(plan) < table_pages(engine) / 2, plan
    # The rows are still waiting: the failed publish gave them back.
    with engine.connect() as conn:
        waiting = conn.execute(
            text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        ).scalar_one()
    assert waiting == WAITING
