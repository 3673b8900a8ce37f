"""`ServiceClock`: the service's clock (`common.clock`) for entrypoints that
need the time outside a unit of work (inside one, use `uow.clock`): the
same clock the service's `Storage` gives its units of work."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from common.clock import Clock
from common.nameko_ext.storage import Storage


class ServiceClock(DependencyProvider):
    def setup(self) -> None:
        self.storage = next(
            dep for dep in self.container.dependencies if isinstance(dep, Storage)
        )

    def get_dependency(self, worker_ctx: Any) -> Clock:
        return self.storage.clock
