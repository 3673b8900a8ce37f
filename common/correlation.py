"""Correlation ids: carried from the GraphQL request through RPC and events.

A context variable holds the id of the work in progress (greenlets and asyncio
tasks each get their own copy); a logging filter writes it in every line.
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar

_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] [cid=%(correlation_id)s] %(message)s"


def current() -> str | None:
    return _current.get()


def set_current(correlation_id: str | None) -> None:
    _current.set(correlation_id)


def new_id() -> str:
    return uuid.uuid4().hex


class CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _current.get() or "-"
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(CorrelationFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
