"""`common.fastpaths.psycopg2` on a real PostgreSQL: held-back writes arrive in
order, an error in one fails the transaction when they are sent, and a
rollback never lets them leak into the connection's next transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common import fastpaths
from common.db import make_engine, make_session_factory
from common.fastpaths import psycopg2
from common.fastpaths.psycopg2 import writes_together
from tests.support import infra

notes = Table(
    "notes",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("body", String(50), nullable=False),
)


@pytest.fixture
def engine() -> Iterator[Engine]:
    with infra.scratch_database("together") as url:
        made = make_engine(url, pool_size=1, max_overflow=0)  # one connection, reused
        notes.metadata.create_all(made)
        try:
            yield made
        finally:
            made.dispose()


def bodies(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT body FROM notes ORDER BY id"))]


def test_held_writes_arrive_in_order_and_reads_see_them(engine: Engine) -> None:
    with make_session_factory(engine)() as session, writes_together(session):
        session.execute(insert(notes), [{"id": 1, "body": "a"}, {"id": 2, "body": "b"}])
        session.execute(text("UPDATE notes SET body = 'b2' WHERE id = 2"))
        session.execute(insert(notes).values(id=3, body="100% c"))
        # A statement that needs an answer takes the waiting writes along.
        count = session.execute(text("SELECT count(*) FROM notes")).scalar()
        assert count == 3
        session.execute(insert(notes).values(id=4, body="d"))
        session.commit()  # sends the last one before committing
    assert bodies(engine) == ["a", "b2", "100% c", "d"]


def test_a_failing_held_write_fails_when_sent_and_nothing_is_kept(
    engine: Engine,
) -> None:
    with make_session_factory(engine)() as session:
        with writes_together(session):
            session.execute(insert(notes).values(id=1, body="first"))
            session.execute(
                insert(notes).values(id=1, body="same id")
            )  # held: no error
            with pytest.raises(IntegrityError):
                session.execute(text("SELECT 1"))  # sent: the duplicate fails
        session.rollback()
    assert bodies(engine) == []


def test_a_rollback_drops_held_writes_for_good(engine: Engine) -> None:
    with make_session_factory(engine)() as session, writes_together(session):
        session.execute(insert(notes).values(id=1, body="rolled back"))
        session.rollback()
        # The same (only) connection, a new transaction: nothing stale rides.
        session.execute(insert(notes).values(id=2, body="kept"))
        session.commit()
    assert bodies(engine) == ["kept"]


def test_outside_the_block_writes_go_at_once(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(insert(notes).values(id=1, body="x"))
        with pytest.raises(IntegrityError):
            session.execute(insert(notes).values(id=1, body="dup"))


def test_the_fast_path_is_taken_unless_turned_off(engine: Engine) -> None:
    before = fastpaths.taken[psycopg2.NAME]
    with make_session_factory(engine)() as session, writes_together(session):
        session.execute(insert(notes).values(id=1, body="a"))
        assert fastpaths.taken[psycopg2.NAME] == before + 1  # held back
        session.commit()
    with (
        fastpaths.turned_off(psycopg2.NAME),
        make_session_factory(engine)() as session,
        writes_together(session),
    ):
        session.execute(insert(notes).values(id=2, body="b"))
        assert fastpaths.taken[psycopg2.NAME] == before + 1  # sent at once
        session.commit()
    assert bodies(engine) == ["a", "b"]
