"""OpenTelemetry traces: one trace from the gateway through RPC calls and events.

`setup(name)` installs a tracer provider exporting over OTLP/HTTP, and only
when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`)
is set; otherwise the API's default stays in place, every tracer is a no-op
and the hooks below return at once. Every process calls it once at start.

The W3C trace context (`traceparent`, `tracestate`) travels as nameko
context headers beside the correlation id (`nameko.traceparent`): nameko
hands them to the worker as context data, and passes the worker's data on to
every call it makes. An event carries the context of the span that wrote it
to the outbox, in its envelope (`trace_context`), which the relay puts in the
message's headers. Only `opentelemetry.propagate` reads and writes them.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from contextvars import Token
from typing import Any, TypeVar

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

log = logging.getLogger(__name__)

# Context headers are nameko's: `nameko.<key>` on the wire, `<key>` in a
# worker's context data.
HEADER_PREFIX = "nameko."
RPC_EXCHANGE = "nameko-rpc"
SCOPE = "sister_cities"

_provider: Any = None  # the SDK's TracerProvider once `setup` installed one


def endpoint() -> str | None:
    """Where spans go; None (no tracing) when neither variable is set."""
    for name in ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        if value := os.environ.get(name, "").strip():
            return value
    return None


def active() -> bool:
    return _provider is not None


def setup(service: str) -> bool:
    """Export this process's spans over OTLP/HTTP as `OTEL_SERVICE_NAME`, or
    `service`; whether tracing is on. Lazy imports: nothing of the SDK is
    loaded when it is off."""
    global _provider
    if _provider is not None:
        return True
    if endpoint() is None or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
        OTLPSpanExporter,
    )
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME", "").strip() or service
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    # The delay and sizes from OTEL_BSP_*; exported from a thread of its own.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider = provider
    log.info("tracing: spans of %s exported to %s", name, endpoint())
    return True


def shutdown() -> None:
    """Send what is still buffered (the provider also does it at exit)."""
    if _provider is not None:
        _provider.shutdown()


def tracer() -> trace.Tracer:
    return trace.get_tracer(SCOPE)


# --- context on the wire --------------------------------------------------------


def carrier() -> dict[str, str] | None:
    """The current span's context as W3C headers, None when none is active."""
    if _provider is None:
        return None
    found: dict[str, str] = {}
    propagate.inject(found)
    return found or None


def inject(headers: MutableMapping[str, Any], prefix: str = HEADER_PREFIX) -> None:
    """Add the current span's context to outgoing message headers."""
    for key, value in (carrier() or {}).items():
        headers[prefix + key] = value


def extract(data: Mapping[str, Any]) -> otel_context.Context:
    """The remote parent in a worker's context data (header prefix removed)."""
    return propagate.extract(data)


# --- spans ------------------------------------------------------------------------


def messaging(
    destination: str, routing_key: str, operation: str, **more: Any
) -> dict[str, Any]:
    """Messaging semantic-convention attributes of a RabbitMQ span."""
    attributes: dict[str, Any] = {
        "messaging.system": "rabbitmq",
        "messaging.destination.name": destination,
        "messaging.rabbitmq.destination.routing_key": routing_key,
        "messaging.operation.type": operation,
    }
    names = {
        "message_id": "messaging.message.id",
        # What the conventions call the conversation: our correlation id.
        "correlation_id": "messaging.message.conversation_id",
        "consumer_group": "messaging.consumer.group.name",
        "batch_size": "messaging.batch.message_count",
    }
    for key, value in more.items():
        if value is not None:
            attributes[names[key]] = value
    return attributes


def rpc_attributes(
    service: str, method: str, correlation_id: str | None = None
) -> dict[str, Any]:
    return {
        "rpc.system": "nameko",
        "rpc.service": service,
        "rpc.method": method,
        **messaging(
            RPC_EXCHANGE, f"{service}.{method}", "send", correlation_id=correlation_id
        ),
    }


def record_outcome(span: trace.Span, exc: BaseException | None) -> None:
    """An error status for a failure; a caller's refused input (a domain
    error with a client's code) is no fault of the span's, only noted."""
    if exc is None:
        return
    from common.correlation import REFUSALS

    code = getattr(exc, "code", None)  # a DomainError, or the gateway's ServiceError
    if code in REFUSALS:
        span.set_attribute("error.type", str(code))
        return
    span.record_exception(exc)
    span.set_attribute("error.type", type(exc).__qualname__)
    span.set_status(Status(StatusCode.ERROR, str(exc)[:200]))


class WorkerSpan:
    """A span made current for a worker's greenthread until `end`."""

    def __init__(
        self,
        name: str,
        kind: SpanKind,
        attributes: dict[str, Any],
        parent: Mapping[str, Any],
    ) -> None:
        self.span = tracer().start_span(
            name, context=extract(parent), kind=kind, attributes=attributes
        )
        self._token: Token[otel_context.Context] | None = otel_context.attach(
            trace.set_span_in_context(self.span)
        )

    def end(self, exc: BaseException | None = None) -> None:
        if self._token is None:
            return
        record_outcome(self.span, exc)
        self.span.end()
        otel_context.detach(self._token)
        self._token = None


def outbox_span(producer: str, event_types: list[str]) -> dict[str, str] | None:
    """The span that creates events in the outbox (the relay sends them
    later); its context as W3C headers, for the envelopes. None when no span
    is active: outside traced work, events carry no context."""
    if _provider is None or not event_types:
        return None
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    destination = f"{producer}.events"
    single = len(event_types) == 1
    attributes = messaging(
        destination,
        event_types[0] if single else ",".join(sorted(set(event_types)))[:200],
        "create",
        batch_size=None if single else len(event_types),
    )
    with tracer().start_as_current_span(
        f"create {destination}", kind=SpanKind.PRODUCER, attributes=attributes
    ):
        return carrier()


R = TypeVar("R")


def rpc_client_span(
    invoke: Callable[..., Awaitable[R]],
) -> Callable[..., Awaitable[R]]:
    """For an async `invoke(self, service, method, ...)`: a CLIENT span
    around the call, current while the request's headers are written (where
    `inject` finds it)."""

    @functools.wraps(invoke)
    async def traced(self: Any, service: str, method: str, *args: Any, **kw: Any) -> R:
        if _provider is None:
            return await invoke(self, service, method, *args, **kw)
        from common import correlation

        with tracer().start_as_current_span(
            f"{service}/{method}",
            kind=SpanKind.CLIENT,
            attributes=rpc_attributes(service, method, correlation.current()),
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                return await invoke(self, service, method, *args, **kw)
            except BaseException as exc:
                record_outcome(span, exc if isinstance(exc, Exception) else None)
                raise

    return traced


# --- SQL ---------------------------------------------------------------------------


class _ChildSpansOnly(trace.Tracer):
    """A tracer that starts spans only under a span that is already there:
    the relay's polls and the pruner's batches (SQL outside any traced work)
    would otherwise be a trace each, every second."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self._tracer = tracer
        self._none = trace.NoOpTracer()

    def _pick(self, context: otel_context.Context | None) -> trace.Tracer:
        valid = trace.get_current_span(context).get_span_context().is_valid
        return self._tracer if valid else self._none

    def start_span(  # type: ignore[override]  # the base's keywords, as **kw
        self, name: str, context: otel_context.Context | None = None, **kw: Any
    ) -> trace.Span:
        return self._pick(context).start_span(name, context, **kw)

    def start_as_current_span(  # type: ignore[override]  # keywords as **kw
        self, name: str, context: otel_context.Context | None = None, **kw: Any
    ) -> Any:
        return self._pick(context).start_as_current_span(name, context, **kw)


class _ChildSpansOnlyProvider(trace.TracerProvider):
    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        return _ChildSpansOnly(trace.get_tracer_provider().get_tracer(*args, **kwargs))


def instrument_engine(engine: Any) -> None:
    """A span per SQL statement on `engine` (OpenTelemetry's SQLAlchemy
    instrumentation), under the worker's span; nothing when tracing is off."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    instrumentor = SQLAlchemyInstrumentor()
    provider = _ChildSpansOnlyProvider()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(engine=engine, tracer_provider=provider)
        return
    # The instrumentor instruments once per process; a further engine gets
    # its own listener as the instrumentor would make it.
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.instrumentation.sqlalchemy.version import __version__
    from opentelemetry.metrics import NoOpMeter

    usage = NoOpMeter(SCOPE).create_up_down_counter("db.client.connections.usage")
    tracer_ = provider.get_tracer(
        "opentelemetry.instrumentation.sqlalchemy", __version__
    )
    EngineTracer(tracer_, engine, usage, False, {}, False)
