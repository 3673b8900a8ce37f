"""The service's clock: real UTC time (nothing here is moved by tests; the
dates in its messages come from the events)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
