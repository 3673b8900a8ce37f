"""`Shared`: one object for the whole service container, given to every worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider


class Shared(DependencyProvider):
    """For coordination between workers (a group commit, say): nameko builds
    a new service instance per worker, so per-instance state is not shared."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory

    def setup(self) -> None:
        self.value = self.factory()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.value
