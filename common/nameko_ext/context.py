"""The caller's identity, correlation id and trace context, from nameko's
context headers.

The gateway sends `nameko.identity` (JSON claims), `nameko.correlation_id`
and, when tracing, `nameko.traceparent`; nameko passes the worker's context
data on to every RPC call and event the worker makes.
"""

from __future__ import annotations

from typing import Any

from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from opentelemetry.trace import SpanKind

from common import correlation, tracing
from common.identity import Identity


class Caller(DependencyProvider):
    """Injects the caller's `Identity`, sets the correlation id for logs, and
    (`common.tracing`) runs each worker in a span of its own."""

    def setup(self) -> None:
        self._spans: dict[Any, tracing.WorkerSpan] = {}

    def worker_setup(self, worker_ctx: Any) -> None:
        cid = worker_ctx.data.get("correlation_id") or correlation.new_id()
        worker_ctx.data["correlation_id"] = cid
        correlation.set_current(cid)
        if tracing.active():
            self._spans[worker_ctx] = worker_span(worker_ctx, cid)
            # What this worker sends on (RPC calls) is a child of its span.
            tracing.inject(worker_ctx.data, prefix="")

    def worker_result(
        self, worker_ctx: Any, result: Any = None, exc_info: Any = None
    ) -> None:
        span = self._spans.pop(worker_ctx, None)
        if span is not None:
            span.end(exc_info[1] if exc_info else None)

    def worker_teardown(self, worker_ctx: Any) -> None:
        span = self._spans.pop(worker_ctx, None)
        if span is not None:
            span.end()
        correlation.set_current(None)

    def get_dependency(self, worker_ctx: Any) -> Identity:
        return Identity.from_header(worker_ctx.data.get("identity"))


def worker_span(worker_ctx: Any, correlation_id: str) -> tracing.WorkerSpan:
    """An RPC call's SERVER span, an event's CONSUMER span, or a timer's
    INTERNAL one; its parent the caller's context, if it sent one."""
    entrypoint = worker_ctx.entrypoint
    service = worker_ctx.service_name
    method = entrypoint.method_name
    if isinstance(entrypoint, Rpc):
        return tracing.WorkerSpan(
            f"{service}/{method}",
            SpanKind.SERVER,
            tracing.rpc_attributes(service, method, correlation_id),
            worker_ctx.data,
        )
    if isinstance(entrypoint, EventHandler):
        # A batching handler's worker gets a list: its parent is the first's.
        args = worker_ctx.args
        batch = len(args[0]) if args and isinstance(args[0], list) else None
        exchange = f"{entrypoint.source_service}.events"
        attributes = tracing.messaging(
            exchange,
            entrypoint.event_type,
            "process",
            message_id=worker_ctx.data.get("event_id"),
            correlation_id=correlation_id,
            consumer_group=entrypoint.queue.name,
            batch_size=batch,
        )
        return tracing.WorkerSpan(
            f"process {exchange} {entrypoint.event_type}",
            SpanKind.CONSUMER,
            attributes,
            worker_ctx.data,
        )
    return tracing.WorkerSpan(
        f"{service}.{method}", SpanKind.INTERNAL, {}, worker_ctx.data
    )
