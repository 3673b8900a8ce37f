"""Correlation ids: carried from the GraphQL request through RPC and events.

A context variable holds the id of the work in progress (greenlets and asyncio
tasks each get their own copy); a logging filter writes it in every line.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from opentelemetry import trace

from common.errors import DomainError

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] [cid=%(correlation_id)s] %(message)s"


def current() -> str | None:
    return _current.get()


def set_current(correlation_id: str | None) -> None:
    _current.set(correlation_id)


def new_id() -> str:
    return uuid.uuid4().hex


class CorrelationFilter(logging.Filter):
    """The correlation id, and the ids of the span in progress if any
    (`common.tracing`; with tracing off there never is one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _current.get() or "-"
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        return True


# What a caller got wrong: expected, and no fault of the service's.
REFUSALS = frozenset(
    {"BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "CONFLICT"}
)


class QuietRefusals(logging.Filter):
    """nameko logs a worker's exception at ERROR (WARNING if expected) with
    its traceback. A refusal of the caller's input (`common.errors` with a
    client's code) is no fault of the service: one INFO line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "nameko.containers" or not record.exc_info:
            return True
        exc = record.exc_info[1]
        if not isinstance(exc, DomainError) or exc.code not in REFUSALS:
            return True
        worker = record.args[0] if isinstance(record.args, tuple) else "-"
        record.msg = "refused %s: %s %s"
        record.args = (worker, exc.code, exc)
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.exc_info, record.exc_text = None, None
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)


class JsonFormatter(logging.Formatter):
    """One JSON object a line (`LOG_FORMAT=json`), for a log collector:
    timestamp (UTC, ISO 8601), level, logger, message, correlation_id,
    trace_id and span_id while a span is active, and the traceback as
    `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None) or "-",
        }
        trace_id = getattr(record, "trace_id", None)
        if trace_id:
            line["trace_id"] = trace_id
            line["span_id"] = getattr(record, "span_id", None)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def formatter(log_format: str | None = None) -> logging.Formatter:
    """`LOG_FORMAT`: `json` for one JSON object a line, else (`text`, unset)
    the text lines above."""
    chosen = (log_format or os.environ.get("LOG_FORMAT") or "text").lower()
    if chosen == "json":
        return JsonFormatter()
    if chosen != "text":
        raise ValueError(f"LOG_FORMAT must be text or json, not {chosen!r}")
    return logging.Formatter(LOG_FORMAT)


def setup_logging(level: str = "INFO", log_format: str | None = None) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(CorrelationFilter())
    handler.addFilter(QuietRefusals())
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
