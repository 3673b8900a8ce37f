"""The gateway's metrics of GraphQL operations, and its /readyz and /metrics.

`/healthz` (in `gateway.app`) keeps its meaning: the process answers, with
the broker's state for information. `/readyz` answers 503 while the gateway
has no broker connection (every call would answer UNAVAILABLE).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from typing import Any

from graphql import GraphQLResolveInfo, OperationDefinitionNode
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from common import metrics, tracing
from gateway.rpc import RpcClient

NAMES = metrics.OperationNames()


class OperationMetrics(SchemaExtension):
    """Counts and times each operation by (capped) name and type; an
    operation whose result has errors counts as an error."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            context = self.execution_context
            name = NAMES.label(_operation_name(context))
            kind = _operation_type(context)
            metrics.GRAPHQL_REQUESTS.labels(name, kind).inc()
            metrics.GRAPHQL_LATENCY.labels(name, kind).observe(
                time.perf_counter() - started
            )
            result = context.result
            if result is None or getattr(result, "errors", None):
                metrics.GRAPHQL_ERRORS.labels(name, kind).inc()


def tracing_extensions() -> list[Any]:
    """strawberry's OpenTelemetry extension when tracing is on (a span per
    operation and per resolver; the RPC calls' spans are the resolvers'
    children). Arguments stay out of the spans: they may be personal."""
    if not tracing.active():
        return []
    from strawberry.extensions.tracing import OpenTelemetryExtension

    return [partial(OpenTelemetryExtension, arg_filter=_no_arguments)]


def _no_arguments(
    args: dict[str, object], info: GraphQLResolveInfo[object]
) -> dict[str, object]:
    return {}


KINDS = frozenset({"query", "mutation", "subscription"})


def _operation_type(context: ExecutionContext) -> str:
    try:
        kind = getattr(context.operation_type, "value", None)
    except Exception:  # no document (it did not parse)
        return "unknown"
    return kind if kind in KINDS else "unknown"


def _operation_name(context: ExecutionContext) -> str | None:
    """The request's `operationName`, else the name of the document's only
    operation (a client need not send it then)."""
    if context.operation_name:
        return context.operation_name
    document = context.graphql_document
    if document is None:
        return None
    operations = [
        each
        for each in document.definitions
        if isinstance(each, OperationDefinitionNode)
    ]
    if len(operations) == 1 and operations[0].name is not None:
        return operations[0].name.value
    return None


async def readyz(request: Request) -> JSONResponse:
    rpc: RpcClient = request.app.state.rpc
    problems = [] if rpc.connected else ["broker connection lost"]
    return JSONResponse(
        {"status": "DOWN" if problems else "UP", "problems": problems},
        status_code=503 if problems else 200,
    )


async def metrics_page(request: Request) -> Response:
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
