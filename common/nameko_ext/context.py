"""The caller's identity and correlation id, from nameko's context headers.

The gateway sends `nameko.identity` (JSON claims) and `nameko.correlation_id`;
nameko passes both on to every RPC call and event the worker makes.
"""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from common import correlation
from common.identity import Identity


class Caller(DependencyProvider):
    """Injects the caller's `Identity` and sets the correlation id for logs."""

    def worker_setup(self, worker_ctx: Any) -> None:
        cid = worker_ctx.data.get("correlation_id") or correlation.new_id()
        worker_ctx.data["correlation_id"] = cid
        correlation.set_current(cid)

    def worker_teardown(self, worker_ctx: Any) -> None:
        correlation.set_current(None)

    def get_dependency(self, worker_ctx: Any) -> Identity:
        return Identity.from_header(worker_ctx.data.get("identity"))
