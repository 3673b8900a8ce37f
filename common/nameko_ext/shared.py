"""`Shared`: one object for the whole service container, given to every worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider
from nameko.rpc import RPC_QUEUE_TEMPLATE

from common import config
from common.sharing import QueueSharing


class Shared(DependencyProvider):
    """For coordination between workers (a group commit, say): nameko builds
    a new service instance per worker, so per-instance state is not shared."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory

    def setup(self) -> None:
        self.value = self.factory()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.value


class SharedAcrossReplicas(Shared):
    """`Shared`, made by `factory(share)`: `share()` says how many replicas
    consume the service's RPC queue (`common.sharing`), for a group commit
    that waits longer the more replicas split its requests."""

    def __init__(self, factory: Callable[[Callable[[], int]], Any]) -> None:
        super().__init__(lambda: factory(lambda: self.sharing.consumers))

    def setup(self) -> None:
        uri = self.container.config.get("AMQP_URI", config.amqp_uri())
        self.sharing = QueueSharing(
            uri, RPC_QUEUE_TEMPLATE.format(self.container.service_name)
        )
        super().setup()

    def start(self) -> None:
        self.sharing.start()

    def stop(self) -> None:
        self.sharing.stop()

    def kill(self) -> None:
        self.sharing.stop()
