"""The outbox relay finds the waiting events by an ordered scan of the
outbox's partial index, whatever PostgreSQL's statistics say, so a poll reads
a few pages however many events were published before it (until a vacuum,
every published event leaves a dead entry behind in the index)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert, text, update

from common.db import make_engine, make_relay_engine
from common.migrate import upgrade
from common.relay import take_unpublished
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


def explain_take(engine: Engine) -> str:
    take = take_unpublished(outbox, 200, datetime.now(UTC))
    compiled = take.compile(dialect=engine.dialect)
    with engine.connect() as conn:
        lines = conn.exec_driver_sql(
            f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", compiled.params
        ).all()
        conn.rollback()  # leave the rows waiting
    return "\n".join(line[0] for line in lines)


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
    try:
        explain_take(relay)  # the first scan marks the dead entries it passes
        plan = explain_take(relay)
    finally:
        relay.dispose()
    assert "Index Scan using ix_outbox_unpublished" in plan, plan
    assert "Bitmap" not in plan and "Seq Scan" not in plan, plan
    assert f"rows={WAITING} " in plan, plan
    # It steps over the dead entries without visiting the rows they point to
    # (a bitmap scan reads every table page that holds one).
    assert index_scan_pages(plan) < table_pages(engine) / 2, plan
