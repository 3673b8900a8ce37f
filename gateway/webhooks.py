"""`POST /webhooks/stripe`: the raw event goes to the payments service.

The payments service verifies the `Stripe-Signature` against the exact bytes
Stripe sent, so the body is passed on untouched (as text). Its answer decides
the status: 200 when handled, 400 for a bad payload or signature (Stripe does
not retry), 503 when the service is unavailable (at once while the gateway
has no broker) and 500 otherwise (Stripe retries both later).
"""

from __future__ import annotations

import logging

from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.requests import Request
from starlette.responses import JSONResponse

from common import metrics, tracing
from common.identity import ANONYMOUS
from gateway.clients import Services
from gateway.errors import ServiceError
from gateway.rpc import RpcClient

log = logging.getLogger(__name__)

STATUS_BY_CODE = {
    "BAD_USER_INPUT": 400,
    "UNAUTHENTICATED": 400,
    "FORBIDDEN": 400,
    "UNAVAILABLE": 503,
}


async def stripe(request: Request) -> JSONResponse:
    # The webhook's root span (Stripe sends no trace context): the payments
    # call, and the events its handling writes, join this trace.
    with tracing.tracer().start_as_current_span(
        "POST /webhooks/stripe",
        kind=SpanKind.SERVER,
        attributes={"http.request.method": "POST", "http.route": "/webhooks/stripe"},
    ) as span:
        response = await _stripe(request)
        span.set_attribute("http.response.status_code", response.status_code)
        if response.status_code >= 500:  # a 400 is the sender's fault, not ours
            span.set_status(Status(StatusCode.ERROR))
    # By the status Stripe got: 200, 400, 500 or 503 (a fixed set).
    metrics.WEBHOOKS.labels("gateway", str(response.status_code)).inc()
    return response


async def _stripe(request: Request) -> JSONResponse:
    rpc: RpcClient = request.app.state.rpc
    signature = request.headers.get("stripe-signature")
    try:
        payload = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        return JSONResponse({"error": "payload is not UTF-8"}, status_code=400)
    if not signature:
        return JSONResponse({"error": "missing Stripe-Signature"}, status_code=400)
    try:
        stripe = Services.as_caller(rpc, ANONYMOUS).payments
        reply = await stripe.receive_stripe_webhook(payload, signature)
    except ServiceError as exc:
        status = STATUS_BY_CODE.get(exc.code, 500)
        log.log(
            # A refused event is the sender's problem (INFO); the rest is ours.
            {500: logging.ERROR, 503: logging.WARNING}.get(status, logging.INFO),
            "stripe webhook refused (%d): %s",
            status,
            exc,
        )
        message = exc.message if exc.public else "internal error"
        return JSONResponse({"error": message}, status_code=status)
    if isinstance(reply, dict) and reply.get("ok") is True:
        return JSONResponse({"ok": True})
    log.error("stripe webhook: unexpected reply %r", reply)
    return JSONResponse({"error": "internal error"}, status_code=500)
