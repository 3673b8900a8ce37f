"""Clock control (`common.clock`): the test clock, its table, and which
clock a service gets.

A test moves the clock by an offset (`TestClock.move_by`, or the table
written directly) or to a date (`TestClock.move_to`, which the members
service's `set_clock` RPC calls). Production refuses clock control
(`common.production`), so there the table is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Column, Float, Integer, MetaData, Table, delete, insert, select
from sqlalchemy.orm import Session

from common import config
from common.clock import Clock, SystemClock
from common.db import make_engine, make_session_factory

TABLE = "test_clock"
# A date set with `move_to` starts at noon: the same date for the next 12 hours.
_NOON = time(12, tzinfo=UTC)


def clock_table(metadata: MetaData) -> Table:
    """The `test_clock` table, on a service's metadata: one row at most, the
    offset in seconds added to the real time; no row, the real time."""
    return Table(
        TABLE,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("offset_seconds", Float, nullable=False),
    )


_table = clock_table(MetaData())


class TestClock:
    """The real time plus the offset in the service's `test_clock` table.

    Reads the table on each call (in a session of its own), so a test's move
    is seen at once by every unit of work and every process of the service.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def offset(self) -> timedelta:
        with self._sessions() as session:
            seconds = session.execute(
                select(_table.c.offset_seconds).where(_table.c.id == 1)
            ).scalar()
        return timedelta(seconds=seconds or 0)

    def now(self) -> datetime:
        return self.real_now() + self.offset()

    def today(self) -> date:
        return self.now().date()

    def real_now(self) -> datetime:
        return datetime.now(UTC)

    def move_by(self, offset: timedelta | None) -> None:
        """Set the offset from the real time (None: the real time again)."""
        with self._sessions() as session:
            session.execute(delete(_table))
            if offset:
                seconds = offset.total_seconds()
                session.execute(insert(_table).values(id=1, offset_seconds=seconds))
            session.commit()

    def move_to(self, day: date | None) -> None:
        """Make it `day` (at noon UTC, running on from there); None: the real
        time again."""
        if day is None:
            self.move_by(None)
            return
        self.move_by(datetime.combine(day, _NOON) - self.real_now())


def control_setting(service: str) -> str:
    return f"{service.upper()}_CLOCK_CONTROL"


def control_enabled(service: str) -> bool:
    """Whether tests and demos may move `service`'s clock (never in production)."""
    value = config.env(control_setting(service), "false").strip().lower()
    return value in ("1", "true", "yes", "on")


def service_clock(service: str, sessions: Callable[[], Session] | None = None) -> Clock:
    """`service`'s clock: a `TestClock` over its database (`sessions`, else
    one of its own) with clock control on, else the system clock."""
    if not control_enabled(service):
        return SystemClock()
    if sessions is None:
        sessions = make_session_factory(make_engine(config.database_url(service)))
    return TestClock(sessions)
