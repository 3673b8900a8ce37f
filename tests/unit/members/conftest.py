"""Service-layer tests on the real unit of work over a SQLite file (no broker)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from common.clock_control import TestClock
from common.db import make_engine, make_session_factory
from common.identity import Identity
from services.members.adapters.orm import metadata, outbox, processed_events
from services.members.service_layer.unit_of_work import MembersUnitOfWork

STAFF = Identity(sub="staff", role="staff")


class Store:
    def __init__(self, path: Path) -> None:
        self.engine = make_engine(f"sqlite:///{path}")
        metadata.create_all(self.engine)
        self.sessions = make_session_factory(self.engine)

    def __call__(self) -> MembersUnitOfWork:
        return MembersUnitOfWork(self.sessions, "members", outbox, processed_events)

    def set_today(self, day: date) -> None:
        TestClock(self.sessions).move_to(day)

    def events(self, event_type: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.envelope)
                .where(outbox.c.event_type == event_type)
                .order_by(outbox.c.id)
            )
            return [row.envelope["payload"] for row in rows]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("MEMBERS_CLOCK_CONTROL", "1")
    made = Store(tmp_path / "members.db")
    yield made
    made.engine.dispose()
