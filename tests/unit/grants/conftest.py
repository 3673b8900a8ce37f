"""Service-layer tests on a real, migrated SQLite database (no broker)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from common.clock_control import TestClock
from common.db import make_engine, make_session_factory
from common.envelope import Envelope
from common.migrate import upgrade
from services.grants.adapters.orm import metadata
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork


class Harness:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)
        self.offset = timedelta(0)
        self.clock = TestClock(self.sessions)

    def uow(self) -> GrantsUnitOfWork:
        return GrantsUnitOfWork(
            self.sessions,
            "grants",
            metadata.tables["outbox"],
            metadata.tables["processed_events"],
            clock=self.clock,
        )

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
        self.clock.move_by(self.offset)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def events(self, event_type: str) -> list[dict[str, Any]]:
        outbox = metadata.tables["outbox"]
        with self.engine.connect() as conn:
            rows = conn.execute(
                outbox.select()
                .where(outbox.c.event_type == event_type)
                .order_by(outbox.c.id)
            )
            return [dict(r.envelope) for r in rows]

    def feed(
        self,
        handler: Callable[..., None],
        producer: str,
        event_type: str,
        payload: dict[str, Any],
        **kw: Any,
    ) -> Envelope:
        envelope = Envelope(type=event_type, producer=producer, payload=payload, **kw)
        handler(self.uow, envelope)
        return envelope


@pytest.fixture
def grants(tmp_path: Path) -> Iterator[Harness]:
    url = f"sqlite:///{tmp_path / 'grants.db'}"
    upgrade("grants", url)
    harness = Harness(url)
    yield harness
    harness.engine.dispose()
