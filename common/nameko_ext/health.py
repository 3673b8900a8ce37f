"""The `health` RPC every service answers, for the gateway's `health` query,
and (`Observability`) its metrics and HTTP probes."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from common import config
from common.nameko_ext.observability import Observability
from common.nameko_ext.rpc import rpc
from common.uow import UnitOfWork
from contracts.rpc import HealthView


class HealthRpc:
    """Mixin for a nameko service with `name` and a `uow` Storage dependency."""

    name: str
    uow: Callable[[], UnitOfWork]
    # Every service's RPC and event metrics, /healthz, /readyz and /metrics.
    observability = Observability()

    @rpc
    def health(self) -> HealthView:
        with self.uow() as uow:
            uow.read_only()  # one round trip: no BEGIN and ROLLBACK around it
            uow.session.execute(text("SELECT 1"))
        return {"service": self.name, "status": "UP", "version": config.version()}
