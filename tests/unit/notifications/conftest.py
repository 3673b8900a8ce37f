"""Service-layer tests on a real, migrated SQLite database (no broker, no SMTP)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from common.db import make_engine, make_session_factory
from common.envelope import Envelope
from common.migrate import upgrade
from services.notifications.adapters.orm import metadata
from services.notifications.domain.delivery import Delivery
from services.notifications.domain.notices import Contact
from services.notifications.service_layer import news
from services.notifications.service_layer.shared import Addressing, Undeliverable
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork

ADDRESSING = Addressing("example.org", "en")


class FakeDirectory:
    """members.get_members, as a dict; records what it was asked."""

    def __init__(self) -> None:
        self.contacts_by_id: dict[str, Contact] = {}
        self.asked: list[list[str]] = []

    def add(self, member_id: str, email: str, name: str = "Testville") -> None:
        self.contacts_by_id[member_id] = Contact(member_id, name, email)

    def contacts(self, member_ids: list[str]) -> dict[str, Contact]:
        self.asked.append(list(member_ids))
        return {m: c for m, c in self.contacts_by_id.items() if m in member_ids}


class FakeCourier:
    """Hands nothing over: records what it was given, or fails as told."""

    def __init__(self) -> None:
        self.delivered: list[Delivery] = []
        self.failure: Undeliverable | None = None

    def deliver(self, delivery: Delivery) -> str:
        if self.failure is not None:
            raise self.failure
        self.delivered.append(delivery)
        return f"subject of {delivery.kind.value}"


class Harness:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)
        self.directory = FakeDirectory()

    def uow(self) -> NotificationsUnitOfWork:
        return NotificationsUnitOfWork(
            self.sessions,
            "notifications",
            metadata.tables["outbox"],
            metadata.tables["processed_events"],
        )

    def feed(
        self, producer: str, event_type: str, payload: dict[str, Any], **kw: Any
    ) -> Envelope:
        envelope = Envelope(type=event_type, producer=producer, payload=payload, **kw)
        news.event_news(self.uow, self.directory, ADDRESSING, [envelope])
        return envelope

    def deliveries(self) -> list[Any]:
        table = metadata.tables["deliveries"]
        with self.engine.connect() as conn:
            return list(conn.execute(table.select().order_by(table.c.created_at)))


@pytest.fixture
def notifications(tmp_path: Path) -> Iterator[Harness]:
    url = f"sqlite:///{tmp_path / 'notifications.db'}"
    upgrade("notifications", url)
    harness = Harness(url)
    yield harness
    harness.engine.dispose()
