"""Tracing off costs nothing and sends nothing; on, JSON log lines carry the
span's ids and events carry its W3C context."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from common import correlation
from common.config import REPO_ROOT
from common.envelope import Envelope
from tests.support.otlp import OtlpReceiver

UNSET_PROBE = """
import json, logging, sys
from opentelemetry import trace
from common import correlation, tracing
from common.envelope import Envelope
from common.uow import UnitOfWork

on = tracing.setup("members")
span = tracing.tracer().start_span("work")
with trace.use_span(span):
    headers = {}
    tracing.inject(headers)
    made = logging.LogRecord("x", logging.INFO, "x.py", 1, "m", (), None)
    correlation.CorrelationFilter().filter(made)
    line = json.loads(correlation.JsonFormatter().format(made))
    created = tracing.outbox_span("members", ["member_registered"])
span.end()
print(json.dumps({
    "on": on,
    "active": tracing.active(),
    "recording": span.is_recording(),
    "valid": span.get_span_context().is_valid,
    "provider": type(trace.get_tracer_provider()).__name__,
    "headers": headers,
    "created": created,
    "log_keys": sorted(line),
    "sdk_loaded": any(m.startswith("opentelemetry.sdk") for m in sys.modules),
    "envelope": sorted(Envelope("t", "members", {}).to_dict()),
}))
"""


def test_without_an_endpoint_the_tracer_is_a_no_op_and_nothing_is_sent() -> None:
    receiver = OtlpReceiver().start()
    try:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("OTEL_")
        }
        # A receiver is there, but no process was told of it.
        env["PYTHONPATH"] = str(REPO_ROOT)
        done = subprocess.run(
            [sys.executable, "-c", UNSET_PROBE],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        receiver.stop()
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["on"] is False and found["active"] is False
    assert found["provider"] == "ProxyTracerProvider"
    assert found["recording"] is False and found["valid"] is False
    assert found["headers"] == {} and found["created"] is None
    assert "trace_id" not in found["log_keys"]
    assert found["sdk_loaded"] is False  # no provider, no processor, no thread
    assert "trace_context" not in found["envelope"]  # events as before
    assert receiver.requests == 0


def test_a_json_line_carries_the_active_spans_trace_and_span_ids() -> None:
    provider = TracerProvider()  # local: the process's global stays unset
    span = provider.get_tracer("test").start_span("work")

    def line() -> dict[str, Any]:
        made = logging.LogRecord("x", logging.INFO, "x.py", 1, "m", (), None)
        correlation.CorrelationFilter().filter(made)
        parsed: dict[str, Any] = json.loads(correlation.JsonFormatter().format(made))
        return parsed

    correlation.set_current("cid-9")
    try:
        with trace.use_span(span, end_on_exit=True):
            inside = line()
        outside = line()
    finally:
        correlation.set_current(None)
    context = span.get_span_context()
    assert inside["trace_id"] == format(context.trace_id, "032x")
    assert inside["span_id"] == format(context.span_id, "016x")
    assert inside["correlation_id"] == "cid-9"
    assert "trace_id" not in outside and "span_id" not in outside


def test_an_envelope_keeps_its_trace_context_through_its_dict() -> None:
    context = {"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"}
    envelope = Envelope("member_registered", "members", {}, trace_context=context)
    again = Envelope.from_dict(json.loads(json.dumps(envelope.to_dict())))
    assert again == envelope
    # An envelope of the release before (no such key) reads as before.
    old = envelope.to_dict()
    del old["trace_context"]
    assert Envelope.from_dict(old).trace_context is None
