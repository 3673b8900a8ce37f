"""`Storage`: a service's database, its units of work, its outbox relay and
the pruner of its published events and processed records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider
from sqlalchemy import MetaData, Table, text

from common import config, tracing
from common.clock import Clock
from common.clock_control import service_clock
from common.db import make_engine, make_relay_engine, make_session_factory
from common.relay import OutboxRelay
from common.retention import Pruner, Retention
from common.uow import UnitOfWork


class Storage(DependencyProvider):
    """Injects a factory of units of work: `with self.uow() as uow: ...`."""

    def __init__(
        self,
        service: str,
        metadata: MetaData,
        uow_class: type[UnitOfWork] = UnitOfWork,
        relay: bool = True,
    ) -> None:
        self.service = service
        self.metadata = metadata
        self.uow_class = uow_class
        self.relay_enabled = relay

    def setup(self) -> None:
        # First: a retention window too short refuses to start, naming it.
        retention = Retention.from_env()
        self.engine = make_engine(config.database_url(self.service))
        tracing.instrument_engine(self.engine)  # SQL spans, when tracing
        self.sessions = make_session_factory(self.engine)
        self.outbox: Table = self.metadata.tables["outbox"]
        self.processed: Table = self.metadata.tables["processed_events"]
        self.relay = OutboxRelay(
            make_session_factory(make_relay_engine(self.engine)),
            self.outbox,
            self.container.config.get("AMQP_URI", config.amqp_uri()),
        )
        self.pruner = Pruner(self.sessions, self.outbox, self.processed, retention)
        self.clock: Clock = service_clock(self.service, self.sessions)

    def start(self) -> None:
        if self.relay_enabled:
            self.container.spawn_managed_thread(self.relay.run)
        self.container.spawn_managed_thread(self.pruner.run)

    def stop(self) -> None:
        self.relay.stop()
        self.pruner.stop()

    def kill(self) -> None:
        self.relay.stop()
        self.pruner.stop()

    def new_uow(self) -> UnitOfWork:
        return self.uow_class(
            self.sessions,
            self.service,
            self.outbox,
            self.processed,
            self.relay.wake,
            self.clock,
        )

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def get_dependency(self, worker_ctx: Any) -> Callable[[], UnitOfWork]:
        return self.new_uow
