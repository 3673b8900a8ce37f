"""The one clock port (`common.clock`): the system clock unless a service's
clock control is on, then the offset in its `test_clock` table, seen at once
by every unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData
from sqlalchemy.orm import Session, sessionmaker

from common.clock import SystemClock
from common.clock_control import TestClock, clock_table, service_clock
from common.db import infrastructure_tables, make_engine, make_session_factory
from common.uow import UnitOfWork


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    metadata = MetaData()
    infrastructure_tables(metadata)
    clock_table(metadata)
    engine = make_engine(f"sqlite:///{tmp_path / 'clock.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def test_without_clock_control_a_service_has_the_system_clock(
    sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEDGER_CLOCK_CONTROL", raising=False)
    assert isinstance(service_clock("ledger", sessions), SystemClock)
    monkeypatch.setenv("LEDGER_CLOCK_CONTROL", "off")
    assert isinstance(service_clock("ledger", sessions), SystemClock)


def test_a_moved_clock_is_seen_by_every_unit_of_work_at_once(
    sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_CLOCK_CONTROL", "1")
    outbox, processed = infrastructure_tables(MetaData())
    with UnitOfWork(sessions, "ledger", outbox, processed) as uow:
        clock = uow.clock
        assert isinstance(clock, TestClock)
        before = clock.now()
        assert abs(before - datetime.now(UTC)) < timedelta(seconds=5)

        TestClock(sessions).move_by(timedelta(days=3))  # another process, say
        assert clock.now() - before >= timedelta(days=3)
        assert clock.real_now() - before < timedelta(seconds=5)

        TestClock(sessions).move_to(date(2041, 5, 6))
        assert clock.today() == date(2041, 5, 6)
        assert clock.now().hour == 12  # a date set starts at noon UTC

        TestClock(sessions).move_to(None)
        assert clock.today() == datetime.now(UTC).date()


def test_the_test_clock_is_a_clock(sessions) -> None:
    for clock in (SystemClock(), TestClock(sessions)):
        assert clock.now().tzinfo is not None
        assert clock.today() == clock.now().date()
